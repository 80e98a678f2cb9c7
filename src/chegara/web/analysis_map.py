"""The situational picture's map: border sections drawn by impact level, crossing points and
recent incidents, as inline SVG made on the server (no tiles, no CDN).

Drawn here rather than with the products' map because a screen map must be read by every
analyst on duty: each impact level has its own colour *and* its own line (width and dashes), so
the four levels stay apart for colour-blind readers and in greyscale, and labels are moved
until they no longer cover each other. The colours differ in lightness as well as hue (checked
under simulated deuteranopia, protanopia and tritanopia); a dark casing under every line keeps
the light "medium" yellow visible on the pale background.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

# Colour, stroke width and dash pattern per impact level, lowest first. The page's legend and
# the level badges (chegara.css ``.impact``) use the same colours.
IMPACT_STYLES: dict[str, tuple[str, float, str]] = {
    "low": ("#00796b", 4.0, ""),
    "medium": ("#f9c22e", 6.0, "12 6"),
    "high": ("#e8590c", 7.0, "4 5"),
    "critical": ("#6d0019", 10.0, ""),
}
_UNKNOWN = ("#9e9e9e", 4.0, "1 6")
_CASING = "#263238"
_PAD = 36.0
Box = tuple[float, float, float, float]
Projection = Callable[[float, float], tuple[float, float]]


@dataclass(frozen=True)
class Section:
    code: str
    label: str
    level: str
    level_word: str
    path: Sequence[tuple[float, float]]


@dataclass(frozen=True)
class CrossingPoint:
    label: str
    lon: float
    lat: float
    open: bool


@dataclass(frozen=True)
class Incident:
    lon: float
    lat: float
    high: bool


def level_sample_svg(level: str, *, width: int = 34) -> str:
    """A short piece of a section line, as the legend shows it."""
    colour, stroke, dashes = IMPACT_STYLES.get(level, _UNKNOWN)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="level-sample" width="{width}" '
            f'height="14" viewBox="0 0 {width} 14" aria-hidden="true">'
            f"{_line(f'3,7 {width - 3},7', colour, stroke, dashes)}</svg>")


def situation_map_svg(sections: Sequence[Section], points: Sequence[CrossingPoint],
                      incidents: Sequence[Incident], *, title: str, width: int = 760) -> str:
    every = [p for s in sections for p in s.path] + [(p.lon, p.lat) for p in points]
    if not every:
        return ""
    project = _projection(every, width)
    height = int(max(project(lon, lat)[1] for lon, lat in every) + _PAD)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="border-map" role="img" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f"<title>{escape(title)}</title>",
           f'<rect width="{width}" height="{height}" fill="#f4f1ea"/>',
           '<polygon fill="#fffdf7" points="'
           + " ".join(f"{x:.1f},{y:.1f}" for s in sections
                      for x, y in (project(lon, lat) for lon, lat in s.path))
           + '"/>']
    taken: list[Box] = []
    labels: list[str] = []
    for section in sections:
        coords = [project(lon, lat) for lon, lat in section.path]
        colour, stroke, dashes = IMPACT_STYLES.get(section.level, _UNKNOWN)
        points_attr = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        tip = f"{section.code}: {section.level_word}"
        out.append(_line(points_attr, _CASING, stroke + 2.5, ""))
        out.append(f'<polyline class="section level-{escape(section.level)}" '
                   f'data-section="{escape(section.code)}" fill="none" stroke="{colour}" '
                   f'stroke-width="{stroke}" stroke-dasharray="{dashes or "none"}" '
                   f'points="{points_attr}"><title>{escape(tip)}</title></polyline>')
        labels.append(_place(section.label, coords[len(coords) // 2], 11, "#263238", 600, taken,
                             offset=stroke / 2 + 3, width=width))
    for incident in incidents:
        x, y = project(incident.lon, incident.lat)
        radius, fill = (4.5, "#000000") if incident.high else (2.8, "#6d4c41")
        out.append(f'<circle class="incident{" high" if incident.high else ""}" '
                   f'cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{fill}" fill-opacity="0.8" '
                   'stroke="#ffffff" stroke-width="1"/>')
    for point in points:
        x, y = project(point.lon, point.lat)
        out.append(f'<rect class="crossing-point" x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" '
                   f'height="8" fill="{"#1a237e" if point.open else "#ffffff"}" '
                   f'stroke="#1a237e" stroke-width="1.4"><title>{escape(point.label)}</title>'
                   "</rect>")
        taken.append((x - 5, y - 5, x + 5, y + 5))
    for point in points:
        labels.append(_place(point.label, project(point.lon, point.lat), 10, "#1a237e", 400,
                             taken, offset=7, width=width))
    out.extend(labels)
    out.append("</svg>")
    return "".join(out)


def _line(points: str, colour: str, stroke: float, dashes: str) -> str:
    return (f'<polyline fill="none" stroke="{colour}" stroke-width="{stroke}" '
            f'stroke-linejoin="round" stroke-dasharray="{dashes or "none"}" '
            f'points="{points}"/>')


def _projection(points: Sequence[tuple[float, float]], width: int) -> Projection:
    """Equirectangular with the longitude shrunk by cos(mid-latitude): true enough at 40°N
    across one country."""
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    shrink = math.cos(math.radians((min(lats) + max(lats)) / 2))
    scale = (width - 2 * _PAD) / ((max(lons) - min(lons)) * shrink or 1.0)
    west, north = min(lons), max(lats)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return _PAD + (lon - west) * shrink * scale, _PAD + (north - lat) * scale

    return project


def _place(text: str, anchor: tuple[float, float], size: int, colour: str, weight: int,
           taken: list[Box], *, offset: float, width: int) -> str:
    """A label beside its anchor, on the first side where it stays inside the map and covers
    no earlier label or crossing point (the last side tried when every side is taken)."""
    x, y = anchor
    wide, tall = 0.58 * size * len(text), size * 1.1
    sides = ((offset, -offset), (offset, offset + tall), (-offset - wide, -offset),
             (-offset - wide, offset + tall), (-wide / 2, -offset - 2),
             (-wide / 2, offset + tall + 2))
    box: Box = (0.0, 0.0, 0.0, 0.0)
    for dx, dy in sides:
        box = (x + dx, y + dy - tall, x + dx + wide, y + dy)
        inside = box[0] >= 2 and box[2] <= width - 2 and box[1] >= 2
        if inside and not any(_overlap(box, other) for other in taken):
            break
    else:
        left = min(max(box[0], 2.0), width - 2 - wide)
        box = (left, box[1], left + wide, box[3])
    taken.append(box)
    return (f'<text x="{box[0]:.1f}" y="{box[3] - 2:.1f}" font-size="{size}" '
            f'font-weight="{weight}" font-family="DejaVu Sans, sans-serif" fill="{colour}" '
            f'stroke="#fffdf7" stroke-width="3" paint-order="stroke">{escape(text)}</text>')


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
