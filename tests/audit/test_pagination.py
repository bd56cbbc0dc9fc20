"""Keyset pages at the service level: any mix of ties, any page size, each row exactly once."""
import itertools
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.extensions import db
from portal.models.logs import CATEGORIES
from portal.services.audit import audit_log
from portal.services.audit.audit_log import Cursor, LogFilter

T0 = datetime(2026, 4, 1, tzinfo=timezone.utc)
_run = itertools.count()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offsets=st.lists(st.integers(0, 3), min_size=0, max_size=40), per_page=st.integers(1, 7))
def test_walking_forward_and_back_yields_each_row_once_in_order(app, insert_log, offsets, per_page):
    action = f"walk_{next(_run)}"  # the log is append-only: each example reads its own rows
    insert_log([{"action": action, "category": "governance", "created_at": T0 + timedelta(milliseconds=o)}
                for o in offsets])
    wanted = LogFilter(action=action)
    with app.app_context():
        forward, page = [], audit_log.log_page(db.session, wanted, CATEGORIES, per_page=per_page)
        pages = [page]
        forward += page.rows
        while page.older:
            page = audit_log.log_page(db.session, wanted, CATEGORIES, per_page=per_page, before=page.older)
            pages.append(page)
            forward += page.rows
        backward = list(page.rows)
        while page.newer:
            page = audit_log.log_page(db.session, wanted, CATEGORIES, per_page=per_page, after=page.newer)
            backward = list(page.rows) + backward

    keys = [(row.created_at, row.id) for row in forward]
    assert len(keys) == len(set(keys)) == len(offsets)
    assert keys == sorted(keys, reverse=True)
    assert [row.id for row in backward] == [row.id for row in forward]
    assert all(p.total == len(offsets) for p in pages)
    assert [p.start for p in pages] == [per_page * n for n in range(len(pages))]
    for row in forward:
        assert Cursor.parse(str(Cursor.of(row))) == Cursor.of(row)
