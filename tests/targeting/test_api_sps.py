"""SPS check frequencies through the API: categories under four-eyes, checks per consignment
from the category and the history, and the SPS part of the joint decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from targeting_helpers import approve, as_csv, upload

from chegara.db.session import Database
from chegara.demo.targeting import generate_trade
from chegara.security.models import AuditEvent

FIRST_DAY = dt.date(2026, 10, 1)
GRAIN = {"code": "GRAIN", "name": "Cereal grain", "commodity_category": "plant products",
         "hs_prefixes": ["10"], "identity_percent": 40, "physical_percent": 20,
         "laboratory_percent": 5}


def _category(client: Any, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.post("/api/v1/targeting/sps/categories", headers=headers, json=body)


def test_bad_categories_are_refused_and_change_nothing(client: Any, as_user: Any) -> None:
    sps = as_user("sps.analyst")
    upside_down = _category(client, sps, {**GRAIN, "physical_percent": 60})
    assert upside_down.status_code == 422
    assert "identity >= physical >= laboratory" in upside_down.json()["error"]["message"]
    fewer_documents = _category(client, sps, {**GRAIN, "documentary_percent": 50})
    assert fewer_documents.status_code == 422
    assert _category(client, sps, {**GRAIN, "hs_prefixes": ["ten"]}).status_code == 422
    assert _category(client, sps, {**GRAIN, "colour": "red"}).status_code == 422
    assert _category(client, sps, {**GRAIN, "laboratory_percent": 101}).status_code == 422
    assert _category(client, as_user("sps.inspector"), GRAIN).status_code == 403
    listed = client.get("/api/v1/targeting/sps/categories", headers=sps)
    assert listed.status_code == 200 and listed.json() == []
    rules = client.get("/api/v1/targeting/sps/rules", headers=as_user("sps.inspector")).json()
    assert rules["origin_raise_after"] == 3 and rules["reinforced_until_clean"] == 10
    assert client.get("/api/v1/targeting/sps/rules",
                      headers=as_user("border.admin")).status_code == 403


def test_categories_decide_the_checks_and_the_joint_decision(
        client: Any, as_user: Any, demo: Database) -> None:
    trade = generate_trade(FIRST_DAY, days=3, scale=0.3)
    customs, sps = as_user("customs.analyst"), as_user("sps.analyst")
    assert upload(client, customs, as_csv(trade.declarations),
                   distribution="national").status_code == 201
    assert upload(client, sps, as_csv(trade.consignments), kind="consignment").status_code == 201
    # Every check for grain; none beyond the documentary one for anything else.
    made = [_category(client, sps, {**GRAIN, "identity_percent": 100, "physical_percent": 100,
                                    "laboratory_percent": 100}).json(),
            _category(client, sps, {"code": "OTHER", "name": "Other goods",
                                    "hs_prefixes": ["02", "08"], "identity_percent": 0,
                                    "physical_percent": 0, "laboratory_percent": 0}).json()]
    assert [m["status"] for m in made] == ["draft", "draft"]
    for category in made:
        asked = client.post(f"/api/v1/targeting/sps/categories/{category['id']}/activate",
                            headers=sps)
        assert asked.status_code == 202
        mine = client.post(f"/api/v1/approvals/{asked.json()['approval_id']}/approve",
                           headers=as_user("customs.supervisor"), json={"reason": "x"})
        assert mine.status_code == 403  # a supervisor of another agency
        approve(client, as_user, "sps.supervisor", asked.json()["approval_id"])
    statuses = {c["code"]: c["status"] for c in client.get(
        "/api/v1/targeting/sps/categories", headers=sps).json()}
    assert statuses == {"GRAIN": "active", "OTHER": "active"}
    offices = sorted({row["office"] for row in trade.consignments})
    staff = ["vet.one", "vet.two"]
    for office in offices:
        assert client.put(f"/api/v1/targeting/capacity/{office}", headers=sps, json={
            "physical_per_day": 5, "documentary_per_day": 5, "inspectors": staff,
        }).status_code == 204
    for headers in (customs, sps):
        assert client.post("/api/v1/targeting/selection/run", headers=headers,
                           json={}).status_code == 200
    queue = client.get("/api/v1/targeting/declarations", headers=sps,
                       params={"kind": "consignment", "limit": 200}).json()
    assert queue["total"] == len(trade.consignments)
    for item in queue["items"]:
        check, decision = item["sps_check"], item["decision"]
        grain = item["declaration"]["hs_code"].startswith("10")
        assert check["category_code"] == ("GRAIN" if grain else "OTHER")
        assert check["documentary"] and check["physical"] == grain
        assert decision["channel"] == ("red" if grain else "green")
        assert decision["basis"] == "sps" and any(r.startswith("draw ") for r in
                                                  decision["reasons"])
        # A consignment sent to a check is dealt to an inspector; a green one to nobody.
        assert (decision["inspector"] in staff) if grain else decision["inspector"] == ""
    grain_ref = next(i for i in queue["items"]
                     if i["declaration"]["hs_code"].startswith("10"))["declaration"]
    joint = client.get("/api/v1/targeting/joint", params={"ref": grain_ref["declaration_id"]},
                       headers=sps).json()
    assert joint["channel"] == "red"
    assert next(p for p in joint["parts"] if p["kind"] == "consignment")["sps_checks"] == [
        "documentary", "identity", "physical", "laboratory"]
    detail = client.get(f"/api/v1/targeting/declarations/{grain_ref['id']}", headers=sps).json()
    assert detail["sps_check"]["frequencies"] == {"identity": 100, "physical": 100,
                                                  "laboratory": 100}
    # A documentary-only (green) consignment still gets its result recorded: it is history.
    green = next(i for i in queue["items"] if i["decision"]["channel"] == "green")
    recorded = client.post(f"/api/v1/targeting/decisions/{green['decision']['id']}/result",
                           headers=as_user("sps.inspector"),
                           json={"found": True, "offence_type": "certificate mismatch"})
    assert recorded.status_code == 201, recorded.text
    # Retiring needs a supervisor too; until then the category still applies.
    grain_id = next(m["id"] for m in made if m["code"] == "GRAIN")
    retire = client.post(f"/api/v1/targeting/sps/categories/{grain_id}/retire", headers=sps)
    assert retire.status_code == 202
    edit = client.put(f"/api/v1/targeting/sps/categories/{grain_id}", headers=sps, json=GRAIN)
    assert edit.status_code == 409
    approve(client, as_user, "sps.supervisor", retire.json()["approval_id"])
    assert client.get("/api/v1/targeting/sps/categories", headers=sps,
                      params={"status": "retired"}).json()[0]["code"] == "GRAIN"
    with demo.reader() as session:
        changes = session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.resource_type == "sps_category"))
    assert changes and changes >= 6  # created, pending, activated x2, retiring, retired
