"""Risk profiles as data, and a vectorised evaluator over a batch of declarations.

A risk profile is what ASYCUDA calls a selectivity criterion: a condition written by a
targeting analyst (HS ranges, countries, traders, price against the reference, combined with
all / any / not), an action (channel, share of matching declarations to select, instructions
for the examiner), an owner agency and validity dates. Profiles are data, not code, so analysts
change them without a release and every decision can list the profiles that fired.

Profiles are evaluated column-wise over a whole batch (one boolean mask per criterion) because
e-commerce hubs score millions of parcels a day; a per-declaration interpreter would not keep up.
Activation with four-eyes approval lives in the service layer; here a profile is simply
`active` or not.

YAML layout (one file, both sections optional)::

    watchlists:
      high_risk_importers: {field: importer_id, ids: [ABC123, XYZ789]}
    profiles:
      - id: TEXTILE-UNDERVALUED
        name: Textiles priced far below the reference
        owner_agency: customs
        valid_from: 2021-01-01          # inclusive; omit for open-ended
        valid_to: 2021-12-31
        when:
          all:
            - hs: ["61-63", "6401-6405"]
            - field: origin_country
              in: [CN, HK]
            - price_below_reference: 0.5
        action: {channel: red, selection_percent: 100, instructions: Weigh and count.}
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from chegara import messages
from chegara.files import not_utf8
from chegara.targeting.coding import CodedBatch, uniform_from_hashes
from chegara.targeting.declarations import FIELDS_BY_NAME, NUMBER_FIELDS
from chegara.targeting.valuation import ReferencePriceBase

CHANNELS: tuple[str, ...] = ("green", "blue", "yellow", "red")
# Strictness when several profiles fire: the strictest control wins.
CHANNEL_RANK: dict[str, int] = {name: rank for rank, name in enumerate(CHANNELS)}
CHANNEL_NAMES: np.ndarray = np.array(CHANNELS, dtype=object)
DERIVED_FIELDS: tuple[str, ...] = ("hs6", "hs4", "hs2")


class ProfileError(ValueError):
    """A profile or watch-list definition is invalid; the message names where."""


@dataclass(frozen=True)
class Watchlist:
    """Trader ids under watch, matched on one declaration field (importer_id by default)."""

    name: str
    field: str
    ids: frozenset[str]


@dataclass
class Batch:
    """What criteria see: the declarations plus lazily computed shared columns."""

    frame: pd.DataFrame
    watchlists: Mapping[str, Watchlist]
    prices: ReferencePriceBase | None
    _price_ratio: np.ndarray | None = None
    coded: CodedBatch | None = None

    def on_text(self, name: str, test: Callable[[pd.Series], np.ndarray]) -> np.ndarray:
        """Apply a text test to the column's distinct values only, then spread to rows."""
        if self.coded is None:
            self.coded = CodedBatch(self.frame)
        codes, values = self.coded.codes(name)
        if not len(codes):
            return np.zeros(0, dtype=bool)
        return np.asarray(np.asarray(test(pd.Series(values, dtype=object)), dtype=bool)[codes])

    def column(self, name: str) -> pd.Series:
        if name in DERIVED_FIELDS:
            width = {"hs6": 6, "hs4": 4, "hs2": 2}[name]
            return self.frame["hs_code"].astype(str).str.slice(0, width)
        return self.frame[name]

    def price_ratio(self) -> np.ndarray:
        if self.prices is None:
            raise ProfileError("a profile compares prices with the reference, but no reference "
                               "price base was given")
        if self._price_ratio is None:
            if self.coded is None:
                self.coded = CodedBatch(self.frame)
            ratio = self.prices.lookup(self.frame, self.coded)["price_ratio"]
            self._price_ratio = ratio.to_numpy(float)
        return self._price_ratio


class Criterion:
    """A condition over a batch: a boolean mask, and a phrase for the examiner."""

    def mask(self, batch: Batch) -> np.ndarray:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class AllOf(Criterion):
    parts: tuple[Criterion, ...]

    def mask(self, batch: Batch) -> np.ndarray:
        out = np.ones(len(batch.frame), dtype=bool)
        for part in self.parts:
            out &= part.mask(batch)
        return out

    def describe(self) -> str:
        return messages.CRITERIA_JOINT.join(p.describe() for p in self.parts)


@dataclass(frozen=True)
class AnyOf(Criterion):
    parts: tuple[Criterion, ...]

    def mask(self, batch: Batch) -> np.ndarray:
        out = np.zeros(len(batch.frame), dtype=bool)
        for part in self.parts:
            out |= part.mask(batch)
        return out

    def describe(self) -> str:
        joint = messages.ALTERNATIVES_JOINTS[0]
        return messages.ANY_OF_CRITERIA.format(
            alternatives=joint.join(p.describe() for p in self.parts))


@dataclass(frozen=True)
class Not(Criterion):
    part: Criterion

    def mask(self, batch: Batch) -> np.ndarray:
        return ~self.part.mask(batch)

    def describe(self) -> str:
        return messages.NOT_CRITERIA.format(criteria=self.part.describe())


@dataclass(frozen=True)
class HsRanges(Criterion):
    """HS chapter / heading / subheading ranges: "61", "61-63", "6101-6117", "610110"."""

    ranges: tuple[tuple[str, str], ...]

    def mask(self, batch: Batch) -> np.ndarray:
        return batch.on_text("hs_code", self._test)

    def _test(self, hs: pd.Series) -> np.ndarray:
        out = np.zeros(len(hs), dtype=bool)
        for low, high in self.ranges:
            # Same-length digit strings compare like numbers, and the prefix picks the level.
            prefix = hs.str.slice(0, len(low))
            ok = (prefix.str.len() == len(low)).to_numpy()
            out |= ok & (prefix >= low).to_numpy() & (prefix <= high).to_numpy()
        return out

    def describe(self) -> str:
        parts = [low if low == high else f"{low}-{high}" for low, high in self.ranges]
        return messages.HS_RANGES.format(ranges=", ".join(parts))


@dataclass(frozen=True)
class FieldTest(Criterion):
    """One field compared with values: in / not_in / equals / gt / ge / lt / le / between /
    contains (case-insensitive text) / empty."""

    field: str
    op: str
    values: tuple[Any, ...]

    def mask(self, batch: Batch) -> np.ndarray:
        if self.op in ("in", "not_in", "equals") and self.field in NUMBER_FIELDS:
            wanted_numbers = [float(v) for v in self.values]
            hit = np.asarray(batch.column(self.field).isin(wanted_numbers))
            return ~hit if self.op == "not_in" else hit
        if self.op in ("in", "not_in", "equals"):
            wanted = [str(v) for v in self.values]
            hit = batch.on_text(self.field, lambda v: np.asarray(v.isin(wanted)))
            return ~hit if self.op == "not_in" else hit
        if self.op == "contains":
            pattern = "|".join(re.escape(str(v)) for v in self.values)
            return batch.on_text(self.field, lambda v: np.asarray(
                v.str.contains(pattern, case=False, regex=True)))
        if self.op == "empty" and self.field not in NUMBER_FIELDS:
            return batch.on_text(self.field,
                                 lambda v: np.asarray((v == "") == bool(self.values[0])))
        column = batch.column(self.field)
        if self.op == "empty":
            return np.asarray(column.isna().to_numpy() == bool(self.values[0]))
        numbers = column.to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            if self.op == "between":
                return np.asarray((numbers >= self.values[0]) & (numbers <= self.values[1]))
            compare: dict[str, Callable[[np.ndarray, float], np.ndarray]] = {
                "gt": np.greater, "ge": np.greater_equal, "lt": np.less, "le": np.less_equal,
            }
            return np.asarray(compare[self.op](numbers, float(self.values[0])))

    def describe(self) -> str:
        field = self.field.replace("_", " ")
        if self.op == "empty":
            return messages.FIELD_EMPTY.format(field=field, answer=self.values[0])
        shown = ", ".join(str(v) for v in self.values[:8])
        if len(self.values) > 8:
            shown += f" (+{len(self.values) - 8})"
        return messages.FIELD_TEST.format(field=field, op=messages.FIELD_OPERATOR_WORDS[self.op],
                                          values=shown)


@dataclass(frozen=True)
class OnWatchlist(Criterion):
    name: str

    def mask(self, batch: Batch) -> np.ndarray:
        watch = batch.watchlists.get(self.name)
        if watch is None:
            raise ProfileError(f"watch-list {self.name!r} is not defined")
        return batch.on_text(watch.field, lambda v: np.asarray(v.isin(watch.ids)))

    def describe(self) -> str:
        return messages.ON_WATCHLIST.format(name=self.name)


@dataclass(frozen=True)
class PriceBelowReference(Criterion):
    """Declared value per kg below `ratio` x the reference price (HS6 x origin, fall-backs)."""

    ratio: float

    def mask(self, batch: Batch) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return np.asarray(batch.price_ratio() < self.ratio)

    def describe(self) -> str:
        return messages.PRICE_BELOW_REFERENCE.format(ratio=self.ratio)


@dataclass(frozen=True)
class Action:
    channel: str
    selection_percent: float = 100.0
    instructions: str = ""


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    when: Criterion
    action: Action
    owner_agency: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    active: bool = True

    def describe(self) -> str:
        fired = dict(id=self.id, name=self.name, criteria=self.when.describe(),
                     channel=self.action.channel)
        if self.action.instructions:
            return messages.PROFILE_FIRED_WITH_INSTRUCTIONS.format(
                **fired, instructions=self.action.instructions)
        return messages.PROFILE_FIRED.format(**fired)


@dataclass(frozen=True)
class ProfileSet:
    profiles: tuple[Profile, ...]
    watchlists: dict[str, Watchlist] = field(default_factory=dict)


# ---------------------------------------------------------------------------- parsing

_FIELD_OPS = ("in", "not_in", "equals", "gt", "ge", "lt", "le", "between", "contains", "empty")


def _known_field(name: object, where: str) -> str:
    if not isinstance(name, str) or (name not in FIELDS_BY_NAME and name not in DERIVED_FIELDS):
        raise ProfileError(f"{where}: unknown field {name!r}")
    return name


def parse_criterion(raw: object, where: str) -> Criterion:
    if not isinstance(raw, Mapping) or not raw:
        raise ProfileError(f"{where}: a criterion must be a non-empty mapping")
    if "field" in raw:
        return _parse_field_test(raw, where)
    if len(raw) != 1:
        raise ProfileError(f"{where}: expected exactly one of all / any / not / hs / watchlist "
                           f"/ price_below_reference / field, got {sorted(raw)}")
    ((kind, value),) = raw.items()
    if kind in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise ProfileError(f"{where}: {kind!r} needs a non-empty list")
        parts = tuple(parse_criterion(v, f"{where}.{kind}[{i}]") for i, v in enumerate(value))
        return AllOf(parts) if kind == "all" else AnyOf(parts)
    if kind == "not":
        return Not(parse_criterion(value, f"{where}.not"))
    if kind == "hs":
        return HsRanges(tuple(_parse_hs_range(v, where) for v in _as_list(value)))
    if kind == "watchlist":
        return OnWatchlist(str(value))
    if kind == "price_below_reference":
        ratio = _as_float(value, where)
        if not ratio > 0:
            raise ProfileError(f"{where}: price_below_reference must be positive")
        return PriceBelowReference(ratio)
    raise ProfileError(f"{where}: unknown criterion {kind!r}")


def _parse_field_test(raw: Mapping[str, Any], where: str) -> Criterion:
    name = _known_field(raw["field"], where)
    ops = [k for k in raw if k != "field"]
    if len(ops) != 1 or ops[0] not in _FIELD_OPS:
        raise ProfileError(f"{where}: field {name!r} needs exactly one of {', '.join(_FIELD_OPS)}")
    op = ops[0]
    value = raw[op]
    if op in ("gt", "ge", "lt", "le"):
        _need_number(name, op, where)
        return FieldTest(name, op, (_as_float(value, where),))
    if op == "between":
        _need_number(name, op, where)
        bounds = _as_list(value)
        if len(bounds) != 2:
            raise ProfileError(f"{where}: between needs [low, high]")
        return FieldTest(name, op, (_as_float(bounds[0], where), _as_float(bounds[1], where)))
    if op == "empty":
        return FieldTest(name, op, (bool(value),))
    return FieldTest(name, op, tuple(str(v) for v in _as_list(value)))


def _need_number(name: str, op: str, where: str) -> None:
    if name not in NUMBER_FIELDS:
        raise ProfileError(f"{where}: {op!r} compares numbers but {name!r} is not numeric")


def _as_list(value: object) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _as_float(value: object, where: str) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ProfileError(f"{where}: {value!r} is not a number") from exc


_HS_RANGE = re.compile(r"^\s*(\d{2,10})\s*(?:-\s*(\d{2,10}))?\s*$")


def _parse_hs_range(value: object, where: str) -> tuple[str, str]:
    match = _HS_RANGE.match(str(value))
    if match is None:
        raise ProfileError(f"{where}: {value!r} is not an HS code or range like 6101-6117")
    low, high = match.group(1), match.group(2) or match.group(1)
    if len(low) != len(high) or low > high:
        raise ProfileError(f"{where}: HS range {value!r} must go low-high at one level")
    return low, high


def _parse_date(value: object, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ProfileError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from exc


def parse_profile(raw: object, where: str = "profile") -> Profile:
    if not isinstance(raw, Mapping):
        raise ProfileError(f"{where}: a profile must be a mapping")
    missing = [k for k in ("id", "when", "action") if k not in raw]
    if missing:
        raise ProfileError(f"{where}: missing {', '.join(missing)}")
    where = f"profile {raw['id']}"
    action_raw = raw["action"]
    if not isinstance(action_raw, Mapping):
        raise ProfileError(f"{where}: action must be a mapping")
    channel = str(action_raw.get("channel", ""))
    if channel not in CHANNELS:
        raise ProfileError(f"{where}: channel must be one of {', '.join(CHANNELS)}")
    percent = _as_float(action_raw.get("selection_percent", 100), where)
    if not 0 <= percent <= 100:
        raise ProfileError(f"{where}: selection_percent must be within 0-100")
    valid_from = _parse_date(raw.get("valid_from"), where)
    valid_to = _parse_date(raw.get("valid_to"), where)
    if valid_from and valid_to and valid_from > valid_to:
        raise ProfileError(f"{where}: valid_from is after valid_to")
    return Profile(
        id=str(raw["id"]),
        name=str(raw.get("name", raw["id"])),
        when=parse_criterion(raw["when"], f"{where}.when"),
        action=Action(channel, percent, str(action_raw.get("instructions", ""))),
        owner_agency=str(raw.get("owner_agency", "")),
        valid_from=valid_from,
        valid_to=valid_to,
        active=bool(raw.get("active", True)),
    )


def parse_profile_set(raw: object) -> ProfileSet:
    if raw is None:
        return ProfileSet(())
    if not isinstance(raw, Mapping):
        raise ProfileError("the profiles file must be a mapping with 'profiles' / 'watchlists'")
    watchlists: dict[str, Watchlist] = {}
    for name, spec in (raw.get("watchlists") or {}).items():
        if not isinstance(spec, Mapping) or "ids" not in spec:
            raise ProfileError(f"watch-list {name}: needs ids (and optionally field)")
        column = _known_field(spec.get("field", "importer_id"), f"watch-list {name}")
        watchlists[str(name)] = Watchlist(str(name), column,
                                          frozenset(str(i) for i in _as_list(spec["ids"])))
    profiles = tuple(parse_profile(p, f"profiles[{i}]")
                     for i, p in enumerate(raw.get("profiles") or []))
    ids = [p.id for p in profiles]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ProfileError(f"duplicate profile id(s): {', '.join(duplicates)}")
    for profile in profiles:
        _check_watchlists(profile.when, watchlists, f"profile {profile.id}")
    return ProfileSet(profiles, watchlists)


def _check_watchlists(criterion: Criterion, known: Mapping[str, Watchlist], where: str) -> None:
    if isinstance(criterion, OnWatchlist) and criterion.name not in known:
        raise ProfileError(f"{where}: watch-list {criterion.name!r} is not defined")
    for part in getattr(criterion, "parts", ()):
        _check_watchlists(part, known, where)
    if isinstance(criterion, Not):
        _check_watchlists(criterion.part, known, where)


def load_profiles(path: Path | str) -> ProfileSet:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path}: not valid YAML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{path}: {not_utf8(exc)}") from exc
    return parse_profile_set(raw)


# ---------------------------------------------------------------------------- evaluation


@dataclass
class RuleHits:
    """Per declaration, which profiles matched and which fired (matched and sampled)."""

    profiles: tuple[Profile, ...]
    matched: np.ndarray  # (n, p) bool
    fired: np.ndarray  # (n, p) bool
    id_hashes: np.ndarray | None = None  # the declaration ids' hashes, when sampling made them

    def fired_ids(self, i: int) -> list[str]:
        return [self.profiles[j].id for j in np.flatnonzero(self.fired[i])]

    def channel_rank(self) -> np.ndarray:
        """Rank (index in CHANNELS) of the strictest fired profile; -1 where none fired."""
        rank = np.full(self.fired.shape[0], -1, dtype=np.int64)
        for j, profile in enumerate(self.profiles):
            r = CHANNEL_RANK[profile.action.channel]
            rank = np.where(self.fired[:, j] & (r > rank), r, rank)
        return rank

    def channel(self) -> np.ndarray:
        """Strictest channel among fired profiles; "" where none fired."""
        names = np.array(("", *CHANNELS), dtype=object)
        return np.asarray(names[self.channel_rank() + 1])

    def reasons(self, i: int) -> list[str]:
        return [self.profiles[j].describe() for j in np.flatnonzero(self.fired[i])]


def _sample_share(hashes: np.ndarray, profile_id: str, percent: float, seed: int) -> np.ndarray:
    """Reproducible pseudo-random selection of `percent` % of matching declarations.

    Keyed on the seed, profile and declaration id (not on row order), so re-running a day gives
    the same selection and one declaration's fate does not depend on the others in the batch.
    """
    if percent >= 100:
        return np.ones(len(hashes), dtype=bool)
    if percent <= 0:
        return np.zeros(len(hashes), dtype=bool)
    chance = uniform_from_hashes(hashes, f"{seed}|profile|{profile_id}")
    return np.asarray(chance < percent / 100.0)


def evaluate(
    profile_set: ProfileSet | Sequence[Profile],
    frame: pd.DataFrame,
    *,
    prices: ReferencePriceBase | None = None,
    seed: int = 0,
) -> RuleHits:
    """Evaluate every active profile on every declaration of the batch, column-wise."""
    if isinstance(profile_set, ProfileSet):
        profiles, watchlists = profile_set.profiles, profile_set.watchlists
    else:
        profiles, watchlists = tuple(profile_set), {}
    batch = Batch(frame, watchlists, prices)
    n = len(frame)
    matched = np.zeros((n, len(profiles)), dtype=bool)
    fired = np.zeros((n, len(profiles)), dtype=bool)
    day = frame["date"].to_numpy(dtype="datetime64[D]")
    for j, profile in enumerate(profiles):
        if not profile.active:
            continue
        hit = np.array(profile.when.mask(batch), dtype=bool)  # own copy: masks may be views
        if profile.valid_from is not None:
            hit &= day >= np.datetime64(profile.valid_from, "D")
        if profile.valid_to is not None:
            hit &= day <= np.datetime64(profile.valid_to, "D")
        matched[:, j] = hit
        if profile.action.selection_percent >= 100:
            fired[:, j] = hit
            continue
        rows = np.flatnonzero(hit)  # only matching declarations need their draw
        if batch.coded is None:
            batch.coded = CodedBatch(frame)
        draw = _sample_share(batch.coded.id_hashes()[rows], profile.id,
                             profile.action.selection_percent, seed)
        fired[rows[draw], j] = True
    return RuleHits(tuple(profiles), matched, fired,
                    batch.coded.hashed_ids if batch.coded is not None else None)
