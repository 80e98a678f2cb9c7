"""The rules the commission reads the plan by: overdue and at-risk tasks, overlapping donor
projects and the gaps no project or training serves. Pure functions, no database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

CLOSED = frozenset({"done", "cancelled"})
# A task this far along is expected to make its deadline; below it, a near deadline is a risk.
NEAR_DONE_PERCENT = 80


def task_flag(*, status: str, progress: int, deadline: dt.date, today: dt.date,
              at_risk_days: int) -> str:
    """``overdue``: past its deadline and neither done nor cancelled. ``at_risk``: open, not
    overdue, and either reported delayed or due within ``at_risk_days`` with progress under
    80%. Otherwise empty."""
    if status in CLOSED:
        return ""
    if deadline < today:
        return "overdue"
    if status == "delayed":
        return "at_risk"
    if deadline <= today + dt.timedelta(days=at_risk_days) and progress < NEAR_DONE_PERCENT:
        return "at_risk"
    return ""


@dataclass(frozen=True)
class ProjectFacts:
    id: int
    code: str
    starts_on: dt.date
    ends_on: dt.date
    objectives: frozenset[int]
    beneficiaries: frozenset[int]


@dataclass(frozen=True)
class Overlap:
    first: ProjectFacts
    second: ProjectFacts
    objectives: tuple[int, ...]
    beneficiaries: tuple[int, ...]
    starts_on: dt.date
    ends_on: dt.date


def overlaps(projects: Sequence[ProjectFacts]) -> list[Overlap]:
    """Pairs of projects serving the same objective for the same beneficiary agency at the
    same time: candidates for duplication the donors should be told about."""
    found = []
    ordered = sorted(projects, key=lambda p: (p.starts_on, p.code))
    for i, first in enumerate(ordered):
        for second in ordered[i + 1:]:
            start, end = max(first.starts_on, second.starts_on), min(first.ends_on,
                                                                      second.ends_on)
            objectives = first.objectives & second.objectives
            agencies = first.beneficiaries & second.beneficiaries
            if start <= end and objectives and agencies:
                found.append(Overlap(first, second, tuple(sorted(objectives)),
                                     tuple(sorted(agencies)), start, end))
    return found


@dataclass(frozen=True)
class MeasureFacts:
    id: int
    objective_id: int
    open_tasks: int


@dataclass(frozen=True)
class Gaps:
    """Objectives with open tasks and no current project; measures with open tasks and
    neither a project serving their objective nor a training linked to them."""

    objectives: tuple[int, ...]
    measures: tuple[int, ...]


def gaps(measures: Iterable[MeasureFacts], *, served_objectives: Iterable[int],
         trained_measures: Iterable[int]) -> Gaps:
    served, trained = set(served_objectives), set(trained_measures)
    open_measures = [m for m in measures if m.open_tasks > 0]
    objectives = sorted({m.objective_id for m in open_measures} - served)
    bare = sorted(m.id for m in open_measures
                  if m.objective_id not in served and m.id not in trained)
    return Gaps(tuple(objectives), tuple(bare))
