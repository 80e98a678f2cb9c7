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
    # The demo approved "critical" for Batken on the Tajik border: the map line says so.
    assert re.search(r'class="section level-critical" data-section="KG-TJ Batken"', html)
    # The page is in Russian (the analyst's language): so are the crossing points on the map.
    assert "Торугарт" in html and "overdue=true" in html
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
    # Every figure names its method, in the reader's language.
    assert "Getis-Ord Gi*" in analytics and "Фаррингтона" in analytics and "STL" in analytics
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


def _switch_language(client: Any, lang: str) -> None:
    client.get(f"/lang/{lang}?next=/", follow_redirects=False)


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["Low", "Medium", "High", "Critical"]),
    ("ru", ["Низкий", "Средний", "Высокий", "Критический"]),
])
def test_the_map_legend_names_all_four_impact_levels(client: Any, analysis_demo: Database,
                                                     lang: str, words: list[str]) -> None:
    sign_in_form(client, "ncc.analyst")
    _switch_language(client, lang)
    html = client.get("/analysis").text
    legend = re.search(r'<ul class="map-legend".*?</ul>', html, re.S)
    assert legend, "the map has no legend"
    items = re.findall(r'data-level="(\w+)">(<svg.*?</svg>) ([^<]+)</li>', legend.group(0))
    assert [(level, word.strip()) for level, _, word in items] == list(
        zip(("low", "medium", "high", "critical"), words, strict=True))
    # Each level has its own line, not only its own colour.
    assert len({sample for _, sample, _ in items}) == 4
    assert len({re.search(r'stroke-width="([\d.]+)" stroke-linejoin="round" '
                          r'stroke-dasharray="([^"]+)"', s).groups()  # type: ignore[union-attr]
                for _, s, _ in items}) == 4


# A level line's colour, width and dash pattern (the casing under it has no dashes).
LEVEL_STYLE = (r'fill="none" stroke="(#[0-9a-f]{6})" stroke-width="([\d.]+)" '
               r'stroke-linejoin="round" stroke-dasharray="([^"]+)"')


def test_the_printed_map_and_the_picture_draw_each_level_alike(
        client: Any, analysis_demo: Database) -> None:
    from chegara.analysis import products
    from chegara.analysis.countsfile import period_label
    from chegara.db.base import utcnow
    from chegara.security import service as security

    sign_in_form(client, "ncc.analyst")
    _switch_language(client, "en")
    picture = client.get("/analysis").text
    now = utcnow()
    with analysis_demo.reader() as session:
        analyst = security.principal_for(session, security.find_user(session, "ncc.analyst"))
        # This month's bulletin: its levels are today's, as on the picture (a past month's
        # bulletin shows the levels of that month).
        printed = products.build_product(
            session, analyst, kind="bulletin", period=period_label(now.year * 12 + now.month - 1),
            edition="restricted", section=None, language="en").html

    def section_lines(html: str) -> dict[str, set[tuple[str, str, str]]]:
        found: dict[str, set[tuple[str, str, str]]] = {}
        for level, *style in re.findall(r'class="section level-(\w+)"[^>]*? ' + LEVEL_STYLE,
                                        html):
            found.setdefault(level, set()).add(tuple(style))
        return found

    def legend_samples(html: str) -> dict[str, tuple[str, ...]]:
        """Each level's sample line, in the page's legend under the map or the product's in it."""
        return {level: tuple(style) for level, *style in re.findall(
            r'class="legend-level" data-level="(\w+)">.*?<polyline ' + LEVEL_STYLE, html, re.S)}

    on_screen, on_paper = section_lines(picture), section_lines(printed)
    assert {"low", "high", "critical"} <= on_screen.keys()
    assert on_screen == on_paper
    # One style per level, the same in the map and in both legends, all four levels apart.
    assert all(len(styles) == 1 for styles in on_screen.values())
    samples = legend_samples(picture)
    assert list(samples) == ["low", "medium", "high", "critical"]
    assert samples == legend_samples(printed)
    assert len(set(samples.values())) == 4
    assert all({samples[level]} == styles for level, styles in on_screen.items())


def test_the_picture_says_which_filters_apply_and_when_nothing_matches(
        client: Any, analysis_demo: Database) -> None:
    sign_in_form(client, "ncc.analyst")
    _switch_language(client, "en")
    html = client.get("/analysis").text
    applied = re.search(r'id="applied-filters">(.*?)</p>', html, re.S)
    assert applied and "all agencies" in applied.group(1) and "last 30 days" in applied.group(1)
    # The sparklines say which months they cover and how high the scale goes.
    months = re.search(r"12 months, (\d{4}-\d{2}) – (\d{4}-\d{2})", html)
    assert months and months.group(1) < months.group(2)
    agencies = dict((code, number) for number, code in
                    re.findall(r'<option value="(\d+)"[^>]*>([A-Z-]+)</option>', html))
    # Find an agency with no incident in the last 7 days by asking, rather than assuming.
    for code, number in agencies.items():
        page = client.get(f"/analysis?agency={number}&days=7").text
        applied = re.search(r'id="applied-filters">(.*?)</p>', page, re.S)
        assert applied and code in applied.group(1) and "last 7 days" in applied.group(1)
        assert "Clear filters" in applied.group(1)
        recent = page.split("Recent incidents")[-1]
        if "/analysis/incidents/" not in recent:
            assert f"No incidents for these filters: {code}, last 7 days." in recent
            break
    else:
        pytest.fail("every agency reported an incident in the last 7 days; no empty case seen")


def test_an_empty_incident_search_says_so_and_offers_to_clear(client: Any,
                                                             analysis_demo: Database) -> None:
    sign_in_form(client, "border.analyst")
    _switch_language(client, "en")
    page = client.get("/analysis/incidents?status=closed&section=KG-KZ+Talas"
                      "&incident_type=weapons&overdue=true").text
    assert "Incidents found: 0" in page
    assert "No incidents match these filters." in page
    applied = re.search(r'id="applied-filters">(.*?)</p>', page, re.S)
    assert applied
    for shown in ("Status: closed", "KG-KZ Talas", "weapons", "overdue first report",
                  'href="/analysis/incidents">Clear filters'):
        assert shown in applied.group(1), shown
    _switch_language(client, "ru")
    page = client.get("/analysis/incidents?status=closed&section=KG-KZ+Talas"
                      "&incident_type=weapons").text
    assert "Нет инцидентов, соответствующих этим фильтрам." in page
    assert "Сбросить фильтры" in page


def test_a_rejected_incident_report_keeps_what_was_typed(client: Any,
                                                         analysis_demo: Database) -> None:
    csrf = sign_in_form(client, "border.officer")
    _switch_language(client, "ru")
    bad = client.post("/analysis/incidents", data={
        "csrf_token": csrf, "incident_type": "drugs", "occurred_at": "2026-01-05T10:30",
        "section": "KG-UZ Osh", "lat": "95", "persons": "3", "summary": "Heroin in a tyre"})
    assert bad.status_code == 422
    assert "Широта: должно быть не больше 90" in bad.text
    form = bad.text.split('id="incident-form"')[1]
    assert 'value="95"' in form and "Heroin in a tyre" in form and 'value="3"' in form
    assert re.search(r'<option value="drugs" selected>', form)


def test_indicator_columns_name_their_unit_and_the_breakdown(client: Any,
                                                             analysis_demo: Database) -> None:
    sign_in_form(client, "ncc.analyst")
    _switch_language(client, "ru")
    page = client.get("/analysis/indicators?by=section").text
    header = re.search(r"<thead>(.*?)</thead>", page, re.S)
    assert header
    assert "Участок границы" in header.group(1) and "анализ участка" not in header.group(1)
    assert "(лиц)" in header.group(1) and "(случаев)" in header.group(1)
    assert "Суммы за последние 12 месяцев" in page


def _overdue_banner(page: str) -> tuple[int, str] | None:
    found = re.search(r"after 24 hours: (\d+)</a> <span class=\"hint\">\(([^)]*)\)", page)
    return (int(found.group(1)), found.group(2)) if found else None


def test_the_overdue_banner_and_list_follow_the_agency_filter(client: Any,
                                                              analysis_demo: Database) -> None:
    sign_in_form(client, "ncc.analyst")
    _switch_language(client, "en")
    everyone = _overdue_banner(client.get("/analysis").text)
    assert everyone is not None and everyone[1] == "all agencies you can see"
    html = client.get("/analysis").text
    agencies = dict((code, number) for number, code in
                    re.findall(r'<option value="(\d+)"[^>]*>([A-Z-]+)</option>', html))
    per_agency = {}
    for code, number in agencies.items():
        banner = _overdue_banner(client.get(f"/analysis?agency={number}").text)
        listed = client.get(f"/analysis/incidents?overdue=true&agency={number}").text
        rows = listed.count('class="error overdue"')
        per_agency[code] = banner[0] if banner else 0
        assert per_agency[code] == rows, code
        applied = re.search(r'id="applied-filters">(.*?)</p>', listed, re.S)
        assert applied and code in applied.group(1)
        if banner:
            assert banner[1] == code
    # Each overdue incident belongs to one agency: the agencies' counts add up to everyone's.
    assert sum(per_agency.values()) == everyone[0]
