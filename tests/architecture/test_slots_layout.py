"""Where engine differences, private names and writes may live (docs/architecture.md
"The slots package"), checked by reading every module of `portal/` as a syntax tree:

- a branch on the database engine (a comparison with, or a lookup by, a dialect name,
  or a `dialect` parameter) only in the two store implementations, `database.py` and
  `models/types.py`;
- no module imports another module's `_private` name;
- no write outside the one transaction helper (`portal/database.py`) and the store:
  no `engine.begin()`, no bare `commit()`, no `executemany` on a raw connection;
- the slots package does not import Flask (the views build the responses).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PORTAL = Path(__file__).resolve().parents[2] / "portal"
DIALECT_PLACES = {"slots/store_postgres.py", "slots/store_sqlite.py", "database.py", "models/types.py"}
WRITE_PLACES = {"database.py", "slots/store.py", "slots/store_postgres.py", "slots/store_sqlite.py"}
DIALECT_NAMES = {"postgresql", "sqlite"}


def modules() -> list[tuple[str, ast.Module]]:
    return [(str(path.relative_to(PORTAL)), ast.parse(path.read_text(), str(path)))
            for path in sorted(PORTAL.rglob("*.py"))]


def _mentions_dialect(node: ast.AST) -> bool:
    """`x.dialect`, `dialect`, or a dialect's name as a string."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Attribute) and inner.attr == "dialect":
            return True
        if isinstance(inner, ast.Name) and inner.id == "dialect":
            return True
        if isinstance(inner, ast.Constant) and inner.value in DIALECT_NAMES:
            return True
    return False


def dialect_branches(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and _mentions_dialect(node):
            found.append(f"line {node.lineno}: comparison on the engine")
        elif isinstance(node, ast.Subscript) and _mentions_dialect(node.slice):
            found.append(f"line {node.lineno}: lookup by the engine")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names = [a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)]
            if "dialect" in names:
                found.append(f"line {node.lineno}: `{node.name}` takes a dialect")
    return found


def private_imports(tree: ast.Module) -> list[str]:
    return [f"line {node.lineno}: {alias.name} from {node.module}"
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("portal")
            for alias in node.names if alias.name.startswith("_") and not alias.name.startswith("__")]


def writes(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("commit", "executemany") or (
                    node.func.attr == "begin" and "engine" in ast.unparse(node.func.value)):
                found.append(f"line {node.lineno}: {ast.unparse(node.func)}()")
    return found


@pytest.mark.parametrize("check, allowed", [
    (dialect_branches, DIALECT_PLACES), (private_imports, set()), (writes, WRITE_PLACES)])
def test_rules_hold_in_every_module_of_the_portal(check, allowed):
    broken = {name: found for name, tree in modules() if name not in allowed and (found := check(tree))}
    assert broken == {}


def test_the_slots_package_does_not_import_flask():
    importing = [name for name, tree in modules() if name.startswith("slots/")
                 for node in ast.walk(tree)
                 if isinstance(node, (ast.Import, ast.ImportFrom))
                 and any((getattr(node, "module", None) or alias.name).split(".")[0] == "flask"
                         for alias in node.names)]
    assert importing == []


def test_the_checks_see_what_they_look_for():
    """Each rule flags a small example (so an empty result means something)."""
    assert dialect_branches(ast.parse('if conn.dialect.name == "sqlite":\n    pass'))
    assert dialect_branches(ast.parse("QUERIES[dialect]"))
    assert dialect_branches(ast.parse("def load(session, dialect): pass"))
    assert private_imports(ast.parse("from portal.models.catalog import _in"))
    assert writes(ast.parse("with db.engine.begin() as conn: pass"))
    assert writes(ast.parse("session.commit()")) and writes(ast.parse("cursor.executemany(sql, rows)"))
    assert not writes(ast.parse("with use_case(session): pass"))
