"""The full demo loads on a fresh database and holds what the README promises."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from chegara.db.session import Database
from chegara.demo.load import load_demo
from chegara.screening.models import ScreeningHit, Watchlist
from chegara.security import audit


def test_full_demo(db: Database, client: Any, sign_in: Any) -> None:
    summary = load_demo(database=db, migrate=False)
    assert summary.created and "border.supervisor" in str(summary)
    assert not load_demo(database=db, migrate=False).created  # a second run changes nothing
    with db.reader() as session:
        lists = {w.name: w for w in session.scalars(select(Watchlist))}
        assert lists["kg-wanted"].active_version == 2 and lists["un-sc"].active_version == 1
        statuses = dict(session.execute(select(ScreeningHit.status, func.count())
                                        .group_by(ScreeningHit.status)).tuples().all())
        assert statuses.get("NEW", 0) >= 3 and statuses.get("CONFIRMED") == 1
        assert audit.verify_chain(session).ok
    headers = sign_in(client, "border.analyst")
    queue = client.get("/api/v1/screening/hits?status=NEW", headers=headers).json()
    assert queue["total"] >= 3
