"""What a reader of a printed product relies on: the distribution marking and the page number
on every page, Russian pages free of leftover English, figures in the reader's number format,
and a map with its north arrow, scale bar, full legend and names that do not print over each
other."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import pytest

from chegara.analysis import charts, products
from chegara.analysis.countsfile import period_label
from chegara.db.base import utcnow
from chegara.db.session import Database
from chegara.pdf import html_to_pdf
from chegara.security import service as security
from chegara.web.i18n import catalogue

RU = catalogue("ru")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="pdftotext is not installed")
# Words a Russian page must not show in English: headings, legends, units, levels, findings,
# method words, and the Latin names of the sections.
ENGLISH_LEFTOVERS = ("observed", "trend", "forecast", "interval", "page", "Figure", "Period",
                     "Section", "Indicator", "persons", "cases", "low", "medium", "high",
                     "critical", "none", "significant", "summed", "bounds", "median",
                     "combination", "conformal", "robust", "Pearson", "Farrington", "adjacency",
                     "Talas", "Chui", "Batken", "Osh", "Naryn", "Jalal", "Issyk", "km")


def _last_month() -> str:
    now = utcnow()
    return period_label(now.year * 12 + now.month - 2)


def _pages(db: Database, tmp_path: Path, *, kind: str, period: str, edition: str,
           language: str, section: str | None = None) -> list[str]:
    """The product printed to PDF, as the text of each page."""
    with db.reader() as session:
        analyst = security.principal_for(session, security.find_user(session, "ncc.analyst"))
        built = products.build_product(session, analyst, kind=kind, period=period,
                                       edition=edition, section=section, language=language)
    pdf = tmp_path / f"{kind}-{edition}-{language}.pdf"
    pdf.write_bytes(html_to_pdf(built.html))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, timeout=120,
                          capture_output=True, text=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@needs_poppler
@pytest.mark.parametrize(("kind", "period", "edition", "language"), [
    ("bulletin", "last month", "restricted", "ru"),
    ("annual", "last year", "public", "en")])
def test_every_page_carries_the_marking_and_its_number(
        analysis_demo: Database, tmp_path: Path, kind: str, period: str, edition: str,
        language: str) -> None:
    when = _last_month() if period == "last month" else str(utcnow().year - 1)
    pages = _pages(analysis_demo, tmp_path, kind=kind, period=when, edition=edition,
                   language=language)
    assert len(pages) >= 3
    marking = products.MARKINGS[edition]
    if language == "ru":
        marking = RU[marking]
    page, of = ("стр.", "из") if language == "ru" else ("page", "of")
    for number, text in enumerate(pages, start=1):
        flat = _squeezed(text)
        # In the header and again in the footer of each page.
        assert flat.count(marking) >= 2, f"page {number} lacks the marking {marking!r}"
        assert f"{page} {number} {of} {len(pages)}" in flat, f"page {number} is unnumbered"


@needs_poppler
def test_the_annual_analysis_opens_with_contents_that_give_pages(
        analysis_demo: Database, tmp_path: Path) -> None:
    pages = _pages(analysis_demo, tmp_path, kind="annual", period=str(utcnow().year - 1),
                   edition="restricted", language="en")
    first = pages[0]
    assert "Contents" in first
    for heading in ("2. Main risks", "5. Statistical annex", "Methods"):
        listed = re.search(rf"{re.escape(heading)}\s*\.+\s*(\d+)", first)
        assert listed, f"{heading} is not in the contents with a page"
        page = int(listed.group(1))
        assert heading in pages[page - 1], f"{heading} is not on page {page}"


@needs_poppler
@pytest.mark.parametrize("kind", ["bulletin", "section"])
def test_russian_pages_have_no_leftover_english(analysis_demo: Database, tmp_path: Path,
                                                kind: str) -> None:
    pages = _pages(analysis_demo, tmp_path, kind=kind, period=_last_month(),
                   edition="restricted", language="ru",
                   section="KG-TJ Batken" if kind == "section" else None)
    text = "\n".join(pages)
    if kind == "section":
        # The heading gives the section's code beside its Russian name, on purpose.
        text = text.replace("KG-TJ Batken", "")
    found = sorted({word for word in ENGLISH_LEFTOVERS
                    if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)})
    assert not found, f"English left on the Russian {kind}: {found}"
    assert "Рисунок 1." in text and "Метод:" in text


def test_figures_follow_the_readers_number_format() -> None:
    assert products.format_number(1234567, "en") == "1\u00a0234\u00a0567"
    assert products.format_number(5.14, "en") == "5.1"
    assert products.format_number(5.14, "ru") == "5,1"
    assert products.format_number(-0.8, "ru", 2) == "\u22120,80"
    assert products.format_number(12.0, "ru") == "12"
    assert products.format_number(None, "ru") == "–"


def _shipped_map(language: str = "en") -> str:
    geography = json.loads((resources.files("chegara.analysis") / "data"
                            / "kg_geography.json").read_text(encoding="utf-8"))
    name = "name_ru" if language == "ru" else "name"
    countries = {c["code"]: c[name] for c in geography["countries"]}
    # Every level on the way round, so the widest line (critical) lies near names too.
    levels = list(charts.IMPACT_STYLES)
    sections = [charts.MapSection(s["code"], [tuple(p) for p in s["path"]], levels[i % 4],
                                  (s["name_ru"] if language == "ru" else s["code"]
                                   ).split("-", 1)[-1], countries[s["neighbour"]])
                for i, s in enumerate(geography["sections"])]
    points = [charts.MapPoint(p[name], p["lon"], p["lat"]) for p in
              geography["crossing_points"]]
    return charts.border_map_svg(sections, points, highlight=sections[0].code,
                                 words={word: word for word in charts.MAP_WORDS})


def test_the_map_has_north_scale_legend_and_neighbours() -> None:
    svg = _shipped_map()
    assert 'class="north-arrow"' in svg and 'class="scale-bar"' in svg
    assert re.search(r">\d+ km</text>", svg)
    for word in ("crossing point", "closed crossing point", "critical", "low"):
        assert f">{word}</text>" in svg
    # The legend shows each level as the line the map draws, not as a colour patch.
    for level, style in charts.IMPACT_STYLES.items():
        sample = re.search(rf'data-level="{level}">(.*?)</g>', svg)
        assert sample and f'stroke="{style.colour}"' in sample.group(1)
        assert f'stroke-dasharray="{style.dashes or "none"}"' in sample.group(1)
    for country in ("KAZAKHSTAN", "CHINA", "TAJIKISTAN", "UZBEKISTAN"):
        assert f">{country}</text>" in svg
    assert 'class="highlight"' in svg


@pytest.mark.parametrize("language", ["en", "ru"])
def test_no_name_on_the_shipped_map_prints_over_another(language: str) -> None:
    svg = _shipped_map(language)
    names = re.findall(r'<text class="(section-label|point-label|country)" x="([\d.]+)" '
                       r'y="([\d.]+)" font-size="(\d+)"[^>]*?text-anchor="(\w+)"[^>]*>([^<]+)<',
                       svg)
    assert len(names) == svg.count("<text class=") - svg.count('<text class="halo"')
    boxes = []
    for _kind, x, y, size, anchor, text in names:
        # DejaVu Sans letters average well under 0.6 of the font size, capitals 0.7.
        width = len(text) * float(size) * (0.7 if text.isupper() else 0.55)
        left = float(x) - {"start": 0, "middle": width / 2, "end": width}[anchor]
        boxes.append((text, left, float(y) - float(size), left + width, float(y)))
    for i, (text, x0, y0, x1, y1) in enumerate(boxes):
        for other, u0, v0, u1, v1 in boxes[i + 1:]:
            assert x1 <= u0 or u1 <= x0 or y1 <= v0 or v1 <= y0, f"{text} covers {other}"


def test_crossing_point_names_do_not_print_over_each_other() -> None:
    # Three points a few pixels apart on a square border, as Ak-Jol, Kordai and Ak-Tilek are.
    ring = [(0.0, 0.0), (400.0, 0.0), (400.0, 300.0), (0.0, 300.0)]
    anchors = [(200.0, 0.0, "Ak-Jol"), (206.0, 0.0, "Kordai"), (212.0, 0.0, "Ak-Tilek"),
               (0.0, 150.0, "Kerben")]
    placed = [box for *_, box in charts.place_point_labels(anchors, ring, 9)]
    for i, box in enumerate(placed):
        assert box.y0 > 0 and box.y1 < 300 and box.x0 > 0 and box.x1 < 400, "name outside"
        assert not any(box.overlaps(other) for other in placed[i + 1:])
