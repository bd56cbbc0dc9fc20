"""`portal/services/` is a house of rooms (docs/architecture.md "The rooms of portal/services/"):
a new capability is a room of its own.

- no module directly in `portal/services/` besides its `__init__.py`, which holds no code;
- every directory in it is a room: a package whose `__init__.py` is its docstring only,
  except a room whose package is its façade (listed below with why);
- a room holds modules, not further rooms (one level: a newcomer opens two folders).
"""
from __future__ import annotations

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "portal" / "services"
FACADES = {
    "audit": "the trail writer every room imports (`audited`, `log_event`)",
    "reports": "the reports' façade (`salon_report`, `export_report`)",
}


def _only_docstring(path: Path) -> bool:
    body = ast.parse(path.read_text()).body
    return (len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str))


def rooms() -> list[Path]:
    return sorted(p for p in SERVICES.iterdir() if p.is_dir() and p.name != "__pycache__")


def test_no_module_outside_a_room():
    loose = sorted(p.name for p in SERVICES.glob("*.py") if p.name != "__init__.py")
    assert loose == [], "put each module into the room of its capability (or a new room): " + repr(loose)
    assert _only_docstring(SERVICES / "__init__.py")


def test_every_room_is_a_package_with_its_docstring():
    assert len(rooms()) >= 5
    for room in rooms():
        init = room / "__init__.py"
        assert init.exists(), f"{room.name}/ is not a package"
        assert ast.get_docstring(ast.parse(init.read_text())), f"{room.name}/__init__.py says what the room holds"
        if room.name not in FACADES:
            assert _only_docstring(init), f"{room.name}/__init__.py: only the docstring (no re-exports)"
        nested = [p.name for p in room.iterdir() if p.is_dir() and p.name != "__pycache__"]
        assert nested == [], f"{room.name}/ holds further rooms: {nested}"
