"""Which CFF fonts our PDFs may embed renumbered: CIDFonts whose CIDs are their glyph IDs."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from renderers.pdf import render_pdf
from renderers.pdf.cff import cid_is_glyph_id
from renderers.pdf.printer import FONT_FILES

pytestmark = pytest.mark.skipif(
    not all(path.is_file() for path in FONT_FILES), reason="needs fonts-noto-cjk"
)


@pytest.mark.parametrize("path", FONT_FILES, ids=lambda path: path.name)
def test_noto_cjk_has_its_glyph_ids_for_cids(path: Path) -> None:
    with TTFont(path, fontNumber=0, lazy=True) as font:
        assert cid_is_glyph_id(font.reader["CFF "])


def test_a_renumbered_subset_does_not() -> None:
    """The font program in one of our PDFs keeps the CIDs of glyphs it renumbered."""
    resources: Any = PdfReader(io.BytesIO(render_pdf("<p>髙橋 𠮷乃</p>"))).pages[0]["/Resources"]
    font = next(iter(resources["/Font"].values())).get_object()
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    program = descriptor["/FontFile3"].get_object()
    assert program["/Subtype"] == "/CIDFontType0C"
    assert not cid_is_glyph_id(program.get_data())


def test_a_font_without_cids_does_not() -> None:
    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder([".notdef", "A"])
    builder.setupCharacterMap({ord("A"): "A"})
    pen = T2CharStringPen(500, None)
    pen.moveTo((0, 0))
    pen.lineTo((500, 700))
    pen.lineTo((0, 700))
    pen.closePath()
    glyphs = {".notdef": T2CharStringPen(500, None).getCharString(), "A": pen.getCharString()}
    builder.setupCFF("Test-Regular", {"FullName": "Test"}, glyphs, {})
    assert not cid_is_glyph_id(builder.font.getTableData("CFF "))


@pytest.mark.parametrize(
    "data", [b"", b"\x01\x00\x04", b"\xff" * 64], ids=["empty", "short", "junk"]
)
def test_what_cannot_be_read_does_not(data: bytes) -> None:
    assert not cid_is_glyph_id(data)
