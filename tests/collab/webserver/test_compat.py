"""``collab.webserver.compat``: the web process starts only on the tested versions of Daphne,
Twisted and autobahn, with every private attribute the adapter uses present."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from packaging.requirements import Requirement
from packaging.version import Version

from collab.webserver import compat
from collab.webserver.compat import Attribute, IncompatibleWebServer, Range

ROOT = Path(__file__).resolve().parents[3]


def test_the_installed_libraries_pass():
    compat.check()


def test_a_version_out_of_range_is_refused_by_name():
    installed = {"daphne": "4.3.0", "twisted": "26.10.0", "autobahn": "24.4.2"}

    with pytest.raises(IncompatibleWebServer) as refused:
        compat.check(version_of=installed.__getitem__, attributes=())

    message = str(refused.value)
    assert "daphne 4.3.0 is outside the supported >=4.2.2,<4.3" in message
    assert "autobahn 24.4.2 is outside the supported >=26.10.2,<26.11" in message
    assert "twisted" not in message


def test_a_library_not_installed_is_refused_by_name():
    def version_of(distribution: str) -> str:
        raise importlib.metadata.PackageNotFoundError(distribution)

    with pytest.raises(IncompatibleWebServer, match="daphne is not installed"):
        compat.check(version_of=version_of, supported={"daphne": Range("4.2.2", "4.3")})


def test_every_missing_attribute_is_refused_by_name():
    attributes = [
        *compat.ATTRIBUTES,
        Attribute("autobahn.websocket.protocol.WebSocketProtocol.gone", lambda: False),
        compat._on_class("daphne.ws_protocol", "WebSocketProtocol", "renamedCloseFrame"),
        compat._in_module("daphne.no_such_module", "anything"),
    ]

    with pytest.raises(IncompatibleWebServer) as refused:
        compat.check(attributes=attributes)

    assert str(refused.value).splitlines()[1:] == [
        "  missing: autobahn.websocket.protocol.WebSocketProtocol.gone",
        "  missing: daphne.ws_protocol.WebSocketProtocol.renamedCloseFrame",
        "  missing: daphne.no_such_module.anything",
    ]


def test_runweb_refuses_to_start_with_the_message(monkeypatch):
    monkeypatch.setattr(compat, "SUPPORTED", {"daphne": Range("1.0", "2.0")})
    monkeypatch.setattr(compat, "ATTRIBUTES", (Attribute("daphne.gone", lambda: False),))

    with pytest.raises(CommandError) as refused:
        call_command("runweb", "--port", "1")

    assert str(refused.value).splitlines()[1:] == [
        f"  daphne {importlib.metadata.version('daphne')} is outside the supported >=1.0,<2.0",
        "  missing: daphne.gone",
    ]


def test_the_supported_ranges_are_pyprojects_and_the_lock_is_inside_them():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    declared = {req.name.lower(): req.specifier for req in map(Requirement, dependencies)}
    locked = dict(
        line.split("==")
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line and not line.startswith(" ")
    )

    for distribution, versions in compat.SUPPORTED.items():
        assert str(declared[distribution]) == f"<{versions.below},>={versions.minimum}"
    for distribution in ("daphne", "twisted", "autobahn", "channels", "asgiref"):
        assert Version(locked[distribution]) in declared[distribution], distribution
        assert Version("999") not in declared[distribution], distribution
