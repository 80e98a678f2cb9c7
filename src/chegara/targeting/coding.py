"""A batch's text columns factorised once, so string work is done on distinct values only.

A million parcels carry a few thousand distinct HS codes, offices and countries. Slicing HS
codes, joining keys and looking values up row by row dominated scoring time; doing it once per
distinct value and then indexing integer codes makes feature building a few array operations.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

HS_PREFIXES: dict[str, int] = {"hs6": 6, "hs4": 4, "hs2": 2}
_FIXED_KEY = "chegara-targets1"  # 16 characters, as pandas' hash requires


class CodedBatch:
    """Integer codes and distinct values per text column of one batch (computed on demand)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._id_hashes: np.ndarray | None = None
        self._blanks: dict[str, np.ndarray] = {}
        # Several entities share a field (the importer is in four): look each up once.
        self._lookups: dict[tuple[str, int], tuple[pd.Index, np.ndarray]] = {}

    def id_hashes(self) -> np.ndarray:
        if self._id_hashes is None:
            self._id_hashes = id_hashes(self.frame["declaration_id"])
        return self._id_hashes

    @property
    def hashed_ids(self) -> np.ndarray | None:
        """The id hashes if something asked for them already, else None (not computed)."""
        return self._id_hashes

    def __len__(self) -> int:
        return len(self.frame)

    def codes(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """(code per row, distinct values as str); blank text is a value like any other."""
        found = self._cache.get(column)
        if found is not None:
            return found
        if column in HS_PREFIXES:
            base_codes, base_values = self.codes("hs_code")
            sliced = np.array([v[: HS_PREFIXES[column]] for v in base_values], dtype=object)
            inner, values = pd.factorize(sliced)
            result = (np.asarray(inner, dtype=np.int64)[base_codes] if len(base_codes)
                      else np.zeros(0, dtype=np.int64), np.asarray(values, dtype=object))
        else:
            raw = self.frame[column]
            codes, values = pd.factorize(raw, use_na_sentinel=False)
            text = pd.Series(values, dtype=object).fillna("").astype(str)
            result = (np.asarray(codes, dtype=np.int64), np.asarray(text.to_numpy(), dtype=object))
        self._cache[column] = result
        return result

    def text(self, column: str) -> np.ndarray:
        """The column as str per row (built from the distinct values)."""
        codes, values = self.codes(column)
        return np.asarray(values[codes]) if len(codes) else np.zeros(0, dtype=object)

    def blank(self, column: str) -> np.ndarray:
        """Whether each row's value is blank (cached: several entities share a field)."""
        found = self._blanks.get(column)
        if found is None:
            codes, values = self.codes(column)
            found = np.asarray((values == "")[codes]) if len(codes) else np.zeros(0, dtype=bool)
            self._blanks[column] = found
        return found

    def lookup(self, column: str, index: pd.Index) -> np.ndarray:
        """Position of each row's value in `index` (-1 when absent)."""
        cached = self._lookups.get((column, id(index)))
        if cached is not None and cached[0] is index:
            return cached[1]
        result = self._lookup(column, index)
        self._lookups[(column, id(index))] = (index, result)
        return result

    def _lookup(self, column: str, index: pd.Index) -> np.ndarray:
        codes, values = self.codes(column)
        positions = index.get_indexer(values) if len(values) else np.zeros(0, dtype=np.int64)
        return np.asarray(positions, dtype=np.int64)[codes] if len(codes) else np.zeros(
            0, dtype=np.int64)


def id_hashes(ids: pd.Series | np.ndarray) -> np.ndarray:
    """A fixed 64-bit hash per declaration id (computed once per batch, then re-mixed)."""
    values = np.asarray(pd.Series(ids).astype(str).to_numpy(), dtype=object)
    return np.asarray(pd.util.hash_array(values, hash_key=_FIXED_KEY, categorize=False))


def uniform_from_hashes(hashes: np.ndarray, salt: str) -> np.ndarray:
    """Mix id hashes with a salt (splitmix64 finaliser) into numbers in [0, 1)."""
    salt_hash = np.uint64(int.from_bytes(hashlib.sha256(salt.encode()).digest()[:8], "little"))
    with np.errstate(over="ignore"):
        z = (hashes ^ salt_hash) + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return np.asarray((z >> np.uint64(11)).astype(np.float64) / float(1 << 53))


def seeded_uniform(ids: pd.Series | np.ndarray, salt: str) -> np.ndarray:
    """A reproducible number in [0, 1) per id, keyed by `salt` (seed, profile, purpose).

    Depends only on the id and the salt, never on row order or on the rest of the batch, so a
    random selection can be re-run and audited declaration by declaration.
    """
    return uniform_from_hashes(id_hashes(ids), salt)
