"""JSON bodies take booleans and integers only as JSON booleans and integers, across capabilities.

Pydantic's lax mode would read ``"yes"``, ``"1"`` or ``1`` as true and ``"5"`` as 5, so a
client that sends the wrong type by mistake would get a guess written for it. Each case here
posts the wrong types first (refused by field name, nothing written), then the right ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from chegara.db.base import utcnow
from chegara.db.session import Database
from chegara.governance.models import (
    DonorProject,
    EquipmentHandover,
    Measure,
    Objective,
    PlanTask,
    Strategy,
    TrainingParticipation,
)
from chegara.security.models import AuditEvent
from web_helpers import sign_in_form

NOT_BOOLEANS: tuple[Any, ...] = ("yes", "1", 1, "true", 0)


@dataclass(frozen=True)
class Case:
    user: str
    method: str
    path: str
    body: Callable[[int], dict[str, Any]]  # the n-th accepted body; unique where it must be
    field: str
    good: tuple[Any, ...]

    @property
    def bad(self) -> tuple[Any, ...]:
        if isinstance(self.good[0], bool):
            return NOT_BOOLEANS
        # The right number as text, and a boolean, which lax mode reads as 1 or 0.
        return (str(self.good[0]), True)


def _incident(n: int) -> dict[str, Any]:
    return {"incident_type": "illegal_border_crossing", "section": "KG-TJ Batken",
            "occurred_at": utcnow().isoformat(), "nationality": "TJK", "impact": "medium",
            "source_reliability": "B", "information_credibility": "2",
            "summary": f"Group crossing {n}", "distribution": "national", "tlp": "green"}


CASES = {
    "agency is_partner": Case(
        "border.admin", "POST", "/api/v1/agencies",
        lambda n: {"code": f"KG-NEW-{n}", "name": f"New agency {n}", "country": "KGZ",
                   "kind": "customs"}, "is_partner", (True, False)),
    "watchlist maintained_here": Case(
        "border.analyst", "POST", "/api/v1/watchlists",
        lambda n: {"name": f"wanted-{n}", "title": "Wanted persons", "kind": "wanted"},
        "maintained_here", (True, False)),
    "crossing point seasonal": Case(
        "border.admin", "PUT", "/api/v1/analysis/crossing-points",
        lambda n: {"code": "KG-TEST-POST", "name": "Test post", "section": "KG-TJ Batken",
                   "lon": 70.8, "lat": 39.9}, "seasonal", (True, False)),
    "equipment training_given": Case(
        "ncc.secretariat", "POST", "/api/v1/governance/equipment",
        lambda n: {"item": f"Thermal camera {n}", "recipient": "KG-BS",
                   "handed_over_on": "2025-03-01"}, "training_given", (True, False)),
    "token days": Case(
        "border.officer", "POST", "/api/v1/tokens", lambda n: {"name": f"Script {n}"},
        "days", (5,)),
    "incident persons": Case(
        "border.officer", "POST", "/api/v1/analysis/incidents", _incident, "persons", (5,)),
    "traveller rule severity": Case(
        "border.analyst", "POST", "/api/v1/traveller-rules",
        lambda n: {"name": f"Cash one-way {n}", "condition": {"match": "all", "conditions": [
            {"attribute": "one_way", "operator": "equals", "value": True}]}},
        "severity", (3,)),
    "strategy first_year": Case(
        "ncc.secretariat", "POST", "/api/v1/governance/strategies",
        lambda n: {"code": f"IBM-{n}", "title": "National IBM strategy", "last_year": 2030},
        "first_year", (2026,)),
    "inspection capacity": Case(
        "sps.analyst", "PUT", "/api/v1/targeting/capacity/Osh",
        lambda n: {"documentary_per_day": 10}, "physical_per_day", (5,)),
}


def _audit_events(db: Database) -> int:
    with db.reader() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


@pytest.mark.parametrize("name", list(CASES))
def test_wrong_json_types_are_refused_naming_the_field_and_change_nothing(
        client: Any, demo: Database, as_user: Any, name: str) -> None:
    case = CASES[name]
    headers = as_user(case.user)
    before = _audit_events(demo)
    for value in case.bad:
        response = client.request(case.method, case.path, headers=headers,
                                  json=case.body(0) | {case.field: value})
        assert response.status_code == 422, (repr(value), response.text)
        error = response.json()["error"]
        assert error["code"] == "bad_input"
        assert [d["field"] for d in error["details"]] == [f"body.{case.field}"], error
    # Every change is audited: no new event means nothing was written.
    assert _audit_events(demo) == before
    for n, value in enumerate(case.good, start=1):
        response = client.request(case.method, case.path, headers=headers,
                                  json=case.body(n) | {case.field: value})
        assert response.status_code < 300, (repr(value), response.text)
        if response.status_code != 204 and case.field in response.json():
            assert response.json()[case.field] == value
    assert _audit_events(demo) > before


def test_web_forms_still_send_their_numbers_as_text(client: Any, demo: Database,
                                                    as_user: Any) -> None:
    """A form posts every field as text; the pages turn the numbers into numbers before the
    strict schemas see them."""
    group = client.post("/api/v1/sharing-groups", headers=as_user("border.admin"),
                        json={"name": "Batken partners"}).json()["id"]
    token = sign_in_form(client, "border.analyst")
    alert = client.post("/alerts", follow_redirects=False, data={
        "title": "Cash couriers on the Osh bus", "body": "Undeclared USD in seat linings.",
        "category": "smuggling_route", "source_reliability": "B",
        "information_credibility": "2", "distribution": "sharing_group", "tlp": "amber",
        "sharing_group_id": str(group), "csrf_token": token})
    assert alert.status_code == 303, alert.text
    token = sign_in_form(client, "ncc.secretariat")

    def post(path: str, **fields: Any) -> None:
        response = client.post(path, data=fields | {"csrf_token": token},
                               follow_redirects=False)
        assert response.status_code == 303, (path, response.text)

    post("/governance/strategies", code="IBM-2026", title="National IBM strategy",
         first_year="2026", last_year="2030")
    with demo.reader() as session:
        strategy = session.scalar(select(Strategy).where(Strategy.code == "IBM-2026"))
        assert strategy is not None and (strategy.first_year, strategy.last_year) == (2026, 2030)
    post("/governance/plan/objectives", strategy_id=str(strategy.id), code="1",
         title="Integrated border checks")
    with demo.reader() as session:
        objective = session.scalar(select(Objective).where(Objective.code == "1"))
        assert objective is not None
    post("/governance/plan/measures", objective_id=str(objective.id), code="1.1",
         title="Joint checks at Dostuk")
    with demo.reader() as session:
        measure = session.scalar(select(Measure).where(Measure.code == "1.1"))
        assert measure is not None
    post("/governance/plan/tasks", measure_id=str(measure.id), code="1.1.1",
         title="Agree joint check procedure", responsible="KG-BS", deadline="2026-06-30")
    post("/governance/trainings", kind="course", topic="Document fraud", starts_on="2026-02-02",
         place="Bishkek", agency=["KG-BS"], women=["4"], men=["6"], certificates=["9"])
    post("/governance/equipment", item="Thermal camera", recipient="KG-BS",
         handed_over_on="2026-03-01", quantity="3")
    post("/governance/donors", code="EU", name="European Union")
    post("/governance/projects", donor="EU", code="BOMCA-11", title="Border management",
         starts_on="2026-01-01", ends_on="2027-12-31", objective_ids=[str(objective.id)])
    with demo.reader() as session:
        assert session.scalar(select(PlanTask.measure_id)) == measure.id
        participation = session.scalar(select(TrainingParticipation))
        assert participation is not None
        assert (participation.women, participation.men, participation.certificates) == (4, 6, 9)
        assert session.scalar(select(EquipmentHandover.quantity)) == 3
        project = session.scalar(select(DonorProject))
        assert project is not None and project.objective_ids == [objective.id]
