"""The reports page: who may read it, its period form, charts whose numbers are the tables',
and CSV downloads that are logged (viewing is not)."""
from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import pytest

from tests.helpers import count, sign_in
from tests.reports import salon as fixed
from tests.web import csrf_token

MANGSIR = "/reports/?period=bs_month&bs_month=2083-08"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def salon(factory, raw):
    return fixed.build(factory, raw)


def charts(page: str) -> dict[str, ET.Element]:
    """Every inline SVG of the page, parsed as XML (so each is well-formed)."""
    found = {}
    for text in re.findall(r"<svg.*?</svg>", page, flags=re.S):
        root = ET.fromstring(text)
        found[root.get("data-chart")] = root
    return found


def table_values(page: str, table_id: str) -> dict[str, str]:
    body = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, flags=re.S).group(0)
    return {key: value for key, value in re.findall(r'data-(?:day|stylist)="([^"]*)" data-value="([^"]*)"', body)}


def test_admin_reads_the_report_with_charts_matching_tables(client, auth, salon, raw):
    sign_in(auth, salon.staff.email)
    before = count(raw, raw.private("service_management_log"), "category = 'data_access'")
    response = client.get(MANGSIR)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-figure="revenue">Rs 13,000<' in page and 'data-figure="average">Rs 1,625<' in page
    assert 'data-figure="source-desk">6<' in page and 'data-figure="source-online">10<' in page
    assert 'data-figure="no-shows">2<' in page and 'data-figure="cancelled-customer_link">1<' in page
    found = charts(page)
    assert set(found) == {"revenue", "utilisation", "busy_hours"}
    for chart in found.values():  # an image with a title and a description for screen readers
        assert chart.get("role") == "img"
        labelled = chart.get("aria-labelledby").split()
        assert [chart.find(f"{SVG}title").get("id"), chart.find(f"{SVG}desc").get("id")] == labelled
        assert chart.find(f"{SVG}title").text.strip() and chart.find(f"{SVG}desc").text.strip()
    bars = {r.get("data-day"): r.get("data-value") for r in found["revenue"].iter(f"{SVG}rect")}
    assert len(bars) == 29 and bars == table_values(page, "revenue-table")
    assert bars["2026-11-17"] == "200000"
    uses = {r.get("data-stylist"): r.get("data-value") for r in found["utilisation"].iter(f"{SVG}rect")
            if r.get("data-stylist")}
    assert uses == table_values(page, "use-table") == {"Asha": "2.3", "Bina": "6.0"}
    cells = {(c.get("data-weekday"), c.get("data-hour")): c.get("data-value") for c in found["busy_hours"].iter(f"{SVG}rect")}
    table = dict(((w, h), v) for w, h, v in re.findall(r'data-weekday="(\d)" data-hour="(\d+)" data-value="(\d+)"',
                                                      re.search(r'id="busy-table".*?</table>', page, re.S).group(0)))
    assert cells == table and cells[("3", "9")] == "2"
    # viewing is not logged
    assert count(raw, raw.private("service_management_log"), "category = 'data_access'") == before


def test_nepali_digits_and_month_names(client, auth, salon):
    sign_in(auth, salon.staff.email)
    client.post("/language", data={"language": "ne", "csrf_token": csrf_token(client)})
    page = client.get(MANGSIR).get_data(as_text=True)
    assert "मंसिर २०८३" in page and "रु १३,०००" in page
    revenue = charts(page)["revenue"]
    assert any("रु" in (t.text or "") for t in revenue.iter(f"{SVG}text"))


def test_a_download_is_logged_and_its_numbers_are_the_pages(client, auth, salon, raw):
    sign_in(auth, salon.staff.email)
    response = client.get(MANGSIR.replace("/reports/", "/reports/utilisation.csv"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1:] == [["Asha", "220", "9730", "2.3"], ["Bina", "630", "10440", "6.0"]]
    logged = raw.exec_driver_sql(
        f"SELECT action, details FROM {raw.private('service_management_log')} WHERE category = 'data_access'").all()
    assert [a for a, _ in logged] == ["report_exported"]
    assert '"utilisation"' in str(logged[0][1]) or "utilisation" in str(logged[0][1])
    revenue = client.get(MANGSIR.replace("/reports/", "/reports/revenue.csv")).get_data(as_text=True)
    assert "2026-11-17,1 Mangsir 2083,2,2000.00" in revenue


def test_an_auditor_reads_and_a_stylist_may_not(client, auth, factory, salon):
    auditor = factory.user("auditor")
    sign_in(auth, auditor.email)
    assert client.get(MANGSIR).status_code == 200
    auth.logout()
    stylist = factory.user("stylist")
    sign_in(auth, stylist.email)
    assert client.get(MANGSIR).status_code == 403
    assert client.get("/reports/summary.csv").status_code == 403


@pytest.mark.parametrize("query,field_text", [
    ("period=range&start=2026-01-01&end=2027-01-05", "at most 366 days"),
    ("period=range&start=2026-02-01&end=2026-01-01", "must not be before"),
    ("period=bs_month&bs_month=1999-13", "Not a valid choice"),
    ("period=month&month=2026-12&stylist=not-a-stylist", "Not a valid choice"),
])
def test_bad_choices_are_a_400_with_the_fields_message(client, auth, salon, query, field_text):
    sign_in(auth, salon.staff.email)
    response = client.get(f"/reports/?{query}")
    assert response.status_code == 400
    assert field_text in response.get_data(as_text=True)
    assert client.get(f"/reports/revenue.csv?{query}").status_code == 400


def test_the_default_is_this_bs_month(client, auth, salon):
    sign_in(auth, salon.staff.email)
    page = client.get("/reports/").get_data(as_text=True)
    assert re.search(r'<option selected value="\d{4}-\d\d">', page)
    assert 'id="period-title"' in page


def test_services_go_by_their_nepali_names_on_nepali_pages_and_downloads(client, auth, salon, raw):
    raw.exec_driver_sql("UPDATE services SET name_ne = 'कपाल काट्ने' WHERE name = 'Cut'")
    sign_in(auth, salon.staff.email)
    english = client.get(MANGSIR).get_data(as_text=True)
    assert "कपाल काट्ने" not in re.search(r'id="services-table".*?</table>', english, re.S).group(0)
    client.post("/language", data={"language": "ne", "csrf_token": csrf_token(client)})
    page = client.get(MANGSIR).get_data(as_text=True)
    table = re.search(r'id="services-table".*?</table>', page, re.S).group(0)
    assert "कपाल काट्ने" in table and "Colour" in table  # no Nepali name set: the English one
    assert '>कपाल काट्ने</option>' in page  # the service filter too
    download = client.get(MANGSIR.replace("/reports/", "/reports/services.csv")).get_data(as_text=True)
    assert "कपाल काट्ने" in download
