"""SPS checks: which documentary, identity, physical checks and laboratory samples a consignment
gets, from its commodity and origin risk category and the history of its origin and
establishment.

The model follows EU official-controls practice at border control posts:

* the **documentary check** is done on every consignment (Regulation (EU) 2017/625, Art. 49);
* identity and physical checks and laboratory sampling are done at a **frequency** set per
  commodity category (as Regulation (EU) 2019/2129 does for physical checks), with
  **increased frequencies** for a commodity from a named origin (as the lists of Regulation
  (EU) 2019/1793 do) that take precedence over the general category;
* an origin whose consignments of the category were **often non-compliant lately** gets higher
  frequencies; an establishment with a recent non-compliance is under **reinforced checks**
  (every check, laboratory included, until a run of favourable results, as in the reinforced
  checking regime of Art. 65 of Regulation 2017/625); an establishment with a **long clean
  record** gets reduced frequencies.

History counts only results known strictly before the consignment's day. The random choice is
one number per consignment, ``draw = sha256("seed|sps|consignment id")`` read as a fraction of
1: a laboratory sample when ``draw < laboratory %``, a physical check when ``draw < physical %``,
an identity check when ``draw < identity %``. Frequencies are kept in the order identity >=
physical >= laboratory, so a sample is always taken during a physical check and a physical check
always includes the identity check, and each check still happens at exactly its frequency.
Anyone holding the seed and the consignment number can recompute the draw.

Pure computation: no database, no web.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from chegara import messages

CHECKS = ("documentary", "identity", "physical", "laboratory")
_HS_PREFIX = re.compile(r"^\d{2,10}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class Frequencies:
    """Percent of consignments that get an identity check, a physical check, a lab sample."""

    identity: float
    physical: float
    laboratory: float

    def describe(self) -> str:
        return messages.FREQUENCIES.format(identity=self.identity, physical=self.physical,
                                           laboratory=self.laboratory)


EVERY_CHECK = Frequencies(100.0, 100.0, 100.0)
# With no category covering the commodity, every check is due: reduced frequencies are the
# exception the categories grant, not the rule (Regulation 2017/625, Art. 49 and 54).
NO_CATEGORY = Frequencies(100.0, 100.0, 0.0)


@dataclass(frozen=True)
class SpsCategory:
    """A commodity (and optionally origin) risk category with its check frequencies.

    Empty matching fields match anything: a category with only ``hs_prefixes`` covers those
    goods from every origin.
    """

    code: str
    name: str
    identity_percent: float
    physical_percent: float
    laboratory_percent: float
    documentary_percent: float = 100.0
    commodity_category: str = ""
    hs_prefixes: tuple[str, ...] = ()
    product_pattern: str = ""
    origin_country: str = ""
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @property
    def frequencies(self) -> Frequencies:
        return Frequencies(self.identity_percent, self.physical_percent,
                           self.laboratory_percent)

    def covers(self, consignment: Consignment) -> bool:
        if self.valid_from and consignment.day < self.valid_from:
            return False
        if self.valid_to and consignment.day > self.valid_to:
            return False
        if self.origin_country and self.origin_country != consignment.origin_country.upper():
            return False
        if (self.commodity_category and self.commodity_category.casefold()
                != consignment.commodity_category.casefold()):
            return False
        if self.hs_prefixes and not any(consignment.hs_code.startswith(p)
                                        for p in self.hs_prefixes):
            return False
        return not (self.product_pattern and self.product_pattern.casefold()
                    not in consignment.species_or_product.casefold())

    def specificity(self) -> tuple[int, int, int, int]:
        """Origin first (an increased-frequency listing beats the general category), then the
        longest HS prefix, then a product pattern, then a commodity category."""
        return (int(bool(self.origin_country)), max((len(p) for p in self.hs_prefixes),
                                                    default=0),
                int(bool(self.product_pattern)), int(bool(self.commodity_category)))

    def describe(self) -> str:
        scope = [part for part in (
            self.commodity_category,
            "HS " + ", ".join(self.hs_prefixes) if self.hs_prefixes else "",
            f"'{self.product_pattern}'" if self.product_pattern else "",
            messages.FROM_ORIGIN.format(country=self.origin_country) if self.origin_country
            else messages.ANY_ORIGIN) if part]
        return messages.SPS_CATEGORY.format(code=self.code, scope="; ".join(scope),
                                            frequencies=self.frequencies.describe())


def category_problems(category: SpsCategory) -> list[str]:
    """What is wrong with a category, in words; empty when it can be saved."""
    problems = []
    if not category.code.strip() or len(category.code) > 64:
        problems.append("code: 1-64 characters")
    for name in ("documentary", "identity", "physical", "laboratory"):
        value = getattr(category, f"{name}_percent")
        if not 0 <= value <= 100:
            problems.append(f"{name}_percent: must be within 0-100, not {value:g}")
    if category.documentary_percent != 100:
        problems.append("documentary_percent: the documentary check is done on every "
                        "consignment; it must be 100")
    if not (category.identity_percent >= category.physical_percent
            >= category.laboratory_percent):
        problems.append("frequencies must satisfy identity >= physical >= laboratory: a "
                        "physical check includes the identity check and samples are taken "
                        "during a physical check")
    for prefix in category.hs_prefixes:
        if not _HS_PREFIX.match(prefix):
            problems.append(f"hs_prefixes: {prefix!r} is not 2-10 digits")
    if category.origin_country and not _COUNTRY.match(category.origin_country):
        problems.append(f"origin_country: {category.origin_country!r} is not an ISO alpha-2 "
                        "code such as CN")
    if category.valid_from and category.valid_to and category.valid_to < category.valid_from:
        problems.append("valid_to is before valid_from")
    if not (category.commodity_category or category.hs_prefixes or category.product_pattern):
        problems.append("say which goods: a commodity category, HS prefixes or a product "
                        "pattern")
    return problems


@dataclass(frozen=True)
class Consignment:
    consignment_id: str
    day: dt.date
    commodity_category: str = ""
    hs_code: str = ""
    species_or_product: str = ""
    origin_country: str = ""
    establishment: str = ""


@dataclass(frozen=True)
class PastOutcome:
    """An SPS inspection result: of which consignment, known on which day, compliant or not."""

    known_on: dt.date
    origin_country: str
    commodity_category: str
    establishment: str
    compliant: bool


@dataclass(frozen=True)
class HistoryRules:
    """When the history of an origin or an establishment moves the frequencies.

    * **Origin raise**: at least ``origin_raise_after`` non-compliant consignments of the same
      commodity category from the same origin in the last ``origin_window_days`` days: each
      frequency becomes ``max(base x origin_raise_factor, base + origin_raise_step)``, at most
      100 %.
    * **Reinforced checks**: at least ``reinforce_after`` non-compliant consignments from the
      establishment in the last ``establishment_window_days`` days, and fewer than
      ``reinforced_until_clean`` compliant results since its last non-compliance: every check,
      laboratory included, on every consignment.
    * **Clean record**: at least ``clean_record_after`` results for the establishment in the last
      ``establishment_window_days`` days, none non-compliant, and its origin not raised: each
      frequency is multiplied by ``clean_reduce_factor``, never below ``reduced_floor_percent``
      (nor above the base).
    """

    origin_window_days: int = 180
    origin_raise_after: int = 3
    origin_raise_factor: float = 2.0
    origin_raise_step: float = 10.0
    establishment_window_days: int = 365
    reinforce_after: int = 1
    reinforced_until_clean: int = 10
    clean_record_after: int = 20
    clean_reduce_factor: float = 0.5
    reduced_floor_percent: float = 1.0


@dataclass(frozen=True)
class CheckPlan:
    """The checks one consignment gets, and why."""

    consignment_id: str
    category_code: str
    base: Frequencies
    frequencies: Frequencies
    draw: float
    seed: int
    identity: bool
    physical: bool
    laboratory: bool
    adjustments: tuple[str, ...]
    reasons: tuple[str, ...]
    profile_channel: str = ""

    documentary: bool = True

    @property
    def channel(self) -> str:
        """A physical check holds the goods (red); an identity check holds them at the post
        (yellow); the documentary check is done on the certificate and holds nothing."""
        if self.physical or self.laboratory:
            return "red"
        if self.identity:
            return "yellow"
        return "green"

    @property
    def checks(self) -> tuple[str, ...]:
        return tuple(name for name in CHECKS if getattr(self, name))


def sps_draw(seed: int, consignment_id: str) -> float:
    """A fraction of 1 fixed by the seed and the consignment number (auditable, order-free)."""
    digest = hashlib.sha256(f"{seed}|sps|{consignment_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def choose_category(categories: Iterable[SpsCategory], consignment: Consignment
                    ) -> SpsCategory | None:
    """The most specific category covering the consignment; among equally specific ones the
    strictest (highest physical, then laboratory, then identity frequency), then by code."""
    covering = [c for c in categories if c.covers(consignment)]
    if not covering:
        return None
    return min(covering, key=lambda c: (tuple(-n for n in c.specificity()), -c.physical_percent,
                                        -c.laboratory_percent, -c.identity_percent, c.code))


class History:
    """Past SPS results indexed for look-ups "before this day" by origin and establishment."""

    def __init__(self, outcomes: Iterable[PastOutcome]) -> None:
        self._by_origin: dict[tuple[str, str], list[dt.date]] = {}
        self._by_establishment: dict[tuple[str, str], list[tuple[dt.date, bool]]] = {}
        for o in sorted(outcomes, key=lambda o: o.known_on):
            if not o.compliant:
                key = (o.origin_country.upper(), o.commodity_category.casefold())
                self._by_origin.setdefault(key, []).append(o.known_on)
            if o.establishment:
                self._by_establishment.setdefault(
                    (o.origin_country.upper(), o.establishment), []).append(
                    (o.known_on, o.compliant))

    def origin_non_compliant(self, consignment: Consignment, window_days: int) -> int:
        days = self._by_origin.get((consignment.origin_country.upper(),
                                    consignment.commodity_category.casefold()), [])
        start = consignment.day - dt.timedelta(days=window_days)
        return bisect.bisect_left(days, consignment.day) - bisect.bisect_left(days, start)

    def establishment_record(self, consignment: Consignment, window_days: int
                             ) -> list[tuple[dt.date, bool]]:
        """The establishment's results known before the consignment's day, oldest first."""
        if not consignment.establishment:
            return []
        results = self._by_establishment.get((consignment.origin_country.upper(),
                                              consignment.establishment), [])
        start = consignment.day - dt.timedelta(days=window_days)

        def day(result: tuple[dt.date, bool]) -> dt.date:
            return result[0]

        return results[bisect.bisect_left(results, start, key=day):
                       bisect.bisect_left(results, consignment.day, key=day)]


def _raise(value: float, rules: HistoryRules) -> float:
    return min(100.0, max(value * rules.origin_raise_factor, value + rules.origin_raise_step))


def _reduce(value: float, rules: HistoryRules) -> float:
    return max(value * rules.clean_reduce_factor, min(value, rules.reduced_floor_percent))


def adjust(base: Frequencies, consignment: Consignment, history: History,
           rules: HistoryRules) -> tuple[Frequencies, list[str]]:
    """The base frequencies moved by the origin's and the establishment's record."""
    result, notes = base, []
    origin_bad = history.origin_non_compliant(consignment, rules.origin_window_days)
    raised = origin_bad >= rules.origin_raise_after
    if raised:
        result = Frequencies(_raise(result.identity, rules), _raise(result.physical, rules),
                             _raise(result.laboratory, rules))
        notes.append(messages.ORIGIN_RAISED.format(
            country=consignment.origin_country, failures=origin_bad,
            category=consignment.commodity_category or "SPS", days=rules.origin_window_days,
            threshold=rules.origin_raise_after, frequencies=result.describe()))
    record = history.establishment_record(consignment, rules.establishment_window_days)
    failures = [day for day, compliant in record if not compliant]
    if failures and len(failures) >= rules.reinforce_after:
        clean_since = sum(1 for day, compliant in record if compliant and day > failures[-1])
        if clean_since < rules.reinforced_until_clean:
            notes.append(messages.ESTABLISHMENT_REINFORCED.format(
                establishment=consignment.establishment, day=f"{failures[-1]:%Y-%m-%d}",
                clean=clean_since, needed=rules.reinforced_until_clean))
            return EVERY_CHECK, notes
    if not failures and len(record) >= rules.clean_record_after and not raised:
        result = Frequencies(_reduce(result.identity, rules), _reduce(result.physical, rules),
                             _reduce(result.laboratory, rules))
        notes.append(messages.ESTABLISHMENT_REDUCED.format(
            establishment=consignment.establishment, results=len(record),
            days=rules.establishment_window_days, frequencies=result.describe()))
    return result, notes


def _draw_reason(plan_draw: float, seed: int, frequencies: Frequencies,
                 chosen: dict[str, bool]) -> str:
    parts = [messages.DOCUMENTARY_ALWAYS.text]
    for name in ("identity", "physical", "laboratory"):
        drawn = messages.DRAWN if chosen[name] else messages.NOT_DRAWN
        parts.append(drawn.format(check=messages.CHECK_WORDS[name],
                                  percent=getattr(frequencies, name)))
    return messages.DRAW.format(draw=plan_draw, seed=seed, checks="; ".join(parts))


def _no_category(consignment: Consignment, base: Frequencies) -> str:
    template = (messages.NO_CATEGORY_FOR if consignment.commodity_category
                else messages.NO_CATEGORY_FOR_THIS)
    return template.format(category=consignment.commodity_category,
                           hs=consignment.hs_code or "-",
                           origin=consignment.origin_country or messages.UNKNOWN_ORIGIN,
                           frequencies=base.describe())


def plan_checks(categories: Sequence[SpsCategory], consignments: Sequence[Consignment],
                outcomes: Iterable[PastOutcome], *, rules: HistoryRules | None = None,
                seed: int = 0) -> list[CheckPlan]:
    """The checks of each consignment, in input order."""
    rules = rules or HistoryRules()
    history = History(outcomes)
    plans = []
    for consignment in consignments:
        category = choose_category(categories, consignment)
        if category is None:
            base = NO_CATEGORY
            reasons = [_no_category(consignment, base)]
        else:
            base = category.frequencies
            reasons = [category.describe()]
        frequencies, notes = adjust(base, consignment, history, rules)
        draw = sps_draw(seed, consignment.consignment_id)
        chosen = {name: draw < getattr(frequencies, name) / 100.0
                  for name in ("identity", "physical", "laboratory")}
        reasons += notes
        reasons.append(_draw_reason(draw, seed, frequencies, chosen))
        plans.append(CheckPlan(
            consignment_id=consignment.consignment_id,
            category_code=category.code if category else "", base=base,
            frequencies=frequencies, draw=draw, seed=seed, identity=chosen["identity"],
            physical=chosen["physical"], laboratory=chosen["laboratory"],
            adjustments=tuple(notes), reasons=tuple(reasons)))
    return plans


def with_profile(plan: CheckPlan, channel: str, fired: Sequence[str]) -> CheckPlan:
    """A risk profile that fired can ask for more than the frequency drew: red adds the
    physical check, yellow the identity check. It never removes a check."""
    if channel not in ("red", "yellow") or not fired:
        return plan
    physical = plan.physical or channel == "red"
    identity = plan.identity or physical or channel == "yellow"
    added = [name for name, now, before in (("physical", physical, plan.physical),
                                            ("identity", identity, plan.identity))
             if now and not before]
    if not added:
        return replace(plan, profile_channel=channel)
    reason = messages.PROFILE_ADDS_CHECKS.format(profiles=", ".join(fired), channel=channel,
                                                 checks=" and ".join(added))
    return replace(plan, physical=physical, identity=identity, profile_channel=channel,
                   reasons=(*plan.reasons, reason))
