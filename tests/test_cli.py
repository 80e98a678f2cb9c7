"""The command line as an operator uses it: real processes, exit codes, nothing half-done."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


def chegara(*args: str, home: Path, url: str | None = None, stdin: str = ""
            ) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CHEGARA_HOME=str(home), CHEGARA_ARGON2_TIME_COST="1",
               CHEGARA_ARGON2_MEMORY_KIB="8192")
    env.pop("CHEGARA_DATABASE_URL", None)
    if url:
        env["CHEGARA_DATABASE_URL"] = url
    return subprocess.run([sys.executable, "-m", "chegara", *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=120, check=False)


def test_fresh_install_upgrade_demo_and_backup(tmp_path: Path) -> None:
    home = tmp_path / "home"
    upgraded = chegara("db", "upgrade", home=home)
    assert upgraded.returncode == 0, upgraded.stderr
    loaded = chegara("demo", "load", home=home)
    assert loaded.returncode == 0, loaded.stderr
    assert "border.supervisor" in loaded.stdout and "Chegara-demo-2026" in loaded.stdout
    again = chegara("demo", "load", home=home)
    assert "already present" in again.stdout
    verified = chegara("audit", "verify", home=home)
    assert verified.returncode == 0 and "intact" in verified.stdout
    backup = tmp_path / "b.db"
    assert chegara("db", "backup", str(backup), home=home).returncode == 0
    assert backup.stat().st_size > 10_000
    clash = chegara("db", "backup", str(backup), home=home)
    assert clash.returncode == 2 and "already exists" in clash.stderr


def test_bad_input_exits_2_and_changes_nothing(tmp_path: Path, settings: Any) -> None:
    home = tmp_path / "home"
    assert chegara("db", "upgrade", home=home).returncode == 0
    junk = tmp_path / "junk.db"
    junk.write_text("not a database at all" * 50)
    restored = chegara("db", "restore", str(junk), "--yes", home=home)
    assert restored.returncode == 2 and "junk.db" in restored.stderr
    assert chegara("audit", "verify", home=home).returncode == 0
    no_agency = chegara("user", "create", "someone", "--agency", "NOPE", "--full-name", "X Y",
                        "--role", "admin", "--password", "long-password-1", home=home)
    assert no_agency.returncode == 2 and "NOPE" in no_agency.stderr
    bad_checkpoint = tmp_path / "cp.json"
    bad_checkpoint.write_text("{}")
    checked = chegara("audit", "verify", "--checkpoint", str(bad_checkpoint), home=home)
    assert checked.returncode == 2 and "checkpoint" in checked.stderr


def test_postgres_backup_is_refused_with_advice(tmp_path: Path) -> None:
    refused = chegara("db", "backup", str(tmp_path / "x.db"), home=tmp_path,
                      url="postgresql+psycopg://u:p@127.0.0.1:1/none")
    assert refused.returncode == 2 and "pg_dump" in refused.stderr


@pytest.fixture(scope="module")
def migrated_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("sweep") / "home"
    assert chegara("db", "upgrade", home=home).returncode == 0
    return home


def _audit_rows(home: Path) -> int:
    with sqlite3.connect(home / "chegara.db") as connection:
        return int(connection.execute("SELECT count(*) FROM audit_event").fetchone()[0])


@pytest.mark.parametrize(("args", "needle"), [
    (("audit", "keygen", "--out", "{tmp}/missing/ncc.key"), "No such file or directory"),
    (("audit", "checkpoint", "--key", "{tmp}", "--out", "x"), "Is a directory"),
    (("screen", "{tmp}/in.csv", "--out", "{tmp}/missing/hits.jsonl"), "does not exist"),
    (("screen", "{tmp}/in.csv", "--out", "{tmp}"), "is a directory"),
    (("db", "backup", "{tmp}/gone/../in.csv"), "already exists"),
    (("db", "upgrade", "--revision", "nope"), "cannot upgrade to 'nope'"),
    (("watchlist", "diff", "--list", "nope"), "no watchlist named 'nope'"),
    (("watchlist", "import", "{tmp}/in.csv", "--list", "../../escape"), "watchlist name"),
    (("targeting", "decide", "--red-rate", "nan"), "red_rate must lie within 0-1"),
    (("targeting", "import", "{tmp}/in.csv", "--map", "{tmp}/empty.yaml"), "the map is empty"),
])
def test_bad_files_and_arguments_exit_2_in_one_line(migrated_home: Path, tmp_path: Path,
                                                     args: tuple[str, ...], needle: str) -> None:
    (tmp_path / "in.csv").write_text("id,name\n1,Ivanov Ivan\n", encoding="utf-8")
    (tmp_path / "empty.yaml").write_text("")
    before = _audit_rows(migrated_home)
    done = chegara(*(a.format(tmp=tmp_path) for a in args), home=migrated_home)
    assert done.returncode == 2, done.stderr
    assert needle in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert _audit_rows(migrated_home) == before
