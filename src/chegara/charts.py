"""What every matplotlib chart of the pages and products shares: a figure of a given size and
its SVG with the text kept as text.

Risk analysis and governance draw their charts alike so that a report opens and prints at a
post with no internet and its labels stay in the reader's language and searchable.
"""

from __future__ import annotations

import io
from typing import Any


def new_figure(width_in: float, height_in: float) -> Any:
    """An empty figure of the given size in inches, at screen resolution."""
    # The object-oriented API, not pyplot: no global figure registry to leak from a
    # long-running server, and importing pyplot alone costs seconds.
    from matplotlib.figure import Figure

    return Figure(figsize=(width_in, height_in), dpi=96)


def svg_of(fig: Any) -> str:
    """The figure as an ``<svg>`` element to put inside HTML (no XML prologue or DOCTYPE)."""
    import matplotlib

    buffer = io.StringIO()
    # Text as <text>, not glyph outlines: a quarter of the size, and quicker to print.
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg")
    text = buffer.getvalue()
    start = text.find("<svg")
    return text[start:] if start >= 0 else text
