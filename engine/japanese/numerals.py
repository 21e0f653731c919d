"""Numbers typed by citizens: full-width digits, dash look-alikes, yen amounts."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

# Dash look-alikes that NFKC leaves alone; Japanese IMEs produce them in phone and postal
# numbers. U+301C 〜 is a range sign, not a dash, so it is deliberately absent.
_DASH_LOOK_ALIKES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff70"
_DASHES = str.maketrans(dict.fromkeys(_DASH_LOOK_ALIKES, "-"))

# [0-9] rather than \d: \d and int() also accept Arabic-Indic and other Unicode digits.
_INTEGER = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
# Either plain digits or correctly grouped thousands: "1,00" and "10,00,000" are typos.
_AMOUNT = re.compile(r"(?:¥\s*)?(?P<number>[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\s*円)?")


def normalize_numeric(text: str) -> str:
    """NFKC-normalise a field that is ASCII by nature and turn dash look-alikes into "-"."""
    return unicodedata.normalize("NFKC", text).translate(_DASHES).strip()


def digits_only(text: str, allowed_separators: str = "- ") -> str | None:
    """Return the ASCII digits of ``text`` without the allowed separators, or None if
    anything else (or nothing at all) remains."""
    normalized = normalize_numeric(text)
    remaining = normalized.translate(str.maketrans("", "", allowed_separators))
    if not remaining or not _is_ascii_digits(remaining):
        return None
    return remaining


def parse_amount(text: str) -> int | None:
    """Parse a non-negative whole yen amount such as "１，０００円" or "¥1,000"; None if invalid."""
    normalized = normalize_numeric(text)
    match = _AMOUNT.fullmatch(normalized)
    # "¥1,000円" names the currency twice; nobody writes that on purpose.
    if match is None or (normalized.startswith("¥") and normalized.endswith("円")):
        return None
    return _to_int(match["number"].replace(",", ""))


def parse_integer(text: str) -> int | None:
    """Parse an integer with an optional leading minus (full-width accepted); None if invalid."""
    normalized = normalize_numeric(text)
    if _INTEGER.fullmatch(normalized) is None:
        return None
    return _to_int(normalized)


def parse_decimal(text: str) -> Decimal | None:
    """Parse a plain decimal such as "-12.5" (full-width accepted, no exponent); None if invalid."""
    normalized = normalize_numeric(text)
    # The pattern already excludes exponents, NaN and Infinity, which Decimal() would accept.
    if _DECIMAL.fullmatch(normalized) is None:
        return None
    try:
        return Decimal(normalized)
    except InvalidOperation:
        return None


def _is_ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _to_int(digits: str) -> int | None:
    try:
        return int(digits)
    except ValueError:
        # Python refuses to convert strings of more than 4300 digits (CVE-2020-10735).
        return None
