"""Declarations scored per second with rules and model, and a 10-million-parcel stream.

1. Batch: a model is trained on the 2020 Korea training split; 1,000,000 declarations are drawn
   (with replacement, fresh ids) from the Q1 2021 validation split. Timed stages: model score
   (features + trees + calibration), 20 risk profiles, and selection per office-day; the total
   is the throughput of one process doing all three. The trees run on LightGBM's predictor and,
   when the optional lleaves package is installed, on the compiled model too.
   Peer: plain LightGBM predicting the same rows from a ready label-encoded matrix (the
   paper's baseline model, no features, no rules, no selection).
2. Stream: 10,000,000 generated e-commerce parcels in chunks of 100,000, scored with model and
   profiles and channelled by fixed cut-offs (`bulk.score_chunks`). Reports throughput
   (generation time excluded) and peak resident memory, and the resident memory after the
   first chunk, to show that memory does not grow with the stream.

Prints one JSON line.    .venv/bin/python benchmarks/targeting_speed.py [--parcels 10000000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from chegara.targeting.bulk import StreamSettings, score_chunks
from chegara.targeting.declarations import label_values, load_declarations, load_field_map
from chegara.targeting.model import RiskModel, train_model
from chegara.targeting.rules import ProfileSet, evaluate, parse_profile_set
from chegara.targeting.selection import SelectionPolicy, score_thresholds, select

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "customs"
BATCH = 1_000_000
CHUNK = 100_000


def resident_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def profiles_for(frame: pd.DataFrame) -> ProfileSet:
    importers = frame["importer_id"].drop_duplicates().sample(200, random_state=1).tolist()
    specs: list[dict[str, Any]] = [
        {"id": "WATCH", "when": {"watchlist": "suspects"}, "action": {"channel": "red"}},
        {"id": "UNDERVALUED", "when": {"price_below_reference": 0.2},
         "action": {"channel": "yellow", "selection_percent": 30}},
        {"id": "TOYS-CN", "when": {"all": [{"hs": ["9503"]},
                                           {"field": "origin_country", "in": ["CN", "HK"]}]},
         "action": {"channel": "yellow", "selection_percent": 10}},
        {"id": "HIGH-DUTY", "when": {"all": [{"field": "tax_rate", "ge": 30},
                                             {"field": "value", "gt": 5_000_000}]},
         "action": {"channel": "red", "selection_percent": 50}},
        {"id": "NOT-EU", "when": {"not": {"field": "origin_country",
                                          "in": ["DE", "FR", "IT", "NL", "BE", "ES"]}},
         "action": {"channel": "yellow", "selection_percent": 0.5}},
    ]
    for i, chapter in enumerate(range(1, 98, 7)):  # 14 chapter-range profiles
        specs.append({"id": f"HS{chapter:02d}", "when": {"any": [
            {"hs": [f"{chapter:02d}-{min(chapter + 2, 97):02d}"]},
            {"field": "departure_country", "in": ["IR", "KP", "SY"]}]},
            "action": {"channel": "yellow", "selection_percent": 1 + i % 3}})
    specs.append({"id": "COURIER", "when": {"field": "courier_id", "empty": False},
                  "action": {"channel": "blue", "selection_percent": 1}})
    return parse_profile_set({"watchlists": {"suspects": {"ids": importers}},
                              "profiles": specs})


def draw_batch(pool: pd.DataFrame, size: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    batch = pool.iloc[rng.integers(0, len(pool), size)].reset_index(drop=True)
    batch["declaration_id"] = pd.Series(np.arange(size) + 10_000_000 * (seed + 1)).astype(str)
    return batch


def parcel_stream(pool: pd.DataFrame, total: int, seed: int = 0) -> Iterator[pd.DataFrame]:
    """E-commerce parcels: real code combinations, low random values and masses, new ids."""
    rng = np.random.default_rng(seed)
    made = 0
    while made < total:
        size = min(CHUNK, total - made)
        chunk = pool.iloc[rng.integers(0, len(pool), size)].reset_index(drop=True)
        chunk["declaration_id"] = pd.Series(np.arange(made, made + size)).astype(str)
        chunk["value"] = np.round(rng.lognormal(10.5, 1.0, size), 0)
        chunk["net_mass_kg"] = np.round(rng.lognormal(0.0, 1.0, size), 2)
        made += size
        yield chunk


def time_batch(model: RiskModel, profiles: ProfileSet, batch: pd.DataFrame) -> dict[str, float]:
    """Wall-clock rates, and rates per CPU-second of this process (less sensitive to other
    jobs sharing the machine's two cores)."""
    started, cpu_started = time.perf_counter(), time.process_time()
    scores = model.score(batch)
    scored, cpu_scored = time.perf_counter(), time.process_time()
    hits = evaluate(profiles, batch, prices=model.prices)
    ruled, cpu_ruled = time.perf_counter(), time.process_time()
    chosen = select(batch, scores, policy=SelectionPolicy(), rule_hits=hits)
    done, cpu_done = time.perf_counter(), time.process_time()
    n = len(batch)
    return {
        "score_per_second": round(n / (scored - started)),
        "rules_per_second": round(n / (ruled - scored)),
        "selection_per_second": round(n / (done - ruled)),
        "total_per_second": round(n / (done - started)),
        "score_per_cpu_second": round(n / (cpu_scored - cpu_started)),
        "rules_per_cpu_second": round(n / (cpu_ruled - cpu_scored)),
        "selection_per_cpu_second": round(n / (cpu_done - cpu_ruled)),
        "total_per_cpu_second": round(n / (cpu_done - cpu_started)),
        "red_share": round(float((chosen.channel == "red").mean()), 4),
        "rule_hit_share": round(float(hits.fired.any(axis=1).mean()), 4),
    }


def peer_rows_per_second(train: pd.DataFrame, y: np.ndarray, batch: pd.DataFrame) -> int:
    import lightgbm as lgb

    columns = ["office", "process_type", "import_type", "import_use", "payment_type",
               "transport_mode", "declarant_id", "importer_id", "seller_id", "courier_id",
               "hs_code", "departure_country", "origin_country", "tax_type", "origin_indicator"]
    both = pd.concat([train, batch], ignore_index=True)
    matrix = np.column_stack(
        [pd.factorize(both[c].astype(str), sort=True)[0] for c in columns]
        + [both[c].astype(float).to_numpy() for c in ("tax_rate", "net_mass_kg", "value")])
    model = lgb.LGBMClassifier(verbose=-1, n_jobs=1).fit(matrix[: len(train)], y.astype(int))
    ready = np.ascontiguousarray(matrix[len(train):], dtype=np.float64)
    started = time.perf_counter()
    model.booster_.predict(ready, num_threads=1)
    return round(len(ready) / (time.perf_counter() - started))


def run_stream(model: RiskModel, profiles: ProfileSet, pool: pd.DataFrame, parcels: int,
               settings: StreamSettings, compiled: bool) -> dict[str, Any]:
    rss_first = None
    scored = red = 0
    scoring_seconds = scoring_cpu_seconds = generation_seconds = 0.0
    stream = parcel_stream(pool, parcels)
    while True:
        started = time.perf_counter()
        chunk = next(stream, None)
        generation_seconds += time.perf_counter() - started
        if chunk is None:
            break
        started, cpu_started = time.perf_counter(), time.process_time()
        for out in score_chunks([chunk], model, settings, profiles=profiles):
            scored += len(out)
            red += int((out["channel"] == "red").sum())
        scoring_seconds += time.perf_counter() - started
        scoring_cpu_seconds += time.process_time() - cpu_started
        if rss_first is None:
            rss_first = resident_mib()
    return {
        "parcels": scored, "chunk": CHUNK,
        "per_second": round(scored / scoring_seconds),
        "per_cpu_second": round(scored / scoring_cpu_seconds),
        "scoring_seconds": round(scoring_seconds, 1),
        "generation_seconds": round(generation_seconds, 1),
        "red_share": round(red / max(scored, 1), 4),
        "rss_after_first_chunk_mib": round(rss_first or float("nan"), 1),
        "rss_at_end_mib": round(resident_mib(), 1),
        "peak_rss_mib": round(peak_mib(), 1),
        "trees": "compiled" if compiled else "lightgbm",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parcels", type=int, default=10_000_000)
    parser.add_argument("--batch", type=int, default=BATCH)
    args = parser.parse_args()
    field_map = load_field_map(DATA / "map.yaml")
    train = load_declarations(DATA / "korea_train.csv", field_map, keep_columns=("Fraud",))
    valid = load_declarations(DATA / "korea_valid.csv", field_map)
    y = label_values(train, "Fraud").astype(float)
    model = train_model(train, y)
    profiles = profiles_for(valid)
    result: dict[str, Any] = {"benchmark": "targeting_speed",
                              "profiles": len(profiles.profiles), "threads": 1,
                              "cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()}
    model.score(valid.iloc[:1000])  # warm caches (indexes of the history store)
    with tempfile.TemporaryDirectory() as cache:
        # The stream runs first so that the peak resident memory reported is the stream's
        # (plus the trained model), not that of the one-million-row batch measured after.
        compiled = model.compile(cache)
        result["compiled_trees_available"] = compiled
        reference = model.score(valid)
        red_cut, yellow_cut = score_thresholds(reference, SelectionPolicy())
        result["stream"] = run_stream(model, profiles, valid, args.parcels,
                                      StreamSettings(red_cut, yellow_cut), compiled)
        batch = draw_batch(valid, args.batch, seed=1)
        result["batch"] = len(batch)
        if compiled:
            result["compiled_trees"] = time_batch(model, profiles, batch)
        model.compiled = None
        result["lightgbm_trees"] = time_batch(model, profiles, batch)
    reasons_started = time.perf_counter()
    model.reasons(batch.iloc[:2000])
    result["reasons_per_second"] = round(2000 / (time.perf_counter() - reasons_started))
    result["peer_plain_lightgbm_predict_per_second"] = peer_rows_per_second(train, y, batch)
    result["load_average_at_end"] = os.getloadavg()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
