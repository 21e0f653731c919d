"""The registry of field types: one class per ``type:`` value."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar, get_args

from engine.fields.base import FieldBase

F = TypeVar("F", bound=type[FieldBase])


class FieldTypeRegistry:
    """Field types by name. Tests build their own instead of changing the default one."""

    def __init__(self) -> None:
        self._types: dict[str, type[FieldBase]] = {}

    def register(self, cls: F) -> F:
        name = _type_name(cls)
        if name in self._types:
            raise ValueError(f"field type '{name}' is registered twice")
        cls.type_name = name
        self._types[name] = cls
        return cls

    def get(self, name: str) -> type[FieldBase] | None:
        return self._types.get(name)

    def names(self) -> list[str]:
        return list(self._types)

    def __iter__(self) -> Iterator[type[FieldBase]]:
        return iter(self._types.values())

    def __len__(self) -> int:
        return len(self._types)


def _type_name(cls: type[FieldBase]) -> str:
    annotation = cls.model_fields["type"].annotation
    args = get_args(annotation)
    if len(args) != 1 or not isinstance(args[0], str):
        raise TypeError(f"{cls.__name__}.type must be a Literal with one name")
    return args[0]


field_types = FieldTypeRegistry()
register = field_types.register
