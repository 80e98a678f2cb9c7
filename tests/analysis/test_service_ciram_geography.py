"""CIRAM scoring and its configuration, the shipped geography, and the map drawn from it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from chegara.analysis import ciram
from chegara.analysis.charts import (
    IMPACT_STYLES,
    MapPoint,
    MapSection,
    border_map_svg,
    sparkline_svg,
)
from chegara.analysis.geography import parse_geography, shipped_geography

ALL_TWO = {"staff": 2, "equipment": 2, "surveillance_coverage": 2, "response_time": 2}
IMPACTS = {"border_security": 1, "internal_security": 1, "humanitarian": 1,
           "economy_and_trade": 1, "public_health": 1}


def test_score_combines_threat_vulnerability_and_worst_impact() -> None:
    config = ciram.CiramConfig()
    low = ciram.score(config, magnitude=1, likelihood=2, vulnerability=ALL_TWO, impacts=IMPACTS)
    assert (low.threat, low.threat_class, low.vulnerability, low.impact) == (2, 1, 2, 1)
    assert low.exposure == 2 and low.risk_level == "low"
    # One severe dimension is not averaged away.
    health = ciram.score(config, magnitude=4, likelihood=4, vulnerability=ALL_TWO,
                         impacts=IMPACTS | {"public_health": 5})
    assert health.threat_class == 4 and health.impact == 5 and health.exposure == 3
    assert health.risk_level == "high" and "public_health" in health.explanation
    worst = ciram.score(config, magnitude=5, likelihood=5,
                        vulnerability=dict.fromkeys(ALL_TWO, 5), impacts=IMPACTS | {
                            "border_security": 5})
    assert worst.risk_level == "critical"


@pytest.mark.parametrize(("change", "word"), [
    ({"magnitude": 6}, "magnitude"),
    ({"vulnerability": {"staff": 1}}, "equipment"),
    ({"impacts": IMPACTS | {"tourism": 2}}, "tourism"),
])
def test_score_names_what_is_wrong(change: dict[str, object], word: str) -> None:
    arguments: dict[str, object] = {"magnitude": 3, "likelihood": 3, "vulnerability": ALL_TWO,
                                    "impacts": IMPACTS} | change
    with pytest.raises(ValueError, match=word):
        ciram.score(ciram.CiramConfig(), **arguments)  # type: ignore[arg-type]


def test_configuration_file_replaces_scales_and_matrix(tmp_path: Path) -> None:
    path = tmp_path / "ciram.json"
    matrix = [["low", "medium", "high"], ["medium", "high", "critical"],
              ["high", "critical", "critical"]]
    path.write_text(json.dumps({"scale": ["low", "medium", "high"], "threat_bands": [2, 5],
                                "matrix": matrix, "vulnerability_items": ["staff"],
                                "impact_dimensions": ["border_security"]}))
    config = ciram.load_config(path)
    scored = ciram.score(config, magnitude=3, likelihood=3, vulnerability={"staff": 3},
                         impacts={"border_security": 1})
    assert scored.threat_class == 3 and scored.risk_level == "high"
    assert ciram.load_config(tmp_path / "absent.json") == ciram.CiramConfig()
    path.write_text(json.dumps({"matrix": matrix}))
    with pytest.raises(ciram.CiramConfigError, match="5 x 5"):
        ciram.load_config(path)
    path.write_text(json.dumps({"colours": {}}))
    with pytest.raises(ciram.CiramConfigError, match="colours"):
        ciram.load_config(path)
    assert "national coordination centre" in ciram.reaction_for(config, "high")


def test_shipped_geography_is_consistent() -> None:
    geo = shipped_geography()
    codes = [s.code for s in geo.sections]
    assert len(codes) == len(set(codes)) == 11
    assert {s.neighbour for s in geo.sections} == {"KAZ", "UZB", "TJK", "CHN"}
    # The sections form the ring of the state border: each meets exactly two others.
    assert all(len(geo.neighbours_of(code)) == 2 for code in codes)
    by_code = {s.code: s for s in geo.sections}
    for a, b in geo.adjacency:
        assert by_code[a].path[-1] == by_code[b].path[0] or by_code[b].path[-1] == (
            by_code[a].path[0]), f"{a} and {b} do not meet"
    for point in geo.crossing_points:
        assert 69.0 < point.lon < 80.5 and 39.0 < point.lat < 43.5, point.name
    names = {p.name for p in geo.crossing_points}
    assert {"Ak-Jol", "Kordai", "Chaldovar", "Dostuk", "Kara-Suu", "Kyzyl-Kiya", "Torugart",
            "Irkeshtam", "Karamyk", "Bor-Dobo"} <= names


def test_inconsistent_geography_is_refused() -> None:
    raw = {"countries": [{"code": "KGZ", "name": "Kyrgyz Republic"}],
           "sections": [{"code": "A", "neighbour": "KAZ", "path": [[1, 1], [2, 2]]}],
           "adjacency": [], "crossing_points": []}
    with pytest.raises(ValueError, match="unknown country"):
        parse_geography(raw)


def test_map_draws_every_section_in_its_level_colour() -> None:
    geo = shipped_geography()
    levels = ["low", "medium", "high", "critical"]
    svg = border_map_svg([MapSection(s.code, s.path, levels[i % 4])
                          for i, s in enumerate(geo.sections)],
                         [MapPoint(p.name, p.lon, p.lat, p.active) for p in geo.crossing_points])
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert len(re.findall(r"<polyline class=\"section", svg)) == 11
    assert svg.count('class="crossing-point"') == len(geo.crossing_points)
    assert all(f'stroke="{IMPACT_STYLES[level].colour}"' in svg for level in levels)
    assert 'fill="#ffffff"' in svg  # the closed crossing point (Bedel) is drawn hollow
    assert sparkline_svg([1, 3, 2], alarm_last=True).count("#c62828") == 1
