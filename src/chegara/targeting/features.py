"""Features for the learned risk model, with history computed strictly from the past.

The strongest signal for customs fraud is the record of who and what was caught before: an
importer, declarant or seller with a high past fraud rate, an HS subheading or origin that is
often misdeclared. Those records are target encodings and leak easily: if a declaration's own
inspection result, or a result from the same day, reaches its own features, the model looks
brilliant in training and fails in service. So:

* Training (`past_history_features`): each declaration sees only inspection results dated
  strictly before its own day (counts, frauds and a smoothed rate per entity). Same-day results
  are excluded even from other declarations, because in service they are not known yet.
* Scoring (`HistoryStore.features`): the history is frozen at the end of the training data.
  Declarations of a later period are scored against that history only; results recorded after
  training reach the model when it is retrained (documented behaviour, see docs/targeting.md).

Rates are smoothed toward the prior fraud rate (also computed from the past) with a pseudo-count,
so one inspection of a new importer does not read as a 0 % or 100 % fraud rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from chegara.targeting.coding import CodedBatch
from chegara.targeting.valuation import ReferencePriceBase

# Entities whose past inspection record is a feature, named in the examiners' words.
ENTITIES: dict[str, tuple[str, ...]] = {
    "importer": ("importer_id",),
    "declarant": ("declarant_id",),
    "seller": ("seller_id",),
    "courier": ("courier_id",),
    "hs6": ("hs6",),
    "hs4": ("hs4",),
    "hs2": ("hs2",),
    "origin": ("origin_country",),
    "departure": ("departure_country",),
    "office": ("office",),
    "importer_hs6": ("importer_id", "hs6"),
    "declarant_importer": ("declarant_id", "importer_id"),
    "seller_importer": ("seller_id", "importer_id"),
    "hs6_origin": ("hs6", "origin_country"),
    "office_hs4": ("office", "hs4"),
    "declarant_hs4": ("declarant_id", "hs4"),
}

# Low-cardinality codes go to LightGBM as categoricals: their meaning is stable across periods.
CATEGORICAL_CODES: tuple[str, ...] = (
    "office", "process_type", "import_type", "import_use", "payment_type", "transport_mode",
    "tax_type", "origin_indicator", "origin_country", "departure_country", "hs2",
)
NUMERIC_INPUTS: tuple[str, ...] = ("tax_rate", "net_mass_kg", "value", "quantity", "items")

# Pseudo-count of the smoothing: a rate built from 5 past inspections is halfway to the prior.
DEFAULT_SMOOTHING = 5.0


def add_derived_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """HS chapter / heading / subheading columns used by entities and rules."""
    hs = frame["hs_code"].astype(str)
    out = frame.copy()
    out["hs6"] = hs.str.slice(0, 6)
    out["hs4"] = hs.str.slice(0, 4)
    out["hs2"] = hs.str.slice(0, 2)
    return out


def _entity_key(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    key = frame[columns[0]].astype(str)
    for column in columns[1:]:
        key = key + "\x1f" + frame[column].astype(str)
    # An empty id (no seller, no courier) is not an entity: it must not pool every blank.
    blank = np.zeros(len(frame), dtype=bool)
    for column in columns:
        blank |= (frame[column].astype(str) == "").to_numpy()
    return key.where(~blank, "")


def _smoothed(frauds: np.ndarray, n: np.ndarray, prior: np.ndarray | float,
              smoothing: float) -> np.ndarray:
    return (frauds + smoothing * prior) / (n + smoothing)


def past_history_features(
    frame: pd.DataFrame,
    labels: np.ndarray,
    *,
    smoothing: float = DEFAULT_SMOOTHING,
    entities: dict[str, tuple[str, ...]] | None = None,
) -> pd.DataFrame:
    """History features for training: results strictly before each declaration's day.

    `labels` holds 1 (fraud found), 0 (inspected, nothing found) or NaN (not inspected); only
    inspected declarations count toward rates, every declaration toward the activity count.
    """
    entities = ENTITIES if entities is None else entities
    frame = add_derived_codes(frame)
    day = frame["date"].to_numpy(dtype="datetime64[D]")
    y = np.asarray(labels, dtype=float)
    inspected = ~np.isnan(y)
    fraud = np.where(inspected, y, 0.0)
    prior = _past_prior(day, fraud, inspected.astype(float))
    out: dict[str, np.ndarray] = {"prior_fraud_rate": prior}
    for name, columns in entities.items():
        key = _entity_key(frame, columns).to_numpy()
        seen, n, frauds = _strictly_before(key, day, inspected.astype(float), fraud)
        blank = key == ""
        out[f"{name}_seen"] = np.where(blank, np.nan, seen)
        out[f"{name}_inspections"] = np.where(blank, np.nan, n)
        out[f"{name}_fraud_rate"] = np.where(blank, np.nan,
                                             _smoothed(frauds, n, prior, smoothing))
    return pd.DataFrame(out, index=frame.index)


def _past_prior(day: np.ndarray, fraud: np.ndarray, inspected: np.ndarray) -> np.ndarray:
    daily = pd.DataFrame({"day": day, "f": fraud, "n": inspected}).groupby("day").sum()
    before = daily.cumsum() - daily
    # Beta(1, 1) start: with no past at all the prior is one half, not a division by zero.
    rate = (before["f"] + 1.0) / (before["n"] + 2.0)
    return np.asarray(rate.reindex(day).to_numpy(dtype=float))


def _strictly_before(
    key: np.ndarray, day: np.ndarray, inspected: np.ndarray, fraud: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: declarations, inspections and frauds of its key on earlier days only."""
    rows = pd.DataFrame({"key": key, "day": day, "seen": 1.0, "n": inspected, "f": fraud})
    daily = rows.groupby(["key", "day"], sort=True)[["seen", "n", "f"]].sum()
    # Running totals per key, minus the day's own totals: what was known the evening before.
    before = daily.groupby(level="key").cumsum() - daily
    joined = before.reindex(pd.MultiIndex.from_arrays([key, day]))
    return (joined["seen"].to_numpy(), joined["n"].to_numpy(), joined["f"].to_numpy())


@dataclass
class HistoryStore:
    """Totals per entity at the end of the training data, used to score later declarations.

    Keys are held as integer codes (a vocabulary per field, pairs combined arithmetically) so
    that scoring a batch is a few hash look-ups per field instead of string concatenation per
    row: bulk e-commerce scoring depends on it.
    """

    vocab: dict[str, list[str]]
    tables: dict[str, tuple[np.ndarray, np.ndarray]]  # entity -> (keys, [seen, n, frauds])
    prior: float
    smoothing: float = DEFAULT_SMOOTHING
    entities: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(ENTITIES))
    _indexes: dict[str, pd.Index] = field(default_factory=dict, repr=False)
    _rows: dict[str, np.ndarray | pd.Index] = field(default_factory=dict, repr=False)
    _padded: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(
        default_factory=dict, repr=False)

    @classmethod
    def from_history(cls, frame: pd.DataFrame, labels: np.ndarray, *,
                     smoothing: float = DEFAULT_SMOOTHING) -> HistoryStore:
        coded = CodedBatch(frame)
        y = np.asarray(labels, dtype=float)
        inspected = (~np.isnan(y)).astype(float)
        fraud = np.where(inspected > 0, y, 0.0)
        columns = sorted({c for cols in ENTITIES.values() for c in cols})
        vocab = {c: sorted(set(coded.codes(c)[1].tolist()) - {""}) for c in columns}
        store = cls(vocab, {}, (float(fraud.sum()) + 1.0) / (float(inspected.sum()) + 2.0),
                    smoothing)
        for name, cols in store.entities.items():
            key = store._keys(coded, cols)
            known = key >= 0
            grouped = pd.DataFrame({"key": key[known], "seen": 1.0, "n": inspected[known],
                                    "f": fraud[known]}).groupby("key")[["seen", "n", "f"]].sum()
            store.tables[name] = (grouped.index.to_numpy(dtype=np.int64),
                                  grouped.to_numpy(dtype=float))
        return store

    def _table_rows(self, entity: str, key: np.ndarray) -> np.ndarray:
        """Row of each key in the entity's table; -1 when the key was never seen."""
        keys = self.tables[entity][0]
        if not len(keys):
            return np.full(len(key), -1, dtype=np.int64)
        cached = self._rows.get(entity)
        if cached is None:
            if len(self.entities[entity]) == 1:
                # A one-field key is a vocabulary position: a dense array maps it in one take
                # (its last slot, -1, answers key -1).
                dense = np.full(len(self.vocab[self.entities[entity][0]]) + 1, -1, np.int64)
                dense[keys] = np.arange(len(keys))
                cached = dense
            else:
                cached = pd.Index(keys)
            self._rows[entity] = cached
        if isinstance(cached, np.ndarray):
            return np.asarray(cached[key])
        return np.asarray(cached.get_indexer(key), dtype=np.int64)

    def _padded_totals(self, entity: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Seen, inspections and frauds per known key, then NaN (row -2: a blank field) and
        zero (row -1: never seen)."""
        padded = self._padded.get(entity)
        if padded is None:
            totals = self.tables[entity][1]
            seen, inspections, frauds = (
                np.concatenate([totals[:, k], [np.nan, 0.0]]) for k in range(3))
            padded = self._padded[entity] = (seen, inspections, frauds)
        return padded

    def _index(self, column: str) -> pd.Index:
        if column not in self._indexes:
            self._indexes[column] = pd.Index(self.vocab[column])
        return self._indexes[column]

    def _keys(self, coded: CodedBatch, columns: tuple[str, ...]) -> np.ndarray:
        """Composite integer key per row; -1 when a field is blank or never seen."""
        key = np.zeros(len(coded), dtype=np.int64)
        unknown = np.zeros(len(coded), dtype=bool)
        for column in columns:
            codes = coded.lookup(column, self._index(column))
            unknown |= codes < 0
            key = key * (len(self.vocab[column]) + 1) + codes
        return np.where(unknown, -1, key)

    def features(self, frame: pd.DataFrame, coded: CodedBatch | None = None) -> pd.DataFrame:
        """The same columns as `past_history_features`, from the frozen training history."""
        return pd.DataFrame(self.feature_arrays(coded or CodedBatch(frame)), index=frame.index)

    def feature_arrays(self, coded: CodedBatch) -> dict[str, np.ndarray]:
        n_rows = len(coded)
        out: dict[str, np.ndarray] = {"prior_fraud_rate": np.full(n_rows, self.prior)}
        for name, cols in self.entities.items():
            rows = self._table_rows(name, self._keys(coded, cols))
            blank = coded.blank(cols[0])
            for column in cols[1:]:
                blank = blank | coded.blank(column)
            rows[blank] = -2
            seen, inspections, frauds = (column[rows] for column in self._padded_totals(name))
            out[f"{name}_seen"] = seen
            out[f"{name}_inspections"] = inspections
            # NaN in, NaN out: a blank field has no rate either.
            out[f"{name}_fraud_rate"] = _smoothed(frauds, inspections, self.prior,
                                                  self.smoothing)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "prior": self.prior,
            "smoothing": self.smoothing,
            "entities": {k: list(v) for k, v in self.entities.items()},
            "vocab": self.vocab,
            "tables": {name: {"keys": keys.tolist(), "totals": totals.tolist()}
                       for name, (keys, totals) in self.tables.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HistoryStore:
        tables = {name: (np.asarray(t["keys"], dtype=np.int64),
                         np.asarray(t["totals"], dtype=float).reshape(-1, 3))
                  for name, t in data["tables"].items()}
        entities = {k: tuple(v) for k, v in data["entities"].items()}
        return cls(dict(data["vocab"]), tables, float(data["prior"]), float(data["smoothing"]),
                   entities)


@dataclass
class CategoryCodes:
    """Stable integer codes for low-cardinality fields; unseen values map to -1 (missing)."""

    codes: dict[str, dict[str, int]]
    _tables: dict[str, tuple[pd.Index, np.ndarray]] = field(default_factory=dict, repr=False,
                                                           compare=False)

    @classmethod
    def fit(cls, frame: pd.DataFrame, columns: Sequence[str] = CATEGORICAL_CODES,
            min_count: int = 5) -> CategoryCodes:
        frame = add_derived_codes(frame)
        codes: dict[str, dict[str, int]] = {}
        for column in columns:
            counts = frame[column].astype(str).value_counts()
            # Rare values get no code of their own: a category seen twice is noise to a tree.
            kept = sorted(str(v) for v in counts[counts >= min_count].index)
            codes[column] = {value: i for i, value in enumerate(kept)}
        return cls(codes)

    def transform(self, frame: pd.DataFrame, coded: CodedBatch | None = None) -> pd.DataFrame:
        return pd.DataFrame(self.arrays(coded or CodedBatch(frame)), index=frame.index)

    def arrays(self, coded: CodedBatch) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for column in self.codes:
            index, values = self._table(column)
            positions = coded.lookup(column, index)
            out[f"{column}_code"] = np.where(positions >= 0,
                                             values[np.maximum(positions, 0)] if len(values)
                                             else -1, -1).astype(float)
        return out

    def _table(self, column: str) -> tuple[pd.Index, np.ndarray]:
        """The column's known values and their codes, made once (and the same Index object
        each time, so a batch's look-up of it is cached)."""
        table = self._tables.get(column)
        if table is None:
            mapping = self.codes[column]
            table = self._tables[column] = (
                pd.Index(list(mapping)),
                np.fromiter(mapping.values(), dtype=np.int64, count=len(mapping)))
        return table


def numeric_features(frame: pd.DataFrame, prices: ReferencePriceBase | None,
                     coded: CodedBatch | None = None) -> pd.DataFrame:
    """Declared amounts, the duty at stake and the price against the reference base."""
    return pd.DataFrame(numeric_arrays(frame, prices, coded or CodedBatch(frame)),
                        index=frame.index)


def numeric_arrays(frame: pd.DataFrame, prices: ReferencePriceBase | None,
                   coded: CodedBatch) -> dict[str, np.ndarray]:
    value = frame["value"].astype(float).to_numpy()
    mass = frame["net_mass_kg"].astype(float).to_numpy()
    rate = frame["tax_rate"].astype(float).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        out: dict[str, np.ndarray] = {
            "tax_rate": rate,
            "log_value": np.log1p(value),
            "log_net_mass": np.log1p(mass),
            "log_value_per_kg": np.where(mass > 0, np.log1p(value / np.where(mass > 0, mass, 1)),
                                         np.nan),
            "log_duty_at_stake": np.log1p(value * rate / 100.0),
            "quantity": frame["quantity"].astype(float).to_numpy(),
            "items": frame["items"].astype(float).to_numpy(),
            "weekday": frame["date"].dt.weekday.to_numpy(dtype=float),
        }
    if prices is not None:
        ref = prices.lookup(frame, coded)
        out["price_z"] = ref["price_z"].to_numpy(dtype=float)
        out["log_price_ratio"] = np.log(ref["price_ratio"].to_numpy(dtype=float))
        out["reference_observations"] = ref["reference_n"].to_numpy(dtype=float)
    return out
