"""Watchlist matcher: an in-memory candidate index and an explainable, calibrated scorer.

Why written here rather than taken from a library: the public matchers (nomenklatura logic-v2,
Watchman) compare romanised strings and miss the spellings Central Asian documents carry
(Jusupov / Yusupov, Kojaxmetuli / Kozhakhmetuly, truncated MRZ names), and they cannot explain
which part of a name matched which.  Here every name is cut into parts folded into phonetic
keys (``names``), and:

* the **index** keeps one vocabulary of distinct parts; a part is found through its consonant
  skeleton and the skeletons one deletion away, so transliteration variants and one typing slip
  meet in the same bucket.  Postings map a part to the names (entry aliases) that contain it.
  A candidate must share two parts with the query (one, when the query has only one full part).
* the **scorer** aligns query parts with the parts of each candidate name (order-free, every part
  paired if it can be), adds the evidence of each pair and of the birth date, nationality, gender
  and document number as log-odds, and maps the sum through the logistic function.  The score is
  thus "how strongly the evidence favours the same person"; 0.5 means the evidence is balanced,
  whatever the list (see docs/screening.md for the weights and the measured calibration).

Entries can be added, replaced and removed one by one (the list versions change a few entries at
a time), and the whole index serialises to bytes so a command-line process loads it at once.
"""

from __future__ import annotations

import gc
import math
import multiprocessing as mp
import pickle
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, permutations
from typing import Any, Final, TypeAlias

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA

from chegara import messages
from chegara.screening import attributes as attrs
from chegara.screening import names as nm

DEFAULT_THRESHOLD: Final = 0.5
"""Default alert threshold: the evidence for "same person" outweighs the evidence against."""

DEFAULT_LIMIT: Final = 20
FORMAT_VERSION: Final = 1

# Log-odds of the evidence.  The prior says a random watchlist name is not the traveller; two
# name parts agreeing exactly outweigh it, one part (a shared surname) does not.
PRIOR_LOG_ODDS: Final = -3.0
NAME_PART_WEIGHT: Final[dict[str, float]] = {
    nm.LEVEL_EXACT: 2.4,
    nm.LEVEL_TRANSLIT: 1.8,  # plus up to 0.6 by letter similarity
    nm.LEVEL_TYPO: 0.7,  # plus up to 0.6 by letter similarity
    nm.LEVEL_PREFIX: 1.2,
    nm.LEVEL_INITIAL: 0.5,
    nm.LEVEL_DIFFERENT: -3.0,
}
PATRONYMIC_WEIGHT: Final[dict[str, float]] = {
    nm.LEVEL_EXACT: 1.0,
    nm.LEVEL_TRANSLIT: 0.8,
    nm.LEVEL_TYPO: 0.5,
    nm.LEVEL_PREFIX: 0.6,
    nm.LEVEL_INITIAL: 0.3,
    nm.LEVEL_DIFFERENT: -2.5,
}
SIMILARITY_BONUS: Final[dict[str, float]] = {nm.LEVEL_TRANSLIT: 0.6, nm.LEVEL_TYPO: 0.6}
BIRTH_DATE_WEIGHT: Final[dict[str, float]] = {
    attrs.DOB_EXACT: 1.2,
    attrs.DOB_YEAR: 0.4,
    attrs.DOB_IN_RANGE: 0.3,
    attrs.DOB_SWAPPED: 0.8,
    attrs.DOB_YEAR_OFF: 0.3,
    attrs.DOB_SAME_YEAR_OTHER_DAY: -0.5,
    attrs.DOB_NEAR_YEAR: -0.7,
    attrs.DOB_CONFLICT: -2.5,
}
NATIONALITY_SAME: Final = 0.3
NATIONALITY_OTHER: Final = -0.6
GENDER_SAME: Final = 0.1
GENDER_OTHER: Final = -1.2
DOCUMENT_SAME: Final = 3.0
DOCUMENT_OTHER: Final = -0.2

_NAME_ROLES: Final = frozenset({nm.ROLE_NAME, nm.ROLE_FILIATION})
_STRONG: Final = frozenset({nm.LEVEL_EXACT, nm.LEVEL_TRANSLIT, nm.LEVEL_TYPO, nm.LEVEL_PREFIX})


class ScreeningInputError(ValueError):
    """An entry or query that cannot be screened (empty name, unreadable attribute)."""


@dataclass(frozen=True, slots=True)
class WatchlistEntry:
    """One listed person as the matcher needs it."""

    list_name: str
    entry_id: str
    name: str
    aliases: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    gender: str | None = None
    document_numbers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Query:
    """A person to screen; only the name is required."""

    name: str
    birth_date: str | None = None
    nationality: str | None = None
    gender: str | None = None
    document_number: str | None = None


@dataclass(frozen=True, slots=True)
class PartAlignment:
    """A query name part paired with an entry name part."""

    query_part: str
    entry_part: str
    level: str
    similarity: float
    weight: float


@dataclass(frozen=True, slots=True)
class Factor:
    """One piece of evidence that raised (weight > 0) or lowered the score."""

    label: str
    weight: float


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why an entry was hit: the alias, the part alignment and every factor with its weight."""

    matched_name: str
    alias_index: int
    alignment: tuple[PartAlignment, ...]
    unmatched_query_parts: tuple[str, ...]
    unmatched_entry_parts: tuple[str, ...]
    factors: tuple[Factor, ...]
    log_odds: float

    def to_text(self) -> str:
        which = "primary name" if self.alias_index == 0 else f"alias {self.alias_index}"
        pieces = [f"{which} {self.matched_name!r}"]
        pairs = ", ".join(
            f"{a.query_part}->{a.entry_part} {a.level} {a.similarity:.2f} ({a.weight:+.1f})"
            for a in self.alignment
        )
        pieces.append(f"parts: {pairs}")
        if self.unmatched_query_parts:
            pieces.append("query parts not in entry: " + " ".join(self.unmatched_query_parts))
        if self.unmatched_entry_parts:
            pieces.append("entry parts not in query: " + " ".join(self.unmatched_entry_parts))
        pieces.extend(f"{f.label} ({f.weight:+.1f})" for f in self.factors)
        pieces.append(f"log-odds {self.log_odds:+.2f}")
        return "; ".join(pieces)

    def to_dict(self) -> dict[str, Any]:
        return {
            "matched_name": self.matched_name,
            "alias_index": self.alias_index,
            "alignment": [
                {
                    "query_part": a.query_part,
                    "entry_part": a.entry_part,
                    "level": a.level,
                    "similarity": round(a.similarity, 3),
                    "weight": round(a.weight, 2),
                }
                for a in self.alignment
            ],
            "unmatched_query_parts": list(self.unmatched_query_parts),
            "unmatched_entry_parts": list(self.unmatched_entry_parts),
            "factors": [{"label": f.label, "weight": round(f.weight, 2)} for f in self.factors],
            "log_odds": round(self.log_odds, 3),
        }


@dataclass(frozen=True, slots=True)
class Hit:
    """A watchlist entry the query matched, with its score and explanation."""

    list_name: str
    entry_id: str
    score: float
    matched_name: str
    explanation: Explanation

    def to_json(self) -> dict[str, Any]:
        """The hit in the ``chegara screen`` output format."""
        return {
            "list": self.list_name,
            "entry_id": self.entry_id,
            "score": round(self.score, 4),
            "matched_name": self.matched_name,
            "explanation": self.explanation.to_text(),
        }


def score_from_log_odds(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def log_odds_from_score(score: float) -> float:
    return math.log(score / (1.0 - score))


@dataclass(slots=True)
class _EntryFacts:
    """An entry's attributes, read once when the entry is indexed."""

    birth_dates: tuple[attrs.BirthDate, ...]
    nationalities: frozenset[str]
    gender: str | None
    documents: frozenset[str]


def astuple_entry(entry: WatchlistEntry) -> tuple[Any, ...]:
    return (
        entry.list_name, entry.entry_id, entry.name, tuple(entry.aliases),
        tuple(entry.birth_dates), tuple(entry.nationalities), entry.gender,
        tuple(entry.document_numbers),
    )


def check_entry(entry: WatchlistEntry) -> None:
    """Raise ScreeningInputError when an entry's name or attributes cannot be read.

    The index itself reads attributes lazily (at an entry's first hit) to keep loading fast, so
    an import checks every entry with this first and rejects the file naming the bad one.
    """
    if not nm.parse_name(entry.name):
        raise ScreeningInputError(f"entry {entry.entry_id}: name {entry.name!r} has no letters")
    _entry_facts(entry)


def _entry_facts(entry: WatchlistEntry) -> _EntryFacts:
    try:
        dobs = tuple(d for d in (attrs.parse_birth_date(t) for t in entry.birth_dates) if d)
        nats = frozenset(
            n for n in (attrs.normalise_nationality(c) for c in entry.nationalities) if n
        )
        gender = attrs.normalise_gender(entry.gender)
    except attrs.InvalidAttributeError as exc:
        raise ScreeningInputError(f"entry {entry.entry_id}: {exc}") from exc
    docs = frozenset(
        d for d in (attrs.normalise_document_number(x) for x in entry.document_numbers) if d
    )
    return _EntryFacts(dobs, nats, gender, docs)


@dataclass(slots=True)
class _QueryFacts:
    birth_date: attrs.BirthDate | None
    nationality: str | None
    gender: str | None
    document: str | None


def _query_facts(query: Query) -> _QueryFacts:
    try:
        return _QueryFacts(
            attrs.parse_birth_date(query.birth_date),
            attrs.normalise_nationality(query.nationality),
            attrs.normalise_gender(query.gender),
            attrs.normalise_document_number(query.document_number),
        )
    except attrs.InvalidAttributeError as exc:
        raise ScreeningInputError(str(exc)) from exc


@dataclass(slots=True)
class _State:
    """Everything the index holds; plain containers so that it pickles compactly."""

    # Entries as plain tuples (the fields of WatchlistEntry): they unpickle fast.
    entries: list[tuple[Any, ...] | None] = field(default_factory=list)
    slot_of: dict[tuple[str, str], int] = field(default_factory=dict)
    entry_names: list[list[int]] = field(default_factory=list)
    # Names: per name id, (entry slot, alias index, term ids); None once removed.
    names: list[tuple[int, int, tuple[int, ...]] | None] = field(default_factory=list)
    free_names: list[int] = field(default_factory=list)
    term_of: dict[tuple[str, tuple[str, ...]], int] = field(default_factory=dict)
    term_keys: list[tuple[str, ...]] = field(default_factory=list)
    term_role: list[str] = field(default_factory=list)
    term_text: list[str] = field(default_factory=list)
    postings: list[list[int]] = field(default_factory=list)
    # Skeleton neighbourhood -> (keys, owning term ids), parallel lists for one C-level scan.
    buckets: dict[str, tuple[list[str], list[int]]] = field(default_factory=dict)
    heads: dict[str, list[int]] = field(default_factory=dict)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cycle collector while building many small containers that hold no cycles:
    it would otherwise rescan the growing index again and again (about half the build time).

    Afterwards the objects then alive are moved out of the collector's sight (``gc.freeze``):
    the index holds no reference cycles to collect, and each full collection walking its
    millions of containers cost a third of the screening time.  The price is that cyclic garbage
    the caller created before the build is no longer collected; in a screening process that is
    a few objects of start-up."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


@lru_cache(maxsize=100_000)
def _neighbourhood(skel: str) -> tuple[str, ...]:
    """A skeleton and, when long enough to stay selective, its one-deletion variants."""
    out = {skel}
    if len(skel) >= 2:
        out.update(skel[:i] + skel[i + 1 :] for i in range(len(skel)))
    return tuple(out)


_HEAD: Final = 3
# Per query part and entry part: (agreement level, similarity, weight), None when not comparable.
_Cells: TypeAlias = list[list[tuple[str, float, float] | None]]
# One bit per query part in the candidate marks (parse_name keeps at most six parts).
assert nm.MAX_PARTS <= 8
# Below this many postings a query's candidates are counted in a dict: arrays cost more to set
# up than they save on a small list.
_FEW_POSTINGS: Final = 2000


class ScreeningIndex:
    """Candidate index and scorer over watchlist entries of one or more lists."""

    def __init__(self) -> None:
        self._s = _State()
        self._part_cache: dict[tuple[tuple[str, ...], bool], dict[int, tuple[str, float]]] = {}
        self._pair_cache: dict[tuple[str, int], tuple[str, float]] = {}
        self._facts: dict[int, _EntryFacts] = {}
        # Postings as arrays for the vectorised candidate count, made at first use per part.
        self._posting_arrays: dict[int, npt.NDArray[np.int32]] = {}
        self._marks = threading.local()

    # ------------------------------------------------------------------ building and upkeep

    @classmethod
    def build(cls, entries: Iterable[WatchlistEntry]) -> ScreeningIndex:
        index = cls()
        index.add_many(entries)
        return index

    def __len__(self) -> int:
        return len(self._s.slot_of)

    def __contains__(self, key: object) -> bool:
        return key in self._s.slot_of

    def entry(self, list_name: str, entry_id: str) -> WatchlistEntry | None:
        slot = self._s.slot_of.get((list_name, entry_id))
        if slot is None:
            return None
        fields = self._s.entries[slot]
        return None if fields is None else WatchlistEntry(*fields)

    def lists(self) -> set[str]:
        return {k[0] for k in self._s.slot_of}

    def add(self, entry: WatchlistEntry) -> None:
        """Add an entry, or replace the entry with the same list and id."""
        key = (entry.list_name, entry.entry_id)
        if key in self._s.slot_of:
            self.remove(*key)
        all_names = [entry.name, *entry.aliases]
        parsed = [nm.parse_name(n) for n in all_names]
        if not parsed[0]:
            raise ScreeningInputError(f"entry {entry.entry_id}: name {entry.name!r} has no letters")
        s = self._s
        slot = len(s.entries)
        s.entries.append(astuple_entry(entry))
        s.slot_of[key] = slot
        name_ids: list[int] = []
        seen: set[tuple[int, ...]] = set()
        for alias_index, parts in enumerate(parsed):
            if not parts:
                continue
            terms = tuple(self._term(p) for p in parts)
            if terms in seen:
                continue
            seen.add(terms)
            nid = s.free_names.pop() if s.free_names else len(s.names)
            record = (slot, alias_index, terms)
            if nid == len(s.names):
                s.names.append(record)
            else:
                s.names[nid] = record
            for t in set(terms):
                s.postings[t].append(nid)
                self._posting_arrays.pop(t, None)
            name_ids.append(nid)
        s.entry_names.append(name_ids)

    def add_many(self, entries: Iterable[WatchlistEntry]) -> None:
        with _gc_paused():
            for e in entries:
                self.add(e)
        self._arrange_postings()

    def _arrange_postings(self) -> None:
        """Postings as arrays now rather than at the first query that needs them: a list of
        a million names is built once and then queried all day."""
        for tid in range(len(self._s.postings)):
            self._postings(tid)

    def remove(self, list_name: str, entry_id: str) -> bool:
        """Remove an entry; False when it was not indexed."""
        s = self._s
        slot = s.slot_of.pop((list_name, entry_id), None)
        if slot is None:
            return False
        for nid in s.entry_names[slot]:
            record = s.names[nid]
            if record is None:
                continue
            for t in set(record[2]):
                s.postings[t].remove(nid)
                self._posting_arrays.pop(t, None)
            s.names[nid] = None
            s.free_names.append(nid)
        s.entry_names[slot] = []
        s.entries[slot] = None
        self._facts.pop(slot, None)
        return True

    def remove_list(self, list_name: str) -> int:
        keys = [k for k in self._s.slot_of if k[0] == list_name]
        for k in keys:
            self.remove(*k)
        return len(keys)

    def _term(self, part: nm.NamePart) -> int:
        s = self._s
        sig = (part.role, part.keys)
        tid = s.term_of.get(sig)
        if tid is not None:
            return tid
        tid = len(s.term_keys)
        s.term_of[sig] = tid
        s.term_keys.append(part.keys)
        s.term_role.append(part.role)
        s.term_text.append(part.text)
        s.postings.append([])
        for k in part.keys:
            for nb in _neighbourhood(nm.skeleton(k)):
                bucket = s.buckets.get(nb)
                if bucket is None:
                    bucket = s.buckets[nb] = ([], [])
                bucket[0].append(k)
                bucket[1].append(tid)
        for k in part.keys:
            s.heads.setdefault(k[:_HEAD], []).append(tid)
        self._part_cache.clear()
        return tid

    # ------------------------------------------------------------------ serialisation

    def to_bytes(self) -> bytes:
        """The whole index for a cache file (trusted local storage only)."""
        s = self._s
        payload = (FORMAT_VERSION, *(getattr(s, f) for f in _State.__slots__))
        with _gc_paused():
            return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def from_bytes(cls, data: bytes) -> ScreeningIndex:
        """Load an index written by :meth:`to_bytes` (never bytes from an untrusted source)."""
        # The cache is written by Chegara itself on the same server; it is never received.
        with _gc_paused():
            payload = pickle.loads(data)  # noqa: S301
        if not isinstance(payload, tuple) or payload[0] != FORMAT_VERSION:
            raise ValueError("screening index cache has another format version; rebuild it")
        index = cls()
        for name, value in zip(_State.__slots__, payload[1:], strict=True):
            setattr(index._s, name, value)
        index._arrange_postings()
        return index

    # ------------------------------------------------------------------ screening

    def screen(
        self,
        query: Query,
        threshold: float | None = None,
        limit: int = DEFAULT_LIMIT,
        lists: Sequence[str] | None = None,
    ) -> list[Hit]:
        """Entries the query matches at or above the threshold, best first."""
        cut = DEFAULT_THRESHOLD if threshold is None else threshold
        if not 0.0 <= cut <= 1.0:
            raise ScreeningInputError(messages.THRESHOLD_NOT_IN_RANGE.format(threshold=cut))
        if len(query.name) > 300:
            raise ScreeningInputError(messages.QUERY_NAME_TOO_LONG.text)
        qparts = nm.parse_name(query.name)
        if not qparts:
            raise ScreeningInputError(messages.QUERY_NAME_WITHOUT_LETTERS.format(name=query.name))
        facts = _query_facts(query)
        truncated = nm.looks_truncated(query.name)
        matches = self._match_parts(qparts, truncated)
        candidates = self._candidates(
            [m for m, p in zip(matches, qparts, strict=True) if p.role != nm.ROLE_INITIAL]
        )
        if not candidates:
            return []
        allowed = set(lists) if lists else None
        best: dict[int, tuple[float, int, tuple[int, ...], list[tuple[int, int]], _Cells]] = {}
        # Namesakes share name parts: each (query part, vocabulary part) cell is worked out once.
        memo: dict[tuple[int, int], tuple[tuple[str, float, float] | None, bool]] = {}
        # No attribute can lift a name whose log-odds stay below this; such names are skipped
        # before their attributes are read.
        floor = log_odds_from_score(min(max(cut, 1e-9), 1 - 1e-9)) - _max_attribute_gain(facts)
        s = self._s
        for nid in candidates:
            record = s.names[nid]
            if record is None:
                continue
            slot, alias_index, terms = record
            if allowed is not None:
                fields = s.entries[slot]
                if fields is None or fields[0] not in allowed:
                    continue
            z, pairs, cells = self._score_name(qparts, matches, terms, memo)
            if z < floor:
                continue
            current = best.get(slot)
            if current is None or z > current[0]:
                best[slot] = (z, alias_index, terms, pairs, cells)
        hits: list[Hit] = []
        for slot, (z_name, alias_index, terms, pairs, cells) in best.items():
            fields = s.entries[slot]
            if fields is None:
                continue
            factors = _attribute_factors(facts, self._entry_facts(slot, fields))
            z = z_name + sum(f.weight for f in factors)
            score = score_from_log_odds(z)
            if score < cut:
                continue
            matched = fields[2] if alias_index == 0 else fields[3][alias_index - 1]
            used_q = {i for i, _ in pairs}
            used_e = {j for _, j in pairs}
            alignment = []
            for i, j in sorted(pairs):
                cell = cells[i][j]
                assert cell is not None
                level, sim, weight = cell
                alignment.append(
                    PartAlignment(qparts[i].text, s.term_text[terms[j]], level, sim, weight)
                )
            explanation = Explanation(
                matched_name=matched,
                alias_index=alias_index,
                alignment=tuple(alignment),
                unmatched_query_parts=tuple(
                    p.text for i, p in enumerate(qparts) if i not in used_q
                ),
                unmatched_entry_parts=tuple(
                    s.term_text[t] for j, t in enumerate(terms) if j not in used_e
                ),
                factors=(Factor(messages.NAME_PRIOR.text, PRIOR_LOG_ODDS), *factors),
                log_odds=z,
            )
            hits.append(Hit(fields[0], fields[1], score, matched, explanation))
        hits.sort(key=lambda h: (-h.score, h.list_name, h.entry_id))
        return hits[:limit]

    def screen_many(
        self,
        queries: Sequence[Query],
        threshold: float | None = None,
        limit: int = DEFAULT_LIMIT,
        workers: int = 1,
    ) -> list[list[Hit] | ScreeningInputError]:
        """Screen a batch in input order; a bad query yields its error instead of hits.

        ``workers > 1`` forks that many processes (POSIX only) sharing the index copy-on-write,
        for long files on a multi-core server; results come back in input order.
        """
        if workers <= 1 or len(queries) < 2_000 or "fork" not in mp.get_all_start_methods():
            return [self._screen_or_error(q, threshold, limit) for q in queries]
        global _FORKED
        _FORKED = (self, threshold, limit)
        try:
            chunks = [list(queries[i::workers]) for i in range(workers)]
            with mp.get_context("fork").Pool(workers) as pool:
                parts = pool.map(_screen_chunk, chunks)
        finally:
            _FORKED = None
        out: list[list[Hit] | ScreeningInputError] = [[] for _ in queries]
        for w, part in enumerate(parts):
            out[w::workers] = part
        return out

    def _screen_or_error(
        self, query: Query, threshold: float | None, limit: int
    ) -> list[Hit] | ScreeningInputError:
        try:
            return self.screen(query, threshold, limit)
        except ScreeningInputError as exc:
            return exc

    def _match_parts(
        self, qparts: tuple[nm.NamePart, ...], truncated: bool
    ) -> list[dict[int, tuple[str, float]]]:
        last = len(qparts) - 1
        found: list[dict[int, tuple[str, float]]] = []
        for i, part in enumerate(qparts):
            if part.role == nm.ROLE_INITIAL:
                found.append({})
                continue
            found.append(self._match_part(part, truncated and i == last))
        return found

    def _match_part(self, part: nm.NamePart, prefix_ok: bool) -> dict[int, tuple[str, float]]:
        """Vocabulary parts that agree with a query part (exact, transliteration, typo, cut)."""
        cache_key = (part.keys, prefix_ok)
        cached = self._part_cache.get(cache_key)
        if cached is not None:
            return cached
        s = self._s
        term_keys = s.term_keys
        close: set[int] = set()
        for qk in part.keys:
            choices: list[str] = []
            owners: list[int] = []
            # No agreement level allows more edits than a quarter of the name; one C-level pass
            # then drops the bulk of the buckets (different names) before the finer comparison.
            cutoff = max(1, (len(qk) + 1) // 4)
            buckets = s.buckets
            for nb in _neighbourhood(nm.skeleton(qk)):
                bucket = buckets.get(nb)
                if bucket is not None:
                    choices += bucket[0]
                    owners += bucket[1]
            for _choice, _dist, pos in process.extract(
                qk, choices, scorer=OSA.distance, score_cutoff=cutoff, limit=None
            ):
                close.add(owners[pos])
            if prefix_ok and len(qk) >= _HEAD:
                close.update(s.heads.get(qk[:_HEAD], ()))
        found: dict[int, tuple[str, float]] = {}
        for tid in close:
            level, sim = nm.compare_keys(part.keys, term_keys[tid], prefix_ok=prefix_ok)
            if level in _STRONG:
                found[tid] = (level, sim)
        if len(self._part_cache) > 50_000:
            self._part_cache.clear()
        self._part_cache[cache_key] = found
        return found

    def _entry_facts(self, slot: int, fields: tuple[Any, ...]) -> _EntryFacts:
        """An entry's attributes, read at its first hit (imports check them with check_entry)."""
        facts = self._facts.get(slot)
        if facts is None:
            try:
                facts = _entry_facts(WatchlistEntry(*fields))
            except ScreeningInputError:
                facts = _EntryFacts((), frozenset(), None, frozenset())
            self._facts[slot] = facts
        return facts

    def _compare(self, qp: nm.NamePart, tid: int) -> tuple[str, float]:
        """A part pair the candidate lookup did not produce (a weaker agreement, or none)."""
        key = (qp.text, tid)
        cached = self._pair_cache.get(key)
        if cached is None:
            cached = nm.compare_keys(qp.keys, self._s.term_keys[tid])
            if cached[0] == nm.LEVEL_DIFFERENT and nm.typing_slip(qp.text, self._s.term_text[tid]):
                cached = (nm.LEVEL_TYPO, cached[1])
            if len(self._pair_cache) > 200_000:
                self._pair_cache.clear()
            self._pair_cache[key] = cached
        return cached

    def _postings(self, tid: int) -> npt.NDArray[np.int32]:
        arr = self._posting_arrays.get(tid)
        if arr is None:
            arr = self._posting_arrays[tid] = np.array(self._s.postings[tid], dtype=np.int32)
        return arr

    def _mark_board(self) -> npt.NDArray[np.uint8]:
        """A zeroed mark per name, one per thread (API screenings run in a thread pool)."""
        board: npt.NDArray[np.uint8] | None = getattr(self._marks, "board", None)
        if board is None or len(board) < len(self._s.names):
            board = np.zeros(len(self._s.names) + 4096, dtype=np.uint8)
            self._marks.board = board
        return board

    def _candidates(self, found: list[dict[int, tuple[str, float]]]) -> Iterable[int]:
        """Names sharing two query parts (one, when the query has a single full part).

        Each part sets its bit on the names holding one of its vocabulary parts; names with
        enough bits are the candidates.  Done on arrays: a common given name is held by tens
        of thousands of names, and sets of them cost more to build than the whole scoring."""
        if not any(found):
            return ()
        need = 1 if len(found) == 1 else 2
        postings = self._s.postings
        if sum(len(postings[t]) for part in found for t in part) <= _FEW_POSTINGS:
            sets = [frozenset(chain.from_iterable(postings[t] for t in f)) for f in found]
            if len(sets) == 1:
                return sorted(sets[0])
            out: set[int] = set()
            for i in range(len(sets)):
                for j in range(i + 1, len(sets)):
                    out |= sets[i] & sets[j]
            return sorted(out)
        arrays = [[self._postings(t) for t in part] for part in found]
        if need == 1:
            return np.unique(np.concatenate(arrays[0])).tolist()  # type: ignore[no-any-return]
        # The part held by the most names is only read: a name of it is a candidate when
        # another part marked it already.  Marking it too would double the work.
        sizes = [sum(len(a) for a in part) for part in arrays]
        largest = max(range(len(arrays)), key=sizes.__getitem__)
        board = self._mark_board()
        marked: list[npt.NDArray[np.int32]] = []
        for i, part in enumerate(arrays):
            if i == largest or not part:
                continue
            names = np.concatenate(part) if len(part) > 1 else part[0]
            board[names] |= np.uint8(1 << i)
            marked.append(names)
        chosen: list[npt.NDArray[np.int32]] = []
        if marked:
            every = np.concatenate(marked) if len(marked) > 1 else marked[0]
            if len(marked) > 1:
                chosen.append(every[np.bitwise_count(board[every]) >= 2])
            chosen.extend(names[board[names] != 0] for names in arrays[largest])
            board[every] = 0
        if not chosen:
            return ()
        # Sorted and unique, so that scoring visits names in one reproducible order.
        return np.unique(np.concatenate(chosen)).tolist()  # type: ignore[no-any-return]

    def _score_name(
        self,
        qparts: tuple[nm.NamePart, ...],
        matches: list[dict[int, tuple[str, float]]],
        terms: tuple[int, ...],
        memo: dict[tuple[int, int], tuple[tuple[str, float, float] | None, bool]],
    ) -> tuple[float, list[tuple[int, int]], _Cells]:
        s = self._s
        n_q, n_e = len(qparts), len(terms)
        cells: list[list[tuple[str, float, float] | None]] = []
        unlooked: set[tuple[int, int]] = set()
        for i, qp in enumerate(qparts):
            row: list[tuple[str, float, float] | None] = []
            found = matches[i]
            for j, t in enumerate(terms):
                known = memo.get((i, t))
                if known is None:
                    m = found.get(t)
                    known = (
                        _pair(qp, m, s.term_role[t], s.term_keys[t]),
                        m is None and qp.role != nm.ROLE_INITIAL,
                    )
                    memo[(i, t)] = known
                if known[1]:
                    unlooked.add((i, j))
                row.append(known[0])
            cells.append(row)
        best_pairs = _best_assignment(
            [[None if c is None else c[2] for c in row] for row in cells], n_q, n_e
        )
        # Pairs the lookup did not find are taken as different names; only those the best
        # alignment actually uses are compared letter by letter (a weaker agreement, a slip).
        # A second look only ever raises a cell of the best alignment, so it stays the best.
        for i, j in best_pairs:
            if (i, j) not in unlooked:
                continue
            t = terms[j]
            cell = _pair(qparts[i], self._compare(qparts[i], t), s.term_role[t], s.term_keys[t])
            old = cells[i][j]
            if cell is not None and (old is None or cell[2] > old[2]):
                cells[i][j] = cell
        z = PRIOR_LOG_ODDS
        for i, j in best_pairs:
            cell = cells[i][j]
            assert cell is not None
            z += cell[2]
        return z, best_pairs, cells


@lru_cache(maxsize=64)
def _orders(n_q: int, n_e: int) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Every way of pairing query parts with entry parts, as many pairs as the shorter side."""
    if n_q <= n_e:
        return tuple(tuple(enumerate(p)) for p in permutations(range(n_e), n_q))
    return tuple(
        tuple((i, j) for j, i in enumerate(p)) for p in permutations(range(n_q), n_e)
    )


_FORKED: tuple[ScreeningIndex, float | None, int] | None = None


def _screen_chunk(chunk: list[Query]) -> list[list[Hit] | ScreeningInputError]:
    assert _FORKED is not None
    index, threshold, limit = _FORKED
    return [index._screen_or_error(q, threshold, limit) for q in chunk]


def _best_assignment(
    weights: list[list[float | None]], n_q: int, n_e: int
) -> list[tuple[int, int]]:
    """Pairs (query part, entry part) pairing as many parts as can be paired, then with the
    largest total weight.  Pairing every comparable part is what makes a sibling (same surname
    and patronymic, another given name) fail: his given name must face the target's."""
    best_key = (-1, -math.inf)
    best: list[tuple[int, int]] = []
    for order in _orders(n_q, n_e):
        total = 0.0
        pairs: list[tuple[int, int]] = []
        for i, j in order:
            w = weights[i][j]
            if w is not None:
                total += w
                pairs.append((i, j))
        key = (len(pairs), total)
        if key > best_key:
            best_key, best = key, pairs
    return best


def _pair(
    qp: nm.NamePart,
    matched: tuple[str, float] | None,
    e_role: str,
    e_keys: tuple[str, ...],
) -> tuple[str, float, float] | None:
    """Level, similarity and weight of a query part against an entry part; None: not comparable.

    A patronymic is compared only with a patronymic (so a father, whose given name is the
    target's patronymic stem, does not match); a cut MRZ word may be the start of any part.
    """
    q_role = qp.role
    if q_role == nm.ROLE_INITIAL or e_role == nm.ROLE_INITIAL:
        if q_role == nm.ROLE_INITIAL and e_role == nm.ROLE_INITIAL:
            ok = qp.key == e_keys[0]
        elif q_role == nm.ROLE_INITIAL:
            ok = nm.initial_agrees(qp.key, e_keys)
        else:
            ok = nm.initial_agrees(e_keys[0], qp.keys)
        level = nm.LEVEL_INITIAL if ok else nm.LEVEL_DIFFERENT
        table = PATRONYMIC_WEIGHT if nm.ROLE_PATRONYMIC in (q_role, e_role) else NAME_PART_WEIGHT
        return level, 1.0 if ok else 0.0, table[level]
    both_names = q_role in _NAME_ROLES and e_role in _NAME_ROLES
    both_patronymics = q_role == e_role == nm.ROLE_PATRONYMIC
    if not (both_names or both_patronymics):
        if matched is not None and matched[0] == nm.LEVEL_PREFIX:
            return matched[0], matched[1], PATRONYMIC_WEIGHT[nm.LEVEL_PREFIX]
        return None
    table = PATRONYMIC_WEIGHT if both_patronymics else NAME_PART_WEIGHT
    if matched is None:
        matched = (nm.LEVEL_DIFFERENT, 0.0)
    level, sim = matched
    if both_patronymics and level == nm.LEVEL_DIFFERENT:
        # One father, two forms (Серикович / Серікұлы): compare the fathers' names.
        level, sim = nm.compare_keys(
            tuple(nm.father_name(k) for k in qp.keys), tuple(nm.father_name(k) for k in e_keys)
        )
        if level == nm.LEVEL_EXACT:
            level = nm.LEVEL_TRANSLIT
    weight = table[level]
    if both_names:
        weight += SIMILARITY_BONUS.get(level, 0.0) * sim
    return level, sim, weight


def _max_attribute_gain(q: _QueryFacts) -> float:
    """The most the query's own attributes could add for an entry."""
    gain = 0.0
    if q.birth_date is not None:
        gain += max(BIRTH_DATE_WEIGHT.values())
    if q.nationality is not None:
        gain += NATIONALITY_SAME
    if q.gender is not None:
        gain += GENDER_SAME
    if q.document is not None:
        gain += DOCUMENT_SAME
    return gain


def _attribute_factors(q: _QueryFacts, e: _EntryFacts) -> list[Factor]:
    factors: list[Factor] = []
    if q.birth_date is not None and e.birth_dates:
        outcomes = [attrs.compare_birth_dates(q.birth_date, d) for d in e.birth_dates]
        best = max(outcomes, key=lambda o: BIRTH_DATE_WEIGHT[o])
        factors.append(Factor(messages.BIRTH_DATE.format(outcome=best), BIRTH_DATE_WEIGHT[best]))
    if q.nationality is not None and e.nationalities:
        if q.nationality in e.nationalities:
            factors.append(Factor(messages.NATIONALITY_LISTED.format(nationality=q.nationality),
                                  NATIONALITY_SAME))
        else:
            listed = ",".join(sorted(e.nationalities))
            factors.append(Factor(messages.NATIONALITY_NOT_LISTED.format(
                nationality=q.nationality, listed=listed), NATIONALITY_OTHER))
    if q.gender is not None and e.gender is not None:
        if q.gender == e.gender:
            factors.append(Factor(messages.GENDER_SAME.text, GENDER_SAME))
        else:
            factors.append(Factor(
                messages.GENDER_DIFFERS.format(traveller=q.gender, listed=e.gender), GENDER_OTHER))
    if q.document is not None and e.documents:
        if q.document in e.documents:
            factors.append(Factor(messages.DOCUMENT_LISTED.text, DOCUMENT_SAME))
        else:
            factors.append(Factor(messages.DOCUMENT_DIFFERS.text, DOCUMENT_OTHER))
    return factors
