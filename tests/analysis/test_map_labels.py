"""Crossing-point names on the border map: a reader must tell which mark each name belongs
to. A name sits beside its own mark (nearer it than any other), or a thin leader line joins
them; names print over nothing (no other name, mark, leader, north arrow or scale bar) and
stay inside the map."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chegara.analysis import charts
from chegara.analysis.geography import shipped_geography

Box = tuple[float, float, float, float]
Segment = tuple[tuple[float, float], tuple[float, float]]
# A name within this many pixels of its mark (and nearer it than any other mark) reads as
# its own; the text is estimated, so the leader's ends get a few pixels of slack.
BESIDE_PX = 10.0
SLACK_PX = 4.0


def _shipped_map(language: str, width: int) -> str:
    """The map of the shipped geography, every level on the way round (the widest line,
    critical, lies near names too), names in ``language``."""
    geography = shipped_geography()
    russian = language == "ru"
    countries = {c.code: c.name_ru if russian else c.name for c in geography.countries}
    levels = list(charts.IMPACT_STYLES)
    sections = [charts.MapSection(s.code, s.path, levels[i % 4],
                                  (s.name_ru if russian else s.code).split("-", 1)[-1],
                                  countries[s.neighbour])
                for i, s in enumerate(geography.sections)]
    points = [charts.MapPoint(p.name_ru if russian else p.name, p.lon, p.lat, p.active)
              for p in geography.crossing_points]
    return charts.border_map_svg(sections, points, width=width,
                                 words={word: word for word in charts.MAP_WORDS})


def _text_box(x: float, y: float, size: float, anchor: str, text: str) -> Box:
    """Where a text prints, estimated from DejaVu Sans: about 0.6 of the font size a letter,
    capitals 0.8 of it above the baseline, descenders a quarter below."""
    width = len(text) * size * 0.6
    left = x - {"start": 0.0, "middle": width / 2, "end": width}[anchor]
    return left, y - 0.8 * size, left + width, y + 0.25 * size


def _gap(a: Box, b: Box) -> float:
    dx = max(a[0] - b[2], b[0] - a[2], 0.0)
    dy = max(a[1] - b[3], b[1] - a[3], 0.0)
    return math.hypot(dx, dy)


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _crosses(segment: Segment, box: Box) -> bool:
    """Does the segment run through the box? Sampled every half pixel: plain and enough."""
    (x0, y0), (x1, y1) = segment
    steps = max(1, int(math.dist((x0, y0), (x1, y1)) * 2))
    return any(box[0] < x0 + (x1 - x0) * t / steps < box[2]
               and box[1] < y0 + (y1 - y0) * t / steps < box[3] for t in range(steps + 1))


def _numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]


class Drawn:
    """The parts of a drawn map the checks need, read back from its SVG."""

    def __init__(self, svg: str) -> None:
        self.svg = svg
        self.width, self.height = map(float, re.search(
            r'<svg[^>]*width="(\d+)" height="(\d+)"', svg).groups())  # type: ignore[union-attr]
        self.marks = {name: (float(x) + 4, float(y) + 4) for x, y, name in re.findall(
            r'<rect class="crossing-point" x="([\d.]+)" y="([\d.]+)"[^>]*><title>([^<]+)<',
            svg)}
        self.names = {text: _text_box(float(x), float(y), float(size), anchor, text)
                      for x, y, size, anchor, text in re.findall(
                          r'<text class="point-label" x="([\d.]+)" y="([\d.]+)" '
                          r'font-size="([\d.]+)"[^>]*text-anchor="(\w+)"[^>]*>([^<]+)<', svg)}
        self.others = [_text_box(float(x), float(y), float(size), anchor, text)
                       for x, y, size, anchor, text in re.findall(
                           r'<text class="(?:section-label|country)" x="([\d.]+)" '
                           r'y="([\d.]+)" font-size="([\d.]+)"[^>]*text-anchor="(\w+)"'
                           r'[^>]*>([^<]+)<', svg)]
        legend = re.search(r'<g class="legend">(.*?)<g class="north-arrow"', svg)
        # The legend's words as (x, y, text), and the map's height above its rows.
        self.legend = [(float(x), float(y), text) for x, y, text in re.findall(
            r'<text x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]+)<', legend.group(1))] if legend else []
        self.legend_rows = len({y for _, y, _ in self.legend})
        self.map_height = self.height - 24 * self.legend_rows
        self.leaders: list[Segment] = [
            ((float(a), float(b)), (float(c), float(d))) for a, b, c, d in re.findall(
                r'<line class="leader" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" '
                r'y2="([\d.]+)"', svg)]

    def square(self, name: str) -> Box:
        x, y = self.marks[name]
        return x - 4, y - 4, x + 4, y + 4

    def furniture(self) -> list[Box]:
        """The north arrow and the scale bar, each with its words, from their drawing."""
        boxes = []
        for group in ("north-arrow", "scale-bar"):
            drawn = re.search(rf'<g class="{group}">(.*?)</g>', self.svg)
            assert drawn, f"no {group}"
            xs: list[float] = []
            ys: list[float] = []
            for points in re.findall(r'points="([^"]+)"', drawn.group(1)):
                xs += _numbers(points)[0::2]
                ys += _numbers(points)[1::2]
            for x, y, w, h in re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" '
                                         r'height="([\d.]+)"', drawn.group(1)):
                xs += [float(x), float(x) + float(w)]
                ys += [float(y), float(y) + float(h)]
            for x, y, size in re.findall(r'<text x="([\d.]+)" y="([\d.]+)" '
                                         r'font-size="([\d.]+)"', drawn.group(1)):
                xs.append(float(x))
                ys += [float(y) - float(size), float(y)]
            # The words reach a few letters past where they are anchored.
            boxes.append((min(xs) - 8, min(ys), max(xs) + 8, max(ys) + 3))
        return boxes

    def leader_between(self, name: str) -> Segment | None:
        """The leader with one end on the name's mark and the other at its name."""
        square, text = self.square(name), self.names[name]
        for a, b in self.leaders:
            for start, end in ((a, b), (b, a)):
                if (_gap((*start, *start), square) <= 1.0
                        and _gap((*end, *end), text) <= SLACK_PX):
                    return start, end
        return None


def _reads_as_own(drawn: Drawn, name: str) -> bool:
    own = _gap(drawn.names[name], drawn.square(name))
    return own <= BESIDE_PX and all(own < _gap(drawn.names[name], drawn.square(other))
                                    for other in drawn.marks if other != name)


@pytest.mark.parametrize(("language", "width"), [("en", 760), ("ru", 760), ("en", 560)])
def test_every_name_is_beside_its_mark_or_led_to_it(language: str, width: int) -> None:
    # At 760 pixels Ak-Jol, Kordai and Ak-Tilek lie 15 pixels apart; at 560, closer still.
    drawn = Drawn(_shipped_map(language, width))
    assert drawn.names and set(drawn.names) == set(drawn.marks)
    led = set()
    for name in drawn.names:
        leader = drawn.leader_between(name)
        assert _reads_as_own(drawn, name) or leader is not None, (
            f"{name} is neither beside its mark nor led to it")
        if leader is not None:
            led.add(name)
    # Every leader belongs to one name: none is left pointing nowhere.
    assert len(led) == len(drawn.leaders)
    assert led, "the crowded points of the shipped map need leaders"


@pytest.mark.parametrize(("language", "width"), [("en", 760), ("ru", 760), ("en", 560)])
def test_names_print_over_nothing_and_stay_inside(language: str, width: int) -> None:
    drawn = Drawn(_shipped_map(language, width))
    names = list(drawn.names.items())
    furniture = drawn.furniture()
    map_height = drawn.map_height
    for i, (name, box) in enumerate(names):
        assert box[0] >= 0 and box[2] <= drawn.width and box[1] >= 0, f"{name} is outside"
        assert box[3] <= map_height, f"{name} is in the legend row"
        for other, other_box in names[i + 1:]:
            assert not _overlap(box, other_box), f"{name} covers {other}"
        assert not any(_overlap(box, other) for other in drawn.others), (
            f"{name} covers a section or country name")
        assert not any(_overlap(box, drawn.square(mark)) for mark in drawn.marks), (
            f"{name} covers a mark")
        assert not any(_overlap(box, part) for part in furniture), (
            f"{name} covers the north arrow or the scale bar")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_leaders_run_under_the_names_and_cross_none_but_their_own(language: str) -> None:
    drawn = Drawn(_shipped_map(language, 760))
    # Drawn before any name, so a name is printed over a leader, never the other way.
    assert drawn.svg.index('class="leader"') < drawn.svg.index('class="point-label"')
    for name in drawn.names:
        leader = drawn.leader_between(name)
        if leader is None:
            continue
        for other, box in drawn.names.items():
            # One pixel in: a leader may end at its name's box but not pass another's.
            inner = (box[0] + 1, box[1] + 1, box[2] - 1, box[3] - 1)
            assert other == name or not _crosses(leader, inner), (
                f"the leader of {name} crosses {other}")


# A square border 400 x 300; points on its top edge, the inner side below.
RING = [(0.0, 0.0), (400.0, 0.0), (400.0, 300.0), (0.0, 300.0)]
FRAME = charts.LabelBox(0, 0, 400, 300)


def _inner(box: charts.LabelBox) -> Box:
    """The box a pixel in from its edges: a leader ends at its own name's box."""
    return box.x0 + 1, box.y0 + 1, box.x1 - 1, box.y1 - 1


def _check_placed(anchors: list[tuple[float, float, str]],
                  placed: list[charts.PointLabel]) -> None:
    """What every layout must give: each name beside its mark or led to it, no two names
    over each other or over a mark, all inside the frame."""
    marks = [charts.LabelBox(x - 4, y - 4, x + 4, y + 4) for x, y, _ in anchors]
    for i, (label, mark) in enumerate(zip(placed, marks, strict=True)):
        box = label.box
        assert FRAME.x0 <= box.x0 and box.x1 <= FRAME.x1 and box.y1 <= FRAME.y1
        assert not any(box.overlaps(other.box) for other in placed[i + 1:])
        assert not any(box.overlaps(other) for other in marks)
        own = _gap((box.x0, box.y0, box.x1, box.y1), (mark.x0, mark.y0, mark.x1, mark.y1))
        if label.leader is None:
            assert own <= BESIDE_PX, f"{anchors[i][2]} is away from its mark with no leader"
            continue
        start, end = label.leader
        assert _gap((*start, *start), (mark.x0, mark.y0, mark.x1, mark.y1)) <= 1.0
        assert _gap((*end, *end), (box.x0, box.y0, box.x1, box.y1)) <= 1.0


def test_a_point_with_room_gets_no_leader_and_a_crowded_one_does() -> None:
    anchors = [(200.0, 0.0, "Ak-Jol"), (206.0, 0.0, "Kordai"), (212.0, 0.0, "Ak-Tilek"),
               (0.0, 150.0, "Kerben")]
    placed = charts.place_point_labels(anchors, RING, 9, frame=FRAME)
    _check_placed(anchors, placed)
    assert placed[3].leader is None  # Kerben, alone on its side
    # Three names cannot all sit beside three marks 6 pixels apart.
    leaders = [label.leader for label in placed if label.leader is not None]
    assert leaders
    for leader in leaders:
        assert sum(_crosses(leader, _inner(label.box)) for label in placed) == 0


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(60, 340), st.text("abcdefghijk-", min_size=3,
                                                      max_size=12)),
                min_size=1, max_size=6))
def test_any_cluster_on_a_straight_border_is_labelled(points: list[tuple[float, str]]
                                                      ) -> None:
    anchors = [(x, 0.0, name) for x, name in points]
    _check_placed(anchors, charts.place_point_labels(anchors, RING, 9, frame=FRAME))


@pytest.mark.parametrize("count", [90, 120])
def test_a_map_of_many_crossing_points_names_each_at_its_own_mark(count: int) -> None:
    """A national map's worth of crossing points (90, with the second pass) and more than
    that (120, where the second pass is skipped: it grows faster than the points): every
    name is drawn once, and every leader runs from its own mark to its own name."""
    assert (count <= charts._REFINED_UP_TO) == (count == 90)

    def at(step: float) -> tuple[float, float]:
        angle = 2 * math.pi * step / count
        return 74.5 + 4.5 * math.cos(angle), 41.5 + 1.6 * math.sin(angle)

    sections = [charts.MapSection(f"S{i:02d}", [at(i + k / 4) for k in range(5)], "low",
                                  f"S{i:02d}") for i in range(count)]
    points = [charts.MapPoint(f"Post {i:02d}", *at(i + 0.5)) for i in range(count)]
    drawn = Drawn(charts.border_map_svg(sections, points))
    assert set(drawn.names) == set(drawn.marks) == {p.name for p in points}
    led = [name for name in drawn.names if drawn.leader_between(name) is not None]
    assert len(led) == len(drawn.leaders)
    if count <= charts._REFINED_UP_TO:
        # The first pass alone leaves 14 pairs of these 90 names over each other.
        names = list(drawn.names.values())
        assert not any(_overlap(a, b) for i, a in enumerate(names) for b in names[i + 1:])


@pytest.mark.parametrize("width", [760, 560, 420])
def test_the_legend_fits_the_map_and_wraps_when_narrow(width: int) -> None:
    drawn = Drawn(_shipped_map("ru", width))
    texts = [text for *_, text in drawn.legend]
    assert texts == [*charts.IMPACT_STYLES, "crossing point", "closed crossing point"]
    for x, y, text in drawn.legend:
        box = _text_box(x, y, 11, "start", text)
        assert box[2] <= width and box[3] <= drawn.height, f"{text} is cut off"
    rows = drawn.legend_rows
    assert rows == 1 if width == 760 else rows >= 2


def test_a_narrow_map_keeps_its_section_names_apart() -> None:
    """At 560 px the Uzbek sections' names once printed over each other; where no spot is
    free the name takes the one that hides least, so at most a pixel's sliver is shared."""
    drawn = Drawn(_shipped_map("ru", 560))
    for i, a in enumerate(drawn.others):
        for b in drawn.others[i + 1:]:
            shared = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
            assert min(shared) <= 1.0, f"section or country names overlap by {shared}"


def test_names_keep_off_incident_dots_where_a_few_pixels_do_it() -> None:
    """A dot where a name would go moves the name to another spot beside its mark; it still
    reads as its point's, without a leader. Dots all round the mark leave it where it was:
    a name is not pushed away from its point for them."""
    anchors = [(0.0, 150.0, "Kerben")]
    first = charts.place_point_labels(anchors, RING, 9, frame=FRAME)[0]
    centre = ((first.box.x0 + first.box.x1) / 2, (first.box.y0 + first.box.y1) / 2)
    moved = charts.place_point_labels(anchors, RING, 9, frame=FRAME, dots=[centre])[0]
    _check_placed(anchors, [moved])
    assert moved.leader is None
    assert not (moved.box.x0 - 3 < centre[0] < moved.box.x1 + 3
                and moved.box.y0 - 3 < centre[1] < moved.box.y1 + 3), "still over the dot"
    everywhere = [(x, y) for x in range(-60, 80, 4) for y in range(90, 210, 4)]
    crowded = charts.place_point_labels(anchors, RING, 9, frame=FRAME, dots=everywhere)[0]
    assert crowded.box == first.box and crowded.leader is None


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_name_has_a_halo_of_the_ground_beneath_it(language: str) -> None:
    """A dot or a leader under a name must not break its letters."""
    svg = _shipped_map(language, 760)
    for kind in ("point-label", "section-label"):
        for at, text in re.findall(rf'<text class="{kind}" (x="[\d.]+" y="[\d.]+")[^>]*>'
                                   r'([^<]+)<', svg):
            halo = re.search(rf'<text class="halo" {at}[^>]*stroke-width="[\d.]+"[^>]*>'
                             rf"{re.escape(text)}<", svg)
            assert halo and halo.start() < svg.index(f'<text class="{kind}" {at}'), text
