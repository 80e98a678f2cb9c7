"""The targeting pages as an analyst, an officer and a supervisor use them (no JavaScript)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from targeting_helpers import approve, as_csv, upload

from chegara.demo.targeting import generate_trade
from chegara.targeting.declarations import FIELDS_BY_NAME
from chegara.web.i18n import catalogue
from chegara.web.targeting_pages import FIELD_LABELS, FORM_ORDER
from web_helpers import sign_in_form

RU = catalogue("ru")


def test_queue_declaration_result_override_profiles_and_dashboard(
        client: Any, as_user: Any) -> None:
    trade = generate_trade(dt.date(2026, 10, 1), days=3, scale=0.3)
    assert upload(client, as_user("customs.analyst"), as_csv(trade.declarations),
                   distribution="national").status_code == 201
    csrf = sign_in_form(client, "customs.analyst")
    bad = client.post("/targeting/profiles", data={
        "csrf_token": csrf, "code": "CIG", "name": "Cigarettes", "channel": "red",
        "criteria": "{not json", "distribution": "agency"})
    assert bad.status_code == 422 and "not valid JSON" in bad.text
    made = client.post("/targeting/profiles", data={
        "csrf_token": csrf, "code": "CIG", "name": "Cigarettes", "channel": "red",
        "criteria": '{"hs": ["2402", "8517"]}', "selection_percent": "100",
        "distribution": "national", "instructions": "Count the packs"},
        follow_redirects=False)
    assert made.status_code == 303, made.text
    profile_url = made.headers["location"]
    asked = client.post(f"{profile_url}/activate", data={"csrf_token": csrf},
                        follow_redirects=False)
    assert asked.status_code == 303
    page = client.get(profile_url)
    assert page.status_code == 200 and "Count the packs" in page.text
    approval = client.get("/api/v1/approvals", headers=as_user("customs.supervisor")).json()
    approve(client, as_user, "customs.supervisor", approval["items"][0]["id"])
    ran = client.post("/targeting/run", data={"csrf_token": csrf, "random_percent": "0"},
                      follow_redirects=False)
    assert ran.status_code == 303

    csrf = sign_in_form(client, "customs.officer")
    queue = client.get("/targeting?channel=red")
    assert queue.status_code == 200
    links = re.findall(r'href="/targeting/declarations/(\d+)"', queue.text)
    assert links
    declaration = client.get(f"/targeting/declarations/{links[0]}")
    assert declaration.status_code == 200
    decision_id = re.search(r"/targeting/decisions/(\d+)/result", declaration.text)
    assert decision_id is not None
    recorded = client.post(f"/targeting/decisions/{decision_id.group(1)}/result", data={
        "csrf_token": csrf, "found": "yes", "offence_type": "undervaluation",
        "revenue_recovered": "1200.50"}, follow_redirects=False)
    assert recorded.status_code == 303
    shown = client.get(f"/targeting/declarations/{links[0]}")
    assert "1,200.50" in shown.text and "undervaluation" in shown.text
    released = client.post(f"/targeting/decisions/{decision_id.group(1)}/override", data={
        "csrf_token": csrf, "channel": "green", "reason": "Examined yesterday"},
        follow_redirects=False)
    assert released.status_code == 303
    # Still red until a supervisor approves.
    assert 'class="channel red"' in client.get(f"/targeting/declarations/{links[0]}").text
    no_csrf = client.post(f"/targeting/decisions/{decision_id.group(1)}/override",
                          data={"channel": "red", "reason": "x"})
    assert no_csrf.status_code == 403

    ref = trade.declarations[0]["declaration_id"]
    joint = client.get("/targeting/joint", params={"ref": ref})
    assert joint.status_code == 200 and ref in joint.text

    sign_in_form(client, "customs.analyst")
    board = client.get("/targeting/dashboard")
    assert board.status_code == 200
    assert "<svg" in board.text and f"<td>{RU['profile']} CIG</td>" in board.text
    # The chart's labels are in the reader's language too (matplotlib keeps them in comments).
    assert f"{RU['profile']} CIG (n=" in board.text and "profile CIG" not in board.text
    assert client.get("/targeting/profiles").status_code == 200
    profile_page = client.get(profile_url)
    assert profile_page.status_code == 200 and "<svg" in profile_page.text
    sign_in_form(client, "kz.liaison")
    assert "/targeting/declarations/" not in client.get("/targeting").text


def test_the_declaration_page_names_fields_as_an_officer_does(
        client: Any, as_user: Any) -> None:
    assert {name for name, _label in FIELD_LABELS} == set(FIELDS_BY_NAME)
    trade = generate_trade(dt.date(2026, 10, 1), days=1, scale=0.1)
    assert upload(client, as_user("customs.analyst"), as_csv(trade.declarations),
                   distribution="national").status_code == 201
    sign_in_form(client, "customs.officer")
    link = re.search(r'href="(/targeting/declarations/\d+)"', client.get("/targeting").text)
    assert link is not None
    assert all(row.get(name) for row in trade.declarations
               for name in ("hs_code", "declarant_id", "net_mass_kg"))
    for language in ("en", "ru"):
        client.get(f"/lang/{language}")
        page = client.get(link.group(1))
        assert page.status_code == 200
        terms = re.findall(r"<dt>(.*?)</dt>", page.text.split("<h2>", 2)[1].split("</dl>")[0])
        # Only the officer's words, never the import codes.
        assert not set(terms) & set(FIELDS_BY_NAME), terms
        labels = dict(FIELD_LABELS)
        wanted = {labels[name] if language == "en" else RU[labels[name]]
                  for name in ("hs_code", "declarant_id", "net_mass_kg")}
        assert wanted <= set(terms), terms


def test_the_form_order_names_every_canonical_field_once() -> None:
    # A misspelt or forgotten name would not hide a field, only move it to the end of the page.
    assert sorted(FORM_ORDER) == sorted(FIELDS_BY_NAME)


def test_the_dashboard_without_results_shows_the_note_and_no_empty_table(
        client: Any, as_user: Any) -> None:
    sign_in_form(client, "customs.analyst")
    board = client.get("/targeting/dashboard")
    assert board.status_code == 200
    rates = board.text.split(f"<h2>{RU['Hit rate by profile and model']}</h2>")[1]
    rates = rates.split("</section>")[0]
    assert RU["No inspection results yet."] in rates
    assert "<table" not in rates and RU["Selected by"] not in rates


def test_sps_categories_pages_and_checks_on_the_queue_and_declaration(
        client: Any, as_user: Any) -> None:
    trade = generate_trade(dt.date(2026, 10, 1), days=2, scale=0.3)
    assert upload(client, as_user("sps.analyst"), as_csv(trade.consignments),
                   kind="consignment").status_code == 201
    csrf = sign_in_form(client, "sps.analyst")
    form = {"csrf_token": csrf, "code": "FRUIT", "name": "Fresh and dried fruit",
            "commodity_category": "plant products", "hs_prefixes": "07, 08",
            "identity_percent": "30", "physical_percent": "40", "laboratory_percent": "3",
            "distribution": "national"}
    upside_down = client.post("/targeting/sps", data=form)
    assert upside_down.status_code == 422
    assert "identity &gt;= physical &gt;= laboratory" in upside_down.text
    made = client.post("/targeting/sps", data={**form, "physical_percent": "15"},
                       follow_redirects=False)
    assert made.status_code == 303, made.text
    url = made.headers["location"]
    assert client.post(f"{url}/activate", data={"csrf_token": csrf},
                       follow_redirects=False).status_code == 303
    approval = client.get("/api/v1/approvals", headers=as_user("sps.supervisor")).json()
    approve(client, as_user, "sps.supervisor", approval["items"][0]["id"])
    listing = client.get("/targeting/sps")
    assert listing.status_code == 200 and "FRUIT" in listing.text
    # Words of the page's own: an origin, a risk score, all channels — not the rule editor's
    # "any condition" or the screening "match score".
    assert f"<td>{RU['any origin']}</td>" in listing.text
    rules = listing.text.split("<h2>", 2)[1]  # the thresholds, in the page's language
    assert " 180 " in rules and " 365 " in rules
    assert client.post("/targeting/run", data={"csrf_token": csrf},
                       follow_redirects=False).status_code == 303
    queue = client.get("/targeting?kind=consignment")
    assert f"<th>{RU['Risk score']}</th>" in queue.text
    assert re.search(r'<option value=""[^>]*>' + RU["All"] + '</option>', queue.text)
    assert queue.text.count('class="muted sps-checks"') == len(trade.consignments)
    links = re.findall(r'href="/targeting/declarations/(\d+)"', queue.text)
    page = client.get(f"/targeting/declarations/{links[0]}")
    assert 'id="sps-checks"' in page.text and 'class="sps-laboratory"' in page.text
    # Every consignment had its documentary check, so each may have a result recorded.
    assert "/result" in page.text
    sign_in_form(client, "sps.inspector")
    assert client.get(url).status_code == 200
    assert "new-sps-category" not in client.get("/targeting/sps").text
    sign_in_form(client, "border.admin")
    assert client.get("/targeting/sps").status_code == 403
