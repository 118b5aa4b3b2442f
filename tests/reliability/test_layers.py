"""The floors of the design card: no package imports one above it, so a web service can reuse any of them."""

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

FLOORS = {  # package -> the packages of ours it may import
    "domain": set(),
    "ocr": {"domain"},
    "signing": {"domain"},
    "archive": {"domain"},
    "indexer": {"domain", "archive"},  # the index is rebuilt from the archive, its source of truth
    "service": {"domain", "ocr", "signing", "archive", "indexer", "pipeline"},  # never the faces or the flows
}
OURS = {"domain", "ocr", "signing", "archive", "indexer", "pipeline", "service", "flows", "bench"}


def imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & OURS


@pytest.mark.parametrize("package", sorted(FLOORS))
def test_no_package_imports_upward(package: str) -> None:
    allowed = FLOORS[package] | {package}
    outside = {str(path.relative_to(REPO)): imported_packages(path) - allowed
               for path in sorted((REPO / package).rglob("*.py"))}
    wrong = {name: sorted(found) for name, found in outside.items() if found}
    assert wrong == {}


def test_the_use_cases_never_import_the_command_line() -> None:
    for path in sorted((REPO / "service").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "pipeline.cli" not in text, path
