"""The visible signature: a stamp naming the issuing office, bottom right of the last page.

Japanese office names need an OpenType font. pyHanko subsets the font it is given on every
signature, which for a whole CJK font costs ~0.3 s; so the stamp gets a font cut down once
to the characters it can show (and scaled to 1000 units per em), and pyHanko subsets that
small font instead."""

from __future__ import annotations

import io
import string
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine.documents import development
from engine.documents.errors import SigningSetupError

# The stamp's place on the last page, in points: bottom right, inside a 1.5 cm margin.
# Document templates keep this corner free.
WIDTH, HEIGHT, MARGIN = 220, 64, 42
FONT_SIZE = 9
LINES = ("%(office)s", "電子署名 Digitally signed", "%(ts)s")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S %Z"  # the signing time, in the server's zone


def stamp_box(writer: Any) -> tuple[int, int, int, int]:
    """Where the stamp goes on the last page of the PDF in ``writer`` (pyHanko's)."""
    page_ref, _ = writer.find_page_for_modification(-1)
    node = page_ref.get_object()
    while "/MediaBox" not in node:  # inherited from the page tree
        node = node["/Parent"]
    _left, bottom, right, _top = (float(value) for value in node["/MediaBox"])
    x1 = int(right) - MARGIN
    y0 = int(bottom) + MARGIN
    return (x1 - WIDTH, y0, x1, y0 + HEIGHT)


def stamp_style(font: Path | None, office_name: str, *, for_development: bool) -> Any:
    """A pyHanko ``TextStampStyle`` for ``office_name``; ``font`` None uses pyHanko's
    built-in Latin font (enough for a Latin office name only)."""
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    lines = [*LINES, development.MARK] if for_development else list(LINES)
    text = "\n".join(lines)
    if font is None:
        return TextStampStyle(stamp_text=text, border_width=1, timestamp_format=TIME_FORMAT)
    if not font.is_file():
        raise SigningSetupError(
            f"stamp font {font} is missing (Debian: apt-get install fonts-ipaexfont-gothic)"
        )
    characters = "".join(sorted(set(text + office_name + string.printable)))
    factory = _font_factory(str(font), characters)
    box_style = TextBoxStyle(font=factory, font_size=FONT_SIZE)
    return TextStampStyle(
        stamp_text=text, border_width=1, text_box_style=box_style, timestamp_format=TIME_FORMAT
    )


@lru_cache(maxsize=16)
def _font_factory(path: str, characters: str) -> Any:
    from fontTools import subset, ttLib
    from fontTools.ttLib.scaleUpem import scale_upem

    from engine.documents.stamp_font import StampFontFactory

    font = ttLib.TTFont(path)
    subsetter = subset.Subsetter(subset.Options(layout_closure=False))
    subsetter.populate(text=characters)
    subsetter.subset(font)
    # pyHanko writes glyph widths in font units where PDF wants 1/1000 em: a font with
    # 2048 units per em (IPAex) came out letter-spaced twice as wide.
    scale_upem(font, 1000)
    buffer = io.BytesIO()
    font.save(buffer)
    return StampFontFactory(font_file=path, font_size=FONT_SIZE, program=buffer.getvalue())
