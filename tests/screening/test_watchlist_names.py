"""A watchlist name is held to one rule, whether the list is created through the API or from
the command line (the service)."""

from __future__ import annotations

from pydantic import ValidationError

from chegara.db.session import Database
from chegara.errors import BadInput
from chegara.screening import service
from chegara.screening.schemas import WatchlistIn
from chegara.security import audit
from chegara.security import service as security

NAMES = ["kg-wanted", "un.sc_list", "ab", "n" * 64, "x", "n" * 65, "../escape", "with space",
         "список", "list\n", ""]


def _api_accepts(name: str) -> bool:
    try:
        WatchlistIn.model_validate({"name": name, "title": "A list", "kind": "other"})
    except ValidationError:
        return False
    return True


def _service_accepts(db: Database, name: str) -> bool:
    try:
        with db.unit_of_work() as session:
            audit.set_actor(session, audit.Actor.system("test"))
            service.create_watchlist(session, owner_agency_id=security.resolve_owner_agency(
                session, None), name=name, title="A list", kind="other", maintained_here=False)
    except BadInput as error:
        assert "watchlist name" in str(error)
        return False
    return True


def test_the_api_and_the_service_accept_the_same_watchlist_names(db: Database) -> None:
    for name in NAMES:
        assert _api_accepts(name) == _service_accepts(db, name), name
