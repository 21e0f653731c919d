"""Japanese identifiers: 個人番号, 法人番号, phone numbers and postal codes."""

from __future__ import annotations

import phonenumbers
from stdnum.jp import cn, in_

from engine.japanese.numerals import digits_only, normalize_numeric

_PHONE_SEPARATORS = "-() "
# Mobile (090/080/070), IP phone (050) and the 0800 free dial have 11 digits;
# 0120 free dial and every other number, fixed lines included, has 10.
_ELEVEN_DIGIT_PREFIXES = ("090", "080", "070", "050", "0800")


def normalize_my_number(text: str) -> str | None:
    """Return the 12 digits of a 個人番号 whose check digit is right, or None."""
    digits = digits_only(text)
    if digits is None or len(digits) != 12 or not in_.is_valid(digits):
        return None
    return digits


def normalize_corporate_number(text: str) -> str | None:
    """Return the 13 digits of a 法人番号 whose check digit is right, or None."""
    digits = digits_only(text)
    if digits is None or len(digits) != 13 or not cn.is_valid(digits):
        return None
    return digits


def mask_my_number(digits: str) -> str:
    """Hide all but the last four characters, e.g. "********9018"; shorter input is hidden
    entirely."""
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def normalize_phone(text: str) -> str | None:
    """Return the digits of a domestic phone number ("03-1234-5678", "０９０（１２３４）５６７８",
    "+81 90 1234 5678"), or None if its length does not fit its prefix."""
    digits = digits_only(_domestic(normalize_numeric(text)), _PHONE_SEPARATORS)
    # After the trunk 0 comes an area code or service prefix, never another 0:
    # "00…" would be an international call prefix.
    if digits is None or not digits.startswith("0") or digits.startswith("00"):
        return None
    if digits.startswith("0120"):
        expected = 10
    elif digits.startswith(_ELEVEN_DIGIT_PREFIXES):
        expected = 11
    else:
        expected = 10
    return digits if len(digits) == expected else None


def format_phone(digits: str) -> str:
    """Return the number hyphenated as in Japan ("03-1234-5678"), or ``digits`` unchanged
    when the phone number library does not recognise it as a valid Japanese number."""
    try:
        number = phonenumbers.parse(digits, "JP")
    except phonenumbers.NumberParseException:
        return digits
    # Only format valid numbers: for invalid ones the library drops leading digits
    # ("0101234567" comes out as "234567").
    if not phonenumbers.is_valid_number(number):
        return digits
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    if formatted.replace("-", "") != digits:
        return digits
    return formatted


def normalize_postal_code(text: str) -> str | None:
    """Return the 7 digits of a postal code such as "〒163-8001" or "１６３８００１", or None."""
    # NFKC also turns the circled postal mark 〶 into 〒.
    without_mark = normalize_numeric(text).removeprefix("〒")
    digits = digits_only(without_mark)
    if digits is None or len(digits) != 7:
        return None
    return digits


def format_postal_code(digits: str) -> str:
    """Format 7 digits as "163-8001"; anything else is returned unchanged."""
    if len(digits) != 7 or not (digits.isascii() and digits.isdigit()):
        return digits
    return f"{digits[:3]}-{digits[3:]}"


def _domestic(text: str) -> str:
    # "+81" replaces the trunk 0; "+81 (0)3 …" keeps it in parentheses, so add it only once.
    if not text.startswith("+81"):
        return text
    rest = text.removeprefix("+81").lstrip(" -")
    return rest if rest.startswith(("0", "(0)")) else "0" + rest
