from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from tests.fields.helpers import clean, code_of, make


def test_text_trims_surrounding_spaces_including_ideographic() -> None:
    assert clean(make("text"), "\u3000 山田商店 ") == "山田商店"


def test_text_counts_characters_not_bytes() -> None:
    field = make("text", max_length=3)
    assert clean(field, "𠮷田髙") == "𠮷田髙"
    assert code_of(field, "𠮷田髙橋") == "too_long"


def test_text_refuses_control_characters_and_line_breaks() -> None:
    assert code_of(make("text"), "a\x00b") == "invalid_characters"
    assert code_of(make("text"), "a\nb") == "invalid_characters"


def test_text_pattern_uses_re2_and_matches_whole_answer() -> None:
    field = make("text", pattern=r"[A-Z]{2}\d{4}")
    assert clean(field, "AB1234") == "AB1234"
    assert code_of(field, "AB12345") == "pattern_mismatch"


@pytest.mark.parametrize("pattern", [r"(a)\1", "[", "(?P<x>a)(?P=x)"])
def test_text_pattern_that_re2_refuses_is_a_definition_error(pattern: str) -> None:
    with pytest.raises(ValidationError, match="invalid pattern"):
        make("text", pattern=pattern)


def test_catastrophic_pattern_answers_at_once() -> None:
    field = make("text", pattern=r"(a+)+$", max_length=100)
    assert code_of(field, "a" * 40 + "!") == "pattern_mismatch"


def test_normalize_makes_full_width_half_width_before_the_pattern() -> None:
    field = make("text", pattern=r"[A-Z]\d-\d{5}", normalize=True)
    assert clean(field, "Ｒ７－１２３４５") == "R7-12345"
    assert code_of(make("text", pattern=r"[A-Z]\d-\d{5}"), "Ｒ７－１２３４５") == "pattern_mismatch"


def test_textarea_keeps_line_breaks_in_one_form() -> None:
    assert clean(make("textarea"), "一行目\r\n二行目\r三行目") == "一行目\n二行目\n三行目"


def test_email_syntax_without_network() -> None:
    assert clean(make("email"), " Hanako@Example.JP ") == "Hanako@example.jp"
    assert code_of(make("email"), "hanako@") == "invalid_email"


@pytest.mark.parametrize(("raw", "expected"), [("48", 48), ("１６０", 160), (160, 160), ("-3", -3)])
def test_integer_accepts_full_width_digits(raw: object, expected: int) -> None:
    assert clean(make("integer"), raw) == expected


@pytest.mark.parametrize("raw", ["1.5", "十", "1e3", "1,000"])
def test_integer_refuses_what_is_not_a_whole_number(raw: object) -> None:
    assert code_of(make("integer"), raw) == "not_integer"


def test_integer_refuses_a_json_boolean() -> None:
    assert code_of(make("integer"), True) == "wrong_shape"


def test_integer_range() -> None:
    field = make("integer", min=48, max=744)
    assert code_of(field, "47") == "too_small"
    assert code_of(field, "745") == "too_large"
    assert clean(field, "744") == 744


def test_min_above_max_is_a_definition_error() -> None:
    with pytest.raises(ValidationError, match="greater than max"):
        make("integer", min=10, max=1)


def test_decimal_places() -> None:
    field = make("decimal", places=1)
    assert clean(field, "１２．５") == Decimal("12.5")
    assert code_of(field, "12.55") == "too_many_places"
    assert code_of(field, "NaN") == "not_decimal"


@pytest.mark.parametrize("raw", ["18300", "18,300", "１８，３００円", "¥18,300", "￥18300"])
def test_money_accepts_how_people_write_yen(raw: str) -> None:
    assert clean(make("money"), raw) == 18300


def test_money_refuses_negative_and_fractions() -> None:
    assert code_of(make("money"), "-1") == "not_amount"
    assert code_of(make("money"), "100.5") == "not_amount"


def test_money_displays_in_each_language() -> None:
    field = make("money")
    assert field.display(18300, "ja") == "18,300円"
    assert field.display(18300, "en") == "¥18,300"
