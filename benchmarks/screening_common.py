"""Shared helpers of the screening benchmarks: the dev set, the peer (nomenklatura logic-v2 with
an inverted-index blocker) and a generated large watchlist.

The peer is called as the issue describes: logic-v2 at threshold 0.7, candidates from an
inverted index (ASCII-folded name tokens and their metaphone codes, ranked by summed inverse
document frequency), at most 100 per query.
"""

from __future__ import annotations

import csv
import heapq
import itertools
import math
import random
import re
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

from chegara.screening import names as nm
from chegara.screening import translit_tables as tt
from chegara.screening.csv_formats import iter_queries_csv, read_watchlist_csv
from chegara.screening.matcher import Query, WatchlistEntry

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "screening"
PEER_THRESHOLD = 0.7
PEER_CANDIDATES = 100
_QUERY_IDS = itertools.count(1)


def load_dev() -> tuple[list[WatchlistEntry], list[tuple[str, Query]], dict[str, dict[str, str]]]:
    entries = read_watchlist_csv(DATA / "watchlist.csv", "dev")
    queries = list(iter_queries_csv(DATA / "queries.csv"))
    with (DATA / "truth.csv").open(newline="", encoding="utf-8") as fh:
        truth = {r["query_id"]: r for r in csv.DictReader(fh)}
    return entries, queries, truth


def score_run(
    results: dict[str, list[tuple[str, float]]], truth: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """recall, fpr and recall by scheme/distortion label, as score.py computes them."""
    pos = neg = found = wrong = neg_hit = 0
    by_label: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for qid, hits in results.items():
        t = truth[qid]
        exp = t["expected_entry_id"].strip()
        if not exp:
            neg += 1
            neg_hit += bool(hits)
            continue
        pos += 1
        scores = [s for e, s in hits if e == exp]
        tscore = max(scores) if scores else float("-inf")
        ok = bool(scores)
        found += ok
        wrong += any(e != exp and s > tscore for e, s in hits)
        for label in (t.get("variants") or t.get("variant") or "all").split(";"):
            if label:
                by_label[label][0] += ok
                by_label[label][1] += 1
    return {
        "queries": pos + neg,
        "recall": round(found / pos, 4) if pos else None,
        "fpr": round((neg_hit / neg if neg else 0) + (wrong / pos if pos else 0), 4),
        "fpr_negatives_with_hit": round(neg_hit / neg, 4) if neg else None,
        "fpr_wrong_entry_above_true": round(wrong / pos, 4) if pos else None,
        "recall_by_label": {k: round(v[0] / v[1], 3) for k, v in sorted(by_label.items())},
    }


class PeerLogicV2:
    """nomenklatura logic-v2 behind a token inverted index (the baseline of the issue)."""

    def __init__(self, entries: list[WatchlistEntry]) -> None:
        from followthemoney import model
        from nomenklatura.matching import LogicV2

        self._model = model
        self._algo = LogicV2
        self._config = LogicV2.default_config()
        self._entries = entries
        self._proxies: dict[int, Any] = {}
        self._postings: dict[str, list[int]] = defaultdict(list)
        for i, e in enumerate(entries):
            for tok in self._tokens(" ".join((e.name, *e.aliases))):
                self._postings[tok].append(i)
        n = len(entries)
        self._idf = {t: math.log(n / len(p)) for t, p in self._postings.items()}

    @staticmethod
    def _tokens(name: str) -> set[str]:
        from normality import ascii_text
        from rigour.text.phonetics import metaphone

        out: set[str] = set()
        for tok in re.split(r"[^a-z0-9]+", (ascii_text(name) or "").lower()):
            if len(tok) >= 2:
                out.add(tok)
                out.add("#" + metaphone(tok))
        return out

    def candidates(self, name: str) -> list[int]:
        weights: dict[int, float] = defaultdict(float)
        for tok in self._tokens(name):
            postings = self._postings.get(tok)
            if postings and len(postings) < 50_000:
                w = self._idf[tok]
                for i in postings:
                    weights[i] += w
        return heapq.nlargest(PEER_CANDIDATES, weights, key=weights.__getitem__)

    def proxy(self, i: int) -> Any:
        p = self._proxies.get(i)
        if p is None:
            e = self._entries[i]
            p = self._model.make_entity("Person")
            p.id = f"e{i}"
            p.add("name", e.name)
            for a in e.aliases:
                p.add("alias", a)
            for d in e.birth_dates:
                p.add("birthDate", d)
            for c in e.nationalities:
                p.add("nationality", c.lower())
            if e.gender:
                p.add("gender", "male" if e.gender == "M" else "female")
            for d in e.document_numbers:
                p.add("passportNumber", d)
            self._proxies[i] = p
        return p

    def query_proxy(self, q: Query) -> Any:
        p = self._model.make_entity("Person")
        # A fresh id per query: the peer caches name analysis per entity id.
        p.id = f"query-{next(_QUERY_IDS)}"
        p.add("name", q.name)
        if q.birth_date:
            p.add("birthDate", q.birth_date)
        if q.nationality:
            p.add("nationality", q.nationality.lower())
        if q.gender:
            p.add("gender", "male" if q.gender == "M" else "female")
        if q.document_number:
            p.add("passportNumber", q.document_number)
        return p

    def screen(self, q: Query, cands: list[int] | None = None) -> list[tuple[str, float]]:
        qp = self.query_proxy(q)
        hits = []
        for i in self.candidates(q.name) if cands is None else cands:
            res = self._algo.compare(qp, self.proxy(i), self._config)
            if res.score >= PEER_THRESHOLD:
                hits.append((self._entries[i].entry_id, float(res.score)))
        hits.sort(key=lambda h: -h[1])
        return hits


@cache
def _romanise(word: str, scheme: str) -> str:
    return nm.transliterate(word, scheme)


def generated_watchlist(size: int, seed: int = 7) -> list[WatchlistEntry]:
    """A large synthetic list: name parts of the dev list recombined across entries (so the
    part frequencies stay realistic), half kept in Cyrillic, half romanised under a random
    scheme, with random birth dates and nationalities."""
    rng = random.Random(seed)
    base = read_watchlist_csv(DATA / "watchlist.csv", "dev")
    pools: list[list[str]] = [[], [], []]
    for e in base:
        words = e.name.replace(",", "").split()
        for pos, w in enumerate(words[:3]):
            pools[pos].append(w)
    schemes = sorted(tt.SCHEMES)
    nats = ["KZ", "KGZ", "UZ", "TJK", "TM", "RU", "AFG"]
    out = []
    for i in range(size):
        parts = [rng.choice(pools[0]), rng.choice(pools[1])]
        if rng.random() < 0.7:
            parts.append(rng.choice(pools[2]))
        if nm.is_cyrillic(parts[0]) and rng.random() < 0.5:
            scheme = rng.choice(schemes)
            parts = [_romanise(p, scheme) for p in parts]
        name = " ".join(parts)
        year = rng.randint(1940, 2005)
        dob = (
            str(year)
            if rng.random() < 0.1
            else f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )
        out.append(
            WatchlistEntry(
                list_name="generated",
                entry_id=f"g{i}",
                name=name,
                birth_dates=(dob,),
                nationalities=(rng.choice(nats),),
                gender=rng.choice(("M", "F", None)),
            )
        )
    return out
