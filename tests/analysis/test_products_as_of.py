"""Products say what was known at the end of their period: last year's analysis built today lists
last year's assessments, and a past month's bulletin the impact levels of that month."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from chegara.analysis import products, service
from chegara.analysis.countsfile import period_label
from chegara.analysis.models import BorderSection, CiramAssessment, ImpactLevelChange
from chegara.db.base import utcnow
from chegara.db.session import Database
from chegara.security import service as security

MAIN_RISK_ROW = re.compile(
    r'<tr><td class="place">(?P<place>[^<]+)</td><td class="name">[^<]+</td>'
    r'<td>(?P<period>[^<]+)</td><td class="n">(?P<threat_score>\d+)</td>')
SECTION_ROW = re.compile(r'<tr><td class="place">(?P<place>[^<]+)</td><td>'
                         r'<span class="level (?P<level>\w+)">')


def _build(db: Database, kind: str, period: str) -> str:
    with db.reader() as session:
        analyst = security.principal_for(session, security.find_user(session, "ncc.analyst"))
        return products.build_product(session, analyst, kind=kind, period=period,
                                      edition="restricted", language="en").html


def _expected_main_risks(db: Database, before: dt.datetime) -> set[tuple[str, str, int]]:
    """From the table: the newest assessment of each threat on each section made before."""
    with db.reader() as session:
        rows = session.execute(
            select(BorderSection.code, CiramAssessment.threat, CiramAssessment.period,
                   CiramAssessment.threat_score, CiramAssessment.created_at)
            .join(BorderSection, BorderSection.id == CiramAssessment.section_id)).all()
    newest: dict[tuple[str, str], tuple[dt.datetime, str, int]] = {}
    for code, threat, period, score, made in rows:
        if made < before and ((code, threat) not in newest or made > newest[code, threat][0]):
            newest[code, threat] = (made, period, score)
    return {(code, period, score) for (code, _), (_, period, score) in newest.items()}


def test_last_years_analysis_lists_the_assessments_known_at_its_end(
        analysis_demo: Database) -> None:
    year = utcnow().year - 1
    html = _build(analysis_demo, "annual", str(year))
    shown = {(m["place"], m["period"], int(m["threat_score"]))
             for m in MAIN_RISK_ROW.finditer(html)}
    expected = _expected_main_risks(analysis_demo, dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC))
    assert expected, "the demo has a round of assessments last year"
    assert shown == expected
    # Only last year's round: this year's reassessment was not known then.
    assert {period for _, period, _ in shown} == {f"{year}-Q4"}


def test_a_reassessed_threat_is_listed_once_as_last_judged(analysis_demo: Database) -> None:
    now = utcnow()
    html = _build(analysis_demo, "annual", str(now.year))
    shown = [(m["place"], m["period"], int(m["threat_score"]))
             for m in MAIN_RISK_ROW.finditer(html)]
    assert len(shown) == len(set(shown))
    assert set(shown) == _expected_main_risks(analysis_demo, now + dt.timedelta(days=1))
    assert f"{now.year - 1}-Q4" not in {period for _, period, _ in shown}


def _approved_changes(db: Database) -> list[tuple[str, str, str, dt.datetime]]:
    with db.reader() as session:
        rows = session.execute(
            select(BorderSection.code, ImpactLevelChange.previous_level,
                   ImpactLevelChange.level, ImpactLevelChange.decided_at)
            .join(BorderSection, BorderSection.id == ImpactLevelChange.section_id)
            .where(ImpactLevelChange.status == "approved")).all()
    return [(code, before, after, when) for code, before, after, when in rows
            if when is not None]


def test_levels_in_force_are_rebuilt_from_the_approved_changes(analysis_demo: Database) -> None:
    changes = _approved_changes(analysis_demo)
    assert changes, "the demo has approved level changes"
    with analysis_demo.reader() as session:
        ids = {s.code: s.id for s in session.scalars(select(BorderSection))}
        for code, before, after, decided in changes:
            earlier = service.impact_levels_at(session, decided - dt.timedelta(seconds=1))
            later = service.impact_levels_at(session, decided + dt.timedelta(seconds=1))
            assert earlier[ids[code]] == service.LevelInForce(before, None)
            assert later[ids[code]] == service.LevelInForce(after, decided)


def test_a_past_months_bulletin_shows_the_levels_of_that_month(analysis_demo: Database) -> None:
    changes = _approved_changes(analysis_demo)
    decided = min(when for *_, when in changes)
    month = decided.year * 12 + decided.month - 1
    before = {m["place"]: m["level"] for m in SECTION_ROW.finditer(
        _build(analysis_demo, "bulletin", period_label(month - 1)))}
    after = {m["place"]: m["level"] for m in SECTION_ROW.finditer(
        _build(analysis_demo, "bulletin", period_label(month)))}
    that_month = [(code, old, new) for code, old, new, when in changes
                  if (when.year, when.month) == (decided.year, decided.month)]
    assert that_month
    for code, old, new in that_month:
        assert (before[code], after[code]) == (old, new)
