"""`chegara governance import` and `report`: each kind of CSV, bad rows named by line with
nothing half-imported (exit 2), and the annual report written as HTML and PDF."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from chegara.db.session import Database
from chegara.governance.models import (
    DonorProject,
    EquipmentHandover,
    Meeting,
    PlanTask,
    Training,
    TrainingParticipation,
)
from chegara.security.models import AuditEvent

runner = CliRunner()

TASKS = """objective,objective_title,measure,measure_title,code,title,responsible,contributing,term,deadline,indicator,status,progress
9,Integrity,9.1,Integrity checks,9.1.1,Integrity testing unit,KG-CUSTOMS,KG-BS;KG-MVD,short,2027-03-31,unit staffed,in_progress,30
9,,9.1,,9.1.2,Asset declarations of border staff,KG-BS,,mid,31.12.2028,,not_started,
1,,1.1,,1.1.3,Second-line checks with SOPs (revised),KG-BS,,mid,2028-06-30,SOP applied,in_progress,45
"""
MEETINGS = """date,title,place,participants,agenda,decision,task
2026-11-18,Working group 3/2026,Bishkek,Назира Абдыкадырова (KG-NCC);J. Novak,Overlaps;Gaps,Ask the EU to fund objective 5,5.1.1
2026-11-18,Working group 3/2026,Bishkek,,,Report back in December,
"""
TRAININGS = """kind,topic,starts_on,ends_on,place,distance,organiser,trainers,measure,project,agency,women,men,certificates
course,Detection of forged visas,2026-11-02,2026-11-04,Osh,no,Border Service,А. Осмонова;J. Novak,1.1,BOMCA10-KG1,KG-BS,4,11,15
course,Detection of forged visas,2026-11-02,2026-11-04,Osh,no,Border Service,,,,KG-MIGRATION,3,1,4
distance_lecture,Rules of origin,2026-11-12,2026-11-12,,,Customs training centre,,2.1,,KG-CUSTOMS,10,12,0
"""
EQUIPMENT = """item,category,quantity,recipient,handed_over_on,location,value,currency,measure,project,training_given,note
UV lamps and magnifiers,document_examination,30,KG-BS,2026-11-05,Dostuk,"4 500",EUR,1.1,BOMCA10-KG1,yes,
Satellite phones,communication,12,KG-BS,05.11.2026,Batken,,,1.2,FV-BORDER-1,no,for mobile units
"""
PROJECTS = """donor,donor_name,code,title,programme,implementer,budget,currency,starts_on,ends_on,beneficiaries,objectives
OSCE,OSCE Programme Office in Bishkek,OSCE-BMSC-7,Border management staff college courses,,OSCE,250000,EUR,2026-01-01,2027-12-31,KG-BS;KG-CUSTOMS,8
EU,,EU-MIG-1,Migration data and returns,,ICMPD,900000,EUR,2026-06-01,2028-05-31,KG-MIGRATION,4
"""
GOOD = {"tasks": (TASKS, PlanTask), "meetings": (MEETINGS, Meeting),
        "trainings": (TRAININGS, Training), "equipment": (EQUIPMENT, EquipmentHandover),
        "donor-projects": (PROJECTS, DonorProject)}


@pytest.fixture
def cli_env(plan_demo: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    from chegara.settings import get_settings

    monkeypatch.setenv("CHEGARA_DATABASE_URL", plan_demo.settings.resolved_database_url)
    monkeypatch.setenv("CHEGARA_HOME", str(plan_demo.settings.home))
    get_settings.cache_clear()
    yield plan_demo
    get_settings.cache_clear()


def _run(*args: str) -> Result:
    from chegara.cli import app

    return runner.invoke(app, ["governance", *args])


def _count(db: Database, model: Any) -> int:
    with db.reader() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_each_kind_imports(cli_env: Database, tmp_path: Path) -> None:
    expected = {"tasks": 2, "meetings": 1, "trainings": 2, "equipment": 2, "donor-projects": 2}
    for kind, (text, model) in GOOD.items():
        before = _count(cli_env, model)
        result = _run("import", kind, str(_write(tmp_path, f"{kind}.csv", text)),
                      "--as", "ncc.secretariat")
        assert result.exit_code == 0, (kind, result.output)
        assert _count(cli_env, model) - before == expected[kind], kind
        assert "imported" in result.output
    with cli_env.reader() as session:
        revised = session.scalar(select(PlanTask).where(PlanTask.code == "1.1.3"))
        assert revised is not None and revised.progress == 45
        assert revised.title.endswith("(revised)") and revised.changed_in_version == 3
        forged = session.scalar(select(Training).where(
            Training.topic == "Detection of forged visas"))
        assert forged is not None
        heads = session.scalars(select(TrainingParticipation).where(
            TrainingParticipation.training_id == forged.id)).all()
        assert sorted((h.women, h.men) for h in heads) == [(3, 1), (4, 11)]
        imports = session.scalars(select(AuditEvent.resource_id).where(
            AuditEvent.action == "import")).all()
        assert sorted(imports) == sorted(f"{kind}.csv" for kind in GOOD)


BROKEN = [
    ("tasks", TASKS.replace("KG-CUSTOMS,KG-BS", "KG-NOWHERE,KG-BS").replace(
        "31.12.2028", "2028-13-45"), ["line 2", "line 3"]),
    ("trainings", TRAININGS.replace("KG-MIGRATION,3,1,4", "KG-MIGRATION,3,1,9"), ["line 3"]),
    ("equipment", EQUIPMENT.replace("Satellite phones,communication,12",
                                    "Satellite phones,communication,twelve"), ["line 3"]),
    ("donor-projects", PROJECTS.replace(",4\n", ",42\n"), ["line 3"]),
    ("meetings", MEETINGS.replace("5.1.1", "5.1.99"), ["line 2"]),
]


def test_bad_rows_are_named_and_nothing_is_imported(cli_env: Database, tmp_path: Path) -> None:
    for kind, broken, lines in BROKEN:
        model = GOOD[kind][1]
        before, events = _count(cli_env, model), _count(cli_env, AuditEvent)
        result = _run("import", kind, str(_write(tmp_path, "bad.csv", broken)),
                      "--as", "ncc.secretariat")
        assert result.exit_code == 2, (kind, result.output)
        for line in lines:
            assert line in result.output, (kind, result.output)
        assert "nothing was imported" in result.output
        assert _count(cli_env, model) == before and _count(cli_env, AuditEvent) == events


def test_a_strategy_or_project_that_is_not_there_is_named(cli_env: Database,
                                                          tmp_path: Path) -> None:
    header, first, second = EQUIPMENT.splitlines()
    for text, problem in (
            (f"{header}\n{second.replace('FV-BORDER-1', 'NO-SUCH-1')}\n",
             "line 2: project: no donor project 'NO-SUCH-1'"),
            (f"{header},strategy\n{first},KG-IBM-1999\n", "line 2: no strategy 'KG-IBM-1999'")):
        result = _run("import", "equipment", str(_write(tmp_path, "e.csv", text)),
                      "--as", "ncc.secretariat")
        assert result.exit_code == 2 and problem in result.output, result.output


def test_bad_files_and_kinds(cli_env: Database, tmp_path: Path) -> None:
    wrong_header = _write(tmp_path, "h.csv", "item,recipient,when\nRadios,KG-BS,2026-01-01\n")
    result = _run("import", "equipment", str(wrong_header))
    assert result.exit_code == 2 and "handed_over_on" in result.output and "when" in result.output
    assert _run("import", "staff", str(wrong_header)).exit_code == 2
    assert _run("import", "tasks", str(tmp_path / "missing.csv")).exit_code == 2
    latin1 = tmp_path / "l.csv"
    latin1.write_bytes("item,recipient,handed_over_on\nCaméra,KG-BS,2026-01-01\n".encode("latin-1"))
    assert "UTF-8" in _run("import", "equipment", str(latin1)).output
    # An officer may not manage the plan: refused, exit 2.
    refused = _run("import", "tasks", str(_write(tmp_path, "t.csv", TASKS)),
                   "--as", "border.officer")
    assert refused.exit_code == 2 and "plan.manage" in refused.output


def test_without_as_the_job_acts_for_the_coordination_centre(cli_env: Database,
                                                              tmp_path: Path) -> None:
    result = _run("import", "donor-projects", str(_write(tmp_path, "p.csv", PROJECTS)))
    assert result.exit_code == 0, result.output
    with cli_env.reader() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "import")
                               .order_by(AuditEvent.seq.desc()))
        assert event is not None and event.actor == "cli:governance-import"


def test_annual_report_as_html_and_pdf(cli_env: Database, tmp_path: Path) -> None:
    html = tmp_path / "annual-2026.html"
    result = _run("report", "--year", "2026", "--out", str(html), "--as", "ncc.secretariat")
    assert result.exit_code == 0, result.output
    text = html.read_text(encoding="utf-8")
    assert "Ежегодный отчёт о ходе выполнения" in text and "<svg" in text
    english = tmp_path / "annual-en.html"
    assert _run("report", "--year", "2026", "--out", str(english), "--language",
                "en").exit_code == 0
    assert "Annual progress report on the national IBM action plan 2026" in english.read_text()
    pdf = tmp_path / "annual-2026.pdf"
    assert _run("report", "--year", "2026", "--out", str(pdf)).exit_code == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    for bad in (["--year", "2026", "--out", str(tmp_path / "r.docx")],
                ["--year", "1990", "--out", str(tmp_path / "r.html")],
                ["--year", "2040", "--out", str(tmp_path / "r.html")],
                ["--year", "2026", "--out", str(tmp_path / "no" / "r.html")]):
        refused = _run("report", *bad)
        assert refused.exit_code == 2, (bad, refused.output)
    assert not (tmp_path / "r.html").exists()
