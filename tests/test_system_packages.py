"""The test run's check of the machine (``tests/system_packages.py``): a full run stops at once
with one line that says how to install what is missing, or installs it when it can."""

from __future__ import annotations

import shutil
import subprocess
from types import SimpleNamespace

import pytest

from tests import system_packages


def full_run_config() -> SimpleNamespace:
    return SimpleNamespace(option=SimpleNamespace(markexpr="", collectonly=False))


def without(monkeypatch, *commands: str) -> None:
    real_which = shutil.which
    monkeypatch.setattr(
        system_packages.shutil,
        "which",
        lambda name, path=None: None if name in commands else real_which(name, path=path),
    )


def test_a_full_run_without_root_says_in_one_line_how_to_install_what_is_missing(monkeypatch):
    without(monkeypatch, "nginx", "/usr/bin/chromium")
    monkeypatch.setattr(system_packages.os, "geteuid", lambda: 1000)

    with pytest.raises(pytest.exit.Exception) as stopped:
        system_packages.pytest_configure(full_run_config())

    message = str(stopped.value)
    assert "\n" not in message
    assert "chromium, nginx-light" in message
    assert "apt-get install -y chromium nginx-light" in message


def test_as_root_it_installs_what_is_missing_with_apt_get(monkeypatch):
    without(monkeypatch, "ss")
    monkeypatch.setattr(system_packages.os, "geteuid", lambda: 0)
    ran = []
    monkeypatch.setattr(subprocess, "run", lambda args, **kwargs: ran.append(args))

    system_packages.pytest_configure(full_run_config())

    assert ran == [["sh", "-c", system_packages.install_command(["iproute2"])]]


@pytest.mark.parametrize("euid", [0, 1000])
def test_a_chosen_subset_is_not_held_up(monkeypatch, euid):
    without(monkeypatch, "nginx")
    monkeypatch.setattr(system_packages.os, "geteuid", lambda: euid)
    ran = []
    monkeypatch.setattr(subprocess, "run", lambda args, **kwargs: ran.append(args))
    config = full_run_config()
    config.option.markexpr = "unit"

    system_packages.pytest_configure(config)  # does not exit

    assert ran == []
