"""``chegara registry import|lookup`` and ``chegara manifest load`` on the test database."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from chegara.passengers.manifest import Leg, Manifest, TravelDocument, Traveller
from chegara.passengers.models import Voyage
from chegara.passengers.paxlst_compose import compose_paxlst

REGISTRY = ("document_number,document_type,issuing_state,status,reported_on,source\n"
            "AC4417902,P,KGZ,stolen,2026-09-14,national\n")


def test_registry_and_manifest_commands(demo: Any, tmp_path: Path) -> None:
    env = dict(os.environ, CHEGARA_HOME=str(tmp_path / "home"),
               CHEGARA_DATABASE_URL=demo.settings.resolved_database_url)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "chegara", *args], env=env, text=True,
                              capture_output=True, timeout=120, check=False)

    registry = tmp_path / "stolen.csv"
    registry.write_text(REGISTRY, encoding="utf-8")
    imported = run("registry", "import", str(registry), "--as", "mvd.analyst")
    assert imported.returncode == 0, imported.stderr
    assert "1 added" in imported.stdout
    found = run("registry", "lookup", "ac 4417-902", "--state", "KGZ", "--as", "border.officer")
    assert found.returncode == 1 and "stolen" in found.stdout
    assert run("registry", "lookup", "AC1").returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(REGISTRY + "X1,P,QQQ,stolen,,national\n", encoding="utf-8")
    refused = run("registry", "import", str(bad), "--as", "mvd.analyst")
    assert refused.returncode == 2 and "line 3" in refused.stderr

    leg = Leg("KC", "KC109", "ALA", "FRU", dt.datetime(2026, 11, 23, 8, 0),
              dt.datetime(2026, 11, 23, 9, 10))
    people = [Traveller("ASANOV", "BAKYT", dt.date(1975, 1, 2), "M", "KGZ",
                        documents=[TravelDocument("P", "AC4417902", "KGZ",
                                                  dt.date(2031, 1, 1))])]
    manifest = tmp_path / "kc109.edi"
    manifest.write_text(compose_paxlst(Manifest("PAXLST", legs=[leg], travellers=people,
                                                list_type="passengers")), encoding="utf-8")
    loaded = run("manifest", "load", str(manifest), "--as", "border.officer")
    assert loaded.returncode == 0, loaded.stderr
    assert "KC109: 1 traveller(s) screened; hits: registry 1" in loaded.stdout
    broken = tmp_path / "broken.edi"
    broken.write_text(manifest.read_text(encoding="utf-8").split("UNT+")[0], encoding="utf-8")
    rejected = run("manifest", "load", str(broken), "--as", "border.officer")
    assert rejected.returncode == 2 and "segment UNH" in rejected.stderr
    with demo.reader() as session:
        assert session.scalar(select(func.count()).select_from(Voyage)) == 1
