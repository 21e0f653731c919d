"""Free text: text, textarea, email."""

from __future__ import annotations

import unicodedata
from typing import Any, Literal

import re2
from email_validator import EmailNotValidError, validate_email
from pydantic import Field, field_validator, model_validator

from engine.fields.base import (
    CleanContext,
    FieldBase,
    InputHints,
    Invalid,
    has_control_characters,
    raw_text,
    strip_spaces,
)
from engine.fields.registry import register
from engine.japanese.numerals import normalize_numeric
from engine.text import LocalizedText

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # the C++ library would print author mistakes to stderr
_RE2_OPTIONS.max_mem = 1 << 20


def compile_pattern(pattern: str) -> Any:
    """Compile an author's pattern with RE2 (linear time, no backreferences)."""
    try:
        return re2.compile(pattern, options=_RE2_OPTIONS)
    except re2.error as error:
        reason = error.args[0] if error.args else ""
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ValueError(
            f"invalid pattern '{pattern}': {reason} (patterns use RE2 syntax: "
            "no backreferences or lookarounds)"
        ) from None


class _TextLike(FieldBase):
    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=1, le=100_000)

    @model_validator(mode="after")
    def _min_not_above_max(self) -> _TextLike:
        if self.min_length and self.max_length and self.min_length > self.max_length:
            raise ValueError(
                f"min_length ({self.min_length}) is greater than max_length ({self.max_length})"
            )
        return self

    def _check_length(self, text: str) -> str:
        if self.max_length is not None and len(text) > self.max_length:
            raise Invalid("too_long", max=self.max_length, actual=len(text))
        if self.min_length is not None and len(text) < self.min_length:
            raise Invalid("too_short", min=self.min_length)
        return text

    def answer_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "minLength": self.min_length or 1}
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        return schema


@register
class TextField(_TextLike):
    type: Literal["text"]
    max_length: int | None = Field(default=200, ge=1, le=10_000)
    pattern: str | None = Field(default=None, max_length=500)
    pattern_message: LocalizedText | None = None
    # For text that is ASCII by nature (licence or certificate numbers): full-width letters,
    # digits and hyphens become half-width before the pattern is checked. Never for names.
    normalize: bool = False

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            compile_pattern(pattern)
        return pattern

    def clean(self, raw: Any, context: CleanContext) -> str:
        text = strip_spaces(raw_text(raw))
        if self.normalize:
            text = normalize_numeric(text)
        if has_control_characters(text) or "\n" in text:
            raise Invalid("invalid_characters")
        self._check_length(text)
        if self.pattern is not None and not compile_pattern(self.pattern).fullmatch(text):
            raise Invalid("pattern_mismatch", message=self.pattern_message)
        return text

    def input_hints(self) -> InputHints:
        return InputHints("text", autocomplete=self.autocomplete, max_length=self.max_length)


@register
class TextareaField(_TextLike):
    type: Literal["textarea"]
    max_length: int | None = Field(default=2000, ge=1, le=100_000)

    def clean(self, raw: Any, context: CleanContext) -> str:
        # Keep the citizen's line breaks, in one form.
        text = strip_spaces(raw_text(raw)).replace("\r\n", "\n").replace("\r", "\n")
        if has_control_characters(text, allow_newlines=True):
            raise Invalid("invalid_characters")
        return self._check_length(text)

    def input_hints(self) -> InputHints:
        return InputHints("textarea", autocomplete=self.autocomplete, max_length=self.max_length)


@register
class EmailField(FieldBase):
    type: Literal["email"]

    def clean(self, raw: Any, context: CleanContext) -> str:
        # An address is ASCII by nature: full-width ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ means ASCII.
        text = unicodedata.normalize("NFKC", strip_spaces(raw_text(raw)))
        try:
            # Syntax only: a DNS look-up would make validation slow and network-bound.
            result = validate_email(text, check_deliverability=False)
        except EmailNotValidError:
            raise Invalid("invalid_email") from None
        return str(result.normalized)

    def answer_schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "email"}

    def input_hints(self) -> InputHints:
        return InputHints(
            "text", input_type="email", autocomplete=self.autocomplete or "email", max_length=254
        )
