"""Dates, typed as ISO or 和暦 (令和7年11月26日, R7.11.26) or in year/month/day parts."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from engine.expressions.types import DATE, ExprType
from engine.fields.base import CleanContext, FieldBase, InputHints, InputPart, Invalid, raw_text
from engine.fields.registry import register
from engine.japanese.numerals import parse_integer
from engine.japanese.wareki import format_date, parse_date
from engine.text import LocalizedText

_RELATIVE = re.compile(r"^today\s*(?:(?P<sign>[+-])\s*(?P<n>\d{1,5})\s*(?P<unit>days?|years?))?$")
_MAX_RELATIVE = {"day": 36_600, "year": 200}  # a century of days, two of years


@dataclass(frozen=True)
class DateBound:
    """``today``, ``today - 18 years``, ``today + 30 days`` or a fixed ``2025-04-01``."""

    text: str

    @classmethod
    def parse(cls, value: Any) -> DateBound:
        if isinstance(value, date):
            return cls(value.isoformat())
        text = " ".join(str(value).split())
        relative = _RELATIVE.match(text)
        if relative is not None and relative["n"] is not None:
            unit = relative["unit"].rstrip("s")
            if int(relative["n"]) > _MAX_RELATIVE[unit]:
                raise ValueError(f"'{value}' is too far: at most {_MAX_RELATIVE[unit]} {unit}s")
        if relative is None:
            try:
                date.fromisoformat(text)
            except ValueError:
                raise ValueError(
                    f"'{value}' is not a date bound: write today, 'today - 18 years' "
                    "or a date like 2025-04-01"
                ) from None
        return cls(text)

    def resolve(self, today: date) -> date:
        try:
            return self._resolve(today)
        except (ValueError, OverflowError):
            # Beyond the calendar (year 1 or 9999): the bound allows anything.
            forward = "+" in self.text
            return date.max if forward else date.min

    def _resolve(self, today: date) -> date:
        match = _RELATIVE.match(self.text)
        if match is None:
            return date.fromisoformat(self.text)
        if match["sign"] is None:
            return today
        amount = int(match["n"]) * (1 if match["sign"] == "+" else -1)
        if match["unit"].startswith("day"):
            return today + timedelta(days=amount)
        year = today.year + amount
        return today.replace(year=year, day=min(today.day, monthrange(year, today.month)[1]))

    def __str__(self) -> str:
        return self.text

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            lambda value: value if isinstance(value, DateBound) else cls.parse(value),
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "examples": ["today", "today - 18 years", "2025-04-01"]}


_PARTS = (
    InputPart("year", LocalizedText(ja="年", en="Year"), inputmode="numeric", width=4),
    InputPart("month", LocalizedText(ja="月", en="Month"), inputmode="numeric", width=2),
    InputPart("day", LocalizedText(ja="日", en="Day"), inputmode="numeric", width=2),
)


@register
class DateField(FieldBase):
    type: Literal["date"]
    calendar: Literal["gregorian", "wareki"] = "gregorian"
    min: DateBound | None = None
    max: DateBound | None = None

    def value_type(self) -> ExprType:
        return DATE

    def clean(self, raw: Any, context: CleanContext) -> date:
        value = _from_parts(raw) if isinstance(raw, dict) else parse_date(raw_text(raw))
        if value is None:
            raise Invalid("invalid_date")
        if self.min is not None and value < (earliest := self.min.resolve(context.today)):
            raise Invalid("date_too_early", min=earliest)
        if self.max is not None and value > (latest := self.max.resolve(context.today)):
            raise Invalid("date_too_late", max=latest)
        return value

    def from_json(self, value: Any) -> Any:
        return date.fromisoformat(value) if isinstance(value, str) else value

    def answer_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date"}

    def display(self, value: Any, language: str) -> str:
        return format_date(value, language, self.calendar)

    def input_hints(self) -> InputHints:
        autocomplete = self.autocomplete
        parts: tuple[InputPart, ...] = _PARTS
        if autocomplete == "bday":
            parts = tuple(
                InputPart(p.name, p.label, f"bday-{p.name}", p.inputmode, p.width) for p in _PARTS
            )
        return InputHints("date", autocomplete=autocomplete, parts=parts)


def _from_parts(raw: dict[str, Any]) -> date | None:
    """Year, month and day typed into separate inputs; the year may be 和暦 (era + year)."""
    numbers = [_part_number(raw.get(name)) for name in ("year", "month", "day")]
    if any(n is None for n in numbers):
        return None
    year, month, day = (n for n in numbers if n is not None)
    era = raw.get("era")
    if era:
        return parse_date(f"{era}{year}年{month}月{day}日")
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def _part_number(raw: Any) -> int | None:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if not isinstance(raw, str):
        return None
    return parse_integer(raw)
