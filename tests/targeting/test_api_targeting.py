"""Targeting through the API: import, profiles under four-eyes, decisions, overrides, results,
the model registry with rollback, the joint decision and what each agency may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from targeting_helpers import approve, as_csv, upload

from chegara.demo.targeting import generate_trade

FIRST_DAY = dt.date(2026, 10, 1)


def test_a_bad_file_is_refused_whole_with_the_lines(client: Any, as_user: Any) -> None:
    analyst = as_user("customs.analyst")
    trade = generate_trade(FIRST_DAY, days=2, scale=0.1)
    rows = [dict(r) for r in trade.declarations]
    rows[1]["net_mass_kg"] = "-4"
    rows[2]["date"] = "yesterday"
    refused = upload(client, analyst, as_csv(rows))
    assert refused.status_code == 422, refused.text
    details = refused.json()["error"]["details"]
    assert {(d["line"], d["field"]) for d in details} == {(3, "net_mass_kg"), (4, "date")}
    queue = client.get("/api/v1/targeting/declarations", headers=analyst).json()
    assert queue["total"] == 0
    # A column map in YAML: canonical name -> source column.
    renamed = [{("DeclNo" if k == "declaration_id" else k): v for k, v in r.items()}
               for r in trade.declarations]
    mapped = upload(client, analyst, as_csv(renamed),
                     map="declaration_id: DeclNo\ndate: date\nhs_code: hs_code\n"
                         "office: office\nvalue: value\nnet_mass_kg: net_mass_kg\n")
    assert mapped.status_code == 201, mapped.text
    again = upload(client, analyst, as_csv(renamed), map="declaration_id: DeclNo\n")
    assert again.status_code == 422 and "already stored" in again.text
    officer = as_user("customs.officer")
    assert upload(client, officer, as_csv(rows)).status_code == 403


def test_profiles_decisions_overrides_results_and_models(client: Any, as_user: Any) -> None:
    analyst = as_user("customs.analyst")
    trade = generate_trade(FIRST_DAY, days=21, scale=0.45)
    imported = upload(client, analyst, as_csv(trade.declarations), distribution="national")
    assert imported.status_code == 201, imported.text

    profile = client.post("/api/v1/targeting/profiles", headers=analyst, json={
        "code": "CIG", "name": "Cigarettes", "criteria": {"hs": ["2402"]}, "channel": "red",
        "instructions": "Count the packs."})
    assert profile.status_code == 201, profile.text
    bad = client.post("/api/v1/targeting/profiles", headers=analyst, json={
        "code": "BAD", "name": "Unknown list", "criteria": {"watchlist": "nobody"},
        "channel": "red"})
    assert bad.status_code == 422 and "watch-list" in bad.text
    asked = client.post(f"/api/v1/targeting/profiles/{profile.json()['id']}/activate",
                        headers=analyst)
    assert asked.status_code == 202, asked.text
    own = client.post(f"/api/v1/approvals/{asked.json()['approval_id']}/approve",
                      headers=as_user("customs.analyst"), json={"reason": "mine"})
    assert own.status_code == 403
    approve(client, as_user, "customs.supervisor", asked.json()["approval_id"])
    (active,) = client.get("/api/v1/targeting/profiles?status=active", headers=analyst).json()
    assert active["code"] == "CIG"

    run = client.post("/api/v1/targeting/selection/run", headers=analyst,
                      json={"random_percent": 10.0})
    assert run.status_code == 200, run.text
    assert run.json()["decided"] == len(trade.declarations)
    red = client.get("/api/v1/targeting/declarations?channel=red&limit=200",
                     headers=analyst).json()["items"]
    cigarettes = [i for i in red if i["declaration"]["hs_code"].startswith("2402")]
    assert cigarettes and all("CIG" in i["decision"]["profiles_fired"] for i in cigarettes)
    assert any("random compliance sample" in " ".join(i["decision"]["reasons"]) for i in red)

    officer = as_user("customs.officer")
    for item in red:
        ref = item["declaration"]["declaration_id"]
        found = trade.fraud[ref]
        recorded = client.post(f"/api/v1/targeting/decisions/{item['decision']['id']}/result",
                               headers=officer, json={
                                   "found": found, "offence_type": "undervaluation" if found
                                   else "", "revenue_recovered": 100.0 if found else 0})
        assert recorded.status_code == 201, recorded.text
    twice = client.post(f"/api/v1/targeting/decisions/{red[0]['decision']['id']}/result",
                        headers=officer, json={"found": False})
    assert twice.status_code == 409

    # Releasing a red declaration waits for a supervisor; making one stricter does not.
    green = client.get("/api/v1/targeting/declarations?channel=green&limit=1",
                       headers=analyst).json()["items"][0]
    stricter = client.post(f"/api/v1/targeting/decisions/{green['decision']['id']}/override",
                           headers=officer, json={"channel": "red", "reason": "Tip-off"})
    assert stricter.status_code == 200 and stricter.json()["approval_id"] is None
    assert stricter.json()["decision"]["channel"] == "red"
    no_reason = client.post(f"/api/v1/targeting/decisions/{red[0]['decision']['id']}/override",
                            headers=officer, json={"channel": "green", "reason": ""})
    assert no_reason.status_code == 422
    release = client.post(f"/api/v1/targeting/decisions/{red[0]['decision']['id']}/override",
                          headers=officer, json={"channel": "green", "reason": "Known trader"})
    assert release.status_code == 200 and release.json()["decision"]["channel"] == "red"
    approve(client, as_user, "customs.supervisor", release.json()["approval_id"])
    detail = client.get(f"/api/v1/targeting/declarations/{red[0]['declaration']['id']}",
                        headers=officer).json()
    assert detail["decision"]["channel"] == "green"
    assert detail["decision"]["original_channel"] == "red"
    assert detail["result"] is not None

    # The model registry: train from the results, four-eyes activation, then roll back.
    first = client.post("/api/v1/targeting/models/train", headers=analyst)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "registered" and first.json()["inspected"] == len(red)
    second = client.post("/api/v1/targeting/models/train", headers=analyst).json()
    assert second["version"] != first.json()["version"]
    for model_id in (first.json()["id"], second["id"]):
        asked = client.post(f"/api/v1/targeting/models/{model_id}/activate", headers=analyst)
        approve(client, as_user, "customs.supervisor", asked.json()["approval_id"])
    statuses = {m["id"]: m["status"]
                for m in client.get("/api/v1/targeting/models", headers=analyst).json()}
    assert statuses == {first.json()["id"]: "retired", second["id"]: "active"}
    rollback = client.post(f"/api/v1/targeting/models/{first.json()['id']}/activate",
                           headers=analyst)
    approve(client, as_user, "customs.supervisor", rollback.json()["approval_id"])
    statuses = {m["id"]: m["status"]
                for m in client.get("/api/v1/targeting/models", headers=analyst).json()}
    assert statuses == {first.json()["id"]: "active", second["id"]: "retired"}


def test_joint_decision_and_what_each_agency_sees(client: Any, as_user: Any) -> None:
    trade = generate_trade(FIRST_DAY, days=3, scale=0.3)
    customs, sps = as_user("customs.analyst"), as_user("sps.analyst")
    assert upload(client, customs, as_csv(trade.declarations),
                   distribution="national").status_code == 201
    assert upload(client, sps, as_csv(trade.consignments), kind="consignment").status_code == 201
    profile = client.post("/api/v1/targeting/profiles", headers=sps, json={
        "code": "ALL-SPS", "name": "Every consignment", "criteria": {"hs": ["01-24"]},
        "channel": "red"}).json()
    asked = client.post(f"/api/v1/targeting/profiles/{profile['id']}/activate", headers=sps)
    approve(client, as_user, "sps.supervisor", asked.json()["approval_id"])
    for headers in (customs, sps):
        assert client.post("/api/v1/targeting/selection/run", headers=headers,
                           json={}).status_code == 200
    ref = trade.consignments[0]["declaration_id"]
    seen_by_sps = client.get("/api/v1/targeting/joint", params={"ref": ref}, headers=sps).json()
    assert seen_by_sps["channel"] == "red"
    assert {p["kind"]: p["visible"] for p in seen_by_sps["parts"]} == {
        "consignment": True, "declaration": True}
    # The SPS consignment is for its own agency only: customs sees the combined decision.
    seen_by_customs = client.get("/api/v1/targeting/joint", params={"ref": ref},
                                 headers=customs).json()
    hidden = [p for p in seen_by_customs["parts"] if p["kind"] == "consignment"]
    assert hidden == [{"agency_code": "KG-VPSI", "kind": "consignment", "visible": False,
                       "channel": None, "reasons": [], "sps_checks": []}]
    assert seen_by_customs["channel"] == "red"
    assert "hold" in seen_by_customs["border_action"]
    booked = client.post("/api/v1/targeting/joint/appointment", params={"ref": ref},
                         headers=as_user("sps.inspector"), json={
                             "scheduled_for": "2026-10-02T09:30:00+06:00",
                             "place": "Torugart, joint inspection bay 2"})
    assert booked.status_code == 200, booked.text
    assert len(booked.json()["appointment"]["agencies"]) == 3  # customs, SPS, border guard
    border = client.get("/api/v1/targeting/joint", params={"ref": ref},
                        headers=as_user("border.officer")).json()
    assert border["appointment"]["place"].startswith("Torugart")
    assert [p["visible"] for p in border["parts"] if p["kind"] == "consignment"] == [False]
    partner = client.get("/api/v1/targeting/joint", params={"ref": ref},
                         headers=as_user("kz.liaison"))
    assert partner.status_code == 403
    partner_queue = client.get("/api/v1/targeting/declarations",
                               headers=as_user("kz.liaison"))
    assert partner_queue.json()["total"] == 0


def test_a_file_that_is_not_utf8_is_bad_input(client: Any, as_user: Any) -> None:
    analyst = as_user("customs.analyst")
    refused = upload(client, analyst, b"declaration_id,date\n\x82\xff,2026-10-01\n")
    assert refused.status_code == 422, refused.text
    assert "not UTF-8 text" in refused.text
    assert client.get("/api/v1/targeting/declarations", headers=analyst).json()["total"] == 0
