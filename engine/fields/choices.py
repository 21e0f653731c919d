"""Choosing: choice (one), choices (several), yes_no, declaration (must be ticked)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from engine.definitions.types import Slug
from engine.expressions.types import BOOL, ExprType, choice_of, list_of
from engine.fields.base import CleanContext, FieldBase, InputHints, Invalid
from engine.fields.registry import register
from engine.text import LocalizedText

Options = dict[Slug, LocalizedText]


class _WithOptions(FieldBase):
    blank_code = "required_choice"
    options: Options = Field(min_length=1, max_length=500)

    def _key(self, raw: Any) -> str:
        if not isinstance(raw, str) or raw not in self.options:
            raise Invalid("invalid_choice")
        return raw

    def display(self, value: Any, language: str) -> str:
        keys = value if isinstance(value, list) else [value]
        return "、".join(self.options[k].get(language) for k in keys if k in self.options)


@register
class ChoiceField(_WithOptions):
    type: Literal["choice"]
    # Radios suit a few options; a select suits many. The page renderer reads this.
    widget: Literal["radios", "select"] | None = None

    def value_type(self) -> ExprType:
        return choice_of(frozenset(self.options))

    def clean(self, raw: Any, context: CleanContext) -> str:
        return self._key(raw)

    def answer_schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.options)}

    def input_hints(self) -> InputHints:
        widget = self.widget or ("radios" if len(self.options) <= 7 else "select")
        return InputHints(widget, autocomplete=self.autocomplete)


@register
class ChoicesField(_WithOptions):
    type: Literal["choices"]
    min_choices: int | None = Field(default=None, ge=1)
    max_choices: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _bounds(self) -> ChoicesField:
        if self.max_choices is not None and self.max_choices > len(self.options):
            raise ValueError("max_choices is larger than the number of options")
        if self.min_choices and self.max_choices and self.min_choices > self.max_choices:
            raise ValueError("min_choices is greater than max_choices")
        return self

    def value_type(self) -> ExprType:
        return list_of(choice_of(frozenset(self.options)))

    def clean(self, raw: Any, context: CleanContext) -> list[str]:
        items = raw if isinstance(raw, list) else [raw]
        chosen = {self._key(item) for item in items if item not in (None, "")}
        if self.min_choices is not None and len(chosen) < self.min_choices:
            raise Invalid("too_few_choices", min=self.min_choices)
        if self.max_choices is not None and len(chosen) > self.max_choices:
            raise Invalid("too_many_choices", max=self.max_choices)
        return [key for key in self.options if key in chosen]  # in the author's order

    def answer_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "array",
            "items": {"type": "string", "enum": list(self.options)},
            "uniqueItems": True,
        }
        if self.min_choices is not None:
            schema["minItems"] = self.min_choices
        if self.max_choices is not None:
            schema["maxItems"] = self.max_choices
        return schema

    def input_hints(self) -> InputHints:
        return InputHints("checkboxes", autocomplete=self.autocomplete)


_YES = {"yes", "true", "1", "on", "はい"}
_NO = {"no", "false", "0", "off", "いいえ"}


@register
class YesNoField(FieldBase):
    blank_code = "required_choice"
    type: Literal["yes_no"]

    def value_type(self) -> ExprType:
        return BOOL

    def clean(self, raw: Any, context: CleanContext) -> bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _YES:
            return True
        if text in _NO:
            return False
        raise Invalid("invalid_choice")

    def answer_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}

    def display(self, value: Any, language: str) -> str:
        if language == "ja":
            return "はい" if value else "いいえ"
        return "Yes" if value else "No"

    def input_hints(self) -> InputHints:
        return InputHints("yes_no")


@register
class DeclarationField(FieldBase):
    """A statement the applicant must tick; it is always required."""

    blank_code = "not_declared"
    type: Literal["declaration"]
    required: Literal[True] = True

    def value_type(self) -> ExprType:
        return BOOL

    def is_blank(self, raw: Any) -> bool:
        return raw is False or super().is_blank(raw) or str(raw).strip().lower() in _NO

    def clean(self, raw: Any, context: CleanContext) -> bool:
        if raw is True or str(raw).strip().lower() in _YES:
            return True
        raise Invalid("not_declared")

    def answer_schema(self) -> dict[str, Any]:
        return {"const": True}

    def display(self, value: Any, language: str) -> str:
        return "同意済み" if language == "ja" else "Agreed"

    def input_hints(self) -> InputHints:
        return InputHints("checkbox")
