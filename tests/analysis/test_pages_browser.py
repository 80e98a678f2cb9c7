"""Issue 6's "Show" in a real browser: the situational picture and the bulletin PDF download.

Chromium against the app on 127.0.0.1, on the demo data. Skips when Chromium is absent, unless
``CHEGARA_REQUIRE_BROWSER=1`` (CI), where a missing browser fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from chegara.analysis.countsfile import period_label
from chegara.db.base import utcnow
from chegara.db.session import Database
from chegara.demo.load import DEMO_PASSWORD
from chegara.security import audit
from chegara.security import service as security

pytestmark = pytest.mark.browser
@pytest.fixture
def browser(chromium: Any) -> Any:
    """The Chromium shared by all browser tests (tests/conftest.py)."""
    return chromium


@pytest.fixture
def server(demo: Database, serve: Callable[[Database], str]) -> str:
    from chegara.analysis import products
    from chegara.demo.analysis import load_analysis_demo

    with demo.unit_of_work() as session:
        audit.set_actor(session, audit.Actor.system("test:demo"))
        load_analysis_demo(session, demo.settings, with_products=False)
        analyst = security.principal_for(session, security.find_user(session, "ncc.analyst"))
        now = utcnow()
        products.generate(session, analyst, kind="bulletin",
                          period=period_label(now.year * 12 + now.month - 2))
    return serve(demo)


def test_situational_picture_and_bulletin_download(browser: Any, server: str,
                                                   tmp_path: Path) -> None:
    context = browser.new_context(base_url=server, viewport={"width": 1400, "height": 900},
                                  accept_downloads=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        page.goto("/login")
        page.fill("input[name=username]", "ncc.analyst")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("form[action='/login'] button[type=submit]")
        page.wait_for_url(re.compile(r".*/$"))
        page.goto("/analysis")
        map_svg = page.locator("#situation-map svg.border-map")
        map_svg.wait_for()
        assert map_svg.bounding_box()["width"] > 300
        assert page.locator("svg.border-map polyline.section").count() == 11
        assert page.locator("polyline.level-critical").count() >= 1
        assert page.locator("svg.sparkline").count() >= 8
        # Filter by agency and period: the form reloads the picture with the filter applied.
        page.select_option("#picture-filters select[name=agency]", label="KG-VPSI")
        page.select_option("#picture-filters select[name=days]", value="365")
        page.click("#picture-filters button[type=submit]")
        page.wait_for_url(re.compile(r".*/analysis\?agency=\d+&days=365"))
        assert page.locator("svg.border-map").count() == 1
        # A keyboard user sees where they are: the focused control carries our strong ring.
        page.focus("#picture-filters select[name=agency]")
        page.keyboard.press("Tab")
        ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert ring == "solid"  # ours, not the faint default ring
        # On a phone the map keeps readable names and scrolls sideways instead of shrinking.
        page.set_viewport_size({"width": 390, "height": 844})
        assert map_svg.bounding_box()["width"] >= 600
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.set_viewport_size({"width": 1400, "height": 900})
        page.goto("/analysis/products")
        page.click("table a[href^='/analysis/products/']:not(.pdf)")
        page.wait_for_url(re.compile(r".*/analysis/products/\d+$"))
        with page.expect_download() as download_info:
            page.click("#download-pdf")
        target = tmp_path / "bulletin.pdf"
        download_info.value.save_as(target)
        data = target.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 20_000
    finally:
        context.close()
