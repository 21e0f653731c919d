from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from engine.fields import AnyField, CleanContext, FieldBase, Invalid
from tests.conftest import TODAY

_ADAPTER: TypeAdapter[Any] = TypeAdapter(AnyField)
CONTEXT = CleanContext(today=TODAY)


def make(type_name: str, **keys: Any) -> FieldBase:
    spec = {"id": "answer", "type": type_name, "label": {"ja": "回答", "en": "Answer"}, **keys}
    field: FieldBase = _ADAPTER.validate_python(spec)
    return field


def clean(field: FieldBase, raw: Any) -> Any:
    return field.clean(raw, CONTEXT)


def code_of(field: FieldBase, raw: Any) -> str:
    try:
        field.clean(raw, CONTEXT)
    except Invalid as invalid:
        return invalid.code
    raise AssertionError(f"{raw!r} was accepted")
