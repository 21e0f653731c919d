"""Small value types of the definition language: identifiers, periods, sizes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

ProcedureId = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+([-_][a-z0-9]+)*$", max_length=64)]
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


_IDENTIFIER_SCHEMA = {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$"}

# Written as one name or a list of names: `from: received` or `from: [received, reviewing]`.
IdentifierList = Annotated[
    list[Identifier],
    BeforeValidator(_one_or_many),
    WithJsonSchema({"anyOf": [_IDENTIFIER_SCHEMA, {"type": "array", "items": _IDENTIFIER_SCHEMA}]}),
]

PeriodUnit = Literal["business_days", "days", "weeks", "months"]

_PERIOD = re.compile(
    r"^\s*(?P<amount>\d{1,4})\s*(?P<unit>business\s+days?|days?|weeks?|months?"
    r"|営業日|日|週間|か月|ヶ月|ケ月|カ月)\s*$"
)
# The same, for editors: JSON Schema patterns are ECMA-262 (no named groups).
_PERIOD_SCHEMA_PATTERN = (
    r"^\s*\d{1,4}\s*(business\s+days?|days?|weeks?|months?|営業日|日|週間|か月|ヶ月|ケ月|カ月)\s*$"
)
_PERIOD_UNITS: dict[str, PeriodUnit] = {
    "business day": "business_days",
    "business days": "business_days",
    "営業日": "business_days",
    "day": "days",
    "days": "days",
    "日": "days",
    "week": "weeks",
    "weeks": "weeks",
    "週間": "weeks",
    "month": "months",
    "months": "months",
    "か月": "months",
    "ヶ月": "months",
    "ケ月": "months",
    "カ月": "months",
}


_UNITS_JA: dict[PeriodUnit, str] = {
    "business_days": "営業日",
    "days": "日",
    "weeks": "週間",
    "months": "か月",
}


@dataclass(frozen=True)
class Period:
    """A length of time such as ``20 business days`` (also ``20営業日``) or ``30 days``."""

    amount: int
    unit: PeriodUnit

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PERIOD.match(text)
        if match is None:
            raise ValueError(
                f"'{text}' is not a period: write e.g. '20 business days', '30 days', "
                "'2 weeks' or '3 months'"
            )
        unit = _PERIOD_UNITS[" ".join(match["unit"].split())]
        if int(match["amount"]) == 0:
            raise ValueError(f"'{text}' is no time at all: a period is at least 1")
        return cls(int(match["amount"]), unit)

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.replace('_', ' ')}"

    def describe(self, language: str) -> str:
        """The period as a citizen reads it: 20営業日, 20 business days."""
        if language == "ja":
            return f"{self.amount}{_UNITS_JA[self.unit]}"
        return str(self)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            lambda value: value if isinstance(value, Period) else cls.parse(_text(value)),
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "pattern": _PERIOD_SCHEMA_PATTERN,
            "examples": ["20 business days", "30 days", "20営業日"],
        }


_SIZE = re.compile(r"^\s*(?P<amount>\d{1,6})\s*(?P<unit>B|KB|MB|GB|KiB|MiB|GiB)\s*$", re.I)
_SIZE_FACTORS = {"b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3}


@dataclass(frozen=True)
class ByteSize:
    """A file size such as ``10 MB``; KB, MB and GB are binary (1 MB = 1,048,576 bytes)."""

    bytes: int
    text: str

    @classmethod
    def parse(cls, value: str | int) -> ByteSize:
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return cls(value, f"{value} B")
        match = _SIZE.match(str(value))
        if match is None:
            raise ValueError(f"'{value}' is not a size: write e.g. '10 MB' or '500 KB'")
        factor = _SIZE_FACTORS[match["unit"].lower().replace("i", "")]
        if int(match["amount"]) == 0:
            raise ValueError(f"'{value}' would refuse every file: a size is at least 1")
        return cls(int(match["amount"]) * factor, f"{int(match['amount'])} {match['unit']}")

    def __str__(self) -> str:
        return self.text

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            lambda value: value if isinstance(value, ByteSize) else cls.parse(value),
            serialization=core_schema.plain_serializer_function_ser_schema(str),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        pattern = r"^\s*\d{1,6}\s*([bB]|[kKmMgG][iI]?[bB])\s*$"  # ECMA-262: no inline flags
        return {
            "anyOf": [{"type": "string", "pattern": pattern}, {"type": "integer", "minimum": 1}]
        }


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text such as '20 business days', got {value!r}")
    return value
