"""COUNTS.csv reader: property tests (it either reads or names the line, never crashes)."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chegara.analysis.countsfile import (
    CountsFileError,
    month_index,
    parse_counts,
    period_label,
)

HEADER = "period,section,indicator,count\n"

cell = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\r\n\x00"),
    max_size=12,
)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(cell, min_size=0, max_size=6), max_size=8))
def test_arbitrary_rows_read_or_name_a_line(rows: list[list[str]]) -> None:
    text = HEADER + "".join(",".join(r) + "\n" for r in rows)
    try:
        series = parse_counts(io.StringIO(text))
    except CountsFileError as error:
        assert error.line >= 1
        assert str(error).startswith(f"line {error.line}: ")
    else:
        assert all(all(c >= 0 for c in s.counts) for s in series)


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(
        st.integers(min_value=2000 * 12, max_value=2030 * 12),
        st.integers(min_value=0, max_value=10**6),
        min_size=1,
        max_size=30,
    )
)
def test_valid_series_round_trip_with_zero_filled_gaps(months: dict[int, int]) -> None:
    text = HEADER + "".join(f"{period_label(m)},Osh,returns,{c}\n" for m, c in months.items())
    (series,) = parse_counts(io.StringIO(text))
    assert series.start == min(months)
    assert series.last == max(months)
    assert len(series.counts) == max(months) - min(months) + 1
    assert series.filled_months == len(series.counts) - len(months)
    for month, count in months.items():
        assert series.counts[month - series.start] == count


def test_period_label_and_index_are_inverse() -> None:
    assert period_label(month_index("2024-12")) == "2024-12"
    assert month_index("2025-01") - month_index("2024-12") == 1


@pytest.mark.parametrize(("row", "needle"), [
    ("2026-01,Osh," + "A" * 200_000 + ",3\n", "line 3: field larger than field limit"),
    ("2026-01,=cmd|' /C calc'!A0,crossings,3\n", "line 3: section \"=cmd"),
    ("2026-01,Osh,@SUM(A1),3\n", "line 3: indicator '@SUM(A1)' starts with '@'"),
])
def test_rows_a_spreadsheet_or_the_csv_module_would_choke_on_are_refused(row: str,
                                                                          needle: str) -> None:
    with pytest.raises(CountsFileError, match=re.escape(needle)):
        parse_counts(io.StringIO(HEADER + "2025-12,Osh,crossings,2\n" + row))
