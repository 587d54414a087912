"""compose.yaml's production shape without Docker: its nginx config and its web command, taken
from the file itself and pointed at local ports, so the proxy tests exercise what ships.

- ``proxy_config`` wraps ``configs.nginx.content`` (compose's ``$$`` turned back into ``$``,
  the upstream's ``webN:8000`` servers pointed at local ports, ``listen`` at a free port) in
  the minimal ``events {}`` / ``http {}`` the nginx image's own nginx.conf would put around it.
- ``Nginx`` runs a master of its own (never the system service) on a temporary prefix.
- ``WebProcess`` is a ``Daphne`` started with compose's web command and environment.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.conftest import ROOT, Daphne, stop_process

COMPOSE = ROOT / "compose.yaml"
INSTALL = "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y nginx-light"
# The port compose's web services listen on inside their containers.
COMPOSE_WEB_PORT = 8000


def compose() -> dict[str, Any]:
    return dict(yaml.safe_load(COMPOSE.read_text()))


def nginx_binary() -> str:
    """nginx's path; fails (never skips) when it is missing, naming the install command."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if not found:
        pytest.fail(f"nginx is not installed; the proxy tests need it: {INSTALL}")
    return found


def web_services() -> list[str]:
    """The compose services that run the web command (web1, web2, ...)."""
    return sorted(name for name in compose()["services"] if re.fullmatch(r"web\d+", name))


def web_command(port: int) -> list[str]:
    """compose's web1 command, run by this interpreter, on loopback and ``port``."""
    command = list(compose()["services"]["web1"]["command"])
    assert command[0] == "python", command
    assert command[command.index("--port") + 1] == str(COMPOSE_WEB_PORT), command
    command[0] = sys.executable
    command[command.index("--host") + 1] = "127.0.0.1"
    command[command.index("--port") + 1] = str(port)
    return command


def web_environment(local: dict[str, str]) -> dict[str, str]:
    """The ``x-collab`` environment, each ``${VAR:-default}`` at its default, then ``local``
    (the values that must be local here: secret, hosts, database and Redis URLs)."""
    resolved = {}
    for name, value in compose()["x-collab"]["environment"].items():
        resolved[name] = re.sub(r"\$\{\w+(?::-([^}]*)|:\?[^}]*)\}", r"\1", str(value))
    return {**resolved, **local}


def _temp_path_directives(binary: str, prefix: Path) -> list[str]:
    """Temp paths under ``prefix`` for every module built in (the defaults are under
    /var/lib/nginx, which a non-root master may not be able to create)."""
    built = subprocess.run([binary, "-V"], capture_output=True, text=True, timeout=10).stderr
    directives = []
    for module in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]:
        if f"--without-http_{module}_module" in built:
            continue
        path = prefix / f"{module}_temp"
        path.mkdir(exist_ok=True)
        directives.append(f"{module}_temp_path {path};")
    return directives


def proxy_config(binary: str, prefix: Path, listen: int, web_ports: dict[str, int]) -> str:
    """nginx.conf: compose's proxy config, pointed at ``web_ports`` (service name to local
    port) and listening on ``listen``, inside the http block the nginx image provides."""
    content = compose()["configs"]["nginx"]["content"].replace("$$", "$")
    upstream = re.search(r"upstream collab \{([^}]*)\}", content)
    assert upstream, content
    servers = re.findall(r"server ([\w.-]+):(\d+);", upstream.group(1))
    # The upstream names every web service, at the port its command listens on.
    assert sorted(name for name, _ in servers) == sorted(web_ports), servers
    assert {port for _, port in servers} == {str(COMPOSE_WEB_PORT)}, servers
    for name, port in web_ports.items():
        content = content.replace(f"server {name}:{COMPOSE_WEB_PORT};", f"server 127.0.0.1:{port};")
    content, listens = re.subn(r"listen 80;", f"listen 127.0.0.1:{listen};", content)
    assert listens == 1, content
    # compose's own access log (its format leaves out query strings, which carry tokens), here.
    content, logs = re.subn(
        r"access_log /var/log/nginx/access\.log collab;",
        f"access_log {prefix / 'access.log'} collab;",
        content,
    )
    assert logs == 1, content
    # As root, nginx would run its workers as nobody, who cannot enter pytest's temp dirs.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp_paths = "\n  ".join(_temp_path_directives(binary, prefix))
    return (
        f"{user}worker_processes 1;\n"
        f"error_log {prefix / 'error.log'} info;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        f"  {temp_paths}\n"
        f"{content}\n"
        "}\n"
    )


# A line of compose's ``collab`` log format: the URI (no query) and the upstream addresses
# nginx tried ("a, b" after a failover; the last one answered).
_LOGGED = re.compile(r'"\S+ (\S+)" \d+ \d+ \S+ (.+)$')


class Nginx:
    """An nginx master of its own on a temporary prefix, in the foreground, as a child."""

    def __init__(self, prefix: Path, web_ports: dict[str, int], port: int) -> None:
        self.binary = nginx_binary()
        self.prefix = prefix
        self.port = port
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        self.conf = prefix / "nginx.conf"
        self.conf.write_text(proxy_config(self.binary, prefix, self.port, web_ports))
        self.process: subprocess.Popen[bytes] | None = None

    def command(self, *extra: str) -> list[str]:
        pid = self.prefix / "nginx.pid"
        return [
            self.binary,
            *("-p", f"{self.prefix}/", "-c", str(self.conf), "-e", str(self.prefix / "error.log")),
            *("-g", f"daemon off; pid {pid};", *extra),
        ]

    def start(self, timeout: float = 10) -> None:
        checked = subprocess.run(self.command("-t"), capture_output=True, text=True, timeout=10)
        assert checked.returncode == 0, f"nginx rejects the config:\n{checked.stderr}\n{self.conf}"
        self.process = subprocess.Popen(
            self.command(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"nginx did not come up:\n{self.error_log()}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        """SIGTERM: the master stops its workers before it exits."""
        stop_process(self.process)

    def error_log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def upstreams(self, uri_prefix: str) -> list[str]:
        """The upstream address that answered each logged request whose URI starts with
        ``uri_prefix`` (a WebSocket is logged when it closes)."""
        return [
            tried.split(", ")[-1]
            for uri, tried in (
                _LOGGED.search(line).groups()  # type: ignore[union-attr]
                for line in self.access_log().splitlines()
            )
            if uri.startswith(uri_prefix)
        ]

    def access_log(self) -> str:
        path = self.prefix / "access.log"
        return path.read_text() if path.exists() else ""


class WebProcess(Daphne):
    """A ``Daphne`` started with compose's web command (``--proxy-headers``), ready once the
    compose health check's request (``/readyz`` with an allowed Host, as https) answers."""

    def __init__(self, *, env: dict[str, str], log_path: Path, host: str) -> None:
        super().__init__(env=env, log_path=log_path)
        self.host = host

    def readyz(self, timeout: float = 8) -> int:
        request = urllib.request.Request(
            f"{self.url}/readyz", headers={"Host": self.host, "X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)

    def start(self, timeout: float = 30) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        with open(self.log_path, "ab") as log:
            log.write(f"\n=== web process starting on port {self.port}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                web_command(self.port),
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.readyz(timeout=2)
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"web process did not come up:\n{self.log()}") from None
                time.sleep(0.1)

    def metric(self, name: str, **labels: str) -> float:
        """One sample of this process's ``/metrics`` (0 when absent), read directly."""
        request = urllib.request.Request(f"{self.url}/metrics", headers={"Host": self.host})
        with urllib.request.urlopen(request, timeout=5) as response:
            text = response.read().decode()
        from prometheus_client.parser import text_string_to_metric_families

        return sum(
            sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items())
        )
