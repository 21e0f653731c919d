from __future__ import annotations

import copy
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from engine.expressions import (
    EvalContext,
    Expression,
    Scope,
    constant_value,
    required_equalities,
)

from .helpers import IN_CHILD, IN_VACCINE, ROOT, SCOPE, TODAY, bound, evaluate

CHILDREN = [
    {"needs_support": True, "vaccines": [{"kind": "bcg"}, {"kind": "mmr"}]},
    {"needs_support": None},
    {"needs_support": False, "vaccines": [{"kind": "mmr", "given_on": date(2025, 4, 1)}]},
]


@pytest.mark.parametrize(
    ("source", "answers", "expected"),
    [
        ('reason == "employed"', {"reason": "employed"}, True),
        ('reason == "employed"', {"reason": "seeking"}, False),
        ('reason == "employed"', {}, False),
        ('reason != "employed"', {}, True),
        ('"employed" == reason', {"reason": "employed"}, True),
        ("len(children) <= 3 or reason != 'seeking'", {"reason": "seeking"}, True),
        ("len(children) <= 3 or reason != 'seeking'", {"children": [{}] * 4}, True),
        (
            "len(children) <= 3 or reason != 'seeking'",
            {"children": [{}] * 4, "reason": "seeking"},
            False,
        ),
        ("reason in ['employed', 'illness']", {"reason": "illness"}, True),
        ("reason not in ['employed', 'illness']", {"reason": "illness"}, False),
        ("'music' in hobbies", {"hobbies": ["sport", "music"]}, True),
        ("address.city == '新宿区'", {"address": {"city": "新宿区"}}, True),
        ("monthly_hours >= 48", {"monthly_hours": 48}, True),
        ("monthly_hours >= 48", {"monthly_hours": Decimal("47.5")}, False),
        ("note < 'b'", {"note": "a"}, True),
        ("birth_date < today()", {"birth_date": date(2000, 1, 1)}, True),
    ],
)
def test_conditions(source: str, answers: dict[str, Any], expected: object) -> None:
    assert evaluate(source, answers) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("monthly_hours == null", True),
        ("null == monthly_hours", True),
        ("monthly_hours != null", False),
        ("null == null", True),
        ("monthly_hours == 0", False),
        ("monthly_hours > 3", False),
        ("monthly_hours <= 3", False),
        ("not (monthly_hours > 3)", True),
        ("birth_date < today()", False),
        ("note >= ''", False),
        ("monthly_hours + 1", None),
        ("-monthly_hours", None),
        ("birth_date + 1", None),
        ("reason in null", False),
        ("reason not in null", True),
        ("'music' in hobbies", False),
        ("reason in [null]", True),
        ("agree", None),
        ("not agree", True),
        ("agree or agree", False),
        ("agree and true", False),
        ("not agree and true", True),
        ("len(children)", 0),
        ("len(employment_proof)", 0),
        ("len(note)", 0),
        ("any(children.needs_support)", False),
        ("all(children.needs_support)", True),
        ("count(children.needs_support)", 0),
        ("sum([monthly_hours])", 0),
        ("age(birth_date)", None),
        ("days_between(birth_date, today())", None),
        ("years_between(birth_date, birth_date)", None),
        ("address.city", None),
        ("children.needs_support", []),
    ],
)
def test_null_semantics(source: str, expected: object) -> None:
    assert evaluate(source, {}) == expected


def test_nulls_inside_lists_are_skipped() -> None:
    answers = {"children": CHILDREN, "monthly_hours": 10}
    assert evaluate("children.needs_support", answers) == [True, None, False]
    assert evaluate("any(children.needs_support)", answers) is True
    assert evaluate("all(children.needs_support)", answers) is False
    assert evaluate("count(children.needs_support)", answers) == 1
    assert evaluate("all([true, null])", answers) is True
    assert evaluate("sum([monthly_hours, null, 2.5])", answers) == Decimal("12.5")


def test_dotted_paths_through_repeated_groups_flatten() -> None:
    answers = {"children": CHILDREN}
    assert evaluate("children.vaccines.kind", answers) == ["bcg", "mmr", "mmr"]
    assert evaluate("len(children.vaccines)", answers) == 3
    assert evaluate("children.vaccines.given_on", answers) == [None, None, date(2025, 4, 1)]
    assert evaluate("'mmr' in children.vaccines.kind", answers) is True


def test_names_inside_groups_read_the_current_item() -> None:
    child = {"needs_support": True, "birth_date": date(2022, 5, 1), "vaccines": [{}, {}]}
    answers = {"children": [child], "birth_date": date(1990, 1, 1), "reason": "seeking"}
    assert evaluate("needs_support", answers, child, scope=IN_CHILD) is True
    assert evaluate("age(birth_date)", answers, child, scope=IN_CHILD) == 4
    assert evaluate("len(vaccines)", answers, child, scope=IN_CHILD) == 2
    assert evaluate("reason == 'seeking'", answers, child, scope=IN_CHILD) is True
    vaccine = {"kind": "bcg"}
    both = (child, vaccine)
    assert evaluate("kind == 'bcg' and needs_support", answers, *both, scope=IN_VACCINE)
    assert evaluate("needs_support", answers, {}, vaccine, scope=IN_VACCINE) is None


def test_a_context_missing_an_item_reads_null() -> None:
    assert evaluate("needs_support", {}, scope=IN_CHILD) is None
    assert evaluate("kind", {}, {}, scope=IN_VACCINE) is None


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("0.1 + 0.2 == 0.3", True),  # decimals, never floats
        ("10 / 4", Decimal("2.5")),
        ("10 / 5 == 2", True),
        ("1 / 0", None),
        ("1 % 0", None),
        ("-7 % 3", 2),
        ("7.5 % -2", Decimal("-0.5")),  # the divisor's sign, as for whole numbers
        ("-(2 - 5)", 3),
        ("len('保育所')", 3),
        ("len(['a', 'b'])", 2),
        ("[1, 2] == [1, 2.0]", True),
        ("true == true", True),
        ("'a' < 'b'", True),
    ],
)
def test_arithmetic_and_literals(source: str, expected: object) -> None:
    value = evaluate(source)
    assert value == expected
    assert not isinstance(value, float)


@pytest.mark.parametrize(
    ("born", "today", "age"),
    [
        (date(2020, 11, 26), date(2026, 11, 26), 6),
        (date(2020, 11, 27), date(2026, 11, 26), 5),
        (date(2004, 2, 29), date(2026, 2, 28), 21),  # 民法 143: a year older on 1 March
        (date(2004, 2, 29), date(2026, 3, 1), 22),
        (date(2004, 2, 29), date(2028, 2, 29), 24),
        (date(2030, 1, 1), date(2026, 11, 26), -3),
        (datetime(2020, 1, 1, 12), date(2026, 11, 26), 6),
    ],
)
def test_age(born: date, today: date, age: int) -> None:
    expression = bound("age(birth_date)")
    assert expression.evaluate(EvalContext({"birth_date": born}, today)) == age


def test_dates() -> None:
    answers = {"birth_date": date(2026, 1, 31)}
    assert evaluate("today()") == TODAY
    assert evaluate("birth_date + 1", answers) == date(2026, 2, 1)
    assert evaluate("birth_date - 31", answers) == date(2025, 12, 31)
    assert evaluate("birth_date + 1.5", answers) is None  # only whole days
    assert evaluate("birth_date + 1.0", answers) == date(2026, 2, 1)
    assert evaluate("days_between(birth_date, today())", answers) == 299
    assert evaluate("days_between(today(), birth_date)", answers) == -299
    assert evaluate("years_between(birth_date, today() + 3650)", answers) == 10
    assert evaluate("birth_date + 99999999", answers) is None  # past year 9999


@pytest.mark.parametrize(
    "answers",
    [
        {"children": "oops", "monthly_hours": "x", "birth_date": "2020-01-01", "hobbies": 3},
        {"children": [1, None, "x", {"needs_support": "yes"}], "address": ["x"], "note": 5},
        {"birth_date": datetime(2020, 1, 1), "monthly_hours": 1e308, "agree": 1},
    ],
)
def test_odd_answers_never_raise(answers: dict[str, Any]) -> None:
    for source in (
        "len(children) <= 3 or reason != 'seeking'",
        "any(children.needs_support) and all(children.needs_support)",
        "count(children.needs_support) + len(children.vaccines) > 0",
        "birth_date < today() and age(birth_date) > 1",
        "birth_date + 1 == today()",
        "monthly_hours * 2 / 3 % 4 - 1 > 0",
        "'music' in hobbies or address.city == 'x'",
        "len(note) > 0 and not agree",
    ):
        evaluate(source, answers)


def test_evaluating_needs_a_successful_binding() -> None:
    context = EvalContext({}, TODAY)
    expression = Expression.parse("reason == 'x'")
    with pytest.raises(RuntimeError, match="expression not bound"):
        expression.evaluate(context)
    assert expression.bind(SCOPE) != []
    with pytest.raises(RuntimeError, match="expression not bound"):
        expression.evaluate(context)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("true", (True, True)),
        ("true and false", (True, False)),
        ("false and reason == 'employed'", (True, False)),
        ("reason == 'employed' and false", (True, False)),
        ("agree or not false", (True, True)),
        ("agree and true", (False, None)),
        ("1 + 2 * 3 > 6", (True, True)),
        ("len([1, 2]) == 2", (True, True)),
        ("null == null", (True, True)),
        ("1 < null", (True, False)),
        ("reason == 'employed'", (False, None)),
        ("today() == today()", (False, None)),  # depends on the day
        ("age(birth_date) > 200", (False, None)),
    ],
)
def test_constant_value(source: str, expected: tuple[bool, Any]) -> None:
    expression = Expression.parse(source)
    assert constant_value(expression) == expected  # unbound: names are unknown values
    expression.bind(SCOPE)
    assert constant_value(expression) == expected


@pytest.mark.parametrize(
    ("source", "scope", "expected"),
    [
        ('reason == "employed"', SCOPE, {("reason",): "employed"}),
        (
            '"employed" == reason and agree and monthly_hours == 40',
            SCOPE,
            {("reason",): "employed", ("agree",): True, ("monthly_hours",): 40},
        ),
        ("needs_support", IN_CHILD, {("children", "needs_support"): True}),
        ("address.city == null", SCOPE, {("address", "city"): None}),
        ("reason == 'employed' and reason == 'employed'", SCOPE, {("reason",): "employed"}),
        ("reason == 'employed' and reason == 'seeking'", SCOPE, None),
        ("reason == 'employed' or agree", SCOPE, None),
        ("reason != 'employed'", SCOPE, None),
        ("monthly_hours > 3", SCOPE, None),
        ("not agree", SCOPE, None),
        ("children.needs_support == [true]", SCOPE, None),
        ("reason == note", SCOPE, None),
    ],
)
def test_required_equalities(
    source: str, scope: Scope, expected: dict[tuple[str, ...], Any] | None
) -> None:
    assert required_equalities(bound(source, scope)) == expected


def test_required_equalities_needs_binding() -> None:
    with pytest.raises(RuntimeError, match="not bound"):
        required_equalities(Expression.parse("agree"))


class _Field(BaseModel):
    show_if: Expression | None = None
    rule: Expression = Expression.parse("true")


def test_pydantic_validates_from_text_and_booleans() -> None:
    field = _Field.model_validate({"show_if": 'reason == "employed"', "rule": True})
    assert isinstance(field.show_if, Expression)
    assert field.show_if.source == 'reason == "employed"'
    assert field.rule.source == "true"
    assert _Field.model_validate({"rule": False}).rule == Expression.parse("false")
    existing = Expression.parse("agree")
    assert _Field(show_if=existing).show_if is existing


def test_pydantic_reports_syntax_errors_with_offsets() -> None:
    with pytest.raises(ValidationError) as caught:
        _Field.model_validate({"show_if": "reason = 'x'"})
    (error,) = caught.value.errors()
    assert error["type"] == "expression_syntax"
    assert error["msg"] == "write '==' to compare"
    assert error["ctx"] == {"message": "write '==' to compare", "offset": 7}
    assert error["loc"] == ("show_if",)
    with pytest.raises(ValidationError) as caught:
        _Field.model_validate({"show_if": 12})
    assert caught.value.errors()[0]["type"] == "expression_type"


def test_pydantic_serialises_to_source_and_describes_a_string() -> None:
    field = _Field(show_if=Expression.parse("len(children) > 1"))
    assert field.model_dump() == {"show_if": "len(children) > 1", "rule": "true"}
    assert field.model_dump_json() == '{"show_if":"len(children) > 1","rule":"true"}'
    schema = _Field.model_json_schema()
    rule = schema["properties"]["rule"]
    assert rule["anyOf"] == [{"type": "string"}, {"type": "boolean"}]  # show_if: true too
    assert rule["description"] == 'An expression, e.g. reason == "employed"'


def test_equality_and_hash_follow_the_source() -> None:
    first, second = Expression.parse("a == 1"), Expression.parse("a == 1")
    first.bind(Scope(ROOT))
    assert first == second
    assert hash(first) == hash(second)
    assert first != Expression.parse("a==1")
    assert first != "a == 1"
    assert len({first, second}) == 1
    assert repr(first) == "Expression('a == 1')"


def test_a_deep_copy_keeps_its_binding() -> None:
    original = bound('reason == "employed" and agree')
    copied = copy.deepcopy(original)
    assert required_equalities(copied) == {("reason",): "employed", ("agree",): True}
    context = EvalContext({"reason": "employed", "agree": True}, TODAY)
    assert copied.evaluate(context) is True
