"""The demo country: the Kyrgyz Republic's border agencies, their users, shared risk alerts and
a change waiting for four-eyes approval. Later capabilities extend it with their own data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from chegara.db.base import Distribution, Tlp, utcnow
from chegara.db.migrate import upgrade
from chegara.db.registry import load_all_models
from chegara.db.session import Database, open_database
from chegara.demo.analysis import load_analysis_demo
from chegara.demo.governance import load_governance_demo
from chegara.demo.screening import load_screening_demo
from chegara.demo.targeting import load_targeting_demo
from chegara.demo.travel import load_travel_demo
from chegara.exchange import service as alerts
from chegara.exchange.models import RiskAlert
from chegara.exchange.schemas import AlertIn
from chegara.security import approvals, audit, service
from chegara.security.models import Agency, User
from chegara.security.policy import Principal

DEMO_PASSWORD = "Chegara-demo-2026"  # noqa: S105 - printed on purpose for the demo

AGENCIES = (
    # code, English name, Russian name, country, kind, partner
    ("KG-BS", "Border Service of the State Committee for National Security",
     "Пограничная служба ГКНБ Кыргызской Республики", "KGZ", "border", False),
    ("KG-CUSTOMS", "State Customs Service under the Ministry of Finance",
     "Государственная таможенная служба при Министерстве финансов КР", "KGZ", "customs", False),
    ("KG-MVD", "Ministry of Internal Affairs",
     "Министерство внутренних дел Кыргызской Республики", "KGZ", "interior", False),
    ("KG-MIGRATION", "Migration Service",
     "Служба по вопросам миграции Кыргызской Республики", "KGZ", "migration", False),
    ("KG-VPSI", "Inspectorate for Veterinary and Phytosanitary Safety",
     "Инспекция ветеринарной и фитосанитарной безопасности", "KGZ", "sps", False),
    ("KG-NCC", "National Coordination Centre for Border Security",
     "Национальный координационный центр по безопасности границ", "KGZ", "coordination",
     False),
    ("KZ-BS", "Border Service of the National Security Committee of Kazakhstan",
     "Пограничная служба КНБ Республики Казахстан", "KAZ", "border", True),
)

USERS = (
    # user name, full name, agency code, roles
    ("border.officer", "Азамат Жумабеков", "KG-BS", ["officer"]),
    ("border.analyst", "Айгуль Осмонова", "KG-BS", ["analyst"]),
    ("border.supervisor", "Бакыт Токтогулов", "KG-BS", ["supervisor"]),
    ("border.supervisor2", "Чолпон Исаева", "KG-BS", ["supervisor"]),
    ("border.admin", "Нурлан Абдрахманов", "KG-BS", ["admin"]),
    ("border.auditor", "Гульнара Сыдыкова", "KG-BS", ["auditor"]),
    ("customs.officer", "Эрлан Мамытов", "KG-CUSTOMS", ["officer"]),
    ("customs.analyst", "Жылдыз Касымова", "KG-CUSTOMS", ["analyst"]),
    ("customs.supervisor", "Улан Шаршеев", "KG-CUSTOMS", ["supervisor"]),
    ("customs.admin", "Мээрим Асанова", "KG-CUSTOMS", ["admin"]),
    ("mvd.analyst", "Данияр Турдубаев", "KG-MVD", ["analyst"]),
    ("mvd.supervisor", "Канат Бекмуратов", "KG-MVD", ["supervisor"]),
    ("migration.officer", "Айжан Кадырова", "KG-MIGRATION", ["officer"]),
    ("migration.analyst", "Тимур Усенов", "KG-MIGRATION", ["analyst"]),
    ("sps.inspector", "Бегимай Алымкулова", "KG-VPSI", ["officer"]),
    ("sps.analyst", "Самат Эсенгулов", "KG-VPSI", ["analyst"]),
    ("sps.supervisor", "Айнура Жээнбекова", "KG-VPSI", ["supervisor"]),
    ("ncc.analyst", "Назира Абдыкадырова", "KG-NCC", ["analyst"]),
    ("ncc.supervisor", "Руслан Джумалиев", "KG-NCC", ["supervisor"]),
    ("ncc.admin", "Элмира Кубанычбекова", "KG-NCC", ["admin"]),
    ("ncc.auditor", "Марат Ибраимов", "KG-NCC", ["auditor"]),
    ("ncc.secretariat", "Айпери Токтосунова", "KG-NCC", ["analyst"]),  # IBM commission
    ("kz.liaison", "Ерлан Сейтказиев", "KZ-BS", ["analyst", "officer"]),
    ("kz.supervisor", "Айдар Жаксылыков", "KZ-BS", ["supervisor"]),
)

ALERTS = (
    # author, title, category, grading, distribution, tlp, body
    ("border.analyst", "Forged Kyrgyz ID cards (2017 series) with altered photo laminate",
     "document_fraud", "B2", Distribution.NATIONAL, Tlp.AMBER,
     "Three ID-cards with re-laminated photo pages detected at Dostuk and Kara-Suu in October. "
     "Check the UV pattern on the photo area and the MRZ check digits."),
    ("customs.analyst", "Undervalued household electronics from Kashgar via Irkeshtam",
     "smuggling_route", "B3", Distribution.SHARING_GROUP, Tlp.AMBER,
     "Declared values of 30-40% of the reference price for HS 8528 and 8517 from three "
     "consignors. Physical examination recommended for new importers."),
    ("border.analyst", "Night crossings on foot near Kara-Bak (Batken) enclave road",
     "irregular_migration", "C3", Distribution.NATIONAL, Tlp.GREEN,
     "Patrols report footpaths used by groups of 3-6 persons between 02:00 and 04:00."),
    ("mvd.analyst", "Hashish concealed in fuel tanks of minibuses on the Osh–Sary-Tash road",
     "concealment", "B2", Distribution.NATIONAL, Tlp.AMBER,
     "Modified fuel tanks with a second compartment; weight difference of 8-12 kg."),
    ("sps.analyst", "Foot-and-mouth disease outbreak reported in a neighbouring district",
     "sps_risk", "A1", Distribution.PARTNERS, Tlp.CLEAR,
     "Livestock movements across Torugart and Irkeshtam under reinforced veterinary control."),
    ("migration.analyst", "Recruiters promising jobs abroad on fake work permits",
     "trafficking", "C3", Distribution.NATIONAL, Tlp.AMBER,
     "Young women travelling alone through Manas on one-way tickets bought by third parties."),
    ("customs.analyst", "Cigarettes without excise stamps in fruit consignments",
     "concealment", "B2", Distribution.NATIONAL, Tlp.GREEN,
     "Boxes of dried apricots with a false bottom containing 10 000 cigarettes each."),
    ("border.analyst", "Insider tip: payments for waving through vehicles at a road post",
     "corruption", "C4", Distribution.AGENCY, Tlp.RED,
     "Unverified; internal security informed. Do not share outside the Border Service."),
    ("kz.liaison", "Stolen cars re-registered in Kazakhstan heading to Kyrgyzstan",
     "smuggling_route", "B2", Distribution.PARTNERS, Tlp.GREEN,
     "VIN plates replaced; watch Toyota Land Cruiser 200 and Lexus LX 570 at Ak-Jol and "
     "Chaldovar."),
)


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    logins: tuple[tuple[str, str, str, str], ...]

    def __str__(self) -> str:
        head = "Demo data loaded." if self.created else "Demo data was already present."
        lines = [head, "", f"Demo logins (password for all: {DEMO_PASSWORD}):"]
        lines += [f"  {u:<20} {n:<24} {a:<12} {r}" for u, n, a, r in self.logins]
        return "\n".join(lines)


def _logins() -> tuple[tuple[str, str, str, str], ...]:
    return tuple((u, n, a, ", ".join(r)) for u, n, a, r in USERS)


def load_demo(*, database: Database | None = None, migrate: bool = True,
              capabilities: bool = True) -> DemoSummary:
    """Load the demo once; running it again only prints the logins (the audit trail is
    append-only, so demo data is never deleted: start from a new database instead).

    ``capabilities=False`` loads only agencies, users, alerts and approvals (the test fixture);
    the full demo adds each capability's data (watchlists, a day of screening …)."""
    load_all_models()
    db = database or open_database()
    if migrate:
        upgrade(db.settings.resolved_database_url)
    with db.reader() as session:
        present = session.scalar(select(Agency.id).where(Agency.code == "KG-BS")) is not None
    if present:
        return DemoSummary(False, _logins())
    with db.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("cli:demo"))
        _load(session, db)
        if capabilities:
            load_capability_demos(session, db)
    return DemoSummary(True, _logins())


def _load(session: Session, db: Database) -> None:
    agencies: dict[str, Agency] = {}
    for code, name, name_ru, country, kind, partner in AGENCIES:
        agencies[code] = service.create_agency(session, code=code, name=name, name_ru=name_ru,
                                               country=country, kind=kind, is_partner=partner)
    users: dict[str, User] = {}
    for username, full_name, agency_code, roles in USERS:
        users[username] = service.create_user(
            session, db.settings, username=username, full_name=full_name,
            agency_id=agencies[agency_code].id, roles=roles, password=DEMO_PASSWORD)
    south = service.principal_for(session, users["customs.analyst"])
    group = service.create_sharing_group(
        session, south, name="Southern border task force",
        description="Osh, Batken and Jalal-Abad: border, customs and police",
        member_agency_ids=[agencies["KG-BS"].id, agencies["KG-MVD"].id])
    start = utcnow() - dt.timedelta(days=40)
    for i, (author, title, category, grading, level, tlp, body) in enumerate(ALERTS):
        principal = service.principal_for(session, users[author])
        audit.set_actor(session, service.actor_of(principal))
        data = AlertIn(title=title, body=body, category=category,  # type: ignore[arg-type]
                       source_reliability=grading[0],  # type: ignore[arg-type]
                       information_credibility=grading[1],  # type: ignore[arg-type]
                       distribution=level, tlp=tlp,
                       sharing_group_id=group.id if level == Distribution.SHARING_GROUP
                       else None)
        if level == Distribution.PARTNERS and not principal.agency_is_partner:
            # Shared with partners through the four-eyes path, approved by a supervisor.
            alert, approval = alerts.create_alert(session, principal, data)
            assert approval is not None
            supervisor = _supervisor_of(session, users, principal.agency_id)
            audit.set_actor(session, service.actor_of(supervisor))
            approvals.decide(session, supervisor, approval.id, approve=True,
                             reason="Public-health information for neighbours")
        else:
            alert, _ = alerts.create_alert(session, principal, data)
        alert.created_at = start + dt.timedelta(days=4 * i, hours=3 * i)
    # One change left waiting in the Border Service supervisors' inbox.
    analyst = service.principal_for(session, users["border.analyst"])
    audit.set_actor(session, service.actor_of(analyst))
    forged = session.scalar(select(RiskAlert).where(RiskAlert.category == "document_fraud"))
    assert forged is not None
    alerts.request_partner_sharing(session, analyst, forged.id)
    audit.set_actor(session, audit.Actor.system("cli:demo"))


def load_capability_demos(session: Session, db: Database) -> None:
    """Each capability's demo data, on top of the agencies and users."""
    load_screening_demo(session, db.settings)
    load_travel_demo(session, db.settings)
    load_analysis_demo(session, db.settings)
    load_governance_demo(session, db.settings)
    load_targeting_demo(session, db.settings)


def _supervisor_of(session: Session, users: dict[str, User], agency_id: int
                   ) -> Principal:
    for user in users.values():
        if user.agency_id == agency_id and "supervisor" in user.roles:
            return service.principal_for(session, user)
    raise LookupError("demo agency without a supervisor")
