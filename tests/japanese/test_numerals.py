from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.japanese.numerals import (
    digits_only,
    normalize_numeric,
    parse_amount,
    parse_decimal,
    parse_integer,
)

DASH_LOOK_ALIKES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff70\uff0d"


@pytest.mark.parametrize("dash", DASH_LOOK_ALIKES)
def test_dash_look_alikes_become_hyphen_minus(dash: str) -> None:
    assert normalize_numeric(f"03{dash}1234{dash}5678") == "03-1234-5678"


def test_wave_dash_is_not_a_dash() -> None:
    assert normalize_numeric("1〜3") == "1〜3"


def test_full_width_and_outer_spaces() -> None:
    assert normalize_numeric("\u3000０３ １２３４ ") == "03 1234"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03-1234-5678", "0312345678"),
        ("０３－１２３４－５６７８", "0312345678"),
        ("0312\u30005678", "03125678"),
        ("１２３", "123"),
    ],
)
def test_digits_only_accepts(text: str, expected: str) -> None:
    assert digits_only(text) == expected


@pytest.mark.parametrize("text", ["", "  ", "-", "12a3", "12.3", "(03)1234", "١٢٣", "12/3"])
def test_digits_only_refuses(text: str) -> None:
    assert digits_only(text) is None


def test_digits_only_separators_are_the_callers_choice() -> None:
    assert digits_only("(03)1234", allowed_separators="()") == "031234"
    assert digits_only("03-1234", allowed_separators="") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1000", 1000),
        ("1,000", 1000),
        ("１，０００円", 1000),
        ("¥1,000", 1000),
        ("￥1000", 1000),
        ("1000円", 1000),
        ("1,234,567", 1234567),
        ("0", 0),
        (" 500 円 ", 500),
    ],
)
def test_parse_amount_accepts(text: str, expected: int) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "円", "¥", "1,00", "10,00,000", ",100", "100,", "1000.5", "-1000", "1e3", "1 000", "千円"],
)
def test_parse_amount_refuses(text: str) -> None:
    assert parse_amount(text) is None


@given(st.integers(min_value=0, max_value=10**15))
def test_parse_amount_reads_grouped_amounts(amount: int) -> None:
    assert parse_amount(f"¥{amount:,}") == amount
    assert parse_amount(f"{amount}円") == amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [("42", 42), ("-42", -42), ("－４２", -42), ("\u221242", -42), ("０", 0), ("007", 7)],
)
def test_parse_integer_accepts(text: str, expected: int) -> None:
    assert parse_integer(text) == expected


@pytest.mark.parametrize("text", ["", "-", "+1", "1,000", "1.0", "1 2", "٣", "1e3", "9" * 5000])
def test_parse_integer_refuses(text: str) -> None:
    assert parse_integer(text) is None


@given(st.integers())
def test_parse_integer_round_trip(number: int) -> None:
    assert parse_integer(str(number)) == number


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12.5", Decimal("12.5")), ("－１２．５", Decimal("-12.5")), ("3", Decimal(3))],
)
def test_parse_decimal_accepts(text: str, expected: Decimal) -> None:
    assert parse_decimal(text) == expected


@pytest.mark.parametrize(
    "text", ["", ".5", "5.", "1e3", "NaN", "Infinity", "-inf", "1,5", "1.2.3", "1。5"]
)
def test_parse_decimal_refuses(text: str) -> None:
    assert parse_decimal(text) is None


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3))
def test_parse_decimal_round_trip(number: Decimal) -> None:
    assert parse_decimal(f"{number:f}") == number
