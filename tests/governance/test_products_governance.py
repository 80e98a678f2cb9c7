"""The commission's state-of-play report and the annual progress report: their figures come
from the plan, their text follows the reader's language, every string has its Russian, and
the PDF, turned into images, shows the charts in the status colours."""

from __future__ import annotations

import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import select

from chegara.db.session import Database
from chegara.governance import products, service
from chegara.governance.models import PlanTask
from chegara.governance.schemas import EQUIPMENT_CATEGORIES, TASK_STATUSES, TRAINING_KINDS
from chegara.security import service as security
from chegara.web.i18n import catalogue, translator

DONE_RGB, OVERDUE_RGB, AT_RISK_RGB = (0x2E, 0x7D, 0x32), (0xC6, 0x28, 0x28), (0xF9, 0xA8, 0x25)
MSGID = re.compile(r"""_\(\s*(["'])((?:(?!\1).)*)\1\s*\)""")


def _reader(db: Database, username: str) -> Any:
    with db.reader() as session:
        return security.principal_for(session, security.find_user(session, username))


def test_commission_report_counts_the_plan(plan_demo: Database) -> None:
    secretariat = _reader(plan_demo, "ncc.secretariat")
    with plan_demo.reader() as session:
        report = products.commission_report(session, secretariat, at_risk_days=60,
                                            _=translator("en"))
        open_late = [t.code for t in session.scalars(select(PlanTask)) if t.status not in (
            "done", "cancelled") and t.deadline < service.today()]
    overdue_table = report.html.split('<table class="overdue">', 1)[1].split("</table>", 1)[0]
    assert sorted(re.findall(r"<tr><td>([\d.]+)</td>", overdue_table)) == sorted(open_late)
    assert report.html.count("<svg") >= 3  # agencies, objectives, trained staff by gender
    assert "Decisions of the last meeting" in report.html
    assert "Заседание комиссии № 1/2026" in report.html and "7.1.3" in report.html
    assert "FV-BORDER-1 / BOMCA10-KG1" in report.html or (
        "BOMCA10-KG1 / FV-BORDER-1" in report.html)
    # Another agency's reader does not get the Border Service's restricted task.
    customs = _reader(plan_demo, "customs.supervisor")
    with plan_demo.reader() as session:
        theirs = products.commission_report(session, customs, at_risk_days=60,
                                            _=translator("en"))
    with plan_demo.reader() as session:
        border_tasks = session.scalars(select(PlanTask.distribution).where(
            PlanTask.responsible_agency_id == security.find_user(
                session, "border.analyst").agency_id)).all()
    row = re.compile(r'<tr><td>KG-BS</td><td class="n">(\d+)</td>')
    assert int(row.findall(report.html)[0]) == len(border_tasks)
    assert int(row.findall(theirs.html)[0]) == len(border_tasks) - border_tasks.count("agency")
    assert "agency" in border_tasks


def test_the_report_speaks_russian_to_a_russian_reader(plan_demo: Database) -> None:
    ru = catalogue("ru")
    with plan_demo.reader() as session:
        report = products.annual_report(session, _reader(plan_demo, "ncc.secretariat"),
                                        year=2026, at_risk_days=60, _=translator("ru"),
                                        lang="ru")
    assert '<html lang="ru">' in report.html
    for text in ("Annual progress report on the national IBM action plan", "Tasks due in the year",
                 "Overdue tasks", "Trained staff by agency and gender", "done", "overdue"):
        assert ru[text] in report.html, text
    assert ">Overdue tasks<" not in report.html and "Tasks by objective" not in report.html


def test_every_report_string_has_a_russian_translation() -> None:
    folder = resources.files("chegara.governance") / "templates"
    found = {m.group(2) for f in folder.iterdir() if f.name.endswith(".html")
             for m in MSGID.finditer(f.read_text(encoding="utf-8"))}
    dynamic = {s.replace("_", " ") for s in (*TASK_STATUSES, *TRAINING_KINDS,
                                             *EQUIPMENT_CATEGORIES, "at_risk")}
    dynamic |= {"short-term", "mid-term", "Tasks by responsible agency", "Tasks by objective",
                "Trained staff by agency and gender", "on track", "women", "men",
                "TLP:AMBER — for the national IBM agencies only"}
    assert len(found) > 40
    missing = sorted(m for m in found | dynamic if not catalogue("ru").get(m, "").strip())
    assert not missing, missing


def _share(image: Image.Image, rgb: tuple[int, int, int], tolerance: int = 24) -> float:
    pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    return float(np.all(np.abs(pixels - np.array(rgb)) <= tolerance, axis=-1).mean())


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed")
def test_the_pdf_shows_its_charts(client: Any, plan_demo: Database, as_user: Any,
                                  tmp_path: Path) -> None:
    response = client.get("/api/v1/governance/reports/annual.pdf?year=2026&lang=ru",
                          headers=as_user("ncc.supervisor"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get("/api/v1/governance/reports/annual.pdf?year=2026",
                      headers=as_user("border.officer")).status_code == 403
    pdf = tmp_path / "annual.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-l", "3", str(pdf), str(tmp_path / "p")],
                   check=True, timeout=120)
    pages = [Image.open(p) for p in sorted(tmp_path.glob("p-*.png"))]
    stacked = Image.fromarray(np.concatenate([np.asarray(p.convert("RGB")) for p in pages]))
    # The state-of-play charts: done, at-risk and overdue bars in their colours.
    assert _share(stacked, DONE_RGB) > 0.002
    assert _share(stacked, OVERDUE_RGB) > 0.0005
    assert _share(stacked, AT_RISK_RGB) > 0.0005
    assert all(float((np.asarray(p.convert("L")) < 200).mean()) > 0.01 for p in pages)
