"""A new user's full name, e-mail and language are held to the same limits through the API
(``UserIn``) and through the web form and the command line (the service's own check): both
read them from the constants beside ``UserIn``, so the cases here are made from those
constants and follow any change to them."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from chegara.db.session import Database
from chegara.errors import BadInput
from chegara.security import audit
from chegara.security import service as security
from chegara.security.schemas import (
    EMAIL_MAX_LENGTH,
    FULL_NAME_LENGTH,
    USER_LANGUAGES,
    USERNAME_LENGTH,
    UserIn,
)
from web_helpers import sign_in_form

SHORTEST_NAME, LONGEST_NAME = FULL_NAME_LENGTH
VALID = {"username": "new.officer", "full_name": "Test Officer", "email": "",
         "language": USER_LANGUAGES[0]}
CASES = [
    ("full_name", "ж" * SHORTEST_NAME, True),
    ("full_name", "ж" * (SHORTEST_NAME - 1), False),
    ("full_name", "ж" * LONGEST_NAME, True),
    ("full_name", "ж" * (LONGEST_NAME + 1), False),
    ("full_name", "Test\x07Officer", False),
    ("email", "a" * (EMAIL_MAX_LENGTH - len("@example.kg")) + "@example.kg", True),
    ("email", "a" * (EMAIL_MAX_LENGTH + 1 - len("@example.kg")) + "@example.kg", False),
    ("email", "a@example.kg\x1b[2J", False),
    *(("language", language, True) for language in USER_LANGUAGES),
    ("language", "kk", False),
    ("language", USER_LANGUAGES[0].upper(), False),
    ("language", "", False),
]


def _api_accepts(fields: dict[str, str]) -> bool:
    try:
        UserIn.model_validate({**fields, "roles": ["officer"], "password": "Long-enough-2026"})
    except ValidationError:
        return False
    return True


def _service_refusal(db: Database, fields: dict[str, str]) -> BadInput | None:
    try:
        with db.unit_of_work() as session:
            audit.set_actor(session, audit.Actor.system("test"))
            security.create_user(session, db.settings,
                                 agency_id=security.resolve_owner_agency(session, None),
                                 roles=["officer"], password="Long-enough-2026", **fields)
    except BadInput as refusal:
        return refusal
    return None


@pytest.mark.parametrize(("field", "value", "accepted"), CASES,
                         ids=[f"{field}-{len(value)}-{ok}" for field, value, ok in CASES])
def test_the_api_and_the_service_keep_the_same_limits(db: Database, field: str, value: str,
                                                      accepted: bool) -> None:
    fields = {**VALID, field: value}
    assert _api_accepts(fields) is accepted
    refusal = _service_refusal(db, fields)
    assert (refusal is None) is accepted, refusal
    if refusal is not None:
        named: list[Any] = [detail["field"] for detail in refusal.details]
        assert named == [field]


def test_the_service_names_the_limits_it_holds(db: Database) -> None:
    refusal = _service_refusal(db, {"username": "x", "full_name": "x",
                                    "email": "a" * (EMAIL_MAX_LENGTH + 1), "language": "kk"})
    assert refusal is not None
    low, high = USERNAME_LENGTH
    assert refusal.message == "; ".join((
        f"username: {low}-{high} letters, digits, '.', '_' or '-'",
        f"full_name: {SHORTEST_NAME}-{LONGEST_NAME} characters",
        f"email: at most {EMAIL_MAX_LENGTH} characters",
        f"language: {' or '.join(USER_LANGUAGES)}"))


def test_the_user_form_hints_the_same_limits(client: Any, demo: Database) -> None:
    """The new-user form tells the browser the full-name and e-mail limits from the same
    constants, so an officer hears of a too-long name before the server refuses it."""
    sign_in_form(client, "border.admin")
    form = client.get("/admin/users").text
    assert (f'name="full_name" required minlength="{SHORTEST_NAME}" '
            f'maxlength="{LONGEST_NAME}"') in form
    assert f'name="email" type="email" maxlength="{EMAIL_MAX_LENGTH}"' in form
