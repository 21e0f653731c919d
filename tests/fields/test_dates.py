from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from tests.conftest import TODAY
from tests.fields.helpers import clean, code_of, make


@pytest.mark.parametrize(
    "raw",
    [
        "2025-11-26",
        "令和7年11月26日",
        "R7.11.26",
        "R07/11/26",
        "２０２５／１１／２６",
        {"year": "2025", "month": "11", "day": "26"},
        {"era": "令和", "year": 7, "month": 11, "day": 26},
    ],
)
def test_date_accepts_iso_wareki_and_parts(raw: object) -> None:
    assert clean(make("date", calendar="wareki"), raw) == date(2025, 11, 26)


@pytest.mark.parametrize(
    "raw",
    [
        "平成31年5月1日",
        "昭和64年1月8日",
        "2025-02-30",
        "昨日",
        {"year": "2025", "month": "13", "day": "1"},
    ],
)
def test_date_refuses_dates_that_do_not_exist(raw: object) -> None:
    assert code_of(make("date"), raw) == "invalid_date"


def test_era_boundaries() -> None:
    field = make("date")
    assert clean(field, "平成31年4月30日") == date(2019, 4, 30)
    assert clean(field, "令和元年5月1日") == date(2019, 5, 1)
    assert clean(field, "昭和64年1月7日") == date(1989, 1, 7)


def test_max_today_refuses_the_future() -> None:
    field = make("date", max="today")
    assert clean(field, TODAY.isoformat()) == TODAY
    assert code_of(field, "2026-11-27") == "date_too_late"


def test_relative_bounds() -> None:
    field = make("date", min="today - 18 years", max="today + 30 days")
    assert code_of(field, "2008-11-25") == "date_too_early"
    assert clean(field, "2008-11-26") == date(2008, 11, 26)
    assert code_of(field, "2026-12-27") == "date_too_late"


def test_bad_bound_is_a_definition_error() -> None:
    with pytest.raises(ValidationError, match="not a date bound"):
        make("date", max="tomorrow")


def test_display_follows_calendar_and_language() -> None:
    field = make("date", calendar="wareki")
    assert field.display(date(2019, 5, 1), "ja") == "令和元年5月1日"
    assert "2019" in field.display(date(2019, 5, 1), "en")


def test_birthday_parts_autocomplete() -> None:
    hints = make("date", autocomplete="bday").input_hints()
    assert [p.autocomplete for p in hints.parts] == ["bday-year", "bday-month", "bday-day"]
