"""The governance pages through their forms, as a browser without JavaScript uses them."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from chegara.db.session import Database
from chegara.governance.models import PlanTask, TaskUpdate
from chegara.web.i18n import catalogue

HTML = {"Accept": "text/html"}
PAGES = ("/governance", "/governance/plan", "/governance/meetings", "/governance/trainings",
         "/governance/equipment", "/governance/donors", "/governance/reports",
         "/governance/import", "/governance/plan/versions/1")


def test_every_page_opens_for_the_secretariat_in_russian(client: Any, plan_demo: Database,
                                                         sign_in: Any) -> None:
    sign_in("ncc.secretariat")
    ru = catalogue("ru")
    for path in PAGES:
        page = client.get(path, headers=HTML)
        assert page.status_code == 200, (path, page.text[:500])
        assert '<html lang="ru">' in page.text
    dashboard = client.get("/governance").text
    assert ru["Overdue tasks"] in dashboard and ru["By responsible agency"] in dashboard
    # One progress bar per responsible agency and per objective.
    assert dashboard.count('class="gbar"') >= 6 + 8
    assert 'class="flag overdue"' in dashboard and 'class="flag at_risk"' in dashboard
    trainings = client.get("/governance/trainings").text
    assert "<svg" in trainings and ru["Trained staff by agency and gender"] in trainings
    donors = client.get("/governance/donors").text
    assert "FV-BORDER-1" in donors and ru["overlap"] in donors


def test_the_plan_filters_and_the_restricted_task(client: Any, plan_demo: Database,
                                                  sign_in: Any) -> None:
    sign_in("customs.analyst")
    plan = client.get("/governance/plan").text
    assert 'data-code="1.2.2"' in plan and 'data-code="1.2.1"' not in plan
    overdue = client.get("/governance/plan?flag=overdue").text
    codes = set(re.findall(r'data-code="([^"]+)"', overdue))
    assert codes and "2.1.2" in codes and "1.1.1" not in codes


def test_the_responsible_agency_reports_through_the_form(client: Any, plan_demo: Database,
                                                         sign_in: Any) -> None:
    with plan_demo.reader() as session:
        task = session.scalar(select(PlanTask).where(PlanTask.code == "3.2.2"))
        assert task is not None and task.status == "not_started"
    token = sign_in("sps.analyst")
    page = client.get(f"/governance/tasks/{task.id}").text
    assert 'id="status-form"' in page and 'id="evidence-form"' in page
    moved = client.post(f"/governance/tasks/{task.id}/status", follow_redirects=False,
                        data={"csrf_token": token, "status": "in_progress", "progress": "20",
                              "note": "Equipment ordered"})
    assert moved.status_code == 303
    attached = client.post(f"/governance/tasks/{task.id}/evidence", follow_redirects=False,
                           data={"csrf_token": token, "note": "order"},
                           files={"file": ("order.pdf", b"%PDF-1.4 order", "application/pdf")})
    assert attached.status_code == 303
    shown = client.get(f"/governance/tasks/{task.id}").text
    assert "order.pdf" in shown and "Equipment ordered" in shown
    with plan_demo.reader() as session:
        updates = session.scalars(select(TaskUpdate).where(TaskUpdate.task_id == task.id)).all()
    assert [(u.old_status, u.new_status, u.by) for u in updates] == [
        ("not_started", "in_progress", "sps.analyst")]
    # Another agency sees the task but not the forms, and its post is refused.
    other = sign_in("customs.analyst")
    page = client.get(f"/governance/tasks/{task.id}").text
    assert 'id="status-form"' not in page
    refused = client.post(f"/governance/tasks/{task.id}/status", headers=HTML,
                          data={"csrf_token": other, "status": "done"})
    assert refused.status_code == 403


def test_secretariat_forms_and_their_errors(client: Any, plan_demo: Database,
                                            sign_in: Any) -> None:
    token = sign_in("ncc.secretariat")
    meeting = client.post("/governance/meetings", follow_redirects=False, data={
        "csrf_token": token, "title": "Working group on donor support", "held_on": "2026-11-18",
        "place": "Bishkek", "participants": "Назира Абдыкадырова (KG-NCC) secretary\nJ. Novak",
        "agenda": "Overlaps\nGaps"})
    assert meeting.status_code == 303, meeting.text
    shown = client.get(meeting.headers["location"]).text
    assert "J. Novak" in shown and "Overlaps" in shown and 'id="decision-form"' in shown
    bad = client.post("/governance/meetings", data={"csrf_token": token, "title": "x",
                                                    "held_on": "someday"}, headers=HTML)
    assert bad.status_code == 422 and 'class="error"' in bad.text
    revised = client.post("/governance/plan/versions", follow_redirects=False,
                          data={"csrf_token": token, "strategy_id": "1", "note": "Version 3"})
    assert revised.status_code == 303 and revised.headers["location"].endswith("/versions/3")
    imported = client.post("/governance/import", data={"csrf_token": token, "kind": "equipment"},
                           files={"file": ("e.csv", b"item,recipient,handed_over_on\n"
                                                    b"Radios,KG-BS,2026-11-01\n"
                                                    b"Radios,KG-NOPE,2026-11-01\n",
                                           "text/csv")})
    assert imported.status_code == 422 and "line 3" in imported.text
