"""Demo travel data: flights into Manas (FRU) and Osh (OSS) from Istanbul, Moscow, Dubai and
Urumqi, a bus through the Dostuk road crossing, stolen and lost documents in the registry, and
a cash one-way late-booking rule approved by a second supervisor.

Each voyage is loaded exactly as an airline or bus operator would send it (PAXLST, PNRGOV or
CSV) through the passenger service, so the pre-arrival lists are real screening results. All
persons are fictional; the wanted traveller is taken from the demo wanted list.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from chegara.db.base import Distribution, utcnow
from chegara.documents import service as registry
from chegara.passengers import service as voyages
from chegara.passengers.manifest import Leg, Manifest, TravelDocument, Traveller
from chegara.passengers.paxlst_compose import compose_paxlst, escape
from chegara.screening import service as screening
from chegara.screening.importers import ListedPerson
from chegara.screening.models import Watchlist, WatchlistEntry
from chegara.screening.names import mrz_name
from chegara.security import approvals, audit
from chegara.security import service as security
from chegara.security.policy import Principal
from chegara.settings import Settings

LATIN_SURNAMES = ("ABDYLDAEV", "TOKTOSUNOV", "ISMAILOVA", "KADYROV", "SULTANOVA", "OMUROV",
                  "MAMATOV", "ASANOVA", "YILMAZ", "KAYA", "DEMIR", "PETROV", "SMIRNOVA",
                  "WANG", "LI", "ZHANG", "AL MANSOORI", "RAHMAN", "NURMATOV", "YUSUPOVA")
LATIN_GIVEN = ("AZAMAT", "AIGUL", "BAKYT", "NURLAN", "ELMIRA", "TIMUR", "DINARA", "MEHMET",
               "AYSE", "IVAN", "OLGA", "WEI", "FANG", "AHMED", "SARDOR", "MALIKA")
NATIONAL_REGISTRY = (
    "document_number,document_type,issuing_state,status,reported_on,source\n"
    "AC 4417 902,P,KGZ,stolen,2026-09-14,national\n"
    "ID1129384,ID,KGZ,lost,2026-10-02,national\n"
    "AN-2233119,P,KGZ,invalidated,2026-08-20,national\n"
    "AC5550123,P,KGZ,revoked,2026-07-03,national\n")
SLTD_EXTRACT = (
    "document_number,document_type,issuing_state,status,reported_on,source\n"
    "FA0456712,P,UZB,lost,2026-06-11,sltd\n"
    "U19283746,P,TUR,stolen,2026-05-30,sltd\n"
    "751234567,P,RUS,stolen,2026-10-19,sltd\n")
RULE_CONDITION = {"match": "all", "conditions": [
    {"attribute": "one_way", "operator": "equals", "value": True},
    {"attribute": "payment_forms", "operator": "in", "value": ["CA"]},
    {"attribute": "booking_lead_hours", "operator": "less", "value": 48}]}
DRAFT_CONDITION = {"match": "all", "conditions": [
    {"attribute": "age", "operator": "between", "value": [18, 25]},
    {"attribute": "sex", "operator": "equals", "value": "F"},
    {"attribute": "co_travellers", "operator": "equals", "value": 0},
    {"attribute": "one_way", "operator": "equals", "value": True}]}


# --- a PNRGOV writer for the demo -------------------------------------------------------------

@dataclass
class DemoBooking:
    locator: str
    created: dt.datetime
    payment: str
    travellers: list[Traveller]
    agency: str | None = None
    bags: int = 1
    return_leg: Leg | None = None
    amount: str = "420.00"


def _ddmmyy(day: dt.date) -> str:
    return day.strftime("%d%m%y")


def _docs_date(day: dt.date | None) -> str:
    return day.strftime("%d%b%y").upper() if day else ""


def _tvl(leg: Leg) -> str:
    assert leg.departure and leg.arrival
    return (f"TVL+{_ddmmyy(leg.departure)}:{leg.departure:%H%M}:{_ddmmyy(leg.arrival)}:"
            f"{leg.arrival:%H%M}+{leg.origin}+{leg.destination}+{leg.carrier}+"
            f"{leg.number.removeprefix(leg.carrier)}")


def compose_pnrgov(flight: Leg, bookings: Sequence[DemoBooking], sender: str = "TK") -> str:
    """A PNRGOV push for one flight, in the layout ``passengers.pnrgov`` reads: one SRC group
    per booking with its record locator, agency, names, DOCS, form of payment, bags and
    itinerary."""
    body = ["MSG+:22", f"ORG+{flight.carrier}:{flight.origin}", _tvl(flight),
            f"EQN+{len(bookings)}"]
    for booking in bookings:
        body += ["SRC", f"RCI+{flight.carrier}:{booking.locator}:{_ddmmyy(booking.created)}:"
                        f"{booking.created:%H%M}"]
        if booking.agency:
            body.append(f"ORG+{flight.carrier}:{flight.origin}+{escape(booking.agency)}")
        for traveller in booking.travellers:
            given = escape(traveller.given_names)
            body.append(f"TIF+{escape(traveller.surname)}+{given}:A:1")
            for document in traveller.documents:
                body.append(
                    f"SSR+DOCS:HK:1:{flight.carrier}:::::/{document.document_type}/"
                    f"{document.issuing_state}/{document.number}/{traveller.nationality}/"
                    f"{_docs_date(traveller.birth_date)}/{traveller.sex}/"
                    f"{_docs_date(document.expiry_date)}/{escape(traveller.surname)}/{given}")
        body.append(f"FOP+{booking.payment}::{booking.amount}")
        body.append(f"EBD++{booking.bags}")
        body.append(_tvl(flight))
        if booking.return_leg is not None:
            body.append(_tvl(booking.return_leg))
    stamp = f"{flight.departure or utcnow():%y%m%d}:0600"
    head = [f"UNB+IATA:1+{sender}++{stamp}+1", "UNH+1+PNRGOV:13:1:IA+1"]
    tail = [f"UNT+{len(body) + 2}+1", "UNZ+1+1"]
    return "UNA:+.? '" + "'\n".join(head + body + tail) + "'\n"


# --- travellers ---------------------------------------------------------------------------------

@dataclass
class Crowd:
    """Generates ordinary travellers for a voyage (fixed seed)."""

    rng: random.Random
    today: dt.date
    counter: list[int] = field(default_factory=lambda: [0])

    def traveller(self, nationality: str, embark: str, debark: str) -> Traveller:
        self.counter[0] += 1
        sex = self.rng.choice("MF")
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=self.rng.randint(0, 16000))
        prefix = {"KGZ": "AC", "TUR": "U", "RUS": "75", "CHN": "E", "UZB": "FA",
                  "ARE": "P"}.get(nationality, "X")
        number = f"{prefix}{self.rng.randint(1000000, 9999999)}"
        return Traveller(
            surname=self.rng.choice(LATIN_SURNAMES), given_names=self.rng.choice(LATIN_GIVEN),
            birth_date=birth, sex=sex, nationality=nationality, embarkation=embark,
            debarkation=debark, documents=[TravelDocument(
                "P", number, nationality, self.today + dt.timedelta(days=self.rng.randint(
                    200, 3000)))])


def _flight(carrier: str, number: str, origin: str, destination: str, arrival: dt.datetime,
            hours: float) -> Leg:
    naive = arrival.replace(tzinfo=None, second=0, microsecond=0)
    return Leg(carrier=carrier, number=number, origin=origin, destination=destination,
               departure=naive - dt.timedelta(hours=hours), arrival=naive)


def _as(session: Session, username: str) -> Principal:
    principal = security.principal_for(session, security.find_user(session, username))
    audit.set_actor(session, security.actor_of(principal))
    return principal


def _wanted_traveller(session: Session, settings: Settings) -> Traveller:
    """A person on the demo wanted list, as an airline would spell them (MRZ romanisation);
    the list is created here when the screening demo has not made one."""
    entry = session.scalar(select(WatchlistEntry).join(
        Watchlist, Watchlist.id == WatchlistEntry.watchlist_id).where(
        Watchlist.kind == "wanted", Watchlist.active_version > 0,
        WatchlistEntry.valid_to.is_(None)).order_by(WatchlistEntry.id).limit(1))
    if entry is None:
        analyst = _as(session, "mvd.analyst")
        wanted = screening.create_watchlist(
            session, owner_agency_id=analyst.agency_id, name="kg-mvd-travel",
            title="Розыск МВД (демо)", kind="wanted", maintained_here=False,
            distribution=Distribution.NATIONAL)
        screening.import_version(session, watchlist=wanted, people=[ListedPerson(
            "T-1", "Садыков Эркин Бакытович", birth_dates=("1984-02-17",),
            nationalities=("KG",), gender="M")], source_name="rozysk.csv",
            source_format="csv", source_sha256="demo", requester=None)
        return _wanted_traveller(session, settings)
    words = mrz_name(entry.name, 30).replace("<", " ").split()
    births = entry.data.get("birth_dates") or []
    birth = dt.date.fromisoformat(births[0]) if births and len(births[0]) == 10 else None
    return Traveller(surname=words[0], given_names=" ".join(words[1:2]), birth_date=birth,
                     sex=entry.data.get("gender") or "M", nationality="KGZ",
                     embarkation="SVO", debarkation="OSS",
                     documents=[TravelDocument("P", "AC7001234", "KGZ",
                                               dt.date.today() + dt.timedelta(days=900))])


def _bus_csv(crowd: Crowd, arrival: dt.datetime) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["voyage", "carrier", "transport_mode", "origin", "destination",
                     "departure", "arrival", "surname", "given_names", "birth_date",
                     "nationality", "sex", "document_type", "document_number",
                     "document_issuing_state", "document_expiry", "role", "seat"])
    voyage = ["AND-OSH 07", "Andijan Avtotrans", "bus", "Andijan", "Osh (Dostuk)",
              (arrival - dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
              arrival.strftime("%Y-%m-%dT%H:%M")]
    people = [crowd.traveller(crowd.rng.choice(("UZB", "UZB", "KGZ")), "AND", "OSS")
              for _ in range(13)]
    people.insert(5, Traveller("NURMATOV", "SARDOR", dt.date(1991, 3, 8), "M", "UZB",
                               documents=[TravelDocument("P", "FA0456712", "UZB",
                                                         dt.date(2030, 5, 1))]))
    for seat, person in enumerate(people, start=1):
        doc = person.documents[0]
        writer.writerow([
            *voyage, person.surname, person.given_names, person.birth_date, person.nationality,
            person.sex, doc.document_type, doc.number, doc.issuing_state, doc.expiry_date,
            "driver" if seat == 1 else "passenger", str(seat)])
    return out.getvalue().encode("utf-8")


def load_travel_demo(session: Session, settings: Settings) -> None:
    """Registry, one approved rule and one draft, then five voyages loaded and screened."""
    rng = random.Random(20261123)  # demo data, not security
    now = utcnow()
    crowd = Crowd(rng, now.date())
    mvd = _as(session, "mvd.analyst")
    for name, text in (("mvd-stolen.csv", NATIONAL_REGISTRY), ("sltd-extract.csv",
                                                               SLTD_EXTRACT)):
        registry.import_registry(session, rows=registry.parse_registry_csv(text),
                                 owner_agency_id=mvd.agency_id, source_name=name,
                                 source_sha256="demo", requester=mvd,
                                 distribution=Distribution.NATIONAL)
    analyst = _as(session, "border.analyst")
    rule = voyages.create_rule(
        session, analyst, name="One-way, cash, booked less than 48 h before departure",
        description="Courier profile from the 2025 national risk analysis.", severity=3,
        condition=RULE_CONDITION)
    approval = voyages.request_activation(session, analyst, rule.id)
    approvals.decide(session, _as(session, "border.supervisor"), approval.id, approve=True,
                     reason="agreed at the weekly targeting meeting")
    voyages.create_rule(session, _as(session, "border.analyst"),
                        name="Young woman travelling alone on a one-way ticket",
                        description="Trafficking indicator (alert of the Migration Service); "
                                    "draft, not yet proposed.",
                        severity=2, condition=DRAFT_CONDITION)
    officer = _as(session, "border.officer")
    cache = screening.IndexCache(settings.home / "index")

    def load(data: bytes, name: str) -> None:
        voyages.load_voyage(session, cache, officer, data, source_name=name,
                            distribution=Distribution.NATIONAL, today=now.date())

    # Istanbul - Manas, PNR push: arrives in 40 minutes, with a stolen passport and a courier.
    tk = _flight("TK", "TK346", "IST", "FRU", now + dt.timedelta(minutes=40), 5)
    assert tk.departure is not None
    bookings = [DemoBooking(f"TK{i:04d}", tk.departure - dt.timedelta(days=rng.randint(5, 60)),
                            rng.choice(("CC", "CC", "CA")),
                            [crowd.traveller(rng.choice(("KGZ", "TUR")), "IST", "FRU")],
                            agency=rng.choice((None, "IST AIR TOURS")), bags=rng.randint(0, 2),
                            return_leg=_flight("TK", "TK347", "FRU", "IST",
                                               now + dt.timedelta(days=10), 5))
                for i in range(10)]
    stolen = crowd.traveller("KGZ", "IST", "FRU")
    stolen.documents = [TravelDocument("P", "AC4417902", "KGZ", dt.date(2031, 2, 1))]
    bookings.insert(3, DemoBooking("TKX3Q9", tk.departure - dt.timedelta(days=21), "CC",
                                   [stolen], return_leg=_flight(
                                       "TK", "TK347", "FRU", "IST",
                                       now + dt.timedelta(days=14), 5)))
    courier = Traveller("KARIMOV", "ULUGBEK", dt.date(1996, 7, 2), "M", "UZB",
                        documents=[TravelDocument("P", "FA8810022", "UZB", dt.date(2029, 1, 9))])
    bookings.insert(7, DemoBooking("TKZ7M2", tk.departure - dt.timedelta(hours=19), "CA",
                                   [courier], agency="BAZAAR TRAVEL OSH", bags=0,
                                   amount="690.00"))
    load(compose_pnrgov(tk, bookings).encode(), "TK346-pnrgov.edi")

    # Moscow - Osh, API: a person on the national wanted list.
    su = _flight("SU", "SU1882", "SVO", "OSS", now + dt.timedelta(hours=3), 4.5)
    people = [crowd.traveller(rng.choice(("KGZ", "KGZ", "RUS")), "SVO", "OSS")
              for _ in range(14)]
    people.insert(9, _wanted_traveller(session, settings))
    officer = _as(session, "border.officer")
    load(compose_paxlst(Manifest("PAXLST", legs=[su], travellers=people,
                                 list_type="passengers"), reference="SU1882").encode(),
         "SU1882-paxlst.edi")

    # Dubai - Manas: a passport that expires before arrival.
    fz = _flight("FZ", "FZ1421", "DXB", "FRU", now + dt.timedelta(hours=6), 4)
    people = [crowd.traveller(rng.choice(("KGZ", "ARE", "KGZ")), "DXB", "FRU")
              for _ in range(11)]
    people[4].documents[0].expiry_date = now.date() - dt.timedelta(days=12)
    load(compose_paxlst(Manifest("PAXLST", legs=[fz], travellers=people,
                                 list_type="passengers"), reference="FZ1421").encode(),
         "FZ1421-paxlst.edi")

    # Urumqi - Manas: an ordinary flight.
    cz = _flight("CZ", "CZ6009", "URC", "FRU", now + dt.timedelta(hours=9), 2)
    people = [crowd.traveller(rng.choice(("CHN", "KGZ")), "URC", "FRU") for _ in range(9)]
    load(compose_paxlst(Manifest("PAXLST", legs=[cz], travellers=people,
                                 list_type="passengers"), reference="CZ6009").encode(),
         "CZ6009-paxlst.edi")

    # Andijan - Osh bus through Dostuk: a passport lost abroad (INTERPOL SLTD extract).
    load(_bus_csv(crowd, now.replace(tzinfo=None) + dt.timedelta(minutes=90)),
         "dostuk-bus-AND-OSH-07.csv")
    audit.set_actor(session, audit.Actor.system("cli:demo"))
