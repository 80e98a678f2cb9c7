"""Migrations build the schema the models describe, from empty, on the backend under test."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from chegara.db.base import Base
from chegara.db.migrate import backup_sqlite, current_revisions, head_revisions, restore_sqlite
from chegara.db.registry import load_all_models
from chegara.db.session import Database
from chegara.errors import BadInput


def test_migrated_schema_matches_the_models(db: Database) -> None:
    load_all_models()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"
    assert current_revisions(db.engine) == head_revisions(db.settings.resolved_database_url)


def test_upgrade_from_empty_and_down_again(db: Database) -> None:
    from alembic import command

    from chegara.db.migrate import alembic_config

    config = alembic_config(db.settings.resolved_database_url)
    command.downgrade(config, "base")
    assert "audit_event" not in inspect(db.engine).get_table_names()
    command.upgrade(config, "heads")
    tables = set(inspect(db.engine).get_table_names())
    assert {"agency", "app_user", "audit_event", "approval", "risk_alert"} <= tables


def test_sqlite_backup_and_restore_round_trip(db: Database, tmp_path: Path, demo: Any) -> None:
    if not db.is_sqlite:
        pytest.skip("the SQLite online backup is for the embedded database")
    url = db.settings.resolved_database_url
    copy = tmp_path / "backup" / "chegara-backup.db"
    assert backup_sqlite(url, copy) > 0
    with sqlite3.connect(copy) as conn:
        users = conn.execute("SELECT count(*) FROM app_user").fetchone()[0]
    assert users > 10
    with pytest.raises(BadInput, match="already exists"):
        backup_sqlite(url, copy)
    not_a_db = tmp_path / "junk.db"
    not_a_db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(BadInput, match=r"not an SQLite database|integrity"):
        restore_sqlite(url, not_a_db)
    db.engine.dispose()
    restore_sqlite(url, copy)
    with sqlite3.connect(db.settings.home / "chegara.db") as conn:
        assert conn.execute("SELECT count(*) FROM app_user").fetchone()[0] == users


def test_runaway_queries_are_stopped(settings: Any) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from chegara.db.session import open_database

    quick = open_database(settings.model_copy(update={"query_timeout_seconds": 0.2}))
    slow = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
            "SELECT count(*) FROM n")
    if not quick.is_sqlite:
        slow = "SELECT pg_sleep(5)"
    with pytest.raises(OperationalError), quick.engine.connect() as conn:
        conn.execute(text(slow))
    with quick.engine.connect() as conn:  # the connection is usable again afterwards
        assert conn.execute(text("SELECT 1")).scalar() == 1
    quick.engine.dispose()


def test_fast_schema_check_knows_the_current_heads(db: Database) -> None:
    from alembic.script import ScriptDirectory

    from chegara.db.migrate import alembic_config
    from chegara.db.schema import HEADS, ensure_schema, schema_heads

    scripts = ScriptDirectory.from_config(alembic_config(db.settings.resolved_database_url))
    assert sorted(HEADS) == sorted(scripts.get_heads())
    assert schema_heads(db) == tuple(sorted(HEADS))
    ensure_schema(db)  # nothing to do on a current database
