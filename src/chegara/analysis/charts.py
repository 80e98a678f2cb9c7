"""Charts and the map for pages and products, drawn on the server as SVG (no tiles, no CDN).

A border post has no internet, and a PDF must look the same wherever it is opened, so every
figure is an SVG made here: the map from the shipped section paths and crossing-point
coordinates (one map for the situational picture and the printed products), time-series charts
with matplotlib's Agg/SVG backend, sparklines as a bare polyline (matplotlib would cost more
than the page for a 120x24 pixel line).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import NamedTuple

from chegara.charts import new_figure, svg_of


class LevelStyle(NamedTuple):
    colour: str
    width: float
    dashes: str  # an SVG dash array; empty for a solid line


# How the map and its legends show each impact level, lowest first (the level badges,
# chegara.css ``.impact``, repeat these colours). Each level has its own colour *and* its own
# line, so the four stay apart for colour-blind readers and in greyscale: the colours differ
# in lightness as well as hue (checked under simulated deuteranopia, protanopia and
# tritanopia), and a dark casing under every line keeps the light "medium" yellow visible on
# the pale background.
IMPACT_STYLES: dict[str, LevelStyle] = {
    "low": LevelStyle("#00796b", 4.0, ""),
    "medium": LevelStyle("#f9c22e", 6.0, "12 6"),
    "high": LevelStyle("#e8590c", 7.0, "4 5"),
    "critical": LevelStyle("#6d0019", 10.0, ""),
}
_UNKNOWN_STYLE = LevelStyle("#9e9e9e", 4.0, "1 6")
_CASING = "#263238"
_CASING_EXTRA = 2.5
# Half the widest cased line: how far a name must stay from the border line's centre.
_LINE_MARGIN = (max(s.width for s in IMPACT_STYLES.values()) + _CASING_EXTRA) / 2
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
    country: str = ""


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

    @property
    def pixels_per_km(self) -> float:
        # One degree of latitude is 111.32 km; x is scaled the same after the cos shrink.
        return self.scale / 111.32


# Words a map shows besides names; callers pass them in the reader's language.
MAP_WORDS = ("N", "km", "crossing point", "closed crossing point")
_CHAR_WIDTH = 0.6  # of the font size: DejaVu Sans, the font of the products, runs wide


Point = tuple[float, float]


@dataclass(frozen=True)
class LabelBox:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: LabelBox) -> bool:
        return not (self.x1 <= other.x0 or other.x1 <= self.x0
                    or self.y1 <= other.y0 or other.y1 <= self.y0)

    def holds_any(self, points: Sequence[Point], margin: float = _LINE_MARGIN) -> bool:
        """Does a point of the border line (as wide as the widest cased level) fall on it?"""
        return any(self.x0 - margin <= x <= self.x1 + margin
                   and self.y0 - margin <= y <= self.y1 + margin for x, y in points)


def _text_box(x: float, y: float, text: str, size: float, anchor: str) -> LabelBox:
    width = len(text) * size * _CHAR_WIDTH
    left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    # A space's width either side: Cyrillic capitals such as Ж run wider than the average.
    gap = 0.3 * size
    return LabelBox(left - gap, y - size, left + width + gap, y + 0.25 * size)


def _inside(x: float, y: float, ring: Sequence[Point]) -> bool:
    """Even-odd rule: is the point inside the polygon the ring draws?"""
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _outward(a: Point, b: Point, ring: Sequence[Point]) -> Point:
    """The unit normal of segment a-b that points out of the ring (away from the country),
    so names can be set beside the line on a known side even where the border turns in."""
    length = math.hypot(b[0] - a[0], b[1] - a[1]) or 1.0
    nx, ny = -(b[1] - a[1]) / length, (b[0] - a[0]) / length
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    return (-nx, -ny) if _inside(mx + 3 * nx, my + 3 * ny, ring) else (nx, ny)


def _nearest_segment(x: float, y: float, ring: Sequence[Point]) -> tuple[Point, Point]:
    def distance(pair: tuple[Point, Point]) -> float:
        (x0, y0), (x1, y1) = pair
        dx, dy = x1 - x0, y1 - y0
        t = max(0.0, min(1.0, ((x - x0) * dx + (y - y0) * dy) / ((dx * dx + dy * dy) or 1.0)))
        return math.hypot(x - x0 - t * dx, y - y0 - t * dy)

    return min(zip(ring, [*ring[1:], ring[0]], strict=True), key=distance)


def _anchor(dx: float) -> str:
    return "start" if dx > 0.35 else "end" if dx < -0.35 else "middle"


def _along(ring: Sequence[Point], every: float = 3.0) -> list[Point]:
    """Points every few pixels along the closed ring, to keep names off the line."""
    out = []
    for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
        steps = max(1, int(math.hypot(x1 - x0, y1 - y0) / every))
        out += [(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps) for i in range(steps)]
    return out


def place_point_labels(anchors: Sequence[tuple[float, float, str]], ring: Sequence[Point],
                       size: float, taken: Sequence[LabelBox] = ()) -> list[
                           tuple[float, float, str, LabelBox]]:
    """Crossing-point names on the inner side of the border line, as near their point as they
    can be set without covering the line, another point or a name already placed (points a
    few kilometres apart would otherwise print over each other)."""
    marks = [LabelBox(x - 5, y - 5, x + 5, y + 5) for x, y, _ in anchors]
    placed: list[LabelBox] = [*taken, *marks]
    line = _along(ring)
    out = []
    for x, y, text in anchors:
        nx, ny = _outward(*_nearest_segment(x, y, ring), ring)
        ix, iy, anchor = -nx, -ny, _anchor(-nx)
        lift = 0.35 * size + (0.5 * size if iy > 0.5 else 0) - (0.4 * size if iy < -0.5 else 0)
        spots = sorted(((d, s) for d in (9, 15, 22, 30, 40) for s in (0, 12, -12, 24, -24)),
                       key=lambda spot: spot[0] + abs(spot[1]))
        boxes = [_text_box(x + d * ix - s * iy, y + d * iy + s * ix + lift, text, size, anchor)
                 for d, s in spots]
        free = [b for b in boxes if not any(b.overlaps(other) for other in placed)]
        box = next((b for b in free if _within(b, ring) and not b.holds_any(line)),
                   free[0] if free else boxes[0])
        placed.append(box)
        base_x = box.x0 if anchor == "start" else box.x1 if anchor == "end" else (
            box.x0 + box.x1) / 2
        out.append((base_x, box.y1 - 0.25 * size, anchor, box))
    return out


def _within(box: LabelBox, ring: Sequence[Point]) -> bool:
    return all(_inside(x, y, ring) for x in (box.x0, box.x1) for y in (box.y0, box.y1))


def _north_and_scale(proj: _Projection, width: int, words: Mapping[str, str]) -> list[str]:
    x, y = width - 24, 14
    out = [f'<g class="north-arrow"><polygon points="{x},{y} {x - 6},{y + 18} {x},{y + 13} '
           f'{x + 6},{y + 18}" fill="#333"/><text x="{x}" y="{y + 30}" font-size="10" '
           f'font-family="DejaVu Sans, sans-serif" text-anchor="middle" fill="#333">'
           f'{escape(words.get("N", "N"))}</text></g>']
    per_km = proj.pixels_per_km
    km = next((k for k in (500, 200, 100, 50, 20, 10) if k * per_km <= width / 5), 10)
    length = km * per_km
    # Top left: the corner the border leaves free, away from the legend row.
    x0, y1 = 16.0, 16
    x1 = x0 + length
    out.append(f'<g class="scale-bar"><rect x="{x0:.1f}" y="{y1}" width="{length / 2:.1f}" '
               f'height="4" fill="#333"/><rect x="{x0 + length / 2:.1f}" y="{y1}" '
               f'width="{length / 2:.1f}" height="4" fill="#fff" stroke="#333" '
               f'stroke-width="0.8"/><text x="{x0:.1f}" y="{y1 + 14}" font-size="9" '
               f'font-family="DejaVu Sans, sans-serif" text-anchor="start">0</text>'
               f'<text x="{x1:.1f}" y="{y1 + 14}" font-size="9" '
               f'font-family="DejaVu Sans, sans-serif" text-anchor="end">{km} '
               f'{escape(words.get("km", "km"))}</text></g>')
    return out


_FONT = 'font-family="DejaVu Sans, sans-serif"'


def _coords(points: Sequence[Point]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _casing(coords: str, style: LevelStyle) -> str:
    return (f'<polyline class="casing" fill="none" stroke="{_CASING}" '
            f'stroke-width="{style.width + _CASING_EXTRA}" stroke-linejoin="round" '
            f'points="{coords}"/>')


def _level_line(coords: str, style: LevelStyle, attributes: str = "", tip: str = "") -> str:
    """A line in a level's colour, width and dashes (drawn over its casing)."""
    inner = f"<title>{escape(tip)}</title>" if tip else ""
    return (f'<polyline{attributes} fill="none" stroke="{style.colour}" '
            f'stroke-width="{style.width}" stroke-linejoin="round" '
            f'stroke-dasharray="{style.dashes or "none"}" points="{coords}">{inner}</polyline>')


def _style(level: str) -> LevelStyle:
    return IMPACT_STYLES.get(level, _UNKNOWN_STYLE)


def level_sample_svg(level: str, *, width: int = 34) -> str:
    """A short piece of a section line, as the map draws it, for a legend beside the map."""
    style = _style(level)
    coords = f"3,7 {width - 3},7"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="level-sample" width="{width}" '
            f'height="14" viewBox="0 0 {width} 14" aria-hidden="true">'
            f"{_casing(coords, style)}{_level_line(coords, style)}</svg>")


def border_map_svg(sections: Sequence[MapSection], points: Sequence[MapPoint] = (),
                   incidents: Sequence[MapIncident] = (), *, width: int = 760,
                   title: str = "Border sections by impact level",
                   legend: Mapping[str, str] | None = None,
                   words: Mapping[str, str] | None = None,
                   highlight: str | None = None, legend_in_map: bool = True) -> str:
    """The state border as section lines styled by impact level, crossing points and recent
    incidents, with the neighbouring countries, a north arrow and a scale bar. ``legend`` names
    the levels (in the map's own legend row, and in each line's tooltip); a page that sets its
    legend beside the map passes ``legend_in_map=False``. ``highlight`` outlines one section
    (the subject of a tailored analysis)."""
    every = [p for s in sections for p in s.path] + [(p.lon, p.lat) for p in points]
    if not every:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'
    words = words or {}
    labels = legend or {level: level for level in IMPACT_STYLES}
    proj = _Projection(every, width, 64.0)
    height = int(proj.height + (24 if legend_in_map else 0))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="border-map" role="img" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f"<title>{escape(title)}</title>",
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="#f4f1ea"/>']
    ring = [proj.xy(*p) for s in sections for p in s.path]
    out.append(f'<polygon fill="#fffdf7" stroke="none" points="{_coords(ring)}"/>')
    out += _section_lines(sections, proj, labels, highlight)
    names, taken = _section_labels(sections, proj, ring, highlight)
    out += names
    for incident in incidents:
        x, y = proj.xy(incident.lon, incident.lat)
        radius, fill = (4.5, "#000000") if incident.high else (2.8, "#6d4c41")
        out.append(f'<circle class="incident{" high" if incident.high else ""}" '
                   f'cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{fill}" fill-opacity="0.8" '
                   'stroke="#ffffff" stroke-width="1"/>')
    marks = [(*proj.xy(p.lon, p.lat), p.name) for p in points]
    named = place_point_labels(marks, ring, 9, taken)
    for point, (x, y, _), (lx, ly, anchor, _box) in zip(points, marks, named, strict=True):
        fill = "#1a237e" if point.active else "#ffffff"
        out.append(f'<rect class="crossing-point" x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" '
                   f'height="8" fill="{fill}" stroke="#1a237e" stroke-width="1.4">'
                   f"<title>{escape(point.name)}</title></rect>")
        out.append(f'<text class="point-label" x="{lx:.1f}" y="{ly:.1f}" font-size="9" {_FONT} '
                   f'text-anchor="{anchor}" fill="#1a237e">{escape(point.name)}</text>')
    out += _country_labels(sections, proj, ring, (width, int(proj.height)),
                           [*taken, *(box for *_, box in named)])
    if legend_in_map:
        out += _legend(height, labels, words)
    out += _north_and_scale(proj, width, words)
    out.append("</svg>")
    return "".join(out)


def _section_lines(sections: Sequence[MapSection], proj: _Projection,
                   labels: Mapping[str, str], highlight: str | None) -> list[str]:
    """Every casing before any line, so no section's casing cuts into its neighbour's line."""
    coords = {s.code: _coords([proj.xy(*p) for p in s.path]) for s in sections}
    out = [f'<polyline class="highlight" fill="none" stroke="#111" stroke-opacity="0.3" '
           f'stroke-width="{_style(s.level).width + 14}" stroke-linecap="round" '
           f'stroke-linejoin="round" points="{coords[s.code]}"/>'
           for s in sections if s.code == highlight]
    out += [_casing(coords[s.code], _style(s.level)) for s in sections]
    out += [_level_line(coords[s.code], _style(s.level),
                        f' class="section level-{escape(s.level)}" '
                        f'data-section="{escape(s.code)}"',
                        f"{s.code}: {labels.get(s.level, s.level)}") for s in sections]
    return out


def _section_labels(sections: Sequence[MapSection], proj: _Projection, ring: Sequence[Point],
                    highlight: str | None) -> tuple[list[str], list[LabelBox]]:
    """Each section's name on the outer side of its line, beside its middle where that is
    free, else beside another stretch of the same line, moved out until it clears the line
    and the names already set."""
    out: list[str] = []
    taken: list[LabelBox] = []
    line = _along(ring)
    for section in sections:
        label = section.label or section.code
        spots = []
        for a, b in _segments_from_middle(section, proj):
            dx, dy = _outward(a, b, ring)
            spots += [((a[0] + b[0]) / 2 + d * dx, (a[1] + b[1]) / 2 + d * dy + 3.5 + 3 * dy,
                       _anchor(dx)) for d in range(12, 40, 4)]
        boxes = [_text_box(x, y, label, 10, anchor) for x, y, anchor in spots]
        clear = [(spot, box) for spot, box in zip(spots, boxes, strict=True)
                 if not box.holds_any(line)] or list(zip(spots, boxes, strict=True))
        (lx, ly, anchor), box = next(
            ((spot, box) for spot, box in clear
             if not any(box.overlaps(other) for other in taken)), clear[0])
        taken.append(box)
        weight = ' font-weight="bold"' if section.code == highlight else ""
        out.append(f'<text class="section-label" x="{lx:.1f}" y="{ly:.1f}" font-size="10" '
                   f'{_FONT}{weight} text-anchor="{anchor}" fill="#333">{escape(label)}</text>')
    return out, taken


def _segments_from_middle(section: MapSection, proj: _Projection) -> list[tuple[Point, Point]]:
    middle = _middle_segment(section, proj)
    points = [proj.xy(*p) for p in section.path]
    others = list(itertools.pairwise(points))
    centre = len(others) / 2
    return [middle, *sorted((s for s in others if s != middle),
                            key=lambda s: abs(others.index(s) + 0.5 - centre))]


def _middle_segment(section: MapSection, proj: _Projection) -> tuple[Point, Point]:
    points = [proj.xy(*p) for p in section.path]
    if len(points) < 2:
        return points[0], (points[0][0] + 1, points[0][1])
    i = max(0, len(points) // 2 - 1) if len(points) % 2 == 0 else len(points) // 2
    return points[i], points[min(i + 1, len(points) - 1)]


def _country_labels(sections: Sequence[MapSection], proj: _Projection, ring: Sequence[Point],
                    size: tuple[int, int], taken: Sequence[LabelBox]) -> list[str]:
    """Each neighbouring country's name beyond the middle of its stretch of border, clear of
    the names already on the map; ``size`` is the map's, without the legend row."""
    width, height = size
    line = _along(ring)
    out = []
    for country in dict.fromkeys(s.country for s in sections if s.country):
        mine = [s for s in sections if s.country == country]
        normals = [_outward(*_middle_segment(s, proj), ring) for s in mine]
        middles = [_middle_segment(s, proj) for s in mine]
        x = sum((a[0] + b[0]) / 2 for a, b in middles) / len(middles)
        y = sum((a[1] + b[1]) / 2 for a, b in middles) / len(middles)
        nx, ny = sum(n[0] for n in normals), sum(n[1] for n in normals)
        norm = math.hypot(nx, ny) or 1.0
        dx, dy = nx / norm, ny / norm
        # Capitals with letter spacing run wider than the average letter of the font size.
        half = len(country) * 14 * _CHAR_WIDTH / 2 + 4
        spots = [(min(max(x + d * dx, half), width - half - 40), min(max(y + d * dy, 16),
                                                                      height - 10))
                 for d in range(40, 130, 8)]
        boxes = [_text_box(cx, cy, country, 14, "middle") for cx, cy in spots]
        clear = [spot for spot, box in zip(spots, boxes, strict=True)
                 if not box.holds_any(line)] or spots
        cx, cy = next((spot for spot, box in zip(spots, boxes, strict=True)
                       if spot in clear and not any(box.overlaps(other) for other in taken)),
                      clear[0])
        out.append(f'<text class="country" x="{cx:.1f}" y="{cy:.1f}" font-size="11" {_FONT} '
                   f'text-anchor="middle" fill="#8d8672" letter-spacing="1">'
                   f"{escape(country.upper())}</text>")
    return out


def _legend(height: int, labels: Mapping[str, str], words: Mapping[str, str]) -> list[str]:
    out = []
    x = 12.0
    y = height - 18
    for level, style in IMPACT_STYLES.items():
        text = labels.get(level, level)
        coords = f"{x:.0f},{y} {x + 26:.0f},{y}"
        out.append(f'<g class="legend-level" data-level="{escape(level)}">'
                   f"{_casing(coords, style)}{_level_line(coords, style)}"
                   f'<text x="{x + 32:.0f}" y="{height - 14}" font-size="11" {_FONT}>'
                   f"{escape(text)}</text></g>")
        x += 32 + len(text) * 11 * _CHAR_WIDTH + 16
    # Only a caller that passed the words in the reader's language gets the point symbols
    # explained: English words on a Russian page would be worse than none.
    for fill, word in (("#1a237e", words.get("crossing point")),
                       ("#ffffff", words.get("closed crossing point"))):
        if word is None:
            continue
        out.append(f'<rect x="{x:.0f}" y="{height - 23}" width="9" height="9" fill="{fill}" '
                   f'stroke="#1a237e" stroke-width="1.2"/><text x="{x + 15:.0f}" '
                   f'y="{height - 14}" font-size="11" {_FONT}>{escape(word)}</text>')
        x += 15 + len(word) * 11 * _CHAR_WIDTH + 16
    return out


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
    unit: str = ""


def _calendar_ticks(labels: Sequence[str]) -> list[int]:
    """January and July of each year (``YYYY-MM`` labels), so the same months carry a tick on
    every chart; every sixth month for labels of another form."""
    ticks = [i for i, label in enumerate(labels) if label[4:] in ("-01", "-07")]
    return ticks or list(range(0, len(labels), 6))


def series_chart_svg(chart: SeriesChart, *, width_in: float = 7.0, height_in: float = 2.6,
                     translate: Callable[[str], str] = _as_is) -> str:
    """Observed counts, STL trend, alarms and the 80% forecast band, as inline SVG; the legend
    in the language of ``translate`` (the title comes translated from the caller). The legend
    sits under the plot so it never hides a month."""
    from matplotlib.ticker import MaxNLocator

    positions = {p: i for i, p in enumerate([*chart.periods, *chart.forecast_periods])}
    fig = new_figure(width_in, height_in)
    ax = fig.add_subplot()
    xs = [positions[p] for p in chart.periods]
    ax.plot(xs, chart.counts, color="#1565c0", linewidth=1.2, label=translate("observed"))
    if chart.trend is not None:
        ax.plot(xs, chart.trend, color="#455a64", linewidth=1.0, linestyle="--",
                label=translate("trend"))
    if chart.forecast_periods and xs:
        # Band and line start at the last observed month so the forecast reads as its sequel.
        last_x, last = xs[-1], chart.counts[-1]
        fx = [last_x, *(positions[p] for p in chart.forecast_periods)]
        ax.fill_between(fx, [last, *chart.lower80], [last, *chart.upper80], color="#90caf9",
                        alpha=0.6, linewidth=0, label=translate("80% interval"))
        ax.plot(fx, [last, *chart.forecast], color="#0d47a1", linewidth=1.2, linestyle=":",
                label=translate("forecast"))
        ax.axvline(last_x + 0.5, color="#90a4ae", linewidth=0.8, linestyle="-")
    alarm_x = [positions[p] for p in chart.alarms if p in positions]
    if alarm_x:
        ax.scatter(alarm_x, [chart.counts[positions[p]] for p in chart.alarms
                             if p in positions and positions[p] < len(chart.counts)],
                   color="#c62828", zorder=3, s=18, label=translate("alarm"))
    labels = [*chart.periods, *chart.forecast_periods]
    ticks = _calendar_ticks(labels)
    ax.set_xticks(ticks)
    ax.set_xticklabels([labels[i] for i in ticks], fontsize=7)
    ax.set_xlim(-0.5, len(labels) - 0.5)
    ax.tick_params(axis="y", labelsize=7)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    if chart.unit:
        ax.set_ylabel(chart.unit, fontsize=7)
    if chart.title:
        ax.set_title(chart.title, fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    fig.legend(*ax.get_legend_handles_labels(), loc="lower center", fontsize=7,
               frameon=False, ncol=5)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    fig.subplots_adjust(left=0.08, right=0.99, top=0.88 if chart.title else 0.96,
                        bottom=0.22)
    return svg_of(fig)


def bar_chart_svg(title: str, values: Mapping[str, float], *, width_in: float = 7.0,
                  height_in: float = 2.4, unit: str = "") -> str:
    """Horizontal bars, largest first, each with its value (e.g. detections by section in
    the month)."""
    from matplotlib.ticker import MaxNLocator

    names = sorted(values, key=lambda n: -values[n])
    fig = new_figure(width_in, max(height_in, 0.9 + 0.28 * len(names)))
    ax = fig.add_subplot()
    bars = ax.barh(names, [values[n] for n in names], color="#5c6bc0")
    ax.bar_label(bars, labels=[f"{values[n]:,.0f}".replace(",", "\u00a0") for n in names],
                 fontsize=7, padding=2)
    ax.invert_yaxis()
    ax.tick_params(labelsize=7)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.margins(x=0.08)
    if unit:
        ax.set_xlabel(unit, fontsize=7)
    if title:
        ax.set_title(title, fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(alpha=0.3, axis="x")
    longest = max((len(n) for n in names), default=1)
    fig.subplots_adjust(left=min(0.45, 0.03 + 0.011 * longest), right=0.97,
                        top=0.88 if title else 0.95, bottom=0.2 if unit else 0.12)
    return svg_of(fig)
