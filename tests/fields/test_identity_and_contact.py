from __future__ import annotations

import pytest

from tests.fields.helpers import clean, code_of, make

NAME = {"family": "𠮷田", "given": "太郎", "family_kana": "よしだ", "given_kana": "ﾀﾛｳ"}


def test_person_name_keeps_kanji_exactly_and_makes_furigana_katakana() -> None:
    value = clean(make("person_name"), {**NAME, "family": "神\ufa19"})
    assert value == {
        "family": "神\ufa19",
        "given": "太郎",
        "family_kana": "ヨシダ",
        "given_kana": "タロウ",
    }


def test_person_name_keeps_small_kana_distinct() -> None:
    value = clean(make("person_name"), {**NAME, "given_kana": "キョウコ"})
    assert value["given_kana"] == "キョウコ"


def test_person_name_reports_the_part_at_fault() -> None:
    field = make("person_name")
    with pytest.raises(Exception) as caught:  # noqa: PT011 -- Invalid carries the part
        clean(field, {**NAME, "family_kana": "Yoshida"})
    assert (caught.value.code, caught.value.part) == ("furigana_katakana", "family_kana")  # type: ignore[attr-defined]
    with pytest.raises(Exception) as caught:  # noqa: PT011
        clean(field, {**NAME, "given": " "})
    assert (caught.value.code, caught.value.part) == ("required_part", "given")  # type: ignore[attr-defined]


def test_person_name_without_furigana() -> None:
    assert clean(make("person_name", furigana=False), {"family": "Smith", "given": "Jane"}) == {
        "family": "Smith",
        "given": "Jane",
    }


def test_person_name_inputs_have_autocomplete() -> None:
    parts = make("person_name").input_hints().parts
    assert [p.autocomplete for p in parts[:2]] == ["family-name", "given-name"]


@pytest.mark.parametrize(
    "raw", ["123456789018", "1234 5678 9018", "１２３４-５６７８-９０１８", "983205673214"]
)
def test_my_number_valid(raw: str) -> None:
    assert len(clean(make("my_number"), raw)) == 12


@pytest.mark.parametrize("raw", ["123456789010", "983205673210", "621498320258", "12345678901"])
def test_my_number_check_digit(raw: str) -> None:
    assert code_of(make("my_number"), raw) == "invalid_my_number"


def test_my_number_is_sensitive_masked_and_never_autocompleted() -> None:
    field = make("my_number")
    assert field.sensitive
    assert field.mask("123456789018") == "********9018"
    assert field.input_hints().autocomplete == "off"


@pytest.mark.parametrize(
    "raw", ["7000012050002", "4011001098993", "2120901007402", "5835678256246"]
)
def test_corporate_number_valid(raw: str) -> None:
    assert clean(make("corporate_number"), raw) == raw


def test_corporate_number_check_digit() -> None:
    assert code_of(make("corporate_number"), "2835678256246") == "invalid_corporate_number"


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("03-1234-5678", "0312345678"),
        ("０９０－１２３４－５６７８", "09012345678"),
        ("0120 123 456", "0120123456"),
        ("050-1234-5678", "05012345678"),
    ],
)
def test_phone_accepts_japanese_numbers(raw: str, digits: str) -> None:
    assert clean(make("phone"), raw) == digits


@pytest.mark.parametrize("raw", ["090-1234-567", "1234567890", "03-1234-56789", "電話"])
def test_phone_refuses_impossible_numbers(raw: str) -> None:
    assert code_of(make("phone"), raw) == "invalid_phone"


def test_phone_display_uses_national_format() -> None:
    assert make("phone").display("0312345678", "ja") == "03-1234-5678"


@pytest.mark.parametrize("raw", ["163-8001", "1638001", "〒１６３－８００１"])
def test_postal_code(raw: str) -> None:
    assert clean(make("postal_code"), raw) == "1638001"
    assert make("postal_code").display("1638001", "ja") == "〒163-8001"


def test_postal_code_refuses_wrong_length() -> None:
    assert code_of(make("postal_code"), "163-800") == "invalid_postal_code"


def test_address_stores_the_prefecture_code() -> None:
    value = clean(
        make("address"),
        {"prefecture": "東京都", "city": "新宿区", "street": "西新宿2-8-1", "building": ""},
    )
    assert value == {"prefecture": "13", "city": "新宿区", "street": "西新宿2-8-1", "building": ""}
    assert make("address").display(value, "ja") == "東京都新宿区西新宿2-8-1"


def test_composite_answers_display_part_by_part() -> None:
    address = {"prefecture": "13", "city": "新宿区", "street": "西新宿2-8-1"}
    parts = {part: make("address").display_part(address, part, "en") for part in address}
    assert parts == {"prefecture": "東京都", "city": "新宿区", "street": "西新宿2-8-1"}
    assert make("address").display_part(address, "building", "ja") == ""
    name = clean(make("person_name"), NAME)
    assert make("person_name").display_part(name, "given_kana", "ja") == "タロウ"


def test_address_needs_city_and_street() -> None:
    assert code_of(make("address"), {"prefecture": "13", "city": "新宿区"}) == "required_part"
    assert (
        code_of(make("address"), {"prefecture": "ムー", "city": "a", "street": "b"})
        == "invalid_prefecture"
    )
