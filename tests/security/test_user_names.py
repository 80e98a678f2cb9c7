"""A user name is held to one rule, whether it comes through the API or through the web form
and the command line (the service)."""

from __future__ import annotations

from pydantic import ValidationError

from chegara.db.session import Database
from chegara.errors import BadInput
from chegara.security import audit
from chegara.security import service as security
from chegara.security.schemas import UserIn

NAMES = ["border.officer", "a_b-c", "abc", "a" * 64, "ab", "a" * 65, "with space", "bad/name",
         "имя.фамилия", "trailing\n", ""]


def _api_accepts(name: str) -> bool:
    try:
        UserIn.model_validate({"username": name, "full_name": "Test Officer",
                               "roles": ["officer"], "password": "Long-enough-2026"})
    except ValidationError:
        return False
    return True


def _service_accepts(db: Database, name: str) -> bool:
    try:
        with db.unit_of_work() as session:
            audit.set_actor(session, audit.Actor.system("test"))
            security.create_user(session, db.settings, username=name, full_name="Test Officer",
                                 agency_id=security.resolve_owner_agency(session, None),
                                 roles=["officer"], password="Long-enough-2026")
    except BadInput as error:
        assert "username" in str(error)
        return False
    return True


def test_the_api_and_the_service_accept_the_same_user_names(db: Database) -> None:
    for name in NAMES:
        assert _api_accepts(name) == _service_accepts(db, name), name
