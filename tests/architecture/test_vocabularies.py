"""Vocabularies are written once (docs/architecture.md, "Where each vocabulary lives").

- Role names: `"admin"`, `"auditor"`, `"stylist"`, `"customer"` appear as string
  literals only in `portal/domain/roles.py`; everything else says `ADMIN`, `STYLIST`, …
  (docstrings and comments are free to name them). The same words used for something
  other than a role (a form field, a message placeholder, an audit target) are listed
  below, per module, with what they mean.
- Roles are checked once per blueprint (`require_roles`): a `@role_required(...)` on a
  view of a gated blueprint must differ from the gate, and there are few of them.
- Pages do not compare a status with a spelled-out state: the models' properties
  (`booking.occupies`, `promotion.is_final`, …) and the domain's constants say it.
"""
from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import portal

ROOT = Path(portal.__file__).resolve().parent
TEMPLATES = ROOT.parent / "templates"
ROLE_WORDS = {"admin", "auditor", "stylist", "customer"}
HOME = "domain/roles.py"
SKIPPED = ("slots/",)  # the availability package has its own layout test

# The same words, not as roles: module → how many times, and what they are there.
NOT_ROLES = {
    "schedules/routes.py": Counter({"stylist": 1}),  # the `?stylist=` query value
    "bookings/routes.py": Counter({"stylist": 1}),  # the `?stylist=` query value
    "desk/routes.py": Counter({"stylist": 1}),  # the find form's `stylist` field
    "reports/routes.py": Counter({"stylist": 1}),  # the report's `stylist` filter field
    "services/desk/front_desk.py": Counter({"stylist": 1}),  # the refused form field
    "services/messaging/message_outbox.py": Counter({"customer": 1, "stylist": 2}),  # memo keys, the {stylist} placeholder
    "services/messaging/reminders.py": Counter({"customer": 2}),  # memo keys shared with message_outbox
    "services/messaging/link_actions.py": Counter({"customer": 1}),  # the link page's masked phone
    "services/desk/customers.py": Counter({"customer": 2}),  # the audit target type
    "services/reports/working_time.py": Counter({"stylist": 2}),  # query parameter names
    "domain/audit_vocabulary.py": Counter({"customer": 2}),  # the audit target type and its label
    "domain/override_kinds.py": Counter({"stylist": 2}),  # a kind's scope: one stylist
    "domain/message_templates.py": Counter({"stylist": 3}),  # the {stylist} placeholder
    "bookings/followup_filters.py": Counter({"stylist": 1}),  # the follow-up list's ?stylist= filter
}
MAX_VIEW_DECORATORS = 12  # views whose roles differ from their blueprint's gate


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def role_literals() -> dict[str, Counter]:
    found: dict[str, Counter] = {}
    for path in sorted(ROOT.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name == HOME or name.startswith(SKIPPED):
            continue
        tree = ast.parse(path.read_text(), str(path))
        docstrings = _docstrings(tree)
        words = Counter(
            node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in ROLE_WORDS and id(node) not in docstrings
        )
        if words:
            found[name] = words
    return found


def test_role_names_are_spelled_only_in_domain_roles():
    unexpected = {
        name: dict(words - NOT_ROLES.get(name, Counter()))
        for name, words in role_literals().items() if words - NOT_ROLES.get(name, Counter())
    }
    assert unexpected == {}, "say ADMIN, AUDITOR, STYLIST or CUSTOMER (portal.domain.roles)"


def test_templates_name_roles_through_the_roles_global():
    spelled = re.compile(r"""(has_role\(\s*['"]|['"](admin|auditor|stylist|customer)['"]\s+(not\s+)?in\s+\w+\.role_names)""")
    found = [f"{p.relative_to(TEMPLATES)}:{n}" for p in sorted(TEMPLATES.rglob("*.html"))
             for n, line in enumerate(p.read_text().splitlines(), 1) if spelled.search(line)]
    assert found == [], "use roles.ADMIN, … in pages"


def _gates_and_decorators(path: Path) -> tuple[set[tuple[str, ...]], list[tuple[str, tuple[str, ...]]]]:
    tree = ast.parse(path.read_text(), str(path))

    def roles_of(args: list[ast.expr]) -> tuple[str, ...]:
        return tuple(sorted(ast.unparse(arg) for arg in args))

    gates = {roles_of(node.args[1:]) for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "require_roles"}
    decorated = [(f.name, roles_of(d.args)) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
                 for d in f.decorator_list
                 if isinstance(d, ast.Call) and isinstance(d.func, ast.Name) and d.func.id == "role_required"]
    return gates, decorated


def test_a_gated_blueprint_decorates_only_the_views_that_differ():
    total, same_as_gate = 0, []
    for path in sorted(ROOT.glob("*/routes.py")):
        gates, decorated = _gates_and_decorators(path)
        total += len(decorated)
        same_as_gate += [f"{path.parent.name}.{view}" for view, roles in decorated if roles in gates]
    assert same_as_gate == [], "the blueprint's require_roles already admits these roles"
    assert total <= MAX_VIEW_DECORATORS, "a blueprint whose views all share roles takes one require_roles"


def test_pages_do_not_spell_states():
    states = "pending|confirmed|in_progress|completed|cancelled|no_show|waiting|approved|rejected|revoked|queued|failed|skipped"
    spelled = re.compile(rf"""\.(status|state)\s*(==|!=|in|not in)\s*\(?\s*['"]({states})['"]""")
    found = [f"{p.relative_to(TEMPLATES)}:{n}" for p in sorted(TEMPLATES.rglob("*.html"))
             for n, line in enumerate(p.read_text().splitlines(), 1) if spelled.search(line)]
    assert found == [], "ask the model (booking.occupies, promotion.is_final, …) or the domain's constants"


def test_one_clock():
    twins = [path.relative_to(ROOT).as_posix() for path in sorted(ROOT.rglob("*.py"))
             if re.search(r"\bdef (utcnow|utc_now)\b|\butcnow\(", path.read_text())]
    assert twins == [], "read the time with portal.clock.now()"
