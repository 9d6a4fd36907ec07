"""The floors of the house: which package may import which.

``core`` is the ground floor and knows no domain; the access package stands above every
domain's models and below their services; a domain's ``__init__`` imports nothing, so that
importing its models never drags in its views. No import happens inside a function, because
such imports are how import circles hide.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_only(reason="reads the source only: --db changes nothing here")

PACKAGE_ROOT = Path(__file__).resolve().parents[2] / "community"
GROUND_FLOOR = ("community.core", "community.extensions", "community.config")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE_ROOT.rglob("*.py"))}


def _is_type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")


def _imported_modules(node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """Project modules an import statement loads (``from a import b`` loads ``a.b`` when that is
    a module, else ``a``)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    for alias in node.names:
        candidate = f"{base}.{alias.name}"
        yield candidate if candidate in MODULES else base


def _imports(path: Path) -> Iterator[tuple[int, str, bool]]:
    """(line, imported module, inside a function) for each project import, type-only ones left
    out."""

    def walk(node: ast.AST, in_function: bool) -> Iterator[tuple[int, str, bool]]:
        for child in ast.iter_child_nodes(node):
            if _is_type_checking_block(child):
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                for name in _imported_modules(child):
                    if name == "community" or name.startswith("community."):
                        yield child.lineno, name, in_function
            function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            yield from walk(child, in_function or function)

    yield from walk(ast.parse(path.read_text()), False)


IMPORTS = {name: list(_imports(path)) for name, path in MODULES.items()}


def test_no_import_inside_a_function():
    found = [
        f"{name}:{line} imports {target}"
        for name, imports in IMPORTS.items()
        for line, target, in_function in imports
        if in_function
    ]
    assert found == []


def test_core_imports_no_domain():
    found = [
        f"{name}:{line} imports {target}"
        for name, imports in IMPORTS.items()
        if name.startswith("community.core")
        for line, target, _ in imports
        if not target.startswith(GROUND_FLOOR)
    ]
    assert found == []


@pytest.mark.parametrize(
    "package",
    sorted(
        name
        for name, path in MODULES.items()
        if path.name == "__init__.py" and name not in ("community", "community.core")
    ),
)
def test_a_domain_package_imports_nothing(package):
    """Importing ``community.forum.models`` runs ``community/forum/__init__.py`` first; if that
    imported the views, every model import would pull in half the app (the wiring module is
    where a domain plugs in)."""
    if package == "community.access":
        return  # the access package re-exports its own modules, which import only models
    assert IMPORTS[package] == []


def test_no_import_circle():
    graph = {name: {t for _, t, _ in imports if t in MODULES} for name, imports in IMPORTS.items()}
    circles = []
    state: dict[str, str] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                circles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_the_checks_see_the_imports_they_judge():
    """The walk must find imports at all (a broken walk would pass every check above)."""
    targets = {target for _, target, _ in IMPORTS["community.forum.services"]}
    assert {"community.access", "community.forum.models", "community.core.events"} <= targets
