"""Sessions and the unit of work.

Services never commit. A caller (API route, CLI command, job) opens one unit of work, passes its
session to the services and the unit of work commits once at the end, so the change and its audit
record land together or not at all.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from chegara.db.engine import WRITE_LOCK, make_engine
from chegara.settings import Settings, get_settings


@dataclass(frozen=True)
class Database:
    engine: Engine
    settings: Settings

    @functools.cached_property
    def _write_factory(self) -> sessionmaker[Session]:
        write_engine = self.engine.execution_options(chegara_write=True)
        return sessionmaker(bind=write_engine, expire_on_commit=False, autoflush=True)

    @functools.cached_property
    def _read_factory(self) -> sessionmaker[Session]:
        return sessionmaker(bind=self.engine, expire_on_commit=False, autoflush=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A write transaction: commit on success, roll back on any exception."""
        lock = WRITE_LOCK if self.is_sqlite else None
        if lock is not None:
            lock.acquire()
        try:
            with self._write_factory() as session, session.begin():
                yield session
        finally:
            if lock is not None:
                lock.release()

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A session for reading. It is closed, not committed, so anything written in it is
        discarded; loaded objects stay readable after the block (closing does not expire)."""
        with self._read_factory() as session:
            yield session


def open_database(settings: Settings | None = None) -> Database:
    settings = settings or get_settings()
    engine = make_engine(settings.resolved_database_url,
                         busy_timeout_ms=settings.sqlite_busy_timeout_ms,
                         query_timeout_s=settings.query_timeout_seconds)
    return Database(engine=engine, settings=settings)
