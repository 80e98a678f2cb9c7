"""Names, titles and notes refuse control characters and bidi overrides, across capabilities.

An escape sequence in a name prints raw to the terminal of whoever lists it with the CLI, a
NUL cannot be stored on PostgreSQL, and a right-to-left override makes a name on a page read
as something else. Notes and descriptions may still hold line breaks and tabs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from chegara.db.base import utcnow
from chegara.db.session import Database
from chegara.errors import BadInput
from chegara.screening import service as screening
from chegara.security import audit
from chegara.security import service as security
from chegara.security.models import AuditEvent

# ESC (a terminal colour sequence), BEL, NUL, DEL, C1 NEL, right-to-left override, RL isolate.
ALWAYS_REFUSED = ("\x1b[31m", "\x07", "\x00", "\x7f", "\x85", "\u202e", "\u2067")
SINGLE_LINE_ONLY = ("\n", "\t", "\r")
GOOD_NAME = "Д'Артаньян Жумабеков-Smith"
GOOD_FREE_TEXT = "Первая строка: Ak-Jol\r\nвторая строка\tс табуляцией\nthird line"


def _incident() -> dict[str, Any]:
    return {"incident_type": "illegal_border_crossing", "section": "KG-TJ Batken",
            "occurred_at": (utcnow() - dt.timedelta(hours=2)).isoformat(), "persons": 4,
            "nationality": "TJK", "impact": "medium", "source_reliability": "B",
            "information_credibility": "2", "distribution": "national", "tlp": "green"}


def _traveller_rule() -> dict[str, Any]:
    return {"severity": 2, "condition": {"match": "all", "conditions": [
        {"attribute": "one_way", "operator": "equals", "value": True}]}}


# (user, path, a body accepted once the field is filled in, the field, free text?)
CASES: dict[str, tuple[str, str, dict[str, Any], str, bool]] = {
    "agency name": ("border.admin", "/api/v1/agencies",
                    {"code": "KG-NEW", "country": "KGZ", "kind": "customs"}, "name", False),
    "token name": ("border.officer", "/api/v1/tokens", {}, "name", False),
    "sharing group name": ("border.admin", "/api/v1/sharing-groups", {}, "name", False),
    "sharing group description": ("border.admin", "/api/v1/sharing-groups",
                                  {"name": "Batken partners"}, "description", True),
    "user full name": ("border.admin", "/api/v1/users",
                       {"username": "new.officer", "roles": ["officer"],
                        "password": "New-officer-2026"}, "full_name", False),
    "watchlist title": ("border.analyst", "/api/v1/watchlists",
                        {"name": "wanted", "kind": "wanted"}, "title", False),
    "profile name": ("border.analyst", "/api/v1/targeting/profiles",
                     {"code": "CIG", "criteria": {"hs": ["2402"]}, "channel": "red"},
                     "name", False),
    "alert title": ("border.analyst", "/api/v1/alerts",
                    {"category": "concealment", "source_reliability": "B",
                     "information_credibility": "2"}, "title", False),
    "incident summary": ("border.officer", "/api/v1/analysis/incidents", _incident(),
                         "summary", True),
    "incident goods": ("border.officer", "/api/v1/analysis/incidents", _incident(),
                       "goods", False),
    "traveller rule name": ("border.analyst", "/api/v1/traveller-rules", _traveller_rule(),
                            "name", False),
    "traveller rule description": ("border.analyst", "/api/v1/traveller-rules",
                                   _traveller_rule() | {"name": "Cash one-way"},
                                   "description", True),
}


def _audit_events(db: Database) -> int:
    with db.reader() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


@pytest.mark.parametrize("case", list(CASES))
def test_control_characters_are_refused_naming_the_field_and_change_nothing(
        client: Any, demo: Database, as_user: Any, case: str) -> None:
    username, path, body, field, free_text = CASES[case]
    headers = as_user(username)
    refused = ALWAYS_REFUSED if free_text else ALWAYS_REFUSED + SINGLE_LINE_ONLY
    before = _audit_events(demo)
    for char in refused:
        response = client.post(path, headers=headers,
                               json=body | {field: f"Ak{char}Jol border post"})
        assert response.status_code == 422, (repr(char), response.text)
        error = response.json()["error"]
        assert error["code"] == "bad_input"
        assert f"body.{field}: contains a control character" in error["message"], error
        assert [d["field"] for d in error["details"]] == [f"body.{field}"]
    # Every change is audited: no new event means nothing was written.
    assert _audit_events(demo) == before
    good = GOOD_FREE_TEXT if free_text else GOOD_NAME
    accepted = client.post(path, headers=headers, json=body | {field: good})
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()[field] == good
    assert _audit_events(demo) > before


def test_services_fed_by_the_cli_and_web_forms_refuse_them_too(demo: Database) -> None:
    with demo.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("tests"))
        agency_id = security.find_user(session, "border.admin").agency_id
        with pytest.raises(BadInput) as user_error:
            security.create_user(session, demo.settings, username="new.officer",
                                 full_name="Азамат\u202eЖумабеков", agency_id=agency_id,
                                 roles=["officer"], password="New-officer-2026")
        with pytest.raises(BadInput) as list_error:
            screening.create_watchlist(session, owner_agency_id=agency_id, name="wanted",
                                       title="Wanted\x1b[2J persons", kind="wanted",
                                       maintained_here=True)
    assert user_error.value.details == [{"field": "full_name",
                                         "problem": "contains a control character (U+202E)"}]
    assert list_error.value.details == [{"field": "title",
                                         "problem": "contains a control character (U+001B)"}]
