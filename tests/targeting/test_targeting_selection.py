"""Selection: ASYCUDA's order, expected rates, capacity, AEO, blue lane, inspectors."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from chegara.targeting.rules import evaluate, parse_profile_set
from chegara.targeting.selection import (
    BASIS_RANDOM,
    BASIS_RULE,
    BASIS_SCORE,
    SelectionPolicy,
    channel_by_threshold,
    score_thresholds,
    select,
)


def day_of(make_frame, n: int, office: str = "30", day: str = "2021-01-04",
           prefix: str = "D") -> pd.DataFrame:
    return make_frame([{"declaration_id": f"{prefix}{i:04d}", "date": day, "office": office,
                        "hs_code": "610910" if i % 10 == 0 else "847130",
                        "importer_id": f"IMP{i % 7}"} for i in range(n)])


def test_order_rules_then_random_then_score_then_green(make_frame) -> None:
    frame = day_of(make_frame, 200)
    scores = np.linspace(0.0, 1.0, 200)  # the last declaration is the riskiest
    profiles = parse_profile_set({"profiles": [
        {"id": "TEX", "when": {"hs": ["61"]}, "action": {"channel": "red"}}]})
    hits = evaluate(profiles, frame)
    policy = SelectionPolicy(red_rate=0.15, yellow_rate=0.05, random_percent=2.0, seed=3)
    chosen = select(frame, scores, policy=policy, rule_hits=hits)
    rule_rows = np.flatnonzero(hits.fired[:, 0])
    assert (chosen.channel[rule_rows] == "red").all()
    assert (chosen.basis[rule_rows] == BASIS_RULE).all()
    # 20 rule hits and the random sample count toward 15 % of 200; the score tops up to 30.
    assert (chosen.channel == "red").sum() == 30
    assert (chosen.channel == "yellow").sum() == 10
    random_rows = np.flatnonzero(chosen.basis == BASIS_RANDOM)
    assert len(random_rows) >= 1 and not np.isin(random_rows, rule_rows).any()
    by_score = np.flatnonzero((chosen.basis == BASIS_SCORE) & (chosen.channel == "red"))
    yellow = np.flatnonzero(chosen.channel == "yellow")
    assert scores[by_score].min() > scores[yellow].max()  # red before yellow, by score
    assert "profile TEX" in chosen.reasons(int(rule_rows[0]))[0]
    assert "random compliance sample" in chosen.reasons(int(random_rows[0]))[0]
    assert "risk score" in chosen.reasons(int(by_score[0]))[0]
    assert chosen.reasons(1) == []  # green, low score, no rule: nothing to say


def test_rates_apply_per_office_and_day(make_frame) -> None:
    frame = pd.concat([day_of(make_frame, 100, "30", prefix="A"),
                       day_of(make_frame, 300, "40", prefix="B"),
                       day_of(make_frame, 100, "30", day="2021-01-05", prefix="C")],
                      ignore_index=True)
    scores = np.random.default_rng(0).random(len(frame))
    chosen = select(frame, scores, policy=SelectionPolicy(red_rate=0.1, yellow_rate=0.0,
                                                          random_percent=0.0))
    red = pd.Series(chosen.channel == "red").groupby(
        [frame["office"], frame["date"]]).sum().tolist()
    assert red == [10, 10, 30]


def test_physical_capacity_caps_the_score_top_up_but_not_rule_hits(make_frame) -> None:
    frame = day_of(make_frame, 200)
    scores = np.linspace(0, 1, 200)
    profiles = parse_profile_set({"profiles": [
        {"id": "TEX", "when": {"hs": ["61"]}, "action": {"channel": "red"}}]})
    hits = evaluate(profiles, frame)
    policy = SelectionPolicy(red_rate=0.2, random_percent=0.0, physical_capacity={"30": 25})
    chosen = select(frame, scores, policy=policy, rule_hits=hits)
    assert (chosen.channel == "red").sum() == 25  # 20 rule hits + 5 by score
    tight = SelectionPolicy(red_rate=0.2, random_percent=0.0, physical_capacity={"30": 5})
    chosen = select(frame, scores, policy=tight, rule_hits=hits)
    assert (chosen.channel == "red").sum() == 20  # rule hits are never dropped


def test_authorised_economic_operators_get_reduced_rates(make_frame) -> None:
    frame = day_of(make_frame, 700)
    scores = np.full(700, 0.5)
    policy = SelectionPolicy(red_rate=0.1, yellow_rate=0.0, random_percent=0.0)
    chosen = select(frame, scores, policy=policy, aeo_traders={"IMP0"})
    aeo = (frame["importer_id"] == "IMP0").to_numpy()
    assert (chosen.channel[aeo] == "red").sum() == 0  # everyone else outranks them
    assert (chosen.channel == "red").sum() == 70
    assert "authorised economic operator" in chosen.reasons(int(np.flatnonzero(aeo)[0]))[0]


def test_blue_lane_follows_the_selected(make_frame) -> None:
    frame = day_of(make_frame, 100)
    scores = np.linspace(0, 1, 100)
    policy = SelectionPolicy(red_rate=0.05, yellow_rate=0.05, blue_rate=0.1, random_percent=0)
    chosen = select(frame, scores, policy=policy)
    assert Counter(chosen.channel) == {"red": 5, "yellow": 5, "blue": 10, "green": 80}
    assert (chosen.channel[80:90] == "blue").all()


def test_score_reason_gives_the_percentage_and_the_place_at_the_named_office(make_frame) -> None:
    frame = pd.concat([day_of(make_frame, 57, "30", prefix="A"),
                       day_of(make_frame, 20, "40", prefix="B")], ignore_index=True)
    scores = np.r_[np.linspace(0.001, 0.03, 57), np.full(20, 0.5)]
    scores[[10, 20]] = 0.032  # two declarations share the highest score at office 30
    scores[30] = np.nan  # not scored: last
    policy = SelectionPolicy(red_rate=0.1, yellow_rate=0.0, random_percent=0.0, seed=1)
    chosen = select(frame, scores, policy=policy, office_names={"30": "Torugart"})
    assert chosen.reasons(10)[0] == (
        "risk score 3.2%, ranked 1 of 57 declarations at Torugart that day")
    assert chosen.reasons(20)[0].startswith("risk score 3.2%, ranked 1 of 57")
    assert chosen.reasons(56)[0].startswith("risk score 3.0%, ranked 3 of 57")
    assert chosen.score_rank[30] == 57 and chosen.score_rank[0] == 56
    # Office 40 has no name: its code stands. All twenty are equal: each is first of twenty.
    assert chosen.reasons(int(np.flatnonzero(chosen.channel[57:] == "red")[0]) + 57)[0] == (
        "risk score 50.0%, ranked 1 of 20 declarations at 40 that day")


def test_declarations_without_an_office_are_ranked_together_and_say_so(make_frame) -> None:
    frame = day_of(make_frame, 20, "")
    chosen = select(frame, np.linspace(0.01, 0.2, 20),
                    policy=SelectionPolicy(red_rate=0.05, yellow_rate=0.0, random_percent=0.0))
    assert chosen.reasons(19) == [
        "risk score 20.0%, ranked 1 of 20 declarations without an office that day"]


def test_an_aeo_is_ranked_by_the_reduced_score_that_chose_the_channel(make_frame) -> None:
    from chegara.web.sentences import translate

    frame = day_of(make_frame, 20, "TORUGART")
    frame.loc[[0, 1], "importer_id"] = "AEO1"
    scores = np.r_[0.98, 0.9, np.linspace(0.05, 0.6, 18)]
    policy = SelectionPolicy(red_rate=0.25, yellow_rate=0.0, random_percent=0.0)
    chosen = select(frame, scores, policy=policy, aeo_traders={"AEO1"},
                    office_names={"TORUGART": "Torugart"})
    red = chosen.channel == "red"
    # Halved, 98% ranks behind the four others above 49% and is chosen; 90% (45%) is not.
    assert red.sum() == 5 and red[0] and not red[1]
    # The places the reasons give are the order the top-up chose by: the five red first.
    assert sorted(chosen.score_rank[red]) == [1, 2, 3, 4, 5]
    assert chosen.score_rank[~red].min() == 6
    reason = chosen.reasons(0)[0]
    assert reason == ("risk score 98.0%, reduced to 49.0% for an authorised economic operator, "
                      "ranked 5 of 20 declarations at Torugart that day by the reduced score")
    assert chosen.reasons(19)[0] == (
        "risk score 60.0%, ranked 1 of 20 declarations at Torugart that day")
    assert translate("ru", reason) == (
        "оценка риска 98,0%, снижена до 49,0% для уполномоченного экономического оператора, "
        "5-е место из 20 деклараций на посту Торугарт за этот день по сниженной оценке")
    assert translate("ru", chosen.reasons(19)[0]) == (
        "оценка риска 60,0%, 1-е место из 20 деклараций на посту Торугарт за этот день")
    # An office the shipped geography does not name in Russian is shown as stored.
    assert translate("ru", "risk score 60.0%, ranked 1 of 20 declarations at DORDOI that day") == (
        "оценка риска 60,0%, 1-е место из 20 деклараций на посту DORDOI за этот день")


def test_an_aeo_released_to_the_blue_lane_gives_the_reduced_score(make_frame) -> None:
    from chegara.web.sentences import translate

    frame = day_of(make_frame, 20, "TORUGART")
    frame.loc[0, "importer_id"] = "AEO1"
    scores = np.r_[0.98, 0.9, np.linspace(0.05, 0.6, 18)]
    policy = SelectionPolicy(red_rate=0.1, yellow_rate=0.0, blue_rate=0.25, random_percent=0.0)
    chosen = select(frame, scores, policy=policy, aeo_traders={"AEO1"})
    # Halved to 49%, the operator's 98% falls behind the two red ones into the blue lane.
    assert chosen.channel[0] == "blue" and chosen.channel[1] == "red"
    reason = chosen.reasons(0)[0]
    assert reason == ("risk score 98.0%, reduced to 49.0% for an authorised economic operator: "
                      "released, post-clearance audit")
    assert translate("ru", reason) == (
        "оценка риска 98,0%, снижена до 49,0% для уполномоченного экономического оператора: "
        "выпуск, последующий аудит")


def test_score_reasons_stored_in_former_wordings_still_read_in_russian() -> None:
    from chegara.web.sentences import translate

    former = "risk score 0.952 among the highest of 18 declarations at all offices that day"
    assert translate("ru", former) == (
        "оценка риска 0,952 — среди самых высоких из 18 деклараций на всех постах за этот день")
    # Written before the office was named.
    unnamed = "risk score 3.2%, ranked 4 of 57 declarations at this office that day"
    assert translate("ru", unnamed) == (
        "оценка риска 3,2%, 4-е место из 57 деклараций на этом посту за этот день")
    across = "risk score 92.4%, ranked 1 of 18 declarations at all offices that day"
    assert translate("ru", across) == (
        "оценка риска 92,4%, 1-е место из 18 деклараций на всех постах за этот день")


def test_ties_are_broken_by_declaration_not_by_row_order(make_frame) -> None:
    frame = day_of(make_frame, 50)
    scores = np.full(50, 0.3)
    policy = SelectionPolicy(red_rate=0.1, yellow_rate=0.0, random_percent=0)
    first = select(frame, scores, policy=policy)
    reversed_frame = frame.iloc[::-1].reset_index(drop=True)
    second = select(reversed_frame, scores, policy=policy)
    red_first = set(frame["declaration_id"][first.channel == "red"])
    red_second = set(reversed_frame["declaration_id"][second.channel == "red"])
    assert red_first == red_second and len(red_first) == 5


def test_inspectors_are_assigned_at_random_evenly_and_reproducibly(make_frame) -> None:
    frame = day_of(make_frame, 400)
    scores = np.linspace(0, 1, 400)
    staff = {"30": ["Aibek", "Bakyt", "Cholpon"]}
    policy = SelectionPolicy(red_rate=0.1, yellow_rate=0.05, random_percent=0, seed=11)
    first = select(frame, scores, policy=policy, inspectors=staff)
    again = select(frame, scores, policy=policy, inspectors=staff)
    assert np.array_equal(first.inspector, again.inspector)
    selected = first.channel != "green"
    assert (first.inspector[selected] != "").all() and (first.inspector[~selected] == "").all()
    load = Counter(first.inspector[selected])
    assert set(load) == {"Aibek", "Bakyt", "Cholpon"} and max(load.values()) - min(
        load.values()) <= 1
    other = select(frame, scores, policy=SelectionPolicy(red_rate=0.1, yellow_rate=0.05,
                                                         random_percent=0, seed=12),
                   inspectors=staff)
    assert not np.array_equal(first.inspector, other.inspector)


def test_stream_thresholds(make_frame) -> None:
    reference = np.linspace(0, 1, 1001)
    policy = SelectionPolicy(red_rate=0.05, yellow_rate=0.05)
    red_cut, yellow_cut = score_thresholds(reference, policy)
    assert red_cut == pytest.approx(0.95, abs=0.002) and yellow_cut == pytest.approx(0.9,
                                                                                    abs=0.002)
    channel = channel_by_threshold(np.array([0.99, 0.92, 0.1, 0.1]), (red_cut, yellow_cut),
                                   rule_rank=np.array([-1, -1, 3, -1]))
    assert channel.tolist() == ["red", "yellow", "red", "green"]


def test_policy_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="red_rate"):
        SelectionPolicy(red_rate=5)
    with pytest.raises(ValueError, match="random_channel"):
        SelectionPolicy(random_channel="blue")
