"""Strategic risk analysis: geography, incidents and their workflow, indicators, analytics,
CIRAM assessments and section impact levels with four-eyes approval.

The statistics themselves live in the pure modules (indicators, trends, anomaly, hotspots,
displacement, forecast); this module fetches what the principal may see, hands it to them and
keeps every figure next to the name of the method that produced it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from sqlalchemy import ColumnElement, Select, delete, func, insert, select
from sqlalchemy.orm import Session

from chegara import messages
from chegara.analysis import ciram
from chegara.analysis.countsfile import CountsFileError, parse_counts, period_label
from chegara.analysis.displacement import displacement_scan
from chegara.analysis.forecast import forecast_counts
from chegara.analysis.geography import Geography, shipped_geography
from chegara.analysis.hotspots import getis_ord_gi_star
from chegara.analysis.indicators import (
    INDICATORS,
    combine_with_statistics,
    complete_months,
    indicator_alarms,
    monthly_indicators,
)
from chegara.analysis.models import (
    BorderSection,
    CiramAssessment,
    Country,
    CrossingPoint,
    ImpactLevelChange,
    Incident,
    IndicatorStatistic,
)
from chegara.analysis.schemas import (
    AssessmentIn,
    CrossingPointIn,
    IncidentIn,
    SectionUpdateIn,
)
from chegara.analysis.trends import decompose, year_on_year
from chegara.db.base import Distribution, Tlp, utcnow
from chegara.errors import BadInput, Forbidden, NotFound
from chegara.security import approvals, audit
from chegara.security.models import Agency, Approval
from chegara.security.policy import Principal
from chegara.security.scoping import scoped, visible_to
from chegara.security.service import require

FIRST_REPORT_HOURS = 24
COUNTED_STATUSES = ("validated", "closed")
IMPACT_LEVEL_KIND = "impact_level.set"
TRANSITIONS = {"reported": {"validated", "closed"}, "validated": {"closed"}, "closed": set()}


# --- geography ----------------------------------------------------------------------------------

def seed_geography(session: Session, geography: Geography | None = None) -> int:
    """Insert the shipped countries, sections and crossing points that are not there yet
    (administrators' edits are kept); returns how many rows were added."""
    geo = geography or shipped_geography()
    added = 0
    have = set(session.scalars(select(Country.code)))
    for country in geo.countries:
        if country.code not in have:
            session.add(Country(code=country.code, name=country.name, name_ru=country.name_ru))
            added += 1
    sections = {s.code: s for s in session.scalars(select(BorderSection))}
    for data in geo.sections:
        if data.code not in sections:
            section = BorderSection(code=data.code, name_ru=data.name_ru,
                                    neighbour_code=data.neighbour, oblast=data.oblast,
                                    path=[list(p) for p in data.path],
                                    neighbours=geo.neighbours_of(data.code),
                                    impact_level="low")
            session.add(section)
            sections[data.code] = section
            added += 1
    session.flush()
    points = set(session.scalars(select(CrossingPoint.code)))
    for point in geo.crossing_points:
        if point.code not in points:
            session.add(CrossingPoint(
                code=point.code, name=point.name, name_ru=point.name_ru,
                section_id=sections[point.section].id, kind=point.kind, lon=point.lon,
                lat=point.lat, counterpart=point.counterpart, seasonal=point.seasonal,
                active=point.active))
            added += 1
    session.flush()
    return added


def ensure_geography(session: Session) -> None:
    """A fresh installation starts from the shipped geography."""
    if not session.scalar(select(func.count()).select_from(BorderSection)):
        seed_geography(session)


def list_sections(session: Session) -> list[BorderSection]:
    return list(session.scalars(select(BorderSection).order_by(BorderSection.id)))


def list_countries(session: Session) -> list[Country]:
    return list(session.scalars(select(Country).order_by(Country.code)))


def get_section(session: Session, code: str) -> BorderSection:
    section = session.scalar(select(BorderSection).where(BorderSection.code == code))
    if section is None:
        raise NotFound(f"no border section {code!r}")
    return section


def list_crossing_points(session: Session) -> list[CrossingPoint]:
    return list(session.scalars(select(CrossingPoint).order_by(CrossingPoint.section_id,
                                                               CrossingPoint.name)))


def adjacency(sections: Sequence[BorderSection]) -> list[tuple[str, str]]:
    """Each neighbouring pair once, from the sections' neighbour lists."""
    codes = {s.code for s in sections}
    pairs = {tuple(sorted((s.code, n))) for s in sections for n in s.neighbours if n in codes}
    return sorted((a, b) for a, b in pairs)


def update_section(session: Session, principal: Principal, code: str, data: SectionUpdateIn
                   ) -> BorderSection:
    require(principal, "geography.manage")
    section = get_section(session, code)
    if data.neighbours is not None:
        known = set(session.scalars(select(BorderSection.code)))
        unknown = sorted(set(data.neighbours) - known) + (
            [code] if code in data.neighbours else [])
        if unknown:
            raise BadInput(f"not a neighbouring section: {', '.join(unknown)}")
        _set_neighbours(session, section, sorted(set(data.neighbours)))
    if data.name_ru is not None:
        section.name_ru = data.name_ru
    if data.oblast is not None:
        section.oblast = data.oblast
    if data.path is not None:
        section.path = [list(p) for p in data.path]
    session.flush()
    return section


def _set_neighbours(session: Session, section: BorderSection, neighbours: list[str]) -> None:
    # Adjacency is symmetric: keep the other side's lists in step.
    for other in list_sections(session):
        if other.id == section.id:
            continue
        has = section.code in other.neighbours
        if other.code in neighbours and not has:
            other.neighbours = sorted([*other.neighbours, section.code])
        elif other.code not in neighbours and has:
            other.neighbours = [n for n in other.neighbours if n != section.code]
    section.neighbours = neighbours


def save_crossing_point(session: Session, principal: Principal, data: CrossingPointIn
                        ) -> CrossingPoint:
    require(principal, "geography.manage")
    section = get_section(session, data.section)
    point = session.scalar(select(CrossingPoint).where(CrossingPoint.code == data.code))
    if point is None:
        point = CrossingPoint(code=data.code)
        session.add(point)
    point.name, point.name_ru, point.section_id = data.name, data.name_ru, section.id
    point.kind, point.lon, point.lat = data.kind, data.lon, data.lat
    point.counterpart, point.seasonal, point.active = data.counterpart, data.seasonal, data.active
    session.flush()
    return point


# --- incidents ----------------------------------------------------------------------------------

def first_report_due(incident: Incident) -> dt.datetime | None:
    if incident.impact != "high":
        return None
    return incident.occurred_at + dt.timedelta(hours=FIRST_REPORT_HOURS)


def is_overdue(incident: Incident, now: dt.datetime | None = None) -> bool:
    """A high-impact incident whose first report is missing after 24 hours, or came late."""
    due = first_report_due(incident)
    if due is None:
        return False
    if incident.first_report_at is None:
        return (now or utcnow()) > due
    return incident.first_report_at > due


def report_incident(session: Session, principal: Principal, data: IncidentIn) -> Incident:
    require(principal, "incident.create")
    ensure_geography(session)
    section = get_section(session, data.section)
    point_id = None
    if data.crossing_point:
        point = session.scalar(select(CrossingPoint).where(
            CrossingPoint.code == data.crossing_point))
        if point is None:
            raise BadInput(f"no crossing point {data.crossing_point!r}",
                           details=[{"field": "crossing_point"}])
        if point.section_id != section.id:
            raise BadInput(f"crossing point {point.name} is not on section {section.code}",
                           details=[{"field": "crossing_point"}])
        point_id = point.id
    if data.incident_type == "refusal_of_entry" and data.refusal_reason is None:
        raise BadInput("a refusal of entry needs its reason (A-I)",
                       details=[{"field": "refusal_reason"}])
    if data.distribution == Distribution.SHARING_GROUP.value and data.sharing_group_id is None:
        raise BadInput("choose the sharing group", details=[{"field": "sharing_group_id"}])
    if data.occurred_at > utcnow() + dt.timedelta(minutes=5):
        raise BadInput("the incident cannot have happened in the future",
                       details=[{"field": "occurred_at"}])
    incident = Incident(
        incident_type=data.incident_type,
        refusal_reason=data.refusal_reason if data.incident_type == "refusal_of_entry" else None,
        occurred_at=data.occurred_at, section_id=section.id, crossing_point_id=point_id,
        lat=data.lat, lon=data.lon, persons=data.persons, nationality=data.nationality,
        vehicles=data.vehicles, goods=data.goods, impact=data.impact,
        confidence=data.confidence, source_reliability=data.source_reliability,
        information_credibility=data.information_credibility, summary=data.summary,
        status="reported", owner_agency_id=principal.agency_id,
        distribution=data.distribution,
        sharing_group_id=data.sharing_group_id if data.distribution == "sharing_group"
        else None, tlp=data.tlp.value, reported_by_id=principal.user_id, created_at=utcnow())
    session.add(incident)
    session.flush()
    return incident


@dataclass(frozen=True)
class IncidentFilter:
    status: str | None = None
    section: str | None = None
    incident_type: str | None = None
    agency_id: int | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    overdue: bool = False


def _filtered(session: Session, principal: Principal, where: IncidentFilter
              ) -> Select[Incident]:
    query = scoped(select(Incident), Incident, principal)
    if where.status:
        query = query.where(Incident.status == where.status)
    if where.section:
        query = query.where(Incident.section_id == get_section(session, where.section).id)
    if where.incident_type:
        query = query.where(Incident.incident_type == where.incident_type)
    if where.agency_id is not None:
        query = query.where(Incident.owner_agency_id == where.agency_id)
    if where.since is not None:
        query = query.where(Incident.occurred_at >= where.since)
    if where.until is not None:
        query = query.where(Incident.occurred_at < where.until)
    if where.overdue:
        query = query.where(
            Incident.impact == "high", Incident.first_report_at.is_(None),
            Incident.occurred_at < utcnow() - dt.timedelta(hours=FIRST_REPORT_HOURS))
    return query


def list_incidents(session: Session, principal: Principal, where: IncidentFilter, *,
                   offset: int = 0, limit: int = 50) -> tuple[list[Incident], int]:
    require(principal, "incident.read")
    query = _filtered(session, principal, where)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Incident.occurred_at.desc(), Incident.id.desc())
                           .offset(offset).limit(limit))
    return list(rows), total


def get_incident(session: Session, principal: Principal, incident_id: int) -> Incident:
    require(principal, "incident.read")
    incident = session.scalar(scoped(select(Incident).where(Incident.id == incident_id),
                                     Incident, principal))
    if incident is None:
        raise NotFound(f"incident {incident_id} does not exist or is not shared with you")
    return incident


def _owned(session: Session, principal: Principal, incident_id: int) -> Incident:
    incident = get_incident(session, principal, incident_id)
    if incident.owner_agency_id != principal.agency_id:
        raise Forbidden("only the reporting agency may change this incident")
    return incident


def file_first_report(session: Session, principal: Principal, incident_id: int, text: str
                      ) -> Incident:
    require(principal, "incident.create")
    incident = _owned(session, principal, incident_id)
    if incident.first_report_at is not None:
        raise BadInput("the first report was already filed")
    incident.first_report = text.strip()
    incident.first_report_at = utcnow()
    session.flush()
    return incident


def move_incident(session: Session, principal: Principal, incident_id: int, status: str
                  ) -> Incident:
    """reported -> validated -> closed (a reported incident may also be closed unvalidated)."""
    require(principal, "incident.validate")
    incident = _owned(session, principal, incident_id)
    if status not in TRANSITIONS.get(incident.status, set()):
        raise BadInput(f"an incident that is {incident.status} cannot become {status}")
    incident.status = status
    now = utcnow()
    if status == "validated":
        incident.validated_at = now
        incident.validated_by_id = principal.user_id
    else:
        incident.closed_at = now
    session.flush()
    return incident


# --- indicators ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    """Which records feed a figure: what the principal sees, cut further for a public edition
    or by agency and time."""

    principal: Principal
    public_only: bool = False
    agency_id: int | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def _public(model: type[Incident] | type[IndicatorStatistic]) -> ColumnElement[bool]:
    # The public edition keeps only what is already shared with every national agency and
    # marked for wide handling (TLP:CLEAR or GREEN).
    return (model.distribution.in_([Distribution.NATIONAL.value, Distribution.PARTNERS.value])
            & model.tlp.in_([Tlp.CLEAR.value, Tlp.GREEN.value]))


def incident_frame(session: Session, scope: Scope) -> pl.DataFrame:
    """Counted (validated or closed) incidents as the columns indicators.py expects."""
    section = BorderSection.__table__.alias("s")
    point = CrossingPoint.__table__.alias("p")
    agency = Agency.__table__.alias("a")
    query = (select(Incident.occurred_at, section.c.code.label("section"),
                    point.c.code.label("crossing_point"), Incident.nationality,
                    agency.c.code.label("agency"), Incident.incident_type.label("type"),
                    Incident.persons)
             .join(section, section.c.id == Incident.section_id)
             .outerjoin(point, point.c.id == Incident.crossing_point_id)
             .join(agency, agency.c.id == Incident.owner_agency_id)
             .where(Incident.status.in_(COUNTED_STATUSES)))
    query = query.where(visible_to(Incident, scope.principal))
    if scope.public_only:
        query = query.where(_public(Incident))
    if scope.agency_id is not None:
        query = query.where(Incident.owner_agency_id == scope.agency_id)
    if scope.since is not None:
        query = query.where(Incident.occurred_at >= scope.since)
    if scope.until is not None:
        query = query.where(Incident.occurred_at < scope.until)
    rows = session.execute(query).all()
    schema: dict[str, Any] = {"occurred_at": pl.Datetime("us", "UTC"), "section": pl.Utf8,
                              "crossing_point": pl.Utf8, "nationality": pl.Utf8,
                              "agency": pl.Utf8, "type": pl.Utf8, "persons": pl.Int64}
    data = {name: [row[i] for row in rows] for i, name in enumerate(schema)}
    frame = pl.DataFrame(data, schema=schema)
    # Persons 0 means "not counted" (e.g. a seizure); the indicator rule counts one then.
    return frame.with_columns(pl.when(pl.col("persons") > 0).then(pl.col("persons"))
                              .otherwise(None).alias("persons"))


def statistics_frame(session: Session, scope: Scope) -> pl.DataFrame:
    query = select(IndicatorStatistic.period, IndicatorStatistic.section,
                   IndicatorStatistic.indicator, IndicatorStatistic.count).where(
        visible_to(IndicatorStatistic, scope.principal))
    if scope.public_only:
        query = query.where(_public(IndicatorStatistic))
    if scope.agency_id is not None:
        query = query.where(IndicatorStatistic.owner_agency_id == scope.agency_id)
    rows = session.execute(query).all()
    frame = pl.DataFrame([tuple(r) for r in rows],
                         schema={"period": pl.Utf8, "section": pl.Utf8, "indicator": pl.Utf8,
                                 "count": pl.Float64}, orient="row")
    if scope.since is not None:
        frame = frame.filter(pl.col("period") >= scope.since.strftime("%Y-%m"))
    if scope.until is not None:
        frame = frame.filter(pl.col("period") < scope.until.strftime("%Y-%m"))
    # Several agencies may report the same figure; the bulletin shows the largest.
    return frame.group_by(["period", "section", "indicator"]).agg(pl.col("count").max())


def indicator_table(session: Session, scope: Scope, *, by: str = "section") -> pl.DataFrame:
    """Monthly indicators: period, <by>, indicator, count (and source when by section)."""
    require(scope.principal, "indicator.read")
    computed = monthly_indicators(incident_frame(session, scope), by=(by,))
    if by != "section":
        return computed.with_columns(pl.lit("incidents").alias("source"))
    return combine_with_statistics(computed, statistics_frame(session, scope))


@dataclass(frozen=True)
class ImportResult:
    rows: int
    series: int
    filled_months: int
    unknown_sections: list[str]


def import_statistics(session: Session, principal: Principal, lines: Iterable[str], *,
                      source_name: str, distribution: str = Distribution.NATIONAL.value,
                      tlp: str = Tlp.GREEN.value) -> ImportResult:
    """Import a COUNTS.csv: all rows or none. A bad line is named in the error; a figure
    already imported by this agency for the same month, section and indicator is replaced."""
    require(principal, "indicator.import")
    ensure_geography(session)
    if distribution not in (Distribution.AGENCY.value, Distribution.NATIONAL.value):
        raise BadInput("statistics are shared with your agency only or nationally")
    try:
        series = parse_counts(lines)
    except CountsFileError as error:
        raise BadInput(f"{source_name}: {error}", details=[{"line": error.line,
                                                             "problem": error.message}]) from None
    except UnicodeDecodeError as error:
        raise BadInput(f"{source_name}: not UTF-8 text ({error.reason})") from None
    rows = [
        {"period": period_label(one.start + i), "section": one.section,
         "indicator": one.indicator, "count": float(count)}
        for one in series for i, count in enumerate(one.counts)
    ]
    known = set(session.scalars(select(BorderSection.code)))
    unknown = sorted({one.section for one in series} - known)
    keys = {(r["period"], r["section"], r["indicator"]) for r in rows}
    existing = session.execute(select(IndicatorStatistic.id, IndicatorStatistic.period,
                                      IndicatorStatistic.section, IndicatorStatistic.indicator)
                               .where(IndicatorStatistic.owner_agency_id == principal.agency_id)
                               ).all()
    stale = [r.id for r in existing if (r.period, r.section, r.indicator) in keys]
    for start in range(0, len(stale), 500):
        session.execute(delete(IndicatorStatistic).where(
            IndicatorStatistic.id.in_(stale[start:start + 500])))
    now = utcnow()
    if rows:
        session.execute(insert(IndicatorStatistic), [
            {**r, "owner_agency_id": principal.agency_id, "distribution": distribution,
             "sharing_group_id": None, "tlp": tlp, "source_name": source_name[:255],
             "imported_at": now} for r in rows])
    audit.append(session, action="import", resource_type="indicator_statistic",
                 resource_id=source_name[:64], change={"rows": len(rows), "replaced": len(stale)},
                 note=f"{len(rows)} monthly figures from {source_name}, {len(stale)} replaced")
    return ImportResult(len(rows), len(series), sum(s.filled_months for s in series), unknown)


# --- analytics ----------------------------------------------------------------------------------

@dataclass
class SectionFigures:
    section: str
    periods: list[str]
    counts: list[float]
    trend: list[float]
    trend_method: str
    year_on_year_percent: float | None
    year_on_year_method: str
    alarm_periods: list[str]
    last_expected: float | None
    last_upper: float | None
    last_alarm: bool
    alarm_method: str
    forecast_periods: list[str]
    forecast: list[float]
    lower80: list[float]
    upper80: list[float]
    forecast_method: str


@dataclass
class Analytics:
    indicator: str
    periods: list[str]
    sections: list[SectionFigures] = field(default_factory=list)
    hotspots: list[dict[str, object]] = field(default_factory=list)
    hotspot_method: str = ""
    hotspot_window: str = ""
    displacement: list[dict[str, object]] = field(default_factory=list)
    displacement_method: str = ""


def closed_months(table: pl.DataFrame, now: dt.datetime | None = None) -> pl.DataFrame:
    """Only months that are over: the running month's count is partial and would read as a
    fall in every trend, alarm and forecast."""
    if table.is_empty():
        return table
    moment = now or utcnow()
    return table.filter(pl.col("period") < f"{moment.year:04d}-{moment.month:02d}")


def _series(table: pl.DataFrame, indicator: str) -> tuple[list[str], dict[str, np.ndarray]]:
    chosen = table.filter(pl.col("indicator") == indicator)
    series = complete_months(chosen, keys=("section",))
    if not series:
        return [], {}
    first, values = next(iter(series.values()))
    periods = [period_label(first + i) for i in range(values.size)]
    return periods, {key[0]: counts for key, (_, counts) in series.items()}


def analytics(session: Session, scope: Scope, *, indicator: str, horizon: int = 6,
              table: pl.DataFrame | None = None) -> Analytics:
    """Trend, year-on-year change, alarms, forecasts per section; Gi* hotspots over the last
    three months; displacement between adjacent sections. Each with its method named."""
    if indicator not in INDICATORS and table is None:
        raise BadInput(f"unknown indicator {indicator!r}; use one of {', '.join(INDICATORS)}")
    table = table if table is not None else closed_months(indicator_table(session, scope))
    periods, series = _series(table, indicator)
    result = Analytics(indicator, periods)
    if not series:
        return result
    sections = list_sections(session)
    for code in [s.code for s in sections if s.code in series] + sorted(
            set(series) - {s.code for s in sections}):
        result.sections.append(_section_figures(code, periods, series[code], horizon))
    alarms = indicator_alarms(table.filter(pl.col("indicator") == indicator),
                              keys=("section", "indicator"))
    if not alarms.is_empty():
        for figures in result.sections:
            mine = alarms.filter(pl.col("section") == figures.section)
            figures.alarm_periods = mine.filter(pl.col("alarm"))["period"].to_list()
            if mine.height:
                last = mine.row(mine.height - 1, named=True)
                figures.last_expected = float(last["expected"])
                figures.last_upper = float(last["upper"])
                figures.last_alarm = bool(last["alarm"])
            figures.alarm_method = str(alarms["method"][0])
    _spatial(result, sections, series, periods)
    return result


def _section_figures(code: str, periods: list[str], counts: np.ndarray, horizon: int
                     ) -> SectionFigures:
    trend = decompose(counts)
    try:
        yoy = year_on_year(counts)
        yoy_percent, yoy_method = yoy.percent, yoy.method
    except ValueError:
        yoy_percent, yoy_method = None, "not enough months for a year-on-year change"
    fc = forecast_counts(counts, horizon)
    last = int(periods[-1][:4]) * 12 + int(periods[-1][5:]) - 1
    return SectionFigures(
        section=code, periods=periods, counts=[float(c) for c in counts],
        trend=[round(float(t), 2) for t in trend.trend], trend_method=trend.method,
        year_on_year_percent=None if yoy_percent is None else round(yoy_percent, 1),
        year_on_year_method=yoy_method, alarm_periods=[], last_expected=None, last_upper=None,
        last_alarm=False, alarm_method="not enough history for alarms (needs 3 years 2 months)",
        forecast_periods=[period_label(last + h) for h in range(1, horizon + 1)],
        forecast=[round(float(v), 1) for v in fc.forecast],
        lower80=[round(float(v), 1) for v in fc.lower80],
        upper80=[round(float(v), 1) for v in fc.upper80], forecast_method=fc.method)


def _spatial(result: Analytics, sections: Sequence[BorderSection],
             series: dict[str, np.ndarray], periods: list[str]) -> None:
    on_map = [s for s in sections if s.code in series]
    pairs = adjacency(on_map)
    if len(on_map) >= 3:
        window = min(3, len(periods))
        values = {s.code: float(series[s.code][-window:].sum()) for s in on_map}
        spots = getis_ord_gi_star(values, pairs)
        result.hotspots = [{"section": h.section, "value": h.value, "z": round(h.z, 2),
                            "p_value": round(h.p_value, 4), "kind": h.kind} for h in spots]
        result.hotspot_method = spots[0].method if spots else ""
        result.hotspot_window = f"{periods[-window]} to {periods[-1]}"
    if pairs and len(periods) >= 8:
        scan = displacement_scan({s.code: series[s.code] for s in on_map}, pairs)
        result.displacement = [
            {"leader": c.leader, "follower": c.follower, "lag": c.lag, "r": round(c.r, 3),
             "p_value": round(c.p_value, 4), "significant": c.significant,
             "displacement": c.displacement}
            for c in scan if c.significant]
        result.displacement_method = scan[0].method if scan else ""


# --- CIRAM and impact levels --------------------------------------------------------------------

def ciram_config(home: Path | None) -> ciram.CiramConfig:
    try:
        return ciram.load_config(None if home is None else home / "ciram.json")
    except ciram.CiramConfigError as error:
        raise BadInput(str(error)) from None


def create_assessment(session: Session, principal: Principal, data: AssessmentIn,
                      config: ciram.CiramConfig) -> tuple[CiramAssessment, ciram.CiramScore]:
    require(principal, "ciram.manage")
    ensure_geography(session)
    section = get_section(session, data.section)
    try:
        scored = ciram.score(config, magnitude=data.magnitude, likelihood=data.likelihood,
                             vulnerability=data.vulnerability, impacts=data.impacts)
    except ValueError as error:
        raise BadInput(str(error)) from None
    if data.distribution == Distribution.SHARING_GROUP.value and data.sharing_group_id is None:
        raise BadInput("choose the sharing group", details=[{"field": "sharing_group_id"}])
    assessment = CiramAssessment(
        section_id=section.id, threat=data.threat, period=data.period,
        magnitude=data.magnitude, likelihood=data.likelihood,
        vulnerability=dict(data.vulnerability), impacts=dict(data.impacts),
        threat_score=scored.threat, vulnerability_score=scored.vulnerability,
        impact_score=scored.impact, risk_level=scored.risk_level,
        proposed_impact_level=scored.risk_level,
        rationale=(data.rationale + "\n\n" if data.rationale else "") + scored.explanation,
        owner_agency_id=principal.agency_id, distribution=data.distribution,
        sharing_group_id=data.sharing_group_id if data.distribution == "sharing_group"
        else None, tlp=data.tlp.value, created_by_id=principal.user_id, created_at=utcnow())
    session.add(assessment)
    session.flush()
    return assessment, scored


def list_assessments(session: Session, principal: Principal, *, section: str | None = None,
                     public_only: bool = False, made_before: dt.datetime | None = None,
                     limit: int = 200) -> list[CiramAssessment]:
    """Assessments the principal may see, newest first; ``made_before`` keeps those that
    existed at that moment (what a product about a past period could have known)."""
    require(principal, "ciram.read")
    query = scoped(select(CiramAssessment), CiramAssessment, principal)
    if section:
        query = query.where(CiramAssessment.section_id == get_section(session, section).id)
    if public_only:
        query = query.where(CiramAssessment.distribution.in_(["national", "partners"]),
                            CiramAssessment.tlp.in_(["clear", "green"]))
    if made_before is not None:
        query = query.where(CiramAssessment.created_at < made_before)
    return list(session.scalars(query.order_by(CiramAssessment.created_at.desc(),
                                               CiramAssessment.id.desc()).limit(limit)))


def latest_per_threat(assessments: Iterable[CiramAssessment]) -> list[CiramAssessment]:
    """The newest assessment of each threat on each section: a reassessment replaces the
    earlier one, so a product lists a risk once, as last judged. Expects newest first."""
    seen: set[tuple[int, str]] = set()
    latest = []
    for assessment in assessments:
        key = (assessment.section_id, assessment.threat)
        if key not in seen:
            seen.add(key)
            latest.append(assessment)
    return latest


@dataclass(frozen=True)
class LevelInForce:
    """A section's impact level at some moment, and since when it held (None: as shipped)."""

    level: str
    since: dt.datetime | None


def impact_levels_at(session: Session, moment: dt.datetime) -> dict[int, LevelInForce]:
    """Every section's impact level in force at ``moment``, rebuilt from the approved changes.

    A product about a past period shows the levels of that period, so a bulletin built again
    next year says what it said then."""
    levels = {s.id: LevelInForce(s.impact_level, s.impact_level_since)
              for s in session.scalars(select(BorderSection))}
    newest_first = session.scalars(select(ImpactLevelChange).where(
        ImpactLevelChange.status == "approved", ImpactLevelChange.decided_at.is_not(None))
        .order_by(ImpactLevelChange.decided_at.desc(), ImpactLevelChange.id.desc()))
    settled: set[int] = set()
    for change in newest_first:
        assert change.decided_at is not None
        if change.section_id in settled or change.section_id not in levels:
            continue
        if change.decided_at >= moment:
            # Approved after the moment: undo it.
            levels[change.section_id] = LevelInForce(change.previous_level, None)
        else:
            levels[change.section_id] = LevelInForce(change.level, change.decided_at)
            settled.add(change.section_id)
    return levels


def get_assessment(session: Session, principal: Principal, assessment_id: int
                   ) -> CiramAssessment:
    require(principal, "ciram.read")
    found = session.scalar(scoped(select(CiramAssessment).where(
        CiramAssessment.id == assessment_id), CiramAssessment, principal))
    if found is None:
        raise NotFound(f"assessment {assessment_id} does not exist or is not shared with you")
    return found


def propose_impact_level(session: Session, principal: Principal, section_code: str, *,
                         level: str, reason: str, assessment_id: int | None = None
                         ) -> ImpactLevelChange:
    """Ask a supervisor of your agency to set the section's impact level (four-eyes)."""
    require(principal, "impact_level.propose")
    if level not in ciram.IMPACT_LEVELS:
        raise BadInput(f"impact level must be one of {', '.join(ciram.IMPACT_LEVELS)}")
    section = get_section(session, section_code)
    if assessment_id is not None:
        get_assessment(session, principal, assessment_id)
    if level == section.impact_level:
        raise BadInput(f"{section.code} is already at impact level {level}")
    change = ImpactLevelChange(section_id=section.id, level=level,
                               previous_level=section.impact_level, status="pending",
                               reason=reason.strip(), assessment_id=assessment_id,
                               agency_id=principal.agency_id, requested_by_id=principal.user_id,
                               requested_at=utcnow())
    session.add(change)
    session.flush()
    approval = approvals.request_change(
        session, principal, kind=IMPACT_LEVEL_KIND, agency_id=principal.agency_id,
        resource_type="border_section", resource_id=section.id,
        summary=messages.IMPACT_LEVEL_SUMMARY.format(section=section.code,
                                                     level=section.impact_level, to=level,
                                                     reason=reason),
        payload={"change_id": change.id, "section": section.code, "level": level})
    change.approval_id = approval.id
    session.flush()
    return change


def _change_of(session: Session, approval: Approval) -> ImpactLevelChange:
    change = session.get(ImpactLevelChange, int(approval.payload["change_id"]))
    if change is None:
        raise NotFound("the proposed impact level change is gone")
    return change


def _apply_impact_level(session: Session, approval: Approval) -> None:
    change = _change_of(session, approval)
    section = session.get(BorderSection, change.section_id)
    assert section is not None
    change.previous_level = section.impact_level
    section.impact_level = change.level
    section.impact_level_since = utcnow()
    change.status = "approved"
    change.decided_at = section.impact_level_since


def _reject_impact_level(session: Session, approval: Approval) -> None:
    change = _change_of(session, approval)
    change.status = approval.status
    change.decided_at = utcnow()


approvals.register_kind(approvals.ApprovalKind(
    name=IMPACT_LEVEL_KIND, title="Set the impact level of a border section",
    apply=_apply_impact_level, on_reject=_reject_impact_level))


def impact_history(session: Session, section_code: str | None = None,
                   until: dt.datetime | None = None) -> list[ImpactLevelChange]:
    query = select(ImpactLevelChange)
    if until is not None:
        query = query.where(ImpactLevelChange.requested_at < until)
    if section_code:
        query = query.where(ImpactLevelChange.section_id == get_section(session,
                                                                         section_code).id)
    return list(session.scalars(query.order_by(ImpactLevelChange.requested_at.desc(),
                                               ImpactLevelChange.id.desc())))


# --- situational picture --------------------------------------------------------------------------

def recent_incidents(session: Session, principal: Principal, *, days: int = 30,
                     agency_id: int | None = None, limit: int = 20) -> list[Incident]:
    since = utcnow() - dt.timedelta(days=days)
    rows, _ = list_incidents(session, principal, IncidentFilter(agency_id=agency_id,
                                                                since=since), limit=limit)
    return rows


def agencies_by_id(session: Session) -> dict[int, Agency]:
    return {a.id: a for a in session.scalars(select(Agency))}


def section_names(session: Session) -> dict[int, str]:
    return {s.id: s.code for s in list_sections(session)}


def russian_place_names(session: Session) -> dict[str, str]:
    """Each crossing point's Russian name by its English name (where it has one): how the
    sentences the services wrote in English name a point on Russian pages."""
    return {p.name: p.name_ru for p in list_crossing_points(session) if p.name_ru}


def crossing_point_names(session: Session) -> dict[int, str]:
    return {p.id: p.name for p in list_crossing_points(session)}


def overdue_count(session: Session, principal: Principal, agency_id: int | None = None) -> int:
    query = _filtered(session, principal, IncidentFilter(overdue=True, agency_id=agency_id))
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def pending_impact_changes(session: Session) -> list[ImpactLevelChange]:
    return list(session.scalars(select(ImpactLevelChange).where(
        ImpactLevelChange.status == "pending")))
