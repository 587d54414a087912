"""What the full test run needs from the machine beyond Python packages: Debian's chromium
(the browser tests, driven by Playwright), nginx (compose.yaml's proxy, run for real) and ss
(iproute2: the listen-backlog test reads the kernel's queue) and PostgreSQL's client tools
(the backup-restore test runs pg_dump, pg_restore and psql).

Before anything runs, a run that may reach those tests (no ``-m`` narrowing it) installs what
is missing when it can (as root, with apt-get, saying so), or stops at once with one line that
says how. The front end is built by the browser tests themselves (``collab.frontend``).
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

# Debian package -> the command it provides.
NEEDED = {
    "chromium": "/usr/bin/chromium",
    "nginx-light": "nginx",
    "iproute2": "ss",
    "postgresql-client": "pg_dump",
}
SBIN = "/usr/sbin:/sbin:/usr/local/sbin"


def missing_packages() -> list[str]:
    return [
        package
        for package, command in NEEDED.items()
        if not (shutil.which(command) or shutil.which(command, path=SBIN))
    ]


def install_command(packages: list[str]) -> str:
    return (
        "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "
        + " ".join(packages)
    )


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput") or config.option.markexpr or config.option.collectonly:
        return  # an xdist worker (the controller checked), or a chosen subset
    missing = missing_packages()
    if not missing:
        return
    command = install_command(missing)
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.exit(
            f"The browser and proxy tests need {', '.join(missing)}: run `sudo sh -c "
            f"'{command}'` (or run a subset, e.g. `-m unit`).",
            returncode=4,
        )
    print(f"Installing what the browser and proxy tests need ({', '.join(missing)}): {command}")
    subprocess.run(["sh", "-c", command], check=True, stdout=subprocess.DEVNULL)
