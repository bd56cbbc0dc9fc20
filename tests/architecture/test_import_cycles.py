"""No import cycle under portal/, counting imports inside functions too.

An in-function import that only dodges a cycle hides a tangle a newcomer trips
over; this walk reads every module's AST (every `import` / `from ... import`
wherever it stands) and fails on any cycle between portal modules.
"""
from __future__ import annotations

import ast
from pathlib import Path

import portal

ROOT = Path(portal.__file__).resolve().parent

ALLOWED_CYCLES: set[frozenset] = set()


def module_names() -> dict[str, Path]:
    names = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The portal modules `name` imports anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                # `from pkg import sub` imports the submodule; `from mod import name` the module
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {n for n in found if n in known and n != name}


def graph() -> dict[str, set[str]]:
    modules = module_names()
    known = set(modules)
    return {name: imports_of(name, path, known) for name, path in modules.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_in_portal():
    edges = graph()
    assert "portal.services.audit" in edges and "portal.extensions" in edges
    problems = [c for c in cycles(edges) if frozenset(c) not in ALLOWED_CYCLES]
    assert problems == [], "import cycles (in-function imports included): " + repr(problems)


def test_the_walk_sees_a_cycle_hidden_in_a_function():
    edges = {"a": {"b"}, "b": {"c"}, "c": set()}
    assert cycles(edges) == []
    tree = ast.parse("def late():\n    from portal.extensions import db\n")
    assert any(isinstance(n, ast.ImportFrom) and n.module == "portal.extensions" for n in ast.walk(tree))
    edges["c"] = {"a"}
    assert cycles(edges) == [["a", "b", "c"]]


def test_the_walk_reads_in_function_imports(tmp_path):
    module = tmp_path / "late.py"
    module.write_text("import os\n\ndef f():\n    from portal.extensions import db\n    from . import network\n")
    known = {"portal.extensions", "portal.network", "portal.late"}
    assert imports_of("portal.late", module, known) == {"portal.extensions", "portal.network"}
