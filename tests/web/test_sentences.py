"""The services' reasons, explanations and summaries appear in Russian on Russian pages.

They are stored in English (the API and CLI keep English); the web layer matches them against
the templates of ``chegara.messages`` and fills the Russian ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import string
from typing import Any

import pytest
from markupsafe import escape
from sqlalchemy import select

from chegara import messages
from chegara.db.session import Database
from chegara.demo.targeting import generate_trade
from chegara.documents.mrz import check_mrz
from chegara.documents.service import STATUSES as REGISTRY_STATUSES
from chegara.messages import MESSAGES, WORDS, Message
from chegara.passengers import rules
from chegara.passengers.manifest import Leg, Manifest, TravelDocument, Traveller
from chegara.passengers.models import TravellerHit, Voyage
from chegara.passengers.paxlst_compose import compose_paxlst
from chegara.screening.matcher import BIRTH_DATE_WEIGHT
from chegara.security.models import Approval
from chegara.targeting import sps
from chegara.web.i18n import catalogue
from chegara.web.sentences import NUMERIC_TYPES, translate
from web_helpers import sign_in_form, upload_bus_voyage

RU = catalogue("ru")


def _separator(message: Message, name: str) -> str:
    """The loosest separator of a list placeholder."""
    separators = message.lists[name]
    return separators if isinstance(separators, str) else separators[0]


def _sample(message: Message) -> dict[str, Any]:
    """A value for every placeholder: a known word, a number, or text to be kept as is."""
    values: dict[str, Any] = {}
    for _literal, name, spec, _conversion in string.Formatter().parse(message.text):
        if name is None:
            continue
        if name in message.words:
            values[name] = message.words[name][-1]
        elif spec and spec[-1] in NUMERIC_TYPES:
            values[name] = 7 if spec[-1] == "d" else 0.375
        elif name in message.lists:
            values[name] = _separator(message, name).join(
                (messages.DOCUMENTARY_ALWAYS.text, messages.ANY_ORIGIN))
        elif name in message.nested:
            values[name] = messages.FREQUENCIES.format(identity=30, physical=15, laboratory=3)
        else:
            values[name] = f"Keep-{name}-9"
    return values


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: m.text[:60])
def test_every_registered_sentence_reads_in_russian(message: Message) -> None:
    assert RU.get(message.text, "").strip(), f"no Russian for {message.text!r}"
    values = _sample(message)
    english = message.format(**values)
    russian = translate("ru", english)
    assert russian != english
    assert "{" not in russian and "}" not in russian, russian
    for value in values.values():
        if isinstance(value, str) and value.startswith("Keep-"):
            assert value in russian  # names and an officer's own words are kept
    for name in message.nested:
        assert translate("ru", str(values[name])) in russian  # nested sentences translated
    for name in message.lists:
        for part in str(values[name]).split(_separator(message, name)):
            assert translate("ru", part) in russian
    assert translate("en", english) == english


def test_every_word_that_fills_a_sentence_has_a_russian_translation() -> None:
    words = WORDS | set(BIRTH_DATE_WEIGHT)
    missing = sorted(w for w in words if not RU.get(w, "").strip())
    assert not missing


@pytest.mark.parametrize("outcome", sorted(BIRTH_DATE_WEIGHT))
def test_each_birth_date_outcome_is_translated_inside_its_factor(outcome: str) -> None:
    russian = translate("ru", messages.BIRTH_DATE.format(outcome=outcome))
    assert RU[outcome] in russian and outcome not in russian


def test_the_more_specific_sentence_wins_and_unknown_text_is_left_alone() -> None:
    # "HS {ranges}" would also match; the code-field sentence is the more specific.
    coded = messages.CODED_VALUE.format(words="HS chapter", shown=messages.RARE_VALUE)
    assert translate("ru", coded) == f"{RU['HS chapter']}: {RU[messages.RARE_VALUE]}"
    assert translate("ru", "identity confirmed by fingerprints") == \
        "identity confirmed by fingerprints"
    assert translate("ru", "") == ""


def test_a_consignment_plan_is_explained_entirely_in_russian() -> None:
    category = sps.SpsCategory(code="FRUIT", name="Fruit", identity_percent=30.0,
                               physical_percent=15.0, laboratory_percent=3.0,
                               commodity_category="plant products", hs_prefixes=("08",))
    day = dt.date(2026, 10, 1)
    consignment = sps.Consignment(consignment_id="C1", day=day, hs_code="080510",
                                  origin_country="EG", establishment="E1",
                                  commodity_category="plant products",
                                  species_or_product="oranges")
    # Non-compliant oranges from Egypt, one from the same establishment: raised, reinforced.
    past = [sps.PastOutcome(day - dt.timedelta(days=d), "EG", "plant products", f"E{d % 3}",
                            False) for d in range(3, 30, 3)]
    planned = sps.plan_checks([category], [consignment], past)[0]
    reasons = [*planned.reasons, *sps.plan_checks([], [consignment], [])[0].reasons]
    assert len(planned.adjustments) >= 1 and len(reasons) >= 5
    for reason in reasons:
        russian = translate("ru", reason)
        assert russian != reason
        assert not re.search(r"\b(check|draw|identity|category|every|establishment)\b",
                             russian), russian


def _in_russian(client: Any) -> None:
    assert client.get("/lang/ru", follow_redirects=False).status_code == 303


def test_a_declaration_page_gives_its_reasons_in_russian(client: Any, as_user: Any) -> None:
    trade = generate_trade(dt.date(2026, 10, 1), days=1, scale=0.05)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=sorted({k for r in trade.declarations for k in r}))
    writer.writeheader()
    writer.writerows(trade.declarations)
    uploaded = client.post("/api/v1/targeting/declarations",
                           headers=as_user("customs.analyst"),
                           files={"file": ("decl.csv", out.getvalue().encode(), "text/csv")},
                           data={"distribution": "national"})
    assert uploaded.status_code == 201, uploaded.text
    csrf = sign_in_form(client, "customs.analyst")
    _in_russian(client)
    ran = client.post("/targeting/run", data={"csrf_token": csrf, "random_percent": "100"},
                      follow_redirects=False)
    assert ran.status_code == 303
    english = messages.RANDOM_SAMPLE.format(percent=100.0)
    queue = client.get("/targeting")
    assert translate("ru", english) in queue.text and english not in queue.text
    link = re.search(r'href="(/targeting/declarations/\d+)"', queue.text)
    assert link is not None
    page = client.get(link.group(1))
    assert page.status_code == 200
    assert f"<li>{translate('ru', english)}</li>" in page.text and english not in page.text


def test_a_screening_hit_page_explains_the_match_in_russian(client: Any, demo: Any,
                                                            as_user: Any) -> None:
    created = client.post("/api/v1/watchlists", headers=as_user("border.analyst"), json={
        "name": "wanted", "title": "National wanted list", "kind": "wanted"})
    assert created.status_code == 201
    csrf = sign_in_form(client, "border.analyst")
    listed = ("id,name,aliases,birth_date,nationality,gender,document_number\n"
              "w1,Юсупов Рустам Алишерович,,1980-05-12,UZ,M,\n")
    uploaded = client.post("/watchlists/wanted/versions",
                           data={"csrf_token": csrf, "format": "csv"},
                           files={"file": ("wanted.csv", listed.encode(), "text/csv")},
                           follow_redirects=False)
    assert uploaded.status_code == 303
    csrf = sign_in_form(client, "border.officer")
    screened = client.post("/screening", data={"csrf_token": csrf, "name": "JUSUPOV RUSTAM",
                                               "birth_date": "1980-05-12", "lists": "wanted"})
    hit = re.search(r"/screening/hits/(\d+)", screened.text)
    assert hit is not None
    sign_in_form(client, "border.analyst")
    _in_russian(client)
    page = client.get(f"/screening/hits/{hit.group(1)}")
    assert page.status_code == 200
    exact = messages.BIRTH_DATE.format(outcome="exact")
    assert translate("ru", exact) in page.text and exact not in page.text
    assert RU[messages.NAME_PRIOR.text] in page.text


def test_the_approvals_inbox_gives_the_summary_in_russian(client: Any, demo: Database) -> None:
    sign_in_form(client, "border.supervisor")
    _in_russian(client)
    page = client.get("/approvals")
    assert page.status_code == 200
    waiting = re.search(r'action="/approvals/(\d+)/approve"', page.text)
    assert waiting is not None
    with demo.reader() as session:
        summary = session.scalar(select(Approval.summary).where(
            Approval.id == int(waiting.group(1))))
    assert summary is not None and summary.startswith("Share risk alert")
    russian = translate("ru", summary)
    assert russian != summary
    assert str(escape(russian)) in page.text and str(escape(summary)) not in page.text
    client.get("/lang/en")
    assert str(escape(summary)) in client.get("/approvals").text


def _flight_list_with_quirks() -> str:
    """A PAXLST that reads with two warnings: a CNT total that disagrees with the list, and
    text after UNZ."""
    arrival = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0) + dt.timedelta(hours=2)
    leg = Leg(carrier="KC", number="KC109", origin="ALA", destination="FRU",
              departure=arrival - dt.timedelta(hours=1), arrival=arrival)
    traveller = Traveller(surname="ABDULLAEVA", given_names="AIGUL", birth_date=dt.date(1990, 1, 2),
                          sex="F", nationality="KAZ",
                          documents=[TravelDocument("P", "N0000001", "KAZ", dt.date(2030, 1, 1))])
    composed = compose_paxlst(Manifest(message_type="PAXLST", legs=[leg], travellers=[traveller],
                                       list_type="passengers"))
    assert "CNT+42:1'" in composed
    return composed.replace("CNT+42:1'", "CNT+42:3'") + "\ntrailing words"


def test_a_voyage_page_gives_the_reading_warnings_in_russian(client: Any, demo: Database) -> None:
    csrf = sign_in_form(client, "border.officer")
    _in_russian(client)
    uploaded = client.post("/voyages", data={"csrf_token": csrf},
                           files={"file": ("kc109.edi", _flight_list_with_quirks().encode(),
                                           "text/plain")}, follow_redirects=False)
    assert uploaded.status_code == 303, uploaded.text
    location = uploaded.headers["location"]
    with demo.reader() as session:
        stored = session.scalar(select(Voyage.warnings).where(
            Voyage.id == int(location.rsplit("/", 1)[1])))
    assert stored is not None
    assert any(w.startswith("segment CNT") and "CNT declares 3" in w for w in stored)
    assert any(w.startswith("text after UNZ") for w in stored)
    page = client.get(location)
    assert page.status_code == 200
    for warning in stored:
        russian = translate("ru", warning)
        assert not re.search(r"\b(segment|line|declares|travellers|holds|ignored)\b", russian), \
            russian
        assert str(escape(russian)) in page.text and str(escape(warning)) not in page.text
    client.get("/lang/en")
    english = client.get(location).text
    assert all(str(escape(warning)) in english for warning in stored)


# The ICAO Doc 9303 specimen passport, its birth-date check digit misread as Z.
MISREAD_SPECIMEN = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                    "L898902C36UTO740812ZF1204159ZE184226B<<<<<10")


def test_a_document_check_page_gives_the_mrz_findings_in_russian(client: Any,
                                                                 demo: Database) -> None:
    expected = check_mrz(MISREAD_SPECIMEN)
    issues = [*expected.errors, *expected.warnings]
    suggestions = [s for issue in issues for s in issue.suggestions]
    assert {i.code for i in issues} >= {"birth_date_cd", "composite_cd", "specimen_state",
                                        "expired"} and suggestions
    csrf = sign_in_form(client, "border.officer")
    _in_russian(client)
    page = client.post("/documents", data={"csrf_token": csrf, "mrz": MISREAD_SPECIMEN,
                                           "surname": "Petrov"})
    assert page.status_code == 200
    printed = re.findall(r"<li><strong>[^<]*</strong>: ([^<]*)", page.text)
    assert len(printed) == len(issues) + 1  # and the printed surname that does not match
    for english in [i.message for i in issues] + suggestions:
        russian = translate("ru", english)
        assert russian != english
        assert str(escape(russian)) in page.text and str(escape(english)) not in page.text
    assert not re.search(r"\b(check digit|computed|specimen|expired|printed|read)\b",
                         " ".join(printed)), printed
    assert RU["birth_date"] in page.text and RU["composite"] in page.text
    client.get("/lang/en")
    again = client.post("/documents", data={"csrf_token": csrf, "mrz": MISREAD_SPECIMEN})
    assert all(str(escape(i.message)) in again.text for i in issues)


REGISTRY = ("document_number,document_type,issuing_state,status,reported_on,source\n"
            "AC4417902,P,KGZ,stolen,,national\n")
BUS = ("voyage,carrier,transport_mode,origin,destination,arrival,surname,given_names,"
       "birth_date,nationality,document_number,document_issuing_state,document_expiry\n"
       "AND-OSH 07,Andijan Avtotrans,bus,Andijan,Osh,{arrival},ASANOV,BAKYT,"
       "1975-01-02,KGZ,AC4417902,KGZ,2030-05-01\n"
       "AND-OSH 07,Andijan Avtotrans,bus,Andijan,Osh,{arrival},TOSHEV,ALI,"
       "1990-01-01,QQQ,FA1234567,UZB,2020-05-01\n")


def test_a_voyage_page_gives_the_hit_summaries_in_russian(client: Any, demo: Database) -> None:
    assert set(messages.REGISTRY_STATUSES) == set(REGISTRY_STATUSES)
    csrf = sign_in_form(client, "mvd.analyst")
    imported = client.post("/registry/import", data={"csrf_token": csrf,
                                                     "distribution": "national"},
                           files={"file": ("stolen.csv", REGISTRY.encode(), "text/csv")})
    assert imported.status_code == 200
    csrf = sign_in_form(client, "border.officer")
    _in_russian(client)
    location = upload_bus_voyage(client, csrf, BUS)
    with demo.reader() as session:
        hits = session.execute(select(TravellerHit.code, TravellerHit.summary).where(
            TravellerHit.voyage_id == int(location.rsplit("/", 1)[1]))).all()
    assert {code for code, _ in hits} >= {"registry_stolen", "document_expired",
                                          "unknown_nationality"}
    page = client.get(location + "?everyone=true")
    assert page.status_code == 200
    for _code, summary in hits:
        russian = translate("ru", summary)
        assert not re.search(r"\b(reported|stolen|date unknown|expired|arrival|nationality)\b",
                             russian), russian
        assert str(escape(russian)) in page.text and str(escape(summary)) not in page.text


def test_a_traveller_rule_hit_gives_every_condition_in_russian() -> None:
    assert set(messages.RULE_ATTRIBUTES) == set(rules.ATTRIBUTES)
    courier = rules.parse_rule({"match": "all", "conditions": [
        {"attribute": "age", "operator": "between", "value": [18, 30]},
        {"attribute": "nationality", "operator": "not_in", "value": ["KGZ", "UZB"]},
        {"match": "any", "conditions": [
            {"attribute": "payment_forms", "operator": "in", "value": ["CA"]},
            {"attribute": "bags", "operator": "greater", "value": 2}]}]})
    held = rules.evaluate(courier, {"age": 25, "nationality": "TUR", "payment_forms": ["CA"],
                                    "bags": 3})
    assert held.matched and len(held.reasons) == 4
    summary = messages.TRAVELLER_RULE_MATCHED.format(name="Courier between flights",
                                                     reasons="; ".join(held.reasons))
    russian = translate("ru", summary)
    assert russian.startswith(RU[messages.TRAVELLER_RULE_MATCHED.text].split("{")[0])
    assert "Courier between flights" in russian
    assert not re.search(r"\b(rule|age|between|and|not in|in|greater|is)\b",
                         russian.replace("Courier between flights", "")), russian


def test_figures_in_a_russian_sentence_are_written_the_russian_way() -> None:
    # A decimal comma and a no-break space between thousands; the English record is unchanged.
    english = "duty at stake about 29,887"
    assert translate("ru", english) == "сумма пошлины под риском около 29\u00a0887"
    assert translate("en", english) == english
    score = messages.SCORE_AMONG_HIGHEST.format(score=0.193, rank=4, n=47,
                                                where=messages.WHERE_OFFICE)
    assert "19,3%" in translate("ru", score)
    assert "19.3%" in score


def test_a_renamed_crossing_point_reads_in_russian_as_the_database_names_it(
        app: Any, demo: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """An administrator renames Torugart and gives the Russian name; a reason written since
    names the new point in English and reads in Russian with the new Russian name. A reason
    written before keeps the old name, in the shipped Russian."""
    from chegara.analysis.models import CrossingPoint
    from chegara.web import sentences
    from chegara.web.render import environment

    said = environment().from_string("{{ text|said }}")
    before = "risk score 60.0%, ranked 1 of 20 declarations at Torugart that day"
    after = "risk score 60.0%, ranked 1 of 20 declarations at Torugart-Avto that day"
    assert said.render(lang="ru", text=after).endswith("на посту Torugart-Avto за этот день")
    from chegara.analysis.service import seed_geography
    from chegara.security import audit

    with demo.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("test:rename"))
        seed_geography(session)
        point = session.scalar(select(CrossingPoint).where(CrossingPoint.name == "Torugart"))
        assert point is not None
        point.name, point.name_ru = "Torugart-Avto", "Торугарт-Авто"
    # Names are read again at most once a minute; the test does not wait for the minute.
    monkeypatch.setattr(sentences, "PLACE_NAMES_EVERY_SECONDS", 0.0)
    assert said.render(lang="ru", text=after).endswith("на посту Торугарт-Авто за этот день")
    assert said.render(lang="ru", text=before).endswith("на посту Торугарт за этот день")
    assert said.render(lang="en", text=after) == after
