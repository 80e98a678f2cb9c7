"""Batch coding helpers: distinct-value work spreads back to rows; seeded draws are stable."""

from __future__ import annotations

import numpy as np
import pandas as pd

from chegara.targeting.coding import CodedBatch, seeded_uniform
from chegara.targeting.rules import evaluate, parse_profile_set


def test_codes_text_blank_and_hs_prefixes(make_frame) -> None:
    frame = make_frame([{"declaration_id": "A", "date": "2021-01-01", "hs_code": "610910",
                         "seller_id": "S1"},
                        {"declaration_id": "B", "date": "2021-01-01", "hs_code": "610990"},
                        {"declaration_id": "C", "date": "2021-01-01", "hs_code": "847130",
                         "seller_id": "S1"}])
    coded = CodedBatch(frame)
    assert coded.text("hs4").tolist() == ["6109", "6109", "8471"]
    assert coded.text("hs2").tolist() == ["61", "61", "84"]
    assert coded.blank("seller_id").tolist() == [False, True, False]
    assert coded.lookup("seller_id", pd.Index(["S0", "S1"])).tolist() == [1, -1, 1]


def test_seeded_draws_depend_on_id_and_salt_only() -> None:
    ids = pd.Series([f"D{i}" for i in range(5000)])
    first = seeded_uniform(ids, "7|x")
    assert np.array_equal(first[::-1], seeded_uniform(ids[::-1], "7|x"))
    assert not np.array_equal(first, seeded_uniform(ids, "8|x"))
    assert ((first >= 0) & (first < 1)).all() and 0.45 < first.mean() < 0.55


def test_number_fields_compare_as_numbers_in_lists(make_frame) -> None:
    frame = make_frame([{"declaration_id": "A", "date": "2021-01-01", "tax_rate": 8.0},
                        {"declaration_id": "B", "date": "2021-01-01", "tax_rate": 0.0}])
    profiles = parse_profile_set({"profiles": [
        {"id": "R8", "when": {"field": "tax_rate", "in": [8]}, "action": {"channel": "red"}}]})
    assert evaluate(profiles, frame).fired[:, 0].tolist() == [True, False]
