"""Web fixtures: signing a TestClient in through the login form, reading the CSRF token from a
page, and the app served by uvicorn on 127.0.0.1 for the browser tests.

The browser tests drive Debian's Chromium. Without it they skip, unless
``CHEGARA_REQUIRE_BROWSER=1`` (CI), where a missing browser is a failure, not a silent pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from chegara.db.session import Database
from chegara.demo.load import DEMO_PASSWORD

CSRF_INPUT = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def csrf_from(html: str) -> str:
    found = CSRF_INPUT.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


@pytest.fixture
def sign_in(client: Any, demo: Database) -> Callable[[str], str]:
    """``sign_in("border.admin")`` signs the client in through the form; returns the CSRF
    token the pages now carry."""

    def as_user(username: str, password: str = DEMO_PASSWORD) -> str:
        response = client.post("/login", data={"username": username, "password": password,
                                                "next": "/"}, follow_redirects=False)
        assert response.status_code == 303, response.text
        return csrf_from(client.get("/").text)

    return as_user


@pytest.fixture
def live_server(demo: Database, serve: Callable[[Database], str]) -> str:
    """The app on the demo database (see ``serve`` in tests/conftest.py)."""
    return serve(demo)


def _browser_context(chromium: Any, live_server: str, javascript: bool) -> Any:
    context = chromium.new_context(base_url=live_server, java_script_enabled=javascript,
                                   viewport={"width": 1280, "height": 800}, locale="ru-RU")
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(chromium: Any, live_server: str) -> Iterator[Any]:
    context = _browser_context(chromium, live_server, javascript=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_without_javascript(chromium: Any, live_server: str) -> Iterator[Any]:
    """The pages must work with JavaScript off: htmx only enhances them."""
    context = _browser_context(chromium, live_server, javascript=False)
    yield context.new_page()
    context.close()
