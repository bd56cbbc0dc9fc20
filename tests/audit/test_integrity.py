"""Audit integrity: the row travels with its change, every committing use-case is audited.

The walk below reads every module of `portal/services/` (those other issues add
included): a public function that commits — itself (a `use_case` block, or a bare
`commit()`), or through a helper of its module — must be marked `@audited(...)` (and reach a log writer) or
`@audit_exempt("why")`. A new use-case that forgets its row fails here; one that
is marked but commits without writing its row fails at run time (`AuditGap`,
strict under `TESTING`) in whichever test calls it.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import logging
import pkgutil
import textwrap
import types
import uuid
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import event, insert, select, text, update
from sqlalchemy.exc import DBAPIError

import portal.services
from portal.actor import Actor
from portal.extensions import db
from portal.models import ScheduleChangeLog, ServiceManagementLog, UserProfile
from portal.services.audit import AuditGap, audit_exempt, audit_spec, audited, log_event
from portal.services.identity import accounts
from tests.audit_trail import log_rows
from tests.factories import Factory

WRITERS = {"log_event", "record_security_event", "ScheduleChangeLog", "ServiceManagementLog"}


def service_modules() -> list[types.ModuleType]:
    return [importlib.import_module(info.name)
            for info in pkgutil.walk_packages(portal.services.__path__, "portal.services.")]


def _calls(node) -> tuple[bool, set[str]]:
    """Whether `node` commits directly, and the plain names it calls."""
    commits, names = False, set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            target = sub.func
            if isinstance(target, ast.Attribute):
                names.add(target.attr)
                commits |= target.attr in ("commit", "begin")
            elif isinstance(target, ast.Name):
                names.add(target.id)
                commits |= target.id == "use_case"  # the one transaction helper commits
    return commits, names


def unaudited_commits(module: types.ModuleType, source: str | None = None) -> dict[str, str]:
    """Public functions of `module` that commit but are not properly marked -> why."""
    tree = ast.parse(source if source is not None else inspect.getsource(module))
    nodes = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            nodes[node.name] = node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    nodes[f"{node.name}.{item.name}"] = item
    direct = {name: _calls(node) for name, node in nodes.items()}

    def reach(name: str, wanted, seen: set[str]) -> bool:
        if name in seen or name not in direct:
            return False
        seen.add(name)
        commits, called = direct[name]
        return wanted(commits, called) or any(reach(c, wanted, seen) for c in called if c in direct)

    audited_names = {
        f"{m.__name__}.{n}" for m in service_modules() for n, f in vars(m).items()
        if inspect.isfunction(f) and (audit_spec(f) and not audit_spec(f).exempt)
    }
    writers = WRITERS | {qualified.rsplit(".", 1)[1] for qualified in audited_names}

    problems = {}
    for name in nodes:
        if any(part.startswith("_") for part in name.split(".")):
            continue
        if not reach(name, lambda commits, called: commits, set()):
            continue
        obj = module
        for part in name.split("."):
            obj = getattr(obj, part, None)
        spec = audit_spec(obj) if obj is not None else None
        if spec is None:
            problems[name] = "commits without @audited(...) or @audit_exempt(...)"
        elif not spec.exempt and not reach(name, lambda commits, called: bool(called & writers), set()):
            problems[name] = "is @audited but never calls log_event (or another audited writer)"
    return problems


def test_every_committing_service_function_is_audited():
    modules = service_modules()
    assert {"accounts", "audit", "audit_log", "security"} <= {m.__name__.rsplit(".", 1)[1] for m in modules}
    problems = {f"{m.__name__}.{name}": why for m in modules for name, why in unaudited_commits(m).items()}
    assert problems == {}, "mark each use-case (see docs/audit.md): " + repr(problems)
    # The marks are where the walk expects them.
    assert audit_spec(accounts.register_user).actions == ("user_created",)
    assert audit_spec(accounts.start_session).exempt and audit_spec(accounts.create_user).exempt


def test_the_walk_catches_a_use_case_that_forgets_its_row():
    source = textwrap.dedent('''
        def forgotten(session):
            session.add(object())
            session.commit()

        def _helper(session):
            session.commit()

        def indirect(session):
            _helper(session)

        def marked_but_silent(session):
            session.commit()

        def reads_only(session):
            return session.scalars(None)

        def via_use_case(session):
            with use_case(session, lock=True):
                session.add(object())

        class Budgets:
            def spend(self, session):
                with session.begin():
                    pass
    ''')
    module = types.ModuleType("portal.services.example")

    def silent(session):
        session.commit()

    module.forgotten = module.indirect = module.reads_only = module.via_use_case = lambda session: None
    module.marked_but_silent = audited(category="configuration", action="x")(silent)
    module.Budgets = type("Budgets", (), {"spend": lambda self, session: None})
    problems = unaudited_commits(module, source)
    assert set(problems) == {"forgotten", "indirect", "marked_but_silent", "Budgets.spend", "via_use_case"}
    assert "never calls log_event" in problems["marked_but_silent"]


def _user(email: str) -> UserProfile:
    return UserProfile(email=email, display_name="Someone")


def test_audited_call_that_commits_without_its_row_is_an_audit_gap(app):
    @audited(category="configuration", action="thing_changed")
    def forgets(session):
        session.add(_user("forgot@example.test"))
        session.commit()

    @audited(category="configuration", action="thing_changed")
    def logs_twice(session):
        session.add(_user("twice@example.test"))
        log_event(session, Actor.system(), action="thing_changed", category="configuration")
        log_event(session, Actor.system(), action="thing_changed", category="configuration")
        session.commit()

    @audited(category="configuration", action="thing_changed")
    def right(session):
        session.add(_user("right@example.test"))
        log_event(session, Actor.system(), action="thing_changed", category="configuration")
        session.commit()

    @audited(category="configuration", action="thing_changed")
    def changes_nothing(session):
        session.scalars(select(UserProfile)).all()
        session.commit()

    with app.app_context():
        with pytest.raises(AuditGap, match="forgets committed 1 change.s. with 0 audit row"):
            forgets(db.session)
        with pytest.raises(AuditGap, match="with 2 audit row"):
            logs_twice(db.session)
        right(db.session)
        changes_nothing(db.session)
    assert len(log_rows(app, action="thing_changed")) == 3  # 2 + 1: the gaps were committed, and caught


def test_schedule_change_log_rows_and_core_inserts_count_as_audit_rows(app):
    @audited(category="configuration", action="schedule_update")
    def edit_hours(session, stylist_id):
        session.add(ScheduleChangeLog(stylist_user_id=stylist_id, change_date=date(2026, 5, 1),
                                      change_type="schedule_update", new_values={"start": "10:00"}))
        session.commit()

    @audited(category="configuration", action="service_changed")
    def core_insert(session):
        session.execute(update(UserProfile).where(UserProfile.email == "nobody@example.test").values(is_active=False))
        session.execute(insert(ServiceManagementLog).values(action="service_changed", category="configuration"))
        session.commit()

    @audited(category="configuration", action="bio_changed")
    def edit_bio_silently(session, profile):
        profile.bio = "changed without a row"
        session.commit()

    with app.app_context():
        profile = Factory(db.session).stylist()
        edit_hours(db.session, profile.user_id)
        core_insert(db.session)
        with pytest.raises(AuditGap, match="edit_bio_silently committed 1 change"):
            edit_bio_silently(db.session, profile)
    assert len(log_rows(app, action="service_changed")) == 1


def test_audit_gap_is_logged_not_raised_when_not_strict(app, caplog, monkeypatch):
    app.config["AUDIT_STRICT"] = False
    # Alembic's fileConfig (the migrations ran in this process) disables existing loggers.
    monkeypatch.setattr(logging.getLogger("portal.services.audit"), "disabled", False)

    @audited(category="configuration", action="thing_changed")
    def forgets(session):
        session.add(_user("lenient@example.test"))
        session.commit()

    with app.app_context(), caplog.at_level(logging.ERROR, logger="portal.services.audit"):
        forgets(db.session)
    assert "audit gap" in caplog.text and "forgets" in caplog.text


def test_exemptions_must_say_why():
    with pytest.raises(ValueError):
        audit_exempt("  ")
    with pytest.raises(ValueError):
        audited(category="gossip")


def test_a_change_that_rolls_back_leaves_no_audit_row(app):
    with app.app_context():
        db.session.add(_user("rolled@example.test"))
        log_event(db.session, Actor.system(), action="user_created", category="governance",
                  details={"email": "rolled@example.test"})
        db.session.flush()  # the row reached the database inside the transaction...
        db.session.rollback()  # ...and leaves with it
    assert [r for r in log_rows(app) if (r["details"] or {}).get("email") == "rolled@example.test"] == []


def test_a_service_whose_commit_fails_leaves_no_audit_row(app, raw):
    """register_user checks the email is free; another client takes it before the commit."""
    with app.app_context():
        session = db.session()

        def someone_else_takes_the_email(session, flush_context, instances):
            raw.execute(text("INSERT INTO user_profiles (id, email, display_name) VALUES (:id, :email, 'Racer')"),
                        {"id": str(uuid.uuid4()), "email": "race@example.test"})

        event.listen(session, "before_flush", someone_else_takes_the_email, once=True)
        with pytest.raises(DBAPIError):
            accounts.register_user(session, Actor.system("test"), "race@example.test", "Late", "admin", None)
        session.rollback()
        users = session.scalars(select(UserProfile).where(UserProfile.email == "race@example.test")).all()
        assert [u.display_name for u in users] == ["Racer"]
    assert log_rows(app, action="user_created") == []


def test_each_committed_service_change_has_exactly_one_row(app):
    operator = Actor(None, "operator", "10.0.0.5", "cli")
    with app.app_context():
        created = [accounts.register_user(db.session, operator, f"{role}@example.test", role.title(), role, None).id
                   for role in ("admin", "stylist", "auditor")]
        accounts.create_user(db.session, "fixture@example.test", "Fixture", "customer", None)  # exempt: no row
    rows = log_rows(app, action="user_created")
    assert [r["target_id"] for r in rows] == created
    assert {r["category"] for r in rows} == {"governance"}
    assert [r["details"]["role"] for r in rows] == ["admin", "stylist", "auditor"]
    assert {(str(r["ip_address"]), r["user_agent"]) for r in rows} == {("10.0.0.5", "cli")}
    assert len(log_rows(app)) == 3


def test_cli_create_user_is_logged_as_the_command(app, runner):
    result = runner.invoke(args=["create-user", "cli@example.test", "--name", "Cli", "--role", "auditor",
                                 "--password", "long enough pw"])
    assert result.exit_code == 0, result.output
    [row] = log_rows(app, action="user_created")
    assert row["admin_user_id"] is None and row["details"] == {"email": "cli@example.test", "role": "auditor"}


def test_the_log_is_append_only(app, raw, insert_log):
    insert_log([{"action": "user_created", "category": "governance", "created_at": datetime.now(timezone.utc)}])
    table = raw.private("service_management_log")
    for statement in (f"UPDATE {table} SET action = 'tampered'", f"DELETE FROM {table}"):
        with pytest.raises(DBAPIError):
            raw.execute(text(statement))
    assert [r["action"] for r in log_rows(app)] == ["user_created"]
