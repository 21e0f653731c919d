from __future__ import annotations

from datetime import date
from typing import Any

from engine.answers import unflatten, validate_answers
from engine.definitions.models import Definition
from tests.conftest import TODAY, childcare_answers


def errors_of(definition: Definition, raw: dict[str, Any], **kwargs: Any) -> dict[str, str]:
    result = validate_answers(definition, raw, today=TODAY, **kwargs)
    return {error.path: error.code for error in result.errors}


def test_complete_answers_are_normalised(childcare: Definition) -> None:
    result = validate_answers(childcare, childcare_answers(), today=TODAY)
    assert result.ok, result.errors
    answers = result.answers
    assert answers["name"]["family"] == "髙橋"  # never normalised
    assert answers["name"]["family_kana"] == "タカハシ"
    assert answers["birth_date"] == date(1990, 4, 1)
    assert answers["postal_code"] == "1638001"
    assert answers["phone"] == "0353211111"
    assert answers["my_number"] == "123456789018"
    assert answers["monthly_hours"] == 160
    assert answers["children"][0]["name"]["given_kana"] == "ヨシノ"
    assert "email" not in answers  # optional and blank


def test_answers_to_hidden_fields_are_dropped(childcare: Definition) -> None:
    raw = childcare_answers() | {"reason": "seeking"}
    answers = validate_answers(childcare, raw, today=TODAY).answers
    assert "monthly_hours" not in answers
    assert "employment_proof" in answers  # shown, merely optional unless employed
    assert "support_details" not in answers["children"][0]


def test_hidden_fields_are_not_required(childcare: Definition) -> None:
    raw = childcare_answers() | {"reason": "illness", "monthly_hours": "", "employment_proof": []}
    assert validate_answers(childcare, raw, today=TODAY).ok


def test_every_error_is_reported_at_its_path(childcare: Definition) -> None:
    raw = childcare_answers()
    raw["birth_date"] = "令和9年1月1日"  # in the future
    raw["children"].append({"name": {"family": "髙橋"}, "birth_date": "", "needs_support": "yes"})
    raw["monthly_hours"] = "10"
    raw["agree"] = ""
    assert errors_of(childcare, raw) == {
        "birth_date": "date_too_late",
        "children[1].name.given": "required_part",
        "children[1].birth_date": "required",
        "children[1].support_details": "required",
        "monthly_hours": "too_small",
        "agree": "not_declared",
    }


def test_messages_name_the_field_and_the_item(childcare: Definition) -> None:
    raw = childcare_answers()
    raw["children"].append({**raw["children"][0], "birth_date": ""})
    (error,) = validate_answers(childcare, raw, today=TODAY).errors
    assert error.path == "children[1].birth_date"
    assert error.message.ja == "お子さん（2）の生年月日を入力してください"
    assert error.message.en == "Enter date of birth (Child 2)"
    assert error.page == "children"


def test_required_if_follows_the_answer_it_depends_on(childcare: Definition) -> None:
    raw = childcare_answers() | {"employment_proof": []}
    assert errors_of(childcare, raw) == {"employment_proof": "required_file"}


def test_cross_field_checks_run_after_fields(childcare: Definition) -> None:
    raw = childcare_answers() | {"reason": "seeking"}
    raw["children"] = raw["children"] * 4
    result = validate_answers(childcare, raw, today=TODAY)
    assert [(e.path, e.code) for e in result.errors] == [("", "check_1")]
    assert result.errors[0].message.ja == "求職中の場合、申込は3人までです。"
    raw["children"][3] = {}  # a field error: checks wait until every field is valid
    assert "" not in errors_of(childcare, raw)


def test_repeat_bounds(childcare: Definition) -> None:
    raw = childcare_answers()
    assert errors_of(childcare, raw | {"children": []}) == {"children": "too_few_items"}
    six = raw["children"] * 6
    assert errors_of(childcare, raw | {"children": six})["children"] == "too_many_items"


def test_one_page_reports_only_its_own_errors(childcare: Definition) -> None:
    raw = childcare_answers() | {"phone": "12", "monthly_hours": "1"}
    assert errors_of(childcare, raw, pages=["work"]) == {"monthly_hours": "too_small"}


def test_answers_of_the_wrong_shape_are_errors_not_crashes(childcare: Definition) -> None:
    raw = childcare_answers() | {"name": "髙橋花子", "children": "two", "monthly_hours": [1]}
    assert errors_of(childcare, raw) == {
        "name": "wrong_shape",
        "children": "wrong_shape",
        "monthly_hours": "wrong_shape",
    }


def test_unknown_answers_are_ignored(childcare: Definition) -> None:
    result = validate_answers(childcare, childcare_answers() | {"admin": "yes"}, today=TODAY)
    assert result.ok
    assert "admin" not in result.answers


def test_form_posts_become_nested_answers() -> None:
    pairs = [
        ("csrf_token", "x"),
        ("name.family", "山田"),
        ("children[1].name.family", "山田"),
        ("children[0].needs_support", "no"),
        ("services", "a"),
        ("services", "b"),
        ("children[999].name", "ignored: beyond any repeat"),
        ("__proto__", "ignored"),
    ]
    assert unflatten(pairs) == {
        "csrf_token": "x",
        "name": {"family": "山田"},
        "children": [{"needs_support": "no"}, {"name": {"family": "山田"}}],
        "services": ["a", "b"],
    }


def test_conditions_can_read_the_parts_of_an_address() -> None:
    from engine.definitions.loader import parse_definition  # noqa: PLC0415

    text = """
procedure: parts
version: 1
title: 部分
department: kodomo-katei
submitters: citizen
roles: [clerk]
pages:
  - id: main
    title: 本体
    fields:
      - {id: address, type: address, label: 住所}
      - {id: outside_reason, type: text, label: 区外の理由, show_if: address.prefecture != "13"}
workflow:
  start: received
  states:
    received: {label: 受付}
    done: {label: 完了, final: true}
  transitions:
    - {action: finish, from: received, to: done, by: clerk}
"""
    definition = parse_definition(text).definition
    tokyo = {"prefecture": "東京都", "city": "新宿区", "street": "西新宿2-8-1"}
    osaka = tokyo | {"prefecture": "27"}
    assert errors_of(definition, {"address": tokyo}) == {}
    assert errors_of(definition, {"address": osaka}) == {"outside_reason": "required"}


def test_visible_paths_follow_the_answers(childcare: Definition) -> None:
    raw = childcare_answers()
    raw["children"][0]["needs_support"] = "yes"
    visible = validate_answers(childcare, raw, today=TODAY).visible
    assert {"monthly_hours", "children[0].support_details", "children[0].name"} <= visible
    raw["reason"] = "seeking"
    raw["children"][0]["needs_support"] = "no"
    hidden = validate_answers(childcare, raw, today=TODAY).visible
    assert "monthly_hours" not in hidden
    assert "children[0].support_details" not in hidden


def test_items_are_added_and_removed_by_path() -> None:
    from engine.answers.items import add_item, remove_item  # noqa: PLC0415

    raw = {"children": [{"name": "a"}, {"name": "b"}], "other": "x"}
    assert add_item(raw, "children")["children"] == [{"name": "a"}, {"name": "b"}, {}]
    assert remove_item(raw, "children[0]")["children"] == [{"name": "b"}]
    assert add_item({}, "children") == {"children": [{}]}
    nested = {"children": [{"vaccines": [{"kind": "bcg"}]}]}
    assert add_item(nested, "children[0].vaccines")["children"][0]["vaccines"] == [
        {"kind": "bcg"},
        {},
    ]
    assert remove_item(raw, "children[7]") == raw  # nothing there: unchanged
    assert add_item(raw, "other") == raw  # not a list: unchanged
    assert raw["children"] == [{"name": "a"}, {"name": "b"}]  # the input is never changed


def test_put_at_builds_the_path(childcare: Definition) -> None:
    from engine.answers.items import put_at  # noqa: PLC0415

    assert put_at({}, "children[1].photo", [1]) == {"children": [{}, {"photo": [1]}]}
    assert put_at({"a": 1}, "b", 2) == {"a": 1, "b": 2}
    assert childcare.field_at("children[0].birth_date") is not None
    assert childcare.field_at("children[0].nothing") is None
