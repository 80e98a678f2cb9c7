"""Indicators and anomaly alarms for 10 million generated incidents (50 sections, 10 years).

Prints one JSON line: wall time of each stage and peak memory (resident set, from the kernel).
``chegara_total_s`` is the four indicator breakdowns (section, crossing point, nationality,
agency) plus the alarms over every section x indicator series; the full cross-breakdown (all
four at once) is timed separately as a worst case.
Peer: a plain pandas group-by computing the same indicator table, for a side-by-side time.

The bulletin: the by-section indicator table is imported into a fresh SQLite installation (demo
users, 50 generated border sections on a ring with 4 crossing points each) through the
platform's statistics import, then the monthly bulletin for December 2024 is built by the
platform (indicator table from the database, alarms over every series, Gi* hotspots,
displacement, trends, forecasts, charts, the map) as HTML and printed to PDF with WeasyPrint.
``total_with_bulletin_s`` adds the bulletin's HTML and PDF to ``chegara_total_s``.

    .venv/bin/python benchmarks/analysis_scale.py [--incidents 10000000] [--no-bulletin]
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import sys
import tempfile
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


def ring_sections(session: object) -> None:
    """50 sections S00..S49 along a ring inside the Kyrgyz map box, each meeting the next."""
    from chegara.analysis.models import BorderSection, CrossingPoint

    def at(step: float) -> list[float]:
        angle = 2 * math.pi * step / SECTIONS
        return [74.5 + 4.5 * math.cos(angle), 41.5 + 1.6 * math.sin(angle)]

    for i in range(SECTIONS):
        code = f"S{i:02d}"
        section = BorderSection(
            code=code, neighbour_code="KZ", oblast=f"Oblast {i // 10}",
            path=[at(i + k / 4) for k in range(5)],
            neighbours=[f"S{(i - 1) % SECTIONS:02d}", f"S{(i + 1) % SECTIONS:02d}"],
        )
        session.add(section)  # type: ignore[attr-defined]
        session.flush()  # type: ignore[attr-defined]
        for k in range(CROSSING_POINTS_PER_SECTION):
            lon, lat = at(i + (k + 0.5) / CROSSING_POINTS_PER_SECTION)
            session.add(CrossingPoint(  # type: ignore[attr-defined]
                code=f"{code}-CP{k}", name=f"{code}-CP{k}", section_id=section.id,
                lon=lon, lat=lat))


def bulletin_stage(by_section: pl.DataFrame, result: dict[str, object]) -> None:
    """Import the aggregated table into a fresh installation and build the bulletin there."""
    from chegara.analysis import products, service
    from chegara.db.migrate import upgrade
    from chegara.db.registry import load_all_models
    from chegara.db.session import open_database
    from chegara.demo.load import load_demo
    from chegara.pdf import html_to_pdf
    from chegara.security import audit
    from chegara.security import service as security
    from chegara.settings import Settings

    with tempfile.TemporaryDirectory() as home:
        # Cheap password hashing: the demo users' set-up is not what is measured.
        settings = Settings(home=Path(home), argon2_time_cost=1,  # type: ignore[call-arg]
                            argon2_memory_kib=8192)
        load_all_models()
        upgrade(settings.resolved_database_url)
        db = open_database(settings)
        load_demo(database=db, migrate=False, capabilities=False)
        lines = ["period,section,indicator,count"] + [
            f"{r['period']},{r['section']},{r['indicator']},{int(r['count'])}"
            for r in by_section.iter_rows(named=True)
        ]
        t0 = time.perf_counter()
        with db.unit_of_work() as session:
            audit.set_actor(session, audit.Actor.system("bench:analysis_scale"))
            ring_sections(session)
            analyst = security.principal_for(session, security.find_user(session, "ncc.analyst"))
            imported = service.import_statistics(session, analyst, lines,
                                                 source_name="generated.csv")
        result["bulletin_import_rows"] = imported.rows
        result["bulletin_import_s"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        with db.reader() as session:
            analyst = security.principal_for(session, security.find_user(session, "ncc.analyst"))
            built = products.build_product(session, analyst, kind="bulletin", period="2024-12",
                                           edition="restricted", language="ru")
        result["bulletin_html_s"] = round(time.perf_counter() - t0, 2)
        result["bulletin_html_bytes"] = len(built.html.encode("utf-8"))
        result["bulletin_svg_figures"] = built.html.count("<svg")
        result["bulletin_table_rows"] = built.html.count("</tr>")
        t0 = time.perf_counter()
        pdf = html_to_pdf(built.html)
        result["bulletin_pdf_s"] = round(time.perf_counter() - t0, 2)
        result["bulletin_pdf_bytes"] = len(pdf)
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=10_000_000)
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--no-cross", action="store_true", help="skip the full cross-breakdown")
    parser.add_argument("--no-bulletin", action="store_true", help="skip the bulletin stage")
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
    if not args.no_bulletin:
        bulletin_stage(by_section, result)
        result["total_with_bulletin_s"] = round(
            indicator_seconds + alarm_seconds + float(result["bulletin_html_s"])  # type: ignore[arg-type]
            + float(result["bulletin_pdf_s"]), 2)  # type: ignore[arg-type]
        result["peak_rss_with_bulletin_mib"] = round(peak_rss_mib(), 0)
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
    print(json.dumps(result))


if __name__ == "__main__":
    main()
