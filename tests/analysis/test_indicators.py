"""Monthly indicators from incidents and imported statistics; alarms over them."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import polars as pl

from chegara.analysis.indicators import (
    combine_with_statistics,
    complete_months,
    indicator_alarms,
    monthly_indicators,
)


def incidents() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "occurred_at": [
                datetime(2024, 1, 3, 10),
                datetime(2024, 1, 20, 23, 59),
                datetime(2024, 2, 1, 0, 0),
                datetime(2024, 1, 5),
                datetime(2024, 1, 6),
                datetime(2024, 1, 7),
                datetime(2024, 1, 8),
            ],
            "section": ["Osh", "Osh", "Osh", "Batken", "Batken", "Osh", "Osh"],
            "crossing_point": [
                "Dostuk",
                "Dostuk",
                "Kara-Suu",
                "Kyzyl-Bel",
                "Kyzyl-Bel",
                "Dostuk",
                "Dostuk",
            ],
            "nationality": ["UZB", "TJK", "UZB", "TJK", "TJK", "AFG", "UZB"],
            "agency": ["border", "border", "border", "border", "customs", "customs", "police"],
            "type": [
                "illegal_border_crossing",
                "illegal_border_crossing",
                "illegal_border_crossing",
                "false_document",
                "drugs",
                "tobacco",
                "corruption",
            ],
            "persons": [3, None, 2, 4, 1, 1, 1],
        }
    )


def test_indicators_by_section() -> None:
    table = monthly_indicators(incidents())
    got = {(r["period"], r["section"], r["indicator"]): r["count"] for r in table.to_dicts()}
    assert got == {
        ("2024-01", "Osh", "illegal_border_crossing"): 4,  # 3 persons + 1 for a missing count
        ("2024-02", "Osh", "illegal_border_crossing"): 2,
        ("2024-01", "Batken", "false_documents"): 1,  # documents count cases, not persons
        ("2024-01", "Batken", "drug_seizures"): 1,
        ("2024-01", "Osh", "customs_seizures"): 1,
    }


def test_indicators_by_nationality_and_crossing_point() -> None:
    table = monthly_indicators(incidents(), by=("crossing_point", "nationality"))
    row = table.filter(
        (pl.col("crossing_point") == "Dostuk") & (pl.col("nationality") == "UZB")
    ).to_dicts()
    assert row == [
        {
            "period": "2024-01",
            "crossing_point": "Dostuk",
            "nationality": "UZB",
            "indicator": "illegal_border_crossing",
            "count": 3,
        }
    ]


def test_imported_statistics_win_over_incidents() -> None:
    computed = monthly_indicators(incidents())
    imported = pl.DataFrame(
        {
            "period": ["2024-01", "2023-12"],
            "section": ["Osh", "Osh"],
            "indicator": ["illegal_border_crossing", "returns"],
            "count": [10, 7],
        }
    )
    combined = combine_with_statistics(computed, imported)
    osh_jan = combined.filter(
        (pl.col("period") == "2024-01")
        & (pl.col("section") == "Osh")
        & (pl.col("indicator") == "illegal_border_crossing")
    )
    assert osh_jan["count"].to_list() == [10.0]
    assert osh_jan["source"].to_list() == ["statistics"]
    assert combined.height == computed.height + 1


def test_complete_months_fills_zeros_on_a_common_span() -> None:
    table = pl.DataFrame(
        {
            "period": ["2024-01", "2024-03", "2024-02"],
            "section": ["A", "A", "B"],
            "indicator": ["returns"] * 3,
            "count": [1, 3, 5],
        }
    )
    series = complete_months(table, keys=("section", "indicator"))
    assert series[("A", "returns")][1].tolist() == [1.0, 0.0, 3.0]
    assert series[("B", "returns")][1].tolist() == [0.0, 5.0, 0.0]


def test_indicator_alarms_flag_an_injected_surge() -> None:
    rng = np.random.default_rng(3)
    periods = [f"{2015 + i // 12}-{i % 12 + 1:02d}" for i in range(72)]
    counts = rng.poisson(40, 72)
    counts[70] = 150
    table = pl.DataFrame(
        {"period": periods, "section": ["Osh"] * 72, "indicator": ["returns"] * 72, "count": counts}
    )
    alarms = indicator_alarms(table)
    assert alarms.height == 72 - 38
    flagged = alarms.filter(pl.col("alarm"))["period"].to_list()
    assert "2020-11" in flagged
    assert alarms["method"][0].startswith("Farrington")
