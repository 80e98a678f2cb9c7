"""The risk analysis pages as analysts and officers use them, on the demo data."""

from __future__ import annotations

import re
from typing import Any

import pytest

from chegara.db.session import Database
from chegara.security import audit
from web_helpers import sign_in_form


@pytest.fixture
def analysis_demo(demo: Database) -> Database:
    from chegara.demo.analysis import load_analysis_demo

    with demo.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("test:demo"))
        load_analysis_demo(session, demo.settings, with_products=False)
    return demo




def test_situational_picture_and_every_page(client: Any, analysis_demo: Database) -> None:
    sign_in_form(client, "ncc.analyst")
    picture = client.get("/analysis")
    assert picture.status_code == 200, picture.text
    html = picture.text
    assert 'class="border-map"' in html and 'data-section="KG-TJ Batken"' in html
    assert html.count('class="sparkline"') >= 8
    # The demo approved "critical" for Batken on the Tajik border: the map line is red.
    assert re.search(r'class="section level-critical" data-section="KG-TJ Batken"', html)
    assert "Torugart" in html and "overdue=true" in html
    customs_id = re.search(r'<option value="(\d+)"[^>]*>KG-CUSTOMS</option>', html)
    assert customs_id
    filtered = client.get(f"/analysis?agency={customs_id.group(1)}&days=365").text
    assert "goods smuggling" in filtered or "контрабанда товаров" in filtered
    assert "illegal border crossing" not in filtered.split("Recent incidents")[-1]
    for path in ("/analysis/incidents", "/analysis/incidents?overdue=true",
                 "/analysis/indicators", "/analysis/indicators?by=nationality",
                 "/analysis/analytics?indicator=refusals_of_entry",
                 "/analysis/ciram", "/analysis/products", "/analysis/geography"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
    analytics = client.get("/analysis/analytics").text
    assert "Getis-Ord Gi*" in analytics and "Farrington" in analytics and "STL" in analytics
    ciram = client.get("/analysis/ciram").text
    assert "Foot-and-mouth" in ciram  # the proposal waiting for approval is in the history


def test_the_incident_list_pages_forward_and_back(client: Any, analysis_demo: Database) -> None:
    sign_in_form(client, "border.officer")
    first = client.get("/analysis/incidents")
    following = re.search(r'<a href="(\?[^"]*offset=50)">', first.text)
    assert following, "no link to the next page"
    second = client.get("/analysis/incidents" + following.group(1).replace("&amp;", "&"))
    assert second.status_code == 200, second.text[:300]
    back = re.search(r'<a href="(\?[^"]*offset=0)">', second.text)
    assert back, "no link back to the first page"
    again = client.get("/analysis/incidents" + back.group(1).replace("&amp;", "&"))
    assert again.status_code == 200
    assert re.findall(r'/analysis/incidents/(\d+)"', again.text) == re.findall(
        r'/analysis/incidents/(\d+)"', first.text)


def test_officer_reports_an_incident_through_the_form(client: Any,
                                                      analysis_demo: Database) -> None:
    csrf = sign_in_form(client, "border.officer")
    response = client.post("/analysis/incidents", data={
        "csrf_token": csrf, "incident_type": "refusal_of_entry", "refusal_reason": "C",
        "occurred_at": "2026-01-05T10:30", "section": "KG-UZ Osh", "crossing_point": "DOSTUK",
        "persons": "1", "nationality": "afg", "impact": "high", "confidence": "high",
        "source_reliability": "A", "information_credibility": "1",
        "summary": "No visa", "distribution": "national", "tlp": "green"},
        follow_redirects=False)
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"]).text
    assert "Dostuk" in page and "AFG" in page
    assert "overdue" in page or "просрочено" in page
    bad = client.post("/analysis/incidents", data={
        "csrf_token": csrf, "incident_type": "refusal_of_entry", "occurred_at":
        "2026-01-05T10:30", "section": "KG-UZ Osh"})
    assert bad.status_code == 422 and "A-I" in bad.text
    # Officers may not generate products or assess.
    assert client.post("/analysis/products", data={"csrf_token": csrf, "kind": "bulletin",
                                                   "period": "2026-01"}).status_code == 403
    assert client.get("/analysis/ciram").status_code == 200


def test_analyst_assesses_and_supervisor_approves_the_level(client: Any,
                                                            analysis_demo: Database) -> None:
    csrf = sign_in_form(client, "border.analyst")
    fields = {f"v_{item}": "2" for item in ("staff", "equipment", "surveillance_coverage",
                                             "response_time")}
    fields |= {f"i_{d}": "2" for d in ("border_security", "internal_security", "humanitarian",
                                       "economy_and_trade", "public_health")}
    made = client.post("/analysis/ciram/assessments", data={
        "csrf_token": csrf, "section": "KG-KZ Talas", "threat": "illegal_stay",
        "period": "2026-Q4", "magnitude": "5", "likelihood": "5", **fields,
        "distribution": "national", "tlp": "green"}, follow_redirects=False)
    assert made.status_code == 303, made.text
    proposed = client.post("/analysis/sections/impact-level", data={
        "csrf_token": csrf, "section": "KG-KZ Talas", "level": "medium",
        "reason": "overstays rising"}, follow_redirects=False)
    assert proposed.status_code == 303, proposed.text
    client.post("/logout", data={"csrf_token": csrf})
    sign_in_form(client, "border.supervisor")
    inbox = client.get("/approvals").text
    assert "KG-KZ Talas" in inbox
