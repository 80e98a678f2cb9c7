"""Audited writes per second on SQLite and PostgreSQL, and the cost of the audit trail.

Each write is one unit of work that inserts one risk alert and commits, as an API request does.
The same writes are timed with the audit hook switched off, in the same run, on the same kind of
fresh database, alternating rounds so that drift in machine load hits both alike.

    python benchmarks/audit_writes.py [--writes 2000] [--rounds 3] [--pg URL]

PostgreSQL is measured when --pg or CHEGARA_BENCH_PG_URL gives a server URL (a database named
chegara_bench is created and dropped there). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from chegara.db.base import Distribution, Tlp
from chegara.db.migrate import upgrade
from chegara.db.session import Database, open_database
from chegara.exchange.models import RiskAlert
from chegara.security import audit, service
from chegara.settings import Settings


def _prepare(url: str, home: Path) -> tuple[Database, int, int]:
    upgrade(url)
    settings = Settings(home=home, database_url=url)  # type: ignore[arg-type]
    db = open_database(settings)
    with db.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("bench"))
        agency = service.create_agency(session, code="BENCH", name="Bench", country="KGZ",
                                       kind="border")
        user = service.create_user(session, settings, username="bench", full_name="Bench",
                                   agency_id=agency.id, roles=["analyst"],
                                   password="bench-password-1")
        return db, agency.id, user.id


def _write(db: Database, agency_id: int, user_id: int, i: int) -> None:
    with db.unit_of_work() as session:
        audit.set_actor(session, audit.Actor(user_id, "bench", agency_id))
        session.add(RiskAlert(title=f"alert {i}", body="x" * 200, category="other",
                              source_reliability="B", information_credibility="2",
                              distribution=Distribution.NATIONAL.value, tlp=Tlp.AMBER.value,
                              owner_agency_id=agency_id, created_by_id=user_id))


def _rate(db: Database, agency_id: int, user_id: int, writes: int, audited: bool) -> float:
    hooked = event.contains(Session, "after_flush", audit._audit_flush)
    if not audited and hooked:
        event.remove(Session, "after_flush", audit._audit_flush)
    try:
        start = time.perf_counter()
        for i in range(writes):
            _write(db, agency_id, user_id, i)
        return writes / (time.perf_counter() - start)
    finally:
        audit.install_hooks()


def measure(url_for: Any, writes: int, rounds: int) -> dict[str, Any]:
    audited, plain = [], []
    for r in range(rounds):
        for mode in (True, False) if r % 2 == 0 else (False, True):
            url, home, cleanup = url_for()
            db, agency_id, user_id = _prepare(url, home)
            _rate(db, agency_id, user_id, 50, mode)  # warm-up
            rate = _rate(db, agency_id, user_id, writes, mode)
            (audited if mode else plain).append(rate)
            if mode:
                with db.reader() as session:
                    assert audit.verify_chain(session).ok
            db.engine.dispose()
            cleanup()
    a, p = statistics.median(audited), statistics.median(plain)
    return {"audited_writes_per_s": round(a, 1), "plain_writes_per_s": round(p, 1),
            "overhead": round(1 - a / p, 3), "rounds": rounds, "writes_per_round": writes}


def sqlite_urls() -> Any:
    def make() -> tuple[str, Path, Any]:
        tmp = tempfile.TemporaryDirectory()
        return f"sqlite:///{tmp.name}/bench.db", Path(tmp.name), tmp.cleanup
    return make


def postgres_urls(server: str) -> Any:
    base = make_url(server)
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def make() -> tuple[str, Path, Any]:
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS chegara_bench WITH (FORCE)"))
            conn.execute(text("CREATE DATABASE chegara_bench"))
        tmp = tempfile.TemporaryDirectory()

        def cleanup() -> None:
            # An autovacuum worker on the fresh database can briefly refuse the drop.
            for attempt in range(10):
                try:
                    with admin.connect() as conn:
                        conn.execute(text("DROP DATABASE IF EXISTS chegara_bench WITH (FORCE)"))
                    break
                except Exception:
                    if attempt == 9:
                        raise
                    time.sleep(1)
            tmp.cleanup()
        url = base.set(database="chegara_bench").render_as_string(hide_password=False)
        return url, Path(tmp.name), cleanup
    return make


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pg", default=os.environ.get("CHEGARA_BENCH_PG_URL", ""))
    args = parser.parse_args()
    result: dict[str, Any] = {"benchmark": "audit_writes", "machine": platform.machine(),
                              "cpus": os.cpu_count(),
                              "sqlite": measure(sqlite_urls(), args.writes, args.rounds)}
    if args.pg:
        result["postgresql"] = measure(postgres_urls(args.pg), args.writes, args.rounds)
    else:
        result["postgresql"] = "not measured: pass --pg URL"
    print(json.dumps(result))


if __name__ == "__main__":
    main()
