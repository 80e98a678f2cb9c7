"""The development set of ../shared/data/screening: recall and false-positive rate at the default
threshold, computed the way its score.py computes them."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from chegara.screening.csv_formats import iter_queries_csv, read_watchlist_csv
from chegara.screening.matcher import ScreeningIndex

DATA = Path(os.environ["CHEGARA_SHARED_DATA"]) / "screening"
pytestmark = pytest.mark.shared_data


@pytest.mark.slow
def test_dev_set_recall_and_false_positive_rate() -> None:
    index = ScreeningIndex.build(read_watchlist_csv(DATA / "watchlist.csv", "dev"))
    with (DATA / "truth.csv").open(newline="", encoding="utf-8") as fh:
        expected = {r["query_id"]: r["expected_entry_id"].strip() for r in csv.DictReader(fh)}
    rows = list(iter_queries_csv(DATA / "queries.csv"))
    # Two forked workers, as a long `chegara screen` file may use; order must be kept.
    results = index.screen_many([q for _, q in rows], workers=2)
    sample = range(0, len(rows), 97)
    assert [results[i] for i in sample] == [index.screen(rows[i][1]) for i in sample]
    found = wrong = positives = negatives = negative_hits = 0
    for (qid, _), result in zip(rows, results, strict=True):
        assert not isinstance(result, Exception)
        hits = [(h.entry_id, h.score) for h in result]
        target = expected[qid]
        if not target:
            negatives += 1
            negative_hits += bool(hits)
            continue
        positives += 1
        scores = [s for e, s in hits if e == target]
        true_score = max(scores) if scores else float("-inf")
        found += bool(scores)
        wrong += any(e != target and s > true_score for e, s in hits)
    recall = found / positives
    fpr = negative_hits / negatives + wrong / positives
    assert positives == 2042 and negatives == 3000
    assert recall >= 0.99, recall
    assert fpr <= 0.01, fpr
