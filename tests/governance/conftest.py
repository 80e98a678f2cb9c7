"""Governance fixtures: the demo agencies and users with the IBM strategy 2025–2030, its
meetings, a year of trainings, equipment and two donor programmes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from chegara.db.session import Database
from chegara.governance.models import PlanTask
from chegara.security import audit
from web_helpers import sign_in_form


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
    return lambda username: sign_in_form(client, username)
