"""The floors of the design card: no package imports one above it, so a web service can reuse any of them."""

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

ADAPTERS = {"domain", "ocr", "pdf", "signing", "archive", "indexer"}
FLOORS = {  # package -> the packages of ours it may import
    "domain": set(),
    "ocr": {"domain"},
    "pdf": {"domain"},  # building, rendering and cleaning PDFs: no text reading
    "signing": {"domain"},
    "archive": {"domain"},
    "indexer": {"domain", "archive"},  # the index is rebuilt from the archive, its source of truth
    "context": ADAPTERS,  # the composition root: settings and the backends wired together
    "pipeline": ADAPTERS | {"context"},  # the per-document stages
    "service": ADAPTERS | {"context", "pipeline"},  # the use cases: never the faces or the flows
    "flows": ADAPTERS | {"context", "pipeline", "service"},
    "portal": ADAPTERS | {"context", "pipeline", "service", "flows"},
    "cli": ADAPTERS | {"context", "pipeline", "service", "flows", "portal"},
}
OURS = {*FLOORS, "bench"}


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


def _module_name(path: Path) -> str:
    name = ".".join(path.relative_to(REPO).with_suffix("").parts)
    return name.removesuffix(".__init__")


def _modules_imported(path: Path, ours: set[str]) -> set[str]:
    """Every module of ours this file imports, at its top or inside a function, `from a.b import c` naming a.b (and
    a.b.c when c is a module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found & ours


def test_no_module_imports_one_that_imports_it_back() -> None:
    """An import circle, even through a function-level import, means two modules that are one: it hides which
    holds what (signing.identity, signing.verify and signing.sign were one such circle)."""
    paths = {_module_name(p): p for package in FLOORS for p in (REPO / package).rglob("*.py")}
    graph = {name: sorted(_modules_imported(path, set(paths)) - {name}) for name, path in paths.items()}
    circles: list[str] = []
    done: set[str] = set()

    def walk(module: str, trail: list[str]) -> None:  # depth first; a module met again on the trail closes a circle
        if module in trail:
            circles.append(" -> ".join([*trail[trail.index(module):], module]))
            return
        if module in done:
            return
        for imported in graph[module]:
            walk(imported, [*trail, module])
        done.add(module)

    for module in sorted(graph):
        walk(module, [])
    assert circles == []
