"""Groups of fields, optionally repeated (お子さん × 1–5); groups may nest."""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from engine.expressions.types import OBJECT, ExprType, list_of
from engine.fields.base import CleanContext, FieldBase, InputHints
from engine.fields.registry import register
from engine.text import LocalizedText

if TYPE_CHECKING:
    from engine.fields import AnyField


class Repeat(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    min: int = Field(default=0, ge=0, le=100)
    max: int = Field(default=10, ge=1, le=100)

    @model_validator(mode="after")
    def _min_not_above_max(self) -> Repeat:
        if self.min > self.max:
            raise ValueError(f"repeat min ({self.min}) is greater than max ({self.max})")
        return self


def _only_number_placeholder(text: str) -> bool:
    """Whether ``text`` uses no placeholder but a bare ``{n}`` (no format spec, no
    attribute access: ``{n.__class__}`` or ``{n:>99999999}`` would be refused)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return False
    return all(
        name in (None, "n") and not spec and not conversion for _, name, spec, conversion in parsed
    )


@register
class GroupField(FieldBase):
    type: Literal["group"]
    fields: list[AnyField] = Field(min_length=1, max_length=200)
    repeat: Repeat | None = None
    # How one item is named in messages and headings; {n} is its number (1, 2, ...).
    item_label: LocalizedText | None = None

    @model_validator(mode="after")
    def _keys_that_make_sense(self) -> GroupField:
        if self.model_fields_set & {"required", "required_if", "autocomplete"}:
            raise ValueError(
                "a group has no answer of its own: put required, required_if or autocomplete "
                "on the fields inside it (or repeat: {min: 1} to ask for at least one item)"
            )
        if self.item_label is not None:
            for text in (self.item_label.ja, self.item_label.en or ""):
                if not _only_number_placeholder(text):
                    raise ValueError(f"item_label '{text}' may only use {{n}}, the item's number")
        return self

    def value_type(self) -> ExprType:
        return list_of(OBJECT) if self.repeat else OBJECT

    def item_name(self, number: int) -> LocalizedText:
        if self.item_label is not None:
            return self.item_label.format(n=number)
        return LocalizedText(
            ja=f"{self.label.ja}（{number}）",
            en=f"{self.label.get('en')} {number}",
        )

    def clean(self, raw: Any, context: CleanContext) -> Any:
        # Items are validated field by field by the answer validator, which knows the scope.
        raise NotImplementedError("groups are validated by engine.answers")

    def answer_schema(self) -> dict[str, Any]:
        item = {
            "type": "object",
            "properties": {child.id: child.answer_schema() for child in self.fields},
            "additionalProperties": False,
        }
        if self.repeat is None:
            return item
        return {
            "type": "array",
            "items": item,
            "minItems": self.repeat.min,
            "maxItems": self.repeat.max,
        }

    def display(self, value: Any, language: str) -> str:
        count = len(value) if isinstance(value, list) else 1
        return f"{count}件" if language == "ja" else f"{count} item(s)"

    def input_hints(self) -> InputHints:
        return InputHints("group")
