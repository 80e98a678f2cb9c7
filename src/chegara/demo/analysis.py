"""Demo data for strategic risk analysis: the Kyrgyz border geography, 40 months of incidents
on every section, imported return statistics, CIRAM assessments, impact levels (approved and
one pending) and the latest bulletin and national risk analysis.

The incident counts are simulated (negative binomial around a seasonal rate per section and
type) with two stories an analyst should find: crossings displaced from the Osh section of the
Uzbek border to the Batken one after Osh was reinforced, and a surge of illegal crossings on the
Tajik border in Batken in the last month. Incidents are written with one bulk insert and one
audit event, like any bulk import.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from chegara.analysis import ciram, products, service
from chegara.analysis.countsfile import period_label
from chegara.analysis.models import (
    BorderSection,
    CiramAssessment,
    CrossingPoint,
    ImpactLevelChange,
    Incident,
)
from chegara.analysis.schemas import AssessmentIn
from chegara.db.base import utcnow
from chegara.security import approvals, audit
from chegara.security import service as security
from chegara.security.models import Agency, Approval
from chegara.security.policy import Principal
from chegara.settings import Settings

MONTHS = 40
# Mean incidents a month by neighbouring country and type.
RATES: dict[str, dict[str, float]] = {
    "KAZ": {"refusal_of_entry": 9.0, "stolen_vehicle": 1.5, "false_document": 2.0,
            "illegal_stay": 4.0, "tobacco": 1.0},
    "UZB": {"illegal_border_crossing": 7.0, "facilitator": 1.2, "drugs": 1.5, "tobacco": 2.5,
            "refusal_of_entry": 5.0, "false_document": 1.5},
    "TJK": {"illegal_border_crossing": 4.0, "drugs": 2.0, "weapons": 0.4,
            "refusal_of_entry": 2.0},
    "CHN": {"goods_smuggling": 4.0, "sps_violation": 2.0, "currency": 0.8,
            "refusal_of_entry": 1.5},
}
AGENCY_OF_TYPE = {
    "illegal_border_crossing": "KG-BS", "facilitator": "KG-BS", "refusal_of_entry": "KG-BS",
    "false_document": "KG-BS", "illegal_stay": "KG-MIGRATION", "drugs": "KG-MVD",
    "weapons": "KG-MVD", "tobacco": "KG-CUSTOMS", "stolen_vehicle": "KG-CUSTOMS",
    "goods_smuggling": "KG-CUSTOMS", "currency": "KG-CUSTOMS", "sps_violation": "KG-VPSI",
}
PERSON_TYPES = {"illegal_border_crossing", "facilitator", "refusal_of_entry", "illegal_stay"}
AT_CROSSING_POINT = {"refusal_of_entry", "false_document", "tobacco", "stolen_vehicle",
                     "goods_smuggling", "currency", "sps_violation", "drugs"}
NATIONALITIES = {"KAZ": ["KAZ", "RUS", "KGZ"], "UZB": ["UZB", "TJK", "KGZ", "AFG"],
                 "TJK": ["TJK", "AFG", "UZB"], "CHN": ["CHN", "KGZ", "PAK"]}
REFUSAL_REASONS = "ACEGH"
DISPLACED_FROM, DISPLACED_TO = "KG-UZ Osh", "KG-UZ Batken"
SURGE_SECTION = "KG-TJ Batken"


@dataclass(frozen=True)
class AnalysisDemo:
    incidents: int
    statistics: int
    assessments: int
    products: int


def _month_start(index: int) -> dt.datetime:
    year, month = divmod(index, 12)
    return dt.datetime(year, month + 1, 1, tzinfo=dt.UTC)


def _elapsed(month: int, now: dt.datetime) -> float:
    """The share of the month that has passed (1 for past months)."""
    start, end = _month_start(month), _month_start(month + 1)
    return max(0.0, min(1.0, (now - start) / (end - start)))


def _rate(base: float, section: str, kind: str, month: int, last: int) -> float:
    season = 1.0 + 0.45 * math.sin(2 * math.pi * ((month % 12) - 3) / 12)  # summer peak
    rate = base * season
    months_to_go = last - month
    if kind == "illegal_border_crossing" and months_to_go < 8:
        # Osh reinforced eight months ago: crossings move next door to Batken.
        if section == DISPLACED_FROM:
            rate *= 0.45
        elif section == DISPLACED_TO:
            rate *= 1.8
    if kind == "illegal_border_crossing" and section == SURGE_SECTION and months_to_go == 0:
        rate *= 6.0
    return rate


def _principal(session: Session, username: str) -> Principal:
    return security.principal_for(session, security.find_user(session, username))


def load_analysis_demo(session: Session, settings: Settings, *, months: int = MONTHS,
                       with_products: bool = True, seed: int = 2026) -> AnalysisDemo:
    service.seed_geography(session)
    rng = np.random.default_rng(seed)
    now = utcnow()
    last = now.year * 12 + now.month - 2  # the last full month
    first = last - months + 1
    agencies = {a.code: a.id for a in session.scalars(select(Agency))}
    sections = service.list_sections(session)
    points: dict[int, list[CrossingPoint]] = {}
    for point in service.list_crossing_points(session):
        if point.active:
            points.setdefault(point.section_id, []).append(point)
    users = {name: security.find_user(session, name).id for name in (
        "border.analyst", "customs.analyst", "mvd.analyst", "migration.analyst", "sps.analyst")}
    reporter = {"KG-BS": users["border.analyst"], "KG-CUSTOMS": users["customs.analyst"],
                "KG-MVD": users["mvd.analyst"], "KG-MIGRATION": users["migration.analyst"],
                "KG-VPSI": users["sps.analyst"]}
    rows = []
    for section in sections:
        for kind, base in RATES[section.neighbour_code].items():
            # Up to today: the running month is partly filled, and its last ten days are
            # still waiting for validation.
            for month in range(first, last + 2):
                mean = _rate(base, section.code, kind, month, last) * _elapsed(month, now)
                count = int(rng.poisson(rng.gamma(8.0, mean / 8.0)))  # over-dispersed
                rows += [_incident(rng, section, points.get(section.id, []), kind, month,
                                   agencies, reporter, now) for _ in range(count)]
    rows += _recent_high_impact(sections, agencies, reporter, now)
    session.execute(insert(Incident), rows)
    audit.append(session, action="import", resource_type="incident", resource_id="demo",
                 change={"rows": len(rows)}, note=f"{len(rows)} demo incidents (bulk)")
    statistics = _import_returns(session, rng, sections, first, last)
    assessments = _assessments(session, settings, sections)
    made = 0
    if with_products:
        analyst = _principal(session, "ncc.analyst")
        products.generate(session, analyst, kind="bulletin", period=period_label(last),
                          home=settings.home)
        products.generate(session, analyst, kind="annual", period=str(last // 12 - 1),
                          home=settings.home)
        made = 2
    return AnalysisDemo(len(rows), statistics, assessments, made)


def _incident(rng: np.random.Generator, section: BorderSection, points: list[CrossingPoint],
              kind: str, month: int, agencies: dict[str, int], reporter: dict[str, int],
              now: dt.datetime) -> dict[str, object]:
    start = _month_start(month)
    span = (min(_month_start(month + 1), now - dt.timedelta(hours=1)) - start)
    occurred = start + dt.timedelta(seconds=float(rng.uniform(0, span.total_seconds())))
    point = points[int(rng.integers(len(points)))] if points and kind in AT_CROSSING_POINT \
        else None
    if point is not None:
        lon, lat = point.lon, point.lat
    else:
        lon, lat = section.path[int(rng.integers(len(section.path)))]
        lon, lat = lon + float(rng.normal(0, 0.05)), lat + float(rng.normal(0, 0.03))
    agency = AGENCY_OF_TYPE[kind]
    impact = "high" if rng.random() < 0.03 else ("medium" if rng.random() < 0.25 else "low")
    recent = now - occurred < dt.timedelta(days=10)
    status = "reported" if recent else ("closed" if rng.random() < 0.6 else "validated")
    # Most incidents are shared nationally and cleared for publication; a quarter are shared
    # nationally but not for publication (TLP:AMBER); a few stay inside the agency.
    draw = rng.random()
    distribution, tlp = ("national", "green") if draw < 0.7 else (
        ("national", "amber") if draw < 0.95 else ("agency", "amber"))
    return {
        "incident_type": kind,
        "refusal_reason": REFUSAL_REASONS[int(rng.integers(len(REFUSAL_REASONS)))]
        if kind == "refusal_of_entry" else None,
        "occurred_at": occurred, "section_id": section.id,
        "crossing_point_id": point.id if point else None, "lat": lat, "lon": lon,
        "persons": int(1 + rng.poisson(0.7)) if kind in PERSON_TYPES else 0,
        "nationality": str(rng.choice(NATIONALITIES[section.neighbour_code]))
        if kind in PERSON_TYPES or kind == "false_document" else None,
        "vehicles": 1 if kind in ("stolen_vehicle", "goods_smuggling") else 0,
        "goods": {"tobacco": "cigarettes without excise stamps", "drugs": "hashish",
                  "goods_smuggling": "undeclared electronics", "currency": "undeclared cash",
                  "sps_violation": "fruit without phytosanitary certificate",
                  "weapons": "hunting rifle, ammunition",
                  "stolen_vehicle": "Toyota Land Cruiser"}.get(kind, ""),
        "impact": impact, "confidence": "high" if rng.random() < 0.6 else "medium",
        "source_reliability": "B", "information_credibility": "2",
        "summary": f"{kind.replace('_', ' ')} on {section.code}",
        "status": status,
        "first_report": "Initial report sent to the national coordination centre."
        if impact == "high" else "",
        "first_report_at": occurred + dt.timedelta(hours=float(rng.uniform(1, 20)))
        if impact == "high" else None,
        "reported_by_id": reporter[agency], "validated_by_id": None if recent
        else reporter[agency], "owner_agency_id": agencies[agency],
        "distribution": distribution, "sharing_group_id": None, "tlp": tlp,
        "created_at": occurred + dt.timedelta(hours=2),
        "validated_at": None if recent else occurred + dt.timedelta(days=2),
        "closed_at": occurred + dt.timedelta(days=20) if status == "closed" else None,
    }


def _recent_high_impact(sections: list[BorderSection], agencies: dict[str, int],
                        reporter: dict[str, int], now: dt.datetime) -> list[dict[str, object]]:
    """Two high-impact incidents whose first report is missing: they show as overdue."""
    batken = next(s for s in sections if s.code == SURGE_SECTION)
    rows: list[dict[str, object]] = []
    for hours, persons in ((30, 14), (50, 6)):
        occurred = now - dt.timedelta(hours=hours)
        rows.append({
            "incident_type": "illegal_border_crossing", "refusal_reason": None,
            "occurred_at": occurred, "section_id": batken.id, "crossing_point_id": None,
            "lat": 39.9, "lon": 70.2, "persons": persons, "nationality": "TJK", "vehicles": 0,
            "goods": "", "impact": "high", "confidence": "medium", "source_reliability": "C",
            "information_credibility": "3",
            "summary": f"Group of {persons} crossing at night on foot near Kyzyl-Bel",
            "status": "reported", "first_report": "", "first_report_at": None,
            "reported_by_id": reporter["KG-BS"], "validated_by_id": None,
            "owner_agency_id": agencies["KG-BS"], "distribution": "national",
            "sharing_group_id": None, "tlp": "amber", "created_at": occurred,
            "validated_at": None, "closed_at": None})
    return rows


def _import_returns(session: Session, rng: np.random.Generator, sections: list[BorderSection],
                    first: int, last: int) -> int:
    """Returns are counted by the migration service, not recorded as incidents: imported."""
    lines = ["period,section,indicator,count"]
    for section in sections:
        if section.neighbour_code not in ("UZB", "TJK", "KAZ"):
            continue
        for month in range(first, last + 1):
            lines.append(f"{period_label(month)},{section.code},returns,"
                         f"{int(rng.poisson(6 if section.neighbour_code != 'KAZ' else 3))}")
    result = service.import_statistics(session, _principal(session, "migration.analyst"),
                                       lines, source_name="migration-returns-demo.csv")
    return result.rows


# section, threat, magnitude, likelihood, vulnerability, impacts
AssessmentRow = tuple[str, str, int, int, tuple[int, ...], tuple[int, ...]]
ASSESSMENTS: tuple[AssessmentRow, ...] = (
    # section, threat, magnitude, likelihood, vulnerability, impacts (bs, is, hum, econ, health)
    ("KG-TJ Batken", "illegal_border_crossing", 4, 5, (4, 3, 5, 4), (5, 3, 3, 2, 1)),
    ("KG-UZ Batken", "illegal_border_crossing", 4, 4, (4, 3, 4, 3), (4, 3, 3, 2, 1)),
    ("KG-UZ Osh", "drugs", 3, 4, (2, 2, 2, 2), (3, 4, 1, 2, 2)),
    ("KG-CN Naryn", "goods_smuggling", 3, 4, (3, 2, 2, 3), (2, 1, 1, 4, 1)),
    ("KG-CN Osh", "sps_violation", 3, 3, (3, 4, 3, 3), (1, 1, 1, 3, 4)),
    ("KG-KZ Chui", "stolen_vehicle", 2, 3, (2, 2, 2, 2), (2, 3, 1, 2, 1)),
)


# Last year's round judged these threats less likely: the demo's annual analysis of last year
# shows that round, and last month's bulletin the reassessment made early that month.
LAST_YEAR_LIKELIHOOD = {("KG-TJ Batken", "illegal_border_crossing"): 4,
                        ("KG-CN Osh", "sps_violation"): 2, ("KG-UZ Osh", "drugs"): 3}


def _date_decision(change: ImpactLevelChange, approval: Approval, section: BorderSection,
                   asked: dt.datetime) -> None:
    """Date an approved level change as the demo's history has it: asked for on the day of the
    assessment, decided by the supervisor the next morning."""
    decided = asked + dt.timedelta(days=1)
    change.requested_at = approval.requested_at = asked
    change.decided_at = approval.decided_at = section.impact_level_since = decided


def _assessments(session: Session, settings: Settings, sections: list[BorderSection]) -> int:
    analyst = _principal(session, "ncc.analyst")
    supervisor = _principal(session, "ncc.supervisor")
    config = service.ciram_config(settings.home)
    now = utcnow()
    # Products show what was known at the end of their period, so the demo's history is dated:
    # a round last December, and this round early in the last full month (the demo bulletin's),
    # each followed by the levels the supervisor approved the next morning.
    last_round = dt.datetime(now.year - 1, 12, 10, 9, 30, tzinfo=dt.UTC)
    this_round = _month_start(now.year * 12 + now.month - 2) + dt.timedelta(days=4, hours=10)
    made = []
    for when in (last_round, this_round):
        period = f"{when.year}-Q{(when.month - 1) // 3 + 1}"
        made = [_assess(session, analyst, config, row, period, when,
                        earlier=when == last_round) for row in ASSESSMENTS]
        for assessment in made[:4]:
            _approve_level(session, (analyst, supervisor), sections, assessment, period, when)
    # One proposal of this round left in the supervisor's inbox.
    pending = made[4]
    section = next(s for s in sections if s.id == pending.section_id)
    if pending.proposed_impact_level != section.impact_level:
        audit.set_actor(session, security.actor_of(analyst))
        service.propose_impact_level(session, analyst, section.code,
                                     level=pending.proposed_impact_level,
                                     reason="Foot-and-mouth disease next door; SPS controls",
                                     assessment_id=pending.id)
    audit.set_actor(session, audit.Actor.system("cli:demo"))
    return 2 * len(ASSESSMENTS)


def _assess(session: Session, analyst: Principal, config: ciram.CiramConfig, row: AssessmentRow,
            period: str, when: dt.datetime, *, earlier: bool) -> CiramAssessment:
    code, threat, magnitude, likelihood, vul, imp = row
    if earlier:
        likelihood = LAST_YEAR_LIKELIHOOD.get((code, threat), likelihood)
    data = AssessmentIn(
        section=code, threat=threat, period=period, magnitude=magnitude, likelihood=likelihood,
        vulnerability=dict(zip(config.vulnerability_items, vul, strict=True)),
        impacts=dict(zip(config.impact_dimensions, imp, strict=True)),
        rationale="Demo assessment from the monthly indicators and patrol reports.")
    assessment, _ = service.create_assessment(session, analyst, data, config)
    assessment.created_at = when
    return assessment


def _approve_level(session: Session, four_eyes: tuple[Principal, Principal],
                   sections: list[BorderSection], assessment: CiramAssessment, period: str,
                   when: dt.datetime) -> None:
    """The level the assessment proposes, asked for by the analyst and approved by the
    supervisor (four eyes), unless the section is already there."""
    section = next(s for s in sections if s.id == assessment.section_id)
    if assessment.proposed_impact_level == section.impact_level:
        return
    analyst, supervisor = four_eyes
    audit.set_actor(session, security.actor_of(analyst))
    change = service.propose_impact_level(
        session, analyst, section.code, level=assessment.proposed_impact_level,
        reason=f"CIRAM assessment of {assessment.threat.replace('_', ' ')}, {period}",
        assessment_id=assessment.id)
    assert change.approval_id is not None
    audit.set_actor(session, security.actor_of(supervisor))
    approval = approvals.decide(session, supervisor, change.approval_id, approve=True,
                                reason="Agreed with the assessment")
    _date_decision(change, approval, section, when)
