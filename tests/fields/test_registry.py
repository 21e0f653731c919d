from __future__ import annotations

from typing import Literal

import pytest

from engine.fields import FieldBase, FieldTypeRegistry, field_types


def test_the_default_registry_has_every_type_the_language_promises() -> None:
    assert set(field_types.names()) == {
        "text", "textarea", "integer", "decimal", "money", "date", "email", "phone",
        "postal_code", "address", "choice", "choices", "yes_no", "person_name", "my_number",
        "corporate_number", "file", "declaration", "group",
    }  # fmt: skip


def test_a_type_name_cannot_be_registered_twice() -> None:
    registry = FieldTypeRegistry()

    class Colour(FieldBase):
        type: Literal["colour"]

    class OtherColour(FieldBase):
        type: Literal["colour"]

    registry.register(Colour)
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(OtherColour)
    assert registry.names() == ["colour"]
    assert field_types.get("colour") is None  # the default registry is untouched


def test_only_my_number_is_sensitive() -> None:
    assert [cls.type_name for cls in field_types if cls.sensitive] == ["my_number"]
