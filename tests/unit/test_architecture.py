"""The architecture, held by tests (read with the ast, no engine): sizes, imports, routes.

docs/DESIGN.md says why each rule is there. The layering is the table ``ALLOWED`` below: each
part of the package and the parts it may import. Data flows one way, so imports do too.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "healthgov"

MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80

# --- the layering: each part → the parts it may import ----------------------------------------
#
# A part is a subpackage (``healthgov.graph``) or a top-level module (``healthgov.ids``).
# ``healthgov`` itself (the package's ``__init__``: the version) may be imported by every part.
# Each package's ``commands.py`` is that package's piece of the command line: registered by
# ``healthgov.cli``, it belongs to the ``cli`` part (``healthgov build`` wires extract and loaders).
BOTTOM = {"ids", "records", "textutil"}
ALLOWED: dict[str, set[str]] = {
    "textutil": set(),
    "ids": {"textutil"},
    "records": {"ids", "textutil"},
    "ontology": BOTTOM,
    "extract": BOTTOM | {"ontology"},
    "graph": BOTTOM | {"ontology"},
    "loaders": BOTTOM | {"ontology", "extract", "graph"},  # the one write path into the graph
    "queries": BOTTOM | {"ontology", "extract", "graph"},
    "network": BOTTOM | {"ontology", "graph", "queries"},
    "visualize": BOTTOM | {"ontology", "graph", "queries", "network"},
    # The API reads: through queries, network and visualize, never through the loaders.
    "api": BOTTOM | {"ontology", "graph", "queries", "network", "visualize"},
    "cli": BOTTOM | {"ontology", "extract", "graph", "loaders", "queries", "network", "visualize", "api"},
}
# Web frameworks: only the API serves HTTP.
WEB = {"fastapi", "starlette", "uvicorn"}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if ".venv" not in p.parts)


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _part(module: str) -> str:
    """The part of ``healthgov.x.y`` (``x``), with every ``commands`` module in ``cli``."""
    parts = module.split(".")
    if len(parts) == 1:
        return "healthgov"
    if parts[-1] == "commands":
        return "cli"
    return parts[1]


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported(path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The absolute module names an import statement reads: a relative one resolved, and
    ``from healthgov import graph`` read as ``healthgov.graph`` (a name that is a module)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if node.level:
        package = _name(path).split(".")
        if path.name != "__init__.py":
            package = package[:-1]
        base = ".".join([*package[: len(package) - node.level + 1], *([node.module] if node.module else [])])
    else:
        base = node.module or ""
    return [f"{base}.{a.name}" if _is_module(f"{base}.{a.name}") else base for a in node.names]


def _is_module(name: str) -> bool:
    parts = name.split(".")
    if parts[0] != "healthgov":
        return False
    where = PACKAGE.joinpath(*parts[1:])
    return where.with_suffix(".py").is_file() or (where / "__init__.py").is_file()


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in the module, function-level ones included."""
    return [(n.lineno, m) for n in ast.walk(_tree(path)) if isinstance(n, ast.Import | ast.ImportFrom)
            for m in _imported(path, n)]


def _rel(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


# --- (a) sizes ----------------------------------------------------------------------------------


def test_no_module_over_500_lines() -> None:
    long = {_rel(p): n for p in _modules() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, f"modules over {MAX_MODULE_LINES} lines (split them by meaning): {long}"


def test_no_function_over_80_lines() -> None:
    long = {f"{_rel(p)}:{n.lineno} {n.name}": n.end_lineno - n.lineno + 1
            for p in _modules() for n in ast.walk(_tree(p))
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.end_lineno - n.lineno + 1 > MAX_FUNCTION_LINES}
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines (split them by meaning): {long}"


# --- (b) the package's own modules are always there ---------------------------------------------


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    caught = handler.type
    names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
    return any(isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError") for n in names)


def test_no_import_error_fallback_around_own_modules() -> None:
    """A module of the package that "may not be there yet" hides a broken import as missing data."""
    found = []
    for p in _modules():
        for node in ast.walk(_tree(p)):
            if not isinstance(node, ast.Try) or not any(_catches_import_error(h) for h in node.handlers):
                continue
            for stmt in node.body:
                for sub in ast.walk(stmt):
                    if isinstance(sub, ast.Import | ast.ImportFrom) and (
                        getattr(sub, "level", 0) or any(m.split(".")[0] == "healthgov" for m in _imported(p, sub))
                    ):
                        found.append(f"{_rel(p)}:{sub.lineno}")
    assert not found, f"own modules imported under `except ImportError`: {found}"


# --- (c) the layering ---------------------------------------------------------------------------


def test_the_table_names_every_part() -> None:
    parts = {_part(_name(p)) for p in _modules()} - {"healthgov"}
    assert parts <= set(ALLOWED), f"parts missing from ALLOWED: {parts - set(ALLOWED)}"
    for part, allowed in ALLOWED.items():
        assert allowed <= set(ALLOWED) and part not in allowed


def _violations() -> list[str]:
    out = []
    for p in _modules():
        part = _part(_name(p))
        for line, module in _imports(p):
            top = module.split(".")[0]
            if top in WEB and not _name(p).startswith("healthgov.api"):
                out.append(f"{_rel(p)}:{line} imports {module}: only healthgov.api serves HTTP")
            if top != "healthgov" or module == "healthgov":
                continue
            target = _part(module)
            if target == "cli" and part != "cli":
                out.append(f"{_rel(p)}:{line} ({part}) imports {module}: commands belong to the command line")
            elif target not in (part, "healthgov") and target not in ALLOWED.get(part, set()):
                out.append(f"{_rel(p)}:{line} ({part}) imports {module} ({target}): not in ALLOWED[{part!r}]")
    return out


def test_imports_go_one_way() -> None:
    bad = _violations()
    assert not bad, "imports against the layering (tests/unit/test_architecture.py ALLOWED):\n" + "\n".join(bad)


@pytest.mark.parametrize("module, expected", [
    ("healthgov", "healthgov"), ("healthgov.ids", "ids"), ("healthgov.graph.store", "graph"),
    ("healthgov.graph.commands", "cli"), ("healthgov.cli", "cli"), ("healthgov.api.app", "api"),
])
def test_parts_are_named_as_the_table_says(module: str, expected: str) -> None:
    assert _part(module) == expected


def test_the_check_resolves_relative_imports() -> None:
    path = PACKAGE / "graph" / "export.py"
    code = ast.parse("from . import store\nfrom ..queries import registry\nfrom .schema import x\n"
                     "from healthgov import __version__, loaders\n")
    got = [m for n in code.body for m in _imported(path, n)]
    assert got == ["healthgov.graph.store", "healthgov.queries.registry", "healthgov.graph.schema",
                   "healthgov", "healthgov.loaders"]


# --- (d) every route is under healthgov/api -------------------------------------------------------

_ROUTE_METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "api_route", "route", "websocket"}


def test_every_route_is_defined_in_the_api() -> None:
    found = []
    for p in _modules():
        if _name(p).startswith("healthgov.api"):
            continue
        for node in ast.walk(_tree(p)):
            if isinstance(node, ast.Name | ast.Attribute) and (getattr(node, "id", None) or getattr(node, "attr", None)) in (
                "APIRouter", "FastAPI", "Starlette"
            ):
                found.append(f"{_rel(p)}:{node.lineno} {ast.unparse(node)}")
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for d in node.decorator_list:
                    call = d.func if isinstance(d, ast.Call) else d
                    if isinstance(call, ast.Attribute) and call.attr in _ROUTE_METHODS and isinstance(
                        call.value, ast.Name) and call.value.id in ("app", "router"):
                        found.append(f"{_rel(p)}:{d.lineno} @{ast.unparse(call)}")
    assert not found, f"routes outside healthgov/api: {found}"


def test_test_modules_have_distinct_names() -> None:
    # The test folders are not packages: pytest imports each module by its file name, so two
    # test_x.py in tests/unit and tests/integration collide when the whole suite is collected.
    names = [p.name for p in (Path(__file__).resolve().parents[1]).rglob("test_*.py") if "node_modules" not in p.parts]
    assert not {n for n in names if names.count(n) > 1}
