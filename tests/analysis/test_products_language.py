"""Products and their charts speak the reader's language: Russian by default (the author's own
language), English on request, through the web interface's catalogue."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from chegara.analysis import charts, ciram, products
from chegara.analysis.countsfile import month_index, period_label
from chegara.analysis.indicators import INDICATORS
from chegara.analysis.schemas import INCIDENT_TYPES
from chegara.db.base import utcnow
from chegara.db.session import Database
from chegara.security import audit
from chegara.security import service as security
from chegara.web.i18n import catalogue

PRODUCT_TEMPLATES = Path(str(resources.files("chegara.analysis"))) / "templates"
MSGID = re.compile(r'_\(\s*"((?:[^"\\]|\\.)*)"\s*\)')
RU = catalogue("ru")


def _last_month() -> str:
    now = utcnow()
    return period_label(now.year * 12 + now.month - 2)


def _month_name(period: str) -> str:
    return products.MONTHS[month_index(period) % 12]


def _build(db: Database, kind: str, period: str, language: str | None,
           section: str | None = None) -> products.Built:
    with db.reader() as session:
        analyst = security.principal_for(session, security.find_user(session, "ncc.analyst"))
        return products.build_product(session, analyst, kind=kind, period=period,
                                      edition="restricted", section=section, language=language)


def _missing(msgids: set[str]) -> list[str]:
    return sorted(m for m in msgids if not RU.get(m, "").strip())


@pytest.mark.parametrize("template", sorted(PRODUCT_TEMPLATES.glob("*.html")),
                         ids=lambda p: p.name)
def test_every_product_template_string_has_a_russian_translation(template: Path) -> None:
    msgids = set(MSGID.findall(template.read_text(encoding="utf-8")))
    assert msgids
    assert not _missing(msgids), f"{template.name}: no Russian for {_missing(msgids)}"


def test_every_label_a_product_or_chart_shows_has_a_russian_translation() -> None:
    labels = {
        *products.KINDS.values(), *products.MONTHS, *products.MARKINGS.values(),
        products.PUBLIC_EDITION, products.MAP_TITLE, products.ALL_SECTIONS,
        products.BY_SECTION, *charts.LEGEND_WORDS, *charts.MAP_WORDS,
        *products.UNITS.values(), *products.TABLE_UNITS.values(), *products.FINDINGS.values(),
        *products.LEVEL_KEYS.values(), *products.METHOD_NAMES,
        *ciram.IMPACT_LEVELS, *ciram.REACTIONS.values(), "hot", "cold", "none",
        "road", "rail", "air", "pedestrian", "pending", "approved", "rejected",
        # Codes are shown as their spaced words, the form the web pages translate.
        *(code.replace("_", " ") for code in (*INCIDENT_TYPES, *INDICATORS,
                                             *ciram.VULNERABILITY_ITEMS)),
    }
    assert not _missing(labels)


def test_a_russian_bulletin_has_russian_headings_labels_and_charts(
        analysis_demo: Database) -> None:
    period = _last_month()
    russian = _build(analysis_demo, "bulletin", period, "ru")
    html = russian.html
    assert '<html lang="ru">' in html
    month = RU[_month_name(period)].lower()
    assert russian.title == f"{RU['Monthly risk indicator bulletin']} {month} {period[:4]}"
    for english in ("Situation by border section", "Indicators, all sections", "Alarms",
                    "Outlook (next 6 months)", "Impact level", "Methods"):
        assert f">{RU[english]}" in html, english
        assert f">{english}<" not in html
    # Indicator names in the tables, impact levels, the map legend and the chart legends.
    assert f'<td class="name">{RU["illegal border crossing"]}</td>' in html
    assert ">illegal border crossing<" not in html
    assert f">{RU['critical (level)']}<" in html
    for word in ("observed", "trend", "forecast", "80% interval"):
        assert f">{RU[word]}<" in html, word
        assert f">{word}<" not in html
    assert RU["TLP:AMBER — restricted: for the national border agencies only"] in html


def test_english_on_request_and_the_authors_language_by_default(
        analysis_demo: Database) -> None:
    period = _last_month()
    english = _build(analysis_demo, "bulletin", period, "en")
    assert english.title == f"Monthly risk indicator bulletin {_month_name(period)} {period[:4]}"
    assert '<html lang="en">' in english.html
    assert ">Situation by border section<" in english.html and ">observed<" in english.html
    assert RU["Situation by border section"] not in english.html
    # Without a language the product follows the author: ncc.analyst reads Russian.
    assert _build(analysis_demo, "bulletin", period, None).title.startswith(
        RU["Monthly risk indicator bulletin"])
    with analysis_demo.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("test"))
        user = security.find_user(session, "ncc.analyst")
        security.update_user(session, analysis_demo.settings, user, language="en")
    assert _build(analysis_demo, "bulletin", period, None).title.startswith(
        "Monthly risk indicator bulletin")


def test_russian_annual_and_section_analysis(analysis_demo: Database) -> None:
    year = str(utcnow().year - 1)
    annual = _build(analysis_demo, "annual", year, "ru")
    assert annual.title == f"{RU['National risk analysis']} {year}"
    for heading in ("1. Context", "2. Main risks", "3. Outlook", "4. Resources needed",
                    "5. Statistical annex"):
        assert RU[heading] in annual.html and heading not in annual.html
    tailored = _build(analysis_demo, "section", _last_month(), "ru", section="KG-TJ Batken")
    assert RU["Crossing points"] in tailored.html and RU["road"] in tailored.html
    assert RU[ciram.REACTIONS["critical"]] in tailored.html
    assert ciram.REACTIONS["critical"] not in tailored.html


def test_the_api_takes_the_language_and_refuses_an_unknown_one(
        analysis_demo: Database, client: Any, as_user: Any) -> None:
    headers = as_user("ncc.analyst")
    body = {"kind": "bulletin", "period": _last_month()}
    english = client.post("/api/v1/analysis/products", json={**body, "language": "en"},
                          headers=headers)
    assert english.status_code == 201, english.text
    assert english.json()["title"].startswith("Monthly risk indicator bulletin")
    html = client.get(f"/api/v1/analysis/products/{english.json()['id']}.html",
                      headers=headers).text
    assert ">Situation by border section<" in html
    russian = client.post("/api/v1/analysis/products", json=body, headers=headers)
    assert russian.status_code == 201
    assert russian.json()["title"].startswith(RU["Monthly risk indicator bulletin"])
    refused = client.post("/api/v1/analysis/products", json={**body, "language": "de"},
                          headers=headers)
    assert refused.status_code == 422


def test_the_command_line_writes_a_product_in_the_language_asked(
        analysis_demo: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from chegara.cli import app
    from chegara.errors import BadInput
    from chegara.settings import get_settings

    settings = analysis_demo.settings
    monkeypatch.setenv("CHEGARA_HOME", str(settings.home))
    monkeypatch.setenv("CHEGARA_DATABASE_URL", settings.resolved_database_url)
    get_settings.cache_clear()
    runner = CliRunner()
    base = ["analysis", "product", "--kind", "bulletin", "--period", _last_month(),
            "--as", "ncc.analyst"]
    try:
        html = tmp_path / "bulletin.html"
        english = runner.invoke(app, [*base, "--language", "en", "--out", str(html)])
        assert english.exit_code == 0, english.output
        assert ">Situation by border section<" in html.read_text(encoding="utf-8")
        pdf = tmp_path / "bulletin.pdf"
        russian = runner.invoke(app, [*base, "--out", str(pdf)])
        assert russian.exit_code == 0, russian.output
        assert RU["Monthly risk indicator bulletin"] in russian.output
        assert pdf.read_bytes().startswith(b"%PDF")
        with analysis_demo.reader() as session:
            analyst = security.principal_for(session,
                                             security.find_user(session, "ncc.analyst"))
            stored = len(products.list_products(session, analyst))
        bad = tmp_path / "bad.html"
        refused = runner.invoke(app, [*base, "--language", "de", "--out", str(bad)])
        assert isinstance(refused.exception, BadInput) and "language" in str(
            refused.exception.message)
        assert not bad.exists()
        with analysis_demo.reader() as session:
            assert len(products.list_products(session, analyst)) == stored
    finally:
        get_settings.cache_clear()
