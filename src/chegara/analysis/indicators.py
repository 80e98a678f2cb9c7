"""The monthly indicator set, from recorded incidents and from imported statistics.

The risk analysis network exchanges monthly indicators (Frontex FRAN style): detections of
illegal border-crossing, clandestine entry, facilitators, illegal stay, refusals of entry,
false documents, returns; the customs, SPS and drug services add their seizures. Chegara
computes them from its own incident table, and takes official statistics imported as
``period,section,indicator,count`` rows where the incidents are not recorded in Chegara.

Vectorised with Polars (lazy, one group-by) because a national centre holds millions of
incidents over years and the bulletin recomputes the set on demand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl

from chegara.analysis.anomaly import METHOD as ALARM_METHOD
from chegara.analysis.anomaly import farrington_alarms_many

Measure = Literal["persons", "incidents"]
BREAKDOWNS = ("section", "crossing_point", "nationality", "agency")
INCIDENT_COLUMNS = ("occurred_at", "section", "crossing_point", "nationality", "agency", "type")
PERSONS = "persons"


@dataclass(frozen=True)
class IndicatorRule:
    """Which incident types feed an indicator, and whether it counts persons or incidents."""

    indicator: str
    incident_types: tuple[str, ...]
    measure: Measure


# Person-based indicators count people (FRAN counts detected persons); seizures count cases.
DEFAULT_RULES: tuple[IndicatorRule, ...] = (
    IndicatorRule("illegal_border_crossing", ("illegal_border_crossing",), "persons"),
    IndicatorRule("clandestine_entry", ("clandestine_entry",), "persons"),
    IndicatorRule("facilitators", ("facilitator",), "persons"),
    IndicatorRule("illegal_stay", ("illegal_stay",), "persons"),
    IndicatorRule("refusals_of_entry", ("refusal_of_entry",), "persons"),
    IndicatorRule("false_documents", ("false_document",), "incidents"),
    IndicatorRule("returns", ("return",), "persons"),
    IndicatorRule(
        "customs_seizures",
        ("tobacco", "weapons", "stolen_vehicle", "goods_smuggling", "currency"),
        "incidents",
    ),
    IndicatorRule("sps_seizures", ("sps_violation",), "incidents"),
    IndicatorRule("drug_seizures", ("drugs",), "incidents"),
)
INDICATORS = tuple(rule.indicator for rule in DEFAULT_RULES)


def _rules_frame(rules: Iterable[IndicatorRule]) -> pl.LazyFrame:
    rows = [
        (incident_type, rule.indicator, rule.measure == "persons")
        for rule in rules
        for incident_type in rule.incident_types
    ]
    return pl.LazyFrame(
        {
            "type": [r[0] for r in rows],
            "indicator": [r[1] for r in rows],
            "_by_persons": [r[2] for r in rows],
        },
        schema={"type": pl.Utf8, "indicator": pl.Utf8, "_by_persons": pl.Boolean},
    )


def monthly_indicators(
    incidents: pl.DataFrame | pl.LazyFrame,
    *,
    by: Sequence[str] = ("section",),
    rules: Sequence[IndicatorRule] = DEFAULT_RULES,
) -> pl.DataFrame:
    """Indicator counts per month and breakdown: columns period, *by, indicator, count.

    ``incidents`` needs ``occurred_at`` (date or datetime; the month is taken as stored),
    ``type``, ``persons`` (null counts as one person) and the ``by`` columns. Months with no
    incident of a kind produce no row (see :func:`complete_months` to fill zeros).
    """
    unknown = [column for column in by if column not in BREAKDOWNS]
    if unknown:
        raise ValueError(f"cannot break indicators down by {unknown}; use {BREAKDOWNS}")
    frame = incidents.lazy()
    month = pl.col("occurred_at").dt.year().cast(pl.Int32) * 12 + (
        pl.col("occurred_at").dt.month().cast(pl.Int32) - 1
    )
    persons = pl.col(PERSONS).fill_null(1).cast(pl.Int64)
    value = pl.when(pl.col("_by_persons")).then(persons).otherwise(pl.lit(1, dtype=pl.Int64))
    aggregated = (
        frame.select(["occurred_at", "type", PERSONS, *by])
        .join(_rules_frame(rules), on="type", how="inner")
        .group_by([month.alias("_month"), *by, "indicator"])
        .agg(value.sum().alias("count"))
        .sort(["_month", *by, "indicator"])
        .collect()
    )
    return _with_period(aggregated).select(["period", *by, "indicator", "count"])


def _with_period(frame: pl.DataFrame) -> pl.DataFrame:
    year = (pl.col("_month") // 12).cast(pl.Utf8).str.zfill(4)
    month = (pl.col("_month") % 12 + 1).cast(pl.Utf8).str.zfill(2)
    return frame.with_columns(pl.concat_str([year, month], separator="-").alias("period"))


def combine_with_statistics(computed: pl.DataFrame, imported: pl.DataFrame) -> pl.DataFrame:
    """Section indicators from incidents plus imported statistics, with a ``source`` column.

    Where both give a figure for the same period, section and indicator the imported official
    statistic wins: it is the agency's validated number, the incidents may be incomplete.
    """
    keys = ["period", "section", "indicator"]
    ours = computed.select([*keys, pl.col("count").cast(pl.Float64)]).with_columns(
        pl.lit("incidents").alias("source")
    )
    theirs = imported.select([*keys, pl.col("count").cast(pl.Float64)]).with_columns(
        pl.lit("statistics").alias("source")
    )
    kept = ours.join(theirs.select(keys), on=keys, how="anti")
    return pl.concat([kept, theirs]).sort(keys)


def complete_months(
    frame: pl.DataFrame, *, keys: Sequence[str]
) -> dict[tuple[str, ...], tuple[int, np.ndarray]]:
    """Each series of ``keys`` as (first month index, counts) with absent months as zeros.

    All series span the same months (the frame's first to last period), so they line up for
    comparisons across sections.
    """
    if frame.is_empty():
        return {}
    months = frame.select(
        (
            pl.col("period").str.slice(0, 4).cast(pl.Int32) * 12
            + pl.col("period").str.slice(5, 2).cast(pl.Int32)
            - 1
        ).alias("_month"),
        *keys,
        pl.col("count").cast(pl.Float64),
    )
    first = int(months["_month"].min())  # type: ignore[arg-type]
    last = int(months["_month"].max())  # type: ignore[arg-type]
    series: dict[tuple[str, ...], tuple[int, np.ndarray]] = {}
    for key, group in months.group_by(list(keys), maintain_order=True):
        values = np.zeros(last - first + 1)
        positions = group["_month"].to_numpy() - first
        np.add.at(values, positions, group["count"].to_numpy())
        series[tuple(str(k) for k in key)] = (first, values)
    return series


def indicator_alarms(
    frame: pl.DataFrame, *, keys: Sequence[str] = ("section", "indicator"), alpha: float = 0.01
) -> pl.DataFrame:
    """Farrington-flexible alarms for every series: period, *keys, count, expected, upper, alarm.

    Months without enough history (the first three years and two months) are left out.
    """
    series = complete_months(frame, keys=keys)
    if not series:
        return pl.DataFrame()
    names = list(series)
    first = next(iter(series.values()))[0]
    matrix = np.vstack([counts for _, counts in series.values()])
    results = farrington_alarms_many(matrix, alpha=alpha)
    ready = np.flatnonzero(~np.isnan(results[0].expected))
    columns: dict[str, object] = {
        "_month": np.tile(ready + first, len(names)).astype(np.int32),
        "count": np.concatenate([r.observed[ready] for r in results]),
        "expected": np.concatenate([r.expected[ready] for r in results]),
        "upper": np.concatenate([r.upper[ready] for r in results]),
        "alarm": np.concatenate([r.alarm[ready] for r in results]),
    }
    for position, name in enumerate(keys):
        columns[name] = np.repeat(np.array([key[position] for key in names]), ready.size)
    table = pl.DataFrame(columns)
    return (
        _with_period(table)
        .select(["period", *keys, "count", "expected", "upper", "alarm"])
        .with_columns(pl.lit(ALARM_METHOD).alias("method"))
    )
