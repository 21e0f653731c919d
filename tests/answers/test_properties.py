"""Properties over every definition in forms/: answers generated from a definition validate,
and leaving out any required answer fails exactly at that answer's path."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engine.answers import validate_answers
from engine.definitions.loader import check_files
from engine.definitions.models import Definition
from engine.fields import field_types
from tests.conftest import FORMS, TODAY
from tests.strategies import STRATEGIES, answers_for

DEFINITIONS = [loaded.definition for loaded in check_files([FORMS]).loaded]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_every_field_type_has_a_strategy() -> None:
    assert set(field_types.names()) == set(STRATEGIES)


def _raw(definition: Definition) -> st.SearchStrategy[dict[str, Any]]:
    return answers_for(list(definition.fields()))


def _always_required(definition: Definition) -> list[str]:
    return [
        spec.id
        for page in definition.pages
        if page.show_if is None
        for spec in page.fields
        if spec.required
        and spec.required_if is None
        and spec.show_if is None
        and spec.type_name != "group"
    ]


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.procedure)
@SETTINGS
@given(data=st.data())
def test_generated_answers_validate(definition: Definition, data: st.DataObject) -> None:
    raw = data.draw(_raw(definition))
    result = validate_answers(definition, raw, today=TODAY)
    check_codes = {check.code or f"check_{i + 1}" for i, check in enumerate(definition.checks)}
    field_errors = [error for error in result.errors if error.code not in check_codes]
    assert field_errors == []
    assume(result.ok)  # a cross-field check may reject a random combination; that is fine


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.procedure)
@SETTINGS
@given(data=st.data())
def test_a_missing_required_answer_fails_at_its_path(
    definition: Definition, data: st.DataObject
) -> None:
    raw = data.draw(_raw(definition))
    field_id = data.draw(st.sampled_from(_always_required(definition)))
    raw[field_id] = data.draw(st.sampled_from(["", None, "\u3000 "]))
    result = validate_answers(definition, raw, today=TODAY)
    spec = definition.field(field_id)
    assert spec is not None
    assert [(e.path, e.code) for e in result.errors] == [(field_id, spec.blank_code)]
    assert field_id not in result.answers
