"""Numbers: integer, decimal, money (JPY). Full-width digits are accepted."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from engine.expressions.types import NUMBER, ExprType
from engine.fields.base import CleanContext, FieldBase, InputHints, Invalid, raw_text
from engine.fields.registry import register
from engine.japanese.numerals import (
    normalize_numeric,
    parse_amount,
    parse_decimal,
    parse_integer,
)
from engine.text import LocalizedText


def _number(value: Any) -> Decimal:
    # YAML gives ints and floats; a float goes through its shortest text so 0.1 stays 0.1.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    raise ValueError(f"expected a number, got {value!r}")


Number = Annotated[Decimal, BeforeValidator(_number)]


class _Bounded(FieldBase):
    min: Number | None = None
    max: Number | None = None
    unit: LocalizedText | None = None  # shown after the input: 時間, 人, 円

    @model_validator(mode="after")
    def _min_not_above_max(self) -> _Bounded:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        return self

    def value_type(self) -> ExprType:
        return NUMBER

    def _check_range(self, value: Decimal | int) -> None:
        if self.min is not None and value < self.min:
            raise Invalid("too_small", min=_plain(self.min))
        if self.max is not None and value > self.max:
            raise Invalid("too_large", max=_plain(self.max))
        # Beyond what JSON numbers carry exactly: no count or amount is this large.
        if not -LARGEST <= value <= LARGEST:
            raise Invalid("too_large" if value > 0 else "too_small", max=LARGEST, min=-LARGEST)

    def _out_of_range(self, text: str) -> Invalid | None:
        """For digits too many to convert at all, the range error they deserve."""
        digits = normalize_numeric(text).replace(",", "")
        if not re.fullmatch(r"-?\d{16,}", digits):
            return None
        if digits.startswith("-"):
            return Invalid("too_small", min=_plain(self.min) if self.min is not None else -LARGEST)
        return Invalid("too_large", max=_plain(self.max) if self.max is not None else LARGEST)

    def _bounds_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {}
        if self.min is not None:
            schema["minimum"] = _plain(self.min)
        if self.max is not None:
            schema["maximum"] = _plain(self.max)
        return schema

    def display(self, value: Any, language: str) -> str:
        text = f"{value:,}"
        return f"{text} {self.unit.get(language)}" if self.unit else text


LARGEST = 10**15 - 1


def _plain(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def _integer_input(raw: Any) -> int | None:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    return parse_integer(raw_text(raw))


@register
class IntegerField(_Bounded):
    type: Literal["integer"]

    def clean(self, raw: Any, context: CleanContext) -> int:
        value = _integer_input(raw)
        if value is None:
            raise self._out_of_range(raw_text(raw)) or Invalid("not_integer")
        self._check_range(value)
        return value

    def answer_schema(self) -> dict[str, Any]:
        return {"type": "integer", **self._bounds_schema()}

    def input_hints(self) -> InputHints:
        return InputHints("number", inputmode="numeric", autocomplete=self.autocomplete)


@register
class DecimalField(_Bounded):
    type: Literal["decimal"]
    places: int = Field(default=2, ge=0, le=10)

    def clean(self, raw: Any, context: CleanContext) -> Decimal:
        if isinstance(raw, float):
            raw = repr(raw)
        value = parse_decimal(raw_text(raw))
        if value is None:
            raise Invalid("not_decimal")
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.places:
            raise Invalid("too_many_places", places=self.places)
        self._check_range(value)
        return value

    def from_json(self, value: Any) -> Any:
        return Decimal(value) if isinstance(value, str) else value

    def answer_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^-?\d+(\.\d+)?$", **self._bounds_schema()}

    def input_hints(self) -> InputHints:
        return InputHints("number", inputmode="decimal", autocomplete=self.autocomplete)


@register
class MoneyField(_Bounded):
    type: Literal["money"]
    min: Number | None = Decimal(0)

    def clean(self, raw: Any, context: CleanContext) -> int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            value: int | None = raw
        else:
            value = parse_amount(raw_text(raw))
        if value is None:
            raise self._out_of_range(raw_text(raw)) or Invalid("not_amount")
        self._check_range(value)
        return value

    def answer_schema(self) -> dict[str, Any]:
        return {"type": "integer", **self._bounds_schema()}

    def display(self, value: Any, language: str) -> str:
        return f"{value:,}円" if language == "ja" else f"¥{value:,}"

    def input_hints(self) -> InputHints:
        return InputHints("number", inputmode="numeric", autocomplete=self.autocomplete)
