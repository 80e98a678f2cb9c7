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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl
from jinja2 import Environment, PackageLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from sqlalchemy import select
from sqlalchemy.orm import Session

from chegara.analysis import anomaly, ciram, displacement, forecast, hotspots, service, trends
from chegara.analysis.charts import (
    MAP_WORDS,
    MapPoint,
    MapSection,
    SeriesChart,
    bar_chart_svg,
    border_map_svg,
    series_chart_svg,
)
from chegara.analysis.countsfile import month_index, period_label
from chegara.analysis.indicators import DEFAULT_RULES, INDICATORS, complete_months
from chegara.analysis.models import AnalysisProduct, BorderSection, CrossingPoint
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
# Each section's impact level in force at the end of a product's period, by section id.
Levels = Mapping[int, service.LevelInForce]
MAP_TITLE = "Border sections by impact level"
ALL_SECTIONS = "all sections"
BY_SECTION = "by section"
# What a figure counts: persons for the migration indicators, cases for seizures.
UNITS = {"persons": "persons per month", "incidents": "cases per month"}
TABLE_UNITS = {"persons": "number of persons", "incidents": "number of cases"}
INDICATOR_MEASURE = {rule.indicator: rule.measure for rule in DEFAULT_RULES}
FINDINGS = {"hot": "hot spot", "cold": "cold spot", "none": "not significant"}
# Impact and risk levels as the reader's language says "level" with them (Russian makes the
# adjective agree with «уровень»); English keeps the bare word.
LEVEL_KEYS = {level: f"{level} (level)" for level in ciram.IMPACT_LEVELS}
# Every method name a product prints, so a test can hold the Russian catalogue to all of them.
METHOD_NAMES = (trends.METHOD_STL, trends.METHOD_SHORT, forecast.METHOD_COMBINED,
                forecast.METHOD_SHORT, forecast.METHOD_EMPTY, hotspots.METHOD,
                displacement.METHOD, anomaly.METHOD)


@functools.lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("chegara.analysis", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["label"] = _label
    env.filters["num"] = _number_filter
    env.filters["dec"] = _decimal_filter
    env.filters["pct"] = _percent_filter
    env.filters["level"] = _level
    env.filters["place"] = _place
    env.filters["css"] = css_string
    return env


def css_string(text: Any) -> str:
    """Text as a quoted CSS string for the page header and footer (the style element is not
    HTML-escaped): quotes and backslashes escaped, and no ``<`` that could close it."""
    escaped = (str(text).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
               .replace("\n", " "))
    return f'"{escaped}"'


@pass_context
def _label(context: Context, name: Any) -> str:
    """A code such as ``illegal_border_crossing`` in the reader's language; the catalogue is
    keyed by the spaced English words the web pages show."""
    words = str(name).replace("_", " ")
    translate: Translate = context["_"]
    shown = translate(words)
    return "SPS" + shown[3:] if shown.startswith("sps ") else shown


@pass_context
def _level(context: Context, level: Any) -> str:
    translate: Translate = context["_"]
    return _level_words(str(level), translate) if level in LEVEL_KEYS else translate(str(level))


@pass_context
def _place(context: Context, code: Any) -> str:
    """A section as the reader knows it: its Russian name on a Russian page."""
    names: dict[str, str] = context["places"]
    return names.get(str(code), str(code))


# A no-break space between thousands, so a figure never wraps across two lines.
_THOUSANDS = "\u00a0"


def format_number(value: Any, lang: str, digits: int | None = None) -> str:
    """A figure as the reader writes it: ``1 234`` and ``5.1`` in English, ``1 234`` and
    ``5,1`` in Russian, a true minus sign. Whole numbers lose their decimals unless
    ``digits`` is given."""
    if value is None:
        return "–"
    number = float(value)
    if digits is None:
        digits = 0 if number == round(number) else 1
    text = f"{number:,.{digits}f}".replace(",", _THOUSANDS).replace("-", "\u2212")
    return text.replace(".", ",") if lang == "ru" else text


@pass_context
def _number_filter(context: Context, value: Any) -> str:
    return format_number(value, context["lang"])


@pass_context
def _decimal_filter(context: Context, value: Any, digits: int = 2) -> str:
    return format_number(value, context["lang"], digits)


@pass_context
def _percent_filter(context: Context, value: Any) -> str:
    if value is None:
        return "–"
    sign = "+" if float(value) > 0 else ""
    return f"{sign}{format_number(value, context['lang'], 1)}%"


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
        return months_words(self.first, self.last, translate)

    def year_before(self) -> Window:
        return Window(self.first - 12, self.last - 12)


def month_words(index: int, translate: Translate) -> str:
    """"October 2026"; Russian writes the month in lower case inside a sentence or title."""
    year, month = divmod(index, 12)
    name = translate(MONTHS[month])
    return f"{name.lower() if name != MONTHS[month] else name} {year}"


def months_words(first: int, last: int, translate: Translate) -> str:
    if first == last:
        return month_words(first, translate)
    return f"{month_words(first, translate)} – {month_words(last, translate)}"


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


def _map(session: Session, sections: list[BorderSection], levels: Levels, translate: Translate,
         lang: str, highlight: str | None = None) -> str:
    """The border map, names in the reader's language: a section is labelled by its
    neighbour and oblast ("TJ Batken"), its neighbouring country printed beyond it."""
    names = {s.id: s.code for s in sections}
    points = [map_point(p, lang) for p in service.list_crossing_points(session)
              if p.section_id in names]
    return border_map_svg(
        map_sections(session, sections, lang, levels), points, title=translate(MAP_TITLE),
        legend={level: _level_words(level, translate) for level in ciram.IMPACT_LEVELS},
        words={word: translate(word) for word in MAP_WORDS}, highlight=highlight)


def map_sections(session: Session, sections: list[BorderSection], lang: str,
                 levels: Levels | None = None) -> list[MapSection]:
    """The sections as the map draws them, each with its neighbouring country's name, at the
    impact levels given (those in force at the end of a product's period), else today's."""
    countries = {c.code: c.name_ru if lang == "ru" and c.name_ru else c.name
                 for c in service.list_countries(session)}
    return [MapSection(s.code, [(a, b) for a, b in s.path],
                       levels[s.id].level if levels else s.impact_level,
                       short_place(s, lang), countries.get(s.neighbour_code, ""))
            for s in sections]


def map_point(point: CrossingPoint, lang: str) -> MapPoint:
    return MapPoint(point_name(point, lang), point.lon, point.lat, point.active)


def point_name(point: CrossingPoint, lang: str) -> str:
    return point.name_ru if lang == "ru" and point.name_ru else point.name


def short_place(section: BorderSection, lang: str) -> str:
    """The section name without the own-country prefix ("KG-", "КР-"): the map shows Kyrgyzstan."""
    name = section.name_ru if lang == "ru" and section.name_ru else section.code
    return name.split("-", 1)[-1] if "-" in name.split(" ", 1)[0] else name


def _level_words(level: str, translate: Translate) -> str:
    shown = translate(LEVEL_KEYS[level])
    return level if shown == LEVEL_KEYS[level] else shown


def _places(sections: list[BorderSection], lang: str) -> dict[str, str]:
    return {s.code: s.name_ru if lang == "ru" and s.name_ru else s.code for s in sections}


def unit_of(indicator: str, translate: Translate, *, per_month: bool = True) -> str:
    """What an indicator counts, in words; empty for an imported indicator of unknown kind."""
    measure = INDICATOR_MEASURE.get(indicator)
    if measure is None:
        return ""
    return translate((UNITS if per_month else TABLE_UNITS)[measure])


def method_words(translate: Translate, *, trend: str, forecast: str) -> str:
    return (f"{translate('trend')}: {translate(trend)}; "
            f"{translate('forecast')}: {translate(forecast)}")


def _sum_months(table: pl.DataFrame, first: int, last: int) -> dict[tuple[str, str], float]:
    chosen = table.filter((pl.col("period") >= period_label(first))
                          & (pl.col("period") <= period_label(last)))
    return {(str(r["section"]), str(r["indicator"])): float(r["count"])
            for r in chosen.group_by(["section", "indicator"]).agg(pl.col("count").sum())
            .iter_rows(named=True)}


def _indicator_rows(table: pl.DataFrame, window: Window, translate: Translate = str
                    ) -> list[dict[str, Any]]:
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
                     "change": change,
                     "unit": unit_of(indicator, translate, per_month=False) or "–"})
    return rows


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _national_chart(table: pl.DataFrame, indicator: str, horizon: int, translate: Translate
                    ) -> dict[str, Any] | None:
    """The national series of one indicator with its forecast: the chart, its caption, the
    method names and the forecast summed over the months ahead."""
    national = _national(table).filter(pl.col("indicator") == indicator)
    series = complete_months(national, keys=("section",))
    if not series:
        return None
    first, counts = next(iter(series.values()))
    periods = [period_label(first + i) for i in range(counts.size)]
    trend = trends.decompose(counts)
    fc = forecast.forecast_counts(counts, horizon)
    fperiods = [period_label(first + counts.size + h) for h in range(horizon)]
    unit = unit_of(indicator, translate)
    svg = series_chart_svg(SeriesChart(
        title="", periods=periods[-36:], counts=list(counts[-36:]),
        trend=list(trend.trend[-36:]), forecast_periods=fperiods, forecast=list(fc.forecast),
        lower80=list(fc.lower80), upper80=list(fc.upper80), unit=unit), translate=translate)
    ahead = first + counts.size
    shown = months_words(ahead - min(36, counts.size), ahead - 1, translate)
    coming = months_words(ahead, ahead + horizon - 1, translate)
    caption = (f"{_capital(translate(indicator.replace('_', ' ')))}: "
               f"{translate(ALL_SECTIONS)}, {shown}; {translate('forecast')} {coming}")
    return {"indicator": indicator, "svg": svg, "caption": caption,
            "unit": unit_of(indicator, translate, per_month=False),
            "method": method_words(translate, trend=trend.method, forecast=fc.method),
            "months": coming,
            "forecast": float(fc.forecast.sum()), "low": float(fc.lower80.sum()),
            "high": float(fc.upper80.sum())}


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
    levels = service.impact_levels_at(session, window.until)
    places = _places(sections, lang)
    base: dict[str, Any] = {
        "kind": kind, "edition": edition, "period": when, "generated": utcnow(),
        "year_before": window.year_before().words(translate),
        # A public edition names the unit, not the analyst who wrote it.
        "author": "" if edition == "public" else principal.full_name or principal.username,
        "map_svg": _map(session, sections, levels, translate, lang, highlight=section),
        "indicator_rows": _indicator_rows(table, window, translate), "sections": sections,
        "levels": levels,
        "reactions": {level: translate(text) for level, text in config.reactions.items()},
        "marking": translate(MARKINGS[edition]), "_": translate, "lang": lang,
        "places": places, "findings": FINDINGS,
    }
    if kind == "section":
        if not section:
            raise BadInput("a tailored analysis needs the section", details=[{"field": "section"}])
        base.update(_section_context(session, scope, table, window, section, edition,
                                     translate, levels))
        title = f"{translate(KINDS[kind])}: {places.get(section, section)}, {when}"
    else:
        base.update(_overview_context(session, scope, table, window, kind, edition,
                                      translate, sections, levels, lang))
        title = f"{translate(KINDS[kind])} {when}" + (
            f" ({translate(PUBLIC_EDITION)})" if edition == "public" else "")
    base["title"] = title
    html = _environment().get_template(f"{kind}.html").render(**base)
    return Built(title, html)


def _overview_context(session: Session, scope: service.Scope, table: pl.DataFrame,
                      window: Window, kind: str, edition: str, translate: Translate,
                      sections: list[BorderSection], levels: Levels, lang: str
                      ) -> dict[str, Any]:
    horizon = 12 if kind == "annual" else 6
    when = window.words(translate)
    headline = service.analytics(session, scope, indicator=HEADLINE, horizon=horizon,
                                 table=table)
    chosen = [r["indicator"] for r in _indicator_rows(table, window)][: 4 if kind == "annual"
                                                                         else 3]
    charts = [chart for chart in (_national_chart(table, indicator, horizon, translate)
                                  for indicator in chosen) if chart is not None]
    this_month = _sum_months(table.filter(pl.col("indicator") == HEADLINE), window.first,
                             window.last)
    places = _places(sections, lang)
    bars = bar_chart_svg("", {places.get(s, s): v for (s, _), v in this_month.items()},
                         unit=unit_of(HEADLINE, translate, per_month=window.first == window.last)
                         ) if this_month else ""
    bars_caption = (f"{_capital(translate(HEADLINE.replace('_', ' ')))} "
                    f"{translate(BY_SECTION)}, {when}")
    alarms = _alarm_rows(table, window)
    # What was known at the end of the period: an analysis of last year built today does not
    # list this year's assessments, and a reassessed threat appears once, as last judged.
    assessments = service.latest_per_threat(service.list_assessments(
        session, scope.principal, public_only=edition == "public", made_before=window.until))
    risks = sorted(assessments, key=lambda a: (-_LEVEL_RANK[a.risk_level], -a.impact_score))
    annex = _annex(table, window) if kind == "annual" else []
    resources = _resources(sections, levels, assessments, edition)
    methods = list(dict.fromkeys(chart["method"] for chart in charts))
    return {"headline": headline, "charts": charts, "bars_svg": bars,
            "bars_caption": bars_caption, "alarms": alarms, "outlook_methods": methods,
            "outlook_months": charts[0]["months"] if charts else "",
            "main_risks": risks[:8], "outlook": charts, "annex": annex,
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
    order = {name: i for i, name in enumerate(INDICATORS)}
    keys = sorted(set(now) | set(before), key=lambda k: (k[0], order.get(k[1], 99), k[1]))
    rows = []
    for s, i in keys:
        current, previous = now.get((s, i), 0.0), before.get((s, i), 0.0)
        change = None if previous == 0 else round(100 * (current - previous) / previous, 1)
        rows.append({"section": s, "indicator": i, "current": current, "previous": previous,
                     "change": change})
    return rows


def _resources(sections: list[BorderSection], levels: Levels, assessments: list[Any],
               edition: str) -> list[dict[str, Any]]:
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
        level = levels[section.id].level
        if level in ("high", "critical") or weak:
            rows.append({"section": section.code, "level": level,
                         "weak": weak})
    return rows


def _section_context(session: Session, scope: service.Scope, table: pl.DataFrame,
                     window: Window, code: str, edition: str, translate: Translate,
                     levels: Levels) -> dict[str, Any]:
    section = service.get_section(session, code)
    mine = table.filter(pl.col("section") == code)
    if mine.is_empty():
        raise BadInput(f"no indicator data for {code} up to {period_label(window.last)}")
    charts = []
    alarm_rows = [a for a in _alarm_rows(table, window) if a["section"] == code]
    series = complete_months(mine, keys=("indicator",))
    for (indicator,), (first, counts) in sorted(series.items()):
        if counts.sum() == 0:
            continue
        periods = [period_label(first + i) for i in range(counts.size)]
        trend = trends.decompose(counts)
        fc = forecast.forecast_counts(counts, 6)
        ahead = first + counts.size
        shown = months_words(ahead - min(36, counts.size), ahead - 1, translate)
        caption = (f"{_capital(translate(indicator.replace('_', ' ')))}, {shown}; "
                   f"{translate('forecast')} {months_words(ahead, ahead + 5, translate)}")
        alarm_months = [a["period"] for a in alarm_rows if a["indicator"] == indicator]
        charts.append({"indicator": indicator, "caption": caption,
                       "method": method_words(translate, trend=trend.method,
                                              forecast=fc.method),
                       "svg": series_chart_svg(SeriesChart(
                           title="", periods=periods[-36:], counts=list(counts[-36:]),
                           trend=list(trend.trend[-36:]),
                           forecast_periods=[period_label(ahead + h) for h in range(6)],
                           forecast=list(fc.forecast), lower80=list(fc.lower80),
                           upper80=list(fc.upper80), alarms=alarm_months,
                           unit=unit_of(indicator, translate)), translate=translate)})
    points = [p for p in service.list_crossing_points(session) if p.section_id == section.id]
    assessments = service.list_assessments(session, scope.principal, section=code,
                                           public_only=edition == "public",
                                           made_before=window.until)
    in_force = levels[section.id]
    return {"section": section, "charts": charts[:6], "points": points,
            "assessments": assessments, "in_force": in_force,
            "history": service.impact_history(session, code, until=window.until),
            "alarms": alarm_rows, "reaction": translate(ciram.REACTIONS.get(in_force.level, ""))}


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
