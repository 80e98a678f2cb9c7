"""Strategic analysis through the API: incidents and their workflow, scoping, statistics import,
CIRAM with four-eyes impact levels, products."""

from __future__ import annotations

import datetime as dt
from typing import Any

from chegara.db.base import utcnow


def _incident(**extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "incident_type": "illegal_border_crossing", "section": "KG-TJ Batken",
        "occurred_at": (utcnow() - dt.timedelta(hours=2)).isoformat(), "persons": 4,
        "nationality": "TJK", "impact": "medium", "source_reliability": "B",
        "information_credibility": "2", "distribution": "national", "tlp": "green"}
    body.update(extra)
    return body


def test_geography_is_shipped_and_admins_edit_it(client: Any, as_user: Any) -> None:
    officer = as_user("border.officer")
    sections = client.get("/api/v1/analysis/sections", headers=officer).json()
    codes = {s["code"] for s in sections}
    assert {"KG-KZ Chui", "KG-UZ Osh", "KG-TJ Batken", "KG-CN Naryn"} <= codes
    chui = next(s for s in sections if s["code"] == "KG-KZ Chui")
    assert set(chui["neighbours"]) == {"KG-KZ Talas", "KG-KZ Issyk-Kul"}
    points = {p["name"] for p in client.get("/api/v1/analysis/crossing-points",
                                             headers=officer).json()}
    assert {"Ak-Jol", "Dostuk", "Torugart", "Irkeshtam", "Karamyk", "Bor-Dobo"} <= points
    change = {"neighbours": ["KG-KZ Talas"]}
    assert client.patch("/api/v1/analysis/sections/KG-KZ Chui", headers=officer,
                        json=change).status_code == 403
    admin = as_user("border.admin")
    updated = client.patch("/api/v1/analysis/sections/KG-KZ Chui", headers=admin, json=change)
    assert updated.status_code == 200, updated.text
    after = {s["code"]: s for s in client.get("/api/v1/analysis/sections",
                                               headers=admin).json()}
    # Adjacency stays symmetric.
    assert "KG-KZ Chui" not in after["KG-KZ Issyk-Kul"]["neighbours"]
    bad = client.patch("/api/v1/analysis/sections/KG-KZ Chui", headers=admin,
                       json={"neighbours": ["Atlantis"]})
    assert bad.status_code == 422 and "Atlantis" in bad.json()["error"]["message"]


def test_incident_workflow_overdue_and_scoping(client: Any, as_user: Any) -> None:
    officer = as_user("border.officer")
    made = client.post("/api/v1/analysis/incidents", headers=officer, json=_incident(
        impact="high", occurred_at=(utcnow() - dt.timedelta(hours=30)).isoformat(),
        distribution="agency", tlp="amber"))
    assert made.status_code == 201, made.text
    incident = made.json()
    assert incident["status"] == "reported" and incident["overdue"] is True
    overdue = client.get("/api/v1/analysis/incidents?overdue=true", headers=officer).json()
    assert [i["id"] for i in overdue["items"]] == [incident["id"]]
    # Another agency does not see an agency-only incident.
    customs = as_user("customs.analyst")
    assert client.get(f"/api/v1/analysis/incidents/{incident['id']}",
                      headers=customs).status_code == 404
    reported = client.post(f"/api/v1/analysis/incidents/{incident['id']}/first-report",
                           headers=officer, json={"text": "Group of 4 detained at 03:10."})
    assert reported.status_code == 200 and reported.json()["overdue"] is True  # filed late
    # Officers report; analysts of the agency validate and close.
    assert client.post(f"/api/v1/analysis/incidents/{incident['id']}/status", headers=officer,
                       json={"status": "validated"}).status_code == 403
    analyst = as_user("border.analyst")
    for status in ("validated", "closed"):
        moved = client.post(f"/api/v1/analysis/incidents/{incident['id']}/status",
                            headers=analyst, json={"status": status})
        assert moved.status_code == 200 and moved.json()["status"] == status
    again = client.post(f"/api/v1/analysis/incidents/{incident['id']}/status", headers=analyst,
                        json={"status": "validated"})
    assert again.status_code == 422


def test_bad_incidents_are_refused_with_reasons(client: Any, as_user: Any) -> None:
    officer = as_user("border.officer")
    for body, word in [
        (_incident(incident_type="refusal_of_entry"), "reason"),
        (_incident(section="KG-XX Nowhere"), "section"),
        (_incident(crossing_point="TORUGART"), "Torugart"),
        (_incident(occurred_at="2026-01-01T10:00:00"), "offset"),
        (_incident(incident_type="alien_landing"), "incident_type"),
        (_incident(distribution="partners"), "distribution"),
    ]:
        response = client.post("/api/v1/analysis/incidents", headers=officer, json=body)
        assert response.status_code in (404, 422), response.text
        assert word.lower() in response.text.lower()
    listed = client.get("/api/v1/analysis/incidents", headers=officer).json()
    assert listed["total"] == 0


def test_statistics_import_is_all_or_nothing(client: Any, as_user: Any) -> None:
    analyst = as_user("migration.analyst")
    bad = ("period,section,indicator,count\n2025-01,KG-UZ Osh,returns,4\n"
           "2025-02,KG-UZ Osh,returns,four\n")
    response = client.post("/api/v1/analysis/statistics", headers=analyst,
                           files={"file": ("returns.csv", bad.encode(), "text/csv")})
    assert response.status_code == 422 and "line 3" in response.json()["error"]["message"]
    table = client.get("/api/v1/analysis/indicators", headers=analyst).json()
    assert table == []
    good = ("period,section,indicator,count\n2025-01,KG-UZ Osh,returns,4\n"
            "2025-03,KG-UZ Osh,returns,6\n2025-01,Osh airport,returns,1\n")
    response = client.post("/api/v1/analysis/statistics", headers=analyst,
                           files={"file": ("returns.csv", good.encode(), "text/csv")})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["rows"] == 4 and body["filled_months"] == 1
    assert body["unknown_sections"] == ["Osh airport"]
    rows = client.get("/api/v1/analysis/indicators", headers=as_user("border.analyst")).json()
    osh = sorted((r["period"], r["count"]) for r in rows if r["section"] == "KG-UZ Osh")
    assert osh == [("2025-01", 4.0), ("2025-02", 0.0), ("2025-03", 6.0)]
    assert client.post("/api/v1/analysis/statistics", headers=as_user("border.officer"),
                       files={"file": ("r.csv", good.encode(), "text/csv")}
                       ).status_code == 403


def test_indicators_count_validated_incidents_by_breakdown(client: Any, as_user: Any) -> None:
    officer, analyst = as_user("border.officer"), as_user("border.analyst")
    ids = []
    for persons, point in ((3, "DOSTUK"), (2, "KARA-SUU")):
        made = client.post("/api/v1/analysis/incidents", headers=officer, json=_incident(
            section="KG-UZ Osh", crossing_point=point, persons=persons))
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    assert client.get("/api/v1/analysis/indicators", headers=analyst).json() == []
    for incident_id in ids:
        client.post(f"/api/v1/analysis/incidents/{incident_id}/status", headers=analyst,
                    json={"status": "validated"})
    by_section = client.get("/api/v1/analysis/indicators", headers=analyst).json()
    assert [(r["section"], r["indicator"], r["count"]) for r in by_section] == [
        ("KG-UZ Osh", "illegal_border_crossing", 5.0)]
    by_point = client.get("/api/v1/analysis/indicators?by=crossing_point",
                          headers=analyst).json()
    assert sorted((r["crossing_point"], r["count"]) for r in by_point) == [
        ("DOSTUK", 3), ("KARA-SUU", 2)]
    by_agency = client.get("/api/v1/analysis/indicators?by=agency", headers=analyst).json()
    assert [(r["agency"], r["count"]) for r in by_agency] == [("KG-BS", 5)]


def test_ciram_assessment_and_four_eyes_impact_level(client: Any, as_user: Any) -> None:
    analyst = as_user("ncc.analyst")
    config = client.get("/api/v1/analysis/ciram/config", headers=analyst).json()
    assessment = {
        "section": "KG-TJ Batken", "threat": "illegal_border_crossing", "period": "2026-Q3",
        "magnitude": 4, "likelihood": 5,
        "vulnerability": dict.fromkeys(config["vulnerability_items"], 4),
        "impacts": dict.fromkeys(config["impact_dimensions"], 2) | {"border_security": 5}}
    made = client.post("/api/v1/analysis/assessments", headers=analyst, json=assessment)
    assert made.status_code == 201, made.text
    scored = made.json()
    assert scored["threat_score"] == 20 and scored["impact_score"] == 5
    assert scored["risk_level"] == "critical" and "matrix" in scored["rationale"]
    missing = dict(assessment, vulnerability={"staff": 3})
    refused = client.post("/api/v1/analysis/assessments", headers=analyst, json=missing)
    assert refused.status_code == 422 and "equipment" in refused.text
    proposed = client.post("/api/v1/analysis/sections/KG-TJ Batken/impact-level",
                           headers=analyst, json={"level": "critical", "reason": "surge",
                                                  "assessment_id": scored["id"]})
    assert proposed.status_code == 202, proposed.text
    approval_id = proposed.json()["approval_id"]
    sections = {s["code"]: s for s in client.get("/api/v1/analysis/sections",
                                                  headers=analyst).json()}
    assert sections["KG-TJ Batken"]["impact_level"] == "low"
    # Another agency's supervisor cannot decide; the agency's own can.
    other = client.post(f"/api/v1/approvals/{approval_id}/approve",
                        headers=as_user("border.supervisor"), json={"reason": "ok"})
    assert other.status_code == 403
    decided = client.post(f"/api/v1/approvals/{approval_id}/approve",
                          headers=as_user("ncc.supervisor"), json={"reason": "agreed"})
    assert decided.status_code == 200, decided.text
    sections = {s["code"]: s for s in client.get("/api/v1/analysis/sections",
                                                  headers=analyst).json()}
    assert sections["KG-TJ Batken"]["impact_level"] == "critical"
    history = client.get("/api/v1/analysis/sections/KG-TJ Batken/impact-levels",
                         headers=analyst).json()
    assert [(h["previous_level"], h["level"], h["status"]) for h in history] == [
        ("low", "critical", "approved")]
