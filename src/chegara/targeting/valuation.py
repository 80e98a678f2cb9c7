"""Reference price base and undervaluation flags.

Undervaluation is the commonest customs fraud: the declared value per kilogram is far below
what the same goods from the same origin usually cost. The reference is built from past
declarations with robust statistics (median and median absolute deviation of log value per kg)
because a handful of absurd declarations must not move the reference. When an HS6 x origin cell
has too few observations the base falls back to the HS6 subheading over all origins, then to the
HS4 heading; the level used is always shown to the examiner with the reference itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from chegara.messages import REFERENCE_LEVEL_WORDS, UNDERVALUED
from chegara.targeting.coding import CodedBatch

# 1.4826 * MAD estimates the standard deviation of a normal sample (a textbook constant).
MAD_TO_SIGMA = 1.4826
LEVELS: tuple[str, ...] = ("hs6_origin", "hs6", "hs4")
LEVEL_NAMES: tuple[str, ...] = (*LEVELS, "none")


@dataclass(frozen=True)
class _UsableLevel:
    """A level's references with enough observations, as arrays (made once per base)."""

    index: pd.Index
    median: np.ndarray
    mad: np.ndarray
    n: np.ndarray


def log_value_per_kg(frame: pd.DataFrame) -> pd.Series:
    """log(value / net mass); NaN where the mass or value is missing or not positive."""
    return pd.Series(_log_value_per_kg(frame), index=frame.index, dtype=float)


def _log_value_per_kg(frame: pd.DataFrame) -> np.ndarray:
    value = frame["value"].to_numpy(dtype=float)
    mass = frame["net_mass_kg"].to_numpy(dtype=float)
    ok = (value > 0) & (mass > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, np.log(np.where(ok, value, 1.0) / np.where(ok, mass, 1.0)), np.nan)


def _keys(frame: pd.DataFrame) -> dict[str, pd.Series]:
    hs = frame["hs_code"].astype(str)
    hs6 = hs.str.slice(0, 6)
    return {
        "hs6_origin": hs6 + "|" + frame["origin_country"].astype(str),
        "hs6": hs6,
        "hs4": hs.str.slice(0, 4),
    }


def _positions(coded: CodedBatch, level: str, index: pd.Index) -> np.ndarray:
    """Row positions in a level's table, computed on distinct (HS, origin) pairs only."""
    if level != "hs6_origin":
        return coded.lookup(level, index)
    hs_codes, hs_values = coded.codes("hs6")
    origin_codes, origin_values = coded.codes("origin_country")
    pair = hs_codes * max(len(origin_values), 1) + origin_codes
    pair_codes, pairs = pd.factorize(pair)
    keys = [f"{hs_values[p // max(len(origin_values), 1)]}|"
            f"{origin_values[p % max(len(origin_values), 1)]}" for p in pairs]
    found = index.get_indexer(keys) if keys else np.zeros(0, dtype=np.int64)
    return np.asarray(found, dtype=np.int64)[pair_codes] if len(pair_codes) else np.zeros(
        0, dtype=np.int64)


@dataclass
class ReferencePriceBase:
    """Robust log-price statistics per HS6 x origin, HS6 and HS4, built from history."""

    tables: dict[str, pd.DataFrame]
    min_observations: int
    data_from: str = ""
    data_to: str = ""
    # The same Index object on every batch also lets CodedBatch reuse its look-ups.
    _usable_levels: dict[str, _UsableLevel] = field(default_factory=dict, repr=False,
                                                    compare=False)

    def _usable(self, level: str) -> _UsableLevel:
        usable = self._usable_levels.get(level)
        if usable is None:
            table = self.tables[level]
            enough = table[table["n"] >= self.min_observations]
            usable = self._usable_levels[level] = _UsableLevel(
                enough.index, enough["median"].to_numpy(dtype=float),
                enough["mad"].to_numpy(dtype=float), enough["n"].to_numpy(dtype=np.int64))
        return usable

    @classmethod
    def build(cls, history: pd.DataFrame, *, min_observations: int = 5) -> ReferencePriceBase:
        lv = log_value_per_kg(history)
        usable = lv.notna()
        keys = _keys(history.loc[usable])
        tables: dict[str, pd.DataFrame] = {}
        for level in LEVELS:
            grouped = pd.DataFrame({"key": keys[level].to_numpy(), "lv": lv[usable].to_numpy()})
            stats = grouped.groupby("key")["lv"].agg(["median", "count"])
            deviation = (grouped["lv"] - grouped["key"].map(stats["median"])).abs()
            stats["mad"] = deviation.groupby(grouped["key"]).median()
            stats["q10"] = grouped.groupby("key")["lv"].quantile(0.10)
            tables[level] = stats.rename(columns={"count": "n"})
        dates = history["date"] if "date" in history else pd.Series([], dtype="datetime64[ns]")
        return cls(
            tables=tables,
            min_observations=min_observations,
            data_from=str(dates.min())[:10] if len(dates) else "",
            data_to=str(dates.max())[:10] if len(dates) else "",
        )

    def lookup(self, frame: pd.DataFrame, coded: CodedBatch | None = None) -> pd.DataFrame:
        """Per declaration: reference median per kg, its spread, level used and robust z."""
        coded = coded or CodedBatch(frame)
        n = len(frame)
        median = np.full(n, np.nan)
        mad = np.full(n, np.nan)
        count = np.zeros(n, dtype=np.int64)
        level_used = np.full(n, len(LEVELS), dtype=np.int8)  # LEVEL_NAMES[-1] is "none"
        pending = np.ones(n, dtype=bool)
        for k, level in enumerate(LEVELS):
            usable = self._usable(level)
            position = _positions(coded, level, usable.index)
            hit = (position >= 0) & pending
            if hit.any():
                rows = position[hit]
                median[hit] = usable.median[rows]
                mad[hit] = usable.mad[rows]
                count[hit] = usable.n[rows]
                level_used[hit] = k
                pending &= ~hit
        lv = _log_value_per_kg(frame)
        # A zero MAD (identical past prices) would make every deviation infinite; a floor of
        # 0.05 in log units (about 5 %) keeps the z-score meaningful.
        sigma = np.maximum(mad * MAD_TO_SIGMA, 0.05)
        return pd.DataFrame(
            {
                "reference_per_kg": np.exp(median),
                # Categorical: a million level names as Python strings cost more than the
                # whole look-up.
                "reference_level": pd.Categorical.from_codes(level_used, LEVEL_NAMES),
                "reference_n": count,
                "declared_per_kg": np.exp(lv),
                "price_ratio": np.exp(lv - median),
                "price_z": (lv - median) / sigma,
            },
            index=frame.index,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "min_observations": self.min_observations,
            "data_from": self.data_from,
            "data_to": self.data_to,
            "tables": {
                level: {
                    str(key): [float(r["median"]), float(r["mad"]), int(r["n"]), float(r["q10"])]
                    for key, r in table.iterrows()
                }
                for level, table in self.tables.items()
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReferencePriceBase:
        tables = {
            level: pd.DataFrame.from_dict(
                rows, orient="index", columns=["median", "mad", "n", "q10"]
            ).astype({"n": np.int64})
            for level, rows in data["tables"].items()
        }
        return cls(tables, int(data["min_observations"]), data.get("data_from", ""),
                   data.get("data_to", ""))

    def save(self, path: Path | str) -> None:
        Path(path).write_text(json.dumps(self.to_json()), encoding="utf-8")

    @classmethod
    def load(cls, path: Path | str) -> ReferencePriceBase:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def flag_undervaluation(
    frame: pd.DataFrame,
    base: ReferencePriceBase,
    *,
    max_ratio: float = 0.5,
    max_z: float = -2.5,
) -> pd.DataFrame:
    """Flag declarations priced below `max_ratio` of the reference AND below `max_z` sigmas.

    Both conditions are required: the ratio alone flags whole noisy HS cells, the z-score alone
    flags tiny deviations in very stable cells. The reason text shows the reference used.
    """
    ref = base.lookup(frame)
    flagged = (ref["price_ratio"] < max_ratio) & (ref["price_z"] < max_z)
    reasons = np.full(len(frame), "", dtype=object)
    for i in np.flatnonzero(flagged.to_numpy()):
        row = ref.iloc[i]
        reasons[i] = undervaluation_reason(
            float(row["declared_per_kg"]), float(row["reference_per_kg"]),
            str(row["reference_level"]), int(row["reference_n"]),
        )
    ref["undervalued"] = flagged.to_numpy()
    ref["undervaluation_reason"] = reasons
    return ref


def undervaluation_reason(declared: float, reference: float, level: str, n: int) -> str:
    where = REFERENCE_LEVEL_WORDS.get(level, level)
    share = declared / reference if reference > 0 else float("nan")
    return UNDERVALUED.format(declared=declared, share=share, reference=reference, where=where,
                              n=n)
