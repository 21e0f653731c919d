"""The JSON Schema of the definition language, for editors' completion and inline errors."""

from __future__ import annotations

from typing import Any

from engine.definitions.models import Definition

SCHEMA_ID = "https://madoguchi.example/schema/definition.json"


def language_schema() -> dict[str, Any]:
    schema = Definition.model_json_schema(by_alias=True, mode="validation")
    return {
        **schema,
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Madoguchi procedure definition",
    }
