"""Who the applicant is: person_name (姓・名 and フリガナ), my_number, corporate_number."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

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
    mask_my_number,
    normalize_corporate_number,
    normalize_my_number,
)
from engine.japanese.kana import to_furigana
from engine.text import LocalizedText

_NAME_PARTS = (
    InputPart("family", LocalizedText(ja="姓", en="Family name"), "family-name", width=10),
    InputPart("given", LocalizedText(ja="名", en="Given name"), "given-name", width=10),
)
_KANA_PARTS = (
    InputPart("family_kana", LocalizedText(ja="セイ", en="Family name (furigana)"), width=10),
    InputPart("given_kana", LocalizedText(ja="メイ", en="Given name (furigana)"), width=10),
)


@register
class PersonNameField(FieldBase):
    """姓 and 名 kept exactly as typed (never normalised), with katakana furigana."""

    type: Literal["person_name"]
    furigana: bool = True
    max_length: int = Field(default=50, ge=1, le=200)  # per part

    def value_type(self) -> ExprType:
        return OBJECT

    def part_types(self) -> dict[str, ExprType]:
        return {part.name: STRING for part in self._parts()}

    def _parts(self) -> tuple[InputPart, ...]:
        return _NAME_PARTS + _KANA_PARTS if self.furigana else _NAME_PARTS

    def clean(self, raw: Any, context: CleanContext) -> dict[str, str]:
        given = raw_mapping(raw)
        value: dict[str, str] = {}
        for part in _NAME_PARTS:
            # Only the surrounding spaces go: NFKC would change some kanji (神 U+FA19).
            text = strip_spaces(raw_text(given.get(part.name) or ""))
            if not text:
                raise Invalid("required_part", part=part.name)
            if has_control_characters(text):
                raise Invalid("invalid_characters", part=part.name)
            if len(text) > self.max_length:
                raise Invalid("too_long", part=part.name, max=self.max_length)
            value[part.name] = text
        if self.furigana:
            for part in _KANA_PARTS:
                text = raw_text(given.get(part.name) or "")
                if not strip_spaces(text):
                    raise Invalid("required_part", part=part.name)
                if len(text) > self.max_length * 2:  # before converting: bound the work
                    raise Invalid("too_long", part=part.name, max=self.max_length)
                kana = to_furigana(text)
                if kana is None:
                    raise Invalid("furigana_katakana", part=part.name)
                if len(kana) > self.max_length:
                    raise Invalid("too_long", part=part.name, max=self.max_length)
                value[part.name] = kana
        return value

    def answer_schema(self) -> dict[str, Any]:
        names = [part.name for part in self._parts()]
        text = {"type": "string", "minLength": 1, "maxLength": self.max_length}
        return {
            "type": "object",
            "properties": dict.fromkeys(names, text),
            "required": names,
            "additionalProperties": False,
        }

    def display(self, value: Any, language: str) -> str:
        name = f"{value['family']} {value['given']}"
        if self.furigana and value.get("family_kana"):
            return f"{name}（{value['family_kana']} {value['given_kana']}）"
        return name

    def input_hints(self) -> InputHints:
        return InputHints("name", autocomplete=self.autocomplete, parts=self._parts())


@register
class MyNumberField(FieldBase):
    """個人番号: 12 digits with the official check digit. Its storage is restricted by law."""

    sensitive = True
    type: Literal["my_number"]

    def clean(self, raw: Any, context: CleanContext) -> str:
        digits = normalize_my_number(raw_text(raw))
        if digits is None:
            raise Invalid("invalid_my_number")
        return digits

    def answer_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^\d{12}$", "writeOnly": True}

    def display(self, value: Any, language: str) -> str:
        return f"{value[0:4]} {value[4:8]} {value[8:12]}"

    def mask(self, value: Any) -> str:
        return mask_my_number(value)

    def input_hints(self) -> InputHints:
        # No autocomplete: a browser should never remember someone's My Number.
        return InputHints("text", inputmode="numeric", autocomplete="off", max_length=14)


@register
class CorporateNumberField(FieldBase):
    """法人番号: 13 digits whose first digit checks the other twelve."""

    type: Literal["corporate_number"]

    def clean(self, raw: Any, context: CleanContext) -> str:
        digits = normalize_corporate_number(raw_text(raw))
        if digits is None:
            raise Invalid("invalid_corporate_number")
        return digits

    def answer_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^[1-9]\d{12}$"}

    def input_hints(self) -> InputHints:
        return InputHints(
            "text", inputmode="numeric", autocomplete=self.autocomplete, max_length=15
        )
