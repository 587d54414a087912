"""The two lock files: ``requirements.lock`` is what the production image installs (the
runtime alone), ``requirements-dev.lock`` adds the development tools on top of it. Both agree
with pyproject.toml, and each holds exactly what its dependencies need."""

from __future__ import annotations

import ast
import importlib.metadata
import sys
import tomllib
from pathlib import Path

from django.conf import settings
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = [Requirement(line) for line in PROJECT["dependencies"]]
DEV = [Requirement(line) for line in PROJECT["optional-dependencies"]["dev"]]
# Named here as well as read from pyproject, so moving one into the runtime dependencies fails.
DEVELOPMENT_TOOLS = {
    "pytest",
    "pytest-django",
    "pytest-asyncio",
    "pytest-xdist",
    "playwright",
    "mypy",
    "schemathesis",
    "ruff",
    "hypothesis",
    "factory-boy",
    "import-linter",
    "django-stubs",
    "djangorestframework-stubs",
}
FIRST_PARTY = ("collab", "rooms", "presence")
# The locks are compiled for the oldest Python 3.11 (uv's --python-version 3.11).
LOCK_ENVIRONMENT = {
    **default_environment(),
    "python_version": "3.11",
    "python_full_version": "3.11.0",
}


def pins(name: str) -> dict[str, Version]:
    """The ``name==version`` lines of a lock file, by canonical name."""
    pinned = {}
    for line in (ROOT / name).read_text().splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            package, version = line.split("==")
            pinned[canonicalize_name(package)] = Version(version)
    return pinned


def needed_by(requirements: list[Requirement]) -> set[str]:
    """Every distribution these requirements pull in, from the installed packages' metadata,
    with the markers evaluated as the locks were compiled."""
    seen: set[tuple[str, str]] = set()  # a distribution with one of its extras ("" for none)
    pending = list(requirements)
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        extras = {"", *requirement.extras} - {extra for known, extra in seen if known == name}
        if not extras:
            continue
        seen.update((name, extra) for extra in extras)
        for line in importlib.metadata.requires(name) or []:
            dependency = Requirement(line)
            marker = dependency.marker
            if marker is None or any(
                marker.evaluate({**LOCK_ENVIRONMENT, "extra": extra}) for extra in extras
            ):
                pending.append(dependency)
    return {name for name, _ in seen}


def test_the_runtime_lock_has_no_development_tool():
    runtime = set(pins("requirements.lock"))
    dev_extra = {canonicalize_name(req.name) for req in DEV}

    assert runtime & (DEVELOPMENT_TOOLS | dev_extra) == set()


def test_the_runtime_lock_pins_exactly_what_the_runtime_dependencies_need():
    assert set(pins("requirements.lock")) == needed_by(RUNTIME)


def test_the_dev_lock_adds_exactly_what_the_development_tools_need_besides():
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")

    assert set(runtime) & set(dev) == set()
    assert set(dev) == needed_by(RUNTIME + DEV) - set(runtime)


def test_the_dev_lock_installs_the_runtime_lock_first():
    lines = [
        line
        for line in (ROOT / "requirements-dev.lock").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]

    assert lines[0] == "-r requirements.lock"


def test_every_declared_dependency_is_pinned_within_its_range_in_its_own_lock():
    for requirements, lock in ((RUNTIME, "requirements.lock"), (DEV, "requirements-dev.lock")):
        pinned = pins(lock)
        for requirement in requirements:
            name = canonicalize_name(requirement.name)
            assert name in pinned, f"{name} is not in {lock}"
            assert pinned[name] in requirement.specifier, f"{name}=={pinned[name]} in {lock}"


def test_the_installed_versions_are_the_locked_ones():
    for name, version in {**pins("requirements.lock"), **pins("requirements-dev.lock")}.items():
        assert Version(importlib.metadata.version(name)) == version, name


def modules_the_app_imports() -> set[str]:
    """The top-level modules the app's code imports (tests aside) and its INSTALLED_APPS name,
    other than the standard library's and its own."""
    names = {app.split(".")[0] for app in settings.INSTALLED_APPS}
    sources = [ROOT / "manage.py"]
    sources += [path for package in FIRST_PARTY for path in (ROOT / package).rglob("*.py")]
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(FIRST_PARTY) - set(sys.stdlib_module_names)


def test_everything_the_app_imports_comes_from_the_runtime_lock():
    runtime = set(pins("requirements.lock"))
    distributions = importlib.metadata.packages_distributions()

    outside = {
        module: distributions.get(module)
        for module in modules_the_app_imports()
        if not {canonicalize_name(d) for d in distributions.get(module, [])} & runtime
    }

    assert outside == {}


def test_the_image_installs_the_runtime_lock_alone():
    dockerfile = (ROOT / "Dockerfile").read_text()
    installs = [line for line in dockerfile.splitlines() if "pip install" in line]

    assert installs == ["RUN pip install --no-cache-dir -r requirements.lock"]
