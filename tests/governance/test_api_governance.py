"""The action plan through the API: who sees which task, who reports on it, the audit trail
of a status change, evidence with its digest, plan versions, decisions that become tasks,
the state of play, trainings, equipment and donor coordination."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from sqlalchemy import func, select

from chegara.db.session import Database
from chegara.errors import PayloadTooLarge
from chegara.governance import service
from chegara.governance.models import DonorProject, Objective, PlanTask, TaskEvidence
from chegara.security import audit
from chegara.security import service as security
from chegara.security.models import Agency, AuditEvent

API = "/api/v1/governance"


def _audit_rows(db: Database, resource_id: int) -> list[AuditEvent]:
    with db.reader() as session:
        return list(session.scalars(select(AuditEvent).where(
            AuditEvent.resource_type == "ibm_task", AuditEvent.resource_id == str(resource_id))
            .order_by(AuditEvent.seq)))


def _event_count(db: Database) -> int:
    with db.reader() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_a_status_change_is_audited_with_its_actor(client: Any, plan_demo: Database,
                                                   as_user: Any, task_ids: dict[str, int]
                                                   ) -> None:
    task_id = task_ids["1.2.3"]  # the Border Service's thermal imaging, not started
    before = len(_audit_rows(plan_demo, task_id))
    response = client.post(f"{API}/tasks/{task_id}/status", headers=as_user("border.analyst"),
                           json={"status": "in_progress", "progress": 55,
                                 "note": "SOP drafted, under review"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "in_progress" and response.json()["progress"] == 55
    events = _audit_rows(plan_demo, task_id)[before:]
    assert len(events) == 1
    event = events[0]
    assert event.action == "ibm_task.update" and event.actor == "border.analyst"
    assert {"status", "progress"} <= set(event.fields)
    with plan_demo.reader() as session:
        bs = session.scalar(select(Agency.id).where(Agency.code == "KG-BS"))
    assert event.agency_id == bs
    # The readable history carries the report too.
    detail = client.get(f"{API}/tasks/{task_id}", headers=as_user("ncc.secretariat")).json()
    assert detail["history"][0]["note"] == "SOP drafted, under review"
    assert detail["history"][0]["by"] == "border.analyst"


def test_only_the_responsible_agency_reports_and_refusals_change_nothing(
        client: Any, plan_demo: Database, as_user: Any, task_ids: dict[str, int]) -> None:
    task_id = task_ids["1.1.3"]
    for username in ("customs.analyst", "border.officer", "border.analyst"):
        as_user(username)  # signing in is audited too: do it before counting
    before = _event_count(plan_demo)
    body = {"status": "done"}
    other = client.post(f"{API}/tasks/{task_id}/status", headers=as_user("customs.analyst"),
                        json=body)
    assert other.status_code == 403 and "responsible" in other.json()["error"]["message"]
    officer = client.post(f"{API}/tasks/{task_id}/status", headers=as_user("border.officer"),
                          json=body)
    assert officer.status_code == 403
    no_reason = client.post(f"{API}/tasks/{task_id}/status", headers=as_user("border.analyst"),
                            json={"status": "delayed"})
    assert no_reason.status_code == 422 and no_reason.json()["error"]["details"][0][
        "field"] == "note"
    assert _event_count(plan_demo) == before
    # The supervisor of the responsible agency may report; so may the secretariat.
    assert client.post(f"{API}/tasks/{task_id}/status", headers=as_user("border.supervisor"),
                       json={"status": "in_progress", "progress": 40}).status_code == 200
    done = client.post(f"{API}/tasks/{task_id}/status", headers=as_user("ncc.secretariat"),
                       json={"status": "done"}).json()
    assert done["progress"] == 100 and done["completed_on"] is not None and done["flag"] == ""


def test_an_agency_sees_only_the_tasks_its_distribution_allows(
        client: Any, plan_demo: Database, as_user: Any, task_ids: dict[str, int]) -> None:
    with plan_demo.reader() as session:
        restricted = session.scalars(select(PlanTask).where(
            PlanTask.distribution == "agency")).all()
        everyone = session.scalar(select(func.count()).select_from(PlanTask)) or 0
    assert [t.code for t in restricted] == ["1.2.1"]
    hidden = restricted[0].id

    def listed(username: str) -> dict[str, Any]:
        return client.get(f"{API}/tasks?limit=200", headers=as_user(username)).json()

    # The owner (the secretariat) and the responsible agency see it; others do not.
    for username in ("ncc.secretariat", "ncc.supervisor", "border.officer"):
        page = listed(username)
        assert page["total"] == everyone and hidden in {t["id"] for t in page["items"]}
        assert client.get(f"{API}/tasks/{hidden}", headers=as_user(username)).status_code == 200
    for username in ("customs.analyst", "mvd.supervisor", "sps.inspector"):
        page = listed(username)
        assert page["total"] == everyone - 1 and hidden not in {t["id"] for t in page["items"]}
        assert client.get(f"{API}/tasks/{hidden}", headers=as_user(username)).status_code == 404
        # Nor through the frozen versions or the plan tree.
        strategy = client.get(f"{API}/strategies", headers=as_user(username)).json()[0]["id"]
        frozen = client.get(f"{API}/strategies/{strategy}/versions/1",
                            headers=as_user(username)).json()
        codes = {t["code"] for o in frozen["snapshot"]["objectives"] for m in o["measures"]
                 for t in m["tasks"]}
        assert "1.2.2" in codes and "1.2.1" not in codes
        tree = client.get(f"{API}/strategies/{strategy}", headers=as_user(username)).json()
        assert hidden not in {t["id"] for o in tree["objectives"] for m in o["measures"]
                              for t in m["tasks"]}
    # A partner state's service sees no part of the national plan, nor keeps one.
    partner = as_user("kz.liaison")
    assert client.get(f"{API}/tasks", headers=partner).json()["total"] == 0
    assert client.post(f"{API}/strategies", headers=partner, json={
        "code": "KZ-PLAN", "title": "Partner plan", "first_year": 2026,
        "last_year": 2027}).status_code == 403


def test_plan_is_changed_by_its_secretariat_only_and_versions_remember(
        client: Any, plan_demo: Database, as_user: Any) -> None:
    secretariat = as_user("ncc.secretariat")
    strategy = client.get(f"{API}/strategies", headers=secretariat).json()[0]
    assert strategy["version"] == 3
    objective = client.post(f"{API}/strategies/{strategy['id']}/objectives", headers=secretariat,
                            json={"code": "9", "title": "Integrity and anti-corruption"})
    assert objective.status_code == 201, objective.text
    refused = client.post(f"{API}/strategies/{strategy['id']}/objectives",
                          headers=as_user("customs.analyst"), json={"code": "10",
                                                                    "title": "Customs own"})
    assert refused.status_code == 403
    measure = client.post(f"{API}/objectives/{objective.json()['id']}/measures",
                          headers=secretariat, json={"code": "9.1", "title": "Integrity checks"})
    task = client.post(f"{API}/tasks", headers=secretariat, json={
        "measure_id": measure.json()["id"], "code": "9.1.1", "title": "Integrity testing unit",
        "responsible": "KG-CUSTOMS", "contributing": ["KG-BS", "KG-CUSTOMS"],
        "deadline": "2027-06-30"})
    assert task.status_code == 201, task.text
    made = task.json()
    assert made["added_in_version"] == 3 and made["contributing_agency_ids"] != []
    duplicate = client.post(f"{API}/tasks", headers=secretariat, json={
        "measure_id": measure.json()["id"], "code": "9.1.1", "title": "Again",
        "responsible": "KG-CUSTOMS", "deadline": "2027-06-30"})
    assert duplicate.status_code == 409
    unknown = client.post(f"{API}/tasks", headers=secretariat, json={
        "measure_id": measure.json()["id"], "code": "9.1.2", "title": "Nobody's",
        "responsible": "KG-NOPE", "deadline": "2027-06-30"})
    assert unknown.status_code == 422 and "KG-NOPE" in unknown.json()["error"]["message"]
    version = client.post(f"{API}/strategies/{strategy['id']}/versions", headers=secretariat,
                          json={"note": "Version 3 with the integrity objective"})
    assert version.status_code == 201 and version.json()["number"] == 3
    edited = client.patch(f"{API}/tasks/{made['id']}", headers=secretariat,
                          json={"deadline": "2027-09-30"}).json()
    assert edited["changed_in_version"] == 4 and edited["added_in_version"] == 3
    changed = client.get(f"{API}/tasks?version=4", headers=secretariat).json()
    assert [t["code"] for t in changed["items"]] == ["9.1.1"]
    frozen = client.get(f"{API}/strategies/{strategy['id']}/versions/3",
                        headers=secretariat).json()["snapshot"]
    nine = next(o for o in frozen["objectives"] if o["code"] == "9")
    assert nine["measures"][0]["tasks"][0]["deadline"] == "2027-06-30"  # as it was frozen
    versions = client.get(f"{API}/strategies/{strategy['id']}/versions",
                          headers=as_user("border.officer")).json()
    assert [v["number"] for v in versions] == [3, 2, 1]


def test_a_decision_becomes_a_task(client: Any, plan_demo: Database, as_user: Any) -> None:
    secretariat = as_user("ncc.secretariat")
    meeting = client.post(f"{API}/meetings", headers=secretariat, json={
        "title": "Extraordinary meeting", "held_on": "2026-11-20", "place": "Bishkek",
        "participants": [{"name": "Назира Абдыкадырова", "agency": "KG-NCC"}],
        "agenda": ["Surge on the Tajik border"]})
    assert meeting.status_code == 201, meeting.text
    with plan_demo.reader() as session:
        measure = session.scalar(select(PlanTask.measure_id).where(PlanTask.code == "1.2.2"))
    decision = client.post(f"{API}/meetings/{meeting.json()['id']}/decisions",
                           headers=secretariat, json={
        "text": "Reinforce patrols in Batken until the end of the year.",
        "task": {"measure_id": measure, "code": "1.2.9", "title": "Reinforced patrols in Batken",
                 "responsible": "KG-BS", "deadline": "2026-12-31"}})
    assert decision.status_code == 201, decision.text
    task_id = decision.json()["task_id"]
    task = client.get(f"{API}/tasks/{task_id}", headers=as_user("border.analyst")).json()["task"]
    assert task["decision_id"] == decision.json()["id"] and task["code"] == "1.2.9"
    assert task["flag"] == "at_risk"  # due within the window, not started
    shown = client.get(f"{API}/meetings/{meeting.json()['id']}", headers=secretariat).json()
    assert [d["task_id"] for d in shown["decisions"]] == [task_id]
    not_ours = client.post(f"{API}/meetings/{meeting.json()['id']}/decisions",
                           headers=as_user("customs.analyst"), json={"text": "Something else"})
    assert not_ours.status_code == 403


def test_state_of_play_counts_what_the_reader_sees(client: Any, plan_demo: Database,
                                                   as_user: Any) -> None:
    secretariat = as_user("ncc.secretariat")
    strategy = client.get(f"{API}/strategies", headers=secretariat).json()[0]["id"]
    play = client.get(f"{API}/strategies/{strategy}/state-of-play", headers=secretariat).json()
    every = client.get(f"{API}/tasks?limit=200", headers=secretariat).json()["items"]
    overdue = client.get(f"{API}/tasks?flag=overdue&limit=200", headers=secretariat).json()
    at_risk = client.get(f"{API}/tasks?flag=at_risk&limit=200", headers=secretariat).json()
    assert play["total"]["total"] == len(every)
    assert sorted(play["overdue"]) == sorted(t["code"] for t in every if t["flag"] == "overdue")
    assert sorted(play["overdue"]) == sorted(t["code"] for t in overdue["items"])
    assert sorted(play["at_risk"]) == sorted(t["code"] for t in at_risk["items"])
    assert play["overdue"] and play["at_risk"]
    for row in play["by_agency"]:
        mine = [t for t in every if t["responsible_agency_id"] == _agency_id(plan_demo,
                                                                              row["agency"])]
        assert row["total"] == len(mine)
        assert row["done"] == sum(t["status"] == "done" for t in mine)
        assert row["overdue"] == sum(t["flag"] == "overdue" for t in mine)
    assert sum(r["total"] for r in play["by_objective"]) == len(every)


def _agency_id(db: Database, code: str) -> int:
    with db.reader() as session:
        found = session.scalar(select(Agency.id).where(Agency.code == code))
        assert found is not None
        return found


def test_evidence_is_stored_with_its_digest_and_checked_on_the_way_out(
        client: Any, plan_demo: Database, as_user: Any, task_ids: dict[str, int]) -> None:
    task_id = task_ids["1.2.2"]
    content = "Акт приёма мобильных групп № 17\n".encode() * 50
    posted = client.post(f"{API}/tasks/{task_id}/evidence", headers=as_user("border.analyst"),
                         files={"file": ("akt-17.txt", content, "text/plain")},
                         data={"note": "acceptance act"})
    assert posted.status_code == 201, posted.text
    evidence = posted.json()
    assert evidence["sha256"] == hashlib.sha256(content).hexdigest()
    assert evidence["size"] == len(content)
    fetched = client.get(f"{API}/tasks/{task_id}/evidence/{evidence['id']}",
                         headers=as_user("customs.analyst"))
    assert fetched.status_code == 200 and fetched.content == content
    refused = client.post(f"{API}/tasks/{task_id}/evidence", headers=as_user("customs.analyst"),
                          files={"file": ("x.txt", b"not ours", "text/plain")})
    assert refused.status_code == 403
    empty = client.post(f"{API}/tasks/{task_id}/evidence", headers=as_user("border.analyst"),
                        files={"file": ("empty.txt", b"", "text/plain")})
    assert empty.status_code == 422
    # A file replaced behind the system's back is not handed out.
    stored = service.evidence_path(plan_demo.settings.home, evidence["sha256"])
    stored.write_bytes(b"forged")
    tampered = client.get(f"{API}/tasks/{task_id}/evidence/{evidence['id']}",
                          headers=as_user("border.analyst"))
    assert tampered.status_code == 409 and "SHA-256" in tampered.json()["error"]["message"]


def test_evidence_over_the_limit_is_refused_and_not_kept(plan_demo: Database,
                                                        task_ids: dict[str, int]) -> None:
    with plan_demo.unit_of_work() as session:
        analyst = security.principal_for(session, security.find_user(session, "border.analyst"))
        audit.set_actor(session, security.actor_of(analyst))
        before = session.scalar(select(func.count()).select_from(TaskEvidence))
        with pytest.raises(PayloadTooLarge):
            service.attach_evidence(session, analyst, task_ids["1.2.2"],
                                    home=plan_demo.settings.home, filename="big.bin",
                                    content_type="", stream=io.BytesIO(b"x" * 5000),
                                    max_bytes=4096)
        assert session.scalar(select(func.count()).select_from(TaskEvidence)) == before
    folder = plan_demo.settings.home / "governance" / "evidence"
    assert not [p for p in folder.rglob("*") if p.is_file() and p.stat().st_size == 5000]


def test_trainings_equipment_and_their_bad_input(client: Any, plan_demo: Database,
                                                 as_user: Any) -> None:
    analyst = as_user("customs.analyst")
    with plan_demo.reader() as session:
        measure = session.scalar(select(PlanTask.measure_id).where(PlanTask.code == "2.1.1"))
    good = {"kind": "course", "topic": "Valuation of used cars", "starts_on": "2026-11-02",
            "ends_on": "2026-11-06", "place": "Bishkek", "measure_id": measure,
            "participants": [{"agency": "KG-CUSTOMS", "women": 6, "men": 9, "certificates": 14}]}
    made = client.post(f"{API}/trainings", headers=analyst, json=good)
    assert made.status_code == 201, made.text
    assert made.json()["participants"][0]["women"] == 6
    listed = client.get(f"{API}/trainings?measure_id={measure}",
                        headers=as_user("border.officer")).json()
    assert made.json()["id"] in {t["id"] for t in listed}
    for change, word in [({"ends_on": "2026-10-01"}, "ends_on"),
                         ({"participants": [{"agency": "KG-CUSTOMS", "women": 1, "men": 1,
                                             "certificates": 3}]}, "certificates"),
                         ({"participants": [{"agency": "KZ-BS", "men": 2}]}, "partner"),
                         ({"measure_id": 999_999}, "measure")]:
        bad = client.post(f"{API}/trainings", headers=analyst, json=good | change)
        assert bad.status_code == 422, (change, bad.text)
        assert word in bad.text
    assert client.post(f"{API}/trainings", headers=as_user("customs.officer"),
                       json=good).status_code == 403
    handover = client.post(f"{API}/equipment", headers=analyst, json={
        "item": "Container X-ray scanner", "category": "detection", "recipient": "KG-CUSTOMS",
        "handed_over_on": "2026-11-10", "training_id": made.json()["id"], "value": 1_200_000})
    assert handover.status_code == 201 and handover.json()["training_given"] is True
    assert client.post(f"{API}/equipment", headers=analyst, json={
        "item": "Radios", "recipient": "KG-BS", "handed_over_on": "2026-11-10",
        "value": -5}).status_code == 422


def test_donor_overlaps_and_gaps(client: Any, plan_demo: Database, as_user: Any) -> None:
    secretariat = as_user("ncc.secretariat")
    strategy = client.get(f"{API}/strategies", headers=secretariat).json()[0]["id"]
    found = client.get(f"{API}/strategies/{strategy}/coordination",
                       headers=as_user("customs.supervisor")).json()
    pairs = {tuple(sorted(o["projects"])) for o in found["overlaps"]}
    assert ("BOMCA10-KG1", "FV-BORDER-1") in pairs
    # Independently: objectives with open tasks and no project listing them.
    with plan_demo.reader() as session:
        served = {o for p in session.scalars(select(DonorProject)) for o in p.objective_ids}
        codes = {o.id: o.code for o in session.scalars(select(Objective))}
    gap_codes = {o["code"] for o in found["gap_objectives"]}
    assert gap_codes == {codes[i] for i in codes if i not in served}
    assert {"4", "5"} <= gap_codes
    # A new project serving objective 5 for the police closes that gap.
    five = next(i for i, c in codes.items() if c == "5")
    project = client.post(f"{API}/projects", headers=secretariat, json={
        "donor": "EU", "code": "EU-CRIME-1", "title": "Fighting cross-border crime",
        "budget": 800000, "starts_on": "2026-01-01", "ends_on": "2028-12-31",
        "beneficiaries": ["KG-MVD"], "objective_ids": [five]})
    assert project.status_code == 201, project.text
    after = client.get(f"{API}/strategies/{strategy}/coordination", headers=secretariat).json()
    assert "5" not in {o["code"] for o in after["gap_objectives"]}
    bad = client.post(f"{API}/projects", headers=secretariat, json={
        "donor": "EU", "code": "EU-BAD", "title": "Backwards", "starts_on": "2027-01-01",
        "ends_on": "2026-01-01"})
    assert bad.status_code == 422
    assert client.post(f"{API}/donors", headers=as_user("border.officer"),
                       json={"code": "X", "name": "Y"}).status_code in (403, 422)
