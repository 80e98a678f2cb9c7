"""Products: the bulletin's figures come from the data, the public edition is cut by
distribution, and the PDF, turned into images, shows its map and charts."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import select

from chegara.analysis import ciram, products
from chegara.analysis.charts import IMPACT_STYLES
from chegara.analysis.countsfile import period_label
from chegara.analysis.models import Incident
from chegara.db.base import utcnow
from chegara.db.session import Database
from chegara.security import audit
from chegara.security import service as security

# The map's line colours, as the PDF's pixels should show them.
IMPACT_RGB = {level: tuple(int(IMPACT_STYLES[level].colour[i:i + 2], 16) for i in (1, 3, 5))
              for level in ("low", "critical")}
BAR_RGB = (0x5C, 0x6B, 0xC0)
LINE_RGB = (0x15, 0x65, 0xC0)


def _last_month() -> str:
    now = utcnow()
    return period_label(now.year * 12 + now.month - 2)


def _bulletin(db: Database, edition: str, language: str = "en") -> products.Built:
    with db.reader() as session:
        analyst = security.principal_for(session, security.find_user(session, "ncc.analyst"))
        return products.build_product(session, analyst, kind="bulletin", period=_last_month(),
                                      edition=edition, language=language)


def _counted(db: Database, *, public: bool) -> int:
    """Validated or closed illegal crossers in the last month that the national coordination
    centre may see (shared nationally, not TLP:RED), straight from the table."""
    conditions = [Incident.incident_type == "illegal_border_crossing",
                  Incident.status.in_(("validated", "closed")),
                  Incident.distribution == "national", Incident.tlp != "red"]
    if public:
        conditions += [Incident.distribution == "national",
                       Incident.tlp.in_(("clear", "green"))]
    with db.reader() as session:
        rows = session.execute(select(Incident.occurred_at, Incident.persons)
                               .where(*conditions)).all()
    return sum(p for at, p in rows if at.strftime("%Y-%m") == _last_month())


def _headline_count(html: str) -> int:
    found = re.search(r"<td class=\"name\">illegal border crossing</td><td class=\"unit\">"
                      r"[^<]*</td><td class=\"n\">([\d\u00a0]+)</td>", html)
    assert found, "no illegal border crossing row in the bulletin"
    return int(found.group(1).replace("\u00a0", ""))


def test_bulletin_figures_and_public_edition(analysis_demo: Database) -> None:
    restricted = _bulletin(analysis_demo, "restricted")
    public = _bulletin(analysis_demo, "public")
    assert _headline_count(restricted.html) == _counted(analysis_demo, public=False)
    assert _headline_count(public.html) == _counted(analysis_demo, public=True)
    assert _counted(analysis_demo, public=True) < _counted(analysis_demo, public=False)
    for html in (restricted.html, public.html):
        assert 'class="border-map"' in html and html.count("<svg") >= 4
        assert "Getis-Ord Gi*" in html and "80%" in html
    assert "TLP:CLEAR" in public.html and "TLP:AMBER" in restricted.html


def test_annual_and_section_analysis(analysis_demo: Database) -> None:
    year = str(utcnow().year - 1)
    with analysis_demo.reader() as session:
        analyst = security.principal_for(session, security.find_user(session, "ncc.analyst"))
        annual = products.build_product(session, analyst, kind="annual", period=year,
                                        edition="restricted", language="en")
        public = products.build_product(session, analyst, kind="annual", period=year,
                                        edition="public", language="en")
        tailored = products.build_product(session, analyst, kind="section",
                                          period=_last_month(), edition="restricted",
                                          section="KG-TJ Batken", language="en")
    for heading in ("1. Context", "2. Main risks", "3. Outlook", "4. Resources needed",
                    "5. Statistical annex"):
        assert heading in annual.html and heading in public.html
    # The checklist items stay out of the public edition.
    assert "Checklist items scored weak" in annual.html
    assert "Checklist items scored weak" not in public.html
    assert "KG-TJ Batken" in tailored.html and "Kyzyl-Bel" in tailored.html
    assert ciram.REACTIONS["critical"] in tailored.html


def _colour_share(image: Image.Image, rgb: tuple[int, int, int], tolerance: int = 30
                  ) -> float:
    pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    close = np.all(np.abs(pixels - np.array(rgb)) <= tolerance, axis=-1)
    return float(close.mean())


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed")
def test_bulletin_pdf_has_its_map_and_charts(analysis_demo: Database, tmp_path: Path,
                                             client: Any, as_user: Any) -> None:
    with analysis_demo.unit_of_work() as session:
        analyst = security.principal_for(session, security.find_user(session, "ncc.analyst"))
        audit.set_actor(session, security.actor_of(analyst))
        product = products.generate(session, analyst, kind="bulletin", period=_last_month())
        product_id = product.id
    response = client.get(f"/api/v1/analysis/products/{product_id}.pdf",
                          headers=as_user("ncc.analyst"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    # Another agency cannot read a restricted bulletin.
    assert client.get(f"/api/v1/analysis/products/{product_id}.pdf",
                      headers=as_user("customs.analyst")).status_code == 404
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=120)
    pages = [Image.open(p) for p in sorted(tmp_path.glob("page-*.png"))]
    assert len(pages) >= 2
    first = pages[0]
    # The map: the border drawn in the impact colours (teal low sections, the dark red critical
    # one), in the upper part of page one.
    top = first.crop((0, 0, first.width, first.height // 2))
    assert _colour_share(top, IMPACT_RGB["low"]) > 0.002
    assert _colour_share(top, IMPACT_RGB["critical"]) > 0.0003
    # The charts: section bars and the blue series line somewhere after the map.
    everything = [np.asarray(p.convert("RGB")) for p in pages]
    stacked = Image.fromarray(np.concatenate(everything, axis=0))
    assert _colour_share(stacked, BAR_RGB, 20) > 0.001
    assert _colour_share(stacked, LINE_RGB, 20) > 0.0002
    # A blank page would be all white: each page carries ink.
    assert all(float((np.asarray(p.convert("L")) < 200).mean()) > 0.01 for p in pages[:2])


@pytest.mark.parametrize(("kind", "period", "word"), [
    ("bulletin", "2026", "YYYY-MM"), ("annual", "2026-01", "YYYY"),
    ("bulletin", "0000-01", "1900"), ("annual", "9999", "1900")])
def test_product_periods_are_checked(kind: str, period: str, word: str) -> None:
    from chegara.errors import BadInput

    with pytest.raises(BadInput, match=word):
        products.window_for(kind, period)
    assert products.window_for("annual", "2025").label() == "2025-01 to 2025-12"
