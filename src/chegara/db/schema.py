"""A cheap check that the schema is current, for commands that must start fast.

Importing Alembic costs more than a short screening run, so the current migration heads are
also written here; ``tests/db/test_migrations.py`` fails when they differ from the scripts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from chegara.db.session import Database

HEADS = ("0003", "0007", "0005", "0006")


def schema_heads(db: Database) -> tuple[str, ...]:
    try:
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
            return tuple(sorted(rows))
    except DBAPIError:
        return ()


def ensure_schema(db: Database) -> None:
    """Bring the schema to the current migration (commands work on a fresh installation)."""
    if schema_heads(db) != tuple(sorted(HEADS)):
        from chegara.db.migrate import upgrade

        upgrade(db.settings.resolved_database_url)
