"""The processing-period clock and `after:` timers, counted in Tokyo dates.

Instants are stored as timezone-aware UTC datetimes; every day counted here is the date in
Tokyo, so a submission at 23:30 UTC counts from the next day.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from engine.definitions.types import Period
from engine.workflow.calendar import BusinessCalendar

TOKYO = ZoneInfo("Asia/Tokyo")


def tokyo_date(instant: datetime) -> date:
    if instant.tzinfo is None:
        raise ValueError(f"{instant} has no time zone: store instants as aware UTC datetimes")
    return instant.astimezone(TOKYO).date()


@dataclass(frozen=True)
class StateEntry:
    """A submission entering a workflow state; ``paused``: the state's clock is not running."""

    entered_at: datetime
    state: str
    paused: bool


@dataclass(frozen=True)
class ProcessingDue:
    """The last day of the processing period, or what is left of it while the clock is paused."""

    due: date | None  # None while the clock is paused: the due date is not known yet
    remaining: int | None  # while paused: the days still to count once the clock runs again


def processing_due(
    submitted_at: datetime,
    period: Period,
    history: Sequence[StateEntry],
    calendar: BusinessCalendar,
) -> ProcessingDue:
    """When the processing period ends, counting only the days the clock ran for all of.

    Day 1 is the day after submission (初日不算入). A day on which the clock was paused for
    any part does not count. Business-day periods count business days; the others count
    calendar days, a period in weeks or months being the days it spans from submission.
    """
    entries = sorted(history, key=lambda entry: entry.entered_at)
    paused_days = _paused_days(entries)
    paused_from = tokyo_date(entries[-1].entered_at) if entries and entries[-1].paused else None
    submitted = tokyo_date(submitted_at)
    needed, step = _length(submitted, period, calendar)
    day, counted = submitted, 0
    while counted < needed:
        day = step(day)
        if paused_from is not None and day >= paused_from:
            return ProcessingDue(due=None, remaining=needed - counted)
        if day not in paused_days:
            counted += 1
    return ProcessingDue(due=day, remaining=None)


def _length(
    submitted: date, period: Period, calendar: BusinessCalendar
) -> tuple[int, Callable[[date], date]]:
    """How many days the period counts, and how to step to the next day that may count."""
    if period.unit == "business_days":
        return period.amount, calendar.next_business_day
    return (calendar.add(submitted, period) - submitted).days, _next_day


def _next_day(day: date) -> date:
    return day + timedelta(days=1)


def _paused_days(entries: Sequence[StateEntry]) -> set[date]:
    """The Tokyo dates touched by each pause that has ended."""
    days: set[date] = set()
    for entry, left in pairwise(entries):
        if entry.paused and left.entered_at > entry.entered_at:
            first, last = tokyo_date(entry.entered_at), _last_day_before(left.entered_at)
            days.update(first + timedelta(days=k) for k in range((last - first).days + 1))
    return days


def _last_day_before(end: datetime) -> date:
    """The Tokyo date of the instant just before ``end``: a pause ending at midnight spares it."""
    local = end.astimezone(TOKYO)
    return local.date() - timedelta(days=1) if local.time() == time() else local.date()


def timer_due(entered_at: datetime, period: Period, calendar: BusinessCalendar) -> datetime:
    """When an ``after:`` timer fires, in UTC: at the Tokyo midnight that ends its last day.

    The period is counted in Tokyo dates from the day after ``entered_at`` (初日不算入). A
    period in days, weeks or months whose last day is not a business day ends on the next
    business day instead, as a deadline on a closed day does in Japanese law.
    """
    last = calendar.add(tokyo_date(entered_at), period)
    if period.unit != "business_days" and not calendar.is_business_day(last):
        # 行政機関の休日に関する法律 2条, 地方自治法 4条の2 4項.
        last = calendar.next_business_day(last)
    return datetime.combine(last + timedelta(days=1), time(), TOKYO).astimezone(UTC)
