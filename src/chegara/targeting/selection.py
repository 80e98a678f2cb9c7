"""Channel selection per office and day, in ASYCUDA's order, under inspection capacity.

For each office and day the declarations are channelled in this order:

1. **Rule hits.** A declaration on which a profile fired takes the strictest channel of the
   fired profiles (red > yellow > blue > green). Rule hits are always honoured, even beyond
   capacity: an analyst's profile is a decision, not a suggestion; they use capacity first.
2. **Random compliance sample.** About `random_percent` % of the remaining declarations go to
   `random_channel`, chosen by a seeded hash of the declaration id (reproducible, independent of
   row order and of the score). This sample is what makes the true non-compliance rate
   estimable (see outcomes.py): without it every inspected declaration was chosen for risk.
3. **Top-up by score** to the expected rates: red until `red_rate` of the office-day's
   declarations are red (or the physical capacity is used), then yellow likewise (documentary
   capacity), highest score first. Ties are broken by a hash of the declaration id, not by order.
   The expected count's fraction is rounded up at random (seeded by office and day), so a small
   office still gets its expected share on average. With `per_office=False` the rates apply to
   each day across all offices (what `chegara targeting score` does: it knows no capacities).
4. **Blue lane.** The next `blue_rate` by score are released for post-clearance audit.
5. Everything else is **green**.

Authorised economic operators (AEO) get reduced rates: their random-sample chance and their
score are multiplied by `aeo_factor` (default 0.5) before steps 2-4. Profile hits still apply.
A reason's place in the day ("ranked 4 of 47") is counted on that reduced score too, the one the
top-up ordered by, so that the place a reader sees is the one that chose; an AEO's reason shows
both scores and says it was ranked by the reduced one.

A reason names the office as `office_names` gives it (the crossing point's name, from the
service), else by its code.

Selected declarations (red and yellow) are assigned to the office's inspectors at random
(numpy PCG64 seeded from sha256 of "seed|office|day"), dealt round-robin over a shuffled order so
that work is even and nobody chooses their case. Same inputs and seed give the same assignment.

For a stream (e-commerce hubs) where an office-day cannot be ranked as a whole, use
`score_thresholds` on a reference batch and `channel_by_threshold` on each chunk.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from chegara import messages
from chegara.targeting.coding import id_hashes, seeded_uniform, uniform_from_hashes
from chegara.targeting.rules import CHANNEL_NAMES, CHANNEL_RANK, RuleHits

BASIS_NONE, BASIS_RULE, BASIS_RANDOM, BASIS_SCORE, BASIS_BLUE = range(5)


@dataclass(frozen=True)
class SelectionPolicy:
    """Expected rates (shares of an office-day's declarations) and capacities."""

    red_rate: float = 0.05
    yellow_rate: float = 0.05
    blue_rate: float = 0.0
    random_percent: float = 1.0
    random_channel: str = "red"
    aeo_factor: float = 0.5
    physical_capacity: Mapping[str, int] = field(default_factory=dict)  # office -> red per day
    documentary_capacity: Mapping[str, int] = field(default_factory=dict)  # office -> yellow
    seed: int = 0
    # Rates apply per office and day; with False, per day across all offices (used when no
    # capacity is configured, so small offices are not rounded down to no selection at all).
    per_office: bool = True

    def __post_init__(self) -> None:
        for name in ("red_rate", "yellow_rate", "blue_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be a share within 0-1, got {value}")
        if not 0.0 <= self.random_percent <= 100.0:
            raise ValueError("random_percent must be within 0-100")
        if self.random_channel not in ("red", "yellow"):
            raise ValueError("random_channel must be red or yellow")


@dataclass
class Selection:
    """Channel, why, and assigned inspector for each declaration of the batch."""

    channel: np.ndarray  # object array of "red" / "yellow" / "blue" / "green"
    basis: np.ndarray  # BASIS_* per declaration
    score: np.ndarray
    group: np.ndarray  # office-day (or day) number per declaration
    group_size: np.ndarray
    aeo: np.ndarray
    rule_hits: RuleHits | None
    policy: SelectionPolicy
    # The score the top-up ordered by: the model's, reduced for authorised economic operators.
    deciding_score: np.ndarray
    office_shown: np.ndarray  # per group: the office's name (or code) as a reason names it
    inspector: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))

    def reasons(self, i: int) -> list[str]:
        """Why declaration i got its channel, in the examiner's words."""
        out: list[str] = []
        if self.rule_hits is not None:
            out += self.rule_hits.reasons(i)
        basis = int(self.basis[i])
        if basis == BASIS_RANDOM:
            out.append(messages.RANDOM_SAMPLE.format(percent=self.policy.random_percent))
        elif basis == BASIS_SCORE:
            out.append(self._place_by_score(i))
        elif basis == BASIS_BLUE:
            out.append(messages.REDUCED_SCORE_RELEASED.format(
                score=self.score[i], reduced=self.deciding_score[i]) if self._reduced(i)
                else messages.SCORE_RELEASED.format(score=self.score[i]))
        if self.aeo[i]:
            out.append(messages.AEO_REDUCED.text)
        return out

    def _reduced(self, i: int) -> bool:
        """Did declaration i's channel come from an authorised economic operator's reduced
        score rather than the model's?"""
        return bool(self.aeo[i]) and self.policy.aeo_factor != 1.0

    def _place_by_score(self, i: int) -> str:
        """Declaration i's score, its place that day and where: the sentence of a choice by
        score."""
        figures: dict[str, float | int] = {
            "score": self.score[i], "rank": int(self.score_rank[i]), "n": int(self.group_size[i])}
        reduced = self._reduced(i)
        if reduced:
            figures["reduced"] = self.deciding_score[i]
        office = str(self.office_shown[self.group[i]]) if self.policy.per_office else ""
        if office:
            message = (messages.REDUCED_SCORE_RANKED_AT_OFFICE if reduced
                       else messages.SCORE_RANKED_AT_OFFICE)
            return message.format(office=office, **figures)
        where = messages.WHERE_NO_OFFICE if self.policy.per_office else messages.WHERE_ALL_OFFICES
        message = messages.REDUCED_SCORE_RANKED if reduced else messages.SCORE_AMONG_HIGHEST
        return message.format(where=where, **figures)

    @functools.cached_property
    def score_rank(self) -> np.ndarray:
        """Each declaration's place in its office-day by the score that decided (reduced for
        authorised economic operators), 1 for the highest; equal scores share the better place.
        Worked out once, when the first reason asks for it."""
        score = np.where(np.isnan(self.deciding_score), -np.inf, self.deciding_score)
        order = np.lexsort((-score, self.group))
        ordered_group, ordered_score = self.group[order], score[order]
        first_of_group = np.r_[True, ordered_group[1:] != ordered_group[:-1]]
        new_value = first_of_group | np.r_[True, ordered_score[1:] != ordered_score[:-1]]
        position = np.arange(len(order))
        group_start = np.maximum.accumulate(np.where(first_of_group, position, 0))
        value_start = np.maximum.accumulate(np.where(new_value, position, 0))
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = value_start - group_start + 1
        return rank


def _best_first_by_group(group: np.ndarray, ranked: np.ndarray, tie_break: np.ndarray
                         ) -> np.ndarray:
    """Rows by group, then highest score, then tie-break: np.lexsort's order at half its
    cost. Complex numbers sort by real part, then imaginary part: one sort for score and
    tie-break, then a stable radix sort on the (small) group numbers."""
    order = np.argsort(-ranked + 1j * tie_break)
    small = group.astype(np.int16) if len(group) and group.max() < 2**15 else group
    return order[np.argsort(small[order], kind="stable")]


def _fill_by_score(
    group: np.ndarray, order: np.ndarray, candidate: np.ndarray, slots: np.ndarray,
) -> np.ndarray:
    """Pick, per group, the first `slots[g]` candidates in `order` (best score first)."""
    ordered_group = group[order]
    ordered_candidate = candidate[order]
    # Rank among candidates within the group: a running count that restarts at each group.
    running = np.cumsum(ordered_candidate)
    starts = np.r_[0, np.flatnonzero(np.diff(ordered_group)) + 1]
    offset = np.zeros(len(order), dtype=np.int64)
    if len(order):
        before = np.r_[0, running][starts]
        offset = np.repeat(before, np.diff(np.r_[starts, len(order)]))
    rank = running - offset  # 1-based among candidates
    chosen_sorted = ordered_candidate & (rank <= slots[ordered_group])
    chosen = np.zeros(len(order), dtype=bool)
    chosen[order] = chosen_sorted
    return chosen


def _office_days(frame: pd.DataFrame, per_office: bool) -> tuple[np.ndarray, pd.Index]:
    """Group number per declaration and the groups' "office|YYYY-MM-DD" names."""
    n = len(frame)
    if per_office:
        office_codes, offices = pd.factorize(frame["office"].astype(str))
    else:
        office_codes, offices = np.zeros(n, dtype=np.int64), pd.Index(["*"])
    day = frame["date"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    first = int(day.min()) if n else 0
    span = int(day.max()) - first + 1 if n else 1
    group, keys = pd.factorize(np.asarray(office_codes, dtype=np.int64) * span + (day - first))
    names = pd.Index([f"{offices[int(k) // span]}|{np.datetime64(first + int(k) % span, 'D')}"
                      for k in keys])
    return np.asarray(group, dtype=np.int64), names


def _expected_count(sizes: np.ndarray, rate: float, groups: pd.Index, salt: str) -> np.ndarray:
    """size x rate, with the fraction rounded up at random (seeded by office and day).

    Plain rounding would give an office with 9 declarations a day and a 5 % rate no selection
    ever; random rounding keeps the expected share exact at every office, however small.
    """
    exact = sizes * rate
    whole = np.floor(exact)
    chance = seeded_uniform(pd.Series(groups.astype(str)), salt + "|")
    return (whole + (chance < exact - whole)).astype(np.int64)


def _top_up(rank: np.ndarray, basis: np.ndarray, free: np.ndarray, group: np.ndarray,
            order: np.ndarray, target: np.ndarray, name: str, why: int) -> None:
    """Send free declarations, best score first, to `name` until each group has `target`."""
    code = CHANNEL_RANK[name]
    already = np.bincount(group, weights=(rank == code), minlength=len(target))
    slots = np.maximum(target - already.astype(np.int64), 0)
    chosen = _fill_by_score(group, order, free, slots)
    rank[chosen] = code
    basis[chosen] = why
    free &= ~chosen


def _capacity(offices: np.ndarray, table: Mapping[str, int], fallback: np.ndarray) -> np.ndarray:
    if not table:
        return fallback
    return np.array([table.get(str(o), f) for o, f in zip(offices, fallback, strict=True)],
                    dtype=np.int64)


def select(
    frame: pd.DataFrame,
    scores: np.ndarray,
    *,
    policy: SelectionPolicy | None = None,
    rule_hits: RuleHits | None = None,
    aeo_traders: Collection[str] = (),
    inspectors: Mapping[str, Sequence[str]] | None = None,
    office_names: Mapping[str, str] | None = None,
) -> Selection:
    """Channel every declaration of the batch; see the module docstring for the order.
    ``office_names`` (office code -> name) name the office in the reasons; a code without a
    name is shown as it is."""
    policy = policy or SelectionPolicy()
    n = len(frame)
    score = np.asarray(scores, dtype=float)
    group, uniques = _office_days(frame, policy.per_office)
    sizes = np.bincount(group, minlength=len(uniques))
    group_offices = np.array([u.split("|", 1)[0] for u in uniques], dtype=object)
    aeo = frame["importer_id"].astype(str).isin(set(aeo_traders)).to_numpy()
    factor = np.where(aeo, policy.aeo_factor, 1.0)
    ranked = np.where(np.isnan(score), -np.inf, score) * factor

    # Channels are worked on as ranks (small integers) and named at the end: comparing a
    # million strings per step cost more than the whole selection.
    rank = np.full(n, CHANNEL_RANK["green"], dtype=np.int64)
    basis = np.full(n, BASIS_NONE, dtype=np.int64)
    if rule_hits is not None:
        rule_rank = rule_hits.channel_rank()
        fired = rule_rank >= 0
        rank[fired] = rule_rank[fired]
        basis[fired] = BASIS_RULE
    free = basis == BASIS_NONE

    # The rule evaluation of the same batch has hashed the ids already, when it sampled.
    hashes = (rule_hits.id_hashes if rule_hits is not None and rule_hits.id_hashes is not None
              and len(rule_hits.id_hashes) == n else id_hashes(frame["declaration_id"]))
    chance = policy.random_percent / 100.0 * factor
    sampled = free & (uniform_from_hashes(hashes, f"{policy.seed}|random-sample|") < chance)
    rank[sampled] = CHANNEL_RANK[policy.random_channel]
    basis[sampled] = BASIS_RANDOM
    free &= ~sampled

    tie_break = uniform_from_hashes(hashes, f"{policy.seed}|tie|")
    order = _best_first_by_group(group, ranked, tie_break)
    for name, rate, table in (("red", policy.red_rate, policy.physical_capacity),
                              ("yellow", policy.yellow_rate, policy.documentary_capacity)):
        target = _expected_count(sizes, rate, uniques, f"{policy.seed}|{name}")
        target = np.minimum(target, _capacity(group_offices, table, target))
        _top_up(rank, basis, free, group, order, target, name, BASIS_SCORE)
    if policy.blue_rate > 0:
        expected = _expected_count(sizes, policy.blue_rate, uniques, f"{policy.seed}|blue")
        _top_up(rank, basis, free, group, order, expected, "blue", BASIS_BLUE)
    channel = np.asarray(CHANNEL_NAMES[rank])
    names = office_names or {}
    office_shown = np.array([names.get(str(o)) or str(o) for o in group_offices], dtype=object)
    result = Selection(channel, basis, score, group, sizes[group], aeo, rule_hits, policy,
                       ranked, office_shown)
    result.inspector = assign_inspectors(frame, channel, inspectors or {}, seed=policy.seed)
    return result


def assign_inspectors(
    frame: pd.DataFrame, channel: np.ndarray, inspectors: Mapping[str, Sequence[str]],
    *, seed: int = 0,
) -> np.ndarray:
    """Deal the office-day's red and yellow declarations to its inspectors at random."""
    out = np.full(len(frame), "", dtype=object)
    if not inspectors:
        return out
    selected = np.flatnonzero((channel == "red") | (channel == "yellow"))
    if not len(selected):
        return out
    offices = frame["office"].astype(str).to_numpy()[selected]
    days = frame["date"].dt.strftime("%Y-%m-%d").to_numpy()[selected]
    keys = pd.Series(offices + "|" + days.astype(object))
    for key, rows in keys.groupby(keys).groups.items():
        office, day = str(key).split("|", 1)
        staff = list(inspectors.get(office, ()))
        if not staff:
            continue
        digest = hashlib.sha256(f"{seed}|{office}|{day}".encode()).digest()
        rng = np.random.default_rng(int.from_bytes(digest[:8], "little"))
        members = selected[np.asarray(rows)]
        # Declarations in id order first, so the shuffle alone decides who gets what.
        ids = frame["declaration_id"].astype(str).to_numpy()[members]
        members = members[np.argsort(ids, kind="stable")]
        shuffled = members[rng.permutation(len(members))]
        staff_order = [staff[i] for i in rng.permutation(len(staff))]
        for position, row in enumerate(shuffled):
            out[row] = staff_order[position % len(staff_order)]
    return out


def score_thresholds(reference_scores: np.ndarray, policy: SelectionPolicy) -> tuple[float, float]:
    """Score cut-offs that send about red_rate / yellow_rate of a reference batch to each."""
    s = np.sort(np.asarray(reference_scores, dtype=float))[::-1]
    if not len(s):
        return float("inf"), float("inf")
    red_k = max(round(len(s) * policy.red_rate), 1)
    yellow_k = max(round(len(s) * (policy.red_rate + policy.yellow_rate)), red_k)
    return float(s[min(red_k, len(s)) - 1]), float(s[min(yellow_k, len(s)) - 1])


def channel_by_threshold(scores: np.ndarray, thresholds: tuple[float, float],
                         rule_rank: np.ndarray | None = None) -> np.ndarray:
    """Stream-friendly channel: fixed score cut-offs, then the stricter of score and rules.

    `rule_rank` is `RuleHits.channel_rank()` (-1 where no profile fired).
    """
    red_cut, yellow_cut = thresholds
    rank = np.where(scores >= red_cut, CHANNEL_RANK["red"],
                    np.where(scores >= yellow_cut, CHANNEL_RANK["yellow"], CHANNEL_RANK["green"]))
    if rule_rank is not None:
        rank = np.maximum(rank, rule_rank)
    return np.asarray(CHANNEL_NAMES[rank])
