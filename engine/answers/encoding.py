"""Answers as JSON: what storage keeps and the API returns, and the schema it follows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from engine.definitions.models import Definition
from engine.fields import FieldBase
from engine.fields.group import GroupField


def to_jsonable(value: Any) -> Any:
    """Normalised answers with dates as ISO text and decimals as exact text."""
    if isinstance(value, dict):
        return {key: to_jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def from_jsonable(definition: Definition, answers: dict[str, Any]) -> dict[str, Any]:
    """Stored answers back as validation made them (dates as dates, decimals as Decimal)."""
    return _revive(list(definition.fields()), answers)


def _revive(fields: list[FieldBase], answers: dict[str, Any]) -> dict[str, Any]:
    revived = dict(answers)
    for spec in fields:
        value = answers.get(spec.id)
        if value is None:
            continue
        if isinstance(spec, GroupField):
            items = value if isinstance(value, list) else [value]
            children = [_revive(spec.fields, item) for item in items if isinstance(item, dict)]
            revived[spec.id] = children if isinstance(value, list) else children[0]
        else:
            revived[spec.id] = spec.from_json(value)
    return revived


def answers_schema(definition: Definition) -> dict[str, Any]:
    """JSON Schema of a procedure's normalised answers (as ``to_jsonable`` writes them).

    Nothing is required at this level: which answers must be present depends on conditions
    only the validator can evaluate."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": definition.title.get("en"),
        "type": "object",
        "properties": {spec.id: spec.answer_schema() for spec in definition.fields()},
        "additionalProperties": False,
    }
