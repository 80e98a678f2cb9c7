"""Fixtures shared by the analysis tests."""

from __future__ import annotations

import pytest

from chegara.db.session import Database
from chegara.security import audit


@pytest.fixture
def analysis_demo(demo: Database) -> Database:
    """The demo with the strategic-analysis data (incidents, statistics, CIRAM), no products."""
    from chegara.demo.analysis import load_analysis_demo

    with demo.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("test:demo"))
        load_analysis_demo(session, demo.settings, with_products=False)
    return demo
