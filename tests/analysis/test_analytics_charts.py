"""The analytics page keeps the charts it drew, by content and language; the level badges
show the map's colours."""

from __future__ import annotations

import re
from pathlib import Path

from chegara.analysis.charts import IMPACT_STYLES, SeriesChart
from chegara.web.analysis_pages import analytics_chart


def _chart(last: float) -> SeriesChart:
    periods = [f"2025-{m:02d}" for m in range(1, 13)]
    return SeriesChart(title="KG-KZ: illegal border crossing", periods=periods,
                       counts=[10.0] * 11 + [last])


def test_the_same_chart_is_drawn_once_and_a_changed_one_again() -> None:
    first = analytics_chart(_chart(12.0), "en", str)
    assert first.lstrip().startswith("<svg")
    assert analytics_chart(_chart(12.0), "en", str) is first
    changed = analytics_chart(_chart(40.0), "en", str)
    assert changed is not first and changed != first


def test_each_language_gets_its_own_drawing() -> None:
    english = analytics_chart(_chart(13.0), "en", str)
    russian = analytics_chart(_chart(13.0), "ru", lambda word: f"[{word}]")
    assert russian is not english
    assert "[observed]" in russian and "[observed]" not in english


def test_level_badges_use_the_map_colours() -> None:
    # The badges in the web pages and in the printed products name the same levels the map
    # draws; a colour that drifted would make a badge and its section line disagree.
    src = Path(__file__).resolve().parents[2] / "src" / "chegara"
    for sheet, prefix in ((src / "web" / "static" / "chegara.css", "impact"),
                          (src / "analysis" / "templates" / "_product.html", "level")):
        text = sheet.read_text(encoding="utf-8")
        for level, (colour, _width, _dashes) in IMPACT_STYLES.items():
            found = re.search(rf"\.{prefix}\.{level} {{ ?background: ?(#[0-9a-f]{{6}})", text)
            assert found is not None, (sheet.name, level)
            assert found.group(1) == colour, (sheet.name, level)
