""".env.example lists every variable collab/settings.py reads, each under a one-line comment,
and nothing that nothing reads."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "collab" / "settings.py"
ENV_HELPERS = {"env_bool", "env_int", "env_list"}
# "NAME=value" or "# NAME=value" (listed with its default, left commented).
ENTRY = re.compile(r"^(?:# )?([A-Z][A-Z0-9_]*)=")


def is_os_environ(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def variables_read(source: str) -> set[str]:
    """The names a settings module reads: ``os.environ.get("X")``, ``os.environ["X"]``,
    ``"X" in os.environ`` and the ``env_*("X", ...)`` helpers."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        name: ast.AST | None = None
        if isinstance(node, ast.Call) and node.args:
            function = node.func
            if isinstance(function, ast.Name) and function.id in ENV_HELPERS:
                name = node.args[0]
            elif isinstance(function, ast.Attribute) and function.attr in {"get", "pop"}:
                name = node.args[0] if is_os_environ(function.value) else None
        elif isinstance(node, ast.Subscript) and is_os_environ(node.value):
            name = node.slice
        elif isinstance(node, ast.Compare) and any(map(is_os_environ, node.comparators)):
            name = node.left
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            names.add(name.value)
    return names


def listed() -> dict[str, str]:
    """Each variable .env.example lists, with the comment line above it."""
    entries = {}
    lines = (ROOT / ".env.example").read_text().splitlines()
    for above, line in zip(["", *lines], lines, strict=False):
        match = ENTRY.match(line)
        if match:
            entries[match.group(1)] = above
    return entries


def test_the_reader_finds_every_way_settings_read_the_environment():
    source = """
import os
A = os.environ.get("A", "")
B = env_int("B", 1)
if "C" in os.environ:
    D = os.environ["D"]
E = os.environ.get
"""
    assert variables_read(source) == {"A", "B", "C", "D"}


def test_every_variable_settings_read_is_listed():
    missing = variables_read(SETTINGS.read_text()) - set(listed())

    assert missing == set(), f"add these to .env.example: {sorted(missing)}"


def test_every_listed_variable_is_read_by_settings_or_compose():
    compose = (ROOT / "compose.yaml").read_text()
    read = variables_read(SETTINGS.read_text())

    stale = {name for name in listed() if name not in read and f"${{{name}" not in compose}

    assert stale == set()


def test_each_variable_has_a_one_line_comment_above_it():
    uncommented = {
        name
        for name, above in listed().items()
        if not above.startswith("# ") or ENTRY.match(above) is not None
    }

    assert uncommented == set()


def test_nothing_is_set_so_a_copied_file_keeps_every_default():
    lines = (ROOT / ".env.example").read_text().splitlines()

    active = [line for line in lines if line[:1].isalpha()]
    assert active == []
