"""HTML reports printed to PDF with nothing fetched from outside: they run with no internet."""

from __future__ import annotations

from typing import Any


def html_to_pdf(html: str) -> bytes:
    """The page as PDF; everything it needs is inline, so any URL it names is refused."""
    from weasyprint import HTML

    def no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError(f"reports are self-contained; refusing to fetch {url}")

    pdf: bytes = HTML(string=html, url_fetcher=no_fetch).write_pdf()
    return pdf
