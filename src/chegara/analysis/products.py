"""Analysis products: the monthly indicator bulletin, the annual national risk analysis and a
tailored analysis of one border section, as self-contained HTML and as PDF.

The HTML carries its charts and map inline as SVG and its style inline, so the same document
prints to PDF (WeasyPrint) and opens in a browser at a post with no internet. A *public*
edition is computed only from records already shared nationally under TLP:CLEAR or GREEN and
leaves out the vulnerability checklists; the *restricted* edition uses everything the author
may see and is distributed no further than the author's agency.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
from jinja2 import Environment, PackageLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from sqlalchemy import select
from sqlalchemy.orm import Session

from chegara.analysis import ciram, service
from chegara.analysis.charts import (
    MapPoint,
    MapSection,
    SeriesChart,
    bar_chart_svg,
    border_map_svg,
    series_chart_svg,
)
from chegara.analysis.countsfile import month_index, period_label
from chegara.analysis.indicators import INDICATORS, complete_months
from chegara.analysis.models import AnalysisProduct, BorderSection
from chegara.db.base import Distribution, Tlp, utcnow
from chegara.errors import BadInput, NotFound
from chegara.security.policy import Principal
from chegara.security.scoping import scoped
from chegara.security.service import require
from chegara.web.i18n import LANGUAGES, translator

Translate = Callable[[str], str]

HEADLINE = "illegal_border_crossing"
KINDS = {"bulletin": "Monthly risk indicator bulletin",
         "annual": "National risk analysis",
         "section": "Tailored risk analysis"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
MARKINGS = {"public": "TLP:CLEAR — public edition",
            "restricted": "TLP:AMBER — restricted: for the national border agencies only"}
PUBLIC_EDITION = "public edition"
MAP_TITLE = "Border sections by impact level"
ALL_SECTIONS = "all sections"
BY_SECTION = "by section"
SUMMED_BOUNDS = "summed bounds"


@functools.lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("chegara.analysis", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["label"] = _label
    env.filters["num"] = _number
    return env


@pass_context
def _label(context: Context, name: Any) -> str:
    """A code such as ``illegal_border_crossing`` in the reader's language; the catalogue is
    keyed by the spaced English words the web pages show."""
    words = str(name).replace("_", " ")
    translate: Translate = context["_"]
    return translate(words)


def _number(value: Any) -> str:
    if value is None:
        return "–"
    number = float(value)
    return f"{number:,.0f}".replace(",", " ") if number == int(number) else f"{number:,.1f}"


@dataclass(frozen=True)
class Window:
    """The months a product covers and the data it may use (nothing after its end)."""

    first: int
    last: int

    @property
    def until(self) -> dt.datetime:
        year, month = divmod(self.last + 1, 12)
        return dt.datetime(year, month + 1, 1, tzinfo=dt.UTC)

    def label(self) -> str:
        if self.first == self.last:
            return period_label(self.first)
        return f"{period_label(self.first)} to {period_label(self.last)}"

    def words(self, translate: Translate) -> str:
        """The window as a reader says it: "March 2026", or the year for a whole year."""
        if self.first % 12 == 0 and self.last == self.first + 11:
            return str(self.first // 12)
        if self.first == self.last:
            return month_words(self.first, translate)
        return f"{month_words(self.first, translate)} – {month_words(self.last, translate)}"


def month_words(index: int, translate: Translate) -> str:
    year, month = divmod(index, 12)
    return f"{translate(MONTHS[month])} {year}"


def product_language(principal: Principal, language: str | None) -> str:
    """The language asked for, else the author's own."""
    chosen = language or principal.language
    if chosen not in LANGUAGES:
        raise BadInput(f"language must be one of {', '.join(LANGUAGES)}",
                       details=[{"field": "language"}])
    return chosen


def window_for(kind: str, period: str) -> Window:
    try:
        if kind == "annual":
            if len(period) != 4 or not period.isdigit():
                raise ValueError("an annual analysis covers a year: give YYYY")
            year = int(period)
            if not 1900 <= year <= 2200:
                raise ValueError(f"year {year} is outside 1900-2200")
            return Window(year * 12, year * 12 + 11)
        last = month_index(period)
    except ValueError as error:
        raise BadInput(str(error), details=[{"field": "period"}]) from None
    if not 1900 * 12 <= last <= 2200 * 12:
        raise BadInput(f"period {period} is outside 1900-2200", details=[{"field": "period"}])
    return Window(last, last)


def _national(table: pl.DataFrame) -> pl.DataFrame:
    return (table.group_by(["period", "indicator"]).agg(pl.col("count").sum())
            .with_columns(pl.lit("national").alias("section")))


def _cut(table: pl.DataFrame, window: Window) -> pl.DataFrame:
    return table.filter(pl.col("period") <= period_label(window.last))


def _map(session: Session, sections: list[BorderSection], translate: Translate) -> str:
    names = {s.id: s.code for s in sections}
    points = [MapPoint(p.name, p.lon, p.lat, p.active)
              for p in service.list_crossing_points(session) if p.section_id in names]
    return border_map_svg([MapSection(s.code, [(a, b) for a, b in s.path], s.impact_level,
                                      s.code.split(" ", 1)[-1]) for s in sections], points,
                          title=translate(MAP_TITLE),
                          legend={level: translate(level) for level in ciram.IMPACT_LEVELS})


def _sum_months(table: pl.DataFrame, first: int, last: int) -> dict[tuple[str, str], float]:
    chosen = table.filter((pl.col("period") >= period_label(first))
                          & (pl.col("period") <= period_label(last)))
    return {(str(r["section"]), str(r["indicator"])): float(r["count"])
            for r in chosen.group_by(["section", "indicator"]).agg(pl.col("count").sum())
            .iter_rows(named=True)}


def _indicator_rows(table: pl.DataFrame, window: Window) -> list[dict[str, Any]]:
    """National totals per indicator: this window against the same months a year earlier."""
    national = _national(table)
    now = _sum_months(national, window.first, window.last)
    before = _sum_months(national, window.first - 12, window.last - 12)
    rows = []
    for indicator in [*INDICATORS, *sorted({k[1] for k in now} - set(INDICATORS))]:
        current, previous = now.get(("national", indicator), 0.0), before.get(
            ("national", indicator), 0.0)
        if current == 0 and previous == 0:
            continue
        change = None if previous == 0 else round(100 * (current - previous) / previous, 1)
        rows.append({"indicator": indicator, "current": current, "previous": previous,
                     "change": change})
    return rows


def _national_chart(table: pl.DataFrame, indicator: str, horizon: int, translate: Translate
                    ) -> tuple[str, str, str]:
    """Chart of the national series of one indicator with its forecast; (svg, method, fc)."""
    from chegara.analysis.forecast import forecast_counts
    from chegara.analysis.trends import decompose

    national = _national(table).filter(pl.col("indicator") == indicator)
    series = complete_months(national, keys=("section",))
    if not series:
        return "", "", ""
    first, counts = next(iter(series.values()))
    periods = [period_label(first + i) for i in range(counts.size)]
    trend = decompose(counts)
    fc = forecast_counts(counts, horizon)
    fperiods = [period_label(first + counts.size + h) for h in range(horizon)]
    svg = series_chart_svg(SeriesChart(
        title=f"{translate(indicator.replace('_', ' '))}: {translate(ALL_SECTIONS)}",
        periods=periods[-36:], counts=list(counts[-36:]), trend=list(trend.trend[-36:]),
        forecast_periods=fperiods, forecast=list(fc.forecast), lower80=list(fc.lower80),
        upper80=list(fc.upper80), note=f"trend: {trend.method}; forecast: {fc.method}"),
        translate=translate)
    total = f"{_number(float(fc.forecast.sum()))} ({_number(float(fc.lower80.sum()))}–" \
            f"{_number(float(fc.upper80.sum()))} {translate(SUMMED_BOUNDS)})"
    return svg, f"trend: {trend.method}; forecast: {fc.method}", total


@dataclass(frozen=True)
class Built:
    title: str
    html: str


def build_product(session: Session, principal: Principal, *, kind: str, period: str,
                  edition: str, section: str | None = None, home: Any = None,
                  language: str | None = None) -> Built:
    """Render a product from the data the principal may see (cut for a public edition), in
    ``language`` or else the principal's own."""
    require(principal, "product.generate")
    if kind not in KINDS:
        raise BadInput(f"kind must be one of {', '.join(KINDS)}")
    if edition not in ("restricted", "public"):
        raise BadInput("edition must be restricted or public")
    lang = product_language(principal, language)
    translate = translator(lang)
    window = window_for(kind, period)
    scope = service.Scope(principal, public_only=edition == "public", until=window.until)
    table = _cut(service.indicator_table(session, scope), window)
    if table.is_empty():
        raise BadInput(f"no indicator data up to {period_label(window.last)} to analyse")
    config = service.ciram_config(home)
    when = window.words(translate)
    sections = service.list_sections(session)
    base: dict[str, Any] = {
        "kind": kind, "edition": edition, "period": when, "generated": utcnow(),
        "author": principal.full_name or principal.username,
        "map_svg": _map(session, sections, translate),
        "indicator_rows": _indicator_rows(table, window), "sections": sections,
        "reactions": {level: translate(text) for level, text in config.reactions.items()},
        "marking": translate(MARKINGS[edition]), "_": translate, "lang": lang,
    }
    if kind == "section":
        if not section:
            raise BadInput("a tailored analysis needs the section", details=[{"field": "section"}])
        base.update(_section_context(session, scope, table, window, section, edition,
                                     translate))
        title = f"{translate(KINDS[kind])}: {section}, {when}"
    else:
        base.update(_overview_context(session, scope, table, window, kind, edition,
                                      translate, sections))
        title = f"{translate(KINDS[kind])} {when}" + (
            f" ({translate(PUBLIC_EDITION)})" if edition == "public" else "")
    base["title"] = title
    html = _environment().get_template(f"{kind}.html").render(**base)
    return Built(title, html)


def _overview_context(session: Session, scope: service.Scope, table: pl.DataFrame,
                      window: Window, kind: str, edition: str, translate: Translate,
                      sections: list[BorderSection]) -> dict[str, Any]:
    horizon = 12 if kind == "annual" else 6
    when = window.words(translate)
    headline = service.analytics(session, scope, indicator=HEADLINE, horizon=horizon,
                                 table=table)
    charts = []
    chosen = [r["indicator"] for r in _indicator_rows(table, window)][: 4 if kind == "annual"
                                                                         else 3]
    outlook = []
    for indicator in chosen:
        svg, method, total = _national_chart(table, indicator, horizon, translate)
        if svg:
            charts.append({"indicator": indicator, "svg": svg, "method": method})
            outlook.append({"indicator": indicator, "forecast": total, "method": method})
    this_month = _sum_months(table.filter(pl.col("indicator") == HEADLINE), window.first,
                             window.last)
    bars = bar_chart_svg(f"{translate(HEADLINE.replace('_', ' '))} {translate(BY_SECTION)}, "
                         f"{when}",
                         {s: v for (s, _), v in sorted(this_month.items())}) if this_month \
        else ""
    alarms = _alarm_rows(table, window)
    assessments = service.list_assessments(session, scope.principal,
                                           public_only=edition == "public")
    risks = sorted(assessments, key=lambda a: (-_LEVEL_RANK[a.risk_level], -a.impact_score))
    annex = _annex(table, window) if kind == "annual" else []
    resources = _resources(sections, assessments, edition)
    return {"headline": headline, "charts": charts, "bars_svg": bars, "alarms": alarms,
            "main_risks": risks[:8], "outlook": outlook, "annex": annex,
            "resources": resources, "section_names": service.section_names(session)}


_LEVEL_RANK = {level: i for i, level in enumerate(ciram.IMPACT_LEVELS)}


def _alarm_rows(table: pl.DataFrame, window: Window) -> list[dict[str, Any]]:
    from chegara.analysis.indicators import indicator_alarms

    alarms = indicator_alarms(table)
    if alarms.is_empty():
        return []
    hit = alarms.filter(pl.col("alarm") & (pl.col("period") >= period_label(window.first))
                        & (pl.col("period") <= period_label(window.last)))
    return [dict(r) for r in hit.sort(["period", "section"]).iter_rows(named=True)]


def _annex(table: pl.DataFrame, window: Window) -> list[dict[str, Any]]:
    now = _sum_months(table, window.first, window.last)
    before = _sum_months(table, window.first - 12, window.last - 12)
    keys = sorted(set(now) | set(before))
    return [{"section": s, "indicator": i, "current": now.get((s, i), 0.0),
             "previous": before.get((s, i), 0.0)} for s, i in keys]


def _resources(sections: list[BorderSection], assessments: list[Any], edition: str
               ) -> list[dict[str, Any]]:
    """Resources the levels and checklists call for: sections at high or critical, and the
    checklist items scored weak (4 or worse) in the latest assessment of each section."""
    latest: dict[int, Any] = {}
    for assessment in assessments:
        latest.setdefault(assessment.section_id, assessment)
    rows = []
    for section in sections:
        weak = [] if edition == "public" else sorted(
            item for item, value in (latest[section.id].vulnerability.items()
                                     if section.id in latest else [])
            if int(value) >= 4)
        if section.impact_level in ("high", "critical") or weak:
            rows.append({"section": section.code, "level": section.impact_level,
                         "weak": weak})
    return rows


def _section_context(session: Session, scope: service.Scope, table: pl.DataFrame,
                     window: Window, code: str, edition: str, translate: Translate
                     ) -> dict[str, Any]:
    from chegara.analysis.forecast import forecast_counts
    from chegara.analysis.trends import decompose

    section = service.get_section(session, code)
    mine = table.filter(pl.col("section") == code)
    if mine.is_empty():
        raise BadInput(f"no indicator data for {code} up to {period_label(window.last)}")
    charts = []
    series = complete_months(mine, keys=("indicator",))
    for (indicator,), (first, counts) in sorted(series.items()):
        if counts.sum() == 0:
            continue
        periods = [period_label(first + i) for i in range(counts.size)]
        trend = decompose(counts)
        fc = forecast_counts(counts, 6)
        charts.append({"indicator": indicator, "method": f"trend: {trend.method}; "
                                                         f"forecast: {fc.method}",
                       "svg": series_chart_svg(SeriesChart(
                           title=f"{translate(indicator.replace('_', ' '))}: {code}",
                           periods=periods[-36:], counts=list(counts[-36:]),
                           trend=list(trend.trend[-36:]),
                           forecast_periods=[period_label(first + counts.size + h)
                                             for h in range(6)],
                           forecast=list(fc.forecast), lower80=list(fc.lower80),
                           upper80=list(fc.upper80)), translate=translate)})
    points = [p for p in service.list_crossing_points(session) if p.section_id == section.id]
    assessments = service.list_assessments(session, scope.principal, section=code,
                                           public_only=edition == "public")
    return {"section": section, "charts": charts[:6], "points": points,
            "assessments": assessments, "history": service.impact_history(session, code),
            "alarms": [a for a in _alarm_rows(table, window) if a["section"] == code],
            "reaction": translate(ciram.REACTIONS.get(section.impact_level, ""))}


def save_product(session: Session, principal: Principal, *, kind: str, period: str,
                 edition: str, section: str | None, built: Built) -> AnalysisProduct:
    public = edition == "public"
    product = AnalysisProduct(
        kind=kind, edition=edition, period=period, section_code=section, title=built.title[:300],
        html=built.html, owner_agency_id=principal.agency_id,
        distribution=Distribution.NATIONAL.value if public else Distribution.AGENCY.value,
        tlp=Tlp.CLEAR.value if public else Tlp.AMBER.value, created_by_id=principal.user_id,
        created_at=utcnow())
    session.add(product)
    session.flush()
    return product


def generate(session: Session, principal: Principal, *, kind: str, period: str,
             edition: str = "restricted", section: str | None = None,
             home: Any = None, language: str | None = None) -> AnalysisProduct:
    built = build_product(session, principal, kind=kind, period=period, edition=edition,
                          section=section, home=home, language=language)
    return save_product(session, principal, kind=kind, period=period, edition=edition,
                        section=section, built=built)


def list_products(session: Session, principal: Principal, *, limit: int = 100
                  ) -> list[AnalysisProduct]:
    require(principal, "product.read")
    query = scoped(select(AnalysisProduct), AnalysisProduct, principal)
    return list(session.scalars(query.order_by(AnalysisProduct.created_at.desc(),
                                               AnalysisProduct.id.desc()).limit(limit)))


def get_product(session: Session, principal: Principal, product_id: int) -> AnalysisProduct:
    require(principal, "product.read")
    found = session.scalar(scoped(select(AnalysisProduct).where(
        AnalysisProduct.id == product_id), AnalysisProduct, principal))
    if found is None:
        raise NotFound(f"product {product_id} does not exist or is not shared with you")
    return found
