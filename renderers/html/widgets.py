"""How each kind of field is asked: its controls, chosen by the input hints' widget.

Field types describe what they need (``FieldBase.input_hints``); this module decides the
markup-level answer: one text box, a fieldset of parts, radios, a checkbox or a file input.
A widget no builder knows (a field type added later) falls back to one text box.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from engine.answers import AnswerError
from engine.fields import FieldBase, InputHints
from engine.fields.choices import ChoiceField, ChoicesField
from engine.fields.contact import PostalCodeField
from engine.fields.dates import DateField
from engine.fields.files import FILE_KINDS, FileField
from engine.japanese.prefectures import PREFECTURES, prefecture_by_code, prefecture_by_name
from engine.japanese.wareki import ERAS, parse_date, to_wareki
from engine.text import LocalizedText
from renderers.html.i18n import N_
from renderers.html.views import Control, FieldView, Message, Option, UploadedFile, element_id

REQUIRED = N_("Required")
OPTIONAL = N_("Optional")
CONDITIONAL = N_("Required in some cases")
YES = N_("Yes")
NO = N_("No")
SELECT = N_("Select")
ERA = N_("Era")
WESTERN_YEAR = N_("Western calendar")
UP_TO_CHARACTERS = N_("Up to %(max)s characters.")
FILE_TYPES = N_("File types: %(kinds)s. Up to %(size)s each.")
UP_TO_FILES = N_("You can attach up to %(count)s files.")

# The words a form post or a JSON body may use for yes and no (as engine.fields.choices).
_YES = {"yes", "true", "1", "on", "はい"}
_NO = {"no", "false", "0", "off", "いいえ"}


class Builder(Protocol):
    """What a widget needs from the page builder (``renderers.html.forms``)."""

    language: str
    gettext: Callable[[str], str]
    targets: dict[str, str]
    multipart: bool

    def base(
        self, spec: FieldBase, path: str, *, deeper: bool = True, parts: Collection[str] = ()
    ) -> FieldView: ...

    def messages(self, owner_id: str, found: Sequence[AnswerError]) -> tuple[Message, ...]: ...

    def errors_at(self, path: str) -> list[AnswerError]: ...


Widget = Callable[[Builder, FieldBase, Any, str, str], FieldView]


def build(b: Builder, spec: FieldBase, raw: Any, path: str, prefix: str) -> FieldView:
    """The view of a field that is not a group; ``prefix`` is the path of its scope."""
    widget = spec.input_hints().widget
    view = _WIDGETS.get(widget, single)(b, spec, raw, path, prefix)
    return replace(view, widget=widget)


# One control ---------------------------------------------------------------------------


def single(b: Builder, spec: FieldBase, raw: Any, path: str, prefix: str) -> FieldView:
    """One text box, number, select or textarea, labelled by the field's label."""
    hints = spec.input_hints()
    view = b.base(spec, path)
    element = hints.widget if hints.widget in ("select", "textarea") else "input"
    if element == "textarea" and hints.max_length:
        words = b.gettext(UP_TO_CHARACTERS) % {"max": f"{hints.max_length:,}"}
        view = replace(view, detail=Message(f"{view.id}-detail", words))
    unit = getattr(spec, "unit", None)
    control = Control(
        id=view.id,
        name=path,
        label=view.label,
        element=element,
        input_type=hints.input_type,
        value="" if element == "select" else _text(raw),
        options=_options(b, spec, raw) if element == "select" else (),
        autocomplete=hints.autocomplete,
        inputmode=hints.inputmode,
        width=_width(hints),
        required=view.requirement == "required",
        invalid=view.invalid,
        describedby=view.describedby,
        sensitive=spec.sensitive,
        fills=_fills(spec, prefix),
    )
    return replace(
        view,
        controls=(control,),
        unit=unit.get(b.language) if isinstance(unit, LocalizedText) else None,
    )


def _width(hints: InputHints) -> int | None:
    """Box width in characters: a short box tells people a short answer is expected."""
    if hints.widget == "number":
        return 10
    if hints.input_type == "tel":
        return 20
    if hints.max_length is not None and hints.max_length <= 20:
        return 10 if hints.max_length <= 10 else 20
    return None


def _options(b: Builder, spec: FieldBase, raw: Any) -> tuple[Option, ...]:
    keys = spec.options if isinstance(spec, ChoiceField | ChoicesField) else {}
    blank = Option("", b.gettext(SELECT), selected=raw in (None, ""))
    keyed = (Option(key, label.get(b.language), selected=raw == key) for key, label in keys.items())
    return (blank, *keyed)


def _fills(spec: FieldBase, prefix: str) -> str | None:
    if isinstance(spec, PostalCodeField) and spec.fills:
        return element_id(prefix + spec.fills)  # the address beside it, in the same scope
    return None


# Radios, checkboxes, a declaration ------------------------------------------------------


def choices(b: Builder, spec: FieldBase, raw: Any, path: str, prefix: str) -> FieldView:
    """Radios (choice, yes_no) or checkboxes (choices) in a fieldset; one name for all."""
    widget = spec.input_hints().widget
    view = b.base(spec, path)
    if widget == "yes_no":
        options = [("yes", b.gettext(YES)), ("no", b.gettext(NO))]
        chosen = {_yes_no(raw)}
    else:
        keyed = spec.options if isinstance(spec, ChoiceField | ChoicesField) else {}
        options = [(key, text.get(b.language)) for key, text in keyed.items()]
        chosen = {str(v) for v in (raw if isinstance(raw, list) else [raw]) if v is not None}
    input_type = "checkbox" if widget == "checkboxes" else "radio"
    controls = tuple(
        Control(
            id=view.id if n == 0 else f"{view.id}-{n + 1}",
            name=path,
            label=label,
            input_type=input_type,
            value=key,
            checked=key in chosen,
            invalid=view.invalid,
        )
        for n, (key, label) in enumerate(options)
    )
    return replace(view, kind="choices", controls=controls)


def checkbox(b: Builder, spec: FieldBase, raw: Any, path: str, prefix: str) -> FieldView:
    """A declaration: one checkbox whose label is the statement."""
    view = b.base(spec, path)
    control = Control(
        id=view.id,
        name=path,
        label=view.label,
        input_type="checkbox",
        value="yes",
        checked=_yes_no(raw) == "yes",
        required=True,
        invalid=view.invalid,
        describedby=view.describedby,
    )
    return replace(view, kind="checkbox", controls=(control,))


def _yes_no(raw: Any) -> str | None:
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    text = str(raw).strip().lower() if isinstance(raw, str) else ""
    return "yes" if text in _YES else "no" if text in _NO else None


# Parts: a name, a date, an address --------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    name: str
    label: str
    autocomplete: str | None = None
    inputmode: str | None = None
    width: int | None = None
    required: bool = True
    options: tuple[tuple[str, str], ...] | None = None  # a select's (value, label)


def parts(b: Builder, spec: FieldBase, raw: Any, path: str, prefix: str) -> FieldView:
    """A fieldset with one input per part: ``name.family``, ``birth_date.year``, ..."""
    described = _parts_of(b, spec)
    values = _part_values(spec, raw)
    part_paths = {f"{path}.{part.name}" for part in described}
    view = b.base(spec, path, parts=part_paths)
    controls: list[Control] = []
    part_errors: list[Message] = []
    for part in described:
        part_path = f"{path}.{part.name}"
        control_id = element_id(part_path)
        own = b.messages(control_id, b.errors_at(part_path))
        part_errors.extend(own)
        b.targets[part_path] = control_id
        control = _part_control(view, part, part_path, values.get(part.name, ""), own)
        optional = not part.required and view.requirement == "required"
        marker = b.gettext(OPTIONAL) if optional else None
        controls.append(replace(control, sensitive=spec.sensitive, marker=marker))
    return replace(view, kind="parts", controls=tuple(controls), part_errors=tuple(part_errors))


def _part_control(
    view: FieldView, part: _Part, path: str, value: str, own: tuple[Message, ...]
) -> Control:
    options: tuple[Option, ...] = ()
    if part.options is not None:
        options = tuple(Option(v, label, selected=v == value) for v, label in part.options)
    return Control(
        id=element_id(path),
        name=path,
        label=part.label,
        element="select" if part.options is not None else "input",
        value="" if part.options is not None else value,
        options=options,
        autocomplete=part.autocomplete,
        inputmode=part.inputmode,
        width=part.width,
        required=part.required and view.requirement == "required",
        invalid=bool(view.errors or own),
        describedby=" ".join(m.id for m in own) or None,
    )


def _parts_of(b: Builder, spec: FieldBase) -> list[_Part]:
    hints = spec.input_hints()
    described = [
        _Part(p.name, p.label.get(b.language), p.autocomplete, p.inputmode, p.width, p.required)
        for p in hints.parts
    ]
    if hints.widget == "address":
        prefectures = [("", b.gettext(SELECT))] + [
            (p.code, p.ja if b.language == "ja" else p.en) for p in PREFECTURES
        ]
        described[0] = replace(described[0], options=tuple(prefectures))
    if isinstance(spec, DateField) and spec.calendar == "wareki":
        described.insert(0, _era(b))
    return described


def _era(b: Builder) -> _Part:
    """明治 to 令和, and 西暦 for people who know the year in the Western calendar: the
    answer is read as ``{era}{year}年{month}月{day}日``, or as a Western date without era."""
    eras = [(era.kanji, era.kanji if b.language == "ja" else era.english) for era in ERAS]
    return _Part("era", b.gettext(ERA), options=(("", b.gettext(WESTERN_YEAR)), *eras))


def _part_values(spec: FieldBase, raw: Any) -> dict[str, str]:
    if isinstance(spec, DateField):
        return _date_values(raw, wareki=spec.calendar == "wareki")
    if not isinstance(raw, Mapping):
        return {}
    values = {str(key): _text(value) for key, value in raw.items()}
    if spec.input_hints().widget == "address" and "prefecture" in values:
        values["prefecture"] = _prefecture_code(values["prefecture"])
    return values


def _date_values(raw: Any, *, wareki: bool) -> dict[str, str]:
    """Parts as typed, or split from a whole date (an ISO answer saved in a draft)."""
    if isinstance(raw, Mapping):
        return {key: _text(raw.get(key)) for key in ("era", "year", "month", "day")}
    day = raw if isinstance(raw, date) else parse_date(raw) if isinstance(raw, str) else None
    if day is None:
        return {}
    values = {"year": str(day.year), "month": str(day.month), "day": str(day.day)}
    if wareki:
        try:
            era = to_wareki(day)
        except ValueError:  # before 明治6年: keep the Western year
            return values
        values.update(era=era.era_kanji, year=str(era.year))
    return values


def _prefecture_code(text: str) -> str:
    """The option to select for what was typed or stored: "13", "1", "東京都" or "東京"."""
    found = prefecture_by_code(text.strip().zfill(2)) or prefecture_by_name(text)
    return found.code if found else text


# Files ------------------------------------------------------------------------------------


def file(b: Builder, spec: FieldBase, raw: Any, path: str, prefix: str) -> FieldView:
    """A file input, and the files already attached, each with a remove button.

    Attached files are not re-posted by the form: the web layer keeps them with the draft
    and adds what the file input uploads."""
    hints = spec.input_hints()
    view = b.base(spec, path)
    view = replace(view, kind="file", detail=_file_detail(b, spec, view.id))
    stored = raw if isinstance(raw, list) else [raw]
    files = tuple(
        UploadedFile(str(item["name"]), size_text(item.get("size")), f"remove-file:{item['id']}")
        for item in stored
        if isinstance(item, Mapping) and item.get("name") and item.get("id")
    )
    max_files = spec.max_files if isinstance(spec, FileField) else 1
    control = Control(
        id=view.id,
        name=path,
        label=view.label,
        input_type="file",
        accept=",".join(hints.accept) or None,
        multiple=max_files > 1,
        required=view.requirement == "required" and not files,
        invalid=view.invalid,
        describedby=view.describedby,
    )
    b.multipart = True
    return replace(view, controls=(control,), files=files)


def _file_detail(b: Builder, spec: FieldBase, field_id: str) -> Message | None:
    if not isinstance(spec, FileField):
        return None
    separator = "、" if b.language == "ja" else ", "
    kinds = separator.join(FILE_KINDS[name].label for name in spec.accept)
    text = b.gettext(FILE_TYPES) % {"kinds": kinds, "size": str(spec.max_size)}
    if spec.max_files > 1:
        space = "" if b.language == "ja" else " "  # Japanese sentences run on without one
        text += space + b.gettext(UP_TO_FILES) % {"count": spec.max_files}
    return Message(f"{field_id}-detail", text)


def size_text(size: Any) -> str:
    """A file size as people read it: 820 KB, 2.4 MB."""
    if not isinstance(size, int) or isinstance(size, bool):
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _text(raw: Any) -> str:
    """A raw answer as the text to put back in its box."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, date):
        return raw.isoformat()
    return ""


_WIDGETS: dict[str, Widget] = {
    "radios": choices,
    "checkboxes": choices,
    "yes_no": choices,
    "checkbox": checkbox,
    "name": parts,
    "date": parts,
    "address": parts,
    "file": file,
}
