"""Risk profiles: parsing, criteria, validity, sampling share, watch-lists."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chegara.targeting.rules import ProfileError, evaluate, load_profiles, parse_profile_set
from chegara.targeting.valuation import ReferencePriceBase

ROWS = [
    {"declaration_id": "D1", "date": "2021-01-05", "hs_code": "610910", "origin_country": "CN",
     "importer_id": "BAD1", "value": 100.0, "net_mass_kg": 10.0, "tax_rate": 13.0,
     "description": "Cotton T-shirts"},
    {"declaration_id": "D2", "date": "2021-01-05", "hs_code": "620342", "origin_country": "TR",
     "importer_id": "OK1", "value": 5000.0, "net_mass_kg": 10.0, "tax_rate": 0.0},
    {"declaration_id": "D3", "date": "2021-03-01", "hs_code": "847130", "origin_country": "CN",
     "importer_id": "OK2", "value": 900.0, "net_mass_kg": 3.0, "tax_rate": 8.0},
    {"declaration_id": "D4", "date": "2021-03-01", "hs_code": "010290", "origin_country": "KZ",
     "importer_id": "BAD1", "value": 10.0, "net_mass_kg": 400.0, "tax_rate": 5.0},
]


def profiles(*items: dict, watchlists: dict | None = None):
    return parse_profile_set({"profiles": list(items), "watchlists": watchlists or {}})


def fired(frame: pd.DataFrame, when: dict, **extra) -> list[str]:
    spec = {"id": "P", "when": when, "action": {"channel": "red"}, **extra}
    hits = evaluate(profiles(spec), frame, prices=extra.pop("prices", None))
    return [str(d) for d, f in zip(frame["declaration_id"], hits.fired[:, 0], strict=True) if f]


def test_hs_ranges_at_chapter_heading_and_subheading(make_frame) -> None:
    frame = make_frame(ROWS)
    assert fired(frame, {"hs": ["61-62"]}) == ["D1", "D2"]
    assert fired(frame, {"hs": ["6109-6110", "01"]}) == ["D1", "D4"]
    assert fired(frame, {"hs": "847130"}) == ["D3"]
    assert fired(frame, {"hs": ["8471-8471"]}) == ["D3"]


def test_field_operators_and_combinations(make_frame) -> None:
    frame = make_frame(ROWS)
    assert fired(frame, {"field": "origin_country", "in": ["CN"]}) == ["D1", "D3"]
    assert fired(frame, {"field": "origin_country", "not_in": ["CN"]}) == ["D2", "D4"]
    assert fired(frame, {"field": "tax_rate", "ge": 8}) == ["D1", "D3"]
    assert fired(frame, {"field": "value", "between": [100, 1000]}) == ["D1", "D3"]
    assert fired(frame, {"field": "description", "contains": ["t-shirt"]}) == ["D1"]
    assert fired(frame, {"field": "hs4", "equals": "6203"}) == ["D2"]
    combined = {"all": [{"field": "origin_country", "in": ["CN"]},
                        {"not": {"hs": ["84"]}}]}
    assert fired(frame, combined) == ["D1"]
    either = {"any": [{"hs": ["01"]}, {"field": "tax_rate", "gt": 10}]}
    assert fired(frame, either) == ["D1", "D4"]


def test_watchlist_and_validity_dates(make_frame) -> None:
    frame = make_frame(ROWS)
    spec = {"id": "W", "when": {"watchlist": "suspects"}, "action": {"channel": "yellow"},
            "valid_from": "2021-02-01", "valid_to": date(2021, 12, 31)}
    hits = evaluate(profiles(spec, watchlists={"suspects": {"ids": ["BAD1"]}}), frame)
    assert hits.fired[:, 0].tolist() == [False, False, False, True]  # D1 predates validity
    assert hits.channel().tolist() == ["", "", "", "yellow"]
    assert hits.reasons(3) == ["profile W (W): trader on watch-list suspects -> yellow"]


def test_inactive_profiles_never_fire(make_frame) -> None:
    spec = {"id": "X", "when": {"hs": ["61"]}, "action": {"channel": "red"}, "active": False}
    assert not evaluate(profiles(spec), make_frame(ROWS)).fired.any()


def test_strictest_channel_wins_and_all_fired_profiles_are_listed(make_frame) -> None:
    frame = make_frame(ROWS)
    set_ = profiles({"id": "Y", "when": {"hs": ["61"]}, "action": {"channel": "yellow"}},
                    {"id": "R", "when": {"field": "origin_country", "in": ["CN"]},
                     "action": {"channel": "red", "instructions": "Open and count."}})
    hits = evaluate(set_, frame)
    assert hits.channel().tolist() == ["red", "", "red", ""]
    assert hits.fired_ids(0) == ["Y", "R"]
    assert "examiner: Open and count." in hits.reasons(0)[1]


def test_price_below_reference(make_frame) -> None:
    history = make_frame([{"declaration_id": f"H{i}", "date": "2020-06-01",
                           "hs_code": "610910", "origin_country": "CN",
                           "value": 100.0 + i, "net_mass_kg": 1.0} for i in range(10)])
    prices = ReferencePriceBase.build(history)
    frame = make_frame(ROWS)
    spec = {"id": "U", "when": {"price_below_reference": 0.5}, "action": {"channel": "red"}}
    hits = evaluate(profiles(spec), frame, prices=prices)
    assert hits.fired[:, 0].tolist() == [True, False, False, False]  # 10/kg vs ~104/kg
    with pytest.raises(ProfileError, match="no reference price base"):
        evaluate(profiles(spec), frame)


def test_selection_percentage_is_reproducible_and_about_right(make_frame) -> None:
    many = make_frame([{"declaration_id": f"N{i}", "date": "2021-01-01", "hs_code": "610910"}
                       for i in range(4000)])
    spec = {"id": "S", "when": {"hs": ["61"]},
            "action": {"channel": "yellow", "selection_percent": 10}}
    first = evaluate(profiles(spec), many, seed=7).fired[:, 0]
    again = evaluate(profiles(spec), many.iloc[::-1].reset_index(drop=True), seed=7).fired[::-1, 0]
    assert np.array_equal(first, again)  # same declarations, whatever the row order
    assert 0.08 < first.mean() < 0.12
    assert evaluate(profiles(spec), many).matched[:, 0].all()
    other_seed = evaluate(profiles(spec), many, seed=8).fired[:, 0]
    assert not np.array_equal(first, other_seed)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"id": "A", "when": {"hs": ["61-610"]}, "action": {"channel": "red"}}, "one level"),
        ({"id": "A", "when": {"hs": ["63-61"]}, "action": {"channel": "red"}}, "low-high"),
        ({"id": "A", "when": {"field": "colour", "in": ["x"]}, "action": {"channel": "red"}},
         "unknown field 'colour'"),
        ({"id": "A", "when": {"field": "office", "gt": 3}, "action": {"channel": "red"}},
         "not numeric"),
        ({"id": "A", "when": {"hs": ["61"]}, "action": {"channel": "purple"}}, "channel"),
        ({"id": "A", "when": {"hs": ["61"]}, "action": {"channel": "red",
                                                        "selection_percent": 120}}, "0-100"),
        ({"id": "A", "when": {"watchlist": "nobody"}, "action": {"channel": "red"}},
         "not defined"),
        ({"id": "A", "when": {"hs": ["61"]}, "action": {"channel": "red"},
          "valid_from": "2022-01-01", "valid_to": "2021-01-01"}, "after valid_to"),
        ({"id": "A", "when": {"every": []}, "action": {"channel": "red"}}, "unknown criterion"),
        ({"when": {"hs": ["61"]}, "action": {"channel": "red"}}, "missing id"),
    ],
)
def test_bad_profiles_are_refused_with_where(spec: dict, message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        profiles(spec)


def test_duplicate_profile_ids_are_refused() -> None:
    spec = {"id": "A", "when": {"hs": ["61"]}, "action": {"channel": "red"}}
    with pytest.raises(ProfileError, match="duplicate"):
        profiles(spec, spec)


def test_a_profiles_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "profiles.yaml"
    path.write_bytes(b"profiles:\n  - id: \x82\xff\n")
    with pytest.raises(ProfileError, match="not UTF-8 text"):
        load_profiles(path)
