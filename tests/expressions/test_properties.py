from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import assume, event, given
from hypothesis import strategies as st

from engine.expressions import EvalContext, Expression, ExpressionSyntaxError, FieldSymbol, Scope
from engine.expressions.parser import (
    Arithmetic,
    BoolOp,
    Call,
    Compare,
    ListLiteral,
    Literal,
    Name,
    Node,
    Unary,
    parse,
    to_source,
)
from engine.expressions.types import DATE, NUMBER, STRING, ExprType

from .helpers import IN_VACCINE, ROOT, SCOPE, TODAY

# Pieces of the language and near misses, so random sequences reach deep into the parser.
VOCABULARY = [
    *("reason", "children", "needs_support", "monthly_hours", "birth_date", "kind", "x"),
    *("len", "today", "age", "any", "sum", "count", "days_between", "nope"),
    *("and", "or", "not", "in", "true", "false", "null", "True"),
    *("==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "=", "!", "&&"),
    *("(", ")", "[", "]", ",", ".", "0", "12", "1.5", "1.", '"employed"', "'a\\'b'", '"'),
    *("＝", "　", "年", "\\", "\n"),
]
token_soup = st.lists(st.sampled_from(VOCABULARY), max_size=40)

answer_value = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.decimals(allow_nan=False, allow_infinity=False, places=3)
    | st.text(max_size=5)
    | st.dates(),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["kind", "needs_support", "vaccines"]), inner, max_size=3)
    ),
    max_leaves=8,
)
answers = st.dictionaries(st.sampled_from(sorted(ROOT)), answer_value, max_size=6)


def _parse_or_syntax_error(source: str) -> Expression | None:
    """The parsed expression, or None after checking the syntax error is well formed."""
    try:
        return Expression.parse(source)
    except ExpressionSyntaxError as caught:
        error = caught
    assert 0 <= error.offset <= len(source)
    assert error.message
    return None


@given(st.text(max_size=200))
def test_parsing_any_text_raises_only_syntax_errors(source: str) -> None:
    _parse_or_syntax_error(source)


@given(token_soup, st.sampled_from([" ", ""]))
def test_parsing_token_soup_raises_only_syntax_errors(tokens: list[str], glue: str) -> None:
    _parse_or_syntax_error(glue.join(tokens))


@given(token_soup)
def test_printing_what_parses_gives_the_same_tree(tokens: list[str]) -> None:
    expression = _parse_or_syntax_error(" ".join(tokens))
    if expression is not None:
        assert parse(to_source(expression.node)) == expression.node


KEYWORDS = {"and", "or", "not", "in", "true", "false", "null"}
names = st.from_regex(r"[a-z][a-z0-9_]{0,6}", fullmatch=True).filter(
    lambda name: name not in KEYWORDS
)
literals = st.builds(
    Literal,
    st.none()
    | st.booleans()
    | st.integers(0, 10**12)
    | st.decimals(min_value=0, max_value=10**6, places=2)
    | st.text(max_size=8),
)


def _trees(
    leaves: st.SearchStrategy[Node], functions: st.SearchStrategy[str]
) -> st.SearchStrategy[Node]:
    def extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
        pair = (children, children)
        operands = st.lists(children, min_size=2, max_size=3).map(tuple)
        return st.one_of(
            st.builds(ListLiteral, st.lists(children, max_size=3).map(tuple)),
            st.builds(Call, functions, st.lists(children, max_size=2).map(tuple)),
            st.builds(Unary, st.sampled_from(["not", "-"]), children),
            st.builds(BoolOp, st.sampled_from(["and", "or"]), operands),
            st.builds(Compare, st.sampled_from(["==", "!=", "<", ">=", "in", "not in"]), *pair),
            st.builds(Arithmetic, st.sampled_from(["+", "-", "*", "/", "%"]), *pair),
        )

    return st.recursive(leaves, extend, max_leaves=10)


any_trees = _trees(
    literals | st.builds(Name, st.lists(names, min_size=1, max_size=3).map(tuple)), names
)
PATHS = [
    ("reason",),
    ("children",),
    ("children", "needs_support"),
    ("children", "vaccines", "kind"),
]
PATHS += [("monthly_hours",), ("birth_date",), ("needs_support",), ("kind",), ("hobbies",)]
scoped_trees = _trees(
    literals | st.sampled_from(PATHS).map(Name) | st.just(Literal("employed")),
    st.sampled_from(["len", "today", "age", "any", "all", "sum", "count", "days_between", "f"]),
)


def _parsed(tree: Node) -> Node | None:
    """``tree`` printed and parsed again; None if the printed text nests too deeply."""
    try:
        return parse(to_source(tree))
    except ExpressionSyntaxError as caught:
        error = caught
    assert "nested too deeply" in error.message
    return None


@given(any_trees)
def test_printed_trees_parse_back(tree: Node) -> None:
    assert _parsed(tree) in (tree, None)


@given(scoped_trees, answers, st.sampled_from([SCOPE, IN_VACCINE]))
def test_binding_and_evaluating_never_raise(
    tree: Node, values: dict[str, Any], scope: Scope
) -> None:
    assume(_parsed(tree) is not None)
    expression = Expression.parse(to_source(tree))
    problems = expression.bind(scope)
    for problem in problems:
        assert 0 <= problem.offset <= len(expression.source)
    event("well typed" if not problems else "refused by the binder")
    if not problems:
        items = ({"needs_support": True}, {"kind": "bcg"})[: len(scope.groups)]
        expression.evaluate(EvalContext(values, TODAY, items))


ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
typed_values: list[tuple[ExprType, st.SearchStrategy[Any]]] = [
    (NUMBER, st.integers(-1000, 1000) | st.decimals(-1000, 1000, places=2)),
    (STRING, st.text(max_size=4)),
    (DATE, st.dates()),
]


@st.composite
def comparisons(draw: st.DrawFn) -> tuple[str, ExprType, Any, Any]:
    value_type, values = draw(st.sampled_from(typed_values))
    left = draw(st.none() | values)
    right = draw(st.none() | values)
    return draw(st.sampled_from(["==", "!=", *ORDERINGS])), value_type, left, right


def python_compare(operator_: str, left: Any, right: Any) -> bool:
    if operator_ == "==":
        return bool(left == right)
    if operator_ == "!=":
        return bool(left != right)
    return left is not None and right is not None and ORDERINGS[operator_](left, right)


@given(comparisons(), st.booleans())
def test_comparisons_match_python(
    case: tuple[str, ExprType, Any, Any], right_is_literal: bool
) -> None:
    operator_, value_type, left, right = case
    scope = Scope({"a": FieldSymbol("a", value_type, 0), "b": FieldSymbol("b", value_type, 1)})
    right_source = "b"
    # There are no date literals, and ordering against a literal null is refused by the binder.
    if (
        right_is_literal
        and not isinstance(right, date)
        and (right, operator_ in ORDERINGS) != (None, True)
    ):
        right_source = to_source(Literal(right))
    expression = Expression.parse(f"a {operator_} {right_source}")
    assert expression.bind(scope) == []
    context = EvalContext({"a": left, "b": right}, TODAY)
    assert expression.evaluate(context) is python_compare(operator_, left, right)


def _divide(left: Any, right: Any) -> Decimal:
    return Decimal(left) / Decimal(right)


PYTHON_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": _divide,
}


@given(
    st.sampled_from(sorted(PYTHON_ARITHMETIC)),
    st.none() | st.integers(-1000, 1000) | st.decimals(-1000, 1000, places=2),
    st.none() | st.integers(-1000, 1000) | st.decimals(-1000, 1000, places=2),
)
def test_arithmetic_matches_python(operator_: str, left: Any, right: Any) -> None:
    scope = Scope({"a": FieldSymbol("a", NUMBER, 0), "b": FieldSymbol("b", NUMBER, 1)})
    expression = Expression.parse(f"a {operator_} b")
    assert expression.bind(scope) == []
    result = expression.evaluate(EvalContext({"a": left, "b": right}, TODAY))
    if left is None or right is None or (operator_ == "/" and right == 0):
        assert result is None
        return
    assert result == PYTHON_ARITHMETIC[operator_](left, right)
    assert not isinstance(result, float)
