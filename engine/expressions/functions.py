"""What functions and operators do: the function table, each entry typed, implemented and
documented, and the run-time meaning of each operator.

Every implementation accepts null (and, defensively, values of the wrong shape) and returns
a value rather than raising: a condition must never crash a form. The binder has already
checked types, so these guards cost nothing on well-formed answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
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


# Operators.


def equal(left: Any, right: Any) -> bool:
    if left is None or right is None or isinstance(left, bool) or isinstance(right, bool):
        return left is right  # true is not 1, and null equals only null
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return len(left) == len(right) and all(map(equal, left, right))
    return bool(left == right)


def contains(value: Any, values: Any) -> bool:
    if not isinstance(values, list | tuple):
        return False  # x in null is false
    if isinstance(value, str):
        return value in values
    return any(equal(value, item) for item in values)


def ordered(test: Callable[[Any, Any], bool], left: Any, right: Any) -> bool:
    if left is None or right is None:
        return False
    try:
        return test(left, right)
    except TypeError:  # e.g. a datetime answer against a date: not comparable
        return False


def not_(value: Any) -> bool:
    return value is not True


def negate(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return None
    try:
        return -value
    except TypeError:
        return None


def _numeric(apply: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """``apply`` for numbers and dates only; null, text or an overflow give null."""

    def safely(left: Any, right: Any) -> Any:
        if not isinstance(left, _OPERANDS) or not isinstance(right, _OPERANDS):
            return None
        if isinstance(left, bool) or isinstance(right, bool):
            return None
        try:
            return apply(left, right)
        except (ArithmeticError, TypeError, ValueError):
            return None

    return safely


_OPERANDS = (int, Decimal, float, date)


def _shift(day: date, days: Any) -> date | None:
    if isinstance(days, date) or days != int(days):
        return None  # only whole days move a date
    return day + timedelta(days=int(days))


def _add(left: Any, right: Any) -> Any:
    if isinstance(left, date):
        return _shift(left, right)
    return _shift(right, left) if isinstance(right, date) else left + right


def _subtract(left: Any, right: Any) -> Any:
    if isinstance(left, date):
        return _shift(left, -right) if not isinstance(right, date) else None
    return left - right


def _multiply(left: Any, right: Any) -> Any:
    return None if isinstance(left, date) or isinstance(right, date) else left * right


def _divide(left: Any, right: Any) -> Any:
    if isinstance(left, date) or isinstance(right, date) or right == 0:
        return None  # division by zero gives null
    return Decimal(left) / Decimal(right)


def _modulo(left: Any, right: Any) -> Any:
    if isinstance(left, date) or isinstance(right, date) or right == 0:
        return None
    if isinstance(left, int) and isinstance(right, int):
        return left % right
    # Decimal's % takes the dividend's sign; keep int's (the divisor's) for one rule.
    remainder = Decimal(left) % Decimal(right)
    return remainder + right if remainder and (remainder < 0) != (right < 0) else remainder


ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": _numeric(_add),
    "-": _numeric(_subtract),
    "*": _numeric(_multiply),
    "/": _numeric(_divide),
    "%": _numeric(_modulo),
}
