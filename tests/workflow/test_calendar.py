from __future__ import annotations

import contextlib
import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.definitions.types import Period
from engine.workflow.calendar import (
    BusinessCalendar,
    DatedClosure,
    YearlyClosure,
    parse_closure,
    parse_closures,
)

CALENDAR = BusinessCalendar.from_spec(None)
# Days the holidays package covers, leaving room for the periods added to them.
DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 11, 23),  # 勤労感謝の日
        date(2026, 9, 21),  # 敬老の日
        date(2026, 9, 22),  # 国民の休日, between two holidays (シルバーウィーク)
        date(2026, 9, 23),  # 秋分の日
        date(2027, 3, 22),  # 振替休日: 春分の日 fell on a Sunday
        date(2027, 4, 29),  # 昭和の日
        date(2027, 5, 3),  # 憲法記念日
        date(2027, 5, 5),  # こどもの日
        date(2026, 11, 28),  # a Saturday
        date(2026, 11, 29),  # a Sunday
        date(2026, 12, 29),  # the year-end closure
        date(2027, 1, 3),
    ],
)
def test_holidays_weekends_and_closures_are_not_business_days(day: date) -> None:
    assert not CALENDAR.is_business_day(day)


@pytest.mark.parametrize(
    "day", [date(2026, 11, 24), date(2026, 12, 28), date(2027, 1, 4), date(2027, 4, 30)]
)
def test_working_weekdays_are_business_days(day: date) -> None:
    assert CALENDAR.is_business_day(day)


def test_the_start_day_does_not_count() -> None:
    assert CALENDAR.add_business_days(date(2026, 11, 26), 1) == date(2026, 11, 27)
    assert CALENDAR.add_business_days(date(2026, 11, 26), 0) == date(2026, 11, 26)


def test_silver_week_is_skipped() -> None:
    assert CALENDAR.add_business_days(date(2026, 9, 18), 1) == date(2026, 9, 24)


def test_golden_week_2027_with_a_closure_after_it() -> None:
    calendar = BusinessCalendar.from_spec("12-29..01-03, 2027-05-06")
    assert CALENDAR.add_business_days(date(2027, 4, 30), 1) == date(2027, 5, 6)
    assert calendar.add_business_days(date(2027, 4, 30), 1) == date(2027, 5, 7)


def test_the_year_end_closure_wraps_into_january() -> None:
    assert CALENDAR.add_business_days(date(2026, 12, 28), 1) == date(2027, 1, 4)
    assert BusinessCalendar().add_business_days(date(2026, 12, 28), 1) == date(2026, 12, 29)


def test_business_days_between_counts_after_the_first_day() -> None:
    # 11-23 is a holiday: 24, 25, 26 and 27 count.
    assert CALENDAR.business_days_between(date(2026, 11, 20), date(2026, 11, 27)) == 4
    assert CALENDAR.business_days_between(date(2026, 11, 27), date(2026, 11, 20)) == -4
    assert CALENDAR.business_days_between(date(2026, 11, 27), date(2026, 11, 27)) == 0


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot add -1 business days"):
        CALENDAR.add_business_days(date(2026, 11, 26), -1)


@pytest.mark.parametrize(
    ("start", "period", "end"),
    [
        (date(2026, 11, 26), "20 business days", date(2026, 12, 24)),
        (date(2026, 11, 26), "30 days", date(2026, 12, 26)),
        (date(2026, 11, 26), "2 weeks", date(2026, 12, 10)),
        (date(2026, 11, 26), "3 months", date(2027, 2, 26)),
        (date(2027, 1, 31), "1 month", date(2027, 2, 28)),  # clamped to the month's end
        (date(2028, 1, 31), "1 month", date(2028, 2, 29)),
        (date(2026, 8, 31), "1か月", date(2026, 9, 30)),
    ],
)
def test_add_counts_each_unit(start: date, period: str, end: date) -> None:
    assert CALENDAR.add(start, Period.parse(period)) == end


def test_a_calendar_closed_for_ever_stops_searching() -> None:
    closed = BusinessCalendar.from_spec("2026-01-01..2040-12-31")
    with pytest.raises(ValueError, match="no business day for 3660 days after 2026-11-26"):
        closed.add_business_days(date(2026, 11, 26), 1)


def test_closures_are_parsed() -> None:
    assert parse_closures(" 12-29..01-03 , 05-01,2027-05-06, 2027-08-13..2027-08-14,") == (
        YearlyClosure((12, 29), (1, 3)),
        YearlyClosure((5, 1), (5, 1)),
        DatedClosure(date(2027, 5, 6), date(2027, 5, 6)),
        DatedClosure(date(2027, 8, 13), date(2027, 8, 14)),
    )


def test_from_spec_defaults_to_the_year_end_closure() -> None:
    assert BusinessCalendar.from_spec(None).closures == (YearlyClosure((12, 29), (1, 3)),)
    assert BusinessCalendar.from_spec("").closures == ()
    assert BusinessCalendar.from_spec("12-01..12-31").closures == (
        YearlyClosure((12, 1), (12, 31)),
    )
    assert BusinessCalendar.from_spec("02-29").is_business_day(date(2028, 2, 29)) is False


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("12/29", "'12/29' is not a closure: write a day every year (05-01)"),
        ("12-29..", "'12-29..' is not a closure"),
        ("１２-２９", "is not a closure"),
        ("13-01", "'13-01': 13-01 is not a day of the year (MM-DD)"),
        ("02-30", "02-30 is not a day of the year"),
        ("2027-02-29", "'2027-02-29' is not a real date (YYYY-MM-DD)"),
        ("2027-05-07..2027-05-06", "'2027-05-07..2027-05-06' ends before it starts"),
        ("12-29..2027-01-03", "mixes a day every year and a date"),
        ("01-03..12-29", "'01-03..12-29' closes more than 31 days every year: a range that"),
        ("11-30..12-31", "'11-30..12-31' closes more than 31 days"),
    ],
)
def test_bad_closures_are_refused_with_the_reason(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        BusinessCalendar.from_spec(f"12-29..01-03, {spec}")


@given(st.text(max_size=30))
def test_any_closure_text_parses_or_raises_a_value_error(text: str) -> None:
    with contextlib.suppress(ValueError):
        assert isinstance(parse_closure(text), YearlyClosure | DatedClosure)


@given(DAYS, st.integers(min_value=1, max_value=80))
def test_adding_business_days_lands_on_a_business_day(start: date, n: int) -> None:
    assert CALENDAR.is_business_day(CALENDAR.add_business_days(start, n))


@given(DAYS, st.integers(min_value=0, max_value=80))
def test_business_days_between_undoes_adding_them(start: date, n: int) -> None:
    assert CALENDAR.business_days_between(start, CALENDAR.add_business_days(start, n)) == n


@given(DAYS, st.integers(min_value=0, max_value=80))
def test_more_business_days_end_later(start: date, n: int) -> None:
    assert CALENDAR.add_business_days(start, n) < CALENDAR.add_business_days(start, n + 1)


@given(DAYS)
def test_the_year_end_closure_covers_six_days_every_year(day: date) -> None:
    year_end = date(day.year, 12, 29)
    closed = [year_end + timedelta(days=k) for k in range(6)]
    assert not any(CALENDAR.is_business_day(d) for d in closed)
