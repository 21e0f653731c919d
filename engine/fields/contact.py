"""Where to reach the applicant: phone, postal_code, address."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from engine.definitions.types import Identifier
from engine.expressions.types import OBJECT, STRING, ExprType
from engine.fields.base import (
    CleanContext,
    FieldBase,
    InputHints,
    InputPart,
    Invalid,
    has_control_characters,
    raw_mapping,
    raw_text,
    strip_spaces,
)
from engine.fields.registry import register
from engine.japanese.identifiers import (
    format_phone,
    format_postal_code,
    normalize_phone,
    normalize_postal_code,
)
from engine.japanese.prefectures import prefecture_by_code, prefecture_by_name
from engine.text import LocalizedText


@register
class PhoneField(FieldBase):
    type: Literal["phone"]

    def clean(self, raw: Any, context: CleanContext) -> str:
        digits = normalize_phone(raw_text(raw))
        if digits is None:
            raise Invalid("invalid_phone")
        return digits

    def answer_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^0\d{9,10}$"}

    def display(self, value: Any, language: str) -> str:
        return format_phone(value)

    def input_hints(self) -> InputHints:
        return InputHints(
            "text", input_type="tel", inputmode="tel", autocomplete=self.autocomplete or "tel"
        )


@register
class PostalCodeField(FieldBase):
    type: Literal["postal_code"]
    fills: Identifier | None = None  # an address field that a known code pre-fills

    def clean(self, raw: Any, context: CleanContext) -> str:
        code = normalize_postal_code(raw_text(raw))
        if code is None:
            raise Invalid("invalid_postal_code")
        return code

    def answer_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^\d{7}$"}

    def display(self, value: Any, language: str) -> str:
        return f"〒{format_postal_code(value)}"

    def input_hints(self) -> InputHints:
        return InputHints(
            "text",
            inputmode="numeric",
            autocomplete=self.autocomplete or "postal-code",
            max_length=8,
        )


_ADDRESS_PARTS = (
    InputPart("prefecture", LocalizedText(ja="都道府県", en="Prefecture"), "address-level1"),
    InputPart(
        "city", LocalizedText(ja="市区町村", en="City, ward, town or village"), "address-level2"
    ),
    InputPart(
        "street", LocalizedText(ja="町名・番地", en="Town and block number"), "address-line1"
    ),
    InputPart(
        "building",
        LocalizedText(ja="建物名・部屋番号", en="Building and room"),
        "address-line2",
        required=False,
    ),
)


@register
class AddressField(FieldBase):
    """A Japanese address in four parts; the prefecture is stored as its JIS X 0401 code."""

    type: Literal["address"]
    max_length: int = Field(default=100, ge=10, le=500)  # per part

    def value_type(self) -> ExprType:
        return OBJECT

    def part_types(self) -> dict[str, ExprType]:
        return {part.name: STRING for part in _ADDRESS_PARTS}

    def clean(self, raw: Any, context: CleanContext) -> dict[str, str]:
        parts = raw_mapping(raw)
        prefecture = _prefecture_code(parts.get("prefecture"))
        value = {"prefecture": prefecture}
        for part in _ADDRESS_PARTS[1:]:
            text = strip_spaces(raw_text(parts.get(part.name) or ""))
            if not text and part.required:
                raise Invalid("required_part", part=part.name)
            if has_control_characters(text):
                raise Invalid("invalid_characters", part=part.name)
            if len(text) > self.max_length:
                raise Invalid("too_long", part=part.name, max=self.max_length)
            value[part.name] = text
        return value

    def answer_schema(self) -> dict[str, Any]:
        text = {"type": "string", "maxLength": self.max_length}
        return {
            "type": "object",
            "properties": {
                "prefecture": {"type": "string", "pattern": r"^(0[1-9]|[1-3]\d|4[0-7])$"},
                "city": {**text, "minLength": 1},
                "street": {**text, "minLength": 1},
                "building": text,
            },
            "required": ["prefecture", "city", "street"],
            "additionalProperties": False,
        }

    def display(self, value: Any, language: str) -> str:
        prefecture = self.display_part(value, "prefecture", language)
        line = f"{prefecture}{value['city']}{value['street']}"
        return f"{line} {value['building']}" if value.get("building") else line

    def display_part(self, value: Any, part: str, language: str) -> str:
        if part == "prefecture":  # stored as its code: 13 is 東京都
            prefecture = prefecture_by_code(value["prefecture"])
            return prefecture.ja if prefecture else value["prefecture"]
        return super().display_part(value, part, language)

    def input_hints(self) -> InputHints:
        return InputHints("address", autocomplete=self.autocomplete, parts=_ADDRESS_PARTS)


def _prefecture_code(raw: Any) -> str:
    text = strip_spaces(raw_text(raw or ""))
    if not text:
        raise Invalid("required_part", part="prefecture")
    prefecture = prefecture_by_code(text.zfill(2)) or prefecture_by_name(text)
    if prefecture is None:
        raise Invalid("invalid_prefecture", part="prefecture")
    return prefecture.code
