from __future__ import annotations

import pytest

from engine.expressions import (
    Expression,
    ExpressionProblem,
    ExpressionSyntaxError,
    Reference,
    Scope,
    constant_value,
)
from engine.expressions.types import (
    BOOL,
    DATE,
    NUMBER,
    OBJECT,
    STRING,
    ExprType,
    choice_of,
    list_of,
)

from .helpers import IN_CHILD, IN_VACCINE, REASONS, ROOT, SCOPE, bound


def problems(source: str, scope: Scope = SCOPE) -> list[tuple[str, int]]:
    return [(p.message, p.offset) for p in Expression.parse(source).bind(scope)]


def only_problem(source: str, scope: Scope = SCOPE) -> tuple[str, int]:
    found = problems(source, scope)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("source", "scope", "path"),
    [
        ("reason", SCOPE, ("reason",)),
        ("birth_date", SCOPE, ("birth_date",)),
        ("birth_date", IN_CHILD, ("children", "birth_date")),  # the innermost group wins
        ("reason", IN_CHILD, ("reason",)),  # then the top level
        ("kind", IN_VACCINE, ("children", "vaccines", "kind")),
        ("needs_support", IN_VACCINE, ("children", "needs_support")),  # then outwards
        ("address.city", SCOPE, ("address", "city")),
        ("children.vaccines.kind", SCOPE, ("children", "vaccines", "kind")),
        ("vaccines.given_on", IN_CHILD, ("children", "vaccines", "given_on")),
    ],
)
def test_names_resolve_innermost_first(source: str, scope: Scope, path: tuple[str, ...]) -> None:
    assert bound(source, scope).references == (Reference(path, 0),)


@pytest.mark.parametrize(
    ("source", "scope", "expected"),
    [
        ("reason", SCOPE, choice_of(REASONS)),
        ("children", SCOPE, list_of(OBJECT)),
        ("children.needs_support", SCOPE, list_of(BOOL)),
        ("children.vaccines", SCOPE, list_of(OBJECT)),  # nested repeats flatten
        ("children.vaccines.given_on", SCOPE, list_of(DATE)),
        ("vaccines.given_on", IN_CHILD, list_of(DATE)),
        ("address.city", SCOPE, STRING),
        ("needs_support", IN_CHILD, BOOL),
        ("len(children)", SCOPE, NUMBER),
        ("len(employment_proof) + len(note)", SCOPE, NUMBER),
        ("birth_date + 7", SCOPE, DATE),
        ("7 + birth_date", SCOPE, DATE),
        ("today() - 1", SCOPE, DATE),
        ('["a", "b"]', SCOPE, list_of(STRING)),
        ("[null, 1]", SCOPE, list_of(NUMBER)),
        ("monthly_hours + null", SCOPE, ExprType("null")),
        ("count(children.needs_support) >= 1", SCOPE, BOOL),
    ],
)
def test_types(source: str, scope: Scope, expected: ExprType) -> None:
    assert bound(source, scope).type == expected


def test_references_in_source_order() -> None:
    expression = bound('len(children) <= 3 or reason != "seeking"')
    assert expression.references == (Reference(("children",), 4), Reference(("reason",), 22))


@pytest.mark.parametrize(
    ("source", "scope", "message", "offset"),
    [
        ('reasn == "employed"', SCOPE, "unknown field 'reasn' (did you mean 'reason'?)", 0),
        ("zzz", SCOPE, "unknown field 'zzz'", 0),
        ("agree or need_support", IN_CHILD, "unknown field 'need_support' (did you mean", 9),
        ("needs_support", SCOPE, "unknown field 'needs_support'", 0),  # not outside its group
        ("today > birth_date", SCOPE, "'today' is a function: write today() to call it", 0),
        ("reason.code", SCOPE, "'reason' has no parts, so it has no 'code'", 7),
        ("children.nam", SCOPE, "'children' has no 'nam' (did you mean 'name'?)", 9),
        (
            "children.vaccines.knd",
            SCOPE,
            "'children.vaccines' has no 'knd' (did you mean 'kind'?)",
            18,
        ),
    ],
)
def test_name_problems(source: str, scope: Scope, message: str, offset: int) -> None:
    found_message, found_offset = only_problem(source, scope)
    assert found_message.startswith(message)
    assert found_offset == offset


def test_conditions_may_only_look_back() -> None:
    asked_at_reason = Scope(ROOT, before=ROOT["reason"].order)
    assert problems("birth_date == today() or len(children) > 1", asked_at_reason) == []
    assert only_problem("monthly_hours > 40", asked_at_reason) == (
        "show_if/required_if can only use fields that come before this field:"
        " 'monthly_hours' comes later",
        0,
    )
    assert only_problem('reason == "employed"', asked_at_reason) == (
        "a field's condition cannot use the field itself: 'reason'",
        0,
    )
    support_details = Scope(ROOT, groups=IN_CHILD.groups, before=6)
    assert problems("needs_support", support_details) == []
    assert only_problem("len(vaccines) > 0", support_details)[0].endswith("'vaccines' comes later")


@pytest.mark.parametrize(
    ("source", "message", "offset"),
    [
        ("monthly_hours and agree", "'and' works on true/false values, not on number", 0),
        ("agree or reason", "'or' works on true/false values, not on text", 9),
        ("not note", "'not' works on true/false values, not on text", 4),
        ("reason == 1", "cannot compare text with number", 7),
        ("monthly_hours != birth_date", "cannot compare number with date", 14),
        ("children == 1", "cannot compare a list of group with number", 9),
        (
            'reason == "employd"',
            "'employd' is not an option of reason (employed, illness, seeking)",
            10,
        ),
        (
            '"employd" != reason',
            "'employd' is not an option of reason (employed, illness, seeking)",
            0,
        ),
        ('reason in ["seeking", "retired"]', "'retired' is not an option of reason", 22),
        ('"golf" in hobbies', "'golf' is not an option of hobbies (music, sport)", 0),
        ('kind == "flu"', "'flu' is not an option of kind (bcg, mmr)", 8),
        ("monthly_hours < note", "cannot compare number with text", 14),
        ("agree < true", "'<' needs numbers, dates or text, not true/false", 6),
        ("monthly_hours >= null", "'>=' with null is always false", 14),
        ("reason in reason", "'in' needs a list on its right, not text", 7),
        ("monthly_hours in hobbies", "cannot look for number in a list of text", 14),
        ("note + 1", "'+' needs numbers (or a date and a number of days), not text", 5),
        ("monthly_hours * agree", "'*' needs numbers, not true/false", 14),
        ("birth_date - birth_date", "to count the days between two dates, write days_between", 11),
        ("birth_date * 2", "'*' needs numbers, not a date", 11),
        ("birth_date + note", "a date can only be moved by a number of days, not text", 11),
        ("1 - birth_date", "cannot subtract a date from a number", 2),
        ("-note", "'-' needs a number, not text", 0),
        ("[1, 'a']", "list items must all be of one type, not number and text", 4),
        ("len(monthly_hours)", "len() needs a list, files or text, not number", 4),
        (
            "sum(children.needs_support)",
            "sum() needs a list of numbers, not a list of true/false",
            4,
        ),
        ("any(hobbies)", "any() needs a list of true/false values, not a list of text", 4),
        ("age(note)", "age() needs a date, not text", 4),
        ("days_between(birth_date)", "days_between(a, b) takes 2 arguments, not 1", 0),
        ("today(1)", "today() takes 0 arguments, not 1", 0),
        ("lenght(children)", "unknown function 'lenght' (did you mean 'len'?)", 0),
    ],
)
def test_type_problems(source: str, message: str, offset: int) -> None:
    scope = IN_VACCINE if "kind" in source else SCOPE
    found_message, found_offset = only_problem(source, scope)
    assert found_message.startswith(message), found_message
    assert found_offset == offset


def test_every_problem_is_reported_once() -> None:
    assert problems('reasn == 1 and monthly_hours == "x" and (nope + 1) > 2') == [
        ("unknown field 'reasn' (did you mean 'reason'?)", 0),
        ("cannot compare number with text", 29),
        ("unknown field 'nope' (did you mean 'note'?)", 41),
    ]


@pytest.mark.parametrize(
    "source",
    [
        "needs_support",
        "len(children) <= 3",
        "null == reason",
        "reason in []",
        "note < 'm'",
        "birth_date < today() - 365",
        "age(birth_date) >= 18",
        "years_between(birth_date, today()) < 100 and days_between(birth_date, today()) > 0",
        "all(children.needs_support) or any(children.needs_support)",
        "sum([monthly_hours, 1, null]) > 0",
        "len(children.vaccines) > 0",
        "monthly_hours / 2 % 3 == 1.5",
        "reason not in ['seeking']",
    ],
)
def test_well_typed(source: str) -> None:
    assert problems(source, IN_CHILD if source == "needs_support" else SCOPE) == []


def test_binding_is_once() -> None:
    expression = Expression.parse("reasn")
    with pytest.raises(RuntimeError, match="not bound"):
        _ = expression.type
    with pytest.raises(RuntimeError, match="not bound"):
        _ = expression.references
    first = expression.bind(SCOPE)
    assert first == [ExpressionProblem("unknown field 'reasn' (did you mean 'reason'?)", 0)]
    assert expression.bind(Scope(dict(ROOT))) == first  # an equal scope: same answer
    with pytest.raises(RuntimeError, match="another scope"):
        expression.bind(IN_CHILD)


def test_the_deepest_trees_the_parser_allows_bind_and_compile() -> None:
    # Every level of precedence nests the tree without a parenthesis: or, and, not,
    # comparison, sum, product, minus. The depth limit must bound all of them.
    source, deepest = "a", "a"
    while True:
        source = f"(-{source} * 1 + 1 == 1 and not true or false)"
        try:
            Expression.parse(source)
        except ExpressionSyntaxError:
            break
        deepest = source
    expression = Expression.parse(deepest)
    assert deepest.count("(") > 5
    assert expression.bind(Scope({})) != []
    assert constant_value(expression) == (True, False)  # "and not true" folds at each level
