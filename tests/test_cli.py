"""The command line as an operator uses it: real processes, exit codes, nothing half-done."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any


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
