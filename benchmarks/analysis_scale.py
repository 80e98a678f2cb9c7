"""Indicators and anomaly alarms for 10 million generated incidents (50 sections, 10 years).

Prints one JSON line: wall time of each stage and peak memory (resident set, from the kernel).
``chegara_total_s`` is the four indicator breakdowns (section, crossing point, nationality,
agency) plus the alarms over every section x indicator series; the full cross-breakdown (all
four at once) is timed separately as a worst case.
Peer: a plain pandas group-by computing the same indicator table, for a side-by-side time. The
bulletin stage is built by the platform later and is reported as not yet measured.

    .venv/bin/python benchmarks/analysis_scale.py [--incidents 10000000]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from chegara.analysis.indicators import DEFAULT_RULES, indicator_alarms, monthly_indicators

SECTIONS = 50
YEARS = 10
CROSSING_POINTS_PER_SECTION = 4
NATIONALITIES = [f"N{i:02d}" for i in range(40)]
AGENCIES = ["border_guard", "customs", "police", "migration", "sps"]
TYPES = [t for rule in DEFAULT_RULES for t in rule.incident_types] + ["corruption", "other"]


def peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def generate(n: int, seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    start = int(datetime(2015, 1, 1).timestamp())
    span = int(datetime(2025, 1, 1).timestamp()) - start
    section_idx = rng.integers(0, SECTIONS, n)
    point_idx = section_idx * CROSSING_POINTS_PER_SECTION + rng.integers(
        0, CROSSING_POINTS_PER_SECTION, n
    )
    sections = pl.Series([f"S{i:02d}" for i in range(SECTIONS)])
    points = pl.Series([f"S{i // 4:02d}-CP{i % 4}" for i in range(SECTIONS * 4)])
    return pl.DataFrame(
        {
            "occurred_at": pl.from_epoch(
                pl.Series(start + rng.integers(0, span, n)), time_unit="s"
            ),
            "section": sections.gather(section_idx),
            "crossing_point": points.gather(point_idx),
            "nationality": pl.Series(NATIONALITIES).gather(rng.integers(0, len(NATIONALITIES), n)),
            "agency": pl.Series(AGENCIES).gather(rng.integers(0, len(AGENCIES), n)),
            "type": pl.Series(TYPES).gather(rng.integers(0, len(TYPES), n)),
            "persons": rng.integers(1, 6, n).astype(np.int64),
        }
    )


def pandas_indicators(frame: pl.DataFrame) -> tuple[int, int]:
    import pandas as pd

    rules = pd.DataFrame(
        [(t, r.indicator, r.measure == "persons") for r in DEFAULT_RULES for t in r.incident_types],
        columns=["type", "indicator", "by_persons"],
    )
    # Same data handed over column by column (no pyarrow in the environment).
    data = pd.DataFrame(
        {
            "occurred_at": frame["occurred_at"].to_numpy(),
            "section": frame["section"].to_numpy(),
            "type": frame["type"].to_numpy(),
            "persons": frame["persons"].to_numpy(),
        }
    )
    merged = data.merge(rules, on="type")
    merged["value"] = np.where(merged["by_persons"], merged["persons"], 1)
    merged["period"] = merged["occurred_at"].dt.to_period("M")
    out = merged.groupby(["period", "section", "indicator"], observed=True)["value"].sum()
    return len(out), int(out.sum())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=10_000_000)
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--no-cross", action="store_true", help="skip the full cross-breakdown")
    args = parser.parse_args()
    result: dict[str, object] = {
        "benchmark": "analysis_scale",
        "incidents": args.incidents,
        "sections": SECTIONS,
        "years": YEARS,
    }
    t0 = time.perf_counter()
    incidents = generate(args.incidents)
    result["generate_s"] = round(time.perf_counter() - t0, 2)
    result["rss_after_generate_mib"] = round(peak_rss_mib(), 0)

    # The bulletin's tables: each breakdown on its own (section x indicator x month, etc.).
    indicator_seconds = 0.0
    tables: dict[str, pl.DataFrame] = {}
    for breakdown in ("section", "crossing_point", "nationality", "agency"):
        t0 = time.perf_counter()
        tables[breakdown] = monthly_indicators(incidents, by=(breakdown,))
        elapsed = time.perf_counter() - t0
        indicator_seconds += elapsed
        result[f"indicators_by_{breakdown}_s"] = round(elapsed, 2)
        result[f"indicator_rows_by_{breakdown}"] = tables[breakdown].height
    result["indicators_s"] = round(indicator_seconds, 2)
    by_section = tables["section"]

    t0 = time.perf_counter()
    alarms = indicator_alarms(by_section)
    alarm_seconds = time.perf_counter() - t0
    result["alarms_s"] = round(alarm_seconds, 2)
    result["alarm_series"] = by_section.select(["section", "indicator"]).unique().height
    result["alarm_months_evaluated"] = alarms.height
    result["alarms_raised"] = int(alarms["alarm"].sum())
    result["chegara_total_s"] = round(indicator_seconds + alarm_seconds, 2)
    result["peak_rss_mib"] = round(peak_rss_mib(), 0)
    if not args.no_cross:
        # Not needed by the bulletin: every combination at once, the worst case for a group-by.
        t0 = time.perf_counter()
        cross = monthly_indicators(
            incidents, by=("section", "crossing_point", "nationality", "agency")
        )
        result["indicators_full_cross_s"] = round(time.perf_counter() - t0, 2)
        result["indicator_rows_full_cross"] = cross.height
        del cross
        result["peak_rss_with_cross_mib"] = round(peak_rss_mib(), 0)
    if not args.no_peer:
        t0 = time.perf_counter()
        rows, total = pandas_indicators(incidents)
        result["peer"] = "pandas merge + groupby, indicators by section"
        result["peer_indicators_by_section_s"] = round(time.perf_counter() - t0, 2)
        result["peer_same_result"] = rows == by_section.height and total == int(
            by_section["count"].sum()
        )
        result["peak_rss_with_peer_mib"] = round(peak_rss_mib(), 0)
    result["bulletin"] = "not yet measured (built by the platform later)"
    print(json.dumps(result))


if __name__ == "__main__":
    main()
