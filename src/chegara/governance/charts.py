"""Charts for the governance dashboard and reports, drawn on the server as SVG.

The same approach as the risk analysis charts: matplotlib's object API with the SVG backend
and text kept as text, so a report opens and prints at a post with no internet and its
labels follow the reader's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chegara.charts import new_figure, svg_of

# Status colours shared by the pages (CSS) and the charts: done, on track, at risk, overdue.
DONE_COLOUR = "#2e7d32"
ON_TRACK_COLOUR = "#1565c0"
AT_RISK_COLOUR = "#f9a825"
OVERDUE_COLOUR = "#c62828"
WOMEN_COLOUR = "#8e24aa"
MEN_COLOUR = "#00897b"


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: Sequence[float]


def stacked_bars_svg(title: str, labels: Sequence[str], series: Sequence[Series], *,
                     width_in: float = 7.0) -> str:
    """Horizontal stacked bars, one row per label (an agency, an objective), in the order
    given, with the legend beneath."""
    fig = new_figure(width_in, 0.9 + 0.32 * max(len(labels), 1))
    ax = fig.add_subplot()
    rows = list(range(len(labels)))
    left = [0.0] * len(labels)
    for one in series:
        ax.barh(rows, list(one.values), left=left, color=one.colour, label=one.name,
                height=0.62)
        left = [a + float(b) for a, b in zip(left, one.values, strict=True)]
    ax.set_yticks(rows)
    ax.set_yticklabels([_shorten(label) for label in labels], fontsize=7)
    ax.invert_yaxis()
    ax.tick_params(axis="x", labelsize=7)
    ax.set_title(title, fontsize=9)
    ax.grid(alpha=0.3, axis="x")
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.08),
              ncol=len(series), frameon=False)
    fig.subplots_adjust(left=0.36, right=0.98, top=0.9 - 0.02 * (len(labels) < 4),
                        bottom=min(0.45, 0.9 / max(len(labels), 2) + 0.12))
    return svg_of(fig)


def _shorten(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
