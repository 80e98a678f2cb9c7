"""Hotspots: Getis-Ord Gi* z-scores of a per-section figure over border-section adjacency.

A section is a hotspot when it *and its neighbours* are high together, which is what matters
for deploying patrols along a border. Gi* (Getis and Ord 1992; Ord and Getis 1995) with binary
weights that include the section itself (that is what the star means). Written here because
the formula is a few lines and PySAL would be a heavy dependency for one statistic.

    Gi* = (sum_j w_ij x_j - xbar * W_i) / (S * sqrt((n * sum_j w_ij^2 - W_i^2) / (n - 1)))

with ``W_i = sum_j w_ij``, ``xbar`` the mean and ``S`` the population standard deviation of
``x`` over all ``n`` sections. Under the null hypothesis of no spatial association Gi* is
approximately standard normal; the p-value is two-sided.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import stats

METHOD = "Getis-Ord Gi* (binary adjacency incl. self), normal two-sided p-value"


@dataclass(frozen=True)
class Hotspot:
    section: str
    value: float
    z: float
    p_value: float
    kind: str  # "hot", "cold" or "none" at the chosen significance
    method: str = METHOD


def adjacency_matrix(
    sections: list[str], pairs: Iterable[tuple[str, str]]
) -> np.ndarray[tuple[int, int], np.dtype[np.float64]]:
    """Symmetric 0/1 matrix of border-section neighbours, with ones on the diagonal."""
    index = {name: i for i, name in enumerate(sections)}
    weights = np.eye(len(sections))
    for a, b in pairs:
        if a not in index or b not in index:
            raise ValueError(f"adjacency names an unknown section: {a!r} - {b!r}")
        weights[index[a], index[b]] = weights[index[b], index[a]] = 1.0
    return weights


def getis_ord_gi_star(
    values: Mapping[str, float],
    neighbours: Iterable[tuple[str, str]],
    *,
    significance: float = 0.05,
) -> list[Hotspot]:
    """Gi* for every section in ``values`` (section -> figure, e.g. detections this month)."""
    sections = list(values)
    n = len(sections)
    if n < 3:
        raise ValueError("Gi* needs at least three sections")
    x = np.array([float(values[s]) for s in sections])
    weights = adjacency_matrix(sections, neighbours)
    mean = float(x.mean())
    spread = float(np.sqrt(np.mean(x**2) - mean**2))
    totals = weights.sum(axis=1)
    squares = (weights**2).sum(axis=1)
    result: list[Hotspot] = []
    for i, section in enumerate(sections):
        denominator_core = (n * squares[i] - totals[i] ** 2) / (n - 1)
        if spread == 0.0 or denominator_core <= 0.0:
            # All values equal, or a section adjacent to every section: Gi* is undefined.
            z, p = 0.0, 1.0
        else:
            z = float((weights[i] @ x - mean * totals[i]) / (spread * math.sqrt(denominator_core)))
            p = float(2.0 * stats.norm.sf(abs(z)))
        kind = "none" if p >= significance else ("hot" if z > 0 else "cold")
        result.append(Hotspot(section, float(x[i]), z, p, kind))
    return result
