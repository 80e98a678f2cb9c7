"""Issue 5's "Show" in a real browser: an officer works the declaration queue and records an
inspection result; an analyst looks at the profiles and the dashboard charts; an SPS analyst
sees the check frequencies and a consignment's checks.

Chromium against the app on 127.0.0.1, on the targeting demo (a small month). Skips when
Chromium is absent, unless ``CHEGARA_REQUIRE_BROWSER=1`` (CI), where a missing browser fails.
The interface is in Russian by default, so the test finds things by structure, not by words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest

from chegara.db.session import Database
from chegara.security import audit
from web_helpers import browser_sign_in, browser_sign_out

pytestmark = pytest.mark.browser
TODAY = dt.date(2026, 11, 1)


@pytest.fixture
def server(demo: Database, serve: Callable[[Database], str]) -> str:
    from chegara.demo.targeting import load_targeting_demo

    with demo.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("test:demo"))
        load_targeting_demo(session, demo.settings, scale=0.8, today=TODAY)
    return serve(demo)






def officer_records_a_result(page: Any) -> None:
    browser_sign_in(page, "customs.officer")
    page.click("nav.sidebar a[href='/targeting']")
    page.wait_for_url(re.compile(r".*/targeting$"))
    page.select_option("form.filters select[name=channel]", value="red")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r".*/targeting\?channel=red.*"))
    rows = page.locator("table tbody tr")
    assert rows.count() >= 1
    assert rows.locator("span.channel.red").count() == rows.count()
    # Newest day first: the last days have no results yet, so the first has the form.
    rows.first.locator("a[href^='/targeting/declarations/']").click()
    page.wait_for_url(re.compile(r".*/targeting/declarations/\d+$"))
    assert page.locator("h1 span.channel.red").count() == 1
    assert page.locator("section.card ul li").count() >= 1  # the reasons
    form = page.locator("form[action$='/result']")
    form.locator("select[name=found]").select_option("yes")
    form.locator("input[name=offence_type]").fill("undervaluation")
    form.locator("input[name=revenue_recovered]").fill("4321.5")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/targeting/declarations/\d+$"))
    assert page.locator("form[action$='/result']").count() == 0
    recorded = page.locator("section.card dl", has_text="4,321.50")
    assert recorded.count() == 1 and "customs.officer" in recorded.inner_text()
    browser_sign_out(page)


def analyst_reads_profiles_and_dashboard(page: Any) -> None:
    browser_sign_in(page, "customs.analyst")
    page.click("nav.sidebar a[href='/targeting/profiles']")
    page.wait_for_url(re.compile(r".*/targeting/profiles$"))
    codes = page.locator("table tbody td a[href^='/targeting/profiles/']").all_inner_texts()
    assert "CIG-UNDERVALUED" in codes
    page.click("nav.sidebar a[href='/targeting/dashboard']")
    page.wait_for_url(re.compile(r".*/targeting/dashboard$"))
    charts = page.locator("section.chart svg")
    assert charts.count() == 2
    for i in range(2):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100
    browser_sign_out(page)


def sps_analyst_sees_frequencies_and_checks(page: Any) -> None:
    browser_sign_in(page, "sps.analyst")
    page.click("nav.sidebar a[href='/targeting/sps']")
    page.wait_for_url(re.compile(r".*/targeting/sps$"))
    assert page.locator("#sps-categories tbody tr").count() >= 6
    page.goto("/targeting?kind=consignment")
    page.locator("table tbody tr a[href^='/targeting/declarations/']").first.click()
    page.wait_for_url(re.compile(r".*/targeting/declarations/\d+$"))
    checks = page.locator("#sps-checks")
    assert checks.is_visible() and checks.locator("tbody tr").count() == 4
    browser_sign_out(page)


def test_targeting_pages_in_a_browser(chromium: Any, server: str) -> None:
    context = chromium.new_context(base_url=server, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        officer_records_a_result(page)
        analyst_reads_profiles_and_dashboard(page)
        sps_analyst_sees_frequencies_and_checks(page)
    finally:
        context.close()
