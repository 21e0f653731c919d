"""Era (和暦) and Western dates: parsing what citizens type, formatting for documents."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from engine.japanese.numerals import normalize_numeric


@dataclass(frozen=True)
class Era:
    """A Japanese era: ``first_day`` is when it starts, ``last_day`` the last date that may
    still be written in it (None for the current era)."""

    kanji: str
    letter: str
    english: str
    first_day: date
    last_day: date | None
    # Gregorian year of the era's first year (元年), even when we start counting later.
    year_one: int


# 明治 is supported from 1873-01-01, when Japan adopted the Gregorian calendar; earlier
# 明治 dates were lunisolar and do not map day for day. The handover days 1912-07-30 and
# 1926-12-25 may be written in either era, so the outgoing era's last day overlaps.
ERAS: tuple[Era, ...] = (
    Era("明治", "M", "Meiji", date(1873, 1, 1), date(1912, 7, 30), 1868),
    Era("大正", "T", "Taisho", date(1912, 7, 30), date(1926, 12, 25), 1912),
    Era("昭和", "S", "Showa", date(1926, 12, 25), date(1989, 1, 7), 1926),
    Era("平成", "H", "Heisei", date(1989, 1, 8), date(2019, 4, 30), 1989),
    Era("令和", "R", "Reiwa", date(2019, 5, 1), None, 2019),
)

_ERA_BY_NAME = {era.kanji: era for era in ERAS} | {era.letter: era for era in ERAS}

_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_ERA_NAME = r"(?P<era>明治|大正|昭和|平成|令和|[MTSHR])"
_ERA_YEAR = r"(?P<year>元|[0-9]{1,2})"
_YEAR = r"(?P<year>[0-9]{4})"
# The same separator twice: "2025-11/26" is more likely a typo than a date.
_NUMERIC_TAIL = r"(?P<sep>[-/.])(?P<month>[0-9]{1,2})(?P=sep)(?P<day>[0-9]{1,2})"
_KANJI_TAIL = r"\s*年\s*(?P<month>[0-9]{1,2})\s*月\s*(?P<day>[0-9]{1,2})\s*日"

_GREGORIAN = (
    re.compile(_YEAR + _NUMERIC_TAIL),
    re.compile(r"(?:西暦\s*)?" + _YEAR + _KANJI_TAIL),
)
_WAREKI = (
    re.compile(_ERA_NAME + r"\s*" + _ERA_YEAR + _KANJI_TAIL),
    re.compile(_ERA_NAME + _ERA_YEAR + _NUMERIC_TAIL),
)


@dataclass(frozen=True)
class Wareki:
    """A year in an era, e.g. 令和 / R / Reiwa / 7."""

    era_kanji: str
    era_letter: str
    era_english: str
    year: int


def parse_date(text: str) -> date | None:
    """Parse an ISO, 年月日 or 和暦 date ("令和元年5月1日", "R7.11.26", "㋿7年11月26日");
    None if it is not a real date or lies outside its era."""
    # NFKC turns full-width digits and separators into ASCII and ㋿/㍻ into 令和/平成.
    normalized = normalize_numeric(text).upper()
    for pattern in _GREGORIAN:
        match = pattern.fullmatch(normalized)
        if match:
            return _make_date(int(match["year"]), int(match["month"]), int(match["day"]))
    for pattern in _WAREKI:
        match = pattern.fullmatch(normalized)
        if match:
            return _era_date(match)
    return None


def to_wareki(d: date) -> Wareki:
    """Return the era and era year of ``d`` (the new era on handover days); ValueError
    before 1873-01-01."""
    for era in reversed(ERAS):
        if d >= era.first_day:
            return Wareki(era.kanji, era.letter, era.english, d.year - era.year_one + 1)
    raise ValueError(f"和暦 is supported from {ERAS[0].first_day.isoformat()}, not {d}")


def format_wareki(d: date) -> str:
    """Format ``d`` as a 和暦 date such as "令和7年11月26日" (year one as 元年)."""
    wareki = to_wareki(d)
    year = "元" if wareki.year == 1 else str(wareki.year)
    return f"{wareki.era_kanji}{year}年{d.month}月{d.day}日"


def format_date(d: date, lang: str, calendar: str) -> str:
    """Format ``d`` for ``lang`` "ja" or "en" in the "wareki" or "gregorian" calendar.

    Dates before 和暦 support (1873) are written in the Gregorian calendar."""
    if calendar == "wareki" and d < ERAS[0].first_day:
        calendar = "gregorian"
    if lang == "ja" and calendar == "wareki":
        return format_wareki(d)
    if lang == "ja" and calendar == "gregorian":
        return f"{d.year}年{d.month}月{d.day}日"
    if lang == "en" and calendar in ("wareki", "gregorian"):
        # Month names are spelled out here because strftime("%B") follows the OS locale.
        english = f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"
        if calendar == "gregorian":
            return english
        wareki = to_wareki(d)
        return f"{english} ({wareki.era_english} {wareki.year})"
    raise ValueError(f"unsupported language {lang!r} or calendar {calendar!r}")


def _era_date(match: re.Match[str]) -> date | None:
    era = _ERA_BY_NAME[match["era"]]
    era_year = 1 if match["year"] == "元" else int(match["year"])
    if era_year < 1:
        return None
    d = _make_date(era.year_one + era_year - 1, int(match["month"]), int(match["day"]))
    if d is None or d < era.first_day:
        return None
    if era.last_day is not None and d > era.last_day:
        return None
    return d


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
