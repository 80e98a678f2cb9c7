"""The pure traveller-rule evaluator: reading rules, every operator, all/any, unknown values."""

from __future__ import annotations

from typing import Any

import pytest

from chegara.passengers.rules import RuleError, evaluate, parse_rule

COURIER = {"match": "all", "conditions": [
    {"attribute": "one_way", "operator": "equals", "value": True},
    {"attribute": "payment_forms", "operator": "in", "value": ["CA"]},
    {"attribute": "booking_lead_hours", "operator": "less", "value": 48}]}


def _traveller(**values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"one_way": True, "payment_forms": ["CC", "CA"],
                            "booking_lead_hours": 19.0, "age": 30.0, "nationality": "UZB",
                            "route": "IST-FRU", "travel_agency": "Bazaar Travel"}
    return base | values


def test_the_courier_rule_fires_and_says_why() -> None:
    outcome = evaluate(parse_rule(COURIER), _traveller())
    assert outcome.matched
    assert any("booking_lead_hours less 48" in r and "19.0" in r for r in outcome.reasons)
    assert len(outcome.reasons) == 3


@pytest.mark.parametrize("change", [{"one_way": False}, {"payment_forms": ["CC"]},
                                    {"booking_lead_hours": 48.0}, {"booking_lead_hours": None},
                                    {"payment_forms": None}])
def test_any_failing_clause_stops_an_all_rule(change: dict[str, Any]) -> None:
    assert not evaluate(parse_rule(COURIER), _traveller(**change)).matched


def test_any_needs_one_clause_and_reports_only_what_held() -> None:
    rule = parse_rule({"match": "any", "conditions": [
        {"attribute": "nationality", "operator": "in", "value": "AFG, SYR"},
        {"attribute": "age", "operator": "between", "value": [18, 25]},
        {"attribute": "route", "operator": "equals", "value": "ist-fru"}]})
    outcome = evaluate(rule, _traveller())
    assert outcome.matched and len(outcome.reasons) == 1 and "route" in outcome.reasons[0]
    assert evaluate(rule, _traveller(route="DXB-FRU", age=25.0)).matched  # bounds included
    assert not evaluate(rule, _traveller(route="DXB-FRU", age=26.0)).matched


@pytest.mark.parametrize(("clause", "value", "expected"), [
    ({"attribute": "age", "operator": "greater", "value": 60}, 61.0, True),
    ({"attribute": "age", "operator": "greater", "value": 60}, 60.0, False),
    ({"attribute": "age", "operator": "not_equals", "value": 60}, 59.0, True),
    ({"attribute": "age", "operator": "between", "value": "30, 18"}, 20.0, True),
    ({"attribute": "nationality", "operator": "not_in", "value": ["KGZ", "KAZ"]}, "UZB", True),
    ({"attribute": "nationality", "operator": "not_in", "value": ["KGZ", "UZB"]}, "uzb", False),
    ({"attribute": "nationality", "operator": "not_equals", "value": "KGZ"}, None, False),
    ({"attribute": "one_way", "operator": "not_equals", "value": "true"}, False, True),
    ({"attribute": "payment_forms", "operator": "equals", "value": "CA"}, ["CC", "CA"], True),
    ({"attribute": "payment_forms", "operator": "not_in", "value": ["CA"]}, ["CC"], True),
    ({"attribute": "travel_agency", "operator": "equals", "value": "bazaar travel"},
     "Bazaar Travel", True),
])
def test_operators(clause: dict[str, Any], value: Any, expected: bool) -> None:
    rule = parse_rule({"match": "all", "conditions": [clause]})
    assert evaluate(rule, {clause["attribute"]: value}).matched is expected


def test_nested_groups() -> None:
    rule = parse_rule({"match": "all", "conditions": [
        {"attribute": "one_way", "operator": "equals", "value": True},
        {"match": "any", "conditions": [
            {"attribute": "payment_forms", "operator": "in", "value": ["CA"]},
            {"attribute": "travel_agency", "operator": "equals", "value": "X"}]}]})
    assert evaluate(rule, _traveller()).matched
    assert not evaluate(rule, _traveller(payment_forms=["CC"])).matched


@pytest.mark.parametrize(("condition", "fragment"), [
    ({"match": "all", "conditions": []}, "at least one condition"),
    ({"match": "most", "conditions": [COURIER]}, "match must be"),
    ({"match": "all", "conditions": [{"attribute": "shoe_size", "operator": "equals",
                                      "value": 1}]}, "unknown attribute"),
    ({"match": "all", "conditions": [{"attribute": "age", "operator": "in", "value": [1]}]},
     "operator for age"),
    ({"match": "all", "conditions": [{"attribute": "age", "operator": "less",
                                      "value": "old"}]}, "not a number"),
    ({"match": "all", "conditions": [{"attribute": "age", "operator": "between",
                                      "value": [1]}]}, "two numbers"),
    ({"match": "all", "conditions": [{"attribute": "one_way", "operator": "equals",
                                      "value": "perhaps"}]}, "true or false"),
    ({"match": "all", "conditions": [{"attribute": "route", "operator": "equals",
                                      "value": "A", "extra": 1}]}, "unknown key"),
    ({"attribute": "age", "operator": "less", "value": 3}, "must be a group"),
    ([], "expected an object"),
])
def test_bad_rules_are_refused_with_the_path(condition: Any, fragment: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_rule(condition)
    assert fragment in str(caught.value)
    assert "condition" in str(caught.value)


def test_depth_is_bounded() -> None:
    node: dict[str, Any] = {"attribute": "age", "operator": "less", "value": 3}
    for _ in range(6):
        node = {"match": "all", "conditions": [node]}
    with pytest.raises(RuleError, match="nest at most"):
        parse_rule(node)
