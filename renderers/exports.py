"""A clerk queue's submissions as a spreadsheet: CSV (streamed) and XLSX.

Columns are fixed by the definition version, never by the rows: the submission's own columns
(``_reference``, ``_state``, ``_submitted_at``, ``_due_date``, ``_assignee``; field paths never
start with ``_``), then one column per field in definition order. A composite field (a name,
an address) has a column per part (``name.family``); a repeated group has its ``repeat.max``
items numbered from 1 (``children.2.birth_date``), blank where a submission has fewer. So
every export of a version has the same columns, and rows are read once: a queue of any size
streams through.

Two header rows: the paths (stable, for programs) above the labels in the export's language
(for people). Numbers and dates are values (numeric and date cells in XLSX; plain digits and
ISO dates in CSV); every other answer is its field's display text, files their names joined
with "; ". Text a spreadsheet would run as a formula gets a leading apostrophe in both formats.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, NamedTuple

from engine.answers import from_jsonable
from engine.definitions.models import Definition
from engine.expressions.types import DATE, NUMBER
from engine.fields import FieldBase
from engine.fields.files import FileField
from engine.fields.group import GroupField
from engine.text import LANGUAGES, LocalizedText

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

Cell = str | int | Decimal | date | datetime | None
CellKind = Literal["text", "number", "date", "datetime"]


@dataclass(frozen=True)
class ExportRow:
    """One submission of the queue. ``state`` is its state's label in the export's language;
    ``answers`` are as storage keeps them (``to_jsonable``) or as validation made them, and
    answer the definition version being exported."""

    reference: str
    state: str
    submitted_at: datetime  # aware; written in the offset it carries (convert it beforehand)
    due_date: date | None
    assignee: str | None
    answers: Mapping[str, Any]

    def __post_init__(self) -> None:
        if self.submitted_at.utcoffset() is None:
            raise ValueError("submitted_at must be an aware datetime")


@dataclass(frozen=True)
class Column:
    """One column: its stable ``path``, its ``label`` and how a row fills it."""

    path: str
    label: str
    kind: CellKind
    read: Callable[[ExportRow, Mapping[str, Any]], Cell] = field(repr=False, compare=False)


class ExportTooLarge(Exception):  # noqa: N818 -- reads as `raise ExportTooLarge(...)`
    """The export does not fit in one XLSX sheet; CSV has no such limit."""


_SUBMISSION_LABELS = {
    "_reference": LocalizedText(ja="受付番号", en="Reference number"),
    "_state": LocalizedText(ja="状態", en="Status"),
    "_submitted_at": LocalizedText(ja="申請日時", en="Submitted"),
    "_due_date": LocalizedText(ja="処理期限", en="Due date"),
    "_assignee": LocalizedText(ja="担当者", en="Assignee"),
}


def export_columns(
    definition: Definition, *, language: str, include_sensitive: bool = False
) -> list[Column]:
    """The columns of an export of ``definition``; sensitive answers only on request."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; expected one of {LANGUAGES}")
    columns = _submission_columns(language)
    walk = _Walk(language, set() if include_sensitive else set(definition.sensitive_paths()))
    for spec in definition.fields():
        columns += walk.columns(spec, _Place((spec.id,), spec.id, spec.id, None))
    return columns


def _submission_columns(language: str) -> list[Column]:
    def label(path: str) -> str:
        return _SUBMISSION_LABELS[path].get(language)

    return [
        Column("_reference", label("_reference"), "text", lambda row, _: row.reference),
        Column("_state", label("_state"), "text", lambda row, _: row.state),
        Column(
            "_submitted_at", label("_submitted_at"), "datetime", lambda row, _: row.submitted_at
        ),
        Column("_due_date", label("_due_date"), "date", lambda row, _: row.due_date),
        Column("_assignee", label("_assignee"), "text", lambda row, _: row.assignee),
    ]


class _Place(NamedTuple):
    """Where an answer is: the keys and item indexes leading to it, its column path, its path
    as ``sensitive_paths`` names it (``children[].name``), and what its label follows."""

    steps: tuple[str | int, ...]
    path: str
    definition_path: str
    prefix: str | None

    def enter(self, field_id: str, prefix: str | None) -> _Place:
        return _Place(
            (*self.steps, field_id),
            f"{self.path}.{field_id}",
            f"{self.definition_path}.{field_id}",
            prefix,
        )

    def item(self, index: int) -> _Place:
        return _Place(
            (*self.steps, index), f"{self.path}.{index + 1}", f"{self.definition_path}[]", None
        )


@dataclass(frozen=True)
class _Walk:
    language: str
    leave_out: set[str]

    def columns(self, spec: FieldBase, place: _Place) -> list[Column]:
        if place.definition_path in self.leave_out:
            return []
        label = _join(place.prefix, spec.label.get(self.language))
        if isinstance(spec, GroupField):
            return self._group(spec, place, label)
        if parts := spec.part_types():
            part_labels = {part.name: part.label for part in spec.input_hints().parts}
            return [
                Column(
                    f"{place.path}.{part}",
                    _part_label(label, part_labels.get(part), part, self.language),
                    "text",
                    _reader(place.steps, self._part(spec, part)),
                )
                for part in parts
            ]
        kind, render = self._render(spec)
        return [Column(place.path, label, kind, _reader(place.steps, render))]

    def _group(self, spec: GroupField, place: _Place, label: str) -> list[Column]:
        columns: list[Column] = []
        if spec.repeat is None:
            for child in spec.fields:
                columns += self.columns(child, place.enter(child.id, label))
            return columns
        # The definition's maximum, not the rows': the same columns in every export.
        for index in range(spec.repeat.max):
            item = place.item(index)
            name = _join(place.prefix, spec.item_name(index + 1).get(self.language))
            for child in spec.fields:
                columns += self.columns(child, item.enter(child.id, name))
        return columns

    def _part(self, spec: FieldBase, part: str) -> Callable[[Any], Cell]:
        return lambda value: spec.display_part(value, part, self.language)

    def _render(self, spec: FieldBase) -> tuple[CellKind, Callable[[Any], Cell]]:
        language = self.language
        if isinstance(spec, FileField):
            # Not the display's 、: Japanese file names often hold one.
            return "text", lambda files: "; ".join(stored["name"] for stored in files)
        if spec.value_type() == NUMBER:
            return (
                "number",
                lambda value: value if _is_number(value) else spec.display(value, language),
            )
        if spec.value_type() == DATE:
            return (
                "date",
                lambda value: value if isinstance(value, date) else spec.display(value, language),
            )
        return "text", lambda value: spec.display(value, language)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _join(prefix: str | None, label: str) -> str:
    return label if prefix is None else f"{prefix} {label}"


def _part_label(label: str, part: LocalizedText | None, name: str, language: str) -> str:
    text = part.get(language) if part is not None else name
    return f"{label}（{text}）" if language == "ja" else f"{label}: {text}"


def _reader(
    steps: tuple[str | int, ...], render: Callable[[Any], Cell]
) -> Callable[[ExportRow, Mapping[str, Any]], Cell]:
    def read(_row: ExportRow, answers: Mapping[str, Any]) -> Cell:
        value: Any = answers
        for step in steps:
            if isinstance(step, str):
                value = value.get(step) if isinstance(value, Mapping) else None
            else:
                value = value[step] if isinstance(value, list) and step < len(value) else None
            if value is None:
                return None
        return render(value)

    return read


def _cells(definition: Definition, columns: list[Column], row: ExportRow) -> list[Cell]:
    answers = from_jsonable(definition, dict(row.answers))
    return [column.read(row, answers) for column in columns]


# Formula injection (OWASP "CSV Injection"): a spreadsheet runs text starting with one of these
# as a formula. Leading spaces do not make it safe in every spreadsheet, so they are skipped.
_FORMULA_STARTS = frozenset("=+-@")
_CONTROL_STARTS = frozenset("\t\r")


def neutralise(text: str) -> str:
    """``text`` with a leading apostrophe if a spreadsheet could take it for a formula."""
    if text[:1] in _CONTROL_STARTS or text.lstrip()[:1] in _FORMULA_STARTS:
        return "'" + text
    return text


# CSV ---------------------------------------------------------------------------------------

_BOM = "\ufeff"  # Excel opens UTF-8 CSV as Shift_JIS without it
_CHUNK_CHARACTERS = 64 * 1024


def csv_chunks(
    definition: Definition,
    rows: Iterable[ExportRow],
    *,
    language: str,
    include_sensitive: bool = False,
) -> Iterator[bytes]:
    """The export as UTF-8 CSV (with a BOM, CRLF line ends), in chunks of about 64 KiB.

    ``rows`` are read once, as the chunks are consumed. Everything is text: numbers as plain
    digits, dates and times in ISO 8601."""
    columns = export_columns(definition, language=language, include_sensitive=include_sensitive)
    return _csv_chunks(definition, columns, rows)


def _csv_chunks(
    definition: Definition, columns: list[Column], rows: Iterable[ExportRow]
) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(_BOM)
    writer.writerow(column.path for column in columns)
    writer.writerow(neutralise(column.label) for column in columns)
    for row in rows:
        writer.writerow(_csv_text(cell) for cell in _cells(definition, columns, row))
        if buffer.tell() >= _CHUNK_CHARACTERS:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    chunk = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return chunk


def _csv_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return neutralise(cell)
    if isinstance(cell, datetime):
        return cell.isoformat(timespec="seconds")
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)  # a number: digits and at most a leading minus, never a formula


# XLSX --------------------------------------------------------------------------------------

# Excel's limits: a longer export would lose data without a word.
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_COLUMNS = 16_384
_XLSX_MAX_TEXT = 32_767  # UTF-16 code units in a cell
_XLSX_MAX_SHEET_NAME = 31
_XLSX_FIRST_DATE = date(1900, 1, 1)  # earlier dates are no Excel date: written as text
_HEADER_ROWS = 2


def write_xlsx(
    definition: Definition,
    rows: Iterable[ExportRow],
    target: BinaryIO,
    *,
    language: str,
    include_sensitive: bool = False,
) -> None:
    """Write the export as an XLSX workbook of one sheet to ``target``.

    ``rows`` are read once and written as they come (xlsxwriter's constant memory mode
    keeps them in a temporary file, not in memory). Numbers and dates are numeric and date
    cells; text longer than a cell holds is cut, ending with "…". Raises ExportTooLarge
    past Excel's row or column limit."""
    import xlsxwriter  # noqa: PLC0415 -- only exports need it

    columns = export_columns(definition, language=language, include_sensitive=include_sensitive)
    if len(columns) > XLSX_MAX_COLUMNS:
        raise ExportTooLarge(f"{len(columns)} columns; a sheet holds {XLSX_MAX_COLUMNS}")
    # Closed on an error too (a partial file the caller discards): no temporary file lingers.
    with xlsxwriter.Workbook(target, {"constant_memory": True}) as workbook:
        title = definition.title.get(language)
        sheet = workbook.add_worksheet(sheet_name(title, definition.procedure))
        formats = {
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        }
        label_format = workbook.add_format({"bold": True, "bottom": 1})
        # Constant memory mode writes a row out when the next one starts: strictly row by row.
        for index, column in enumerate(columns):
            sheet.set_column(index, index, _width(column))
            sheet.write_string(0, index, column.path)
        for index, column in enumerate(columns):
            sheet.write_string(1, index, _fit(neutralise(column.label)), label_format)
        sheet.freeze_panes(_HEADER_ROWS, 1)  # the headers and each row's reference stay in view
        last_row = _HEADER_ROWS - 1
        for last_row, row in enumerate(rows, start=_HEADER_ROWS):
            if last_row >= XLSX_MAX_ROWS:
                raise ExportTooLarge(f"more than {XLSX_MAX_ROWS - _HEADER_ROWS} submissions")
            for index, cell in enumerate(_cells(definition, columns, row)):
                _write_cell(sheet, last_row, index, cell, formats)
        sheet.autofilter(_HEADER_ROWS - 1, 0, last_row, len(columns) - 1)


def _write_cell(
    sheet: Worksheet, row: int, col: int, cell: Cell, formats: Mapping[str, Any]
) -> None:
    if cell is None or cell == "":
        return
    if isinstance(cell, datetime):
        # Excel has no time zones: the wall time in the offset the caller chose.
        sheet.write_datetime(row, col, cell.replace(tzinfo=None), formats["datetime"])
    elif isinstance(cell, date):
        if cell < _XLSX_FIRST_DATE:
            sheet.write_string(row, col, cell.isoformat())
        else:
            sheet.write_datetime(row, col, cell, formats["date"])
    elif isinstance(cell, str):
        sheet.write_string(row, col, _fit(neutralise(cell)))
    else:
        sheet.write_number(row, col, float(cell) if isinstance(cell, Decimal) else cell)


def _fit(text: str) -> str:
    """``text`` cut to what a cell holds, ending with … when it was cut."""
    if len(text) <= _XLSX_MAX_TEXT // 2:
        return text
    units = text.encode("utf-16-le", "surrogatepass")
    if len(units) // 2 <= _XLSX_MAX_TEXT:
        return text
    # "ignore" drops half a surrogate pair left at the cut.
    return units[: (_XLSX_MAX_TEXT - 1) * 2].decode("utf-16-le", "ignore") + "…"


_SHEET_NAME_FORBIDDEN = str.maketrans("", "", "[]:*?/\\")


def sheet_name(title: str, fallback: str) -> str:
    """``title`` as Excel allows a sheet name: without []:*?/\\, at most 31 characters, not
    starting or ending with an apostrophe, not "History"; ``fallback`` if nothing is left."""
    name = title.translate(_SHEET_NAME_FORBIDDEN).strip().strip("'")
    # Excel counts UTF-16 code units: 𠮷 is two.
    while len(name.encode("utf-16-le", "surrogatepass")) // 2 > _XLSX_MAX_SHEET_NAME:
        name = name[:-1]
    name = name.strip().strip("'")
    if not name or name.casefold() == "history":
        return fallback[:_XLSX_MAX_SHEET_NAME]
    return name


_MIN_WIDTHS: dict[CellKind, int] = {"text": 10, "number": 10, "date": 11, "datetime": 17}
_MAX_WIDTH = 40


def _width(column: Column) -> int:
    """Characters wide enough for both headers; a full-width character counts twice."""
    widest = max(_display_width(column.path), _display_width(column.label)) + 2
    return max(_MIN_WIDTHS[column.kind], min(widest, _MAX_WIDTH))


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
