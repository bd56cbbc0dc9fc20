"""Every use-case has one transaction shape and one refusal shape (docs/architecture.md).

The walk reads every module of `portal/services/` (new ones included):

- nothing calls `commit()`, `rollback()`, `begin()` or `write_lock()` itself: a
  committing service goes through `portal.database.use_case` (a reader that only
  needs a newer snapshot calls `fresh_snapshot`);
- every exception a service raises is a `Refused` (or a factory returning one),
  a bare re-raise, or one of the few programming errors listed below with why.
"""
from __future__ import annotations

import ast
import builtins
import importlib
import inspect
import pkgutil
import types
import typing

import portal.services
import portal.slots
from portal.domain.refusals import Refused

SLOT_PATH: set[str] = set()  # issue 16's modules follow the rules too (no exemption)

# Not refusals but mistakes of the calling code: no person can cause them.
PROGRAMMING_ERRORS = {
    ("budgets", "_now", "ValueError"): "a naive `now` passed by code",
}

FORBIDDEN_CALLS = {"commit", "rollback", "begin", "write_lock"}


def service_modules() -> list[types.ModuleType]:
    """portal/services/ and the slots package (whose store alone writes: test_slots_layout)."""
    return [importlib.import_module(info.name)
            for info in pkgutil.walk_packages(portal.services.__path__, "portal.services.") if info.name not in SLOT_PATH] + [
        importlib.import_module(f"portal.slots.{info.name}")
        for info in pkgutil.iter_modules(portal.slots.__path__) if not info.name.startswith("store")
    ] + [portal.slots]


def _functions(tree: ast.Module):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def own_transactions(module: types.ModuleType, source: str | None = None) -> list[str]:
    """`function: call` for each commit/rollback/begin/write_lock written in the module."""
    tree = ast.parse(source if source is not None else inspect.getsource(module))
    found = []
    for function in _functions(tree):
        for node in ast.walk(function):
            if isinstance(node, ast.Call):
                name = (node.func.attr if isinstance(node.func, ast.Attribute)
                        else node.func.id if isinstance(node.func, ast.Name) else None)
                if name in FORBIDDEN_CALLS:
                    found.append(f"{function.name}: {name}()")
    return found


def _resolve(module: types.ModuleType, expr: ast.expr):
    if isinstance(expr, ast.Name):
        return getattr(module, expr.id, getattr(builtins, expr.id, None))
    if isinstance(expr, ast.Attribute):
        owner = _resolve(module, expr.value)
        return getattr(owner, expr.attr, None) if owner is not None else None
    return None


def _is_refusal(module: types.ModuleType, raised: ast.expr) -> bool:
    target = raised.func if isinstance(raised, ast.Call) else raised
    obj = _resolve(module, target)
    if inspect.isclass(obj):
        return issubclass(obj, Refused)
    if callable(obj):  # a factory (or classmethod) that builds the refusal
        if inspect.ismethod(obj) and inspect.isclass(obj.__self__):
            return issubclass(obj.__self__, Refused)
        returns = typing.get_type_hints(obj).get("return")
        return inspect.isclass(returns) and issubclass(returns, Refused)
    return False


def _called_names(node: ast.AST) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            target = sub.func
            names.add(target.attr if isinstance(target, ast.Attribute)
                      else target.id if isinstance(target, ast.Name) else "")
    return names


def use_case_functions(tree: ast.Module) -> dict[str, ast.AST]:
    """The module's functions that open a `use_case`, and the module helpers they call."""
    nodes = {f.name: f for f in _functions(tree)}
    calls = {name: _called_names(node) for name, node in nodes.items()}
    reached: dict[str, ast.AST] = {}
    pending = [name for name, called in calls.items() if "use_case" in called]
    while pending:
        name = pending.pop()
        if name in reached:
            continue
        reached[name] = nodes[name]
        pending.extend(c for c in calls[name] if c in nodes)
    return reached


def foreign_raises(module: types.ModuleType, source: str | None = None) -> list[str]:
    """`function: raise X` for each raise, in a use-case or a helper it calls, of
    something outside the refusal family."""
    short = module.__name__.rsplit(".", 1)[1]
    tree = ast.parse(source if source is not None else inspect.getsource(module))
    found = []
    for name, function in sorted(use_case_functions(tree).items()):
        for node in ast.walk(function):
            if not isinstance(node, ast.Raise) or node.exc is None:
                continue  # a bare `raise` passes on what it caught
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            raised = ast.unparse(target)
            if (short, name, raised) in PROGRAMMING_ERRORS or _is_refusal(module, node.exc):
                continue
            found.append(f"{name}: raise {raised}")
    return found


def test_every_service_uses_the_one_transaction_helper():
    modules = service_modules()
    assert {"promotions", "budgets", "overrides", "schedules", "accounts"} <= {
        m.__name__.rsplit(".", 1)[1] for m in modules}
    problems = {m.__name__: own_transactions(m) for m in modules if own_transactions(m)}
    assert problems == {}, "use `with use_case(session, ...)` (docs/architecture.md): " + repr(problems)


def test_every_service_raises_only_refusals():
    modules = service_modules()
    problems = {m.__name__: foreign_raises(m) for m in modules if foreign_raises(m)}
    assert problems == {}, "raise Refused(...) or a subclass (docs/architecture.md): " + repr(problems)
    # the walk does reach the helpers of the use-cases
    from portal.services.scheduling import budgets
    from portal.services.staffing import promotions

    assert {"request_override", "_check_input", "_exhausted", "_profile", "_now"} <= set(
        use_case_functions(ast.parse(inspect.getsource(budgets))))
    assert {"_transition", "_admin", "get", "_as_uuid"} <= set(
        use_case_functions(ast.parse(inspect.getsource(promotions))))


def test_the_walk_catches_a_ladder_and_a_foreign_exception():
    from portal.services.scheduling import budgets

    source = (
        "def act(session):\n    with use_case(session):\n        pass\n"
        "    try:\n        session.commit()\n    except Exception:\n        session.rollback()\n"
        "def missing(session):\n    with use_case(session):\n        raise LookupError('no such row')\n"
        "def refused(session):\n    with use_case(session):\n        helper()\n"
        "def helper():\n    raise BudgetRefused('CODE', 'No.')\n"
        "def factory(session):\n    with use_case(session):\n        raise _exhausted(session, None, False, None)\n"
        "def again(session):\n    try:\n        with use_case(session):\n            pass\n"
        "    except BudgetRefused:\n        raise\n"
        "def parse(text):\n    raise ValueError('not a use-case: never checked')\n"
    )
    assert own_transactions(budgets, source) == ["act: commit()", "act: rollback()"]
    assert foreign_raises(budgets, source) == ["missing: raise LookupError"]
