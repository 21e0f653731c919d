"""Reference numbers and access codes people read aloud, write down and type back in.

The alphabet leaves out 0/O, 1/I/L, U (reads as V) and Z (reads as 2). That leaves 29
symbols, a prime, so a weighted sum modulo 29 gives a check character that catches every
single mistyped character and every swap of two characters before the database is asked.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXY"
_VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
_MODULUS = len(ALPHABET)  # 29, prime

PREFIX = "MD"
RANDOM_LENGTH = 8  # 29^8 ≈ 5·10^11 references
# Weights for the random characters, then 1 for the check character: distinct and non-zero
# modulo 29, which is what makes every substitution and every transposition show.
_WEIGHTS = range(RANDOM_LENGTH + 1, 1, -1)
ACCESS_CODE_LENGTH = 10  # 29^10 ≈ 2^48.6

# Characters people type that are unambiguously one of ours; anything else is refused.
_CONFUSABLE = str.maketrans({"Z": "2"})
# Separators to ignore: spaces, hyphens and dashes of every width, and the long-vowel mark
# Japanese input methods produce when the hyphen key is pressed in kana mode.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−ー･・_.]+")
_MAX_INPUT = 64


def new_reference() -> str:
    """A new reference like ``MD-7K4-Q9X-PAH`` (8 random characters and a check)."""
    return reference_for("".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH)))


def reference_for(body: str) -> str:
    """The reference made of ``body`` (8 symbols of the alphabet) and its check character."""
    return _format(body + _check_character(body))


def normalize_reference(text: str) -> str | None:
    """The reference ``text`` means, in canonical form, or None if it cannot be one.

    Accepts lower case, full-width characters, spaces and hyphens anywhere, and the
    prefix left out; a wrong check character (a typo) gives None."""
    symbols = _symbols(text)
    if symbols is None:
        return None
    if len(symbols) == len(PREFIX) + RANDOM_LENGTH + 1 and symbols.startswith(PREFIX):
        symbols = symbols.removeprefix(PREFIX)
    if len(symbols) != RANDOM_LENGTH + 1 or not _is_valid(symbols):
        return None
    return _format(symbols)


def new_access_code() -> str:
    """A secret for an applicant without an account, shown once: ``K7Q4X-9PAH3``."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(ACCESS_CODE_LENGTH))
    return f"{code[:5]}-{code[5:]}"


def hash_access_code(code: str, salt: str) -> str:
    """The digest stored for ``code``; ``salt`` (the reference) makes each one different,
    so a leaked table cannot be attacked all at once."""
    symbols = _symbols(code) or ""
    return hashlib.sha256(f"{salt}\0{symbols}".encode()).hexdigest()


def verify_access_code(code: str, salt: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_access_code(code, salt), stored_hash)


def _symbols(text: str) -> str | None:
    if len(text) > _MAX_INPUT:
        return None
    folded = unicodedata.normalize("NFKC", text).upper()
    symbols = _SEPARATORS.sub("", folded).translate(_CONFUSABLE)
    if not symbols or any(symbol not in _VALUE for symbol in symbols):
        return None
    return symbols


def _weighted_sum(body: str) -> int:
    return sum(weight * _VALUE[symbol] for weight, symbol in zip(_WEIGHTS, body, strict=True))


def _check_character(body: str) -> str:
    return ALPHABET[-_weighted_sum(body) % _MODULUS]


def _is_valid(symbols: str) -> bool:
    body, check = symbols[:-1], symbols[-1]
    return (_weighted_sum(body) + _VALUE[check]) % _MODULUS == 0


def _format(symbols: str) -> str:
    return f"{PREFIX}-{symbols[0:3]}-{symbols[3:6]}-{symbols[6:9]}"
