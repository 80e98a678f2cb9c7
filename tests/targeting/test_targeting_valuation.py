"""Reference price base: robust statistics, fall-backs, flags that show the reference."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from chegara.targeting.valuation import ReferencePriceBase, flag_undervaluation


def history_rows() -> list[dict]:
    rows = []
    # HS6 x origin cell with 20 observations around 100 per kg, and one absurd outlier.
    for i in range(20):
        rows.append({"declaration_id": f"A{i}", "date": "2020-05-01", "hs_code": "610910",
                     "origin_country": "CN", "value": 95.0 + i % 10, "net_mass_kg": 1.0})
    rows.append({"declaration_id": "OUT", "date": "2020-05-02", "hs_code": "610910",
                 "origin_country": "CN", "value": 1e9, "net_mass_kg": 1.0})
    # Two observations from TR: too few for their own cell.
    for i in range(2):
        rows.append({"declaration_id": f"T{i}", "date": "2020-05-03", "hs_code": "610910",
                     "origin_country": "TR", "value": 400.0, "net_mass_kg": 1.0})
    # Another subheading of the same heading, only for the HS4 fall-back.
    for i in range(6):
        rows.append({"declaration_id": f"B{i}", "date": "2020-05-04", "hs_code": "610990",
                     "origin_country": "BD", "value": 50.0, "net_mass_kg": 1.0})
    return rows


def test_median_is_robust_and_levels_fall_back(make_frame) -> None:
    base = ReferencePriceBase.build(make_frame(history_rows()), min_observations=5)
    probe = make_frame([
        {"declaration_id": "P1", "date": "2021-01-01", "hs_code": "610910",
         "origin_country": "CN", "value": 100.0, "net_mass_kg": 1.0},
        {"declaration_id": "P2", "date": "2021-01-01", "hs_code": "610910",
         "origin_country": "TR", "value": 100.0, "net_mass_kg": 1.0},
        {"declaration_id": "P3", "date": "2021-01-01", "hs_code": "610990",
         "origin_country": "VN", "value": 100.0, "net_mass_kg": 1.0},
        {"declaration_id": "P4", "date": "2021-01-01", "hs_code": "610930",
         "origin_country": "VN", "value": 100.0, "net_mass_kg": 1.0},
        {"declaration_id": "P5", "date": "2021-01-01", "hs_code": "010190",
         "origin_country": "VN", "value": 100.0, "net_mass_kg": 1.0},
    ])
    ref = base.lookup(probe)
    assert ref["reference_level"].tolist() == ["hs6_origin", "hs6", "hs6", "hs4", "none"]
    # The 1e9 outlier does not move the median of the CN cell (true median 99.5 or 99).
    assert 98.0 < ref["reference_per_kg"].iloc[0] < 101.0
    assert ref["reference_n"].iloc[0] == 21
    assert np.isnan(ref["reference_per_kg"].iloc[4])


def test_undervaluation_flag_shows_the_reference(make_frame, tmp_path: Path) -> None:
    base = ReferencePriceBase.build(make_frame(history_rows()))
    probe = make_frame([
        {"declaration_id": "LOW", "date": "2021-01-01", "hs_code": "610910",
         "origin_country": "CN", "value": 20.0, "net_mass_kg": 1.0},
        {"declaration_id": "FAIR", "date": "2021-01-01", "hs_code": "610910",
         "origin_country": "CN", "value": 97.0, "net_mass_kg": 1.0},
        {"declaration_id": "NOMASS", "date": "2021-01-01", "hs_code": "610910",
         "origin_country": "CN", "value": 20.0, "net_mass_kg": 0.0},
    ])
    flags = flag_undervaluation(probe, base)
    assert flags["undervalued"].tolist() == [True, False, False]
    reason = flags["undervaluation_reason"].iloc[0]
    assert "declared 20.00 per kg" in reason and "same HS6 and origin" in reason
    base.save(tmp_path / "prices.json")
    again = ReferencePriceBase.load(tmp_path / "prices.json")
    assert np.allclose(again.lookup(probe)["price_z"].to_numpy()[:2],
                       base.lookup(probe)["price_z"].to_numpy()[:2])
