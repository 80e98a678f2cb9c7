"""Signing in, for the page tests (through the login form of a TestClient) and the browser
tests (through Chromium). The demo users share one password."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from chegara.demo.load import DEMO_PASSWORD
from chegara.security.credentials import csrf_token_for
from chegara.security.deps import SESSION_COOKIE


def sign_in_form(client: Any, username: str, password: str = DEMO_PASSWORD) -> str:
    """Sign the client in through the login form (dropping any earlier session); returns the
    CSRF token its forms must carry."""
    client.cookies.clear()
    response = client.post("/login", data={"username": username, "password": password,
                                            "next": "/"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return csrf_token_for(client.cookies[SESSION_COOKIE])


def browser_sign_in(page: Any, username: str) -> None:
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def browser_sign_out(page: Any) -> None:
    page.click("form[action='/logout'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/login$"))


def upload_bus_voyage(client: Any, csrf: str, manifest: str) -> str:
    """Upload a bus manifest (CSV with an ``{arrival}`` placeholder) arriving in half an hour
    through the voyage form; returns the voyage page's path."""
    arrival = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    uploaded = client.post("/voyages", data={"csrf_token": csrf},
                           files={"file": ("bus.csv", manifest.format(arrival=arrival).encode(),
                                           "text/csv")}, follow_redirects=False)
    assert uploaded.status_code == 303, uploaded.text
    return str(uploaded.headers["location"])
