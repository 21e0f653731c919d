import pytest

from engine.japanese.identifiers import (
    format_phone,
    format_postal_code,
    mask_my_number,
    normalize_corporate_number,
    normalize_my_number,
    normalize_phone,
    normalize_postal_code,
)


@pytest.mark.parametrize("number", ["123456789018", "983205673214", "621498320257", "111111111118"])
def test_my_number_valid(number: str) -> None:
    assert normalize_my_number(number) == number


@pytest.mark.parametrize(
    "text",
    [
        "1234-5678-9018",
        "1234 5678 9018",
        "１２３４ ５６７８ ９０１８",
        "１２３４－５６７８－９０１８",
    ],
)
def test_my_number_accepts_separators_and_full_width(text: str) -> None:
    assert normalize_my_number(text) == "123456789018"


@pytest.mark.parametrize(
    "text",
    [
        "123456789010",
        "983205673210",
        "621498320258",
        "12345678901",
        "1234567890180",
        "12345678901X",
        "7000012050002",
        "",
    ],
)
def test_my_number_invalid(text: str) -> None:
    assert normalize_my_number(text) is None


def test_my_number_check_digit_only_catches_typos() -> None:
    assert normalize_my_number("000000000000") == "000000000000"


def test_mask_my_number() -> None:
    assert mask_my_number("123456789018") == "********9018"
    assert mask_my_number("1234") == "****"


@pytest.mark.parametrize(
    "number", ["7000012050002", "7123456789012", "4011001098993", "2120901007402", "5835678256246"]
)
def test_corporate_number_valid(number: str) -> None:
    assert normalize_corporate_number(number) == number


def test_corporate_number_accepts_separators_and_full_width() -> None:
    assert normalize_corporate_number("5-8356-7825-6246") == "5835678256246"
    assert normalize_corporate_number("７０００ ０１２０ ５０００２") == "7000012050002"


@pytest.mark.parametrize(
    "text", ["2835678256246", "123456789018", "0000000000000", "700001205000X"]
)
def test_corporate_number_invalid(text: str) -> None:
    assert normalize_corporate_number(text) is None


@pytest.mark.parametrize(
    ("text", "expected", "display"),
    [
        ("03-1234-5678", "0312345678", "03-1234-5678"),
        ("(03) 1234-5678", "0312345678", "03-1234-5678"),
        ("０３（１２３４）５６７８", "0312345678", "03-1234-5678"),
        ("090-1234-5678", "09012345678", "090-1234-5678"),
        ("080\u221212345678", "08012345678", "080-1234-5678"),
        ("070ー1234ー5678", "07012345678", "070-1234-5678"),
        ("050-1234-5678", "05012345678", "050-1234-5678"),
        ("0120-123-456", "0120123456", "0120-123-456"),
        ("0800-123-4567", "08001234567", "0800-123-4567"),
        ("0995-12-3456", "0995123456", "0995-12-3456"),
        ("+81 90-1234-5678", "09012345678", "090-1234-5678"),
        ("+81 (0)3 1234 5678", "0312345678", "03-1234-5678"),
    ],
)
def test_phone_valid(text: str, expected: str, display: str) -> None:
    assert normalize_phone(text) == expected
    assert format_phone(expected) == display


@pytest.mark.parametrize(
    "text",
    [
        "090-1234-567",  # mobile needs 11 digits
        "050-123-4567",
        "0800-123-456",
        "0120-1234-567",  # free dial 0120 has 10
        "03-1234-56789",  # fixed lines have 10
        "3-1234-5678",  # the trunk 0 is required
        "0000000000",
        "03-1234-5678 内線12",
        "03.1234.5678",
        "",
        "+1 212 555 0100",
    ],
)
def test_phone_invalid(text: str) -> None:
    assert normalize_phone(text) is None


def test_format_phone_leaves_unknown_numbers_alone() -> None:
    # The phone library would print "0101234567" as "234567"; digits are safer than that.
    assert format_phone("0101234567") == "0101234567"
    assert format_phone("abc") == "abc"


@pytest.mark.parametrize(
    "text",
    [
        "163-8001",
        "1638001",
        "〒163-8001",
        "〒 163-8001",
        "１６３－８００１",
        "〶1638001",
        " 163ー8001 ",
    ],
)
def test_postal_code_valid(text: str) -> None:
    assert normalize_postal_code(text) == "1638001"


@pytest.mark.parametrize("text", ["163-800", "16380011", "163-800A", "〒", "", "163〜8001"])
def test_postal_code_invalid(text: str) -> None:
    assert normalize_postal_code(text) is None


def test_format_postal_code() -> None:
    assert format_postal_code("1638001") == "163-8001"
    assert format_postal_code("163800") == "163800"
