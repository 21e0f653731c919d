"""How wide a line of text is drawn, estimated without a font: SVG has no layout engine
we could ask, and the picture must be laid out before any browser sees it."""

from __future__ import annotations

import unicodedata

WIDE = 1.0  # full-width CJK, kana, full-width forms, symbols like ⏱: about 1em
NARROW = 0.6  # Latin letters, digits, punctuation in a sans-serif font: about 0.6em


def text_width(text: str, font_size: float) -> float:
    return sum(_em(character) for character in text) * font_size


def _em(character: str) -> float:
    if unicodedata.east_asian_width(character) in ("W", "F"):
        return WIDE
    if unicodedata.category(character) == "So":  # pictographs are drawn wide
        return WIDE
    return NARROW
