"""Charts and the map for pages and products, drawn on the server as SVG (no tiles, no CDN).

A border post has no internet, and a PDF must look the same wherever it is opened, so every
figure is an SVG made here: the map from the shipped section paths and crossing-point
coordinates, time-series charts with matplotlib's Agg/SVG backend, sparklines as a bare
polyline (matplotlib would cost more than the page for a 120x24 pixel line).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from chegara.charts import new_figure, svg_of

IMPACT_COLOURS: dict[str, str] = {
    "low": "#2e7d32", "medium": "#f9a825", "high": "#ef6c00", "critical": "#c62828",
}
_UNKNOWN_COLOUR = "#9e9e9e"
# The legend words of a series chart; callers pass a translator for the reader's language.
LEGEND_WORDS = ("observed", "trend", "80% interval", "forecast", "alarm")


def _as_is(text: str) -> str:
    return text


@dataclass(frozen=True)
class MapSection:
    code: str
    path: Sequence[tuple[float, float]]
    level: str
    label: str = ""


@dataclass(frozen=True)
class MapPoint:
    name: str
    lon: float
    lat: float
    active: bool = True


@dataclass(frozen=True)
class MapIncident:
    lon: float
    lat: float
    high: bool


class _Projection:
    """Equirectangular with the longitude shrunk by cos(mid-latitude): good enough at 40°N
    over 11° of longitude, and it keeps the code obvious."""

    def __init__(self, points: Sequence[tuple[float, float]], width: float, pad: float) -> None:
        lons = [p[0] for p in points]
        lats = [p[1] for p in points]
        self.lon0, self.lat1 = min(lons), max(lats)
        self.kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
        span_x = (max(lons) - self.lon0) * self.kx or 1.0
        self.scale = (width - 2 * pad) / span_x
        self.pad = pad
        self.height = (self.lat1 - min(lats)) * self.scale + 2 * pad

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (self.pad + (lon - self.lon0) * self.kx * self.scale,
                self.pad + (self.lat1 - lat) * self.scale)


def border_map_svg(sections: Sequence[MapSection], points: Sequence[MapPoint] = (),
                   incidents: Sequence[MapIncident] = (), *, width: int = 760,
                   title: str = "Border sections by impact level",
                   legend: Mapping[str, str] | None = None) -> str:
    """The state border as coloured section lines, crossing points and recent incidents."""
    every = [p for s in sections for p in s.path] + [(p.lon, p.lat) for p in points]
    if not every:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'
    proj = _Projection(every, width, 40.0)
    height = int(proj.height + 30)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="border-map" role="img" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f"<title>{escape(title)}</title>",
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f4f1ea"/>']
    ring = [proj.xy(*p) for s in sections for p in s.path]
    out.append('<polygon fill="#fffdf7" stroke="none" points="'
               + " ".join(f"{x:.1f},{y:.1f}" for x, y in ring) + '"/>')
    for section in sections:
        colour = IMPACT_COLOURS.get(section.level, _UNKNOWN_COLOUR)
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in (proj.xy(*p) for p in section.path))
        out.append(f'<polyline class="section level-{escape(section.level)}" '
                   f'data-section="{escape(section.code)}" fill="none" stroke="{colour}" '
                   f'stroke-width="7" stroke-linecap="round" points="{coords}">'
                   f"<title>{escape(section.code)}: {escape(section.level)}</title></polyline>")
        mid = section.path[len(section.path) // 2]
        x, y = proj.xy(*mid)
        out.append(f'<text x="{x:.1f}" y="{y - 9:.1f}" font-size="10" font-family="sans-serif" '
                   f'text-anchor="middle" fill="#333">{escape(section.label or section.code)}'
                   "</text>")
    for incident in incidents:
        x, y = proj.xy(incident.lon, incident.lat)
        radius, colour = (4.0, "#b71c1c") if incident.high else (2.5, "#5d4037")
        out.append(f'<circle class="incident" cx="{x:.1f}" cy="{y:.1f}" r="{radius}" '
                   f'fill="{colour}" fill-opacity="0.7"/>')
    for point in points:
        x, y = proj.xy(point.lon, point.lat)
        fill = "#1a237e" if point.active else "#ffffff"
        out.append(f'<rect class="crossing-point" x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" '
                   f'height="7" fill="{fill}" stroke="#1a237e" stroke-width="1.2">'
                   f"<title>{escape(point.name)}</title></rect>")
        out.append(f'<text x="{x + 6:.1f}" y="{y + 12:.1f}" font-size="9" '
                   f'font-family="sans-serif" fill="#1a237e">{escape(point.name)}</text>')
    labels = legend or {level: level for level in IMPACT_COLOURS}
    for i, (level, colour) in enumerate(IMPACT_COLOURS.items()):
        x = 12 + i * 110
        out.append(f'<rect x="{x}" y="{height - 22}" width="18" height="8" fill="{colour}"/>'
                   f'<text x="{x + 24}" y="{height - 14}" font-size="11" '
                   f'font-family="sans-serif">{escape(labels.get(level, level))}</text>')
    out.append("</svg>")
    return "".join(out)


def sparkline_svg(values: Sequence[float], *, width: int = 120, height: int = 24,
                  alarm_last: bool = False) -> str:
    """A tiny line of the recent months; the last point red when it raised an alarm."""
    if len(values) < 2:
        return f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"></svg>'
    top = max(values) or 1.0
    step = (width - 4) / (len(values) - 1)
    coords = [(2 + i * step, height - 2 - (v / top) * (height - 4)) for i, v in enumerate(values)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    last_x, last_y = coords[-1]
    dot = "#c62828" if alarm_last else "#1565c0"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}">'
            f'<polyline fill="none" stroke="#1565c0" stroke-width="1.3" points="{line}"/>'
            f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.2" fill="{dot}"/></svg>')


@dataclass(frozen=True)
class SeriesChart:
    """One monthly series with its optional forecast band and alarm months."""

    title: str
    periods: Sequence[str]
    counts: Sequence[float]
    trend: Sequence[float] | None = None
    forecast_periods: Sequence[str] = ()
    forecast: Sequence[float] = ()
    lower80: Sequence[float] = ()
    upper80: Sequence[float] = ()
    alarms: Sequence[str] = ()
    note: str = ""


def series_chart_svg(chart: SeriesChart, *, width_in: float = 7.0, height_in: float = 2.6,
                     translate: Callable[[str], str] = _as_is) -> str:
    """Observed counts, STL trend, alarms and the 80% forecast band, as inline SVG; the legend
    in the language of ``translate`` (the title comes translated from the caller)."""
    positions = {p: i for i, p in enumerate([*chart.periods, *chart.forecast_periods])}
    fig = new_figure(width_in, height_in)
    ax = fig.add_subplot()
    xs = [positions[p] for p in chart.periods]
    ax.plot(xs, chart.counts, color="#1565c0", linewidth=1.2, label=translate("observed"))
    if chart.trend is not None:
        ax.plot(xs, chart.trend, color="#455a64", linewidth=1.0, linestyle="--",
                label=translate("trend"))
    if chart.forecast_periods:
        fx = [positions[p] for p in chart.forecast_periods]
        ax.fill_between(fx, chart.lower80, chart.upper80, color="#90caf9", alpha=0.6,
                        label=translate("80% interval"))
        ax.plot(fx, chart.forecast, color="#0d47a1", linewidth=1.2, linestyle=":",
                label=translate("forecast"))
    alarm_x = [positions[p] for p in chart.alarms if p in positions]
    if alarm_x:
        ax.scatter(alarm_x, [chart.counts[positions[p]] for p in chart.alarms
                             if p in positions and positions[p] < len(chart.counts)],
                   color="#c62828", zorder=3, s=18, label=translate("alarm"))
    labels = [*chart.periods, *chart.forecast_periods]
    ticks = list(range(0, len(labels), max(1, len(labels) // 8)))
    ax.set_xticks(ticks)
    ax.set_xticklabels([labels[i] for i in ticks], fontsize=7, rotation=30)
    ax.tick_params(axis="y", labelsize=7)
    ax.set_title(chart.title, fontsize=9)
    ax.legend(fontsize=6, loc="upper left", frameon=False, ncol=5)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    if chart.note:
        fig.text(0.01, 0.01, chart.note, fontsize=6, color="#555")
    fig.subplots_adjust(left=0.07, right=0.99, top=0.88, bottom=0.27)
    return svg_of(fig)


def bar_chart_svg(title: str, values: Mapping[str, float], *, width_in: float = 7.0,
                  height_in: float = 2.4) -> str:
    """Horizontal bars (e.g. detections by section this month)."""
    names = list(values)
    fig = new_figure(width_in, height_in)
    ax = fig.add_subplot()
    ax.barh(names, [values[n] for n in names], color="#5c6bc0")
    ax.invert_yaxis()
    ax.tick_params(labelsize=7)
    ax.set_title(title, fontsize=9)
    ax.grid(alpha=0.3, axis="x")
    fig.subplots_adjust(left=0.2, right=0.98, top=0.88, bottom=0.12)
    return svg_of(fig)
