"""Demo targeting data: a month of declarations at Kyrgyz customs offices, SPS consignments,
profiles, a model trained on the first three weeks' inspections, and inspection results.

Generated, not real: the goods, prices per kg and trade routes are plausible for the offices
(Chinese goods over Torugart and Irkeshtam, Kazakh and Russian over Kordai and Ak-Jol, Turkish
and Chinese at the Dordoi market terminal and Manas airport), and a hidden "fraud" flag follows
the patterns a targeting unit sees (undervaluation, a few dishonest importers, cigarettes and
phones). Only what an inspection would have found is recorded as a result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from chegara.db.base import Distribution, Tlp
from chegara.security import approvals, audit
from chegara.security import service as security
from chegara.security.models import Agency
from chegara.security.policy import Principal
from chegara.settings import Settings

if TYPE_CHECKING:
    import pandas as pd

# office, declarations a day, origins with weights
OFFICES: tuple[tuple[str, int, tuple[tuple[str, float], ...]], ...] = (
    ("DORDOI", 36, (("CN", 0.6), ("TR", 0.25), ("UZ", 0.15))),
    ("TORUGART", 16, (("CN", 1.0),)),
    ("IRKESHTAM", 18, (("CN", 1.0),)),
    ("KORDAI", 20, (("KZ", 0.55), ("RU", 0.45))),
    ("AK-JOL", 12, (("KZ", 0.6), ("RU", 0.4))),
    ("MANAS-AIRPORT", 12, (("TR", 0.5), ("CN", 0.3), ("RU", 0.2))),
)

# HS code, goods, reference price per kg (USD), typical net mass (kg), SPS category
GOODS: tuple[tuple[str, str, float, float, str], ...] = (
    ("6204620000", "women's cotton trousers", 12.0, 800.0, ""),
    ("6109100000", "cotton T-shirts", 10.0, 600.0, ""),
    ("6403990000", "leather footwear", 15.0, 500.0, ""),
    ("8517130000", "smartphones", 420.0, 40.0, ""),
    ("8528720000", "LED television sets", 25.0, 900.0, ""),
    ("8471300000", "laptop computers", 300.0, 60.0, ""),
    ("8703230000", "passenger cars 1500-3000 cc", 8.0, 1500.0, ""),
    ("2402200000", "cigarettes", 40.0, 300.0, ""),
    ("3004900000", "medicines, packaged", 60.0, 120.0, ""),
    ("3304990000", "cosmetics", 20.0, 200.0, ""),
    ("6908900000", "ceramic tiles", 0.6, 18000.0, ""),
    ("0805100000", "fresh oranges", 0.8, 15000.0, "plant products"),
    ("0201300000", "boneless beef, fresh", 5.0, 12000.0, "animal products"),
    ("1001990000", "wheat", 0.25, 60000.0, "plant products"),
    ("0813100000", "dried apricots", 4.0, 8000.0, "plant products"),
)
ORIGIN_GOODS = {
    "CN": (0, 1, 2, 3, 4, 5, 7, 9, 11),
    "TR": (0, 1, 2, 9, 10, 8),
    "UZ": (0, 1, 14, 11),
    "KZ": (13, 12, 6, 7, 4),
    "RU": (6, 8, 12, 13, 3),
}
TRANSPORT = {"MANAS-AIRPORT": "4", "DORDOI": "3"}  # air, road (default road)
DAYS = 30
HISTORY_DAYS = 21  # inspected before the model existed
DEMO_SEED = 2026


@dataclass(frozen=True)
class DemoTrade:
    declarations: list[dict[str, str]]
    consignments: list[dict[str, str]]
    fraud: dict[str, bool]


def _importers(rng: np.random.Generator) -> tuple[list[str], set[str]]:
    names = [f"KG{6000000 + i * 7919 % 999983:07d}" for i in range(140)]
    dishonest = set(rng.choice(names, size=9, replace=False).tolist())
    return names, dishonest


def generate_trade(first_day: dt.date, *, days: int = DAYS, scale: float = 1.0,
                   seed: int = DEMO_SEED) -> DemoTrade:
    """Declarations (canonical text fields) and SPS consignments for `days` days from
    `first_day`; `scale` shrinks the daily volumes (tests use a small one)."""
    rng = np.random.default_rng(seed)
    importers, dishonest = _importers(rng)
    declarants = [f"BR{n:03d}" for n in range(1, 16)]
    sellers = {c: [f"S-{c}-{n:03d}" for n in range(1, 21)] for c in ORIGIN_GOODS}
    declarations: list[dict[str, str]] = []
    consignments: list[dict[str, str]] = []
    fraud: dict[str, bool] = {}
    number = 0
    for day_index in range(days):
        day = first_day + dt.timedelta(days=day_index)
        for office, per_day, origins in OFFICES:
            count = max(int(rng.poisson(per_day * scale)), 1)
            for _ in range(count):
                number += 1
                row, is_fraud = _declaration(rng, number, day, office, origins, importers,
                                             dishonest, declarants, sellers)
                declarations.append(row)
                fraud[row["declaration_id"]] = is_fraud
                category = GOODS_BY_HS[row["hs_code"]][4]
                if category:
                    consignments.append(_consignment(rng, row, category))
    return DemoTrade(declarations, consignments, fraud)


GOODS_BY_HS = {g[0]: g for g in GOODS}


def _pick(rng: np.random.Generator, items: Sequence[str]) -> str:
    return items[int(rng.integers(len(items)))]


def _declaration(rng: np.random.Generator, number: int, day: dt.date, office: str,
                 origins: tuple[tuple[str, float], ...], importers: list[str],
                 dishonest: set[str], declarants: list[str], sellers: dict[str, list[str]],
                 ) -> tuple[dict[str, str], bool]:
    draw, origin = rng.random(), origins[-1][0]
    for name, weight in origins:
        if draw < weight:
            origin = name
            break
        draw -= weight
    choices = ORIGIN_GOODS[origin]
    hs, goods, price, mass, _ = GOODS[choices[int(rng.integers(len(choices)))]]
    importer = _pick(rng, importers)
    net_mass = float(np.round(mass * rng.lognormal(0.0, 0.5), 1))
    risk = 0.03 + (0.30 if importer in dishonest else 0.0)
    risk += 0.08 if hs in ("2402200000", "8517130000") else 0.0
    is_fraud = bool(rng.random() < risk)
    # Fraud here is mostly undervaluation: the declared price is a fraction of the real one.
    factor = rng.uniform(0.2, 0.5) if is_fraud and rng.random() < 0.7 else 1.0
    value = net_mass * price * float(rng.lognormal(0.0, 0.2)) * factor
    row = {
        "declaration_id": f"{day:%Y%m%d}/{office[:3]}/{number:06d}",
        "date": day.isoformat(), "office": office, "process_type": "A",
        "import_type": "11", "import_use": "21", "payment_type": "11",
        "transport_mode": TRANSPORT.get(office, "3"),
        "declarant_id": _pick(rng, declarants), "importer_id": importer,
        "seller_id": _pick(rng, sellers[origin]),
        "courier_id": "", "hs_code": hs, "departure_country": origin, "origin_country": origin,
        "tax_rate": "10" if hs[:2] not in ("01", "02", "08", "10") else "5",
        "tax_type": "A", "origin_indicator": "B", "net_mass_kg": f"{net_mass:.1f}",
        "value": f"{value:.2f}", "quantity": f"{max(net_mass // 10, 1):.0f}", "currency": "USD",
        "items": "1", "description": goods,
    }
    return row, is_fraud


def _consignment(rng: np.random.Generator, declaration: dict[str, str], category: str
                 ) -> dict[str, str]:
    origin = declaration["origin_country"]
    digest = hashlib.sha256(declaration["declaration_id"].encode()).hexdigest()
    return {
        "declaration_id": declaration["declaration_id"], "date": declaration["date"],
        "office": declaration["office"], "hs_code": declaration["hs_code"],
        "origin_country": origin, "departure_country": origin,
        "importer_id": declaration["importer_id"], "net_mass_kg": declaration["net_mass_kg"],
        "value": declaration["value"], "description": declaration["description"],
        "commodity_category": category, "species_or_product": declaration["description"],
        # Six establishments per origin, so that a month builds each one a record; the draw
        # itself is kept so the rest of the demo's random stream does not move.
        "establishment": f"{origin}-EST-{int(rng.integers(1, 25)) % 6 + 1:03d}",
        "certificate_number": f"{origin}{digest[:10].upper()}",
    }


ProfileRow = tuple[str, str, dict[str, Any], str, float, str]

CUSTOMS_PROFILES: tuple[ProfileRow, ...] = (
    ("CIG-UNDERVALUED", "Cigarettes priced far below the reference",
     {"all": [{"hs": ["2402"]}, {"price_below_reference": 0.6}]}, "red", 100.0,
     "Count the packs and check excise stamps."),
    ("PHONES-CN-UNDERVALUED", "Phones and laptops from China below half the reference",
     {"all": [{"hs": ["8517", "8471"]}, {"field": "origin_country", "in": ["CN"]},
              {"price_below_reference": 0.5}]}, "red", 100.0,
     "Compare models and invoice prices; weigh the boxes."),
    ("WATCHED-IMPORTERS", "Importers on the customs watch-list",
     {"watchlist": "watched-importers"}, "yellow", 50.0,
     "Check the invoice against the seller's price list."),
    ("MEDICINES", "Medicines: documentary check of the registration certificate",
     {"hs": ["3004"]}, "yellow", 30.0, "Check the registration certificate."),
)
SPS_PROFILES: tuple[ProfileRow, ...] = (
    ("BEEF-FMD", "Beef after the foot-and-mouth outbreak next door",
     {"all": [{"hs": ["0201-0202"]}, {"field": "origin_country", "in": ["KZ", "CN"]}]},
     "red", 100.0, "Identity and physical check; sample for the laboratory."),
    ("FRUIT-PESTS", "Fresh fruit: a share checked for quarantine pests",
     {"hs": ["0805"]}, "yellow", 20.0, "Inspect packaging for fruit flies."),
)

# code, name, commodity category, HS prefixes, origin, identity %, physical %, laboratory %.
# Plausible frequencies in the manner of Regulation (EU) 2019/2129 (by commodity) and 2019/1793
# (a commodity from a named origin); not the Regulations' own figures.
SPS_CATEGORIES: tuple[tuple[str, str, str, tuple[str, ...], str, float, float, float], ...] = (
    ("LIVE-ANIMALS", "Live animals", "live animals", ("01",), "", 100.0, 100.0, 20.0),
    ("MEAT", "Fresh, chilled and frozen meat", "animal products", ("02",), "", 50.0, 30.0, 10.0),
    ("DAIRY", "Milk and dairy products", "animal products", ("04",), "", 40.0, 20.0, 5.0),
    ("FRUIT-VEG", "Fresh and dried fruit and vegetables", "plant products", ("07", "08"), "",
     30.0, 15.0, 3.0),
    ("GRAIN", "Cereal grain", "plant products", ("10",), "", 20.0, 10.0, 5.0),
    ("FRUIT-CN", "Fruit from China: pesticide residues (increased frequency)",
     "plant products", ("08",), "CN", 60.0, 50.0, 20.0),
)
SPS_WEEK = 7
# Hidden SPS non-compliance: aflatoxin in Uzbek dried apricots (often), two careless
# establishments, and a little everywhere. Found only when a check that can see it is done.
SPS_BAD_ESTABLISHMENTS = {"CN-EST-003": 0.5, "KZ-EST-002": 0.5}


def _user(session: Session, username: str) -> Principal:
    principal = security.principal_for(session, security.find_user(session, username))
    audit.set_actor(session, security.actor_of(principal))
    return principal


def _profiles(session: Session, analyst: Principal, supervisor_name: str,
              profiles: tuple[ProfileRow, ...]) -> None:
    from chegara.targeting import service

    ids = []
    for code, name, criteria, channel, percent, instructions in profiles:
        profile = service.create_profile(session, analyst, service.ProfileDraft(
            code=code, name=name, criteria=dict(criteria), channel=channel,
            selection_percent=percent, instructions=instructions,
            distribution=Distribution.NATIONAL))
        ids.append(service.request_profile_activation(session, analyst, profile.id).id)
    supervisor = _user(session, supervisor_name)
    for approval_id in ids:
        approvals.decide(session, supervisor, approval_id, approve=True,
                         reason="Reviewed with the targeting unit")
    _user(session, analyst.username)


def declarations_frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    """Generated rows (declarations or consignments) as a canonical declarations frame."""
    import pandas as pd

    from chegara.targeting.declarations import ALL_FIELDS, FieldMap, declarations_from_frame

    names = [s.name for s in ALL_FIELDS]
    text = pd.DataFrame([[r.get(n, "") for n in names] for r in rows], columns=names,
                        dtype=object)
    return declarations_from_frame(text, FieldMap({n: n for n in names}))


def _record_outcomes(session: Session, officer: Principal, trade: DemoTrade,
                     until: dt.date) -> int:
    """What inspections found, for the selected declarations lodged up to `until`."""
    from chegara.targeting import service
    from chegara.targeting.models import InspectionResult, StoredDeclaration, TargetingDecision

    rows = session.execute(
        select(TargetingDecision.id, StoredDeclaration.declaration_id,
               StoredDeclaration.date, TargetingDecision.channel, StoredDeclaration.value)
        .join(StoredDeclaration, StoredDeclaration.id == TargetingDecision.declaration_pk)
        .outerjoin(InspectionResult, InspectionResult.decision_id == TargetingDecision.id)
        .where(StoredDeclaration.owner_agency_id == officer.agency_id,
               InspectionResult.id.is_(None),
               TargetingDecision.channel.in_(("red", "yellow")),
               StoredDeclaration.date <= until)).tuples().all()
    recorded = 0
    for decision_id, ref, day, channel, value in rows:
        hidden = trade.fraud.get(ref, False)
        seen = _stable(ref) < (0.95 if channel == "red" else 0.7)
        found = hidden and seen
        service.record_result(
            session, officer, decision_id, found=found,
            offence_type=("undervaluation" if found else ""),
            revenue_recovered=round(float(value or 0) * 0.8, 2) if found else 0.0,
            inspected_on=day + dt.timedelta(days=1))
        recorded += 1
    return recorded


def _stable(text: str) -> float:
    return int(hashlib.sha256(f"seen|{text}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


def load_targeting_demo(session: Session, settings: Settings, *, scale: float = 1.0,
                        today: dt.date | None = None) -> None:
    """A month of trade at six offices, ending yesterday."""
    from chegara.targeting import service
    from chegara.targeting.models import RiskModelVersion

    customs_id = session.scalar(select(Agency.id).where(Agency.code == "KG-CUSTOMS"))
    if customs_id is None:
        return
    today = today or dt.date.today()
    first = today - dt.timedelta(days=DAYS)
    trade = generate_trade(first, scale=scale)
    analyst = _user(session, "customs.analyst")
    service.save_watchlist(session, analyst, name="watched-importers", field="importer_id",
                           ids=sorted(_importers(np.random.default_rng(DEMO_SEED))[1])[:5],
                           note="Importers with undervaluation findings last year")
    service.save_watchlist(session, analyst, name=service.AEO_LIST, field="importer_id",
                           ids=["KG6000000", "KG6007919"], note="Authorised economic operators")
    for office, per_day, _ in OFFICES:
        physical = max(int(per_day * scale * 0.08), 1)
        service.set_capacity(session, analyst, office=office, physical_per_day=physical,
                             documentary_per_day=physical,
                             inspectors=[f"{office.lower()}.inspector{n}" for n in (1, 2, 3)])
    _profiles(session, analyst, "customs.supervisor", CUSTOMS_PROFILES)
    service.import_declarations(
        session, frame=declarations_frame(trade.declarations),
        owner_agency_id=analyst.agency_id,
        kind="declaration", source_name="demo-declarations.csv", source_sha256="demo",
        created_by=analyst.username, requester=analyst, distribution=Distribution.NATIONAL,
        tlp=Tlp.AMBER)
    history_end = first + dt.timedelta(days=HISTORY_DAYS - 1)
    # Before there was a model: profiles and a generous random sample.
    service.run_selection(session, analyst, owner_agency_id=analyst.agency_id,
                          day_to=history_end, rates=service.SelectionRates(random_percent=10.0))
    officer = _user(session, "customs.officer")
    _record_outcomes(session, officer, trade, history_end)
    analyst = _user(session, "customs.analyst")
    model = service.train_from_results(session, analyst, owner_agency_id=analyst.agency_id,
                                       home=settings.home, created_by=analyst.username)
    approval = service.request_model_activation(session, analyst, model.id)
    supervisor = _user(session, "customs.supervisor")
    approvals.decide(session, supervisor, approval.id, approve=True,
                     reason="Held-out precision checked")
    analyst = _user(session, "customs.analyst")
    service.run_selection(session, analyst, owner_agency_id=analyst.agency_id,
                          rates=service.SelectionRates(random_percent=2.0))
    officer = _user(session, "customs.officer")
    _record_outcomes(session, officer, trade, today - dt.timedelta(days=3))
    _sps(session, trade, first, today)
    _pending_override(session)
    assert session.scalar(select(RiskModelVersion.id).where(
        RiskModelVersion.status == "active")) is not None
    audit.set_actor(session, audit.Actor.system("cli:demo"))


def _sps(session: Session, trade: DemoTrade, first: dt.date, today: dt.date) -> None:
    """SPS categories approved by the supervisor; consignments decided week by week, each week
    seeing the results of the weeks before, so origin and establishment history show."""
    from chegara.targeting import service, sps_service

    analyst = _user(session, "sps.analyst")
    _profiles(session, analyst, "sps.supervisor", SPS_PROFILES)
    ids = []
    for code, name, commodity, prefixes, origin, identity, physical, lab in SPS_CATEGORIES:
        category = sps_service.create_category(session, analyst, sps_service.CategoryDraft(
            code=code, name=name, commodity_category=commodity, hs_prefixes=prefixes,
            origin_country=origin, identity_percent=identity, physical_percent=physical,
            laboratory_percent=lab, distribution=Distribution.NATIONAL))
        ids.append(sps_service.request_activation(session, analyst, category.id).id)
    supervisor = _user(session, "sps.supervisor")
    for approval_id in ids:
        approvals.decide(session, supervisor, approval_id, approve=True,
                         reason="Frequencies agreed with the veterinary and plant services")
    analyst = _user(session, "sps.analyst")
    service.import_declarations(
        session, frame=declarations_frame(trade.consignments),
        owner_agency_id=analyst.agency_id,
        kind="consignment", source_name="demo-consignments.csv", source_sha256="demo",
        created_by=analyst.username, requester=analyst, distribution=Distribution.AGENCY,
        tlp=Tlp.AMBER)
    week_start = first
    while week_start < today:
        week_end = min(week_start + dt.timedelta(days=SPS_WEEK - 1), today)
        analyst = _user(session, "sps.analyst")
        service.run_selection(session, analyst, owner_agency_id=analyst.agency_id,
                              day_from=week_start, day_to=week_end)
        inspector = _user(session, "sps.inspector")
        _record_sps_outcomes(session, inspector, week_start,
                             min(week_end, today - dt.timedelta(days=3)))
        week_start = week_end + dt.timedelta(days=1)


def _sps_hidden(fields: dict[str, str]) -> bool:
    chance = 0.02
    if fields.get("origin_country") == "UZ" and fields.get("hs_code", "").startswith("0813"):
        chance = 0.4
    chance = max(chance, SPS_BAD_ESTABLISHMENTS.get(fields.get("establishment", ""), 0.0))
    return _stable("sps|" + fields["declaration_id"]) < chance


def _record_sps_outcomes(session: Session, inspector: Principal, day_from: dt.date,
                         day_to: dt.date) -> None:
    """Every consignment had its documentary check; a problem is found only when an identity,
    physical or laboratory check was done."""
    from chegara.targeting import service
    from chegara.targeting.models import SpsCheck, StoredDeclaration, TargetingDecision

    rows = session.execute(
        select(TargetingDecision.id, StoredDeclaration.fields, StoredDeclaration.date, SpsCheck)
        .join(StoredDeclaration, StoredDeclaration.id == TargetingDecision.declaration_pk)
        .join(SpsCheck, SpsCheck.decision_id == TargetingDecision.id)
        .where(StoredDeclaration.owner_agency_id == inspector.agency_id,
               StoredDeclaration.date >= day_from, StoredDeclaration.date <= day_to)
    ).tuples().all()
    for decision_id, fields, day, check in rows:
        found = _sps_hidden(fields) and (check.identity or check.physical or check.laboratory)
        offence = ("aflatoxin above the limit" if fields.get("hs_code", "").startswith("0813")
                   else "certificate does not match the goods")
        service.record_result(session, inspector, decision_id, found=found,
                              offence_type=offence if found else "",
                              inspected_on=day + dt.timedelta(days=1))


def _pending_override(session: Session) -> None:
    """An officer asks to release one red declaration: waits in the supervisor's inbox."""
    from chegara.targeting import service
    from chegara.targeting.models import StoredDeclaration, TargetingDecision

    officer = _user(session, "customs.officer")
    decision = session.scalar(
        select(TargetingDecision).join(
            StoredDeclaration, StoredDeclaration.id == TargetingDecision.declaration_pk)
        .where(TargetingDecision.owner_agency_id == officer.agency_id,
               TargetingDecision.channel == "red")
        .order_by(StoredDeclaration.date.desc(), TargetingDecision.id.desc()).limit(1))
    if decision is not None and service.result_of(session, decision.id) is None:
        service.request_override(
            session, officer, decision.id, channel="yellow",
            reason="Same goods and importer examined yesterday with no finding")
