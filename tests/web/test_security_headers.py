"""Every answer carries the security headers; the browsable API documentation works with no
internet; no page of the analyst interface breaks the content security policy in Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest

from chegara.db.session import Database
from chegara.http import CONTENT_SECURITY_POLICY
from web_helpers import browser_sign_in


def _check_security_headers(response: Any, *, cached: bool = False) -> None:
    headers = response.headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in headers["content-security-policy"]
    assert "unsafe-eval" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["referrer-policy"] == "no-referrer"
    assert (headers.get("cache-control") == "no-store") != cached


def test_pages_api_answers_and_refusals_carry_the_headers(client: Any, demo: Database,
                                                          sign_in: Any) -> None:
    _check_security_headers(client.get("/login"))
    _check_security_headers(client.get("/api/v1/agencies"))  # 401
    _check_security_headers(client.post("/api/v1/auth/token", content=b"x" * 5_000_000,
                                        headers={"content-type": "application/json"}))  # 413
    _check_security_headers(client.get("/healthz"))
    sign_in("border.analyst")
    page = client.get("/analysis")
    assert page.status_code == 200
    _check_security_headers(page)


def test_static_files_may_be_cached_but_keep_the_other_headers(client: Any) -> None:
    response = client.get("/static/chegara.css")
    assert response.status_code == 200
    _check_security_headers(response, cached=True)


def test_a_route_that_sets_its_own_cache_control_keeps_it(client: Any) -> None:
    """The middleware adds what is missing and overrides nothing a route chose."""
    from fastapi.responses import PlainTextResponse

    app = client.app

    @app.get("/probe-cache")
    def probe() -> PlainTextResponse:
        return PlainTextResponse("x", headers={"Cache-Control": "max-age=60"})

    response = client.get("/probe-cache")
    assert response.headers.get_list("cache-control") == ["max-age=60"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_api_documentation_is_served_from_here(client: Any) -> None:
    html = client.get("/api/v1/docs")
    assert html.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', html.text)
    assert sources and all(source.startswith("/static/") for source in sources), sources
    assert "<script>" not in html.text  # no inline script: the policy would refuse it
    for source in sources:
        assert client.get(source).status_code == 200, f"{source} is not installed (make assets)"


@pytest.mark.browser
def test_the_api_documentation_renders_without_internet(page: Any, live_server: str) -> None:
    outside: list[str] = []

    def only_this_server(route: Any) -> None:
        if route.request.url.startswith(live_server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto("/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock-summary-path", has_text="/api/v1/auth/token").count() == 1
    assert not outside and not refused, (outside, refused)


@pytest.mark.browser
def test_no_page_of_the_interface_breaks_the_content_security_policy(page: Any) -> None:
    """Every page the navigation offers an administrator and an analyst, and the first record
    each lists, opened in Chromium: the policy refuses inline scripts and scripts from
    elsewhere, and Chromium says so on the console when a page needs one."""
    refused: list[str] = []
    page.on("console", lambda message: refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)
    opened: set[str] = set()
    for user in ("ncc.admin", "ncc.analyst"):
        browser_sign_in(page, user)
        links = page.eval_on_selector_all("nav.sidebar a", "els => els.map(e => e.pathname)")
        for path in links:
            if path in opened:
                continue
            opened.add(path)
            page.goto(path)
            first = page.eval_on_selector_all("main table a",
                                              "els => els.slice(0, 1).map(e => e.pathname)")
            for record in first:
                if record not in opened:
                    opened.add(record)
                    page.goto(record)
        page.context.clear_cookies()
    assert len(opened) > 30
    assert not refused, refused
