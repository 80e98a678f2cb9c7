"""Outcome arithmetic: hit rates, the true non-compliance rate, and drift.

* **Hit rate** per profile and per model: of the declarations it sent to inspection, how many
  were found non-compliant. Shown with a Wilson interval because many profiles fire a handful of
  times a month and a bare 2/3 means little.
* **True non-compliance rate** can only be estimated from the random compliance sample:
  every other inspected declaration was chosen *because* it looked risky, so its fraud rate
  overstates the population's. The estimate is the sample proportion with an exact
  (Clopper-Pearson) interval.
* **Population stability index** (PSI) compares the distribution of the score, or of an input,
  now against the training period: sum over bins of (a - e) * ln(a / e). The usual reading in
  credit and customs risk is < 0.10 stable, 0.10-0.25 watch, >= 0.25 alert (retrain or review).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

PSI_WATCH = 0.10
PSI_ALERT = 0.25
# Empty bins would make ln(a / e) infinite; a floor of 1e-4 is the customary fix.
PSI_FLOOR = 1e-4


@dataclass(frozen=True)
class Rate:
    """A proportion with its interval (level 95 % unless stated)."""

    hits: int
    total: int
    rate: float
    low: float
    high: float


def wilson_interval(hits: int, total: int, z: float = 1.959964) -> Rate:
    if total <= 0:
        return Rate(hits, total, float("nan"), float("nan"), float("nan"))
    p = hits / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * np.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    return Rate(hits, total, p, max(0.0, float(centre - half)), min(1.0, float(centre + half)))


def clopper_pearson(hits: int, total: int, level: float = 0.95) -> Rate:
    from scipy.stats import beta

    if total <= 0:
        return Rate(hits, total, float("nan"), float("nan"), float("nan"))
    alpha = 1 - level
    low = 0.0 if hits == 0 else float(beta.ppf(alpha / 2, hits, total - hits + 1))
    high = 1.0 if hits == total else float(beta.ppf(1 - alpha / 2, hits + 1, total - hits))
    return Rate(hits, total, hits / total, low, high)


def hit_rates(selected_by: pd.Series, found: np.ndarray) -> pd.DataFrame:
    """Hit rate per selector (profile id, "model", "random" ...) over inspected declarations.

    `selected_by` holds, per inspected declaration, the selector (or a list of them: a
    declaration on which two profiles fired counts for both).
    """
    exploded = pd.DataFrame({"by": selected_by.to_numpy(), "found": np.asarray(found, int)})
    exploded = exploded.explode("by").dropna(subset=["by"])
    rows = []
    for selector, group in exploded.groupby("by"):
        rate = wilson_interval(int(group["found"].sum()), len(group))
        rows.append({"selector": selector, "inspected": rate.total, "found": rate.hits,
                     "hit_rate": rate.rate, "low": rate.low, "high": rate.high})
    columns = ["selector", "inspected", "found", "hit_rate", "low", "high"]
    return pd.DataFrame(rows, columns=columns).sort_values("hit_rate", ascending=False,
                                                           ignore_index=True)


def non_compliance_estimate(found_in_random_sample: np.ndarray, level: float = 0.95) -> Rate:
    """True non-compliance rate from the random compliance sample only."""
    found = np.asarray(found_in_random_sample, dtype=int)
    return clopper_pearson(int(found.sum()), len(found), level)


def psi_level(value: float) -> str:
    if not np.isfinite(value):
        return "unknown"
    return "alert" if value >= PSI_ALERT else "watch" if value >= PSI_WATCH else "stable"


def population_stability(expected: np.ndarray, actual: np.ndarray, bins: int = 10) -> float:
    """PSI of a numeric variable, with bins at the expected (training) deciles."""
    e = np.asarray(expected, dtype=float)
    a = np.asarray(actual, dtype=float)
    e, a = e[np.isfinite(e)], a[np.isfinite(a)]
    if not len(e) or not len(a):
        return float("nan")
    edges = np.unique(np.quantile(e, np.linspace(0, 1, bins + 1))[1:-1])
    e_share = np.bincount(np.searchsorted(edges, e, side="right"), minlength=len(edges) + 1)
    a_share = np.bincount(np.searchsorted(edges, a, side="right"), minlength=len(edges) + 1)
    return _psi(e_share / len(e), a_share / len(a))


def population_stability_categorical(expected: Sequence[object] | pd.Series,
                                     actual: Sequence[object] | pd.Series) -> float:
    """PSI of a code field over its categories (new categories count as their own bin)."""
    e = pd.Series(expected).astype(str).value_counts(normalize=True)
    a = pd.Series(actual).astype(str).value_counts(normalize=True)
    categories = e.index.union(a.index)
    return _psi(e.reindex(categories, fill_value=0).to_numpy(),
                a.reindex(categories, fill_value=0).to_numpy())


def _psi(e: np.ndarray, a: np.ndarray) -> float:
    e = np.maximum(e, PSI_FLOOR)
    a = np.maximum(a, PSI_FLOOR)
    return float(np.sum((a - e) * np.log(a / e)))


def drift_report(reference: pd.DataFrame, current: pd.DataFrame,
                 columns: Sequence[str] | None = None) -> pd.DataFrame:
    """PSI and alert level per column (numeric by deciles, text by category)."""
    names = list(columns) if columns is not None else [c for c in reference.columns
                                                        if c in current.columns]
    rows = []
    for name in names:
        if pd.api.types.is_numeric_dtype(reference[name]):
            value = population_stability(reference[name].to_numpy(float),
                                         current[name].to_numpy(float))
        else:
            value = population_stability_categorical(reference[name], current[name])
        rows.append({"input": name, "psi": value, "level": psi_level(value)})
    return pd.DataFrame(rows, columns=["input", "psi", "level"]).sort_values(
        "psi", ascending=False, ignore_index=True)
