"""The functions expressions may call: one table, each entry typed, implemented and documented.

Every implementation accepts null (and, defensively, values of the wrong shape) without
raising; the binder has already checked argument types against ``params``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from engine.expressions.types import BOOL, DATE, NUMBER, ExprType


@dataclass(frozen=True)
class Param:
    name: str
    accepts: Callable[[ExprType], bool]
    description: str  # completes "len() needs ...", e.g. "a list, files or text"


@dataclass(frozen=True)
class Function:
    """One callable function. ``doc`` maps a language code ("ja", "en") to a one-line help."""

    name: str
    params: tuple[Param, ...]
    returns: ExprType
    implementation: Callable[..., Any]
    doc: Mapping[str, str]
    uses_today: bool = False  # the implementation takes EvalContext.today first

    @property
    def signature(self) -> str:
        return f"{self.name}({', '.join(param.name for param in self.params)})"


def _sized(t: ExprType) -> bool:
    return t.kind in ("list", "files", "string")


def _date(t: ExprType) -> bool:
    return t.kind == "date"


def _list_of(kind: str) -> Callable[[ExprType], bool]:
    def accepts(t: ExprType) -> bool:
        item = t.item
        return t.kind == "list" and (item is None or item.kind in (kind, "any", "null"))

    return accepts


def _as_date(value: Any) -> date | None:
    # A datetime is a date too, but subtracting one from a date raises.
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _items(value: Any) -> list[Any] | tuple[Any, ...]:
    return value if isinstance(value, list | tuple) else ()


def _len(value: Any) -> int:
    try:
        return len(value)
    except TypeError:
        return 0


def _today(today: date) -> date:
    return today


def _years_between(start: Any, end: Any) -> int | None:
    first, last = _as_date(start), _as_date(end)
    if first is None or last is None:
        return None
    if last < first:
        return -_whole_years(last, first)
    return _whole_years(first, last)


def _whole_years(first: date, last: date) -> int:
    # Comparing (month, day) follows 年齢計算ニ関スル法律 with 民法 143: someone born on
    # 29 February becomes a year older on 1 March in common years, not on 28 February.
    years = last.year - first.year
    return years - 1 if (last.month, last.day) < (first.month, first.day) else years


def _age(today: date, born: Any) -> int | None:
    return _years_between(born, today)


def _days_between(start: Any, end: Any) -> int | None:
    first, last = _as_date(start), _as_date(end)
    return None if first is None or last is None else (last - first).days


def _any(values: Any) -> bool:
    return any(value is True for value in _items(values))


def _all(values: Any) -> bool:
    return all(value is True for value in _items(values) if value is not None)


def _count(values: Any) -> int:
    return sum(1 for value in _items(values) if value is True)


def _sum(values: Any) -> int | Decimal:
    total: int | Decimal = 0
    for value in _items(values):
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            total += value
    return total


_DATE = Param("date", _date, "a date")
_BOOLS = Param("list", _list_of("bool"), "a list of true/false values")

FUNCTIONS: Mapping[str, Function] = {
    function.name: function
    for function in (
        Function(
            "len",
            (Param("x", _sized, "a list, files or text"),),
            NUMBER,
            _len,
            {
                "ja": "リストの要素数、ファイルの数、または文字数（未回答は0）",
                "en": "Number of items in a list, of files, or of characters (0 when unanswered)",
            },
        ),
        Function(
            "today",
            (),
            DATE,
            _today,
            {"ja": "今日の日付", "en": "Today's date"},
            uses_today=True,
        ),
        Function(
            "age",
            (_DATE,),
            NUMBER,
            _age,
            {
                "ja": "日付から今日までの満年数（満年齢）",
                "en": "Whole years from a date until today (age in completed years)",
            },
            uses_today=True,
        ),
        Function(
            "any",
            (_BOOLS,),
            BOOL,
            _any,
            {
                "ja": "いずれかが真なら真（未回答は除く）",
                "en": "True if any value is true (unanswered values are skipped)",
            },
        ),
        Function(
            "all",
            (_BOOLS,),
            BOOL,
            _all,
            {
                "ja": "すべてが真なら真（未回答は除く、空なら真）",
                "en": "True if every value is true (unanswered skipped; true when empty)",
            },
        ),
        Function(
            "sum",
            (Param("list", _list_of("number"), "a list of numbers"),),
            NUMBER,
            _sum,
            {
                "ja": "数値の合計（未回答は除く）",
                "en": "Total of the numbers (unanswered values are skipped)",
            },
        ),
        Function(
            "count",
            (_BOOLS,),
            NUMBER,
            _count,
            {"ja": "真である値の数", "en": "How many values are true"},
        ),
        Function(
            "days_between",
            (Param("a", _date, "a date"), Param("b", _date, "a date")),
            NUMBER,
            _days_between,
            {"ja": "日付aから日付bまでの日数（b − a）", "en": "Days from date a to date b (b − a)"},
        ),
        Function(
            "years_between",
            (Param("a", _date, "a date"), Param("b", _date, "a date")),
            NUMBER,
            _years_between,
            {"ja": "日付aから日付bまでの満年数", "en": "Whole years from date a to date b"},
        ),
    )
}
