"""Risk analysis pages: the situational picture, incidents, indicators, analytics, CIRAM and
impact levels, products, and the border geography."""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import polars as pl
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from chegara.analysis import ciram, products, service
from chegara.analysis.api import pdf_response
from chegara.analysis.charts import (
    MAP_WORDS,
    MapIncident,
    SeriesChart,
    border_map_svg,
    level_sample_svg,
    series_chart_svg,
    sparkline_svg,
)
from chegara.analysis.countsfile import period_label
from chegara.analysis.indicators import (
    DEFAULT_RULES,
    INDICATORS,
    complete_months,
    indicator_alarms,
)
from chegara.analysis.schemas import (
    INCIDENT_TYPES,
    REFUSAL_REASONS,
    AssessmentIn,
    CrossingPointIn,
    IncidentIn,
    SectionUpdateIn,
)
from chegara.db.base import utcnow
from chegara.errors import BadInput, ChegaraError
from chegara.security import audit
from chegara.security import service as security
from chegara.security.deps import reading, writing
from chegara.web.i18n import translator
from chegara.web.pages import _form_principal, _principal, _see_other, whole_number
from chegara.web.render import language_of, render

router = APIRouter(include_in_schema=False)
PERIODS = {"7": 7, "30": 30, "90": 90, "365": 365}
HEADLINE = "illegal_border_crossing"
# Impact and risk levels are a masculine "уровень" in Russian, unlike an incident's impact or a
# confidence, so the levels have words of their own.
LEVEL_WORDS = {"low": "Low", "medium": "Medium", "high": "High", "critical": "Critical"}
# The indicator table's breakdowns, as the page names them.
BREAKDOWNS = {"section": "Border section", "crossing_point": "Crossing point",
              "nationality": "Nationality", "agency": "Agency"}
# What each indicator counts, for the column headers: FRAN counts detected persons for the
# migration indicators and cases for seizures.
UNITS = {rule.indicator: "persons" if rule.measure == "persons" else "cases"
         for rule in DEFAULT_RULES}


def _home(request: Request) -> Any:
    return request.app.state.settings.home


def _ensure_geography(request: Request) -> None:
    principal = _principal(request)
    with reading(request) as session:
        if service.list_sections(session):
            return
    with writing(request, principal) as session:
        service.seed_geography(session)


# Pydantic's kinds of complaint in the users' words (translated through the catalogue); any
# other kind keeps pydantic's own message.
COMPLAINTS = {
    "less_than_equal": "must be at most {le}", "greater_than_equal": "must be at least {ge}",
    "string_too_long": "must be at most {max_length} characters",
    "string_too_short": "must be at least {min_length} characters",
    "string_pattern_mismatch": "is not in the expected form",
    "literal_error": "must be one of {expected}", "enum": "must be one of {expected}",
    "int_parsing": "must be a whole number", "float_parsing": "must be a number",
    "datetime_parsing": "must be a date and time", "datetime_from_date_parsing":
    "must be a date and time", "missing": "is required",
}


def _problems(exc: ValidationError, translate: Callable[[str], str],
              labels: dict[str, str] | None = None) -> str:
    """Pydantic's complaints, each under the name the form shows for the field, in the
    reader's language."""
    _ = translate
    names = labels or {}
    found = []
    for error in exc.errors():
        field = str(error["loc"][-1]) if error["loc"] else ""
        if error["type"] in COMPLAINTS:
            text = _(COMPLAINTS[error["type"]]).format(**error.get("ctx", {}))
        else:
            text = _(str(error["msg"]).removeprefix("Value error, "))
        found.append(f"{_(names[field]) if field in names else field}: {text}")
    return "; ".join(found)


def _agency_filter(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# --- situational picture --------------------------------------------------------------------------

@router.get("/analysis", response_class=HTMLResponse)
def picture(request: Request, agency: str | None = None, days: str = "30") -> HTMLResponse:
    principal = _principal(request, "incident.read")
    _ensure_geography(request)
    agency_id = _agency_filter(agency)
    lang = language_of(request, principal)
    _ = translator(lang)
    span = PERIODS.get(days, 30)
    now = utcnow()
    since = now - dt.timedelta(days=span)
    with writing(request, principal) as session:
        sections = service.list_sections(session)
        points = service.list_crossing_points(session)
        recent, total = service.list_incidents(
            session, principal, service.IncidentFilter(agency_id=agency_id, since=since),
            limit=500)
        audit.append(session, action="read", resource_type="incident",
                     resource_id=",".join(str(r.id) for r in recent[:20])[:64] or "-",
                     note=f"situational picture ({len(recent)} incidents)")
        scope = service.Scope(principal, agency_id=agency_id)
        table = service.closed_months(service.indicator_table(session, scope)) if (
            "indicator.read" in principal.permissions) else pl.DataFrame()
        agencies = service.agencies_by_id(session)
        overdue = service.overdue_count(session, principal, agency_id)
        pending = service.pending_impact_changes(session)
        map_sections = products.map_sections(session, sections, lang)
    level_words = {level: _(LEVEL_WORDS.get(level, level)) for level in ciram.IMPACT_LEVELS}
    map_svg = border_map_svg(
        map_sections, [products.map_point(p, lang) for p in points],
        [MapIncident(i.lon, i.lat, i.impact == "high") for i in recent
         if i.lon is not None and i.lat is not None],
        title=_("Border sections by impact level"), legend=level_words,
        words={word: _(word) for word in MAP_WORDS}, legend_in_map=False)
    legend = [(level, level_sample_svg(level)) for level in ciram.IMPACT_LEVELS]
    agency_code = agencies[agency_id].code if agency_id in agencies else None
    return render(request, "analysis/picture.html", map_svg=map_svg, sections=sections,
                  sparklines=_sparklines(table), months=_last_months(table),
                  recent=recent[:20], total=total,
                  names={s.id: s.code for s in sections},
                  point_names={p.id: products.point_name(p, lang) for p in points},
                  agencies=agencies, agency_id=agency_id, agency_code=agency_code,
                  days=str(span), periods=list(PERIODS), since=since, until=now,
                  overdue=overdue, pending=pending, reactions=ciram.REACTIONS,
                  legend=legend, level_words=LEVEL_WORDS, units=UNITS, headline=HEADLINE)


def _last_months(table: pl.DataFrame) -> list[str]:
    """The closed months the sparklines cover, oldest first."""
    if table.is_empty():
        return []
    return sorted(set(table["period"].to_list()))[-12:]


def _sparklines(table: pl.DataFrame) -> dict[str, dict[str, Any]]:
    """Each section's main indicator (the largest over the last 12 months) as a sparkline,
    its last month flagged when it raised an alarm."""
    if table.is_empty():
        return {}
    series = complete_months(table, keys=("section", "indicator"))
    alarms = indicator_alarms(table)
    alarmed = set() if alarms.is_empty() else {
        (r["section"], r["indicator"]) for r in alarms.filter(
            pl.col("alarm") & (pl.col("period") == alarms["period"].max())).iter_rows(
            named=True)}
    best: dict[str, tuple[float, str, list[float]]] = {}
    for (section, indicator), (_, counts) in series.items():
        last12 = [float(c) for c in counts[-12:]]
        if sum(last12) > best.get(section, (-1.0, "", []))[0]:
            best[section] = (sum(last12), indicator, last12)
    return {section: {"svg": sparkline_svg(values, alarm_last=(section, indicator) in alarmed),
                      "indicator": indicator, "last": values[-1] if values else 0,
                      "peak": max(values, default=0), "alarm": (section, indicator) in alarmed}
            for section, (_, indicator, values) in best.items()}


# --- incidents ----------------------------------------------------------------------------------

@router.get("/analysis/incidents", response_class=HTMLResponse)
def incidents_page(request: Request, status: str = "", section: str = "",
                   incident_type: str = "", agency: str = "", overdue: bool = False,
                   offset: int = 0,
                   error: str | None = None, http_status: int = 200,
                   values: dict[str, str] | None = None) -> HTMLResponse:
    principal = _principal(request, "incident.read")
    lang = language_of(request, principal)
    _ensure_geography(request)
    where = service.IncidentFilter(
        status=status if status in ("reported", "validated", "closed") else None,
        section=section or None,
        incident_type=incident_type if incident_type in INCIDENT_TYPES else None,
        agency_id=_agency_filter(agency), overdue=overdue)
    with writing(request, principal) as session:
        rows, total = service.list_incidents(session, principal, where,
                                             offset=max(offset, 0), limit=50)
        audit.append(session, action="read", resource_type="incident",
                     resource_id=",".join(str(r.id) for r in rows)[:64] or "-",
                     note=f"incident list page ({len(rows)} incidents)")
        sections = service.list_sections(session)
        points = service.list_crossing_points(session)
        groups = security.list_sharing_groups(session)
        agencies = service.agencies_by_id(session)
    return render(request, "analysis/incidents.html", http_status=http_status, rows=rows,
                  total=total, status=status, section=section, incident_type=incident_type,
                  overdue=overdue, offset=offset, sections=sections, points=points,
                  agency_id=where.agency_id,
                  names={s.id: s.code for s in sections},
                  point_names={p.id: products.point_name(p, lang) for p in points},
                  agencies=agencies,
                  types=INCIDENT_TYPES, reasons=REFUSAL_REASONS, groups=groups, error=error,
                  is_overdue=service.is_overdue, values=values or {},
                  filtered=bool(where.status or where.section or where.incident_type
                                or where.agency_id is not None or overdue),
                  can_report="incident.create" in principal.permissions)


# The report form's labels by field, to name a field in an error as the officer sees it.
INCIDENT_FIELDS = {
    "incident_type": "Type", "refusal_reason": "Refusal reason", "occurred_at": "Time (UTC)",
    "section": "Border section", "crossing_point": "Crossing point", "lat": "Latitude",
    "lon": "Longitude", "persons": "Persons", "nationality": "Nationality",
    "vehicles": "Vehicles", "goods": "Goods", "impact": "Impact", "confidence": "Confidence",
    "source_reliability": "Source reliability",
    "information_credibility": "Information credibility", "summary": "Description",
    "distribution": "Distribution", "sharing_group_id": "Sharing group",
}


def _incident_body(form: FormData) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for name in ("incident_type", "refusal_reason", "section", "crossing_point", "nationality",
                 "goods", "impact", "confidence", "source_reliability",
                 "information_credibility", "summary", "distribution", "tlp"):
        value = str(form.get(name, "")).strip()
        if value:
            body[name] = value.upper() if name == "nationality" else value
    for name in ("persons", "vehicles", "sharing_group_id"):
        value = str(form.get(name, "")).strip()
        if value:
            body[name] = whole_number(value)
    for name in ("lat", "lon"):
        value = str(form.get(name, "")).strip()
        if value:
            body[name] = value
    occurred = str(form.get("occurred_at", "")).strip()
    if occurred:
        # The form's datetime-local has no zone; the page says the time is UTC.
        body["occurred_at"] = occurred if occurred.endswith("Z") else occurred + "Z"
    return body


@router.post("/analysis/incidents", response_model=None)
async def incident_create(request: Request) -> Response:
    form, principal = await _form_principal(request, "incident.create")
    # What the officer typed comes back into the form, so an error costs one correction.
    typed = {name: str(value) for name, value in form.items() if name != "csrf_token"}
    try:
        data = IncidentIn.model_validate(_incident_body(form))
        with writing(request, principal) as session:
            incident = service.report_incident(session, principal, data)
            incident_id = incident.id
    except ValidationError as exc:
        return incidents_page(request, http_status=422, values=typed, error=_problems(
            exc, translator(language_of(request, principal)), INCIDENT_FIELDS))
    except ChegaraError as exc:
        return incidents_page(request, error=exc.message, http_status=exc.status, values=typed)
    return _see_other(f"/analysis/incidents/{incident_id}")


@router.get("/analysis/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(incident_id: int, request: Request) -> HTMLResponse:
    principal = _principal(request, "incident.read")
    with writing(request, principal) as session:
        incident = service.get_incident(session, principal, incident_id)
        audit.record_read(session, resource_type="incident", resource_id=incident.id,
                          purpose="incident opened")
        names = service.section_names(session)
        point_names = service.crossing_point_names(session)
        agencies = service.agencies_by_id(session)
    owner = incident.owner_agency_id == principal.agency_id
    return render(request, "analysis/incident.html", incident=incident, names=names,
                  point_names=point_names, agencies=agencies,
                  due=service.first_report_due(incident),
                  overdue=service.is_overdue(incident), reasons=REFUSAL_REASONS,
                  transitions=sorted(service.TRANSITIONS.get(incident.status, set())),
                  can_report=owner and "incident.create" in principal.permissions,
                  can_validate=owner and "incident.validate" in principal.permissions)


@router.post("/analysis/incidents/{incident_id}/first-report")
async def incident_first_report(incident_id: int, request: Request) -> RedirectResponse:
    form, principal = await _form_principal(request, "incident.create")
    text = str(form.get("text", "")).strip()
    if len(text) < 3:
        raise BadInput("write the first report")
    with writing(request, principal) as session:
        service.file_first_report(session, principal, incident_id, text[:5000])
    return _see_other(f"/analysis/incidents/{incident_id}")


@router.post("/analysis/incidents/{incident_id}/status")
async def incident_status(incident_id: int, request: Request) -> RedirectResponse:
    form, principal = await _form_principal(request, "incident.validate")
    with writing(request, principal) as session:
        service.move_incident(session, principal, incident_id, str(form.get("status", "")))
    return _see_other(f"/analysis/incidents/{incident_id}")


# --- indicators and analytics -------------------------------------------------------------------

@router.get("/analysis/indicators", response_class=HTMLResponse)
def indicators_page(request: Request, by: str = "section", agency: str | None = None,
                    message: str | None = None, error: str | None = None,
                    http_status: int = 200) -> HTMLResponse:
    principal = _principal(request, "indicator.read")
    _ensure_geography(request)
    by = by if by in BREAKDOWNS else "section"
    agency_id = _agency_filter(agency)
    with reading(request) as session:
        table = service.indicator_table(session, service.Scope(principal, agency_id=agency_id),
                                        by=by)
        agencies = service.agencies_by_id(session)
    months: list[str] = []
    grid: dict[str, dict[str, float]] = {}
    indicators: list[str] = []
    if not table.is_empty():
        months = sorted(set(table["period"].to_list()))[-12:]
        recent = table.filter(pl.col("period").is_in(months))
        indicators = [i for i in INDICATORS if i in set(recent["indicator"].to_list())]
        for row in recent.group_by([by, "indicator"]).agg(pl.col("count").sum()).iter_rows(
                named=True):
            grid.setdefault(str(row[by]), {})[str(row["indicator"])] = float(row["count"])
    return render(request, "analysis/indicators.html", http_status=http_status, by=by,
                  months=months, grid=dict(sorted(grid.items())), indicators=indicators,
                  agencies=agencies, agency_id=agency_id, message=message, error=error,
                  agency_code=agencies[agency_id].code if agency_id in agencies else None,
                  breakdowns=BREAKDOWNS, units=UNITS,
                  can_import="indicator.import" in principal.permissions)


@router.post("/analysis/statistics", response_class=HTMLResponse)
async def statistics_upload(request: Request) -> HTMLResponse:
    form, principal = await _form_principal(request, "indicator.import")
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        return indicators_page(request, error="Choose a COUNTS.csv file.", http_status=422)
    data = await upload.read()
    try:
        text = data.decode("utf-8-sig")
        with writing(request, principal) as session:
            result = service.import_statistics(
                session, principal, io.StringIO(text, newline=""),
                source_name=upload.filename or "statistics.csv",
                distribution=str(form.get("distribution", "national")))
    except UnicodeDecodeError:
        return indicators_page(request, error="The file is not UTF-8 text.", http_status=422)
    except ChegaraError as exc:
        return indicators_page(request, error=exc.message, http_status=exc.status)
    note = f"{result.rows} / {result.series}"
    if result.unknown_sections:
        note += " · " + ", ".join(result.unknown_sections)
    return indicators_page(request, message=note)


# Matplotlib takes 0.1-0.3 s a chart and the analytics page draws up to twelve; the figures
# change once a month, and analysts come back to them, so drawn charts are kept by content.
_DRAWN: OrderedDict[tuple[str, str], str] = OrderedDict()
_DRAWN_LOCK = threading.Lock()
_DRAWN_KEPT = 256


def analytics_chart(chart: SeriesChart, language: str, translate: Callable[[str], str]) -> str:
    """The analytics page's chart of one series, drawn once per content and language."""
    key = (language, repr(chart))
    with _DRAWN_LOCK:
        drawn = _DRAWN.get(key)
        if drawn is not None:
            _DRAWN.move_to_end(key)
            return drawn
    drawn = series_chart_svg(chart, width_in=6.0, height_in=2.2, translate=translate)
    with _DRAWN_LOCK:
        _DRAWN[key] = drawn
        while len(_DRAWN) > _DRAWN_KEPT:
            _DRAWN.popitem(last=False)
    return drawn


@router.get("/analysis/analytics", response_class=HTMLResponse)
def analytics_page(request: Request, indicator: str = HEADLINE,
                   agency: str | None = None) -> HTMLResponse:
    principal = _principal(request, "indicator.read")
    _ensure_geography(request)
    indicator = indicator if indicator in INDICATORS else HEADLINE
    agency_id = _agency_filter(agency)
    with reading(request) as session:
        result = service.analytics(session, service.Scope(principal, agency_id=agency_id),
                                   indicator=indicator)
        agencies = service.agencies_by_id(session)
    translate = translator(language_of(request, principal))
    subject = f"{translate(indicator.replace('_', ' '))}, {translate(UNITS[indicator])}"
    charts = {f.section: analytics_chart(SeriesChart(
        title=f"{f.section}: {subject}", periods=f.periods[-36:], counts=f.counts[-36:],
        trend=f.trend[-36:], forecast_periods=f.forecast_periods, forecast=f.forecast,
        lower80=f.lower80, upper80=f.upper80, alarms=[p for p in f.alarm_periods
                                                      if p in f.periods[-36:]]),
        language_of(request, principal), translate) for f in result.sections[:12]}
    return render(request, "analysis/analytics.html", result=result, charts=charts,
                  indicators=INDICATORS, indicator=indicator, agencies=agencies,
                  agency_id=agency_id, units=UNITS, headline=HEADLINE,
                  hotspot_words=products.FINDINGS,
                  agency_code=agencies[agency_id].code if agency_id in agencies else None)


# --- CIRAM and impact levels --------------------------------------------------------------------

@router.get("/analysis/ciram", response_class=HTMLResponse)
def ciram_page(request: Request, error: str | None = None, http_status: int = 200
               ) -> HTMLResponse:
    principal = _principal(request, "ciram.read")
    _ensure_geography(request)
    config = service.ciram_config(_home(request))
    with reading(request) as session:
        sections = service.list_sections(session)
        assessments = service.list_assessments(session, principal)
        history = service.impact_history(session)
    return render(request, "analysis/ciram.html", http_status=http_status, config=config,
                  sections=sections, assessments=assessments, history=history,
                  names={s.id: s.code for s in sections}, levels=ciram.IMPACT_LEVELS,
                  reactions=config.reactions, types=INCIDENT_TYPES, error=error,
                  level_words=LEVEL_WORDS,
                  can_assess="ciram.manage" in principal.permissions,
                  can_propose="impact_level.propose" in principal.permissions)


CIRAM_FIELDS = {"section": "Border section", "threat": "Threat", "period": "Period",
                "magnitude": "Magnitude", "likelihood": "Likelihood",
                "rationale": "Rationale", "distribution": "Distribution"}


@router.post("/analysis/ciram/assessments", response_class=HTMLResponse, response_model=None)
async def ciram_assess(request: Request) -> Response:
    form, principal = await _form_principal(request, "ciram.manage")
    config = service.ciram_config(_home(request))

    def number(name: str) -> int:
        value = str(form.get(name, "")).strip()
        return int(value) if value.isdigit() else 0

    body = {"section": str(form.get("section", "")), "threat": str(form.get("threat", "")),
            "period": str(form.get("period", "")), "magnitude": number("magnitude"),
            "likelihood": number("likelihood"),
            "vulnerability": {i: number(f"v_{i}") for i in config.vulnerability_items},
            "impacts": {d: number(f"i_{d}") for d in config.impact_dimensions},
            "rationale": str(form.get("rationale", "")),
            "distribution": str(form.get("distribution", "national")),
            "tlp": str(form.get("tlp", "amber"))}
    try:
        data = AssessmentIn.model_validate(body)
        with writing(request, principal) as session:
            service.create_assessment(session, principal, data, config)
    except ValidationError as exc:
        return ciram_page(request, http_status=422, error=_problems(
            exc, translator(language_of(request, principal)), CIRAM_FIELDS))
    except ChegaraError as exc:
        return ciram_page(request, error=exc.message, http_status=exc.status)
    return _see_other("/analysis/ciram")


@router.post("/analysis/sections/impact-level", response_model=None)
async def propose_level(request: Request) -> Response:
    form, principal = await _form_principal(request, "impact_level.propose")
    assessment = str(form.get("assessment_id", "")).strip()
    try:
        with writing(request, principal) as session:
            service.propose_impact_level(
                session, principal, str(form.get("section", "")),
                level=str(form.get("level", "")), reason=str(form.get("reason", ""))[:2000],
                assessment_id=int(assessment) if assessment.isdigit() else None)
    except ChegaraError as exc:
        return ciram_page(request, error=exc.message, http_status=exc.status)
    return _see_other("/analysis/ciram")


# --- products -----------------------------------------------------------------------------------

@router.get("/analysis/products", response_class=HTMLResponse)
def products_page(request: Request, error: str | None = None, http_status: int = 200
                  ) -> HTMLResponse:
    principal = _principal(request, "product.read")
    _ensure_geography(request)
    with reading(request) as session:
        rows = products.list_products(session, principal)
        sections = service.list_sections(session)
    now = utcnow()
    return render(request, "analysis/products.html", http_status=http_status, rows=rows,
                  sections=sections, error=error,
                  default_month=period_label(now.year * 12 + now.month - 2),
                  can_generate="product.generate" in principal.permissions)


@router.post("/analysis/products", response_model=None)
async def product_generate(request: Request) -> Response:
    form, principal = await _form_principal(request, "product.generate")
    kind = str(form.get("kind", "bulletin"))
    period = str(form.get("period", "")).strip()
    section = str(form.get("section", "")).strip() or None
    try:
        with writing(request, principal) as session:
            product = products.generate(
                session, principal, kind=kind, period=period,
                edition=str(form.get("edition", "restricted")),
                section=section if kind == "section" else None, home=_home(request),
                language=language_of(request, principal))
            product_id = product.id
    except ChegaraError as exc:
        return products_page(request, error=exc.message, http_status=exc.status)
    return _see_other(f"/analysis/products/{product_id}")


@router.get("/analysis/products/{product_id}", response_class=HTMLResponse)
def product_page(product_id: int, request: Request) -> HTMLResponse:
    principal = _principal(request, "product.read")
    with reading(request) as session:
        product = products.get_product(session, principal, product_id)
    return render(request, "analysis/product.html", product=product)


@router.get("/analysis/products/{product_id}/document", response_class=HTMLResponse)
def product_document(product_id: int, request: Request) -> HTMLResponse:
    principal = _principal(request, "product.read")
    with reading(request) as session:
        product = products.get_product(session, principal, product_id)
    return HTMLResponse(product.html)


@router.get("/analysis/products/{product_id}/pdf")
def product_pdf(product_id: int, request: Request) -> Response:
    principal = _principal(request, "product.read")
    with reading(request) as session:
        product = products.get_product(session, principal, product_id)
    return pdf_response(product.html, f"chegara-{product.kind}-{product.period}.pdf")


# --- geography ----------------------------------------------------------------------------------

@router.get("/analysis/geography", response_class=HTMLResponse)
def geography_page(request: Request, error: str | None = None, http_status: int = 200
                   ) -> HTMLResponse:
    principal = _principal(request, "geography.read")
    _ensure_geography(request)
    with reading(request) as session:
        sections = service.list_sections(session)
        points = service.list_crossing_points(session)
        countries = service.list_countries(session)
    return render(request, "analysis/geography.html", http_status=http_status,
                  sections=sections, points=points, countries=countries,
                  names={s.id: s.code for s in sections}, error=error,
                  can_manage="geography.manage" in principal.permissions)


@router.post("/analysis/geography/sections", response_model=None)
async def geography_section(request: Request) -> Response:
    form, principal = await _form_principal(request, "geography.manage")
    try:
        data = SectionUpdateIn(
            name_ru=str(form.get("name_ru", "")).strip() or None,
            neighbours=[str(n) for n in form.getlist("neighbours")])
        with writing(request, principal) as session:
            service.update_section(session, principal, str(form.get("code", "")), data)
    except ValidationError as exc:
        return geography_page(request, http_status=422, error=_problems(
            exc, translator(language_of(request, principal))))
    except ChegaraError as exc:
        return geography_page(request, error=exc.message, http_status=exc.status)
    return _see_other("/analysis/geography")


@router.post("/analysis/geography/crossing-points", response_model=None)
async def geography_point(request: Request) -> Response:
    form, principal = await _form_principal(request, "geography.manage")
    try:
        data = CrossingPointIn.model_validate({
            "code": str(form.get("code", "")).strip().upper(),
            "name": str(form.get("name", "")).strip(),
            "name_ru": str(form.get("name_ru", "")).strip(),
            "section": str(form.get("section", "")), "kind": str(form.get("kind", "road")),
            "lon": str(form.get("lon", "")), "lat": str(form.get("lat", "")),
            "counterpart": str(form.get("counterpart", "")).strip(),
            "active": form.get("active") is not None})
        with writing(request, principal) as session:
            service.save_crossing_point(session, principal, data)
    except ValidationError as exc:
        return geography_page(request, http_status=422, error=_problems(
            exc, translator(language_of(request, principal))))
    except ChegaraError as exc:
        return geography_page(request, error=exc.message, http_status=exc.status)
    return _see_other("/analysis/geography")
