"""The README a new developer reads first tells the truth (issue 25, point 16): every
demo login is listed, the commands work as written, and no link points at a file
that is not in this repository."""
from __future__ import annotations

import re
from pathlib import Path

from portal.services.operations.demo import STYLISTS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
ROOT = Path(__file__).resolve().parents[2]


def test_every_demo_stylist_login_is_listed():
    assert all(f"`{s.email}`" in README for s in STYLISTS)


def test_commands_name_the_port_and_the_projects_python():
    assert "make run HOST=" in README and "PORT=" in README
    assert '.venv/bin/python -c "import pyotp' in README


def test_paths_in_backticks_exist_in_the_repository():
    for path in re.findall(r"`((?:docs|portal|tests|bench|templates|migrations)/[\w./-]+)`", README):
        assert (ROOT / path.rstrip("/")).exists(), path
    assert "spec/" not in re.sub(r"shared/spec|product specification", "", README)


def test_the_commands_list_holds_commands_only():
    commands = README.split("Commands (`flask --app wsgi …`")[1].split("\n\n")[1]
    assert all(line.startswith(("- ", "  ")) for line in commands.splitlines() if line.strip())
