"""Issue 2's "Show" in a real browser: Chromium against the app on 127.0.0.1.

An admin creates a user, an analyst asks to share a new alert with partner states, a supervisor
approves it from the inbox, and an auditor finds the decision in the audit trail and verifies
the chain. The pages are used as a person would: by filling forms and clicking buttons.
Works with and without htmx (the audit check follows whichever way the page answers).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from chegara.web.i18n import catalogue
from web_helpers import browser_sign_in, browser_sign_out

pytestmark = pytest.mark.browser
RU = catalogue("ru")
ALERT_TITLE = "Counterfeit phytosanitary certificates for apricots via Kyzyl-Kiya"






def admin_creates_a_user(page: Any) -> None:
    browser_sign_in(page, "border.admin")
    page.click("nav.sidebar a[href='/admin/users']")
    form = page.locator("form#new-user")
    form.locator("input[name=username]").fill("border.trainee")
    form.locator("input[name=full_name]").fill("Асель Маматова")
    form.locator("input[name=email]").fill("a.mamatova@example.kg")
    form.locator("input[name=password]").fill("Trainee-pass-2026")
    form.locator("input[name=roles][value=officer]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/admin/users$"))
    assert page.locator("table td", has_text="border.trainee").count() == 1
    browser_sign_out(page)


def analyst_asks_to_share_an_alert_with_partners(page: Any) -> str:
    browser_sign_in(page, "border.analyst")
    page.click("nav.sidebar a[href='/alerts']")
    form = page.locator("form[action='/alerts']")
    form.locator("input[name=title]").fill(ALERT_TITLE)
    form.locator("textarea[name=body]").fill(
        "Certificates with a reused serial number and a scanned inspector's stamp.")
    form.locator("select[name=category]").select_option("sps_risk")
    form.locator("select[name=source_reliability]").select_option("B")
    form.locator("select[name=information_credibility]").select_option("2")
    form.locator("select[name=distribution]").select_option("partners")
    form.locator("select[name=tlp]").select_option("green")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/alerts/\d+$"))
    assert page.locator("h1", has_text=ALERT_TITLE).count() == 1
    assert page.get_by_text(RU["Sharing with partner states is waiting for approval."]).count()
    alert_url: str = page.url
    browser_sign_out(page)
    return alert_url


def supervisor_approves_it(page: Any, alert_url: str) -> None:
    browser_sign_in(page, "border.supervisor")
    page.click("nav.sidebar a[href='/approvals']")
    row = page.locator("tr", has_text=ALERT_TITLE)
    assert row.count() == 1
    row.locator("form[action$='/approve'] button").click()
    page.wait_for_url(re.compile(r".*/approvals\?status=approved$"))
    assert page.locator("tr", has_text=ALERT_TITLE).count() == 1
    page.goto(alert_url)
    assert page.locator("span.dist.partners").count() == 1
    browser_sign_out(page)


def auditor_sees_the_decision_and_verifies_the_chain(page: Any) -> None:
    browser_sign_in(page, "border.auditor")
    page.click("nav.sidebar a[href='/audit']")
    actions = page.locator("table.audit td code").all_inner_texts()
    assert "approval.update" in actions
    assert "risk_alert.update" in actions
    decision = page.locator("table.audit tr", has=page.locator("code", has_text="approval.update"))
    assert "border.supervisor" in decision.first.inner_text()
    with_htmx = page.evaluate("typeof window.htmx !== 'undefined'")
    page.click(f"text={RU['Verify the chain']}")
    result = page.locator("#verify-result")
    result.wait_for()
    assert RU["The audit chain is intact."] in result.inner_text()
    # With htmx the result is swapped into the audit page; without it the link opens it.
    assert page.url.endswith("/audit" if with_htmx else "/audit/verify")


def test_admin_user_four_eyes_approval_and_audit_in_a_browser(page: Any) -> None:
    admin_creates_a_user(page)
    alert_url = analyst_asks_to_share_an_alert_with_partners(page)
    supervisor_approves_it(page, alert_url)
    auditor_sees_the_decision_and_verifies_the_chain(page)


def test_the_supervisor_dashboard(page: Any) -> None:
    """The README's first screen. ``CHEGARA_SCREENSHOT_DIR=docs`` saves it there."""
    browser_sign_in(page, "border.supervisor")
    assert page.locator("h1", has_text=RU["Dashboard"]).count() == 1
    assert page.locator(".tile .num").count() == 3
    assert page.locator("nav.sidebar a[href='/approvals']").count() == 1
    assert page.locator("nav.sidebar a[href='/audit']").count() == 0
    target = os.environ.get("CHEGARA_SCREENSHOT_DIR")
    if target:
        page.screenshot(path=str(Path(target) / "screenshot-dashboard.png"))


def test_the_four_eyes_flow_works_with_javascript_off(page_without_javascript: Any) -> None:
    page = page_without_javascript
    browser_sign_in(page, "border.supervisor")
    page.click("nav.sidebar a[href='/approvals']")
    row = page.locator("tr", has_text="Forged Kyrgyz ID cards")
    row.locator("form[action$='/approve'] button").click()
    page.wait_for_url(re.compile(r".*/approvals\?status=approved$"))
    assert page.locator("tr", has_text="Forged Kyrgyz ID cards").count() == 1
    browser_sign_out(page)
    browser_sign_in(page, "border.auditor")
    page.click("nav.sidebar a[href='/audit']")
    page.click(f"text={RU['Verify the chain']}")
    page.wait_for_url(re.compile(r".*/audit/verify$"))
    assert RU["The audit chain is intact."] in page.locator("#verify-result").inner_text()


@pytest.mark.parametrize("width", [1280, 390])
def test_pages_keep_to_the_window_on_a_desktop_and_a_phone(page: Any, width: int) -> None:
    """A table wider than the window scrolls inside its card; the page itself never scrolls
    sideways, which cut sentences at the right edge on a desktop and the whole page on a
    phone."""
    page.set_viewport_size({"width": width, "height": 800})
    browser_sign_in(page, "border.supervisor")
    for path in ("/", "/alerts", "/approvals", "/governance/import"):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than a {width}px window"
