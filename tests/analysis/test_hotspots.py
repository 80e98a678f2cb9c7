"""Getis-Ord Gi* against a hand-computed example."""

from __future__ import annotations

import math

import pytest

from chegara.analysis.hotspots import getis_ord_gi_star

# Five sections on a line A-B-C-D-E with values 10, 8, 2, 1, 1.
# n = 5, mean = 22/5 = 4.4, S = sqrt(170/5 - 4.4**2) = sqrt(14.64).
# A: neighbours {A, B}: sum = 18, W = 2, sum w^2 = 2
#    Gi* = (18 - 4.4*2) / (S * sqrt((5*2 - 4) / 4)) = 9.2 / (3.826 * 1.2247) = 1.9632
# C: neighbours {B, C, D}: sum = 11, W = 3
#    Gi* = (11 - 13.2) / (S * sqrt((15 - 9) / 4)) = -2.2 / (3.826 * 1.2247) = -0.4695
VALUES = {"A": 10.0, "B": 8.0, "C": 2.0, "D": 1.0, "E": 1.0}
LINE = [("A", "B"), ("B", "C"), ("C", "D"), ("D", "E")]


def test_hand_computed_gi_star() -> None:
    result = {h.section: h for h in getis_ord_gi_star(VALUES, LINE)}
    spread = math.sqrt(14.64)
    assert result["A"].z == pytest.approx(9.2 / (spread * math.sqrt(1.5)), abs=1e-9)
    assert result["C"].z == pytest.approx(-2.2 / (spread * math.sqrt(1.5)), abs=1e-9)
    assert result["A"].z == pytest.approx(1.9632, abs=1e-3)
    assert result["A"].p_value == pytest.approx(0.0496, abs=1e-3)
    assert result["A"].kind == "hot"
    assert result["C"].kind == "none"
    assert "Gi*" in result["A"].method


def test_equal_values_give_no_hotspot() -> None:
    result = getis_ord_gi_star(dict.fromkeys("ABCD", 3.0), [("A", "B"), ("C", "D")])
    assert all(h.z == 0.0 and h.kind == "none" for h in result)


def test_unknown_section_in_adjacency() -> None:
    with pytest.raises(ValueError, match="unknown section"):
        getis_ord_gi_star(VALUES, [("A", "Z")])
