from __future__ import annotations

from decimal import Decimal

import pytest

from engine.expressions import MAX_DEPTH, MAX_SOURCE_LENGTH, Expression, ExpressionSyntaxError
from engine.expressions.parser import (
    Arithmetic,
    BoolOp,
    Call,
    Compare,
    ListLiteral,
    Literal,
    Name,
    Unary,
    parse,
    start_offset,
    to_source,
)


@pytest.mark.parametrize(
    ("source", "grouped"),
    [
        ("a or b and c", "a or (b and c)"),
        ("a and b or c", "(a and b) or c"),
        ("not a and b", "(not a) and b"),
        ("not a == b", "not (a == b)"),
        ("a == b and c != d", "(a == b) and (c != d)"),
        ("a + 1 < b * 2", "(a + 1) < (b * 2)"),
        ("a + b * c", "a + (b * c)"),
        ("a - b - c", "(a - b) - c"),
        ("a / b % c", "(a / b) % c"),
        ("-a * b", "(-a) * b"),
        ("a * -b", "a * (-b)"),
        ("x in [1, 2] or y", "(x in [1, 2]) or y"),
        ("x not in [1] and y", "(x not in [1]) and y"),
        (
            "len(children) <= 3 or reason != 'seeking'",
            "(len(children) <= 3) or (reason != 'seeking')",
        ),
    ],
)
def test_precedence(source: str, grouped: str) -> None:
    assert parse(source) == parse(grouped)


def test_a_chain_of_or_is_one_node() -> None:
    assert parse("a or b or c") == BoolOp("or", (Name(("a",)), Name(("b",)), Name(("c",))))
    assert parse("(a or b) or c") != parse("a or b or c")


def test_the_childcare_conditions() -> None:
    assert parse('reason == "employed"') == Compare("==", Name(("reason",)), Literal("employed"))
    assert parse('len(children) <= 3 or reason != "seeking"') == BoolOp(
        "or",
        (
            Compare("<=", Call("len", (Name(("children",)),)), Literal(3)),
            Compare("!=", Name(("reason",)), Literal("seeking")),
        ),
    )
    assert parse("children.needs_support") == Name(("children", "needs_support"))


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("123", 123),
        ("0", 0),
        ("1.5", Decimal("1.5")),
        ("2.50", Decimal("2.50")),
        ('"employed"', "employed"),
        ("'employed'", "employed"),
        (r'"say \"hi\""', 'say "hi"'),
        (r"'it\'s'", "it's"),
        (r'"back\\slash"', "back\\slash"),
        ('"就労（フルタイム）"', "就労（フルタイム）"),
        ('""', ""),
        ("true", True),
        ("false", False),
        ("null", None),
    ],
)
def test_literals(source: str, value: object) -> None:
    node = parse(source)
    assert node == Literal(value)  # type: ignore[arg-type]
    assert isinstance(node, Literal)
    assert type(node.value) is type(value)  # 1.5 is a Decimal, never a float


def test_lists_and_calls() -> None:
    assert parse('["a", "b",]') == ListLiteral((Literal("a"), Literal("b")))
    assert parse("[]") == ListLiteral(())
    assert parse("today()") == Call("today", ())
    assert parse("days_between(a, b)") == Call("days_between", (Name(("a",)), Name(("b",))))
    assert parse("not in_stock") == Unary("not", Name(("in_stock",)))  # a keyword prefix
    assert parse("a - -1") == Arithmetic("-", Name(("a",)), Unary("-", Literal(1)))


def test_offsets_point_at_tokens() -> None:
    node = parse('  children.needs_support == "x"')
    assert isinstance(node, Compare)
    assert node.offset == 25
    assert isinstance(node.left, Name)
    assert node.left.offsets == (2, 11)
    assert isinstance(node.right, Literal)
    assert node.right.offset == 28
    assert start_offset(parse("(a + b) * c")) == 1


@pytest.mark.parametrize(
    ("source", "message", "offset"),
    [
        ("", "the expression is empty", 0),
        ("   ", "the expression is empty", 0),
        ("a < b < c", "comparisons cannot be chained", 6),
        ("a == b == c", "comparisons cannot be chained", 7),
        ("a = 1", "write '==' to compare", 2),
        ("a && b", "write 'and' instead of '&&'", 2),
        ("a || b", "write 'or' instead of '||'", 2),
        ("!a", "write 'not' instead of '!'", 0),
        ("a == True", "write 'true' instead of 'True'", 5),
        ("x == None", "write 'null' instead of 'None'", 5),
        ("Reason == 1", "'Reason' is not a valid name", 0),
        ("_x", "'_x' is not a valid name", 0),
        ("a ＝＝ 1", "full-width character '＝': use '='", 2),
        ("a　== 1", "full-width character '\u3000': use ' '", 1),
        ("年 == 1", "unexpected character '年'", 0),
        ("a == \x00", "unexpected character U+0000", 5),
        ('reason == "employed', 'never closed with "', 10),
        ("'abc", "never closed with '", 0),
        (r'"a\nb"', "unknown escape", 2),
        ("1.", "expected digits after '.'", 2),
        ("12abc", "unexpected 'a' after the number", 2),
        ("1" * 31, "number longer than 30 digits", 0),
        ("(a", "expected ')' to close the one at character 1", 2),
        ("f(a, b", "expected ')' to close the one at character 2", 6),
        ("[1, 2", "expected ']' to close the one at character 1", 5),
        ("a b", "unexpected 'b'", 2),
        ('a "x"', 'unexpected the text "x"', 2),
        ("a not b", "expected 'in' after 'not'", 2),
        ("a ==", "expected a value, found the end of the expression", 4),
        ("a.", "expected 'name'", 2),
        ("a.1", "expected 'name'", 2),
        ("and", "expected a value, found 'and'", 0),
        (")", "expected a value, found ')'", 0),
    ],
)
def test_syntax_errors(source: str, message: str, offset: int) -> None:
    with pytest.raises(ExpressionSyntaxError) as caught:
        Expression.parse(source)
    assert message in caught.value.message
    assert caught.value.offset == offset
    assert str(caught.value).endswith(f"(at character {offset + 1})")


def test_nesting_up_to_the_limit_is_fine() -> None:
    depth = MAX_DEPTH
    assert parse("(" * depth + "1" + ")" * depth) == Literal(1)
    with pytest.raises(ExpressionSyntaxError, match="nested too deeply") as caught:
        parse("(" * (depth + 1) + "1" + ")" * (depth + 1))
    assert caught.value.offset == depth


@pytest.mark.parametrize(
    "source",
    [
        "(" * 999 + "1" + ")" * 999,
        "[" * 1000,
        "not " * 400 + "a",
        "-" * 1999 + "1",
        "f(" * 600,
        "a" + " + a" * 400,
    ],
)
def test_hostile_nesting_fails_cleanly(source: str) -> None:
    with pytest.raises(ExpressionSyntaxError, match="nested too deeply"):
        parse(source)


def test_a_long_flat_chain_is_not_deep() -> None:
    node = parse("a" + " or a" * 300)
    assert isinstance(node, BoolOp)
    assert len(node.operands) == 301


def test_ten_thousand_parentheses() -> None:
    with pytest.raises(ExpressionSyntaxError, match="longer than 2000") as caught:
        Expression.parse("(" * 10_000 + "1" + ")" * 10_000)
    assert caught.value.offset == MAX_SOURCE_LENGTH
    Expression.parse("x" * MAX_SOURCE_LENGTH)  # exactly at the limit


@pytest.mark.parametrize(
    "source",
    [
        'reason == "employed"',
        "len(children) <= 3 or reason != 'seeking'",
        "(a or b) and not (c and d) or e",
        "not not a",
        "(not a) == b",
        "a - (b - c) * -(d % 2)",
        "- -1",
        'x not in [1, 2.50, "it\'s \\"x\\"", null, true]',
        "days_between(today(), children.birth_date) > 0",
        "(a == b) == c",
    ],
)
def test_printing_round_trips(source: str) -> None:
    node = parse(source)
    printed = to_source(node)
    assert parse(printed) == node
    assert to_source(parse(printed)) == printed
