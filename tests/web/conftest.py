"""Web fixtures: signing a TestClient in through the login form (tests/web_helpers.py), and the
app served by uvicorn on 127.0.0.1 for the browser tests.

The browser tests drive Debian's Chromium. Without it they skip, unless
``CHEGARA_REQUIRE_BROWSER=1`` (CI), where a missing browser is a failure, not a silent pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from chegara.db.session import Database
from web_helpers import sign_in_form


@pytest.fixture
def sign_in(client: Any, demo: Database) -> Callable[[str], str]:
    """``sign_in("border.admin")`` signs the client in through the form; returns the CSRF
    token the pages now carry."""
    return lambda username: sign_in_form(client, username)


@pytest.fixture
def live_server(demo: Database, serve: Callable[[Database], str]) -> str:
    """The app on the demo database (see ``serve`` in tests/conftest.py)."""
    return serve(demo)


def _browser_context(chromium: Any, live_server: str, javascript: bool,
                     locale: str = "ru-RU") -> Any:
    context = chromium.new_context(base_url=live_server, java_script_enabled=javascript,
                                   viewport={"width": 1280, "height": 800}, locale=locale)
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


@pytest.fixture
def english_page(chromium: Any, live_server: str) -> Iterator[Any]:
    """A browser set to English: what it writes itself (a native file input's words) is then
    English whatever the page's language."""
    context = _browser_context(chromium, live_server, javascript=True, locale="en-US")
    yield context.new_page()
    context.close()


@pytest.fixture
def english_page_without_javascript(chromium: Any, live_server: str) -> Iterator[Any]:
    context = _browser_context(chromium, live_server, javascript=False, locale="en-US")
    yield context.new_page()
    context.close()
