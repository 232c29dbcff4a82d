"""What `pip install casegraph` brings is enough for every command (each library the
package imports is a runtime dependency, or one of theirs, not only a test extra), and
it installs without warnings."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, packages_distributions, requires

from conftest import ROOT

# Imported only on a documented opt-in: `query(..., dataframe=True)` needs pandas.
OPTIONAL = {"pandas"}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]


def _runtime_closure() -> set[str]:
    """Runtime dependencies of casegraph and, transitively, theirs (extras left out)."""
    todo = [_name(r) for r in _project()["dependencies"]]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            todo += [_name(r) for r in requires(name) or [] if "extra ==" not in r]
        except PackageNotFoundError:  # a requirement for another platform or Python
            pass
    return seen


def _imported_modules() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "casegraph").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"casegraph"} - OPTIONAL


def test_every_imported_library_is_a_runtime_dependency():
    runtime = _runtime_closure()
    owners = packages_distributions()
    missing = {m: owners.get(m) for m in _imported_modules()
               if not {d.lower().replace("_", "-") for d in owners.get(m, [])} & runtime}
    assert not missing, f"imported by casegraph but not installed by `pip install casegraph`: {missing}"


def test_license_is_an_spdx_expression():
    # setuptools warns at length, on every install, about a license given as a table.
    assert isinstance(_project()["license"], str)
