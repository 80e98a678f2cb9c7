"""What the risk analysis and governance charts share: a figure of the asked size, written as
an SVG element to put inside a page, with its words kept as text."""

from __future__ import annotations

import re

from chegara.charts import new_figure, svg_of


def test_a_chart_is_an_svg_element_of_its_size_with_its_words_as_text() -> None:
    fig = new_figure(4.0, 2.0)
    fig.add_subplot().set_title("Задержания по участкам")
    svg = svg_of(fig)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert re.search(r'<svg[^>]* width="288pt" height="144pt"', svg)  # inches at 72 pt each
    assert re.search(r"<text[^>]*>Задержания по участкам</text>", svg)
