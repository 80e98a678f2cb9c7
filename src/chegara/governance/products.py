"""The commission's state-of-play report for its next meeting and the annual progress report
on the national IBM action plan, as self-contained HTML (inline SVG charts and style) and PDF.

Reports are drawn from what the reader may see, at the time they ask, and are not stored: the
plan changes between meetings and a stale copy would mislead. Their text goes through the web
interface's catalogue, so a Russian-speaking reader gets a Russian report.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.orm import Session

from chegara.db.base import utcnow
from chegara.errors import BadInput
from chegara.governance import capacity, donors, service
from chegara.governance.charts import (
    AT_RISK_COLOUR,
    DONE_COLOUR,
    MEN_COLOUR,
    ON_TRACK_COLOUR,
    OVERDUE_COLOUR,
    WOMEN_COLOUR,
    Series,
    stacked_bars_svg,
)
from chegara.security.policy import Principal
from chegara.security.service import require

Gettext = Callable[[str], str]


@functools.lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("chegara.governance", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["money"] = lambda value: f"{float(value):,.0f}".replace(",", " ")
    return env


@dataclass(frozen=True)
class Built:
    title: str
    html: str


def gender_chart(headcount: dict[int, capacity.Headcount], agencies: dict[int, Any],
                 _: Gettext) -> tuple[list[tuple[int, capacity.Headcount]], str]:
    """Trained staff by agency and gender, agencies in code order: the rows and their chart."""
    ordered = sorted(headcount.items(), key=lambda kv: agencies[kv[0]].code)
    if not ordered:
        return ordered, ""
    return ordered, stacked_bars_svg(_("Trained staff by agency and gender"),
                                     [agencies[a].code for a, _h in ordered], [
        Series(_("women"), WOMEN_COLOUR, [h.women for _a, h in ordered]),
        Series(_("men"), MEN_COLOUR, [h.men for _a, h in ordered])])


def progress_chart(title: str, rows: list[tuple[str, service.Tally]], _: Gettext) -> str:
    """Tasks per row by where they stand: done, on track, at risk, overdue."""
    if not rows:
        return ""
    labels = [label for label, _tally in rows]
    return stacked_bars_svg(title, labels, [
        Series(_("done"), DONE_COLOUR, [t.done for _l, t in rows]),
        Series(_("on track"), ON_TRACK_COLOUR, [t.open_on_track for _l, t in rows]),
        Series(_("at risk"), AT_RISK_COLOUR, [t.at_risk for _l, t in rows]),
        Series(_("overdue"), OVERDUE_COLOUR, [t.overdue for _l, t in rows]),
    ])


def _plan_context(session: Session, principal: Principal, strategy_id: int, *,
                  at_risk_days: int, on: dt.date, _: Gettext) -> dict[str, Any]:
    play = service.state_of_play(session, principal, strategy_id, at_risk_days=at_risk_days,
                                 on=on)
    agencies = service.agencies_by_id(session)
    agency_rows = [(a.code, t) for a, t in play.by_agency]
    objective_rows = [(f"{o.code}. {o.title}", t) for o, t in play.by_objective]
    return {
        "play": play, "agencies": agencies, "at_risk_days": at_risk_days,
        "agency_chart": progress_chart(_("Tasks by responsible agency"), agency_rows, _),
        "objective_chart": progress_chart(_("Tasks by objective"), objective_rows, _),
    }


def _capacity_context(session: Session, principal: Principal, *, since: dt.date,
                      until: dt.date, _: Gettext) -> dict[str, Any]:
    if "training.read" not in principal.permissions:
        return {"trainings": [], "handovers": [], "headcount": {}, "gender_chart": "",
                "participation": {},
                "kinds": Counter(), "participants": capacity.Headcount()}
    trainings = [t for t in capacity.list_trainings(session, principal)
                 if since <= t.starts_on <= until]
    participation = capacity.participation_of(session, [t.id for t in trainings])
    rows = [r for rs in participation.values() for r in rs]
    headcount = capacity.headcount_by_agency(rows)
    agencies = service.agencies_by_id(session)
    ordered, chart = gender_chart(headcount, agencies, _)
    total = capacity.Headcount(sum(h.women for h in headcount.values()),
                               sum(h.men for h in headcount.values()),
                               sum(h.certificates for h in headcount.values()))
    handovers = [h for h in capacity.list_handovers(session, principal)
                 if since <= h.handed_over_on <= until]
    return {"trainings": sorted(trainings, key=lambda t: t.starts_on), "handovers": handovers,
            "headcount": dict(ordered), "gender_chart": chart, "participation": participation,
            "kinds": Counter(t.kind for t in trainings), "participants": total}


def _donor_context(session: Session, principal: Principal, strategy_id: int, *,
                   year: int | None, on: dt.date) -> dict[str, Any]:
    if "donor.read" not in principal.permissions:
        return {"coordination": None, "projects": [], "donors": {}, "budgets": {}}
    result = donors.coordination(session, principal, strategy_id, on=on)
    projects = result.projects if year is None else [
        p for p in result.projects
        if p.starts_on <= dt.date(year, 12, 31) and p.ends_on >= dt.date(year, 1, 1)]
    by_donor = {d.id: d for d in donors.list_donors(session, principal)}
    budgets: dict[tuple[str, str], float] = {}
    for project in projects:
        key = (by_donor[project.donor_id].name, project.currency)
        budgets[key] = budgets.get(key, 0.0) + project.budget
    return {"coordination": result, "projects": projects, "donors": by_donor,
            "budgets": budgets}


def _base(principal: Principal, strategy: Any, title: str, _: Gettext, lang: str
          ) -> dict[str, Any]:
    return {"title": title, "strategy": strategy, "generated": utcnow(), "_": _, "lang": lang,
            "author": principal.full_name or principal.username,
            "marking": _("TLP:AMBER — for the national IBM agencies only")}


def commission_report(session: Session, principal: Principal, *, at_risk_days: int,
                      _: Gettext, lang: str = "en", strategy_id: int | None = None) -> Built:
    """The state of play for the next meeting: per agency and objective, what is overdue and
    at risk, what became of the last meeting's decisions, trainings and donor coordination
    since then."""
    require(principal, "governance.report")
    strategy = _strategy(session, principal, strategy_id)
    now = service.today()
    meetings = service.list_meetings(session, principal)
    held = [m for m in meetings if m.held_on <= now]
    last = held[0] if held else None
    upcoming = sorted((m for m in meetings if m.held_on > now), key=lambda m: m.held_on)
    decisions = service.decisions_of(session, [last.id]) if last else []
    followed = {t.id: t for t in service.all_tasks(session, principal, strategy.id)}
    since = last.held_on if last else now - dt.timedelta(days=365)
    title = _("State of play of the national IBM action plan")
    context = _base(principal, strategy, title, _, lang)
    context.update(_plan_context(session, principal, strategy.id, at_risk_days=at_risk_days,
                                 on=now, _=_))
    context.update(_capacity_context(session, principal, since=since, until=now, _=_))
    context.update(_donor_context(session, principal, strategy.id, year=None, on=now))
    context.update({"last": last, "next": upcoming[0] if upcoming else None,
                    "decisions": decisions, "followed": followed, "since": since})
    return Built(title, _environment().get_template("commission.html").render(**context))


def annual_report(session: Session, principal: Principal, *, year: int, at_risk_days: int,
                  _: Gettext, lang: str = "en", strategy_id: int | None = None) -> Built:
    """The year's progress: tasks due in the year and how they ended, the commission's
    meetings, trainings and equipment, and the donor projects running in the year."""
    require(principal, "governance.report")
    strategy = _strategy(session, principal, strategy_id)
    if not strategy.first_year - 1 <= year <= strategy.last_year + 1:
        raise BadInput(f"{strategy.code} runs {strategy.first_year}-{strategy.last_year}; "
                       f"no report for {year}", details=[{"field": "year"}])
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    on = min(service.today(), end)
    tasks = service.all_tasks(session, principal, strategy.id)
    due = [t for t in tasks if start <= t.deadline <= end and t.status != "cancelled"]
    on_time = [t for t in due if t.status == "done" and t.completed_on is not None
               and t.completed_on <= t.deadline]
    late = [t for t in due if t.status == "done" and t not in on_time]
    meetings = [m for m in service.list_meetings(session, principal) if start <= m.held_on <= end]
    title = _("Annual progress report on the national IBM action plan") + f" {year}"
    context = _base(principal, strategy, title, _, lang)
    context.update(_plan_context(session, principal, strategy.id, at_risk_days=at_risk_days,
                                 on=on, _=_))
    context.update(_capacity_context(session, principal, since=start, until=end, _=_))
    context.update(_donor_context(session, principal, strategy.id, year=year, on=on))
    context.update({"year": year, "on": on, "due": due, "on_time": on_time, "late": late,
                    "not_done": [t for t in due if t.status != "done"], "meetings": meetings,
                    "decisions": service.decisions_of(session, [m.id for m in meetings])})
    return Built(title, _environment().get_template("annual.html").render(**context))


def _strategy(session: Session, principal: Principal, strategy_id: int | None) -> Any:
    if strategy_id is not None:
        return service.get_strategy(session, principal, strategy_id)
    strategy = service.current_strategy(session, principal)
    if strategy is None:
        raise BadInput("there is no action plan to report on yet")
    return strategy
