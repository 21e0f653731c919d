from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.definitions.types import Period
from engine.workflow.calendar import BusinessCalendar
from engine.workflow.clock import (
    TOKYO,
    ProcessingDue,
    StateEntry,
    processing_due,
    timer_due,
    tokyo_date,
)

CALENDAR = BusinessCalendar.from_spec(None)
TWENTY = Period.parse("20 business days")


def tokyo(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """An instant given in Tokyo time, as storage holds it: in UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=TOKYO).astimezone(UTC)


SUBMITTED = tokyo(2026, 11, 26)  # a Thursday


def entered(at: datetime, state: str) -> StateEntry:
    return StateEntry(entered_at=at, state=state, paused=state == "correction")


def due(period: Period, *history: StateEntry) -> ProcessingDue:
    return processing_due(SUBMITTED, period, [entered(SUBMITTED, "received"), *history], CALENDAR)


def test_the_period_counts_from_the_day_after_submission() -> None:
    # 初日不算入: day 1 is Friday 11-27; the 20th business day is 12-24.
    assert due(TWENTY) == ProcessingDue(due=date(2026, 12, 24), remaining=None)
    assert due(Period.parse("1 business day")).due == date(2026, 11, 27)
    assert due(Period.parse("30 days")).due == date(2026, 12, 26)


def test_a_correction_round_adds_the_business_days_it_paused() -> None:
    # Paused Tuesday 10:00 to Thursday 15:00: three business days do not count.
    paused = due(
        TWENTY,
        entered(tokyo(2026, 11, 27), "reviewing"),
        entered(tokyo(2026, 12, 1, 10), "correction"),
        entered(tokyo(2026, 12, 3, 15), "reviewing"),
    )
    assert paused.due == CALENDAR.add_business_days(date(2026, 12, 24), 3)
    assert paused.due == date(2027, 1, 4)  # 12-25, 12-28, then the year-end closure


def test_a_pause_within_one_day_costs_that_day() -> None:
    paused = due(
        TWENTY,
        entered(tokyo(2026, 12, 1, 10), "correction"),
        entered(tokyo(2026, 12, 1, 15), "reviewing"),
    )
    assert paused.due == date(2026, 12, 25)


def test_a_pause_over_a_weekend_costs_business_days_nothing() -> None:
    weekend = (
        entered(tokyo(2026, 11, 28, 9), "correction"),
        entered(tokyo(2026, 11, 29, 18), "reviewing"),
    )
    assert due(TWENTY, *weekend).due == date(2026, 12, 24)
    assert due(Period.parse("30 days"), *weekend).due == date(2026, 12, 28)


def test_a_pause_ending_at_tokyo_midnight_spares_that_day() -> None:
    paused = due(
        TWENTY,
        entered(tokyo(2026, 12, 1, 10), "correction"),
        entered(tokyo(2026, 12, 2, 0), "reviewing"),
    )
    assert paused.due == date(2026, 12, 25)


def test_while_paused_the_due_date_is_unknown_and_the_rest_is_kept() -> None:
    # Ran on 11-27, 11-30 and 12-01; paused since 12-02.
    paused = due(Period.parse("10 business days"), entered(tokyo(2026, 12, 2, 9), "correction"))
    assert paused == ProcessingDue(due=None, remaining=7)


def test_a_pause_after_the_due_date_leaves_it_passed() -> None:
    late = due(Period.parse("1 business day"), entered(tokyo(2026, 12, 2, 9), "correction"))
    assert late == ProcessingDue(due=date(2026, 11, 27), remaining=None)


def test_a_month_counts_the_days_it_spans() -> None:
    submitted = tokyo(2027, 1, 31)
    history = [
        entered(submitted, "received"),
        entered(tokyo(2027, 2, 10), "correction"),
        entered(tokyo(2027, 2, 11, 12), "reviewing"),
    ]
    month = Period.parse("1 month")
    assert processing_due(submitted, month, history[:1], CALENDAR).due == date(2027, 2, 28)
    assert processing_due(submitted, month, history, CALENDAR).due == date(2027, 3, 2)


def test_the_submission_day_is_the_tokyo_date() -> None:
    late_evening_utc = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)  # 08:30 on 11-26 in Tokyo
    assert tokyo_date(late_evening_utc) == date(2026, 11, 26)
    one = Period.parse("1 business day")
    assert processing_due(late_evening_utc, one, [], CALENDAR).due == date(2026, 11, 27)
    afternoon_utc = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)  # 23:00 on 11-25 in Tokyo
    assert processing_due(afternoon_utc, one, [], CALENDAR).due == date(2026, 11, 26)


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="has no time zone"):
        tokyo_date(datetime(2026, 11, 26, 10))  # the mistake under test


@pytest.mark.parametrize(
    ("entered_at", "period", "fires"),
    [
        # Last day Friday 11-27: fires as Saturday begins in Tokyo.
        (datetime(2026, 11, 25, 23, 30, tzinfo=UTC), "1 business day", tokyo(2026, 11, 28, 0)),
        (tokyo(2026, 11, 26), "20 business days", tokyo(2026, 12, 25, 0)),
        # 12-26 is a Saturday: the deadline moves to Monday 12-28.
        (tokyo(2026, 11, 26), "30 days", tokyo(2026, 12, 29, 0)),
        # 11-23 is 勤労感謝の日: the deadline moves to 11-24.
        (tokyo(2026, 11, 16), "1 week", tokyo(2026, 11, 25, 0)),
        # 01-31 + 1 month is 02-28, a Sunday: the deadline moves to Monday 03-01.
        (tokyo(2027, 1, 31), "1 month", tokyo(2027, 3, 2, 0)),
        # 11-29 is a Sunday: the deadline moves to Monday 11-30.
        (tokyo(2026, 11, 26), "3日", tokyo(2026, 12, 1, 0)),
        (tokyo(2026, 11, 26), "6日", tokyo(2026, 12, 3, 0)),
    ],
)
def test_a_timer_fires_at_the_tokyo_midnight_ending_its_last_day(
    entered_at: datetime, period: str, fires: datetime
) -> None:
    fired = timer_due(entered_at, Period.parse(period), CALENDAR)
    assert fired == fires
    assert fired.tzinfo is UTC


def _history(submitted: datetime, pauses: list[tuple[int, int]]) -> list[StateEntry]:
    """Pauses as (hours after the previous change, hours long), one after the other."""
    history, at = [entered(submitted, "received")], submitted
    for gap, length in pauses:
        at += timedelta(hours=gap)
        history.append(entered(at, "correction"))
        at += timedelta(hours=length)
        history.append(entered(at, "reviewing"))
    return history


PAUSES = st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)), max_size=4)
PERIODS = st.builds(
    Period, st.integers(1, 60), st.sampled_from(["business_days", "days", "weeks", "months"])
)
SUBMISSIONS = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
)


@given(SUBMISSIONS, PERIODS)
def test_without_pauses_the_due_date_is_the_period_added(
    submitted: datetime, period: Period
) -> None:
    expected = CALENDAR.add(tokyo_date(submitted), period)
    assert processing_due(submitted, period, [], CALENDAR).due == expected


@given(SUBMISSIONS, PERIODS, PAUSES)
def test_pauses_never_bring_the_due_date_forward(
    submitted: datetime, period: Period, pauses: list[tuple[int, int]]
) -> None:
    paused = processing_due(submitted, period, _history(submitted, pauses), CALENDAR).due
    assert paused is not None
    assert paused >= CALENDAR.add(tokyo_date(submitted), period)


def _touched_by_pauses(history: list[StateEntry]) -> set[date]:
    """Tokyo dates with any instant of a pause: from its first to its last microsecond."""
    touched: set[date] = set()
    for entry, left in pairwise(history):
        if entry.paused and left.entered_at > entry.entered_at:
            day = tokyo_date(entry.entered_at)
            last = tokyo_date(left.entered_at - timedelta.resolution)
            while day <= last:
                touched.add(day)
                day += timedelta(days=1)
    return touched


@given(SUBMISSIONS, st.integers(1, 60), PAUSES)
def test_exactly_the_business_days_the_clock_ran_for_count(
    submitted: datetime, amount: int, pauses: list[tuple[int, int]]
) -> None:
    history = _history(submitted, pauses)
    last = processing_due(submitted, Period(amount, "business_days"), history, CALENDAR).due
    assert last is not None
    touched, start = _touched_by_pauses(history), tokyo_date(submitted)
    ran = [
        day
        for day in (start + timedelta(days=k) for k in range(1, (last - start).days + 1))
        if CALENDAR.is_business_day(day) and day not in touched
    ]
    assert len(ran) == amount
    assert ran[-1] == last
