"""Every message a view flashes is translated (ui.md: the page's language): a literal
string, or one glued together, passed to `flash` or to a helper that flashes it
(`flash_outcome`, a view's `_act`) would reach a Nepali page in English."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "portal"
FLASHERS = {"flash": 0, "flash_outcome": 1, "_act": 2}  # function name → position of the message
NOT_MESSAGES = {"booking_link/routes.py"}  # its `_act` takes the answer's code ("kept"), not words


def _untranslated(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _untranslated(node.left) or _untranslated(node.right)
    if isinstance(node, ast.IfExp):
        return _untranslated(node.body) or _untranslated(node.orelse)
    return False


def test_views_flash_only_translated_words():
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if path.relative_to(ROOT).as_posix() in NOT_MESSAGES:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            position = FLASHERS.get(node.func.id)
            if position is not None and len(node.args) > position and _untranslated(node.args[position]):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
