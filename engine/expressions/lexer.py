"""Splitting an expression's source into tokens."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

MAX_SOURCE_LENGTH = 2000
MAX_NUMBER_DIGITS = 30

KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false", "null"})
# Longest first, so "<=" is not read as "<" then "=".
_OPERATORS = ("==", "!=", "<=", ">=", *"<>+-*/%()[],.")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?")
_WHITESPACE = " \t\r\n"
_ESCAPES = {'"': '"', "'": "'", "\\": "\\"}
# What authors coming from other languages type, and what this language says instead.
_HINTS = {
    "&&": "write 'and' instead of '&&'",
    "||": "write 'or' instead of '||'",
    "=": "write '==' to compare",
    "!": "write 'not' instead of '!'",
    "&": "write 'and' instead of '&'",
    "|": "write 'or' instead of '|'",
}
_WORD_HINTS = {
    "True": "true",
    "TRUE": "true",
    "False": "false",
    "FALSE": "false",
    "None": "null",
    "NULL": "null",
    "Null": "null",
    "AND": "and",
    "OR": "or",
    "NOT": "not",
}


class ExpressionSyntaxError(Exception):
    """An expression could not be parsed; ``offset`` is a 0-based index into its source."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset

    def __str__(self) -> str:
        return f"{self.message} (at character {self.offset + 1})"


@dataclass(frozen=True)
class Token:
    """``kind`` is "number", "string", "name", "end", or the keyword or operator itself."""

    kind: str
    text: str
    offset: int
    value: Any = None


def tokenize(source: str) -> list[Token]:
    """The tokens of ``source``, ending with an "end" token; raise ExpressionSyntaxError."""
    if len(source) > MAX_SOURCE_LENGTH:
        raise ExpressionSyntaxError(
            f"expression is longer than {MAX_SOURCE_LENGTH} characters", MAX_SOURCE_LENGTH
        )
    tokens: list[Token] = []
    pos = 0
    while True:
        while pos < len(source) and source[pos] in _WHITESPACE:
            pos += 1
        if pos == len(source):
            tokens.append(Token("end", "", pos))
            return tokens
        token = _next_token(source, pos)
        tokens.append(token)
        pos += len(token.text)


def _next_token(source: str, pos: int) -> Token:
    char = source[pos]
    if char in "\"'":
        return _string(source, pos)
    if "0" <= char <= "9":
        return _number(source, pos)
    word = _WORD.match(source, pos)
    if word:
        return _word(word.group(), pos)
    for operator in _OPERATORS:
        if source.startswith(operator, pos):
            return Token(operator, operator, pos)
    for hint_text, hint in _HINTS.items():
        if source.startswith(hint_text, pos):
            raise ExpressionSyntaxError(hint, pos)
    raise ExpressionSyntaxError(_unexpected_character(char), pos)


def _word(text: str, pos: int) -> Token:
    if text in KEYWORDS:
        return Token(text, text, pos)
    if text in _WORD_HINTS:
        raise ExpressionSyntaxError(f"write '{_WORD_HINTS[text]}' instead of '{text}'", pos)
    if not _NAME.fullmatch(text):
        raise ExpressionSyntaxError(
            f"'{text}' is not a valid name: field ids use lowercase letters, digits and _,"
            " and start with a letter",
            pos,
        )
    return Token("name", text, pos, text)


def _number(source: str, pos: int) -> Token:
    match = _NUMBER.match(source, pos)
    text = match.group() if match else ""  # the caller saw a digit, so there is a match
    if text.endswith("."):
        raise ExpressionSyntaxError(f"expected digits after '.' in '{text}'", pos + len(text))
    if len(text) > MAX_NUMBER_DIGITS:
        raise ExpressionSyntaxError(f"number longer than {MAX_NUMBER_DIGITS} digits", pos)
    end = pos + len(text)
    if end < len(source) and _WORD.match(source, end):
        raise ExpressionSyntaxError(f"unexpected '{source[end]}' after the number", end)
    value: int | Decimal = Decimal(text) if "." in text else int(text)
    return Token("number", text, pos, value)


def _string(source: str, pos: int) -> Token:
    quote = source[pos]
    chars: list[str] = []
    i = pos + 1
    while i < len(source):
        char = source[i]
        if char == quote:
            return Token("string", source[pos : i + 1], pos, "".join(chars))
        if char == "\\":
            escaped = source[i + 1 : i + 2]
            if escaped not in _ESCAPES:
                raise ExpressionSyntaxError(
                    "unknown escape in text: only \\\" \\' and \\\\ are allowed", i
                )
            chars.append(_ESCAPES[escaped])
            i += 2
            continue
        chars.append(char)
        i += 1
    raise ExpressionSyntaxError(f"text starting here is never closed with {quote}", pos)


def _unexpected_character(char: str) -> str:
    ascii_form = unicodedata.normalize("NFKC", char)
    # Japanese input methods make full-width operators and spaces easy to type by accident.
    if ascii_form != char and ascii_form.isascii() and len(ascii_form) == 1:
        return f"unexpected full-width character '{char}': use '{ascii_form}'"
    if char.isprintable():
        return f"unexpected character '{char}'"
    return f"unexpected character U+{ord(char):04X}"
