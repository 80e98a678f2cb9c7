"""Reading imported monthly statistics (COUNTS.csv) and writing forecasts (FORECAST.csv).

The formats are a contract with the agencies' statisticians, so the reader is strict and every
rejection names the line: a spreadsheet export with a shifted column must fail loudly rather
than produce a forecast of the wrong thing.

    COUNTS.csv:   period (YYYY-MM),section,indicator,count
    FORECAST.csv: period,section,indicator,forecast,lower80,upper80

A month missing inside a series is read as zero: statistical returns (Frontex FRAN, the
agencies' own tables) list the months with detections and leave out the empty ones. The
months filled this way are reported so the analyst can see them.
"""

from __future__ import annotations

import csv
import math
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from chegara.files import looks_like_formula

if TYPE_CHECKING:
    from _csv import Reader

COUNTS_HEADER = ("period", "section", "indicator", "count")
FORECAST_HEADER = ("period", "section", "indicator", "forecast", "lower80", "upper80")
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_MAX_FIELD = 200


class CountsFileError(ValueError):
    """A COUNTS.csv problem, with the 1-based line number it was found on."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass
class CountSeries:
    """One (section, indicator) series as consecutive months from ``start``."""

    section: str
    indicator: str
    start: int
    counts: list[float]
    filled_months: int = 0

    @property
    def last(self) -> int:
        return self.start + len(self.counts) - 1


@dataclass
class _Collected:
    by_month: dict[int, float] = field(default_factory=dict)
    line_of: dict[int, int] = field(default_factory=dict)


def month_index(period: str) -> int:
    """Months since year 0 for a YYYY-MM period; ValueError when it is not one."""
    match = _PERIOD.match(period)
    if match is None:
        raise ValueError(f"period must be YYYY-MM, got {period!r}")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def period_label(index: int) -> str:
    """The YYYY-MM period of a month index."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def parse_count(text: str) -> float:
    """A non-negative finite count; ValueError otherwise."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"count must be a number, got {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"count must be a non-negative finite number, got {text!r}")
    return value


def read_counts(path: Path) -> list[CountSeries]:
    """All series of a COUNTS.csv, sorted by section then indicator.

    Raises CountsFileError naming the line for a bad header, period, count, empty name, wrong
    number of fields or a period given twice in one series.
    """
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return parse_counts(handle)


def parse_counts(lines: Iterable[str]) -> list[CountSeries]:
    """Like read_counts, from already opened text lines."""
    reader = csv.reader(lines)
    try:
        return _parse_rows(reader)
    except csv.Error as error:
        raise CountsFileError(reader.line_num, str(error)) from None


def _parse_rows(reader: Reader) -> list[CountSeries]:
    header = next(reader, None)
    if header is None:
        raise CountsFileError(
            1, "the file is empty; expected the header period,section,indicator,count"
        )
    if tuple(name.strip().lower() for name in header) != COUNTS_HEADER:
        raise CountsFileError(
            1, f"header must be period,section,indicator,count, got {','.join(header)!r}"
        )
    collected: dict[tuple[str, str], _Collected] = {}
    for row in reader:
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        period, section, indicator, count = _split_row(row, line)
        key = (section, indicator)
        series = collected.setdefault(key, _Collected())
        if period in series.by_month:
            raise CountsFileError(
                line,
                f"period {period_label(period)} given twice for section {section!r}, "
                f"indicator {indicator!r} (first on line {series.line_of[period]})",
            )
        series.by_month[period] = count
        series.line_of[period] = line
    if not collected:
        raise CountsFileError(reader.line_num or 1, "no data rows after the header")
    return [
        _consecutive(section, indicator, got)
        for (section, indicator), got in sorted(collected.items())
    ]


def _split_row(row: list[str], line: int) -> tuple[int, str, str, float]:
    if len(row) != len(COUNTS_HEADER):
        raise CountsFileError(line, f"expected 4 fields, got {len(row)}")
    period_text, section, indicator, count_text = (cell.strip() for cell in row)
    try:
        period = month_index(period_text)
        count = parse_count(count_text)
    except ValueError as error:
        raise CountsFileError(line, str(error)) from None
    for name, value in (("section", section), ("indicator", indicator)):
        if not value:
            raise CountsFileError(line, f"{name} is empty")
        if len(value) > _MAX_FIELD:
            raise CountsFileError(line, f"{name} is longer than {_MAX_FIELD} characters")
        if looks_like_formula(value):
            raise CountsFileError(line, f"{name} {value[:40]!r} starts with {value[0]!r}, "
                                        "which a spreadsheet would run as a formula")
    return period, section, indicator, count


def _consecutive(section: str, indicator: str, got: _Collected) -> CountSeries:
    start = min(got.by_month)
    end = max(got.by_month)
    counts = [got.by_month.get(month, 0.0) for month in range(start, end + 1)]
    filled = len(counts) - len(got.by_month)
    return CountSeries(section, indicator, start, counts, filled)


@dataclass(frozen=True)
class ForecastRow:
    period: str
    section: str
    indicator: str
    forecast: float
    lower80: float
    upper80: float


def write_forecast(path: Path, rows: Iterable[ForecastRow]) -> None:
    """Write FORECAST.csv atomically: a temporary file beside it, then a rename."""
    descriptor, temporary = tempfile.mkstemp(
        dir=path.resolve().parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(FORECAST_HEADER)
            for row in rows:
                writer.writerow(
                    [
                        row.period,
                        row.section,
                        row.indicator,
                        f"{row.forecast:.2f}",
                        f"{row.lower80:.2f}",
                        f"{row.upper80:.2f}",
                    ]
                )
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
