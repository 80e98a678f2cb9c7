"""Engines for the two supported backends.

SQLite is the embedded default at a border crossing point: WAL journal so readers never block
the writer, ``BEGIN IMMEDIATE`` for write transactions so two writers fail fast on the busy
timeout instead of deadlocking on a lock upgrade, and a process-wide lock so there is exactly one
writer per process. PostgreSQL at the national centre gets a plain connection pool.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

WRITE_LOCK = threading.RLock()


def _prepare_sqlite_file(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str, *, busy_timeout_ms: int = 10_000, query_timeout_s: float = 0,
                echo: bool = False) -> Engine:
    """An engine for ``url``; ``query_timeout_s`` (0 = none) aborts any longer statement, so one
    runaway search cannot hold the database (Datasette's lesson)."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url, busy_timeout_ms=busy_timeout_ms,
                              query_timeout_s=query_timeout_s, echo=echo)
    connect_args = {}
    if query_timeout_s > 0:
        connect_args["options"] = f"-c statement_timeout={int(query_timeout_s * 1000)}"
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, echo=echo,
                         connect_args=connect_args)


def _sqlite_engine(url: str, *, busy_timeout_ms: int, query_timeout_s: float,
                   echo: bool) -> Engine:
    _prepare_sqlite_file(url)
    engine = create_engine(
        url, echo=echo, connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (pysqlite's own transaction handling is unreliable).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()
        deadline = [0.0]
        _record.info["deadline"] = deadline
        if query_timeout_s > 0:
            dbapi_connection.set_progress_handler(
                lambda: int(bool(deadline[0]) and time.monotonic() > deadline[0]), 50_000)

    @event.listens_for(engine, "before_cursor_execute")
    def _start_clock(conn: Any, *_args: Any) -> None:
        if query_timeout_s > 0:
            conn.connection.info["deadline"][0] = time.monotonic() + query_timeout_s

    @event.listens_for(engine, "after_cursor_execute")
    def _stop_clock(conn: Any, *_args: Any) -> None:
        if query_timeout_s > 0:
            conn.connection.info["deadline"][0] = 0.0

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = "IMMEDIATE" if conn.get_execution_options().get("chegara_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def backend_name(engine: Engine) -> str:
    return engine.dialect.name
