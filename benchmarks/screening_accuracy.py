"""Screening accuracy: Chegara and nomenklatura logic-v2 side by side on the dev set.

    python benchmarks/screening_accuracy.py [--sample 600] [--seed 3]

Chegara screens all 5,042 queries of ../shared/data/screening at its default threshold.
logic-v2 (threshold 0.7, inverted-index blocking of at most 100 candidates) is too slow for all
of them in a benchmark run, so both are also scored on the same seeded random sample of queries.
Prints one JSON line: recall, false-positive rate and recall per scheme/distortion.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screening_common import PeerLogicV2, load_dev, score_run

from chegara.screening.matcher import (
    DEFAULT_THRESHOLD,
    ScreeningIndex,
    ScreeningInputError,
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sample", type=int, default=600, help="queries for the peer (0: all)")
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()

    entries, queries, truth = load_dev()
    index = ScreeningIndex.build(entries)
    chegara: dict[str, list[tuple[str, float]]] = {}
    for qid, q in queries:
        try:
            chegara[qid] = [(h.entry_id, h.score) for h in index.screen(q)]
        except ScreeningInputError:
            chegara[qid] = []

    sample = queries if args.sample <= 0 else random.Random(args.seed).sample(queries, args.sample)
    sample_ids = [qid for qid, _ in sample]
    peer = PeerLogicV2(entries)
    peer_results: dict[str, list[tuple[str, float]]] = {}
    t0 = time.perf_counter()
    for qid, q in sample:
        peer_results[qid] = peer.screen(q)
    peer_seconds = time.perf_counter() - t0

    full = score_run(chegara, truth)
    on_sample = score_run({q: chegara[q] for q in sample_ids}, truth)
    peer_score = score_run(peer_results, truth)
    labels = sorted(set(on_sample["recall_by_label"]) | set(peer_score["recall_by_label"]))
    print(
        json.dumps(
            {
                "benchmark": "screening_accuracy",
                "dataset": "shared/data/screening (dev)",
                "chegara_threshold": DEFAULT_THRESHOLD,
                "peer": "nomenklatura logic-v2, threshold 0.7, <=100 candidates per query",
                "chegara_all_queries": {k: v for k, v in full.items() if k != "recall_by_label"},
                "sample": {"size": len(sample_ids), "seed": args.seed},
                "chegara_sample": {k: v for k, v in on_sample.items() if k != "recall_by_label"},
                "peer_sample": {k: v for k, v in peer_score.items() if k != "recall_by_label"},
                "peer_seconds": round(peer_seconds, 1),
                "recall_by_label": {
                    label: {
                        "chegara_all": full["recall_by_label"].get(label),
                        "chegara_sample": on_sample["recall_by_label"].get(label),
                        "peer_sample": peer_score["recall_by_label"].get(label),
                    }
                    for label in labels
                },
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
