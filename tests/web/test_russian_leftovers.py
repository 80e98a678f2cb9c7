"""The last sentences that stayed English on Russian pages read in Russian now.

Three kinds: the names of withdrawn country codes inside the document check's warnings, the
reason a traveller of a voyage could not be screened, and a risk profile's criteria when they
are combined (all / any / not, and comparisons of declaration fields). Each page is rendered in
Russian as the demo users see it; what the services store stays English.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from markupsafe import escape
from sqlalchemy import select

from chegara import messages
from chegara.db.session import Database
from chegara.demo.targeting import generate_trade
from chegara.documents.codes import CodeKind, state_codes
from chegara.documents.mrz import check_mrz
from chegara.documents.mrz_compose import MrzData, compose_mrz
from chegara.passengers.models import TravellerHit
from chegara.screening import matcher
from chegara.targeting import rules
from chegara.targeting.declarations import FIELDS_BY_NAME
from chegara.web.i18n import catalogue
from chegara.web.sentences import translate
from web_helpers import sign_in_form, upload_bus_voyage

RU = catalogue("ru")
# An English word left in a Russian sentence: lower-case Latin letters (codes, names and
# document numbers are upper case; "ISO", "ICAO" and "MRZ" are the standards' own names).
ENGLISH_WORD = re.compile(r"[a-z]{2,}")


def _english_left(russian: str, *kept: str) -> list[str]:
    for text in kept:
        russian = russian.replace(text, "")
    return ENGLISH_WORD.findall(russian)


def _in_russian(client: Any) -> None:
    assert client.get("/lang/ru", follow_redirects=False).status_code == 303


def _shown(page: str, english: str) -> str:
    """The Russian of a stored English sentence, checked to be on the page instead of it."""
    russian = translate("ru", english)
    assert str(escape(russian)) in page, russian
    assert str(escape(english)) not in page, english
    return russian


# --- withdrawn country codes ------------------------------------------------------------------

def _legacy_codes() -> list[str]:
    return sorted(c.code for c in state_codes().values() if c.kind is CodeKind.LEGACY)


@pytest.mark.parametrize("code", _legacy_codes())
def test_every_withdrawn_country_code_is_named_in_russian(code: str) -> None:
    english = messages.MRZ_LEGACY_STATE.format(code=code, name=state_codes()[code].name)
    russian = translate("ru", english)
    assert not _english_left(russian), russian
    assert code in russian


def test_the_document_check_names_withdrawn_countries_in_russian(client: Any,
                                                                 demo: Database) -> None:
    mrz = compose_mrz(MrzData(
        format="TD3", document_code="P", issuing_state="ANT", surname="MARTINA",
        given_names="ANNA", document_number="NA1234567", nationality="RKS",
        birth_date=dt.date(1980, 5, 1), sex="F", expiry_date=dt.date(2031, 1, 1)))
    legacy = [i.message for i in check_mrz(mrz).warnings if i.code == "legacy_state"]
    assert len(legacy) == 2
    csrf = sign_in_form(client, "border.officer")
    _in_russian(client)
    page = client.post("/documents", data={"csrf_token": csrf, "mrz": mrz})
    assert page.status_code == 200
    for english in legacy:
        russian = _shown(page.text, english)
        assert not _english_left(russian), russian
    client.get("/lang/en")
    again = client.post("/documents", data={"csrf_token": csrf, "mrz": mrz})
    assert all(str(escape(english)) in again.text for english in legacy)


# --- travellers who could not be screened -----------------------------------------------------

LISTED = ("id,name,aliases,birth_date,nationality,gender,document_number\n"
          "w1,Юсупов Рустам Алишерович,,1980-05-12,UZ,M,\n")
# Each traveller carries something the screening cannot read: a nationality code it does not
# know, a birth date out of range, a name without letters.
BUS = ("voyage,carrier,transport_mode,origin,destination,arrival,surname,given_names,"
       "birth_date,nationality,document_number,document_issuing_state,document_expiry\n"
       "AND-OSH 09,Andijan Avtotrans,bus,Andijan,Osh,{arrival},TOSHEV,ALI,"
       "1990-01-01,QQQ,FA1234567,UZB,2030-05-01\n"
       "AND-OSH 09,Andijan Avtotrans,bus,Andijan,Osh,{arrival},KARIMOV,BOBUR,"
       "1800-03-04,UZB,FA7654321,UZB,2030-05-01\n")


def _active_watchlist(client: Any, as_user: Any) -> None:
    created = client.post("/api/v1/watchlists", headers=as_user("border.analyst"), json={
        "name": "wanted", "title": "National wanted list", "kind": "wanted"})
    assert created.status_code == 201, created.text
    csrf = sign_in_form(client, "border.analyst")
    uploaded = client.post("/watchlists/wanted/versions",
                           data={"csrf_token": csrf, "format": "csv"},
                           files={"file": ("wanted.csv", LISTED.encode(), "text/csv")},
                           follow_redirects=False)
    assert uploaded.status_code == 303


def test_a_voyage_page_says_in_russian_why_travellers_were_not_screened(
        client: Any, demo: Database, as_user: Any) -> None:
    _active_watchlist(client, as_user)
    csrf = sign_in_form(client, "border.officer")
    _in_russian(client)
    location = upload_bus_voyage(client, csrf, BUS)
    with demo.reader() as session:
        reasons = list(session.scalars(select(TravellerHit.summary).where(
            TravellerHit.voyage_id == int(location.rsplit("/", 1)[1]),
            TravellerHit.code == "not_screened")))
    assert len(reasons) == 2
    assert all(r.startswith("not screened: traveller 1 (") for r in reasons)
    page = client.get(location + "?everyone=true")
    assert page.status_code == 200
    for english in reasons:
        russian = _shown(page.text, english)
        assert not _english_left(russian), russian


def _bad_queries() -> list[matcher.Query]:
    return [matcher.Query(name="12345"), matcher.Query(name="A" * 301),
            matcher.Query(name="ALI", birth_date="31-12-90"),
            matcher.Query(name="ALI", birth_date="1990-13-01"),
            matcher.Query(name="ALI", birth_date="1990-12-32"),
            matcher.Query(name="ALI", birth_date="1700"),
            matcher.Query(name="ALI", nationality="QQQ"),
            matcher.Query(name="ALI", gender="Q")]


def test_every_reason_the_screening_refuses_a_traveller_reads_in_russian() -> None:
    index = matcher.ScreeningIndex.build([matcher.WatchlistEntry("wanted", "w1", "ALI VALI")])
    problems = index.screen_many(_bad_queries())
    assert all(isinstance(p, matcher.ScreeningInputError) for p in problems)
    assert len({str(p) for p in problems}) == len(problems)
    for problem in problems:
        english = messages.NOT_SCREENED.format(reason=messages.TRAVELLER_NOT_SCREENABLE.format(
            position=1, name="ALI", problem=problem))
        russian = translate("ru", english)
        assert not _english_left(russian), russian


# --- combined criteria of risk profiles -------------------------------------------------------

# Criteria that hold for every declaration, so that the profile fires, written with every way
# of combining them: a range inside an alternative, a negated conjunction, comparisons.
ALWAYS = {"all": [
    {"any": [{"hs": ["01-97"]},
             {"all": [{"field": "transport_mode", "equals": "40"},
                      {"field": "net_mass_kg", "gt": 5}]}]},
    {"not": {"all": [{"field": "origin_country", "in": ["ZZ"]},
                     {"field": "description", "contains": ["ZZZ"]}]}},
    {"field": "import_type", "not_in": ["ZZ"]},
]}


def test_every_way_of_combining_criteria_reads_in_russian() -> None:
    described = rules.parse_criterion(ALWAYS, "test").describe()
    for word in ("and", "or", "not", "is", "one of", "transport mode", "mentions"):
        assert re.search(rf"\b{word}\b", described), word
    profile = rules.parse_profile({"id": "ALL", "name": "Все", "when": ALWAYS,
                                   "action": {"channel": "red"}})
    russian = translate("ru", profile.describe())
    assert not _english_left(russian), russian


def test_a_field_whose_name_holds_or_stays_one_field_among_alternatives() -> None:
    criterion = rules.parse_criterion({"any": [
        {"field": "species_or_product", "contains": ["beef"]}, {"hs": ["0201"]}]}, "test")
    russian = translate("ru", criterion.describe())
    assert RU["species or product"] in russian
    assert _english_left(russian, "beef") == [], russian


@pytest.mark.parametrize("name", sorted(FIELDS_BY_NAME) + list(rules.DERIVED_FIELDS))
def test_every_declaration_field_compared_in_a_profile_reads_in_russian(name: str) -> None:
    op = "gt" if name in rules.NUMBER_FIELDS else "in"
    value: Any = 1 if op == "gt" else ["AB"]
    criterion = rules.parse_criterion({"not": {"field": name, op: value}}, "test")
    russian = translate("ru", criterion.describe())
    assert not _english_left(russian), russian


@pytest.mark.parametrize("op", [*messages.FIELD_OPERATOR_WORDS, "empty"])
def test_every_comparison_a_profile_makes_reads_in_russian(op: str) -> None:
    value: Any = {"between": [1, 2], "empty": True}.get(op, 5)
    criterion = rules.parse_criterion({"field": "quantity", op: value}, "test")
    english = criterion.describe()
    russian = translate("ru", english)
    assert russian.startswith(RU["quantity"]) and not _english_left(russian), russian


def test_a_declaration_page_gives_combined_criteria_in_russian(client: Any,
                                                               as_user: Any) -> None:
    trade = generate_trade(dt.date(2026, 10, 1), days=1, scale=0.05)
    rows = trade.declarations
    header = sorted({k for r in rows for k in r})
    body = "\n".join(",".join(str(r.get(k, "")) for k in header) for r in rows)
    uploaded = client.post("/api/v1/targeting/declarations", headers=as_user("customs.analyst"),
                           files={"file": ("decl.csv", f"{','.join(header)}\n{body}\n".encode(),
                                           "text/csv")},
                           data={"distribution": "national"})
    assert uploaded.status_code == 201, uploaded.text
    csrf = sign_in_form(client, "customs.analyst")
    made = client.post("/targeting/profiles", data={
        "csrf_token": csrf, "code": "ALWAYS", "name": "Всегда", "channel": "yellow",
        "criteria": json.dumps(ALWAYS), "selection_percent": "100",
        "distribution": "national", "instructions": "Проверить"}, follow_redirects=False)
    assert made.status_code == 303, made.text
    asked = client.post(f"{made.headers['location']}/activate", data={"csrf_token": csrf},
                        follow_redirects=False)
    assert asked.status_code == 303
    waiting = client.get("/api/v1/approvals", headers=as_user("customs.supervisor")).json()
    approved = client.post(f"/api/v1/approvals/{waiting['items'][0]['id']}/approve",
                           headers=as_user("customs.supervisor"), json={"reason": "checked"})
    assert approved.status_code == 200, approved.text
    _in_russian(client)
    ran = client.post("/targeting/run", data={"csrf_token": csrf, "random_percent": "0"},
                      follow_redirects=False)
    assert ran.status_code == 303
    queue = client.get("/targeting?channel=yellow")
    link = re.search(r'href="(/targeting/declarations/\d+)"', queue.text)
    assert link is not None
    page = client.get(link.group(1))
    assert page.status_code == 200
    english = rules.parse_profile({"id": "ALWAYS", "name": "Всегда", "when": ALWAYS,
                                   "action": {"channel": "yellow",
                                              "instructions": "Проверить"}}).describe()
    russian = _shown(page.text, english)
    assert not _english_left(russian), russian


def test_the_screening_form_gives_its_refusal_in_russian(client: Any, demo: Database) -> None:
    csrf = sign_in_form(client, "border.officer")
    _in_russian(client)
    page = client.post("/screening", data={"csrf_token": csrf, "name": "ALI VALIEV",
                                           "lists": "NO-SUCH-LIST"})
    assert page.status_code == 422, page.text
    _shown(page.text, messages.UNKNOWN_WATCHLISTS.format(names="NO-SUCH-LIST"))
