"""The travel pages as officers and analysts use them in the browser (no JavaScript)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from chegara.documents.mrz_compose import MrzData, compose_mrz
from web_helpers import sign_in_form, upload_bus_voyage

REGISTRY = ("document_number,document_type,issuing_state,status,reported_on,source\n"
            "AC4417902,P,KGZ,stolen,2026-09-14,national\n")
BUS = ("voyage,carrier,transport_mode,origin,destination,arrival,surname,given_names,"
       "birth_date,nationality,document_number,document_issuing_state,document_expiry\n"
       "AND-OSH 07,Andijan Avtotrans,bus,Andijan,Osh,{arrival},ASANOV,BAKYT,"
       "1975-01-02,KGZ,AC4417902,KGZ,2030-05-01\n"
       "AND-OSH 07,Andijan Avtotrans,bus,Andijan,Osh,{arrival},TOSHEV,ALI,"
       "1990-01-01,UZB,FA1234567,UZB,2030-05-01\n")




def test_registry_document_check_and_voyage_pages(client: Any, demo: Any) -> None:
    csrf = sign_in_form(client, "mvd.analyst")
    imported = client.post("/registry/import", data={"csrf_token": csrf,
                                                     "distribution": "national"},
                           files={"file": ("stolen.csv", REGISTRY.encode(), "text/csv")})
    assert imported.status_code == 200 and "1 added" in imported.text
    refused = client.post("/registry/import", data={"csrf_token": csrf},
                          files={"file": ("bad.csv", b"document_number\nX\n", "text/csv")})
    assert refused.status_code == 422 and "issuing_state" in refused.text

    csrf = sign_in_form(client, "border.officer")
    home = client.get("/")
    for path in ("/documents", "/registry", "/voyages"):
        assert f'href="{path}"' in home.text
    assert 'href="/rules"' not in home.text  # officers do not read or write rules
    search = client.get("/registry?number=ac 4417-902")
    assert search.status_code == 200 and "AC4417902" in search.text
    mrz = compose_mrz(MrzData(
        format="TD3", document_code="P", issuing_state="KGZ", surname="ASANOV",
        given_names="BAKYT", document_number="AC4417902", nationality="KGZ",
        birth_date=dt.date(1975, 1, 2), sex="M", expiry_date=dt.date(2030, 5, 1)))
    checked = client.post("/documents", data={"csrf_token": csrf, "mrz": mrz,
                                              "surname": "Асанов"})
    assert checked.status_code == 200 and "TD3" in checked.text
    assert 'role="alert"' in checked.text and "AC4417902" in checked.text  # stolen
    broken = client.post("/documents", data={"csrf_token": csrf,
                                             "mrz": mrz.replace("AC4417902", "AC4417903")})
    assert broken.status_code == 200 and "document_number" in broken.text
    empty = client.post("/documents", data={"csrf_token": csrf, "mrz": ""})
    assert empty.status_code == 422

    voyage_path = upload_bus_voyage(client, csrf, BUS)
    page = client.get(voyage_path)
    assert page.status_code == 200 and 'id="urgent"' in page.text
    assert "ASANOV" in page.text and "TOSHEV" not in page.text
    assert "TOSHEV" in client.get(voyage_path + "?everyone=true").text
    assert "AND-OSH 07" in client.get("/voyages").text
    traveller_id = re.search(r"/travellers/(\d+)/review", page.text).group(1)  # type: ignore[union-attr]
    reviewed = client.post(f"{voyage_path}/travellers/{traveller_id}/review",
                           data={"csrf_token": csrf, "note": "passport seized"},
                           follow_redirects=False)
    assert reviewed.status_code == 303
    after = client.get(voyage_path)
    assert "passport seized" in after.text and 'id="urgent"' not in after.text
    bad = client.post("/voyages", data={"csrf_token": csrf},
                      files={"file": ("bad.edi", b"UNH+1+PAXLST'BGM+745'", "text/plain")})
    assert bad.status_code == 422 and "UNH" in bad.text


def test_rule_editor_and_four_eyes(client: Any, demo: Any) -> None:
    csrf = sign_in_form(client, "border.analyst")
    assert client.get("/rules/new").status_code == 200
    form = {"csrf_token": csrf, "name": "Courier profile", "severity": "3", "match": "all",
            "distribution": "agency",
            "attribute_0": "one_way", "operator_0": "equals", "value_0": "true",
            "attribute_1": "payment_forms", "operator_1": "in", "value_1": "CA, CH",
            "attribute_2": "age", "operator_2": "between", "value_2": "18, 30"}
    created = client.post("/rules", data=form, follow_redirects=False)
    assert created.status_code == 303, created.text
    rule_path = created.headers["location"]
    page = client.get(rule_path)
    assert page.status_code == 200 and "CA, CH" in page.text and "18, 30" in page.text
    wrong = client.post("/rules", data=form | {"value_2": "old"})
    assert wrong.status_code == 422 and "two numbers" in wrong.text
    asked = client.post(f"{rule_path}/activate", data={"csrf_token": csrf},
                        follow_redirects=False)
    assert asked.status_code == 303
    assert "/approvals" in client.get(rule_path).text  # waiting for approval
    sign_in_form(client, "border.supervisor")
    inbox = client.get("/approvals")
    assert "Courier profile" in inbox.text
    assert "Courier profile" in client.get("/rules").text


def test_nested_rules_are_shown_but_not_saved_from_the_page(client: Any, demo: Any,
                                                            as_user: Any) -> None:
    nested = {"match": "all", "conditions": [
        {"attribute": "one_way", "operator": "equals", "value": True},
        {"match": "any", "conditions": [
            {"attribute": "payment_forms", "operator": "in", "value": ["CA"]},
            {"attribute": "bags", "operator": "equals", "value": 0}]}]}
    created = client.post("/api/v1/traveller-rules", headers=as_user("border.analyst"),
                          json={"name": "Nested", "condition": nested})
    assert created.status_code == 201
    csrf = sign_in_form(client, "border.analyst")
    path = f"/rules/{created.json()['id']}"
    page = client.get(path)
    assert page.status_code == 200 and "<pre>" in page.text and "bags" in page.text
    assert "Сохранить черновик" not in page.text  # no save button (Russian by default)
    refused = client.post(path, data={"csrf_token": csrf, "name": "Nested", "severity": "2",
                                      "match": "all", "attribute_0": "one_way",
                                      "operator_0": "equals", "value_0": "true"})
    assert refused.status_code == 422
    kept = client.get(f"/api/v1/traveller-rules/{created.json()['id']}",
                      headers=as_user("border.analyst")).json()
    assert kept["condition"] == nested and kept["version"] == 1
