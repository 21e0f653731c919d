"""Inputs found by review and fuzzing that once crashed, hung or misled: each must now get
a clear answer."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from engine.answers import unflatten, validate_answers
from engine.definitions.loader import check_files, parse_definition
from engine.definitions.models import Definition
from engine.definitions.problems import DefinitionError
from tests.conftest import TODAY

HEAD = """procedure: hostile
version: 1
title: 試験
department: kodomo-katei
submitters: citizen
roles: [clerk]
"""
WORKFLOW = """workflow:
  start: received
  states:
    received: {label: 受付}
    done: {label: 完了, final: true}
  transitions:
    - {action: finish, from: received, to: done, by: clerk}
"""


def procedure(fields: str, extra: str = "") -> str:
    return f"{HEAD}pages:\n  - id: main\n    title: 本体\n    fields:\n{fields}{extra}{WORKFLOW}"


def definition(fields: str) -> Definition:
    return parse_definition(procedure(fields)).definition


def problems(text: str) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text)
    return [f"{p.line}:{p.column}: {p.message}" for p in caught.value.problems]


def codes(spec: Definition, raw: dict[str, Any]) -> dict[str, str]:
    return {e.path: e.code for e in validate_answers(spec, raw, today=TODAY).errors}


def test_a_huge_year_typed_in_parts_is_an_invalid_date() -> None:
    spec = definition("      - {id: a, type: date, label: A}\n")
    raw = unflatten([("a.year", "9" * 20), ("a.month", "1"), ("a.day", "1")])
    assert codes(spec, raw) == {"a": "invalid_date"}


def test_deep_and_repeated_form_names_are_cheap() -> None:
    assert unflatten([(".".join(["a"] * 500), "x")]) == {}
    started = time.perf_counter()
    assert len(unflatten([("a", "x")] * 100_000)["a"]) == 100_000
    assert time.perf_counter() - started < 2


def test_a_wareki_field_shows_dates_before_meiji_in_the_gregorian_calendar() -> None:
    spec = definition("      - {id: a, type: date, calendar: wareki, label: A}\n")
    field = spec.field("a")
    assert field is not None
    assert (
        field.display(validate_answers(spec, {"a": "1800-01-01"}, today=TODAY).answers["a"], "ja")
        == "1800年1月1日"
    )


def test_date_bounds_beyond_the_calendar_are_refused_or_harmless() -> None:
    assert any(
        "too far" in p
        for p in problems(
            procedure("      - {id: a, type: date, label: A, max: today + 9999 years}\n")
        )
    )
    spec = definition("      - {id: a, type: date, label: A, min: today - 200 years}\n")
    assert codes(spec, {"a": "2020-01-01"}) == {}


@pytest.mark.parametrize("field_type", ["text", "textarea"])
def test_lone_surrogates_are_invalid_characters(field_type: str) -> None:
    spec = definition(f"      - {{id: a, type: {field_type}, label: A}}\n")
    assert codes(spec, {"a": "ok\ud800"}) == {"a": "invalid_characters"}


@pytest.mark.parametrize("label", ["{n:>50000000}", "{n.__class__}", "{other}", "{n!r}", "{"])
def test_item_labels_may_only_use_n(label: str) -> None:
    fields = (
        "      - id: g\n        type: group\n        label: G\n        repeat: {max: 2}\n"
        f"        item_label: '{label}'\n        fields:\n"
        "          - {id: x, type: text, label: X}\n"
    )
    assert any("may only use {n}" in p for p in problems(procedure(fields)))


@pytest.mark.parametrize("junk", [0, False, [0], [None, 0], 0.0, "x"])
def test_a_file_answer_must_be_files(junk: object) -> None:
    spec = definition("      - {id: a, type: file, label: A}\n")
    assert codes(spec, {"a": junk}) == {"a": "wrong_shape"}


def test_deeply_nested_answers_are_refused_not_crashed() -> None:
    spec = definition("      - {id: a, type: text, label: A}\n")
    nested: Any = "x"
    for _ in range(600):
        nested = [nested]
    assert codes(spec, {"a": nested}) == {"a": "wrong_shape"}


def test_a_field_in_a_group_cannot_read_its_own_list() -> None:
    fields = (
        "      - id: kids\n        type: group\n        label: K\n        repeat: {max: 3}\n"
        "        fields:\n          - {id: note, type: text, label: N, show_if: len(kids) >= 2}\n"
    )
    assert any("cannot read the whole list 'kids'" in p for p in problems(procedure(fields)))


def test_two_bad_fields_far_apart_are_both_reported_and_the_rest_checked() -> None:
    fields = "".join(
        f"      - {{id: f{i}, type: {'txt' if i in (2, 10) else 'text'}, label: F}}\n"
        for i in range(11)
    )
    fields += "      - {id: last, type: text, label: L, show_if: nosuch == 1}\n"
    found = problems(procedure(fields))
    assert sum("unknown field type 'txt'" in p for p in found) == 2
    assert any("unknown field 'nosuch'" in p for p in found)


@pytest.mark.parametrize("value", ["null", "5", "true"])
def test_fields_of_the_wrong_type_do_not_crash_the_check(value: str) -> None:
    text = f"{HEAD}pages:\n  - id: main\n    title: 本体\n    fields: {value}\n{WORKFLOW}"
    assert problems(text)


def test_quadratic_definitions_are_bounded() -> None:
    roles = ", ".join(["ab"] * 60_000)
    started = time.perf_counter()
    problems(f"{HEAD.replace('roles: [clerk]', f'roles: [{roles}]')}pages: []\n{WORKFLOW}")
    assert time.perf_counter() - started < 5


def test_escaped_expressions_point_at_their_start() -> None:
    fields = (
        "      - {id: r, type: text, label: R}\n"
        '      - {id: a, type: text, label: A, show_if: "r == \\"a\\" and zz == 1"}\n'
    )
    (problem,) = problems(procedure(fields))
    assert problem.startswith("12:48:")  # the opening quote


def test_errors_about_a_key_point_at_the_key() -> None:
    fields = "      - {id: c, type: choice, label: C, options: {A: a}}\n"
    (problem,) = problems(procedure(fields))
    assert problem.startswith("11:51:")  # the A of {A: a}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("processing_period: 0 business days\n", "no time at all"),
        ("checks:\n  - {rule: 'false', message: x}\n", "always false"),
    ],
)
def test_settings_that_would_refuse_everything_are_refused(text: str, message: str) -> None:
    fields = "      - {id: a, type: text, label: A}\n"
    assert any(message in p for p in problems(procedure(fields, text)))


def test_an_automatic_transition_may_say_it_has_no_four_eyes() -> None:
    text = procedure("      - {id: a, type: text, label: A}\n").replace(
        "by: clerk}", "auto: true, four_eyes: false, comment: none}"
    )
    assert parse_definition(text).definition


def test_a_fifo_in_the_forms_folder_does_not_block(tmp_path: Path) -> None:
    import os  # noqa: PLC0415

    os.mkfifo(tmp_path / "x.yaml")
    (problem,) = check_files([tmp_path]).problems
    assert problem.message == "not a regular file"


def test_a_validation_result_never_shows_a_my_number() -> None:
    spec = definition("      - {id: m, type: my_number, label: M}\n")
    result = validate_answers(spec, {"m": "123456789018"}, today=TODAY)
    assert "123456789018" not in repr(result)
