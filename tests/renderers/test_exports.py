"""Exports of a clerk's queue: what a clerk opening the CSV or XLSX in a spreadsheet finds."""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.escape import unescape

from engine.answers import to_jsonable, validate_answers
from engine.definitions.loader import parse_definition
from engine.definitions.models import Definition
from renderers.exports import (
    ExportRow,
    csv_chunks,
    export_columns,
    sheet_name,
    write_xlsx,
)
from tests.conftest import TODAY, childcare_answers

JST = timezone(timedelta(hours=9))
SUBMITTED = datetime(2026, 11, 26, 10, 15, tzinfo=JST)
MY_NUMBER = "123456789018"
DANGEROUS = ["=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", " =1+1", "\u3000=1+1"]


def stored_childcare(definition: Definition, children: int) -> dict[str, Any]:
    """The reference answers with several children, validated and stored as JSON."""
    raw = childcare_answers()
    raw["children"] = [copy.deepcopy(raw["children"][0]) for _ in range(children)]
    if children > 1:
        raw["children"][1]["name"]["given"] = "二郎"
        raw["children"][1]["needs_support"] = "yes"
        raw["children"][1]["support_details"] = "食物アレルギー（卵）\n毎日の服薬"
    second_file = {"id": "upload-0002abcd", "name": "勤務表、11月.png", "media_type": "image/png"}
    raw["employment_proof"].append(raw["employment_proof"][0] | second_file)
    result = validate_answers(definition, raw, today=TODAY)
    assert result.errors == ()
    stored: dict[str, Any] = to_jsonable(result.answers)
    return stored


def row(answers: dict[str, Any], **changes: Any) -> ExportRow:
    values: dict[str, Any] = {
        "reference": "R2026-000123",
        "state": "審査中",
        "submitted_at": SUBMITTED,
        "due_date": date(2026, 12, 24),
        "assignee": "佐藤",
        "answers": answers,
    }
    return ExportRow(**(values | changes))


def read_csv(definition: Definition, rows: list[ExportRow], **options: Any) -> list[list[str]]:
    data = b"".join(csv_chunks(definition, rows, **({"language": "ja"} | options)))
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def read_xlsx(definition: Definition, rows: list[ExportRow], **options: Any) -> Any:
    target = io.BytesIO()
    write_xlsx(definition, rows, target, **({"language": "ja"} | options))
    return openpyxl.load_workbook(io.BytesIO(target.getvalue())).active


def by_path(table: list[list[Any]]) -> list[dict[str, Any]]:
    """Data rows as {path: value}, keyed by the first header row."""
    paths = table[0]
    return [dict(zip(paths, values, strict=True)) for values in table[2:]]


def sheet_table(sheet: Any) -> list[list[Any]]:
    # Control characters are written _x000D_, which Excel reads back and openpyxl does not.
    return [
        [unescape(value) if isinstance(value, str) else value for value in values]
        for values in sheet.iter_rows(values_only=True)
    ]


# The columns ------------------------------------------------------------------------------


def test_columns_follow_the_definition_with_every_possible_child(childcare: Definition) -> None:
    paths = [column.path for column in export_columns(childcare, language="ja")]
    child = [
        "name.family",
        "name.given",
        "name.family_kana",
        "name.given_kana",
        "birth_date",
        "needs_support",
        "support_details",
    ]
    assert paths == [
        "_reference",
        "_state",
        "_submitted_at",
        "_due_date",
        "_assignee",
        "name.family",
        "name.given",
        "name.family_kana",
        "name.given_kana",
        "birth_date",
        "postal_code",
        "address.prefecture",
        "address.city",
        "address.street",
        "address.building",
        "phone",
        "email",
        *[f"children.{n}.{path}" for n in range(1, 6) for path in child],  # repeat max: 5
        "reason",
        "monthly_hours",
        "employment_proof",
        "agree",
    ]


def test_labels_are_in_the_requested_language(childcare: Definition) -> None:
    ja = {column.path: column.label for column in export_columns(childcare, language="ja")}
    en = {column.path: column.label for column in export_columns(childcare, language="en")}
    assert ja["_reference"] == "受付番号"
    assert ja["address.prefecture"] == "住所（都道府県）"
    assert ja["children.2.name.family_kana"] == "お子さん（2） 氏名（セイ）"
    assert en["children.2.birth_date"] == "Child 2 Date of birth"
    assert en["name.given"] == "Full name: Given name"


def test_an_unknown_language_is_refused(childcare: Definition) -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        csv_chunks(childcare, [], language="fr")


def test_a_naive_submission_time_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        row({}, submitted_at=datetime(2026, 11, 26, 10, 15))


# CSV --------------------------------------------------------------------------------------


def test_csv_round_trip(childcare: Definition) -> None:
    answers = stored_childcare(childcare, 3)
    table = read_csv(childcare, [row(answers), row(answers, reference="R2026-000124")])
    assert table[1][:5] == ["受付番号", "状態", "申請日時", "処理期限", "担当者"]
    first, second = by_path(table)
    assert first["_reference"] == "R2026-000123"
    assert second["_reference"] == "R2026-000124"
    assert first["_submitted_at"] == "2026-11-26T10:15:00+09:00"
    assert first["_due_date"] == "2026-12-24"
    assert first["name.family"] == "髙橋"
    assert first["name.family_kana"] == "タカハシ"
    assert first["birth_date"] == "1990-04-01"  # a value: ISO, not the display's 平成2年
    assert first["postal_code"] == "〒163-8001"
    assert first["address.prefecture"] == "東京都"  # stored as 13
    assert first["address.building"] == ""
    assert first["phone"] == "03-5321-1111"
    assert first["children.1.name.given"] == "𠮷乃"
    assert first["children.2.name.given"] == "二郎"
    assert first["children.2.needs_support"] == "はい"
    assert first["children.2.support_details"] == "食物アレルギー（卵）\n毎日の服薬"
    assert first["children.3.birth_date"] == "2024-05-01"
    assert first["children.4.name.family"] == ""  # fewer children than the definition allows
    assert first["reason"] == "就労"
    assert first["monthly_hours"] == "160"
    assert first["employment_proof"] == "就労証明書.pdf; 勤務表、11月.png"
    assert first["agree"] == "同意済み"


def test_csv_is_utf8_with_a_bom_and_crlf_lines(childcare: Definition) -> None:
    data = b"".join(csv_chunks(childcare, [row(stored_childcare(childcare, 2))], language="ja"))
    assert data.startswith("\ufeff_reference,".encode())
    assert data.count(b"\r\n") == 3  # two header rows and one row
    assert '"食物アレルギー（卵）\n毎日の服薬"'.encode() in data  # the answer's own line break
    assert "髙橋,𠮷乃".encode() in data


def test_english_csv_displays_answers_in_english(childcare: Definition) -> None:
    (first,) = by_path(read_csv(childcare, [row(stored_childcare(childcare, 2))], language="en"))
    assert first["reason"] == "Working"
    assert first["children.2.needs_support"] == "Yes"
    assert first["agree"] == "Agreed"


def test_csv_streams_rows_as_they_are_read(childcare: Definition) -> None:
    answers = stored_childcare(childcare, 1)
    read = 0

    def rows() -> Iterator[ExportRow]:
        nonlocal read
        for number in range(10_000):
            read += 1
            yield row(answers, reference=f"R{number}")

    chunks = csv_chunks(childcare, rows(), language="ja")
    assert read == 0
    next(chunks)
    assert 0 < read < 10_000
    assert all(len(chunk) < 200_000 for chunk in chunks)
    assert read == 10_000


def test_sensitive_answers_are_left_out_unless_asked_for(childcare: Definition) -> None:
    answers = stored_childcare(childcare, 1)
    assert answers["my_number"] == MY_NUMBER
    left_out = b"".join(csv_chunks(childcare, [row(answers)], language="ja"))
    assert b"my_number" not in left_out
    assert b"5678" not in left_out
    (included,) = by_path(read_csv(childcare, [row(answers)], include_sensitive=True))
    assert included["my_number"] == "1234 5678 9018"
    columns = [c.path for c in export_columns(childcare, language="ja", include_sensitive=True)]
    assert columns.index("my_number") == columns.index("email") + 1


@pytest.mark.parametrize("text", DANGEROUS)
def test_csv_neutralises_formulas(childcare: Definition, text: str) -> None:
    answers = stored_childcare(childcare, 2)
    answers["children"][1]["support_details"] = text
    answers["address"]["street"] = text
    answers["employment_proof"][0]["name"] = text
    (first,) = by_path(read_csv(childcare, [row(answers, assignee=text, state=text)]))
    for path in (
        "_assignee",
        "_state",
        "address.street",
        "children.2.support_details",
        "employment_proof",
    ):
        assert first[path].startswith("'" + text), path


@pytest.mark.parametrize("text", ["1+1", "＝1+1", "'=1+1", "a=1", "", "髙橋-1"])
def test_csv_leaves_harmless_text_alone(childcare: Definition, text: str) -> None:
    (first,) = by_path(read_csv(childcare, [row(stored_childcare(childcare, 1), assignee=text)]))
    assert first["_assignee"] == text


_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=50)


@given(text=_TEXT)
def test_any_text_survives_a_csv_round_trip(childcare: Definition, text: str) -> None:
    answers = stored_childcare(childcare, 2)
    answers["children"][1]["support_details"] = text
    (first,) = by_path(read_csv(childcare, [row(answers, assignee=text)]))
    formula = text[:1] in ("\t", "\r") or text.lstrip()[:1] in ("=", "+", "-", "@")
    expected = "'" + text if formula else text
    assert first["_assignee"] == expected
    assert first["children.2.support_details"] == expected


# XLSX -------------------------------------------------------------------------------------


def test_xlsx_round_trip(childcare: Definition) -> None:
    answers = stored_childcare(childcare, 3)
    sheet = read_xlsx(childcare, [row(answers), row(answers, due_date=None, assignee=None)])
    table = sheet_table(sheet)
    assert table[0][:3] == ["_reference", "_state", "_submitted_at"]
    assert table[1][:6] == ["受付番号", "状態", "申請日時", "処理期限", "担当者", "氏名（姓）"]
    first, second = by_path(table)
    assert first["_submitted_at"] == datetime(2026, 11, 26, 10, 15)  # the wall time in JST
    assert first["_due_date"] == datetime(2026, 12, 24)
    assert second["_due_date"] is None
    assert second["_assignee"] is None
    assert first["birth_date"] == datetime(1990, 4, 1)  # a real date cell
    assert first["monthly_hours"] == 160  # a number cell
    assert first["address.prefecture"] == "東京都"
    assert first["children.1.name.given"] == "𠮷乃"
    assert first["children.2.support_details"] == "食物アレルギー（卵）\n毎日の服薬"
    assert first["children.4.name.family"] is None
    assert first["employment_proof"] == "就労証明書.pdf; 勤務表、11月.png"
    assert "my_number" not in table[0]


def test_xlsx_is_ready_to_filter(childcare: Definition) -> None:
    sheet = read_xlsx(childcare, [row(stored_childcare(childcare, 1))] * 3, language="en")
    columns = len(export_columns(childcare, language="en"))
    assert sheet.title == "Application for a childcare pla"  # Excel's 31 characters
    assert sheet.freeze_panes == "B3"  # both header rows and the reference stay in view
    assert sheet.auto_filter.ref == f"A2:{get_column_letter(columns)}5"
    assert sheet.column_dimensions["A"].width >= 10
    assert sheet.cell(2, 1).font.bold


def test_xlsx_keeps_the_sensitive_answer_on_request(childcare: Definition) -> None:
    sheet = read_xlsx(childcare, [row(stored_childcare(childcare, 1))], include_sensitive=True)
    (first,) = by_path(sheet_table(sheet))
    assert first["my_number"] == "1234 5678 9018"


@pytest.mark.parametrize("text", DANGEROUS)
def test_xlsx_neutralises_formulas(childcare: Definition, text: str) -> None:
    answers = stored_childcare(childcare, 2)
    answers["children"][1]["support_details"] = text
    (first,) = by_path(sheet_table(read_xlsx(childcare, [row(answers, assignee=text)])))
    assert first["_assignee"] == "'" + text
    assert first["children.2.support_details"] == "'" + text


TYPES = """
procedure: export-types
version: 1
title: "帳票: [試験]/*用*? の　とても長い手続の名前です"
department: test
submitters: anyone
roles: [clerk]
pages:
  - id: only
    title: 項目
    fields:
      - {id: balance, type: integer, min: -1000, label: 残高}
      - {id: rate, type: decimal, places: 2, label: 率}
      - {id: fee, type: money, label: 手数料}
      - {id: founded, type: date, label: 設立日}
      - {id: company, type: corporate_number, label: 法人番号}
      - id: office
        type: group
        label: 事業所
        fields:
          - {id: town, type: text, label: 町名}
          - id: staff
            type: group
            repeat: {max: 2}
            label: 職員
            fields:
              - {id: number, type: my_number, required: false, label: 個人番号}
              - {id: langs, type: choices, options: {ja: 日本語, en: 英語}, label: 言語}
workflow:
  start: received
  states:
    received: {label: 受付}
    done: {label: 完了, final: true}
  transitions:
    - {action: finish, from: received, to: done, by: clerk}
"""


@pytest.fixture(scope="module")
def types() -> Definition:
    return parse_definition(TYPES).definition


TYPES_ANSWERS = {
    "balance": -5,
    "rate": "-1.25",
    "fee": 18300,
    "founded": "1899-12-31",
    "company": "1234567890123",
    "office": {
        "town": "-1",
        "staff": [{"number": MY_NUMBER, "langs": ["ja", "en"]}, {"langs": ["en"]}],
    },
}


def test_groups_nest_and_sensitive_answers_inside_them_are_left_out(types: Definition) -> None:
    paths = [column.path for column in export_columns(types, language="ja")][5:]
    assert paths == [
        "balance",
        "rate",
        "fee",
        "founded",
        "company",
        "office.town",
        "office.staff.1.langs",
        "office.staff.2.langs",
    ]
    everything = export_columns(types, language="ja", include_sensitive=True)
    assert "office.staff.1.number" in [column.path for column in everything]
    labels = {column.path: column.label for column in everything}
    assert labels["office.staff.2.langs"] == "事業所 職員（2） 言語"


def test_numbers_are_not_taken_for_formulas(types: Definition) -> None:
    (in_csv,) = by_path(read_csv(types, [row(TYPES_ANSWERS)]))
    assert in_csv["balance"] == "-5"
    assert in_csv["rate"] == "-1.25"
    assert in_csv["fee"] == "18300"
    assert in_csv["company"] == "1234567890123"
    assert in_csv["office.town"] == "'-1"  # text that looks like a number is still text
    assert in_csv["office.staff.1.langs"] == "日本語、英語"
    (in_xlsx,) = by_path(sheet_table(read_xlsx(types, [row(TYPES_ANSWERS)])))
    assert in_xlsx["balance"] == -5
    assert in_xlsx["rate"] == pytest.approx(float(Decimal("-1.25")))
    assert in_xlsx["fee"] == 18300
    assert in_xlsx["company"] == "1234567890123"  # an identifier stays text
    assert in_xlsx["office.town"] == "'-1"


def test_a_date_excel_cannot_hold_is_written_as_text(types: Definition) -> None:
    (first,) = by_path(sheet_table(read_xlsx(types, [row(TYPES_ANSWERS)])))
    assert first["founded"] == "1899-12-31"


def test_a_sheet_is_named_as_excel_allows(types: Definition) -> None:
    sheet = read_xlsx(types, [])
    assert sheet.title == "帳票 試験用 の　とても長い手続の名前です"
    assert sheet_table(sheet)[1][0] == "受付番号"  # no rows: the headers all the same


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("'quoted'", "quoted"),
        ("History", "fallback"),
        ("[]:*?/\\", "fallback"),
        ("𠮷" * 20, "𠮷" * 15),  # two UTF-16 units each
        ("a" * 30 + "'b", "a" * 30),
    ],
)
def test_sheet_names(title: str, name: str) -> None:
    assert sheet_name(title, "fallback") == name


def test_text_longer_than_a_cell_is_cut_visibly(types: Definition) -> None:
    answers = {"office": {"town": "長" * 40_000}}
    (in_xlsx,) = by_path(sheet_table(read_xlsx(types, [row(answers)])))
    assert in_xlsx["office.town"] == "長" * 32_766 + "…"
    (in_csv,) = by_path(read_csv(types, [row(answers)]))
    assert in_csv["office.town"] == "長" * 40_000


def test_xlsx_holds_many_rows_in_constant_memory(childcare: Definition) -> None:
    answers = stored_childcare(childcare, 1)
    rows = (row(answers, reference=f"R{number}") for number in range(2_000))
    target = io.BytesIO()
    write_xlsx(childcare, rows, target, language="ja")
    sheet = openpyxl.load_workbook(io.BytesIO(target.getvalue()), read_only=True).active
    assert sheet is not None
    assert sheet.max_row == 2_002


def test_a_failure_while_reading_rows_reaches_the_caller(childcare: Definition) -> None:
    def rows() -> Iterator[ExportRow]:
        yield row(stored_childcare(childcare, 1))
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError, match="went away"):
        write_xlsx(childcare, rows(), io.BytesIO(), language="ja")
    with pytest.raises(RuntimeError, match="went away"):
        b"".join(csv_chunks(childcare, rows(), language="ja"))
