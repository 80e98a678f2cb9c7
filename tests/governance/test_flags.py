"""The rules the commission reads the plan by, on their own."""

from __future__ import annotations

import datetime as dt

import pytest

from chegara.governance.flags import MeasureFacts, ProjectFacts, gaps, overlaps, task_flag

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(("status", "progress", "days_left", "flag"), [
    ("in_progress", 90, -1, "overdue"),          # a day late, however far along
    ("not_started", 0, -30, "overdue"),
    ("done", 100, -30, ""),                      # done late is not overdue
    ("cancelled", 0, -30, ""),
    ("in_progress", 79, 60, "at_risk"),          # due at the edge of the window, under 80%
    ("in_progress", 80, 60, ""),                 # 80% is near done
    ("in_progress", 10, 61, ""),                 # outside the window
    ("delayed", 95, 400, "at_risk"),             # reported delayed: at risk whatever the date
    ("not_started", 0, 0, "at_risk"),            # due today, not started
])
def test_overdue_and_at_risk(status: str, progress: int, days_left: int, flag: str) -> None:
    assert task_flag(status=status, progress=progress,
                     deadline=TODAY + dt.timedelta(days=days_left), today=TODAY,
                     at_risk_days=60) == flag


def _project(pid: int, start: str, end: str, objectives: set[int], agencies: set[int]
             ) -> ProjectFacts:
    return ProjectFacts(pid, f"P{pid}", dt.date.fromisoformat(start), dt.date.fromisoformat(end),
                        frozenset(objectives), frozenset(agencies))


def test_overlaps_need_objective_agency_and_time_in_common() -> None:
    a = _project(1, "2025-01-01", "2026-12-31", {1, 2}, {10, 11})
    same = _project(2, "2026-06-01", "2027-06-30", {2, 3}, {11})
    other_agency = _project(3, "2025-01-01", "2026-12-31", {1}, {12})
    later = _project(4, "2027-01-01", "2028-12-31", {1}, {10})
    found = overlaps([later, other_agency, same, a])
    assert [(o.first.code, o.second.code) for o in found] == [("P1", "P2")]
    assert found[0].objectives == (2,) and found[0].beneficiaries == (11,)
    assert (found[0].starts_on, found[0].ends_on) == (dt.date(2026, 6, 1), dt.date(2026, 12, 31))


def test_gaps_are_open_work_nobody_serves() -> None:
    measures = [MeasureFacts(1, 10, 2), MeasureFacts(2, 10, 0), MeasureFacts(3, 20, 1),
                MeasureFacts(4, 30, 3), MeasureFacts(5, 30, 1)]
    found = gaps(measures, served_objectives={20}, trained_measures={4})
    # Objective 10 and 30 have open tasks and no project; measure 4 is trained, 2 has no open
    # task, 3 is under a served objective.
    assert found.objectives == (10, 30)
    assert found.measures == (1, 5)
