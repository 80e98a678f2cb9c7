"""Governance fixtures: the demo agencies and users with the IBM strategy 2025–2030, its
meetings, a year of trainings, equipment and two donor programmes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from chegara.db.session import Database
from chegara.governance.models import PlanTask
from chegara.security import audit


@pytest.fixture
def plan_demo(demo: Database) -> Database:
    from chegara.demo.governance import load_governance_demo

    with demo.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("test:demo"))
        load_governance_demo(session, demo.settings)
    return demo


@pytest.fixture
def task_ids(plan_demo: Database) -> dict[str, int]:
    """Task ids by code, read straight from the table."""
    with plan_demo.reader() as session:
        return {code: i for code, i in session.execute(select(PlanTask.code, PlanTask.id))}



@pytest.fixture
def sign_in(client: Any, plan_demo: Database) -> Callable[[str], str]:
    """``sign_in("ncc.secretariat")`` signs the client in through the login form and returns
    the CSRF token its pages carry."""
    from chegara.demo.load import DEMO_PASSWORD

    def as_user(username: str) -> str:
        response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD,
                                                "next": "/"}, follow_redirects=False)
        assert response.status_code == 303, response.text
        found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', client.get("/").text)
        assert found, "no CSRF token on the page"
        return found.group(1)

    return as_user
