"""Traveller risk rules as data, GTAS-style: conditions over manifest and PNR attributes.

A rule is a group: ``{"match": "all" | "any", "conditions": [...]}``, where each condition is
either another group or a clause ``{"attribute": "payment_forms", "operator": "in",
"value": ["CA"]}``. Analysts write rules in the web editor or the API; the evaluator here is pure
(no database), so a rule can be tested on a traveller before anyone is asked to approve it.

An attribute the manifest does not carry (no PNR for a bus passenger, say) makes its clause
false whatever the operator, ``not_equals`` included: a rule never fires on what is unknown.
Text is compared case-insensitively; a list attribute (payment forms) matches when any of its
items does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from chegara import messages

AttributeKind = Literal["text", "number", "bool", "text_list"]
Value = str | float | bool | list[str] | None

# name -> (kind, description shown in the rule editor)
ATTRIBUTES: dict[str, tuple[AttributeKind, str]] = {
    "origin": ("text", "Where the voyage starts (IATA airport or place code)"),
    "destination": ("text", "Where the voyage ends"),
    "route": ("text", "Origin and destination as ORIGIN-DESTINATION, e.g. IST-FRU"),
    "transport_mode": ("text", "air, bus or train"),
    "carrier": ("text", "Airline or bus/train operator code"),
    "voyage": ("text", "Flight or service number, e.g. TK346"),
    "embarkation": ("text", "Where the traveller boarded"),
    "debarkation": ("text", "Where the traveller leaves the voyage"),
    "role": ("text", "passenger or crew"),
    "nationality": ("text", "Nationality code (ICAO, three letters)"),
    "sex": ("text", "M, F or X"),
    "age": ("number", "Age in whole years on the day of departure"),
    "document_type": ("text", "Type of the main travel document (P, I, A, C ...)"),
    "document_issuing_state": ("text", "Issuing state of the main travel document"),
    "has_booking": ("bool", "A PNR is known for the traveller"),
    "booking_lead_hours": ("number", "Hours between booking and departure"),
    "payment_forms": ("text_list", "Forms of payment in the PNR (CA cash, CC card, ...)"),
    "travel_agency": ("text", "Booking agency or office in the PNR"),
    "one_way": ("bool", "The booked itinerary does not come back to where it starts"),
    "bags": ("number", "Checked bags in the PNR"),
    "co_travellers": ("number", "Other travellers on the same booking"),
}
OPERATORS: dict[str, frozenset[AttributeKind]] = {
    "equals": frozenset({"text", "number", "bool", "text_list"}),
    "not_equals": frozenset({"text", "number", "bool", "text_list"}),
    "in": frozenset({"text", "text_list"}),
    "not_in": frozenset({"text", "text_list"}),
    "between": frozenset({"number"}),
    "greater": frozenset({"number"}),
    "less": frozenset({"number"}),
}
MATCHES = ("all", "any")
MAX_DEPTH = 4
MAX_CLAUSES = 40


class RuleError(ValueError):
    """A rule that cannot be evaluated, with every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Clause:
    attribute: str
    operator: str
    value: Value


@dataclass(frozen=True)
class Group:
    match: str
    conditions: tuple[Clause | Group, ...]


@dataclass
class Evaluation:
    matched: bool
    reasons: list[str] = field(default_factory=list)


# --- reading a rule ---------------------------------------------------------------------------

def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _clause_value(kind: AttributeKind, operator: str, raw: Any, where: str,
                  problems: list[str]) -> Value:
    if operator in ("in", "not_in"):
        items = raw if isinstance(raw, list) else str(raw or "").split(",")
        texts = [str(i).strip() for i in items if str(i).strip()]
        if not texts or len(texts) > 200:
            problems.append(f"{where}: give 1-200 values for {operator}")
        return texts
    if operator == "between":
        bounds = raw if isinstance(raw, list) else str(raw or "").split(",")
        numbers = [_number(b) for b in bounds]
        if len(numbers) != 2 or None in numbers:
            problems.append(f"{where}: between needs two numbers, e.g. [18, 30]")
            return None
        low, high = sorted(n for n in numbers if n is not None)
        return [str(low), str(high)]
    if kind == "number":
        number = _number(raw)
        if number is None:
            problems.append(f"{where}: {raw!r} is not a number")
        return number
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text not in ("true", "false", "yes", "no", "1", "0"):
            problems.append(f"{where}: {raw!r} is not true or false")
        return text in ("true", "yes", "1")
    text = str(raw if raw is not None else "").strip()
    if not text or len(text) > 100:
        problems.append(f"{where}: give a value of 1-100 characters")
    return text


def _read(node: Any, where: str, depth: int, problems: list[str], count: list[int]
          ) -> Clause | Group | None:
    if not isinstance(node, dict):
        problems.append(f"{where}: expected an object")
        return None
    if "conditions" in node or "match" in node:
        if depth >= MAX_DEPTH:
            problems.append(f"{where}: groups nest at most {MAX_DEPTH} deep")
            return None
        match = node.get("match")
        if match not in MATCHES:
            problems.append(f"{where}: match must be 'all' or 'any'")
        items = node.get("conditions")
        if not isinstance(items, list) or not items:
            problems.append(f"{where}: a group needs at least one condition")
            return None
        read = [_read(item, f"{where}.conditions[{i}]", depth + 1, problems, count)
                for i, item in enumerate(items)]
        return Group(str(match), tuple(r for r in read if r is not None))
    count[0] += 1
    attribute, operator = node.get("attribute"), node.get("operator")
    if attribute not in ATTRIBUTES:
        problems.append(f"{where}: unknown attribute {attribute!r}")
        return None
    kind = ATTRIBUTES[str(attribute)][0]
    if operator not in OPERATORS or kind not in OPERATORS[str(operator)]:
        allowed = [op for op, kinds in OPERATORS.items() if kind in kinds]
        problems.append(f"{where}: operator for {attribute} must be one of {', '.join(allowed)}")
        return None
    extra = set(node) - {"attribute", "operator", "value"}
    if extra:
        problems.append(f"{where}: unknown key(s) {', '.join(sorted(extra))}")
    value = _clause_value(kind, str(operator), node.get("value"), f"{where}.value", problems)
    return Clause(str(attribute), str(operator), value)


def parse_rule(condition: Any) -> Group:
    """The rule as objects, or :class:`RuleError` listing every problem (with its path)."""
    problems: list[str] = []
    count = [0]
    read = _read(condition, "condition", 0, problems, count)
    if not isinstance(read, Group):
        problems.append("condition: the rule must be a group with match and conditions")
    if count[0] > MAX_CLAUSES:
        problems.append(f"condition: at most {MAX_CLAUSES} clauses")
    if problems or not isinstance(read, Group):
        raise RuleError(problems)
    return read


# --- evaluating --------------------------------------------------------------------------------

def _fold(value: object) -> str:
    return str(value).strip().casefold()


def _clause_holds(clause: Clause, actual: Value) -> bool:
    if actual is None or actual == []:
        return False
    kind = ATTRIBUTES[clause.attribute][0]
    op, expected = clause.operator, clause.value
    if kind == "number":
        number = _number(actual)
        if number is None:
            return False
        if op == "between" and isinstance(expected, list):
            return float(expected[0]) <= number <= float(expected[1])
        target = _number(expected)
        if target is None:
            return False
        return {"equals": number == target, "not_equals": number != target,
                "greater": number > target, "less": number < target}.get(op, False)
    if kind == "bool":
        same = bool(actual) == bool(expected)
        return same if op == "equals" else not same
    values = [_fold(a) for a in actual] if isinstance(actual, list) else [_fold(actual)]
    if op in ("in", "not_in"):
        wanted = {_fold(e) for e in expected} if isinstance(expected, list) else set()
        found = any(v in wanted for v in values)
        return found if op == "in" else not found
    same = any(v == _fold(expected) for v in values)
    return same if op == "equals" else not same


def _held_reason(clause: Clause, actual: Any) -> str:
    """The clause and the traveller's value, worded from the shared templates so that a Russian
    page can translate the stored English."""
    shown = ", ".join(map(str, actual)) if isinstance(actual, list) else actual
    if clause.operator == "between" and isinstance(clause.value, list):
        return messages.RULE_RANGE_HELD.format(attribute=clause.attribute, low=clause.value[0],
                                               high=clause.value[1], actual=shown)
    expected = ", ".join(clause.value) if isinstance(clause.value, list) else clause.value
    return messages.RULE_CONDITION_HELD.format(
        attribute=clause.attribute, operator=clause.operator.replace("_", " "),
        expected=expected, actual=shown)


def evaluate(rule: Group, attributes: Mapping[str, Value]) -> Evaluation:
    """Whether the traveller's attributes satisfy the rule, with the clauses that held."""
    outcomes: list[Evaluation] = []
    for condition in rule.conditions:
        if isinstance(condition, Group):
            outcomes.append(evaluate(condition, attributes))
            continue
        actual = attributes.get(condition.attribute)
        held = _clause_holds(condition, actual)
        outcomes.append(Evaluation(held, [_held_reason(condition, actual)] if held else []))
    if rule.match == "all":
        matched = all(o.matched for o in outcomes)
    else:
        matched = any(o.matched for o in outcomes)
    reasons = [r for o in outcomes if o.matched for r in o.reasons] if matched else []
    return Evaluation(matched, reasons)
