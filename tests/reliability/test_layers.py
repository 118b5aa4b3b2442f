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
    "pipeline": {"domain", "ocr", "signing", "archive", "indexer"},
    "service": {"domain", "ocr", "signing", "archive", "indexer", "pipeline"},  # never the faces or the flows
    "flows": {"domain", "ocr", "signing", "archive", "indexer", "pipeline", "service"},
    "portal": {"domain", "ocr", "signing", "archive", "indexer", "pipeline", "service", "flows"},
    "cli": {"domain", "ocr", "signing", "archive", "indexer", "pipeline", "service", "flows", "portal"},
}
OURS = {"domain", "ocr", "signing", "archive", "indexer", "pipeline", "service", "flows", "portal", "cli", "bench"}


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


def test_the_command_line_is_its_own_package() -> None:
    assert not list((REPO / "pipeline").glob("cli*.py"))  # floor 5, above the use cases (FLOORS says who imports it)
