"""SPS check frequencies: categories, history strictly from the past, the seeded draw."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from chegara.targeting.sps import (
    NO_CATEGORY,
    Consignment,
    Frequencies,
    History,
    HistoryRules,
    PastOutcome,
    SpsCategory,
    adjust,
    category_problems,
    choose_category,
    plan_checks,
    sps_draw,
    with_profile,
)

DAY = dt.date(2026, 10, 20)
FRUIT = SpsCategory("FRUIT", "Fruit", 30, 15, 3, commodity_category="plant products",
                    hs_prefixes=("08",))
FRUIT_CN = SpsCategory("FRUIT-CN", "Fruit from China", 60, 50, 20,
                       commodity_category="plant products", hs_prefixes=("08",),
                       origin_country="CN")
MEAT = SpsCategory("MEAT", "Meat", 50, 30, 10, hs_prefixes=("02",))


def consignment(cid: str = "C1", *, origin: str = "UZ", hs: str = "0813100000",
                establishment: str = "UZ-EST-001", day: dt.date = DAY) -> Consignment:
    return Consignment(cid, day, "plant products", hs, "dried apricots", origin, establishment)


def outcome(days_before: int, *, compliant: bool, origin: str = "UZ",
            establishment: str = "UZ-EST-001") -> PastOutcome:
    return PastOutcome(DAY - dt.timedelta(days=days_before), origin, "plant products",
                       establishment, compliant)


def test_the_origin_listing_beats_the_general_category_and_uncovered_goods_get_every_check(
        ) -> None:
    assert choose_category([FRUIT, FRUIT_CN, MEAT], consignment(origin="CN")) == FRUIT_CN
    assert choose_category([FRUIT, FRUIT_CN, MEAT], consignment(origin="UZ")) == FRUIT
    assert choose_category([FRUIT_CN, MEAT], consignment(origin="UZ")) is None
    expired = SpsCategory("OLD", "Old", 1, 1, 1, hs_prefixes=("08",),
                          valid_to=DAY - dt.timedelta(days=1))
    assert choose_category([expired], consignment()) is None
    [plan] = plan_checks([MEAT], [consignment()], [])
    assert plan.category_code == "" and plan.frequencies == NO_CATEGORY
    assert plan.physical and plan.identity and "every check by default" in plan.reasons[0]


def test_bad_categories_are_named() -> None:
    bad = SpsCategory("X", "x", 10, 20, 30, documentary_percent=50, hs_prefixes=("8A",),
                      origin_country="china")
    problems = " | ".join(category_problems(bad))
    assert "documentary_percent" in problems and "identity >= physical >= laboratory" in problems
    assert "'8A' is not 2-10 digits" in problems and "'china' is not an ISO" in problems
    assert category_problems(FRUIT) == []
    assert "say which goods" in " ".join(category_problems(SpsCategory("Y", "y", 1, 1, 1)))


def test_origin_history_raises_only_from_results_known_before_the_day() -> None:
    rules = HistoryRules()
    three = [outcome(d, compliant=False, establishment=f"UZ-EST-00{d}") for d in (5, 30, 90)]
    raised, notes = adjust(FRUIT.frequencies, consignment(), History(three), rules)
    assert raised == Frequencies(60, 30, 13) and notes[0].startswith("origin UZ: 3 ")
    # A result known on the consignment's own day is not history yet; nor one too old.
    same_day = [*three[:2], outcome(0, compliant=False, establishment="UZ-EST-009")]
    assert adjust(FRUIT.frequencies, consignment(), History(same_day), rules)[1] == []
    too_old = [*three[:2], outcome(181, compliant=False, establishment="UZ-EST-009")]
    assert adjust(FRUIT.frequencies, consignment(), History(too_old), rules)[1] == []
    other_origin = [outcome(d, compliant=False, origin="KZ") for d in (5, 30, 90)]
    assert adjust(FRUIT.frequencies, consignment(), History(other_origin), rules)[1] == []


def test_establishment_reinforced_until_ten_clean_results_and_reduced_after_a_clean_year(
        ) -> None:
    rules = HistoryRules()
    failed = [outcome(40, compliant=False)]
    nine_clean = failed + [outcome(30 - d, compliant=True) for d in range(9)]
    frequencies, notes = adjust(FRUIT.frequencies, consignment(), History(nine_clean), rules)
    assert frequencies == Frequencies(100, 100, 100) and "9 of 10" in notes[-1]
    ten_clean = failed + [outcome(30 - d, compliant=True) for d in range(10)]
    assert adjust(FRUIT.frequencies, consignment(), History(ten_clean), rules)[1] == []
    clean_year = [outcome(10 + d * 10, compliant=True) for d in range(20)]
    reduced, notes = adjust(FRUIT.frequencies, consignment(), History(clean_year), rules)
    assert reduced == Frequencies(15, 7.5, 1.5) and "20 favourable results" in notes[-1]
    # Another establishment's clean record does not count.
    assert adjust(FRUIT.frequencies, consignment(establishment="UZ-EST-002"),
                  History(clean_year), rules)[1] == []


def test_the_draw_is_reproducible_and_nested() -> None:
    items = [consignment(f"C{i}") for i in range(400)]
    plans = plan_checks([FRUIT], items, [], seed=7)
    assert plans == plan_checks([FRUIT], list(reversed(items)), [], seed=7)[::-1]
    assert [p.draw for p in plans] != [p.draw for p in plan_checks([FRUIT], items, [], seed=8)]
    assert all(p.draw == sps_draw(7, p.consignment_id) for p in plans)
    physical = sum(p.physical for p in plans)
    assert 30 <= physical <= 90  # 15 % of 400 = 60
    assert all(p.identity for p in plans if p.physical)
    assert all(p.physical for p in plans if p.laboratory)
    assert all(p.documentary and "documentary check (always)" in p.reasons[-1] for p in plans)


def test_a_red_profile_adds_the_physical_check_and_never_removes_one() -> None:
    plan = next(p for p in plan_checks([FRUIT], [consignment(f"C{i}") for i in range(50)], [])
                if not p.identity)
    assert plan.channel == "green"
    red = with_profile(plan, "red", ["FMD"])
    assert red.physical and red.identity and red.channel == "red"
    assert "risk profile FMD (red) adds the physical and identity check" in red.reasons[-1]
    assert with_profile(red, "yellow", ["OTHER"]).checks == red.checks
    assert with_profile(plan, "", []) == plan


percent = st.floats(min_value=0, max_value=100, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(percent, min_size=3, max_size=3),
       results=st.lists(st.tuples(st.integers(0, 400), st.booleans(),
                                  st.sampled_from(["UZ-EST-001", "UZ-EST-002"])),
                        max_size=40))
def test_adjusted_frequencies_stay_ordered_and_within_bounds(
        values: list[float], results: list[tuple[int, bool, str]]) -> None:
    identity, physical, lab = sorted(values, reverse=True)
    base = Frequencies(identity, physical, lab)
    history = History([outcome(d, compliant=ok, establishment=e) for d, ok, e in results])
    adjusted, _ = adjust(base, consignment(), history, HistoryRules())
    assert 100 >= adjusted.identity >= adjusted.physical >= adjusted.laboratory >= 0
    # Results known on or after the day change nothing.
    future = History([*(outcome(d, compliant=ok, establishment=e) for d, ok, e in results),
                      *(outcome(-d, compliant=False) for d in range(0, 5))])
    assert adjust(base, consignment(), future, HistoryRules()) == adjust(
        base, consignment(), history, HistoryRules())
