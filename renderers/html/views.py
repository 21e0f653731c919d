"""The view model of a form page: plain frozen data the templates lay out.

Built by ``renderers.html.forms.build_page_view``; nothing here knows about definitions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


def element_id(path: str) -> str:
    """The HTML id for an answer path: ``children[1].name.family`` is
    ``field-children-1-name-family``."""
    return "field-" + path.replace("[", "-").replace("]", "").replace(".", "-")


@dataclass(frozen=True)
class Message:
    """A hint or an error message, with the id that ``aria-describedby`` names."""

    id: str
    text: str


@dataclass(frozen=True)
class Option:
    """One <option> of a select."""

    value: str
    label: str
    selected: bool = False


@dataclass(frozen=True)
class Control:
    """One form control: an <input> (text, radio, checkbox, file), a <select> or a <textarea>.

    ``label`` is the control's own label: a part's (姓, 年), an option's, or the field's.
    """

    id: str
    name: str
    label: str
    element: str = "input"  # input | select | textarea
    input_type: str = "text"  # for <input>: text, tel, email, radio, checkbox, file
    value: str = ""
    checked: bool = False
    options: tuple[Option, ...] = ()
    autocomplete: str | None = None
    inputmode: str | None = None
    width: int | None = None  # characters the answer usually needs; sizes the box
    accept: str | None = None
    multiple: bool = False
    required: bool = False
    invalid: bool = False
    describedby: str | None = None
    sensitive: bool = False  # never remembered by the browser (My Number)
    fills: str | None = None  # a postal code: the id of the address fieldset it fills
    marker: str | None = None  # an optional part of a required field: ※任意

    def attributes(self) -> dict[str, str | None]:
        """The element's attributes (None leaves one out), for Jinja's ``xmlattr``."""
        is_input = self.element == "input"
        return {
            "id": self.id,
            "name": self.name,
            "type": self.input_type if is_input else None,
            "value": self.value if is_input and self.input_type != "file" else None,
            "class": _css_class(self),
            "checked": "" if self.checked else None,
            "autocomplete": "off" if self.sensitive else self.autocomplete,
            "inputmode": self.inputmode,
            "accept": self.accept,
            "multiple": "" if self.multiple else None,
            # Numbers, phone numbers and My Number are not words: no red squiggles.
            "spellcheck": "false" if self.sensitive or self.inputmode else None,
            "aria-required": "true" if self.required and self.input_type != "radio" else None,
            "aria-invalid": "true" if self.invalid else None,
            "aria-describedby": self.describedby,
            "data-sensitive": "" if self.sensitive else None,
            "data-fills": self.fills,
        }


def _css_class(control: Control) -> str:
    if control.element in ("select", "textarea"):
        base = control.element
    elif control.input_type in ("radio", "checkbox"):
        return "choice__input"
    elif control.input_type == "file":
        return "file-input"
    else:
        base = "input"
    if control.width is not None:
        base += f" width-{control.width}"
    return base + (" is-invalid" if control.invalid else "")


@dataclass(frozen=True)
class UploadedFile:
    """A file already attached to the answer; ``remove_value`` is its remove button's action,
    ``remove-file:<stored file id>``."""

    name: str
    size_text: str
    remove_value: str


@dataclass(frozen=True)
class Button:
    """A submit button of the form: ``<button name="action" value="...">``."""

    id: str
    value: str
    label: str


@dataclass(frozen=True)
class ItemView:
    """One item of a repeated group: a fieldset with its own legend and remove button."""

    id: str
    legend: str
    fields: tuple[FieldView, ...]
    remove: Button | None


@dataclass(frozen=True)
class FieldView:
    """One field of the page, as the templates draw it.

    ``kind`` picks the layout:

    - ``input``: one text box, select or textarea with a ``<label for>``;
    - ``parts``: a fieldset of several inputs (a name, a date, an address), ``id`` on it;
    - ``choices``: a fieldset of radios or checkboxes (the first control has ``id``);
    - ``checkbox``: one checkbox labelled by the field's label (a declaration);
    - ``file``: a file input, with the files already attached;
    - ``group`` and ``repeat``: a fieldset of ``fields``, or of ``items`` with add/remove.

    ``errors`` are about the whole field; ``part_errors`` about one part, each named by
    that part's ``aria-describedby``.
    """

    path: str
    id: str
    kind: str
    label: str
    widget: str = ""  # the input hints' widget (name, date, address, ...), for the layout
    requirement: str | None = None  # required | optional | conditional; None for groups
    marker: str | None = None  # the requirement in words: ※必須 / Required
    hint: Message | None = None
    detail: Message | None = None  # what the field accepts, written by Madoguchi
    errors: tuple[Message, ...] = ()
    part_errors: tuple[Message, ...] = ()
    controls: tuple[Control, ...] = ()
    unit: str | None = None
    files: tuple[UploadedFile, ...] = ()
    fields: tuple[FieldView, ...] = ()
    items: tuple[ItemView, ...] = ()
    add: Button | None = None
    conditional: bool = False  # has a show_if: the script may show or hide it
    hidden: bool = False

    @property
    def describedby(self) -> str | None:
        messages = [self.hint, self.detail, *self.errors]
        return " ".join(m.id for m in messages if m is not None) or None

    @property
    def invalid(self) -> bool:
        return bool(self.errors or self.part_errors)

    @property
    def all_errors(self) -> tuple[Message, ...]:
        return self.errors + self.part_errors


@dataclass(frozen=True)
class PageView:
    """A page of a procedure, ready for the form template."""

    page_id: str
    title: str
    intro: str | None
    fields: tuple[FieldView, ...]
    # Answer path → id of the input an error link should move focus to.
    targets: Mapping[str, str] = field(default_factory=dict)
    multipart: bool = False  # the page has a file input
    conditional: bool = False  # some field has a show_if: ask the server as answers change

    def target_for(self, path: str) -> str | None:
        """The id an error at ``path`` links to; errors deeper than an input go to it."""
        while path:
            if path in self.targets:
                return self.targets[path]
            path = path.rpartition(".")[0]
        return None
