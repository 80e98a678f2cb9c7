"""The document registry and the document check through the API: import, lookup, scoping,
audit, and the MRZ check with the visual zone and the registry."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from chegara.documents.mrz_compose import MrzData, compose_mrz
from chegara.documents.service import normalise_number, printed_name_matches
from chegara.security.models import AuditEvent

REGISTRY = ("document_number,document_type,issuing_state,status,reported_on,source\n"
            "AC 4417-902,P,KGZ,stolen,2026-09-14,national\n"
            "ID1129384,ID,KGZ,lost,2026-10-02,national\n"
            "FA0456712,P,UZB,lost,2026-06-11,sltd\n")


def _import(client: Any, headers: dict[str, str], text: str, **form: str) -> Any:
    return client.post("/api/v1/registry/imports", headers=headers, data=form,
                       files={"file": ("stolen.csv", text.encode(), "text/csv")})


def _lookups(demo: Any) -> int:
    with demo.reader() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "registry.lookup")) or 0


def test_numbers_are_normalised() -> None:
    assert normalise_number(" ac 4417-902< ") == "AC4417902"
    assert normalise_number("N0.123/456") == "N0123456"


def test_import_lookup_audit_and_scoping(client: Any, demo: Any, as_user: Any) -> None:
    mvd = as_user("mvd.analyst")
    imported = _import(client, mvd, REGISTRY)
    assert imported.status_code == 201, imported.text
    assert imported.json() | {"import_id": ""} == {"import_id": "", "rows": 3, "added": 3,
                                                   "updated": 0, "unchanged": 0}
    again = _import(client, mvd, REGISTRY.replace("lost,2026-06-11", "stolen,2026-06-12"))
    assert (again.json()["added"], again.json()["updated"], again.json()["unchanged"]) == (
        0, 1, 2)
    officer = as_user("border.officer")
    before = _lookups(demo)
    found = client.get("/api/v1/registry/lookup", params={"number": "ac4417 902"},
                       headers=officer)
    assert found.status_code == 200, found.text
    (match,) = found.json()["matches"]
    assert (match["number"], match["status"], match["issuing_state"]) == (
        "AC4417902", "stolen", "KGZ")
    wrong_state = client.get("/api/v1/registry/lookup", headers=officer,
                             params={"number": "AC4417902", "state": "KAZ"})
    assert wrong_state.json()["matches"] == []
    assert _lookups(demo) == before + 2  # every lookup is audited, found or not
    # National distribution: not for partner states' services.
    kz = client.get("/api/v1/registry/lookup", params={"number": "AC4417902"},
                    headers=as_user("kz.liaison"))
    assert kz.status_code == 200 and kz.json()["matches"] == []
    # Agency distribution: only the reporting agency sees the report.
    private = _import(client, mvd, REGISTRY.replace("AC 4417-902", "AC9999999"),
                      distribution="agency")
    assert private.status_code == 201
    assert client.get("/api/v1/registry/lookup", params={"number": "AC9999999"},
                      headers=officer).json()["matches"] == []
    assert len(client.get("/api/v1/registry/lookup", params={"number": "AC9999999"},
                          headers=mvd).json()["matches"]) == 1


def test_bad_rows_reject_the_whole_file(client: Any, demo: Any, as_user: Any) -> None:
    mvd = as_user("mvd.analyst")
    bad = REGISTRY + "X-1,P,QQQ,stolen,2026-01-01,national\nAB1,P,KGZ,gone,01.02.2026,fbi\n"
    response = _import(client, mvd, bad)
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert "line 5" in message and "QQQ" in message and "line 6" in message
    assert "status" in message and "reported_on" in message and "source" in message
    found = client.get("/api/v1/registry/lookup", params={"number": "FA0456712"},
                       headers=mvd).json()
    assert found["matches"] == []  # nothing half-imported
    missing = _import(client, mvd, "number,status\n1,lost\n")
    assert missing.status_code == 422 and "document_number" in missing.json()["error"][
        "message"]
    assert _import(client, as_user("border.officer"), REGISTRY).status_code == 403


def test_document_check_with_visual_zone_and_registry(client: Any, demo: Any,
                                                      as_user: Any) -> None:
    assert _import(client, as_user("mvd.analyst"), REGISTRY).status_code == 201
    mrz = compose_mrz(MrzData(
        format="TD3", document_code="P", issuing_state="KGZ", surname="ZHUMABEKOV",
        given_names="AZAMAT", document_number="AC4417902", nationality="KGZ",
        birth_date=date(1990, 3, 12), sex="M", expiry_date=date(2031, 2, 1)))
    officer = as_user("border.officer")
    checked = client.post("/api/v1/documents/check", headers=officer, json={
        "mrz": mrz, "surname": "Жумабеков", "given_names": "Азамат",
        "birth_date": "1990-03-12", "document_number": "AC 4417902"})
    assert checked.status_code == 200, checked.text
    body = checked.json()
    assert body["valid"] and body["format"] == "TD3" and body["visual_zone"] == []
    assert body["registry_checked"] and body["registry"][0]["status"] == "stolen"
    assert body["days_to_expiry"] > 0 and not body["expired"]
    wrong = client.post("/api/v1/documents/check", headers=officer, json={
        "mrz": mrz.replace("AC4417902", "AC4417903"), "surname": "Петров",
        "birth_date": "1990-03-13"}).json()
    assert not wrong["valid"]
    fields = {i["field"] for i in wrong["errors"]} | {i["field"] for i in wrong["visual_zone"]}
    assert {"document_number", "surname", "birth_date"} <= fields
    assert client.post("/api/v1/documents/check", headers=officer,
                       json={"mrz": ""}).status_code == 422
    assert client.post("/api/v1/documents/check", headers=as_user("border.admin"),
                       json={"mrz": mrz}).status_code == 403


def test_printed_cyrillic_names_use_the_screening_transliteration() -> None:
    assert printed_name_matches("Жумабеков", "ZHUMABEKOV")
    assert printed_name_matches("Müller", "MUELLER")
    assert not printed_name_matches("Петров", "ZHUMABEKOV")


def test_a_field_over_the_csv_limit_names_its_line(client: Any, demo: Any, as_user: Any) -> None:
    headers = as_user("border.analyst")
    with demo.reader() as session:
        before = session.scalar(select(func.count()).select_from(AuditEvent))
    huge = REGISTRY + "X" * 200_000 + ",P,KGZ,lost,2026-10-02,national\n"
    response = _import(client, headers, huge)
    assert response.status_code == 422, response.text
    assert "line 5: field larger than field limit" in response.json()["error"]["message"]
    with demo.reader() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == before
