"""Furigana (reading) fields: everything the citizen types becomes full-width katakana."""

from __future__ import annotations

import re
import unicodedata

import jaconv

_IDEOGRAPHIC_SPACE = "\u3000"

# Hiragana ぁ–ゖ plus the iteration marks ゝゞ sit exactly 0x60 below their katakana.
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in [*range(0x3041, 0x3097), 0x309D, 0x309E]}

_SPACES = re.compile(r"[ \u3000]+")

# Katakana ァ–ヺ, the middle dot ・ (foreign names), ー, ヽヾ and the ideographic space.
# Small kana stay distinct: キヨウコ and キョウコ are different registered readings.
_FURIGANA = re.compile(r"[\u30a1-\u30fa\u30fb\u30fc\u30fd\u30fe\u3000]*")


def to_furigana(text: str) -> str | None:
    """Convert hiragana and half-width katakana to full-width katakana with single
    ideographic spaces; None if anything else (kanji, latin, digits) or nothing remains."""
    # NFC joins a base kana with a combining (han)dakuten, as pasted from NFD sources.
    composed = unicodedata.normalize("NFC", text)
    widened: str = jaconv.h2z(composed, kana=True, ascii=False, digit=False)
    katakana = widened.translate(_HIRAGANA_TO_KATAKANA)
    spaced = _SPACES.sub(_IDEOGRAPHIC_SPACE, katakana).strip(_IDEOGRAPHIC_SPACE)
    if not spaced or _FURIGANA.fullmatch(spaced) is None:
        return None
    return spaced
