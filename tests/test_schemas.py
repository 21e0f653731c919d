"""The JSON Schemas Madoguchi publishes agree with what it accepts."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from engine.answers import answers_schema, from_jsonable, to_jsonable, validate_answers
from engine.definitions.loader import check_files
from engine.definitions.models import Definition
from engine.definitions.schema import language_schema as build_language_schema
from engine.definitions.yaml_source import read_yaml
from madoguchi.cli import main
from tests.conftest import FORMS, TODAY
from tests.strategies import answers_for

LOADED = check_files([FORMS]).loaded


@pytest.fixture(scope="module")
def language_schema() -> dict[str, object]:
    return build_language_schema()


def test_madoguchi_schema_prints_the_language_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    Draft202012Validator.check_schema(schema)
    assert schema["title"] == "Madoguchi procedure definition"


@pytest.mark.parametrize("loaded", LOADED, ids=lambda item: item.definition.procedure)
def test_every_demo_procedure_satisfies_the_language_schema(
    loaded: object, language_schema: dict[str, object]
) -> None:
    path = FORMS / f"{loaded.definition.procedure}.yaml"  # type: ignore[attr-defined]
    data, _ = read_yaml(path.read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(language_schema).iter_errors(data))
    assert errors == []


def test_the_schema_catches_an_unknown_key_for_editors(language_schema: dict[str, object]) -> None:
    data, _ = read_yaml((FORMS / "childcare-enrollment.yaml").read_text(encoding="utf-8"))
    data["pages"][0]["fields"][0]["lable"] = "typo"
    assert not Draft202012Validator(language_schema).is_valid(data)


@pytest.mark.parametrize("loaded", LOADED, ids=lambda item: item.definition.procedure)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_normalised_answers_follow_the_answer_schema(loaded: object, data: st.DataObject) -> None:
    definition: Definition = loaded.definition  # type: ignore[attr-defined]
    raw = data.draw(answers_for(list(definition.fields())))
    answers = to_jsonable(validate_answers(definition, raw, today=TODAY).answers)
    schema = answers_schema(definition)
    Draft202012Validator.check_schema(schema)
    assert list(Draft202012Validator(schema).iter_errors(answers)) == []


@pytest.mark.parametrize("loaded", LOADED, ids=lambda item: item.definition.procedure)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_answers_come_back_from_json_as_they_were(loaded: object, data: st.DataObject) -> None:
    definition: Definition = loaded.definition  # type: ignore[attr-defined]
    raw = data.draw(answers_for(list(definition.fields())))
    answers = validate_answers(definition, raw, today=TODAY).answers
    stored = json.loads(json.dumps(to_jsonable(answers)))
    assert from_jsonable(definition, stored) == answers
