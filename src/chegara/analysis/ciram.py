"""CIRAM scoring: threat, vulnerability and impact on configurable scales, a risk matrix, and
the section impact level (EUROSUR style) with the reaction it calls for.

CIRAM (Common Integrated Risk Analysis Model, Frontex 2012 / update 2.0) defines risk as a
function of threat, vulnerability and impact but leaves the scales to each user. The defaults
here are the usual five-point scales; a national centre can replace the labels, the checklist
items, the thresholds and the whole matrix with a JSON file (``CHEGARA_HOME/ciram.json``)
without touching the code. Pure module: no database.

How the figures combine (the explanation every assessment carries):

* threat = magnitude x likelihood (1..25), banded into a 1..5 class by ``threat_bands``;
* vulnerability = the mean of the checklist items (each 1 = strong control .. 5 = weak),
  rounded half up;
* impact = the worst of the impact dimensions (a risk to public health is not averaged away
  by a small economic effect);
* exposure = the rounded mean of the threat class and vulnerability: how likely the threat is
  to get through;
* risk level = ``matrix[exposure - 1][impact - 1]``; the proposed impact level of the section
  is the risk level.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

IMPACT_LEVELS = ("low", "medium", "high", "critical")

VULNERABILITY_ITEMS = ("staff", "equipment", "surveillance_coverage", "response_time")
IMPACT_DIMENSIONS = ("border_security", "internal_security", "humanitarian",
                     "economy_and_trade", "public_health")

# Adapted from the EUROSUR impact levels (Regulation (EU) 2019/1896, art. 35) to a national
# system: who does what when a section's level is raised.
REACTIONS: dict[str, str] = {
    "low": "Regular border surveillance based on risk analysis; the section keeps enough staff "
           "and equipment for its normal traffic.",
    "medium": "Additional surveillance measures where the risk is; the national coordination "
              "centre is informed of the reasons and the measures.",
    "high": "Reinforced measures and additional staff; the national coordination centre "
            "coordinates the agencies and may redeploy resources from other sections.",
    "critical": "All measures of the high level plus a request for support from other "
                "agencies and neighbouring services; the commission is informed at once.",
}

DEFAULT_MATRIX: tuple[tuple[str, ...], ...] = (
    # impact:  1         2         3         4           5      (rows: exposure 1..5)
    ("low", "low", "low", "medium", "medium"),
    ("low", "low", "medium", "medium", "high"),
    ("low", "medium", "medium", "high", "high"),
    ("medium", "medium", "high", "high", "critical"),
    ("medium", "high", "high", "critical", "critical"),
)
DEFAULT_SCALE = ("very low", "low", "medium", "high", "very high")
# Upper bounds of magnitude x likelihood for threat classes 1..4; above the last is class 5.
DEFAULT_THREAT_BANDS = (3, 6, 12, 19)


class CiramConfigError(ValueError):
    """A ciram.json that does not describe a usable configuration."""


@dataclass(frozen=True)
class CiramConfig:
    scale: tuple[str, ...] = DEFAULT_SCALE
    threat_bands: tuple[int, ...] = DEFAULT_THREAT_BANDS
    matrix: tuple[tuple[str, ...], ...] = DEFAULT_MATRIX
    vulnerability_items: tuple[str, ...] = VULNERABILITY_ITEMS
    impact_dimensions: tuple[str, ...] = IMPACT_DIMENSIONS
    reactions: Mapping[str, str] = field(default_factory=lambda: dict(REACTIONS))

    @property
    def points(self) -> int:
        return len(self.scale)

    def check(self) -> CiramConfig:
        n = self.points
        if n < 3:
            raise CiramConfigError("the scale needs at least three points")
        if len(self.matrix) != n or any(len(row) != n for row in self.matrix):
            raise CiramConfigError(f"the risk matrix must be {n} x {n}, like the scale")
        unknown = {cell for row in self.matrix for cell in row} - set(IMPACT_LEVELS)
        if unknown:
            raise CiramConfigError(f"the matrix uses unknown levels {sorted(unknown)}; "
                                   f"use {', '.join(IMPACT_LEVELS)}")
        if len(self.threat_bands) != n - 1 or list(self.threat_bands) != sorted(
                set(self.threat_bands)):
            raise CiramConfigError(f"threat_bands must be {n - 1} increasing numbers")
        if not self.vulnerability_items or not self.impact_dimensions:
            raise CiramConfigError("the checklist and the impact dimensions cannot be empty")
        missing = set(IMPACT_LEVELS) - set(self.reactions)
        if missing:
            raise CiramConfigError(f"no reaction given for {sorted(missing)}")
        return self

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> CiramConfig:
        known = {"scale", "threat_bands", "matrix", "vulnerability_items",
                 "impact_dimensions", "reactions"}
        extra = set(data) - known
        if extra:
            raise CiramConfigError(f"unknown settings {sorted(extra)}; known: {sorted(known)}")
        try:
            config = cls(
                scale=tuple(str(s) for s in data.get("scale", DEFAULT_SCALE)),
                threat_bands=tuple(int(b) for b in data.get("threat_bands",
                                                            DEFAULT_THREAT_BANDS)),
                matrix=tuple(tuple(str(c) for c in row)
                             for row in data.get("matrix", DEFAULT_MATRIX)),
                vulnerability_items=tuple(str(i) for i in data.get(
                    "vulnerability_items", VULNERABILITY_ITEMS)),
                impact_dimensions=tuple(str(i) for i in data.get(
                    "impact_dimensions", IMPACT_DIMENSIONS)),
                reactions={**REACTIONS, **dict(data.get("reactions", {}))},
            )
        except (TypeError, ValueError) as error:
            raise CiramConfigError(f"ciram.json: {error}") from None
        return config.check()


def load_config(path: Path | None) -> CiramConfig:
    """The configuration in ``path`` when it exists, else the defaults."""
    if path is None or not path.is_file():
        return CiramConfig()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise CiramConfigError(f"{path}: {error}") from None
    if not isinstance(data, dict):
        raise CiramConfigError(f"{path}: expected a JSON object")
    return CiramConfig.from_mapping(data)


@dataclass(frozen=True)
class CiramScore:
    threat: int
    threat_class: int
    vulnerability: int
    impact: int
    exposure: int
    risk_level: str
    explanation: str


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def _in_scale(name: str, value: int, points: int) -> int:
    if not 1 <= value <= points:
        raise ValueError(f"{name} must be between 1 and {points}, got {value}")
    return value


def score(config: CiramConfig, *, magnitude: int, likelihood: int,
          vulnerability: Mapping[str, int], impacts: Mapping[str, int]) -> CiramScore:
    """Score one assessment; ValueError names the item that is missing or off the scale."""
    n = config.points
    _in_scale("magnitude", magnitude, n)
    _in_scale("likelihood", likelihood, n)
    for item in config.vulnerability_items:
        if item not in vulnerability:
            raise ValueError(f"the vulnerability checklist misses {item!r}")
        _in_scale(item, int(vulnerability[item]), n)
    for dimension in config.impact_dimensions:
        if dimension not in impacts:
            raise ValueError(f"the impact assessment misses {dimension!r}")
        _in_scale(dimension, int(impacts[dimension]), n)
    extra = (set(vulnerability) - set(config.vulnerability_items)) | (
        set(impacts) - set(config.impact_dimensions))
    if extra:
        raise ValueError(f"unknown checklist or impact items {sorted(extra)}")
    threat = magnitude * likelihood
    threat_class = 1 + sum(threat > bound for bound in config.threat_bands)
    vulnerability_class = _round_half_up(
        sum(int(vulnerability[i]) for i in config.vulnerability_items)
        / len(config.vulnerability_items))
    worst = max(config.impact_dimensions, key=lambda d: int(impacts[d]))
    impact = int(impacts[worst])
    exposure = _round_half_up((threat_class + vulnerability_class) / 2)
    level = config.matrix[exposure - 1][impact - 1]
    explanation = (
        f"threat {magnitude}x{likelihood}={threat} (class {threat_class}); vulnerability "
        f"{vulnerability_class} (mean of {', '.join(config.vulnerability_items)}); impact "
        f"{impact} (worst: {worst}); exposure {exposure} = mean of threat class and "
        f"vulnerability; matrix[{exposure}][{impact}] = {level}")
    return CiramScore(threat, threat_class, vulnerability_class, impact, exposure, level,
                      explanation)


def reaction_for(config: CiramConfig, level: str) -> str:
    if level not in IMPACT_LEVELS:
        raise ValueError(f"impact level must be one of {', '.join(IMPACT_LEVELS)}")
    return str(config.reactions[level])
