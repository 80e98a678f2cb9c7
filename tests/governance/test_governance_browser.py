"""Issue 7's "Show" in a real browser: the state-of-play dashboard with its progress bars and
flags, and the commission report opened and downloaded as PDF.

Chromium against the app on 127.0.0.1, on the demo data. Skips when Chromium is absent, unless
``CHEGARA_REQUIRE_BROWSER=1`` (CI), where a missing browser fails.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from chegara.db.session import Database
from chegara.demo.load import DEMO_PASSWORD
from chegara.web.i18n import catalogue

pytestmark = pytest.mark.browser


@pytest.fixture
def server(plan_demo: Database, serve: Callable[[Database], str]) -> str:
    return serve(plan_demo)


def _width(locator: Any) -> float:
    box = locator.bounding_box()
    return float(box["width"]) if box else 0.0


def test_dashboard_and_commission_report(chromium: Any, server: str, tmp_path: Path) -> None:
    context = chromium.new_context(base_url=server, viewport={"width": 1400, "height": 1000},
                                   accept_downloads=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    ru = catalogue("ru")
    try:
        page.goto("/login")
        page.fill("input[name=username]", "ncc.secretariat")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("form[action='/login'] button[type=submit]")
        page.wait_for_url(re.compile(r".*/$"))
        page.goto("/governance")
        rows = page.locator("#by-agency tr[data-agency]")
        assert rows.count() == 6
        # The bars are drawn: the Border Service's row has green (done) and red (overdue)
        # segments of visible width, in proportion to its tasks.
        border = page.locator("#by-agency tr[data-agency='KG-BS'] .gbar")
        done, late = border.locator(".done"), border.locator(".late")
        assert _width(done) > 10 and _width(late) > 5
        assert _width(done) + _width(late) <= _width(border) + 1
        overdue_tile = int(page.locator("#tile-overdue .num").inner_text())
        assert overdue_tile == page.locator("#overdue tr.overdue").count() > 0
        assert page.locator("#overdue .flag.overdue").first.inner_text() == ru["overdue"]
        if os.environ.get("CHEGARA_SCREENSHOTS"):
            page.screenshot(path=os.environ["CHEGARA_SCREENSHOTS"] + "/dashboard.png",
                            full_page=True)
        # Filtering by agency reloads the picture for that agency only.
        page.select_option("#dashboard-filters select[name=agency]", label="KG-VPSI")
        page.click("#dashboard-filters button[type=submit]")
        page.wait_for_url(re.compile(r".*/governance\?agency=\d+"))
        assert page.locator("#by-agency tr[data-agency]").count() == 1
        # The report for the next meeting: in the frame, then as a PDF.
        page.goto("/governance")
        page.click("#commission-report")
        page.wait_for_url(re.compile(r".*/governance/reports/commission$"))
        frame = page.frame_locator("iframe.product")
        assert frame.locator("h1").inner_text() == ru[
            "State of play of the national IBM action plan"]
        assert frame.locator("table.overdue tr").count() == overdue_tile + 1
        assert frame.locator("svg").count() >= 3
        with page.expect_download() as download_info:
            page.click("#download-pdf")
        target = tmp_path / "commission.pdf"
        download_info.value.save_as(target)
        data = target.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 20_000
    finally:
        context.close()
