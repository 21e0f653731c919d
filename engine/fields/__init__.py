"""Field types. Importing this package registers every built-in type."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Union

from pydantic import Field

from engine.fields import choices, contact, dates, files, group, identity, numbers, text
from engine.fields.base import CleanContext, FieldBase, InputHints, InputPart, Invalid
from engine.fields.registry import FieldTypeRegistry, field_types, register

if TYPE_CHECKING:
    AnyField = FieldBase
else:
    # The union every `fields:` list validates against, chosen by `type:`. Built from the
    # registry at run time, which a static checker cannot follow.
    AnyField = Annotated[Union[tuple(field_types)], Field(discriminator="type")]  # noqa: UP007
group.GroupField.model_rebuild(_types_namespace={"AnyField": AnyField})

__all__ = [
    "AnyField",
    "CleanContext",
    "FieldBase",
    "FieldTypeRegistry",
    "InputHints",
    "InputPart",
    "Invalid",
    "choices",
    "contact",
    "dates",
    "field_types",
    "files",
    "identity",
    "numbers",
    "register",
    "text",
]
