"""The short code printed on each document, typed back in on the verification page.

Same alphabet and rules as reference numbers (engine.storage.references): no 0/O, 1/I/L,
U or Z; 29 symbols, a prime, so a weighted check character catches every single typo and
every swap of neighbours before anything is looked up. 15 random symbols (~73 bits: not
guessable, so the code alone shows a document's summary) and the check, in four groups:
``K7Q4-X9PA-H3MN-RT8C``."""

from __future__ import annotations

import re
import secrets
import unicodedata

from engine.storage.references import ALPHABET

RANDOM_LENGTH = 15
_VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
_MODULUS = len(ALPHABET)
_WEIGHTS = range(RANDOM_LENGTH + 1, 1, -1)  # distinct and non-zero modulo 29; check: 1
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−ー･・_.]+")  # as people type them, see references
_CONFUSABLE = str.maketrans({"Z": "2"})
_MAX_INPUT = 64


def new_document_code() -> str:
    return document_code("".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH)))


def document_code(body: str) -> str:
    """The code of ``body`` (RANDOM_LENGTH symbols of the alphabet): body and check, in
    groups of four."""
    return _format(body + _check_character(body))


def normalize_document_code(text: str) -> str | None:
    """The code ``text`` means, in canonical form, or None if it cannot be one (wrong
    length, a character outside the alphabet, or a wrong check character)."""
    if len(text) > _MAX_INPUT:
        return None
    folded = unicodedata.normalize("NFKC", text).upper()
    symbols = _SEPARATORS.sub("", folded).translate(_CONFUSABLE)
    if len(symbols) != RANDOM_LENGTH + 1 or any(symbol not in _VALUE for symbol in symbols):
        return None
    if (_weighted_sum(symbols[:-1]) + _VALUE[symbols[-1]]) % _MODULUS:
        return None
    return _format(symbols)


def _weighted_sum(body: str) -> int:
    return sum(weight * _VALUE[symbol] for weight, symbol in zip(_WEIGHTS, body, strict=True))


def _check_character(body: str) -> str:
    return ALPHABET[-_weighted_sum(body) % _MODULUS]


def _format(symbols: str) -> str:
    return "-".join(symbols[index : index + 4] for index in range(0, 16, 4))
