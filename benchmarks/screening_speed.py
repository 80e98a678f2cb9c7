"""Screening speed: Chegara and nomenklatura logic-v2 side by side, one process each.

    python benchmarks/screening_speed.py [--size 1000000] [--peer-sample 200]

1. The dev list (20,150 entries): Chegara index build, serialise/load, and queries per second
   over all 5,042 dev queries; logic-v2 (inverted-index blocking, <= 100 candidates) on a seeded
   sample of the same queries.
2. A generated list of --size entries (dev name parts recombined, half romanised) plus the dev
   list: Chegara build time, the index's memory (growth of the process's peak resident set
   during the build), queries per second over the dev queries and the recall/fpr it keeps;
   logic-v2 on a sample against the same list.
Prints one JSON line.  (API latency under load is measured by the platform's benchmark.)
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screening_common import PeerLogicV2, generated_watchlist, load_dev, score_run

from chegara.screening.matcher import Query, ScreeningIndex, ScreeningInputError


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def chegara_rate(
    index: ScreeningIndex, queries: list[tuple[str, Query]]
) -> tuple[float, float, dict[str, list[tuple[str, float]]]]:
    """Queries per second by the wall clock and by the process's CPU time (the machine is
    shared: CPU time shows the rate an idle core would give)."""
    results: dict[str, list[tuple[str, float]]] = {}
    t0, c0 = time.perf_counter(), time.process_time()
    for qid, q in queries:
        try:
            results[qid] = [(h.entry_id, h.score) for h in index.screen(q)]
        except ScreeningInputError:
            results[qid] = []
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return len(queries) / wall, len(queries) / cpu, results


def peer_rate(peer: PeerLogicV2, sample: list[tuple[str, Query]]) -> tuple[float, float]:
    # Entities of the candidates are made before the clock starts (a real deployment keeps
    # them in memory), so the rate is blocking plus logic-v2 comparisons.
    for _, q in sample:
        for i in peer.candidates(q.name):
            peer.proxy(i)
    t0, c0 = time.perf_counter(), time.process_time()
    for _, q in sample:
        peer.screen(q)
    return len(sample) / (time.perf_counter() - t0), len(sample) / (time.process_time() - c0)


def import_seconds() -> float:
    code = (
        "import time; t = time.perf_counter(); import chegara.screening.matcher; "
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--peer-sample", type=int, default=200)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    result: dict[str, object] = {"benchmark": "screening_speed", "machine_cores": 2}
    result["module_import_seconds"] = round(import_seconds(), 3)

    entries, queries, truth = load_dev()
    t0 = time.perf_counter()
    index = ScreeningIndex.build(entries)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    blob = index.to_bytes()
    dump = time.perf_counter() - t0
    t0 = time.perf_counter()
    ScreeningIndex.from_bytes(blob)
    load = time.perf_counter() - t0
    rate, cpu_rate, _ = chegara_rate(index, queries)
    warm_rate, warm_cpu_rate, _ = chegara_rate(index, queries)
    sample = random.Random(args.seed).sample(queries, args.peer_sample)
    peer = PeerLogicV2(entries)
    prate, pcpu_rate = peer_rate(peer, sample)
    result["dev_list"] = {
        "entries": len(entries),
        "chegara_build_seconds": round(build, 3),
        "chegara_to_bytes_seconds": round(dump, 3),
        "chegara_from_bytes_seconds": round(load, 3),
        "chegara_index_bytes": len(blob),
        "chegara_queries": len(queries),
        "chegara_queries_per_second": round(rate, 1),
        "chegara_queries_per_cpu_second": round(cpu_rate, 1),
        "chegara_second_pass_queries_per_second": round(warm_rate, 1),
        "chegara_second_pass_queries_per_cpu_second": round(warm_cpu_rate, 1),
        "peer_queries": len(sample),
        "peer_queries_per_second": round(prate, 2),
        "peer_queries_per_cpu_second": round(pcpu_rate, 2),
        "ratio": round(rate / prate, 1),
        "ratio_cpu": round(cpu_rate / pcpu_rate, 1),
    }
    del peer, index, blob

    if args.size > 0:
        big = generated_watchlist(args.size)
        before = peak_rss_mb()
        t0 = time.perf_counter()
        large = ScreeningIndex.build(big)
        large.add_many(entries)
        build = time.perf_counter() - t0
        growth = peak_rss_mb() - before
        rate, cpu_rate, results = chegara_rate(large, queries)
        warm_rate, warm_cpu_rate, _ = chegara_rate(large, queries)
        # The generated persons reuse real name parts, so some share a query's full name: such
        # hits are namesakes, not errors of the matcher.  Recall and fpr are taken on the dev
        # entries; the share of queries with a namesake hit is reported beside them.
        dev_ids = {e.entry_id for e in entries}
        quality = score_run(
            {q: [h for h in hits if h[0] in dev_ids] for q, hits in results.items()}, truth
        )
        namesakes = sum(any(h[0] not in dev_ids for h in hits) for hits in results.values())
        peer = PeerLogicV2(big + entries)
        prate, pcpu_rate = peer_rate(peer, sample[: max(1, args.peer_sample // 2)])
        result["large_list"] = {
            "entries": len(large),
            "chegara_build_seconds": round(build, 1),
            "chegara_build_peak_rss_growth_mb": round(growth),
            "chegara_queries_per_second": round(rate, 1),
            "chegara_queries_per_cpu_second": round(cpu_rate, 1),
            "chegara_second_pass_queries_per_second": round(warm_rate, 1),
            "chegara_second_pass_queries_per_cpu_second": round(warm_cpu_rate, 1),
            "chegara_recall": quality["recall"],
            "chegara_fpr_on_dev_entries": quality["fpr"],
            "queries_with_a_generated_namesake_hit": round(namesakes / len(results), 4),
            "peer_queries": max(1, args.peer_sample // 2),
            "peer_queries_per_second": round(prate, 2),
            "peer_queries_per_cpu_second": round(pcpu_rate, 2),
            "ratio": round(rate / prate, 1),
            "ratio_cpu": round(cpu_rate / pcpu_rate, 1),
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
