"""Demo data for IBM governance: the Kyrgyz IBM strategy 2025–2030 and its action plan in
outline, with tasks for every agency at the state a commission secretariat would find late
in 2026; four commission meetings (the last one still to come) whose decisions became tasks;
two plan revisions; a year of trainings; equipment handed over; and two donor programmes,
one of whose projects duplicates the other's support to the Border Service.

The plan is kept by the National Coordination Centre (the commission secretariat); status
reports come from the responsible agencies' own users, so the audit trail reads as it would.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy.orm import Session

from chegara.db.base import Tlp
from chegara.governance import capacity, donors, service
from chegara.governance.schemas import (
    DecisionIn,
    DonorIn,
    EquipmentIn,
    MeasureIn,
    MeetingIn,
    ObjectiveIn,
    Participant,
    ParticipationIn,
    ProjectIn,
    StatusIn,
    StrategyIn,
    TaskIn,
    TrainingIn,
)
from chegara.security import audit
from chegara.security import service as security
from chegara.security.policy import Principal
from chegara.settings import Settings

SECRETARIAT = "ncc.secretariat"
STRATEGY = "KG-IBM-2025-2030"
# Who reports for each agency (the agencies' analysts).
REPORTER = {"KG-BS": "border.analyst", "KG-CUSTOMS": "customs.analyst",
            "KG-MVD": "mvd.analyst", "KG-MIGRATION": "migration.analyst",
            "KG-VPSI": "sps.analyst", "KG-NCC": SECRETARIAT}

D = dt.date
# objective code, title, measures: (code, title, tasks: (title, responsible, contributing,
# term, deadline, indicator, state)). State: "done" (on time), "late" (done after its
# deadline), "stuck:N" (open at N%: overdue once past the deadline), "prog:N", "new".
PLAN: tuple[tuple[str, str, tuple[tuple[str, str, tuple[tuple[
        str, str, str, str, dt.date, str, str], ...]], ...]], ...] = (
    ("1", "Border control and surveillance", (
        ("1.1", "Modernise border checks at crossing points", (
            ("Install document examination workstations at the eight busiest crossing "
             "points", "KG-BS", "KG-MIGRATION", "short", D(2025, 12, 31),
             "8 crossing points equipped", "done"),
            ("Connect all road crossing points to the national document registry", "KG-BS",
             "KG-MVD", "short", D(2026, 6, 30), "share of crossing points on line", "stuck:70"),
            ("Introduce second-line checks with standard operating procedures", "KG-BS",
             "", "mid", D(2027, 12, 31), "SOP approved and applied", "prog:35"),
        )),
        ("1.2", "Surveillance of the green border", (
            ("Vulnerability assessment of the green border in Batken oblast", "KG-BS",
             "KG-MVD", "short", D(2025, 9, 30), "assessment approved", "done"),
            ("Deploy mobile surveillance units on the Tajik border", "KG-BS", "",
             "short", D(2026, 12, 31), "4 mobile units in service", "prog:40"),
            ("Thermal imaging on 60 km of the Uzbek border in Osh oblast", "KG-BS",
             "", "mid", D(2028, 12, 31), "km covered", "new"),
        )),
    )),
    ("2", "Customs control and trade facilitation", (
        ("2.1", "Risk-based customs control", (
            ("Automated selectivity in ASYCUDA at all customs posts", "KG-CUSTOMS",
             "", "short", D(2025, 12, 31), "share of declarations selected automatically",
             "late"),
            ("Post-clearance audit unit with risk profiles", "KG-CUSTOMS", "",
             "short", D(2026, 9, 30), "unit staffed; 50 audits a year", "stuck:55"),
            ("Authorised economic operator programme", "KG-CUSTOMS", "KG-VPSI",
             "mid", D(2027, 6, 30), "AEO certificates issued", "prog:25"),
        )),
        ("2.2", "Joint and one-stop controls", (
            ("One-stop control at Ak-Jol with the Kazakh services", "KG-CUSTOMS",
             "KG-BS;KG-VPSI", "short", D(2026, 12, 15), "joint control in operation",
             "prog:85"),
            ("Single window for export and import permits", "KG-CUSTOMS", "KG-VPSI",
             "mid", D(2028, 12, 31), "permits issued through the single window", "new"),
        )),
    )),
    ("3", "Veterinary and phytosanitary control", (
        ("3.1", "Risk-based SPS checks at the border", (
            ("Risk categories for SPS consignments by commodity and origin", "KG-VPSI",
             "KG-CUSTOMS", "short", D(2025, 12, 31), "categories approved", "done"),
            ("Border inspection posts at Torugart and Irkeshtam meet the standard",
             "KG-VPSI", "", "mid", D(2027, 12, 31), "posts accredited", "prog:30"),
        )),
        ("3.2", "Laboratory capacity", (
            ("Accredit the Bishkek reference laboratory to ISO/IEC 17025", "KG-VPSI",
             "", "short", D(2026, 10, 31), "accreditation certificate", "stuck:80"),
            ("Rapid PCR testing for animal diseases at border posts", "KG-VPSI", "",
             "mid", D(2028, 6, 30), "posts with PCR testing", "new"),
        )),
    )),
    ("4", "Migration management and document security", (
        ("4.1", "Secure travel documents and registration", (
            ("Biometric residence permits for foreigners", "KG-MIGRATION", "KG-MVD",
             "short", D(2026, 3, 31), "permits issued in the new format", "done"),
            ("Electronic registration of foreigners at the place of stay",
             "KG-MIGRATION", "KG-BS", "short", D(2027, 1, 15),
             "share of registrations made on line", "prog:50"),
        )),
        ("4.2", "Return and readmission", (
            ("Procedures for voluntary return with the countries of origin",
             "KG-MIGRATION", "KG-BS", "mid", D(2027, 12, 31), "procedures agreed",
             "prog:20"),
            ("Readmission case management system", "KG-MIGRATION", "", "mid",
             D(2029, 12, 31), "system in operation", "new"),
        )),
    )),
    ("5", "Fight against cross-border crime", (
        ("5.1", "Drugs, weapons and trafficking in human beings", (
            ("Joint mobile teams of police, customs and border service in the south",
             "KG-MVD", "KG-BS;KG-CUSTOMS", "short", D(2026, 6, 30),
             "joint operations a year", "stuck:60"),
            ("National referral mechanism for victims of trafficking at the border",
             "KG-MVD", "KG-MIGRATION", "mid", D(2027, 6, 30), "mechanism adopted",
             "prog:45"),
        )),
        ("5.2", "Stolen vehicles and forged documents", (
            ("Checks against INTERPOL SMV and SLTD at all road crossing points", "KG-MVD",
             "KG-BS", "short", D(2025, 12, 31), "share of crossing points checking",
             "done"),
            ("Forensic document laboratory in Osh", "KG-MVD", "KG-BS", "mid",
             D(2028, 12, 31), "laboratory in operation", "new"),
        )),
    )),
    ("6", "Inter-agency cooperation and information exchange", (
        ("6.1", "Joint risk analysis", (
            ("National risk management system for border security in operation",
             "KG-NCC", "KG-BS;KG-CUSTOMS;KG-MVD;KG-MIGRATION;KG-VPSI", "short",
             D(2026, 6, 30), "all agencies connected", "done"),
            ("Monthly joint risk indicator bulletin", "KG-NCC", "KG-BS;KG-CUSTOMS",
             "short", D(2026, 1, 31), "12 bulletins a year", "done"),
            ("Annual national risk analysis (CIRAM)", "KG-NCC", "KG-BS;KG-CUSTOMS;KG-MVD",
             "mid", D(2027, 3, 31), "analysis adopted by the commission", "prog:60"),
        )),
        ("6.2", "Information exchange", (
            ("Inter-agency agreement on data exchange and distribution levels", "KG-NCC",
             "KG-BS;KG-CUSTOMS;KG-MVD", "short", D(2025, 10, 31), "agreement signed",
             "late"),
            ("Shared watchlists with four-eyes changes", "KG-BS", "KG-MVD",
             "short", D(2026, 12, 20), "lists shared", "prog:65"),
        )),
    )),
    ("7", "International cooperation", (
        ("7.1", "Cooperation with neighbouring states", (
            ("Border liaison offices with Kazakhstan at Ak-Jol and Kordai", "KG-BS",
             "KG-CUSTOMS", "short", D(2026, 6, 30), "offices open", "done"),
            ("Joint patrols with Tajikistan on agreed sections", "KG-BS", "",
             "mid", D(2028, 6, 30), "joint patrols a year", "prog:15"),
        )),
    )),
    ("8", "Human resources and training", (
        ("8.1", "Common training curricula", (
            ("Common core curriculum on IBM for all border agencies", "KG-NCC",
             "KG-BS;KG-CUSTOMS;KG-VPSI;KG-MIGRATION", "short", D(2026, 4, 30),
             "curriculum approved", "done"),
            ("Pool of national trainers on document examination", "KG-BS",
             "KG-MIGRATION", "short", D(2026, 11, 30), "20 certified trainers",
             "prog:75"),
        )),
        ("8.2", "Distance learning", (
            ("Distance-learning platform shared by the training institutions", "KG-NCC",
             "KG-BS;KG-CUSTOMS", "mid", D(2027, 12, 31), "courses on line", "prog:30"),
        )),
    )),
)
# Kept to the Border Service and the secretariat (distribution "agency"): the others do not
# see it. The task code it gets.
RESTRICTED_TASK = "1.2.1"

NewTask = tuple[str, str, str, str, str, dt.date, str, str]
MEETINGS: tuple[tuple[dt.date, str, str, list[str], list[tuple[str, NewTask | None]]], ...] = (
    # held on, title, place, agenda, decisions: (text, new task or None)
    (D(2025, 3, 14), "Commission meeting 1/2025", "Bishkek, Government House",
     ["Adoption of the action plan 2025–2030", "Reporting rules"],
     [("Adopt the action plan of the IBM strategy 2025–2030 (version 1).", None),
      ("Agencies report progress on their tasks every quarter through Chegara.", None)]),
    (D(2025, 11, 20), "Commission meeting 2/2025", "Bishkek, National Coordination Centre",
     ["State of play of short-term tasks", "Trainings and donor support"],
     [("Develop a joint risk analysis methodology of the Border Service and Customs.",
       ("6.1", "6.1.4", "Joint risk analysis methodology of the Border Service and Customs",
        "KG-NCC", "KG-BS;KG-CUSTOMS", D(2026, 9, 30), "methodology approved", "done")),
      ("Organise a training of trainers on document examination with the OSCE Border "
       "Management Staff College.",
       ("8.1", "8.1.3", "Training of trainers on document examination", "KG-BS",
        "KG-MIGRATION", D(2026, 12, 31), "trainers certified", "prog:50"))]),
    (D(2026, 6, 12), "Commission meeting 1/2026", "Cholpon-Ata",
     ["Mid-year state of play", "Donor coordination: overlaps between programmes"],
     [("Ask the donors to agree which programme supports surveillance of the green border.",
       ("7.1", "7.1.3", "Donor coordination meeting on support to the Border Service",
        "KG-NCC", "KG-BS", D(2026, 9, 15), "division of support agreed", "stuck:40")),
      ("Customs to present a recovery plan for the post-clearance audit unit.", None)]),
    (D(2026, 12, 15), "Commission meeting 2/2026", "Bishkek, Government House",
     ["Annual state of play", "Revision of the action plan for 2027"], []),
)
PARTICIPANTS = (("Кубанычбек Осмонов", "KG-NCC", "Chair, Deputy Secretary of the Security "
                 "Council"),
                ("Бакыт Токтогулов", "KG-BS", "Deputy Commander"),
                ("Улан Шаршеев", "KG-CUSTOMS", "Deputy Chairman"),
                ("Канат Бекмуратов", "KG-MVD", "Head of department"),
                ("Тимур Усенов", "KG-MIGRATION", "Head of department"),
                ("Айнура Жээнбекова", "KG-VPSI", "Deputy Director"),
                ("Назира Абдыкадырова", "KG-NCC", "Secretary of the commission"))

DONORS = (("EU", "European Union"), ("JP-UNDP", "Government of Japan through UNDP"))
PROJECTS = (
    # donor, code, title, programme, implementer, budget, currency, start, end,
    # beneficiaries, objective codes
    ("EU", "BOMCA10-KG1", "Border management capacity in Kyrgyzstan", "BOMCA 10",
     "Consortium of EU member states' border services", 4_500_000, "EUR", D(2024, 6, 1),
     D(2027, 12, 31), "KG-BS;KG-CUSTOMS;KG-NCC", "1;8"),
    ("EU", "BOMCA10-KG2", "Risk analysis and information exchange", "BOMCA 10",
     "Consortium of EU member states' border services", 1_200_000, "EUR", D(2025, 1, 1),
     D(2026, 12, 31), "KG-BS;KG-CUSTOMS", "6"),
    ("JP-UNDP", "FV-BORDER-1", "Border communities and border posts in the Fergana valley",
     "Cross-border cooperation in the Fergana valley", "UNDP Kyrgyzstan", 3_000_000, "USD",
     D(2025, 3, 1), D(2027, 3, 31), "KG-BS;KG-VPSI", "1;7"),
    ("JP-UNDP", "FV-SPS-2", "Veterinary and phytosanitary laboratories",
     "Cross-border cooperation in the Fergana valley", "UNDP Kyrgyzstan", 1_100_000, "USD",
     D(2025, 6, 1), D(2027, 6, 30), "KG-VPSI", "3"),
)

TRAININGS = (
    # kind, topic, start, days, place or "" for distance, organiser, partner, trainers,
    # measure, project, participants "AGENCY:women/men/certified"
    ("training_of_trainers", "Document examination: trainers' course", D(2025, 12, 8), 10,
     "Bishkek, Border Service training centre", "Border Service", "OSCE Border Management "
     "Staff College", "Г. Сыдыкова;J. Novak", "8.1", "BOMCA10-KG1",
     "KG-BS:4/10/13;KG-MIGRATION:3/2/5"),
    ("course", "Risk analysis with CIRAM", D(2026, 1, 19), 5, "Bishkek, NCC",
     "National Coordination Centre", "", "A. Lindqvist", "6.1", "BOMCA10-KG2",
     "KG-BS:3/9/12;KG-CUSTOMS:5/6/11;KG-MVD:1/4/5"),
    ("distance_lecture", "Forged documents: new trends", D(2026, 2, 10), 1, "",
     "Border Service training centre", "Customs training centre", "Ж. Касымова", "8.2", "",
     "KG-BS:12/38/0;KG-CUSTOMS:9/14/0;KG-MIGRATION:6/5/0"),
    ("course", "Authorised economic operators", D(2026, 3, 2), 3, "Bishkek, Customs academy",
     "State Customs Service", "", "M. Rossi", "2.1", "", "KG-CUSTOMS:7/11/18"),
    ("workshop", "One-stop control at Ak-Jol", D(2026, 3, 24), 2, "Ak-Jol",
     "State Customs Service", "Kazakh customs", "", "2.2", "", "KG-CUSTOMS:3/8/0;KG-BS:2/9/0;"
     "KG-VPSI:2/3/0"),
    ("course", "Sampling and rapid tests for SPS inspectors", D(2026, 4, 13), 5, "Osh",
     "Inspectorate for Veterinary and Phytosanitary Safety", "", "Б. Алымкулова", "3.1",
     "FV-SPS-2", "KG-VPSI:9/7/16"),
    ("distance_lecture", "EU and Central Asian IBM concepts", D(2026, 4, 28), 1, "",
     "Customs training centre", "Border Service training centre", "J. Novak", "8.2", "",
     "KG-BS:10/31/0;KG-CUSTOMS:8/12/0;KG-VPSI:4/2/0;KG-MIGRATION:5/3/0"),
    ("exercise", "Joint exercise on the Tajik border", D(2026, 5, 18), 3, "Batken",
     "Border Service", "", "", "1.2", "FV-BORDER-1", "KG-BS:2/24/0;KG-MVD:1/8/0"),
    ("study_visit", "Green border surveillance in Latvia", D(2026, 6, 22), 5, "Riga",
     "Border Service", "State Border Guard of Latvia", "", "1.2", "BOMCA10-KG1",
     "KG-BS:2/6/0"),
    ("course", "Intelligence-led policing at the border", D(2026, 7, 6), 5, "Bishkek",
     "Ministry of Internal Affairs", "", "К. Бекмуратов", "", "",
     "KG-MVD:3/12/15;KG-BS:1/4/5"),
    ("training_of_trainers", "Gender and human rights at the border", D(2026, 9, 14), 4,
     "Cholpon-Ata", "National Coordination Centre", "OSCE", "A. Lindqvist;Н. Абдыкадырова",
     "8.1", "BOMCA10-KG1", "KG-BS:6/6/12;KG-CUSTOMS:4/3/7;KG-MIGRATION:3/1/4"),
    ("distance_lecture", "Profiling of travellers on PNR data", D(2026, 10, 7), 1, "",
     "Border Service training centre", "Customs training centre", "А. Осмонова", "6.1", "",
     "KG-BS:9/25/0;KG-CUSTOMS:6/8/0;KG-MIGRATION:4/2/0"),
    ("course", "Laboratory quality management (ISO/IEC 17025)", D(2026, 10, 19), 5,
     "Bishkek reference laboratory", "Inspectorate for Veterinary and Phytosanitary Safety",
     "", "", "3.2", "FV-SPS-2", "KG-VPSI:8/3/11"),
    ("workshop", "Electronic registration of foreigners", D(2026, 11, 10), 2, "Bishkek",
     "Migration Service", "", "Т. Усенов", "4.1", "", "KG-MIGRATION:7/5/0;KG-BS:1/3/0"),
)

ORGANISERS = {"Border Service": "KG-BS", "Border Service training centre": "KG-BS",
              "State Customs Service": "KG-CUSTOMS", "Customs training centre": "KG-CUSTOMS",
              "National Coordination Centre": "KG-NCC", "Ministry of Internal Affairs": "KG-MVD",
              "Migration Service": "KG-MIGRATION",
              "Inspectorate for Veterinary and Phytosanitary Safety": "KG-VPSI"}

EQUIPMENT = (
    # item, category, quantity, recipient, date, place, value, currency, project,
    # measure, training (topic) or ""
    ("Document examination workstation (video spectral comparator)", "document_examination",
     8, "KG-BS", D(2025, 11, 25), "Ak-Jol, Dostuk, Kara-Suu, Manas airport and others",
     320_000, "EUR", "BOMCA10-KG1", "1.1", "Document examination: trainers' course"),
    ("Handheld passport and MRZ readers", "document_examination", 40, "KG-MIGRATION",
     D(2026, 2, 18), "Bishkek and Osh registration offices", 60_000, "EUR", "BOMCA10-KG1",
     "4.1", ""),
    ("Thermal imaging cameras", "surveillance", 6, "KG-BS", D(2026, 5, 12), "Batken",
     450_000, "USD", "FV-BORDER-1", "1.2", "Joint exercise on the Tajik border"),
    ("Personal radiation detectors", "detection", 25, "KG-CUSTOMS", D(2026, 7, 1),
     "Torugart, Irkeshtam", 75_000, "EUR", "BOMCA10-KG1", "2.1", ""),
    ("Real-time PCR laboratory set", "laboratory", 2, "KG-VPSI", D(2026, 9, 29),
     "Bishkek reference laboratory, Osh", 210_000, "USD", "FV-SPS-2", "3.2",
     "Laboratory quality management (ISO/IEC 17025)"),
)


@dataclass(frozen=True)
class GovernanceDemo:
    tasks: int
    meetings: int
    trainings: int
    handovers: int
    projects: int


def _as(session: Session, username: str) -> Principal:
    principal = security.principal_for(session, security.find_user(session, username))
    audit.set_actor(session, security.actor_of(principal))
    return principal


def _codes(text: str) -> list[str]:
    return [c for c in text.split(";") if c]


def load_governance_demo(session: Session, settings: Settings) -> GovernanceDemo:
    secretariat = _as(session, SECRETARIAT)
    strategy = service.create_strategy(session, secretariat, StrategyIn(
        code=STRATEGY, title="Integrated Border Management Strategy of the Kyrgyz Republic "
        "2025–2030", first_year=2025, last_year=2030))
    measures: dict[str, int] = {}
    states: dict[str, str] = {}
    for objective_code, objective_title, objective_measures in PLAN:
        objective = service.add_objective(session, secretariat, strategy.id, ObjectiveIn(
            code=objective_code, title=objective_title))
        for measure_code, measure_title, tasks in objective_measures:
            measure = service.add_measure(session, secretariat, objective.id, MeasureIn(
                code=measure_code, title=measure_title))
            measures[measure_code] = measure.id
            for number, (title, responsible, contributing, term, deadline, indicator,
                         state) in enumerate(tasks, start=1):
                code = f"{measure_code}.{number}"
                restricted = code == RESTRICTED_TASK
                service.create_task(session, secretariat, TaskIn(
                    measure_id=measure.id, code=code, title=title, responsible=responsible,
                    contributing=_codes(contributing), term=term,  # type: ignore[arg-type]
                    deadline=deadline, indicator=indicator,
                    distribution="agency" if restricted else "national",
                    tlp=Tlp.AMBER if restricted else Tlp.GREEN))
                states[code] = state
    service.revise(session, secretariat, strategy.id,
                   "Version 1 as adopted by the commission on 14 March 2025")
    meetings = _meetings(session, secretariat, strategy.id, measures, states)
    _edit_for_revision(session, secretariat, strategy.id)
    service.revise(session, secretariat, strategy.id,
                   "Version 2: tasks from the decisions of November 2025 and June 2026")
    _report_progress(session, strategy.id, states, settings)
    projects = _donors(session, strategy.id)
    trainings = _trainings(session, measures, projects)
    handovers = _equipment(session, measures, projects, trainings)
    audit.set_actor(session, audit.Actor.system("cli:demo"))
    return GovernanceDemo(len(states), meetings, len(trainings), handovers, len(projects))


def _meetings(session: Session, secretariat: Principal, strategy_id: int,
              measures: dict[str, int], states: dict[str, str]) -> int:
    audit.set_actor(session, security.actor_of(secretariat))
    for held_on, title, place, agenda, decisions in MEETINGS:
        meeting = service.create_meeting(session, secretariat, MeetingIn(
            strategy_id=strategy_id, title=title, held_on=held_on, place=place,
            agenda=agenda, participants=[Participant(name=n, agency=a, position=p)
                                         for n, a, p in PARTICIPANTS],
            minutes="" if held_on > service.today() else
            f"The commission reviewed: {'; '.join(agenda)}."))
        for text, task in decisions:
            data = None
            if task is not None:
                measure, code, task_title, responsible, contributing, deadline, indicator, \
                    state = task
                data = TaskIn(measure_id=measures[measure], code=code, title=task_title,
                              responsible=responsible, contributing=_codes(contributing),
                              term="short", deadline=deadline, indicator=indicator)
                states[code] = state
            service.add_decision(session, secretariat, meeting.id,
                                 DecisionIn(text=text, task=data))
    return len(MEETINGS)


def _edit_for_revision(session: Session, secretariat: Principal, strategy_id: int) -> None:
    """The commission moved one deadline in June 2026: recorded against version 2."""
    from chegara.governance.schemas import TaskEditIn

    task = next(t for t in service.all_tasks(session, secretariat, strategy_id)
                if t.code == "4.1.2")
    service.edit_task(session, secretariat, task.id, TaskEditIn(deadline=D(2027, 1, 15)))


def _report_progress(session: Session, strategy_id: int, states: dict[str, str],
                     settings: Settings) -> None:
    tasks = {t.code: t for t in service.all_tasks(session, _as(session, SECRETARIAT),
                                                  strategy_id)}
    agencies = service.agencies_by_id(session)
    for code, state in states.items():
        if state == "new":
            continue
        task = tasks[code]
        reporter = _as(session, REPORTER[agencies[task.responsible_agency_id].code])
        kind, _, percent = state.partition(":")
        if kind in ("done", "late"):
            service.update_status(session, reporter, task.id, StatusIn(
                status="in_progress", progress=50, note="Work under way."))
            service.update_status(session, reporter, task.id, StatusIn(
                status="done", note="Completed; evidence attached."))
            late = 45 if kind == "late" else -20
            task.completed_on = task.deadline + dt.timedelta(days=late)
            evidence = (f"{task.code} {task.title}\nCompleted on {task.completed_on}.\n"
                        f"Indicator: {task.indicator}\n").encode()
            service.attach_evidence(session, reporter, task.id, home=settings.home,
                                    filename=f"report-{task.code}.txt",
                                    content_type="text/plain", stream=io.BytesIO(evidence),
                                    max_bytes=settings.max_upload_bytes,
                                    note="Completion report")
        else:
            status = "delayed" if kind == "stuck" and int(percent) < 50 else "in_progress"
            service.update_status(session, reporter, task.id, StatusIn(
                status=status, progress=int(percent),  # type: ignore[arg-type]
                note="Funding for the second phase not yet secured." if status == "delayed"
                else "Progressing as planned."))
    session.flush()


def _donors(session: Session, strategy_id: int) -> dict[str, int]:
    secretariat = _as(session, SECRETARIAT)
    for code, name in DONORS:
        donors.create_donor(session, secretariat, DonorIn(code=code, name=name))
    objectives = {o.code: o.id for o in service.objectives_of(session, strategy_id)}
    made = {}
    for donor, code, title, programme, implementer, budget, currency, start, end, \
            beneficiaries, served in PROJECTS:
        project = donors.create_project(session, secretariat, ProjectIn(
            donor=donor, code=code, title=title, programme=programme,
            implementer=implementer, budget=budget, currency=currency, starts_on=start,
            ends_on=end, beneficiaries=_codes(beneficiaries),
            objective_ids=[objectives[o] for o in _codes(served)]))
        made[code] = project.id
    return made


def _participants(text: str) -> list[ParticipationIn]:
    rows = []
    for part in _codes(text):
        agency, _, counts = part.partition(":")
        women, men, certified = (int(n) for n in counts.split("/"))
        rows.append(ParticipationIn(agency=agency, women=women, men=men,
                                    certificates=certified))
    return rows


def _trainings(session: Session, measures: dict[str, int], projects: dict[str, int]
               ) -> dict[str, int]:
    made = {}
    for kind, topic, start, days, place, organiser, partner, trainers, measure, project, \
            participants in TRAININGS:
        principal = _as(session, REPORTER[ORGANISERS[organiser]])
        training = capacity.create_training(session, principal, TrainingIn(
            kind=kind, topic=topic, starts_on=start,  # type: ignore[arg-type]
            ends_on=start + dt.timedelta(days=days - 1), place=place, distance=not place,
            organiser=organiser, partner_institution=partner, trainers=_codes(trainers),
            measure_id=measures.get(measure), project_id=projects.get(project),
            participants=_participants(participants)))
        made[topic] = training.id
    return made


def _equipment(session: Session, measures: dict[str, int], projects: dict[str, int],
               trainings: dict[str, int]) -> int:
    secretariat = _as(session, SECRETARIAT)
    for item, category, quantity, recipient, on, place, value, currency, project, measure, \
            training in EQUIPMENT:
        capacity.create_handover(session, secretariat, EquipmentIn(
            item=item, category=category, quantity=quantity,  # type: ignore[arg-type]
            recipient=recipient, handed_over_on=on, location=place, value=value,
            currency=currency, project_id=projects[project], measure_id=measures[measure],
            training_id=trainings.get(training), training_given=bool(training)))
    return len(EQUIPMENT)

