"""The audit log viewer: who sees what, filters, order, pages, readable and escaped details."""
import html
import re
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.models.logs import CATEGORIES
from tests.audit_trail import log_rows

T0 = datetime(2026, 1, 10, 6, 0, tzinfo=timezone.utc)
ROW_ID = re.compile(r'data-log-id="(\d+)"')
NEXT = re.compile(r'rel="next" href="([^"]+)"')
PREV = re.compile(r'rel="prev" href="([^"]+)"')


def ids_on(response) -> list[int]:
    return [int(i) for i in ROW_ID.findall(response.get_data(as_text=True))]


def table_and_suggestions(response) -> str:
    body = response.get_data(as_text=True)
    table = body.split('id="log-rows">')[1].split("<nav")[0] if 'id="log-rows">' in body else ""
    return table + body.split('name="action"')[1].split("</select>")[0]  # the events offered as filters


def one_of_each(insert_log, at=T0):
    insert_log([
        {"action": f"{category}_event", "category": category, "created_at": at + timedelta(minutes=n),
         "severity": ("info", "warning", "critical", "info")[n]}
        for n, category in enumerate(CATEGORIES)
    ])


def categories_of(app, ids) -> set[str]:
    rows = {row["id"]: row["category"] for row in log_rows(app)}
    return {rows[i] for i in ids}


@pytest.fixture
def auditor(people, auth):
    person = people("auditor", email="auditor@example.test", name="Ram Auditor")
    auth.login(person.email)
    return person


def test_admin_sees_governance_and_configuration_only(app, client, admin, insert_log):
    one_of_each(insert_log)
    client.get("/audit/")  # a first view: its data_access row must not show on the next
    shown = ids_on(client.get("/audit/"))
    assert categories_of(app, shown) == {"governance", "configuration"}
    everything = log_rows(app)
    assert {r["category"] for r in everything} == set(CATEGORIES)


@pytest.mark.parametrize("category", ["security", "data_access"])
def test_admin_cannot_reach_other_categories_by_a_crafted_query(app, client, admin, insert_log, category):
    one_of_each(insert_log)
    for query in (f"?category={category}", f"?category={category}&category=governance",
                  f"?action={category}_event"):
        response = client.get("/audit/" + query)
        assert categories_of(app, ids_on(response)) <= {"governance", "configuration"}, query
        assert f"{category}_event" not in table_and_suggestions(response)
    suggestions = table_and_suggestions(client.get(f"/audit/?action={category}_event"))
    assert '<option value="governance_event">' in suggestions  # the admin's own actions are offered
    refused = client.get(f"/audit/?category={category}")
    assert refused.status_code == 400 and "Not a valid choice" in refused.get_data(as_text=True)
    assert ids_on(refused) == []
    assert f"{category}_event" not in refused.get_data(as_text=True)


def test_the_query_builder_itself_enforces_visibility(app, insert_log):
    from portal.extensions import db
    from portal.services.audit import audit_log
    from portal.services.audit.audit_log import LogFilter

    one_of_each(insert_log)
    allowed = audit_log.visible_categories({"admin"})
    assert allowed == ("governance", "configuration")
    with app.app_context():
        for asked in (("security",), ("data_access",), ("security", "governance")):
            page = audit_log.log_page(db.session, LogFilter(categories=asked), allowed)
            assert {row.category for row in page.rows} <= set(allowed)
            rows = list(audit_log.log_rows(db.session, LogFilter(categories=asked), allowed))
            assert {row.category for row in rows} <= set(allowed)
        assert audit_log.visible_categories({"stylist", "customer"}) == ()
        assert audit_log.log_page(db.session, LogFilter(), ()).rows == []
        assert audit_log.visible_categories({"admin", "auditor"}) == CATEGORIES


def test_auditor_sees_all_four_categories(app, client, auditor, insert_log):
    one_of_each(insert_log)
    shown = ids_on(client.get("/audit/"))
    assert categories_of(app, shown) == set(CATEGORIES)


@pytest.mark.parametrize("role", ["stylist", "customer"])
def test_other_roles_are_refused(client, people, auth, role):
    person = people(role)
    auth.login(person.email)
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/audit/?category=security")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")


def test_newest_first_with_id_breaking_ties(app, client, auditor, insert_log):
    insert_log([{"action": "tie", "category": "governance", "created_at": T0} for _ in range(5)]
               + [{"action": "older", "category": "governance", "created_at": T0 - timedelta(seconds=1)}]
               + [{"action": "newer", "category": "governance", "created_at": T0 + timedelta(seconds=1)}])
    shown = ids_on(client.get("/audit/?category=governance&per_page=100"))
    rows = {r["id"]: r for r in log_rows(app)}
    keys = [(rows[i]["created_at"], i) for i in shown]
    assert keys == sorted(keys, reverse=True)
    assert [rows[i]["action"] for i in shown if rows[i]["action"] in ("tie", "older", "newer")] == (
        ["newer"] + ["tie"] * 5 + ["older"])


def test_walking_the_pages_yields_each_row_once(app, client, auditor, insert_log):
    insert_log([{"action": "same_instant", "category": CATEGORIES[n % 4], "created_at": T0,
                 "details": {"n": n}} for n in range(130)])
    before = {r["id"] for r in log_rows(app)}
    seen, url, pages = [], "/audit/?per_page=25", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        if pages == 0:
            assert re.search(r"Rows 1–25 of 13\d", body)
        seen += ids_on(response)
        match = NEXT.search(body)
        url = html.unescape(match.group(1)) if match else None
        pages += 1
    assert len(seen) == len(set(seen))  # no row twice
    first_view = min(r["id"] for r in log_rows(app, action="audit_log_viewed"))
    assert set(seen) == before | {first_view}  # none skipped; later views are newer than the walk
    assert pages == 6

    # And back again from the last page with "Newer": each row once, in order.
    response = client.get(f"/audit/?per_page=25&before={min(seen)}")  # not a cursor: refused
    assert response.status_code == 400
    last = client.get("/audit/?per_page=25")
    body = last.get_data(as_text=True)
    while NEXT.search(body):
        last = client.get(html.unescape(NEXT.search(body).group(1)))
        body = last.get_data(as_text=True)
    back = ids_on(last)
    while PREV.search(body):
        response = client.get(html.unescape(PREV.search(body).group(1)))
        body = response.get_data(as_text=True)
        back = ids_on(response) + back
    assert len(back) == len(set(back))
    assert set(seen) <= set(back)


def test_filters_by_category_severity_action_and_actor(app, client, auditor, people, insert_log):
    other = people("admin", email="sita.sharma@example.test", name="Sita Sharma")
    insert_log([
        {"action": "promotion_approved", "category": "governance", "created_at": T0, "admin_user_id": other.id},
        {"action": "override_created", "category": "configuration", "created_at": T0, "severity": "warning",
         "admin_user_id": other.id},
        {"action": "override_created", "category": "configuration", "created_at": T0},
        {"action": "login_failed", "category": "security", "created_at": T0, "severity": "warning"},
    ])
    rows = {r["id"]: r for r in log_rows(app)}

    def shown(query):
        response = client.get("/audit/?" + query)
        assert response.status_code == 200, response.get_data(as_text=True)
        return [rows[i] for i in ids_on(response) if i in rows]

    assert {r["category"] for r in shown("category=configuration")} == {"configuration"}
    assert {r["action"] for r in shown("severity=warning")} == {"override_created", "login_failed"}
    assert [r["action"] for r in shown("action=Override_Created")] == ["override_created"] * 2
    for term in ("sita.sharma@", "SHARMA", "sita s"):
        assert {r["admin_user_id"] for r in shown(f"actor={term}")} == {other.id}
    assert shown("actor=%25") == [] and shown("actor=_") == []  # LIKE wildcards are literal
    combined = shown("category=configuration&severity=warning&actor=sita")
    assert [r["action"] for r in combined] == ["override_created"]


def test_date_range_is_in_the_portal_time_zone(app, client, auditor, insert_log):
    # 18:20 UTC on 1 March is 00:05 on 2 March in Kathmandu (UTC+05:45).
    insert_log([
        {"action": "late_utc", "category": "governance", "created_at": datetime(2026, 3, 1, 18, 20, tzinfo=timezone.utc)},
        {"action": "early_utc", "category": "governance", "created_at": datetime(2026, 3, 1, 18, 10, tzinfo=timezone.utc)},
    ])
    rows = {r["id"]: r["action"] for r in log_rows(app)}

    def actions(query):
        return {rows[i] for i in ids_on(client.get("/audit/?" + query)) if i in rows}

    assert actions("date_from=2026-03-02&date_to=2026-03-02") == {"late_utc"}
    assert actions("date_from=2026-03-01&date_to=2026-03-01") == {"early_utc"}
    assert actions("date_to=2026-03-01") == {"early_utc"}
    assert actions("date_from=2026-03-01") == {"late_utc", "early_utc"}
    assert actions("date_from=2026-02-28&date_to=2026-03-02") == {"late_utc", "early_utc"}


def test_bad_filters_get_a_message_and_no_rows(app, client, auditor, insert_log):
    one_of_each(insert_log)
    views = len(log_rows(app, action="audit_log_viewed"))
    for query, message in (
        ("date_from=2026-03-05&date_to=2026-03-01", "The end date is before the start date."),
        ("date_from=yesterday", "Enter the date as year-month-day, e.g. 2026-12-07, or a BS date with “BS” before it, e.g. BS 2083-08-21."),
        ("severity=loud", "Not a valid choice."),
        ("per_page=0", "Number must be between 1 and 500."),
        ("action=DROP TABLE", "Choose an event from the list."),
        ("before=abc", "The page position in the address is not valid"),
        ("before=999999999999999999999999-1", "The page position in the address is not valid"),
        ("after=1-99999999999999999999999", "The page position in the address is not valid"),
        ("before=١٢-٣", "The page position in the address is not valid"),
        ("date_from=0001-01-01", "Enter a date between 1970 and 9998."),
        ("date_to=9999-12-31", "Enter a date between 1970 and 9998."),
        ("per_page=100000000000000000000000", "Number must be between 1 and 500."),
        ("actor=a%00b", "This holds a NUL character"),  # refused before the view (portal/request_input.py)
        ("actor=a%01b", "Control characters cannot be searched."),
    ):
        response = client.get("/audit/?" + query)
        body = response.get_data(as_text=True)
        assert response.status_code == 400, query
        assert message in body, query
        assert ids_on(response) == []
    assert len(log_rows(app, action="audit_log_viewed")) == views  # nothing written


def test_viewing_is_logged_with_the_filters(app, client, auditor):
    client.get("/audit/?category=security&severity=warning&actor=ram&date_from=2026-01-01")
    [row] = log_rows(app, action="audit_log_viewed")
    assert row["category"] == "data_access" and row["admin_user_id"] == auditor.id
    assert row["details"]["filters"] == {
        "categories": ["security"], "severity": "warning", "actor": "ram", "date_from": "2026-01-01",
        "timezone": "Asia/Kathmandu",
    }
    assert row["ip_address"] is not None and row["user_agent"]


def test_details_are_pretty_printed_and_escaped(app, client, auditor, insert_log):
    insert_log([{"action": "override_created", "category": "configuration", "created_at": T0,
                 "details": {"reason": "<script>alert('x')</script>", "नाम": "दशैं"},
                 "user_agent": "<img src=x onerror=alert(1)>"}])
    body = client.get("/audit/").get_data(as_text=True)
    assert "<script>alert(" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    assert '{\n  &#34;reason&#34;: &#34;&lt;script&gt;' in body  # indented JSON, keys sorted
    assert "दशैं" in body  # readable, not \\u escapes


FILTER_NAMES = ("category", "severity", "action", "actor", "date_from", "date_to", "per_page", "before", "after")


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.dictionaries(st.sampled_from(FILTER_NAMES),
                             st.one_of(st.text(max_size=30), st.from_regex(r"\A[0-9-]{1,30}\Z")), max_size=5))
def test_any_query_string_gets_a_page_or_a_400_never_an_error(client, auditor, query):
    for path in ("/audit/", "/audit/export.csv"):
        response = client.get(path, query_string=query)
        assert response.status_code in (200, 400), (path, query, response.status_code)
        response.close()
