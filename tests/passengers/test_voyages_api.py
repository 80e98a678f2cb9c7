"""Voyages end to end through the API: a manifest loaded and screened with a hit of each kind,
the pre-arrival list, review, scoping, four-eyes rule activation, and refused manifests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from chegara.demo.travel import DemoBooking, compose_pnrgov
from chegara.passengers.manifest import Leg, Manifest, TravelDocument, Traveller
from chegara.passengers.models import Voyage
from chegara.passengers.paxlst_compose import compose_paxlst
from chegara.security.models import AuditEvent

WANTED = ("id,name,aliases,birth_date,nationality,gender,document_number\n"
          "w1,Юсупов Рустам Алишерович,,1980-05-12,UZ,M,\n")
REGISTRY = ("document_number,document_type,issuing_state,status,reported_on,source\n"
            "AC4417902,P,KGZ,stolen,2026-09-14,national\n")
COURIER = {"match": "all", "conditions": [
    {"attribute": "one_way", "operator": "equals", "value": True},
    {"attribute": "payment_forms", "operator": "in", "value": ["CA"]},
    {"attribute": "booking_lead_hours", "operator": "less", "value": 48}]}
FAR = dt.date(2035, 1, 1)


def _person(surname: str, given: str, born: dt.date, nationality: str, number: str,
            expiry: dt.date = FAR) -> Traveller:
    return Traveller(surname, given, born, "M", nationality,
                     documents=[TravelDocument("P", number, nationality, expiry)])


def _flight(arrival: dt.datetime) -> Leg:
    naive = arrival.replace(tzinfo=None, second=0, microsecond=0)
    return Leg("TK", "TK346", "IST", "FRU", naive - dt.timedelta(hours=5), naive)


def _pnrgov(arrival: dt.datetime) -> bytes:
    flight = _flight(arrival)
    assert flight.departure is not None
    back = Leg("TK", "TK347", "FRU", "IST", flight.departure + dt.timedelta(days=9),
               flight.departure + dt.timedelta(days=9, hours=5))
    early = flight.departure - dt.timedelta(days=30)
    bookings = [
        DemoBooking("AAA111", early, "CC", [_person("IUSUPOV", "RUSTAM", dt.date(1980, 5, 12),
                                                    "UZB", "FA1234567")], return_leg=back),
        DemoBooking("BBB222", early, "CC", [_person("ASANOV", "BAKYT", dt.date(1975, 1, 2),
                                                    "KGZ", "AC4417902")], return_leg=back),
        DemoBooking("CCC333", flight.departure - dt.timedelta(hours=20), "CA",
                    [_person("KARIMOV", "ULUGBEK", dt.date(1996, 7, 2), "UZB", "FA8810022")],
                    agency="BAZAAR TRAVEL"),
        DemoBooking("DDD444", early, "CC", [_person("OMUROV", "TIMUR", dt.date(1988, 4, 4),
                                                    "KGZ", "AC5550000",
                                                    dt.date(2020, 1, 1))], return_leg=back),
        DemoBooking("EEE555", early, "CC", [_person("SULTANOV", "NURLAN", dt.date(1992, 9, 9),
                                                    "KGZ", "AC6660000")], return_leg=back),
    ]
    return compose_pnrgov(flight, bookings).encode()


def _prepare(client: Any, as_user: Any) -> None:
    mvd = as_user("mvd.analyst")
    assert client.post("/api/v1/watchlists", headers=mvd, json={
        "name": "wanted", "title": "Wanted persons", "kind": "wanted"}).status_code == 201
    assert client.post("/api/v1/watchlists/wanted/versions", headers=mvd, files={
        "file": ("wanted.csv", WANTED.encode(), "text/csv")}).status_code == 201
    assert client.post("/api/v1/registry/imports", headers=mvd, files={
        "file": ("stolen.csv", REGISTRY.encode(), "text/csv")}).status_code == 201
    analyst = as_user("border.analyst")
    rule = client.post("/api/v1/traveller-rules", headers=analyst, json={
        "name": "Courier profile", "severity": 3, "condition": COURIER})
    assert rule.status_code == 201 and rule.json()["status"] == "draft"
    asked = client.post(f"/api/v1/traveller-rules/{rule.json()['id']}/activate",
                        headers=analyst)
    assert asked.status_code == 202, asked.text
    approved = client.post(f"/api/v1/approvals/{asked.json()['id']}/approve",
                           json={"reason": "agreed"}, headers=as_user("border.supervisor"))
    assert approved.status_code == 200, approved.text


def _load(client: Any, headers: dict[str, str], data: bytes, name: str) -> Any:
    return client.post("/api/v1/voyages", headers=headers,
                       files={"file": (name, data, "application/octet-stream")})


def test_manifest_screened_end_to_end(client: Any, demo: Any, as_user: Any) -> None:
    _prepare(client, as_user)
    officer = as_user("border.officer")
    arrival = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=45)
    loaded = _load(client, officer, _pnrgov(arrival), "tk346.edi")
    assert loaded.status_code == 201, loaded.text
    body = loaded.json()
    assert body["travellers"] == 5 and body["voyage"]["designator"] == "TK346"
    assert body["hits_by_kind"] == {"watchlist": 1, "registry": 1, "rule": 1, "document": 1}
    voyage_id = body["voyage"]["id"]
    listing = client.get(f"/api/v1/voyages/{voyage_id}", headers=officer).json()
    assert 40 <= listing["minutes_until_arrival"] <= 45 and listing["urgent"]
    people = [(t["surname"], [h["kind"] for h in t["hits"]]) for t in listing["travellers"]]
    assert len(people) == 4  # the traveller without hits is not on the pre-arrival list
    assert [p[0] for p in people][-1] == "OMUROV"  # the medium (expired) hit comes last
    assert dict(people) == {"IUSUPOV": ["watchlist"], "ASANOV": ["registry"],
                            "KARIMOV": ["rule"], "OMUROV": ["document"]}
    courier = next(t for t in listing["travellers"] if t["surname"] == "KARIMOV")
    assert courier["attributes"]["payment_forms"] == ["CA"] and courier["attributes"][
        "one_way"] is True and "booking_lead_hours less 48" in courier["hits"][0]["summary"]
    wanted = next(t for t in listing["travellers"] if t["surname"] == "IUSUPOV")
    hit_id = wanted["hits"][0]["screening_hit_id"]
    queued = client.get(f"/api/v1/screening/hits/{hit_id}", headers=officer).json()
    assert queued["source"] == f"manifest:{voyage_id}"
    everyone = client.get(f"/api/v1/voyages/{voyage_id}?everyone=true", headers=officer)
    assert len(everyone.json()["travellers"]) == 5
    # Another agency does not see a voyage loaded with agency distribution.
    assert client.get(f"/api/v1/voyages/{voyage_id}",
                      headers=as_user("customs.officer")).status_code == 404
    with demo.reader() as session:
        reads = session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "read", AuditEvent.resource_type == "voyage"))
    assert reads == 2
    for traveller in listing["travellers"]:
        reviewed = client.post(
            f"/api/v1/voyages/{voyage_id}/travellers/{traveller['id']}/review",
            headers=officer, json={"note": "checked at the gate"})
        assert reviewed.status_code == 200 and reviewed.json()["reviewed"]
    done = client.get(f"/api/v1/voyages/{voyage_id}", headers=officer).json()
    assert done["open_reviews"] == 0 and not done["urgent"]
    listed = client.get("/api/v1/voyages", headers=officer).json()
    assert listed["total"] == 1 and listed["items"][0]["open_reviews"] == 0


def test_rules_only_apply_once_approved(client: Any, demo: Any, as_user: Any) -> None:
    analyst = as_user("border.analyst")
    rule = client.post("/api/v1/traveller-rules", headers=analyst, json={
        "name": "Courier profile", "severity": 3, "condition": COURIER}).json()
    officer = as_user("border.officer")
    arrival = dt.datetime.now(dt.UTC) + dt.timedelta(hours=5)
    first = _load(client, officer, _pnrgov(arrival), "a.edi").json()
    assert "rule" not in first["hits_by_kind"]
    asked = client.post(f"/api/v1/traveller-rules/{rule['id']}/activate", headers=analyst)
    own = client.post(f"/api/v1/approvals/{asked.json()['id']}/approve", json={},
                      headers=analyst)
    assert own.status_code == 403  # an analyst cannot approve, least of all their own change
    # The draft edited while waiting: the approval applies what was asked for, not the edit.
    edited = COURIER | {"match": "any"}
    assert client.put(f"/api/v1/traveller-rules/{rule['id']}", headers=analyst, json={
        "name": "Courier profile", "severity": 3, "condition": edited}).status_code == 200
    assert client.post(f"/api/v1/approvals/{asked.json()['id']}/approve",
                       json={"reason": "ok"},
                       headers=as_user("border.supervisor")).status_code == 200
    active = client.get(f"/api/v1/traveller-rules/{rule['id']}", headers=analyst).json()
    assert active["status"] == "active" and active["active_condition"]["match"] == "all"
    assert active["version"] == 2 and active["active_version"] == 1
    second = _load(client, officer, _pnrgov(arrival), "b.edi").json()
    assert second["hits_by_kind"]["rule"] == 1
    assert client.post(f"/api/v1/traveller-rules/{rule['id']}/retire",
                       headers=analyst).status_code == 200
    third = _load(client, officer, _pnrgov(arrival), "c.edi").json()
    assert "rule" not in third["hits_by_kind"]
    refused = client.post("/api/v1/traveller-rules", headers=analyst, json={
        "name": "Broken", "condition": {"match": "all", "conditions": [
            {"attribute": "shoe_size", "operator": "equals", "value": 44}]}})
    assert refused.status_code == 422 and "shoe_size" in refused.json()["error"]["message"]


def test_malformed_manifests_are_refused_and_nothing_is_stored(client: Any, demo: Any,
                                                               as_user: Any) -> None:
    officer = as_user("border.officer")
    leg = _flight(dt.datetime(2026, 11, 23, 9, 0))
    good = compose_paxlst(Manifest("PAXLST", legs=[leg], travellers=[
        _person("ASANOV", "BAKYT", dt.date(1975, 1, 2), "KGZ", "AC1")],
        list_type="passengers"))
    truncated = good.split("UNT+")[0]
    response = _load(client, officer, truncated.encode(), "broken.edi")
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert "segment UNH" in message and "nothing stored" in message
    bad_csv = b"surname,given_names\nASANOV,BAKYT\n"
    response = _load(client, officer, bad_csv, "bus.csv")
    assert response.status_code == 422 and "birth_date" in response.json()["error"]["message"]
    assert _load(client, officer, b"", "empty.csv").status_code == 422
    # 0x98 is the one byte Windows-1251 leaves undefined, so this is neither encoding.
    response = _load(client, officer, b"surname,given_names\n\x98\xff,B\n", "bus.csv")
    assert response.status_code == 422 and "neither UTF-8 nor Windows-1251" in response.text
    with demo.reader() as session:
        assert session.scalar(select(func.count()).select_from(Voyage)) == 0
    assert _load(client, as_user("border.auditor"), good.encode(), "x.edi").status_code == 403


def test_a_bus_manifest_as_csv(client: Any, demo: Any, as_user: Any) -> None:
    officer = as_user("border.officer")
    text = ("voyage,carrier,transport_mode,origin,destination,arrival,surname,given_names,"
            "birth_date,nationality,document_number,document_issuing_state,document_expiry\n"
            "AND-OSH 07,Andijan Avtotrans,bus,Andijan,Osh,2026-11-23T10:00,NURMATOV,SARDOR,"
            "1991-03-08,UZB,FA0456712,UZB,2030-05-01\n"
            "AND-OSH 07,Andijan Avtotrans,bus,Andijan,Osh,2026-11-23T10:00,TOSHEV,ALI,"
            "1990-01-01,QQQ,FA1,QQQ,2030-05-01\n")
    loaded = _load(client, officer, text.encode(), "bus.csv")
    assert loaded.status_code == 201, loaded.text
    assert loaded.json()["voyage"]["transport_mode"] == "bus"
    listing = client.get(f"/api/v1/voyages/{loaded.json()['voyage']['id']}",
                         headers=officer).json()
    codes = {h["code"] for t in listing["travellers"] for h in t["hits"]}
    assert {"unknown_issuing_state", "unknown_nationality"} <= codes
