"""Demo screening data: a national wanted list in Cyrillic kept by the Ministry of Internal
Affairs (two versions, both approved by a second supervisor), an extract in the format of the
UN Security Council consolidated list, and one day of travellers screened at Kyrgyz crossing
points, with a few true hits and some already reviewed.

All persons are fictional, generated from common name parts with a fixed seed.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from chegara.db.base import Distribution
from chegara.screening import service
from chegara.screening.importers import ListedPerson, read_list
from chegara.screening.names import mrz_name, transliterate
from chegara.security import approvals, audit
from chegara.security import service as security
from chegara.security.policy import Principal
from chegara.settings import Settings

SURNAMES_M = ("Жумабеков", "Осмонов", "Токтогулов", "Абдрахманов", "Мамытов", "Сыдыков",
              "Турдубаев", "Бекмуратов", "Касымов", "Исаев", "Юсупов", "Рахимов", "Каримов",
              "Назаров", "Шарипов", "Давлатов", "Эргашев", "Сейткали", "Нурмагамбетов",
              "Ахмедов", "Иванов", "Кузнецов", "Алиев", "Хасанов", "Умаров", "Садыров")
GIVEN_M = ("Азамат", "Бакыт", "Нурлан", "Эрлан", "Улан", "Данияр", "Канат", "Тимур", "Самат",
           "Руслан", "Марат", "Рустам", "Алишер", "Фаррух", "Бахтиёр", "Шерзод", "Дилшод",
           "Ерлан", "Айбек", "Алихан", "Сергей", "Дмитрий", "Икром", "Жахонгир", "Мирлан")
GIVEN_F = ("Айгуль", "Гульнара", "Чолпон", "Жылдыз", "Мээрим", "Айжан", "Бегимай", "Назира",
           "Элмира", "Динара", "Малика", "Зарина", "Нигора", "Дильноза", "Айгерим", "Сабина")
FATHERS = ("Асан", "Серик", "Алишер", "Бакыт", "Тохтар", "Карим", "Рахим", "Сапар", "Максат")
CROSSINGS = ("Manas airport", "Osh airport", "Dostuk", "Kordai", "Ak-Jol", "Torugart",
             "Irkeshtam", "Kyzyl-Kiya")
NATIONALITIES = ("KGZ", "KGZ", "KGZ", "KAZ", "UZB", "TJK", "RUS", "TUR", "CHN")
UN_PERSONS = (
    # first, second, third name, nationality, date of birth or years, passport
    ("ABDUL", "RAHIM", "NOORZAI", "Afghanistan", "1968", "OR123987"),
    ("MUHAMMAD", "YUSUF", "KHAN", "Pakistan", "1975-02-11", ""),
    ("SAIDAKBAR", "MIRZOEV", "", "Tajikistan", "1979-07-30", "400112233"),
    ("DILMUROD", "ERGASHEV", "", "Uzbekistan", "1984..1986", ""),
    ("ABU", "BAKR", "AL-SHAMI", "Syrian Arab Republic", "1981", ""),
    ("TOLQIN", "NORMATOV", "", "Uzbekistan", "1990-11-04", "FA7788990"),
    ("HAMZA", "KARIMOV", "", "Tajikistan", "1987-03-15", ""),
    ("IBRAHIM", "ABDULLAH", "HASSAN", "Iraq", "1970", ""),
    ("KHALIL", "AHMAD", "HAQQANI", "Afghanistan", "1956", ""),
    ("RUSLAN", "MAKHMUDOV", "", "Russian Federation", "1992-06-21", "754411223"),
)


def _person(rng: random.Random, index: int) -> ListedPerson:
    female = rng.random() < 0.25
    surname = rng.choice(SURNAMES_M)
    if female:
        surname = surname + "а" if surname.endswith(("ов", "ев", "ин")) else surname
        given = rng.choice(GIVEN_F)
        patronymic = rng.choice(FATHERS) + "овна"
    else:
        given = rng.choice(GIVEN_M)
        patronymic = rng.choice(FATHERS) + "ович"
    year = rng.randint(1962, 2003)
    born = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return ListedPerson(
        entry_id=f"MVD-{2024000 + index}", name=f"{surname} {given} {patronymic}",
        birth_dates=(born,) if rng.random() < 0.9 else (str(year),),
        nationalities=(rng.choice(("KG", "KG", "KZ", "UZ", "TJ")),),
        gender="F" if female else "M",
        document_numbers=(f"AC{rng.randint(1000000, 9999999)}",) if rng.random() < 0.5 else (),
        programme=rng.choice(("розыск: мошенничество", "розыск: контрабанда наркотиков",
                              "розыск: уклонение от наказания", "розыск: торговля людьми")))


def _un_xml(path: Path) -> None:
    rows = []
    for i, (first, second, third, country, born, passport) in enumerate(UN_PERSONS, start=1):
        if ".." in born:
            start, end = born.split("..")
            dob = (f"<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE>"
                   f"<FROM_YEAR>{start}</FROM_YEAR><TO_YEAR>{end}</TO_YEAR>"
                   "</INDIVIDUAL_DATE_OF_BIRTH>")
        elif len(born) == 4:
            dob = (f"<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE>"
                   f"<YEAR>{born}</YEAR></INDIVIDUAL_DATE_OF_BIRTH>")
        else:
            dob = (f"<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE>"
                   f"<DATE>{born}</DATE></INDIVIDUAL_DATE_OF_BIRTH>")
        document = (f"<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>"
                    f"<NUMBER>{passport}</NUMBER></INDIVIDUAL_DOCUMENT>" if passport else "")
        rows.append(
            f"<INDIVIDUAL><DATAID>{690000 + i}</DATAID><VERSIONNUM>1</VERSIONNUM>"
            f"<FIRST_NAME>{first}</FIRST_NAME><SECOND_NAME>{second}</SECOND_NAME>"
            f"<THIRD_NAME>{third}</THIRD_NAME><UN_LIST_TYPE>Demo</UN_LIST_TYPE>"
            f"<REFERENCE_NUMBER>DEMOi.{i:03d}</REFERENCE_NUMBER>"
            f"<NATIONALITY><VALUE>{country}</VALUE></NATIONALITY>{dob}{document}</INDIVIDUAL>")
    path.write_text('<?xml version="1.0" encoding="utf-8"?><CONSOLIDATED_LIST>'
                    f"<INDIVIDUALS>{''.join(rows)}</INDIVIDUALS></CONSOLIDATED_LIST>",
                    encoding="utf-8")


def _as(session: Session, username: str) -> Principal:
    principal = security.principal_for(session, security.find_user(session, username))
    audit.set_actor(session, security.actor_of(principal))
    return principal


def load_screening_demo(session: Session, settings: Settings) -> None:
    rng = random.Random(20261122)  # demo data, not security
    wanted_people = [_person(rng, i) for i in range(60)]
    analyst = _as(session, "mvd.analyst")
    wanted = service.create_watchlist(
        session, owner_agency_id=analyst.agency_id, name="kg-wanted",
        title="Национальный розыск МВД (National wanted list)", kind="wanted",
        maintained_here=True, distribution=Distribution.NATIONAL)
    for people in (wanted_people[:55], wanted_people[2:60]):
        analyst = _as(session, "mvd.analyst")
        outcome = service.import_version(
            session, watchlist=wanted, people=people, source_name="rozysk.csv",
            source_format="csv", source_sha256="demo", requester=analyst)
        supervisor = _as(session, "mvd.supervisor")
        assert outcome.approval_id is not None
        approvals.decide(session, supervisor, outcome.approval_id, approve=True,
                         reason="checked against the case files")
    ncc = _as(session, "ncc.analyst")
    un = service.create_watchlist(
        session, owner_agency_id=ncc.agency_id, name="un-sc",
        title="UN Security Council consolidated list (demo extract)", kind="sanctions",
        maintained_here=False, distribution=Distribution.PARTNERS)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "consolidated.xml"
        _un_xml(path)
        service.import_version(session, watchlist=un, people=read_list(path, "un-xml"),
                               source_name="consolidated.xml", source_format="un-xml",
                               source_sha256="demo", requester=None)
    _a_day_at_the_border(session, settings, rng, wanted_people[2:60])


def _a_day_at_the_border(session: Session, settings: Settings, rng: random.Random,
                         listed: list[ListedPerson]) -> None:
    cache = service.IndexCache(settings.home / "index")
    travellers: list[tuple[service.Traveller, str]] = []
    for _ in range(240):
        person = _person(rng, 0)
        surname, given, _patronymic = person.name.split()
        latin = transliterate(f"{surname} {given}", "kyrgyz_passport").upper()
        travellers.append((service.Traveller(
            latin, person.birth_dates[0], rng.choice(NATIONALITIES), person.gender,
            f"AC{rng.randint(1000000, 9999999)}"), rng.choice(CROSSINGS)))
    for person in rng.sample(listed, 5):  # listed persons who show up at the border
        field = " ".join(mrz_name(person.name, 30).replace("<", " ").split())
        travellers.insert(rng.randrange(len(travellers)), (service.Traveller(
            field, person.birth_dates[0], "KGZ", person.gender, None), "Osh airport"))
    travellers.insert(17, (service.Traveller("TOLKIN NORMATOV", "1990-11-04", "UZB", "M",
                                             "FA7788990"), "Dostuk"))
    # Passport control at the crossing points is the Border Service's.
    principal = _as(session, "border.officer")
    recorded: list[int] = []
    for traveller, crossing in travellers:
        result = service.screen_and_record(session, cache, principal, traveller,
                                           source=f"crossing:{crossing}")
        recorded.extend(r.id for r in result.recorded)
    _review_some(session, recorded)


def _review_some(session: Session, hit_ids: list[int]) -> None:
    analyst = _as(session, "border.analyst")
    decisions = [("CONFIRMED", "identity confirmed by fingerprints; handed to the MVD"),
                 ("FALSE_POSITIVE", "different person: father's name and birth place differ"),
                 ("ESCALATED", "similar name and birth year; asked the MVD for the case file")]
    for hit_id, (status, reason) in zip(hit_ids, decisions, strict=False):
        service.decide_hit(session, analyst, hit_id, status=status, reason=reason)
    audit.set_actor(session, audit.Actor.system("cli:demo"))
