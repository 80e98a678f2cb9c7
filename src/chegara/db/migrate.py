"""Schema migrations (Alembic) and SQLite backup / restore.

The migration scripts ship inside the package, so ``pip install`` alone can create and upgrade a
database. On PostgreSQL the audit table is made append-only by triggers in the first migration.
"""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from chegara.errors import BadInput


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("chegara.db") / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "heads") -> None:
    """Upgrade to every head: each capability's migrations form their own branch from the
    foundation, so capabilities built side by side never conflict on ordering."""
    try:
        command.upgrade(alembic_config(url), revision)
    except CommandError as exc:
        raise BadInput(f"cannot upgrade to {revision!r}: {exc}") from exc


def head_revisions(url: str) -> tuple[str, ...]:
    return tuple(sorted(ScriptDirectory.from_config(alembic_config(url)).get_heads()))


def current_revisions(engine: Engine) -> tuple[str, ...]:
    with engine.connect() as conn:
        return tuple(sorted(MigrationContext.configure(conn).get_current_heads()))


def _sqlite_path(url: str) -> Path:
    if not url.startswith("sqlite"):
        raise BadInput("backup and restore here are for SQLite; on PostgreSQL use pg_dump "
                       "(see the README)")
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BadInput("the database is in memory; nothing to back up")
    return Path(database)


def backup_sqlite(url: str, target: Path) -> int:
    """Copy the live database with SQLite's online backup API (safe while it is in use)."""
    source_path = _sqlite_path(url)
    if not source_path.exists():
        raise BadInput(f"no database at {source_path}")
    # Resolved first: "a/missing/../b" names b to the system but does not "exist" as given.
    target = target.resolve()
    if target.exists():
        raise BadInput(f"{target} already exists; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    except sqlite3.DatabaseError as exc:
        raise BadInput(f"cannot write the backup to {target}: {exc}") from exc
    return target.stat().st_size


def restore_sqlite(url: str, backup: Path) -> None:
    """Replace the database with a backup, after checking the backup is a sound Chegara file."""
    target_path = _sqlite_path(url)
    if not backup.is_file():
        raise BadInput(f"no backup file at {backup}")
    try:
        with sqlite3.connect(f"file:{backup}?mode=ro", uri=True) as check:
            verdict = check.execute("PRAGMA integrity_check").fetchone()
            has_version = check.execute(
                "SELECT count(*) FROM sqlite_master WHERE name='alembic_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BadInput(f"{backup} is not an SQLite database: {exc}") from exc
    if verdict is None or verdict[0] != "ok":
        raise BadInput(f"{backup} fails SQLite's integrity check")
    if not has_version or not has_version[0]:
        raise BadInput(f"{backup} is not a Chegara database (no schema version)")
    target_path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(backup) as source, sqlite3.connect(target_path) as live:
        source.backup(live)
