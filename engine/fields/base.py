"""What every field type is: its YAML keys, and how it turns raw input into an answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from engine.definitions.types import Identifier
from engine.expressions import Expression
from engine.expressions.types import STRING, ExprType
from engine.text import LocalizedText


class Invalid(Exception):  # noqa: N818 -- reads as `raise Invalid("too_long", max=10)`
    """Raised by ``clean``: ``code`` names the message, ``params`` fill it in.

    ``part`` names the sub-input at fault for composite fields (``family_kana`` of a name);
    ``message`` is the author's own wording, when the definition gives one.
    """

    def __init__(
        self,
        code: str,
        *,
        part: str | None = None,
        message: LocalizedText | None = None,
        **params: Any,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.part = part
        self.message = message
        self.params = params


@dataclass(frozen=True)
class InputPart:
    """One input of a composite field (a name's 姓, a date's year)."""

    name: str
    label: LocalizedText
    autocomplete: str | None = None
    inputmode: str | None = None
    width: int | None = None  # in characters, for the layout
    required: bool = True


@dataclass(frozen=True)
class InputHints:
    """How a web page should ask for the field; the renderer decides the markup."""

    widget: str  # text, textarea, number, date, select, radios, checkboxes, checkbox, file, ...
    input_type: str = "text"
    inputmode: str | None = None
    autocomplete: str | None = None
    max_length: int | None = None
    parts: tuple[InputPart, ...] = field(default_factory=tuple)
    accept: tuple[str, ...] = ()


@dataclass(frozen=True)
class CleanContext:
    today: date


class FieldBase(BaseModel):
    """Keys every field has; subclasses add their own keys and behaviour."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    type_name: ClassVar[str]
    # Sensitive answers are encrypted at rest, masked in lists and left out of exports
    # unless the exporting clerk's role may see them.
    sensitive: ClassVar[bool] = False
    # The message code for a required answer left blank: 入力 / 選択 / 添付 read differently.
    blank_code: ClassVar[str] = "required"

    id: Identifier
    label: LocalizedText
    hint: LocalizedText | None = None
    required: bool = True
    required_if: Expression | None = None
    show_if: Expression | None = None
    autocomplete: str | None = Field(default=None, pattern=r"^[a-z0-9 -]+$")

    def value_type(self) -> ExprType:
        """The type expressions see when they name this field."""
        return STRING

    def part_types(self) -> dict[str, ExprType]:
        """Parts expressions may read with a dot (``address.prefecture``), for composite answers."""
        return {}

    def is_blank(self, raw: Any) -> bool:
        return _blank(raw, depth=0)

    def clean(self, raw: Any, context: CleanContext) -> Any:
        """Turn non-blank raw input into the normalised answer, or raise Invalid."""
        raise NotImplementedError

    def from_json(self, value: Any) -> Any:
        """The normalised answer back from its JSON form (as storage keeps it)."""
        return value

    def answer_schema(self) -> dict[str, Any]:
        """JSON Schema of the normalised answer."""
        return {"type": "string"}

    def display(self, value: Any, language: str) -> str:
        """The answer as a citizen or clerk reads it."""
        return str(value)

    def display_part(self, value: Any, part: str, language: str) -> str:
        """One part (``part_types``) of a composite answer as a clerk reads it; blank if absent."""
        text = value.get(part) if isinstance(value, dict) else None
        return "" if text is None else str(text)

    def mask(self, value: Any) -> str:
        """The answer as shown in lists; sensitive types hide most of it."""
        return self.display(value, "ja")

    def input_hints(self) -> InputHints:
        return InputHints(widget="text", autocomplete=self.autocomplete)


_MAX_BLANK_DEPTH = 8  # no answer nests deeper; deeper input is not blank (and is refused)


def _blank(raw: Any, depth: int) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return raw.strip(" \t\r\n\u3000") == ""
    if depth > _MAX_BLANK_DEPTH:
        return False
    if isinstance(raw, list | tuple):
        return all(_blank(item, depth + 1) for item in raw)
    if isinstance(raw, dict):
        return all(_blank(item, depth + 1) for item in raw.values())
    return False


def raw_text(raw: Any) -> str:
    """Raw input as text; numbers from a JSON body are accepted as their digits."""
    if isinstance(raw, bool):
        raise Invalid("wrong_shape")
    if isinstance(raw, int | float):
        return str(raw)
    if not isinstance(raw, str):
        raise Invalid("wrong_shape")
    # A lone surrogate (legal in JSON) is no character: it would fail when stored as UTF-8.
    if any("\ud800" <= c <= "\udfff" for c in raw):
        raise Invalid("invalid_characters")
    return raw


def raw_mapping(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise Invalid("wrong_shape")
    return raw


# Bidirectional overrides and isolates make text display in another order than it was
# typed ("Trojan source"): a clerk must read what the citizen wrote.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


# Control characters never belong in an answer; tabs and newlines only in long text.
def has_control_characters(text: str, *, allow_newlines: bool = False) -> bool:
    allowed = {"\n", "\r", "\t"} if allow_newlines else set()
    return any(
        ((ord(c) < 32 or 0x7F <= ord(c) < 0xA0) and c not in allowed) or c in _BIDI_CONTROLS
        for c in text
    )


def strip_spaces(text: str) -> str:
    return text.strip(" \t\r\n\u3000")
