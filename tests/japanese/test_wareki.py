from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.japanese.wareki import (
    ERAS,
    Wareki,
    format_date,
    format_wareki,
    parse_date,
    to_wareki,
)

REFERENCE_VECTORS = [
    (date(1912, 7, 29), "明治45年7月29日"),
    (date(1926, 12, 24), "大正15年12月24日"),
    (date(1989, 1, 7), "昭和64年1月7日"),
    (date(2019, 4, 30), "平成31年4月30日"),
    (date(2019, 5, 1), "令和元年5月1日"),
]


@pytest.mark.parametrize(("d", "text"), REFERENCE_VECTORS)
def test_reference_vectors(d: date, text: str) -> None:
    assert format_wareki(d) == text
    assert parse_date(text) == d


def test_era_table() -> None:
    assert [(e.kanji, e.letter, e.english) for e in ERAS] == [
        ("明治", "M", "Meiji"),
        ("大正", "T", "Taisho"),
        ("昭和", "S", "Showa"),
        ("平成", "H", "Heisei"),
        ("令和", "R", "Reiwa"),
    ]
    assert [e.first_day for e in ERAS] == [
        date(1873, 1, 1),
        date(1912, 7, 30),
        date(1926, 12, 25),
        date(1989, 1, 8),
        date(2019, 5, 1),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "2025-11-26",
        "2025/11/26",
        "2025.11.26",
        "２０２５－１１－２６",
        "２０２５／１１／２６",
        "2025年11月26日",
        "西暦2025年11月26日",
        "２０２５年１１月２６日",
        "令和7年11月26日",
        "令和７年１１月２６日",
        "令和 7 年 11 月 26 日",
        "令和\u30007年\u300011月\u300026日",
        "㋿7年11月26日",
        "R7.11.26",
        "R07/11/26",
        "r7-11-26",
        " 2025-11-26 ",
    ],
)
def test_parse_accepts_common_spellings(text: str) -> None:
    assert parse_date(text) == date(2025, 11, 26)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和元年5月1日", date(2019, 5, 1)),
        ("令和1年5月1日", date(2019, 5, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("㍻31年4月30日", date(2019, 4, 30)),
        ("㍼64年1月7日", date(1989, 1, 7)),
        ("㍽15年12月24日", date(1926, 12, 24)),
        ("㍾45年7月29日", date(1912, 7, 29)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("明治6年1月1日", date(1873, 1, 1)),
        ("S64.1.7", date(1989, 1, 7)),
        # Handover days belong to both eras.
        ("明治45年7月30日", date(1912, 7, 30)),
        ("大正元年7月30日", date(1912, 7, 30)),
        ("大正15年12月25日", date(1926, 12, 25)),
        ("昭和元年12月25日", date(1926, 12, 25)),
        ("2024年2月29日", date(2024, 2, 29)),
    ],
)
def test_parse_era_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "平成31年5月1日",
        "昭和64年1月8日",
        "令和1年4月30日",
        "大正元年7月29日",
        "昭和元年12月24日",
        "明治5年12月31日",
        "令和0年1月1日",
        "R0.1.1",
        "2025年2月30日",
        "2023-02-29",
        "2025-13-01",
        "2025-00-10",
        "0000-01-01",
        "2025-11/26",
        "25/11/26",
        "令和7年11月",
        "令和七年十一月二十六日",
        "X7.11.26",
        "2025-11-26T10:00",
        "11/26/2025",
        "",
        "令和",
    ],
)
def test_parse_refuses(text: str) -> None:
    assert parse_date(text) is None


def test_to_wareki() -> None:
    assert to_wareki(date(2025, 11, 26)) == Wareki("令和", "R", "Reiwa", 7)
    assert to_wareki(date(1912, 7, 30)) == Wareki("大正", "T", "Taisho", 1)
    assert to_wareki(date(1873, 1, 1)) == Wareki("明治", "M", "Meiji", 6)


def test_to_wareki_refuses_dates_before_the_gregorian_calendar() -> None:
    with pytest.raises(ValueError, match="1873"):
        to_wareki(date(1872, 12, 31))


def test_format_date() -> None:
    d = date(2025, 11, 26)
    assert format_date(d, "ja", "wareki") == "令和7年11月26日"
    assert format_date(d, "ja", "gregorian") == "2025年11月26日"
    assert format_date(d, "en", "wareki") == "26 November 2025 (Reiwa 7)"
    assert format_date(d, "en", "gregorian") == "26 November 2025"
    assert format_date(date(2019, 5, 1), "ja", "wareki") == "令和元年5月1日"
    assert format_date(date(2019, 5, 1), "en", "wareki") == "1 May 2019 (Reiwa 1)"


@pytest.mark.parametrize(("lang", "calendar"), [("fr", "gregorian"), ("ja", "julian")])
def test_format_date_refuses_unknown_options(lang: str, calendar: str) -> None:
    with pytest.raises(ValueError, match="unsupported"):
        format_date(date(2025, 11, 26), lang, calendar)


@given(st.dates(min_value=date(1873, 1, 1), max_value=date(2099, 12, 31)))
def test_round_trip(d: date) -> None:
    assert parse_date(format_wareki(d)) == d
    assert parse_date(d.isoformat()) == d
    assert parse_date(format_date(d, "ja", "gregorian")) == d


@given(st.dates(min_value=date(1873, 1, 1), max_value=date(2099, 12, 31)))
def test_letter_form_round_trip(d: date) -> None:
    wareki = to_wareki(d)
    assert parse_date(f"{wareki.era_letter}{wareki.year:02}.{d.month}.{d.day}") == d


@given(st.text(max_size=30))
def test_parse_never_raises(text: str) -> None:
    result = parse_date(text)
    assert result is None or isinstance(result, date)
