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
from dataclasses import dataclass, field
from html import escape
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

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
FloatArray = NDArray[np.float64]
Leader = tuple[Point, Point]  # a thin line from a crossing point's mark to its moved name


@dataclass(frozen=True)
class LabelBox:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: LabelBox) -> bool:
        return not (self.x1 <= other.x0 or other.x1 <= self.x0
                    or self.y1 <= other.y0 or other.y1 <= self.y0)

    def shared_area(self, other: LabelBox) -> float:
        return (max(0.0, min(self.x1, other.x1) - max(self.x0, other.x0))
                * max(0.0, min(self.y1, other.y1) - max(self.y0, other.y0)))

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


_CELL = 24.0  # px: the side of the squares the border's points are filed by


class BorderLine:
    """The border drawn as a closed ring, with its points every few pixels filed by the map
    square they fall in: worked out once per map, it tells every name placed (sections,
    crossing points, countries, each trying many spots) whether it would cover the line by
    looking at the few points near it."""

    def __init__(self, ring: Sequence[Point]) -> None:
        self.ring = ring
        self.cells: dict[tuple[int, int], list[Point]] = {}
        for x, y in _along(ring):
            self.cells.setdefault((math.floor(x / _CELL), math.floor(y / _CELL)), []).append(
                (x, y))

    def covered_by(self, box: LabelBox, margin: float = _LINE_MARGIN) -> bool:
        """Would the box (grown by ``margin``) print over the line?"""
        columns = range(math.floor((box.x0 - margin) / _CELL),
                        math.floor((box.x1 + margin) / _CELL) + 1)
        rows = range(math.floor((box.y0 - margin) / _CELL),
                     math.floor((box.y1 + margin) / _CELL) + 1)
        return any(box.holds_any(self.cells.get((i, j), ()), margin)
                   for i in columns for j in rows)


class PointLabel(NamedTuple):
    """Where a crossing point's name is set: its text origin and anchor, the leader line from
    the point's mark to the name when the name had to move away, and the space it takes."""

    x: float
    y: float
    anchor: str
    leader: Leader | None
    box: LabelBox


_MARK_HALF = 4.0  # the crossing-point square is 8 px
# How far (px) a name may sit from its mark and still be read as that point's name without a
# leader, and how much nearer its own mark must be than any other: further, a line joins them.
_NEAR = 6.0
_CLEARER_BY = 4.0
_BESIDE = _LINE_MARGIN + 1  # from the mark's centre to the name beside it
_LEADER_START = 12.0  # a leader costs as much as this many pixels of extra distance
_COMPASS = [(1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (-1.0, 1.0), (-1.0, 0.0), (-1.0, -1.0),
            (0.0, -1.0), (1.0, -1.0)]


def _gap_to_mark(box: LabelBox, mark: Point) -> float:
    x, y = mark
    dx = max(box.x0 - (x + _MARK_HALF), (x - _MARK_HALF) - box.x1, 0.0)
    dy = max(box.y0 - (y + _MARK_HALF), (y - _MARK_HALF) - box.y1, 0.0)
    return math.hypot(dx, dy)


def _side(direction: Point) -> tuple[int, int]:
    """Which way a name extends from where it is attached: -1, 0 or 1 across and down."""
    norm = math.hypot(*direction) or 1.0

    def sign(v: float) -> int:
        return 1 if v / norm > 0.38 else -1 if v / norm < -0.38 else 0

    return sign(direction[0]), sign(direction[1])


def _attached_box(text: str, size: float, at: Point, direction: Point) -> LabelBox:
    """The name's box touching ``at`` on its side towards the mark, extending along
    ``direction`` (right of the point, above it, centred below it...)."""
    gap = 0.3 * size
    width, height = len(text) * size * _CHAR_WIDTH + 2 * gap, 1.25 * size
    across, down = _side(direction)
    x0 = at[0] - width * (1 - across) / 2
    y0 = at[1] - height * (1 - down) / 2
    return LabelBox(x0, y0, x0 + width, y0 + height)


def _text_origin(box: LabelBox, direction: Point, size: float) -> tuple[float, float, str]:
    """Where the text of a box from :func:`_attached_box` starts, and its text anchor."""
    anchor = ("end", "middle", "start")[_side(direction)[0] + 1]
    gap = 0.3 * size
    x = box.x0 + gap if anchor == "start" else box.x1 - gap if anchor == "end" else (
        box.x0 + box.x1) / 2
    return x, box.y1 - 0.25 * size, anchor


def _leader(mark: Point, box: LabelBox) -> Leader:
    """From the edge of the mark's square to the nearest point of the name's box."""
    x, y = mark
    end = (min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1))
    dx, dy = end[0] - x, end[1] - y
    t = _MARK_HALF / (max(abs(dx), abs(dy)) or 1.0)
    return (x + t * dx, y + t * dy), end


def _dots(segment: Leader, every: float = 2.0) -> list[Point]:
    (x0, y0), (x1, y1) = segment
    steps = max(1, int(math.hypot(x1 - x0, y1 - y0) / every))
    return [(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps) for i in range(steps + 1)]


def _touching(a: Leader, b: Leader, within: float = 2.5) -> bool:
    """Do two leaders cross or come within a few pixels of each other (so a reader could
    follow the wrong one)?"""
    (ax0, ay0), (ax1, ay1) = a
    (bx0, by0), (bx1, by1) = b
    if (max(ax0, ax1) + within < min(bx0, bx1) or max(bx0, bx1) + within < min(ax0, ax1)
            or max(ay0, ay1) + within < min(by0, by1)
            or max(by0, by1) + within < min(ay0, ay1)):
        return False

    def turn(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    if turn(*a, b[0]) * turn(*a, b[1]) < 0 and turn(*b, a[0]) * turn(*b, a[1]) < 0:
        return True
    return min(_to_segment(a[0], b), _to_segment(a[1], b), _to_segment(b[0], a),
               _to_segment(b[1], a)) < within


def _to_segment(point: Point, segment: Leader) -> float:
    (x0, y0), (x1, y1) = segment
    dx, dy = x1 - x0, y1 - y0
    t = max(0.0, min(1.0, ((point[0] - x0) * dx + (point[1] - y0) * dy)
                     / ((dx * dx + dy * dy) or 1.0)))
    return math.hypot(point[0] - x0 - t * dx, point[1] - y0 - t * dy)


class _Spot(NamedTuple):
    """A place a name could go, and what it costs at least: the distance it moves its name
    from its mark (more with a leader), how far round from the inner side, and whether it
    covers a mark, something the caller set on the map or the frame's edge."""

    box: LabelBox
    direction: Point
    leader: Leader | None
    least: float


# What a name may cover, in pixels of distance from its mark it is worth going to avoid it.
_BLOCKED = 10_000.0  # a mark, another name, the frame's edge: only when there is no room
_COVERS_LINE = 500.0
_OUTSIDE = 200.0  # outside the border: among the section and country names
_CLASH = 60.0  # a leader over a name or a mark, a name over a leader, two leaders touching
_LEADER_OVER_LINE = 100.0
# An incident dot under a name: worth a few pixels of moving, and two dots no more than two.
# Incidents cluster at the crossing points themselves, so a name kept off every dot of a
# cluster would be pushed far from its mark.
_COVERS_DOT = 12.0
_DOTS_COUNTED = 2
_NEARER_ANOTHER = 25.0  # a leader's name centred nearer another point's mark
_DIRECTIONS = [(math.cos(k * math.pi / 8), math.sin(k * math.pi / 8)) for k in range(16)]
_REACHES = (9, 12, 15, 19, 24, 30, 37, 45, 54)
# Points further apart than this are taken not to compete for room: a name of a dozen
# letters set _REACHES[-1] away ends some 120 px from its point. It bounds which names are
# judged again after one is set or moved; a name's own spot is judged against all of them.
_MEETS_WITHIN = 240.0
_NEIGHBOURS = 80.0  # points this close may trade room in the second pass
# The second pass tries every name that had to move, alone and with each neighbour. Measured on
# points spread along a 50-section ring (2 cores, busy): 60 points 0.7 s, 100 points 2.6 s,
# 150 points 7.6 s; a national map of Central Asia has fewer than 100 crossing points, and a
# larger one keeps the first pass's layout.
_REFINED_UP_TO = 100


@dataclass
class _PointLabeller:
    """Finds each crossing-point name a spot: beside its mark on the inner side of the
    border where there is room, else further in with a leader line, keeping off the border
    line, the marks, the other names and leaders. ``chosen`` maps a point to its spot."""

    marks: list[Point]
    texts: list[str]
    line: BorderLine
    size: float
    frame: LabelBox | None
    taken: list[LabelBox]
    dots: list[Point] = field(default_factory=list)
    chosen: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Only points (and the caller's boxes) near each other compete for room: judging each
        # name against those alone keeps a map of 200 crossing points to seconds, not hours.
        self.nearby = [[j for j, other in enumerate(self.marks)
                        if j != i and math.dist(mark, other) < _MEETS_WITHIN]
                       for i, mark in enumerate(self.marks)]
        taken_near = [[box for box in self.taken if _gap_to_mark(box, mark) < _MEETS_WITHIN]
                      for mark in self.marks]
        dots = np.array(self.dots, dtype=np.float64).reshape(-1, 2)
        self.dots_near = [dots[np.hypot(dots[:, 0] - x, dots[:, 1] - y) < _MEETS_WITHIN]
                          for x, y in self.marks]
        # A name keeps a pixel further from a mark than a leader, which starts at its edge.
        squares = [_square(mark, _MARK_HALF + 1) for mark in self.marks]
        self.spots = [self._spots(i, squares, taken_near[i]) for i in range(len(self.marks))]
        # The same, as arrays: every spot of a name is checked against the names set at once.
        self.spot_boxes = [np.array([[s.box.x0, s.box.y0, s.box.x1, s.box.y1] for s in spots])
                           for spots in self.spots]
        self.least = [np.array([s.least for s in spots]) for spots in self.spots]
        # Everything a point's name and leader could cover, a few pixels wider than the
        # margins a leader is judged with.
        self.reach = [_grown(LabelBox(
            min(spot_boxes[:, 0].min(), mark[0] - _MARK_HALF),
            min(spot_boxes[:, 1].min(), mark[1] - _MARK_HALF),
            max(spot_boxes[:, 2].max(), mark[0] + _MARK_HALF),
            max(spot_boxes[:, 3].max(), mark[1] + _MARK_HALF)), 3.0)
            for spot_boxes, mark in zip(self.spot_boxes, self.marks, strict=True)]
        self.taken_near = [[box for box in taken if box.overlaps(reach)]
                           for taken, reach in zip(taken_near, self.reach, strict=True)]
        self.fixed: dict[tuple[int, int], float] = {}

    def label(self, i: int) -> PointLabel:
        box, direction, leader, _ = self.spots[i][self.chosen[i]]
        return PointLabel(*_text_origin(box, direction, self.size), leader, box)

    def best(self, i: int) -> tuple[int, float]:
        """Point ``i``'s cheapest spot among the names set, and its cost. Spots are judged in
        the order of what they cost at least; the rest (the line, the leader's crossings) is
        worked out only while a spot could still beat the best so far."""
        others = self._others(i)
        bounds = self.least[i] + _BLOCKED * _overlap_counts(self.spot_boxes[i],
                                                            [o.box for o in others])
        order = np.argsort(bounds, kind="stable")
        best, cost = int(order[0]), math.inf
        for bound, k in zip(bounds[order].tolist(), order.tolist(), strict=True):
            if bound >= cost:
                break
            full = bound + self._fixed(i, k) + self._meeting(i, self.spots[i][k], others)
            if full < cost:
                best, cost = k, full
        return best, cost

    def cost(self, i: int) -> float:
        """What point ``i``'s chosen spot costs among all the other names set."""
        others = self._others(i)
        k = self.chosen[i]
        spot = self.spots[i][k]
        return (spot.least + _BLOCKED * sum(spot.box.overlaps(o.box) for o in others)
                + self._fixed(i, k) + self._meeting(i, spot, others))

    def improve(self, group: Sequence[int]) -> bool:
        """Set the names of ``group`` again, in every order, among the others; keep the
        cheapest layout of the names near them. Did it get cheaper?"""
        before = self._share(group)
        kept, lowest = {g: self.chosen[g] for g in group}, before
        for order in itertools.permutations(group):
            for g in group:
                del self.chosen[g]
            for g in order:
                self.chosen[g] = self.best(g)[0]
            after = self._share(group)
            if after < lowest - 1e-6:
                kept, lowest = {g: self.chosen[g] for g in group}, after
        self.chosen.update(kept)
        return lowest < before - 1e-6

    def _share(self, group: Sequence[int]) -> float:
        """The part of the whole layout's cost (every name's :meth:`cost`, summed) that
        moving the names of ``group`` can change: their own spots, and twice each pair they
        make with a name near them (a pair's cost is counted in both names' costs). Only
        this part is summed, not the cost of every name near the group: on a map of 60
        points that halved the second pass."""
        total = 0.0
        for g in group:
            k = self.chosen[g]
            spot = self.spots[g][k]
            total += spot.least + self._fixed(g, k)
            if spot.leader is not None:
                total += _CLASH * self._over_taken(g, spot.leader)
            for j in self.nearby[g]:
                if j in self.chosen and (j not in group or j > g):
                    total += 2 * self._pair(spot, self.spots[j][self.chosen[j]])
        return total

    @staticmethod
    def _pair(a: _Spot, b: _Spot) -> float:
        """What two names' spots cost for each other: the names over each other, and their
        leaders' clashes."""
        return _BLOCKED * a.box.overlaps(b.box) + _CLASH * _clashes(a, b)

    def _over_taken(self, i: int, leader: Leader) -> int:
        """How many of the caller's boxes near point ``i`` the leader runs over."""
        return sum(_meets(box, leader) for box in self.taken_near[i])

    def _others(self, i: int) -> list[_Spot]:
        """The names set near point ``i``, and their leaders, that reach where its name and
        leader could go (the rest cannot touch them: judging them is wasted time)."""
        reach = self.reach[i]
        spots = [spot for spot in (self.spots[j][self.chosen[j]] for j in self.nearby[i]
                                   if j in self.chosen)
                 if spot.box.overlaps(reach) or (spot.leader is not None
                                                 and _leader_box(spot.leader).overlaps(reach))]
        return spots

    def _spots(self, i: int, squares: Sequence[LabelBox], taken: Sequence[LabelBox]
               ) -> list[_Spot]:
        x, y = self.marks[i]
        nx, ny = _outward(*_nearest_segment(x, y, self.line.ring), self.line.ring)
        # Just clear of a line through the mark, and for names moved away, only towards the
        # inner side: the outer side is the section and country names'.
        beside = [((x + dx * _BESIDE, y + dy * _BESIDE), (dx, dy)) for dx, dy in _COMPASS]
        away = [((x + reach * dx, y + reach * dy), (dx, dy)) for dx, dy in _DIRECTIONS
                if dx * nx + dy * ny < 0.2 for reach in _REACHES]
        fixed = [*taken, squares[i], *(squares[j] for j in self.nearby[i])]
        out = []
        for at, direction in [*beside, *away]:
            box = _attached_box(self.texts[i], self.size, at, direction)
            own = _gap_to_mark(box, self.marks[i])
            leader = None if self._reads_as_own(i, box, own) else _leader(self.marks[i], box)
            away_from_mark = own if leader is None else _LEADER_START + math.dist(*leader)
            norm = math.hypot(*direction)
            side = 1.5 * (1 + (direction[0] * nx + direction[1] * ny) / norm)
            blocked = sum(box.overlaps(other) for other in fixed) + (
                self.frame is not None and not _inside_box(box, self.frame))
            out.append(_Spot(box, direction, leader,
                             _BLOCKED * blocked + side + away_from_mark
                             + _COVERS_DOT * min(_dots_under(box, self.dots_near[i]),
                                                 _DOTS_COUNTED)))
        return out

    def _reads_as_own(self, i: int, box: LabelBox, own: float) -> bool:
        return own <= _NEAR and all(_gap_to_mark(box, self.marks[j]) >= own + _CLEARER_BY
                                    for j in self.nearby[i])

    def _reads_as_another(self, i: int, box: LabelBox) -> bool:
        """Is the name so close beside another point's mark that it reads as that point's,
        whatever its leader says?"""
        own = _gap_to_mark(box, self.marks[i])
        return any(_gap_to_mark(box, self.marks[j]) <= min(_NEAR, own) for j in self.nearby[i])

    def _fixed(self, i: int, k: int) -> float:
        """What a spot costs for what is on the map whatever the other names do: the border
        line, the outside, and for its leader, the line and the other marks."""
        if (i, k) not in self.fixed:
            box, _, leader, _ = self.spots[i][k]
            cost = _COVERS_LINE * self.line.covered_by(box)
            cost += _OUTSIDE * (not _within(box, self.line.ring))
            cost += _CLASH * self._reads_as_another(i, box)
            if leader is not None:
                cost += self._leader_fixed(i, box, leader)
            self.fixed[i, k] = cost
        return self.fixed[i, k]

    def _leader_fixed(self, i: int, box: LabelBox, leader: Leader) -> float:
        others = [self.marks[j] for j in self.nearby[i]]
        over_marks = sum(_meets(_square(mark, _MARK_HALF), leader) for mark in others)
        clear_of_own_line = _MARK_HALF + _LINE_MARGIN + 2
        over_line = any(self.line.covered_by(LabelBox(x, y, x, y), 1.5) for x, y in
                        _dots(leader) if math.dist((x, y), self.marks[i]) > clear_of_own_line)
        # Centre to centre: a name under a neighbour's mark reads as the neighbour's even
        # with a leader, one set under its own between two neighbours does not.
        centre = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
        own = math.dist(centre, self.marks[i])
        nearer_another = any(math.dist(centre, mark) < own for mark in others)
        return (_CLASH * over_marks + _LEADER_OVER_LINE * over_line
                + _NEARER_ANOTHER * nearer_another)

    def _meeting(self, i: int, spot: _Spot, others: Sequence[_Spot]) -> float:
        """What a spot costs for the other names set (and the caller's boxes): the leaders'
        clashes, as :func:`_clashes` counts them."""
        clashes = sum(_clashes(spot, other) for other in others)
        if spot.leader is not None:
            clashes += self._over_taken(i, spot.leader)
        return _CLASH * clashes


def _clashes(a: _Spot, b: _Spot) -> int:
    """How two names' leaders get in each other's way: a leader under the other's name, two
    leaders touching."""
    clashes = 0
    if b.leader is not None:
        clashes += _meets(a.box, b.leader)
    if a.leader is not None:
        clashes += _meets(b.box, a.leader)
        if b.leader is not None:
            clashes += _touching(a.leader, b.leader)
    return clashes


def _grown(box: LabelBox, margin: float) -> LabelBox:
    return LabelBox(box.x0 - margin, box.y0 - margin, box.x1 + margin, box.y1 + margin)


def _leader_box(leader: Leader) -> LabelBox:
    (x0, y0), (x1, y1) = leader
    return LabelBox(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _overlap_counts(spots: FloatArray, boxes: Sequence[LabelBox]) -> FloatArray:
    """For each row ``x0, y0, x1, y1`` of ``spots``, how many of ``boxes`` it overlaps (as
    :meth:`LabelBox.overlaps` judges)."""
    if not boxes:
        return np.zeros(len(spots))
    other = np.array([[b.x0, b.y0, b.x1, b.y1] for b in boxes])
    apart = ((spots[:, None, 2] <= other[None, :, 0]) | (other[None, :, 2] <= spots[:, None, 0])
             | (spots[:, None, 3] <= other[None, :, 1]) | (other[None, :, 3] <= spots[:, None, 1]))
    return np.asarray((~apart).sum(axis=1), dtype=np.float64)


def _dots_under(box: LabelBox, dots: FloatArray, radius: float = 3.0) -> int:
    """How many incident dots (of about ``radius`` px) the name would print over."""
    if dots.size == 0:
        return 0
    return int(np.count_nonzero((dots[:, 0] > box.x0 - radius) & (dots[:, 0] < box.x1 + radius)
                                & (dots[:, 1] > box.y0 - radius) & (dots[:, 1] < box.y1 + radius)))


def _square(mark: Point, half: float) -> LabelBox:
    return LabelBox(mark[0] - half, mark[1] - half, mark[0] + half, mark[1] + half)


def _meets(box: LabelBox, segment: Leader, margin: float = 0.5) -> bool:
    """Does the segment pass through the box (grown by ``margin``)? Liang-Barsky clipping."""
    (x0, y0), (x1, y1) = segment
    if (max(x0, x1) < box.x0 - margin or min(x0, x1) > box.x1 + margin
            or max(y0, y1) < box.y0 - margin or min(y0, y1) > box.y1 + margin):
        return False
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box.x0 + margin), (dx, box.x1 + margin - x0),
                 (-dy, y0 - box.y0 + margin), (dy, box.y1 + margin - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        low, high = (max(low, t), high) if p < 0 else (low, min(high, t))
        if low > high:
            return False
    return True


def _inside_box(box: LabelBox, frame: LabelBox) -> bool:
    return (frame.x0 <= box.x0 and box.x1 <= frame.x1
            and frame.y0 <= box.y0 and box.y1 <= frame.y1)


def place_point_labels(anchors: Sequence[tuple[float, float, str]], ring: Sequence[Point],
                       size: float, taken: Sequence[LabelBox] = (), *,
                       line: BorderLine | None = None, frame: LabelBox | None = None,
                       dots: Sequence[Point] = ()) -> list[PointLabel]:
    """Crossing-point names on the inner side of the border ``ring``, each beside its point,
    or where points a few kilometres apart leave no room, further in and joined to its point
    by a leader line; never over the border line (``line``, made from ``ring`` when not
    given), another point or name, nor outside ``frame``; off the incident ``dots`` where
    that costs only a few pixels.

    The name worst off is set first (the one whose best spot costs most, such as the middle
    one of three points in a row), so a name with room to spare does not take the only good
    spot of another; then each name, and each pair of neighbours, is set again among the
    rest while that makes the layout cheaper (a name that took a neighbour's room moves)."""
    marks = [(x, y) for x, y, _ in anchors]
    labeller = _PointLabeller(marks, [text for *_, text in anchors],
                              BorderLine(ring) if line is None else line, size, frame,
                              list(taken), list(dots))
    _set_worst_first(labeller)
    if len(marks) > _REFINED_UP_TO:
        return [labeller.label(i) for i in range(len(marks))]
    pairs = [(i, j) for i, j in itertools.combinations(range(len(marks)), 2)
             if math.dist(marks[i], marks[j]) < _NEIGHBOURS]
    for _ in range(3):
        # Only a name that had to move or cover something can gain, alone or with a
        # neighbour; a list, not a generator, so every group gets its turn in a round.
        worse = {i for i in labeller.chosen if labeller.cost(i) > _LEADER_START}
        groups = [*((i,) for i in worse), *(pair for pair in pairs if worse & set(pair))]
        if not any([labeller.improve(group) for group in groups]):
            break
    return [labeller.label(i) for i in range(len(marks))]


def _set_worst_first(labeller: _PointLabeller) -> None:
    """Set the names in turn, the one whose best spot costs most first. A name's cost is
    worked out again only when it comes up after a neighbour was set (setting a name can
    only make the others' best spots dearer), not for every neighbour at every turn."""
    worst = {i: labeller.best(i)[1] for i in range(len(labeller.marks))}
    stale: set[int] = set()
    while worst:
        i = max(worst, key=lambda j: (worst[j], -j))
        if i in stale:
            stale.discard(i)
            worst[i] = labeller.best(i)[1]
            continue
        del worst[i]
        labeller.chosen[i] = labeller.best(i)[0]
        stale.update(j for j in labeller.nearby[i] if j in worst)


def _within(box: LabelBox, ring: Sequence[Point]) -> bool:
    return all(_inside(x, y, ring) for x in (box.x0, box.x1) for y in (box.y0, box.y1))


# The north arrow's tip sits this far in from the top right corner; the scale bar starts at
# the top left, the corner the border leaves free, away from the legend row.
_NORTH_INSET = (24, 14)
_SCALE_AT = (16.0, 16)


def _scale(proj: _Projection, width: int) -> tuple[int, float]:
    """The scale bar's kilometres, a round number at most a fifth of the map, and its length."""
    per_km = proj.pixels_per_km
    km = next((k for k in (500, 200, 100, 50, 20, 10) if k * per_km <= width / 5), 10)
    return km, km * per_km


def _furniture(proj: _Projection, width: int) -> list[LabelBox]:
    """The space the north arrow and the scale bar take, with its words, for names to avoid."""
    x, y = width - _NORTH_INSET[0], _NORTH_INSET[1]
    x0, y1 = _SCALE_AT
    return [LabelBox(x - 9, y - 2, x + 9, y + 33),
            LabelBox(x0 - 3, y1 - 3, x0 + _scale(proj, width)[1] + 3, y1 + 18)]


def _north_and_scale(proj: _Projection, width: int, words: Mapping[str, str]) -> list[str]:
    x, y = width - _NORTH_INSET[0], _NORTH_INSET[1]
    out = [f'<g class="north-arrow"><polygon points="{x},{y} {x - 6},{y + 18} {x},{y + 13} '
           f'{x + 6},{y + 18}" fill="#333"/><text x="{x}" y="{y + 30}" font-size="10" '
           f'font-family="DejaVu Sans, sans-serif" text-anchor="middle" fill="#333">'
           f'{escape(words.get("N", "N"))}</text></g>']
    km, length = _scale(proj, width)
    x0, y1 = _SCALE_AT
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
    rows = _legend_rows(_legend_items(labels, words), width) if legend_in_map else []
    height = int(proj.height + _LEGEND_ROW * len(rows))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="border-map" role="img" '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
           f"<title>{escape(title)}</title>",
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="{_OUTSIDE_FILL}"/>']
    ring = [proj.xy(*p) for s in sections for p in s.path]
    border = BorderLine(ring)
    out.append(f'<polygon fill="{_INSIDE_FILL}" stroke="none" points="{_coords(ring)}"/>')
    out += _section_lines(sections, proj, labels, highlight)
    dots = [proj.xy(incident.lon, incident.lat) for incident in incidents]
    names, taken = _section_labels(sections, proj, border, highlight, _furniture(proj, width),
                                   np.array(dots, dtype=np.float64).reshape(-1, 2))
    for incident, (x, y) in zip(incidents, dots, strict=True):
        radius, fill = (4.5, "#000000") if incident.high else (2.8, "#6d4c41")
        out.append(f'<circle class="incident{" high" if incident.high else ""}" '
                   f'cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{fill}" fill-opacity="0.8" '
                   'stroke="#ffffff" stroke-width="1"/>')
    named = place_point_labels([(*proj.xy(p.lon, p.lat), p.name) for p in points], ring, 9,
                               taken, line=border, dots=dots,
                               frame=LabelBox(2, 2, width - 2, proj.height - 2))
    # The section names after the incidents: a dot may lie beyond the line, under a name.
    out += names
    out += _crossing_points(points, proj, named)
    out += _country_labels(sections, proj, border, (width, int(proj.height)),
                           [*taken, *(label.box for label in named)])
    out += _legend(int(proj.height), rows)
    out += _north_and_scale(proj, width, words)
    out.append("</svg>")
    return "".join(out)


def _crossing_points(points: Sequence[MapPoint], proj: _Projection,
                     named: Sequence[PointLabel]) -> list[str]:
    """The leaders first, then the marks, then the names: a leader runs under every name."""
    out = [f'<line class="leader" x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" '
           f'y2="{b[1]:.1f}" stroke="#1a237e" stroke-width="0.7"/>'
           for a, b in (label.leader for label in named if label.leader is not None)]
    for point in points:
        x, y = proj.xy(point.lon, point.lat)
        fill = "#1a237e" if point.active else "#ffffff"
        out.append(f'<rect class="crossing-point" x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" '
                   f'height="8" fill="{fill}" stroke="#1a237e" stroke-width="1.4">'
                   f"<title>{escape(point.name)}</title></rect>")
    for point, label in zip(points, named, strict=True):
        at = (f'x="{label.x:.1f}" y="{label.y:.1f}" font-size="9" {_FONT} '
              f'text-anchor="{label.anchor}"')
        out.append(_halo(at, point.name, _INSIDE_FILL))
        out.append(f'<text class="point-label" {at} fill="#1a237e">{escape(point.name)}</text>')
    return out


_INSIDE_FILL = "#fffdf7"  # the country's fill
_OUTSIDE_FILL = "#f4f1ea"  # the neighbours'


def _halo(at: str, text: str, colour: str) -> str:
    """A copy of a name in the ground's colour, stroked wide, under the name: an incident dot
    or a leader beneath the name cannot break its letters. (A copy rather than
    ``paint-order``, which not every SVG renderer of the products honours.)"""
    return (f'<text class="halo" {at} fill="{colour}" stroke="{colour}" stroke-width="2.4" '
            f'stroke-linejoin="round" aria-hidden="true">{escape(text)}</text>')


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


def _section_labels(sections: Sequence[MapSection], proj: _Projection, border: BorderLine,
                    highlight: str | None, furniture: Sequence[LabelBox],
                    dots: FloatArray) -> tuple[list[str], list[LabelBox]]:
    """Each section's name on the outer side of its line, beside its middle where that is
    free, else beside another stretch of the same line, moved out until it clears the line,
    the names already set, the ``furniture`` (returned with the names' boxes) and, where
    that is free too, the incident ``dots``."""
    ring = border.ring
    out: list[str] = []
    taken = list(furniture)
    for section in sections:
        label = section.label or section.code
        spots = []
        # Near the line first along the whole section, then, where that is all taken (a
        # narrow map), further out.
        for reaches in (range(12, 40, 4), range(40, 64, 4)):
            for a, b in _segments_from_middle(section, proj):
                dx, dy = _outward(a, b, ring)
                spots += [((a[0] + b[0]) / 2 + d * dx,
                           (a[1] + b[1]) / 2 + d * dy + 3.5 + 3 * dy, _anchor(dx))
                          for d in reaches]
        boxes = [_text_box(x, y, label, 10, anchor) for x, y, anchor in spots]
        # The first spot clear of the line and the names set; where there is none (a narrow
        # map), the one that hides least of them, still preferring to keep off the line. An
        # incident dot counts as a little hidden area (a dot is some 30 px²).
        k = min(range(len(spots)), key=lambda i: (border.covered_by(boxes[i]), sum(
            boxes[i].shared_area(other) for other in taken)
            + 30 * _dots_under(boxes[i], dots), i))
        (lx, ly, anchor), box = spots[k], boxes[k]
        taken.append(box)
        weight = ' font-weight="bold"' if section.code == highlight else ""
        at = f'x="{lx:.1f}" y="{ly:.1f}" font-size="10" {_FONT}{weight} text-anchor="{anchor}"'
        out.append(_halo(at, label, _OUTSIDE_FILL))
        out.append(f'<text class="section-label" {at} fill="#333">{escape(label)}</text>')
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


def _country_labels(sections: Sequence[MapSection], proj: _Projection, border: BorderLine,
                    size: tuple[int, int], taken: Sequence[LabelBox]) -> list[str]:
    """Each neighbouring country's name beyond the middle of its stretch of border, clear of
    the names already on the map; ``size`` is the map's, without the legend row."""
    width, height = size
    ring = border.ring
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
                 if not border.covered_by(box)] or spots
        cx, cy = next((spot for spot, box in zip(spots, boxes, strict=True)
                       if spot in clear and not any(box.overlaps(other) for other in taken)),
                      clear[0])
        out.append(f'<text class="country" x="{cx:.1f}" y="{cy:.1f}" font-size="11" {_FONT} '
                   f'text-anchor="middle" fill="#8d8672" letter-spacing="1">'
                   f"{escape(country.upper())}</text>")
    return out


_LEGEND_ROW = 24  # px: one row of the map's own legend


def _legend_items(labels: Mapping[str, str], words: Mapping[str, str]
                  ) -> list[tuple[str, str, float]]:
    """The legend's entries as ``(kind, text, width)``: the four levels, then the point
    symbols. Only a caller that passed the words in the reader's language gets the symbols
    explained: English words on a Russian page would be worse than none."""
    names = {level: labels.get(level, level) for level in IMPACT_STYLES}
    items = [(level, name, 32 + len(name) * 11 * _CHAR_WIDTH + 16)
             for level, name in names.items()]
    for kind in ("crossing point", "closed crossing point"):
        word = words.get(kind)
        if word is not None:
            items.append((kind, word, 15 + len(word) * 11 * _CHAR_WIDTH + 16))
    return items


def _legend_rows(items: Sequence[tuple[str, str, float]], width: int
                 ) -> list[list[tuple[str, str, float]]]:
    """The entries in rows that fit the map's width: a narrow map wraps its legend rather
    than cutting it off at the edge."""
    rows: list[list[tuple[str, str, float]]] = [[]]
    used = 12.0
    for item in items:
        if rows[-1] and used + item[2] - 16 > width - 8:
            rows.append([])
            used = 12.0
        rows[-1].append(item)
        used += item[2]
    return rows


def _legend(top: float, rows: Sequence[Sequence[tuple[str, str, float]]]) -> list[str]:
    if not rows:
        return []
    out = ['<g class="legend">']
    for r, row in enumerate(rows):
        x = 12.0
        base = top + r * _LEGEND_ROW + _LEGEND_ROW - 14  # the text's baseline in its row
        for kind, text, step in row:
            if kind in IMPACT_STYLES:
                style = IMPACT_STYLES[kind]
                coords = f"{x:.0f},{base - 4:.0f} {x + 26:.0f},{base - 4:.0f}"
                out.append(f'<g class="legend-level" data-level="{escape(kind)}">'
                           f"{_casing(coords, style)}{_level_line(coords, style)}"
                           f'<text x="{x + 32:.0f}" y="{base:.0f}" font-size="11" {_FONT}>'
                           f"{escape(text)}</text></g>")
            else:
                fill = "#1a237e" if kind == "crossing point" else "#ffffff"
                out.append(f'<rect x="{x:.0f}" y="{base - 9:.0f}" width="9" height="9" '
                           f'fill="{fill}" stroke="#1a237e" stroke-width="1.2"/><text '
                           f'x="{x + 15:.0f}" y="{base:.0f}" font-size="11" {_FONT}>'
                           f"{escape(text)}</text>")
            x += step
    out.append("</g>")
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
