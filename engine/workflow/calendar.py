"""Business days of a Japanese municipal office, and date arithmetic over them.

A business day is a weekday that is neither a Japanese public holiday (振替休日 and 国民の休日
included) nor one of the office's closures, such as the year-end closure 12-29..01-03.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import holidays
from dateutil.relativedelta import relativedelta

from engine.definitions.types import Period

# 年末年始: municipal offices close from 29 December to 3 January.
DEFAULT_CLOSURES = "12-29..01-03"

# A yearly closure longer than this is almost always a reversed range (01-03..12-29).
_LONGEST_YEARLY_CLOSURE = 31
# No real calendar is closed this long; stop rather than search forever.
_LONGEST_CLOSED_RUN = 3660

_DAY = r"[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{2}-[0-9]{2}"
_CLOSURE = re.compile(rf"^(?P<first>{_DAY})(?:\.\.(?P<last>{_DAY}))?$")
_HINT = (
    "write a day every year (05-01), a range every year (12-29..01-03), "
    "a date (2027-05-06) or a range of dates (2027-05-06..2027-05-07)"
)


@dataclass(frozen=True)
class YearlyClosure:
    """Days closed every year, first to last (month, day); it wraps the year end if last < first."""

    first: tuple[int, int]
    last: tuple[int, int]

    def covers(self, day: date) -> bool:
        key = (day.month, day.day)
        if self.first <= self.last:
            return self.first <= key <= self.last
        return key >= self.first or key <= self.last


@dataclass(frozen=True)
class DatedClosure:
    """Days closed once, first to last."""

    first: date
    last: date

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


Closure = YearlyClosure | DatedClosure


def parse_closures(text: str) -> tuple[Closure, ...]:
    """Closures written comma-separated, as in ``12-29..01-03, 2027-05-06``."""
    return tuple(parse_closure(part) for part in text.split(",") if part.strip())


def parse_closure(text: str) -> Closure:
    match = _CLOSURE.match(text.strip())
    if match is None:
        raise ValueError(f"'{text.strip()}' is not a closure: {_HINT}")
    first, last = match["first"], match["last"] or match["first"]
    if len(first) != len(last):
        raise ValueError(f"'{text.strip()}' mixes a day every year and a date: {_HINT}")
    if len(first) == 5:
        return _yearly(text.strip(), first, last)
    return _dated(text.strip(), first, last)


def _yearly(spec: str, first: str, last: str) -> YearlyClosure:
    start, end = _month_day(spec, first), _month_day(spec, last)
    if (end - start).days % 366 >= _LONGEST_YEARLY_CLOSURE:
        raise ValueError(
            f"'{spec}' closes more than {_LONGEST_YEARLY_CLOSURE} days every year: "
            "a range that wraps the year end starts in December (12-29..01-03)"
        )
    return YearlyClosure((start.month, start.day), (end.month, end.day))


def _month_day(spec: str, text: str) -> date:
    try:
        return date.fromisoformat(f"2024-{text}")  # a leap year, so that 02-29 is a day
    except ValueError:
        raise ValueError(f"'{spec}': {text} is not a day of the year (MM-DD)") from None


def _dated(spec: str, first: str, last: str) -> DatedClosure:
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        raise ValueError(f"'{spec}' is not a real date (YYYY-MM-DD)") from None
    if end < start:
        raise ValueError(f"'{spec}' ends before it starts")
    return DatedClosure(start, end)


class BusinessCalendar:
    """Which days an office works, and periods counted over them."""

    def __init__(self, closures: Iterable[Closure] = ()) -> None:
        self.closures = tuple(closures)
        self._closed_by_year: dict[int, frozenset[date]] = {}

    @classmethod
    def from_spec(cls, text: str | None) -> BusinessCalendar:
        """The calendar with the closures ``text`` lists; None: the year-end closure alone."""
        return cls(parse_closures(DEFAULT_CLOSURES if text is None else text))

    def is_business_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._closed_in(day.year)

    def next_business_day(self, day: date) -> date:
        """The first business day after ``day``."""
        for offset in range(1, _LONGEST_CLOSED_RUN):
            candidate = day + timedelta(days=offset)
            if self.is_business_day(candidate):
                return candidate
        raise ValueError(f"no business day for {_LONGEST_CLOSED_RUN} days after {day}")

    def add_business_days(self, start: date, n: int) -> date:
        """The nth business day after ``start``; ``start`` itself does not count."""
        if n < 0:
            raise ValueError(f"cannot add {n} business days: count forwards from 0")
        day = start
        for _ in range(n):
            day = self.next_business_day(day)
        return day

    def business_days_between(self, a: date, b: date) -> int:
        """The business days after ``a`` up to and including ``b``; negative if b < a."""
        if b < a:
            return -self.business_days_between(b, a)
        days = (a + timedelta(days=k) for k in range(1, (b - a).days + 1))
        return sum(1 for day in days if self.is_business_day(day))

    def add(self, start: date, period: Period) -> date:
        """The last day of ``period`` counted from the day after ``start`` (初日不算入)."""
        if period.unit == "business_days":
            return self.add_business_days(start, period.amount)
        if period.unit == "days":
            return start + timedelta(days=period.amount)
        if period.unit == "weeks":
            return start + timedelta(weeks=period.amount)
        # 民法143条 with 初日不算入: the same day of the month as `start`, or the month's last
        # day where it has none (01-31 + 1 month = 02-28).
        return start + relativedelta(months=period.amount)

    def _closed_in(self, year: int) -> frozenset[date]:
        closed = self._closed_by_year.get(year)
        if closed is None:
            closed = self._closed_by_year[year] = self._closed_days(year)
        return closed

    def _closed_days(self, year: int) -> frozenset[date]:
        january_first = date(year, 1, 1)
        days = (january_first + timedelta(days=k) for k in range(366))
        closed = {d for d in days if d.year == year and any(c.covers(d) for c in self.closures)}
        return frozenset(holidays.country_holidays("JP", years=year)) | closed
