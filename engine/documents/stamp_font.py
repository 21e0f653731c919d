"""The stamp's font engine: pyHanko's, with the font file subset by HarfBuzz as it is written.

pyHanko subsets the stamp's font with fontTools and compiles it again for every signature,
about a third of a signature's time. HarfBuzz makes the same subset (the glyphs the stamp
drew, their glyph IDs kept) in well under a millisecond.

Imported only by ``engine.documents.stamp`` when a signer sets up (pyHanko is slow to import).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import uharfbuzz
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils import generic  # noqa: TID253 -- imported only when signing
from pyhanko.pdf_utils.font.opentype import (  # noqa: TID253
    CIDFontType2,
    GlyphAccumulator,
    GlyphAccumulatorFactory,
)


@dataclass(frozen=True)
class StampFontFactory(GlyphAccumulatorFactory):
    """Font engines for ``program``, a font file already cut down to the stamp's characters
    (``font_file`` names where it was cut from)."""

    program: bytes = b""

    def create_font_engine(self, writer: Any, obj_stream: Any = None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return StampFontEngine(writer, self.program, self.font_size, obj_stream)


class StampFontEngine(GlyphAccumulator):
    def __init__(self, writer: Any, program: bytes, font_size: int, obj_stream: Any) -> None:
        super().__init__(
            writer=writer,
            font_handle=io.BytesIO(program),
            font_size=font_size,
            obj_stream=obj_stream,
        )
        self.program = program
        base_name = self.cidfont_obj.name.split("+", 1)[1]
        self.cidfont_obj = HarfBuzzSubsetFont(self.tt, base_name, self.subset_prefix, self)

    def subset_program(self) -> bytes:
        """The font file with only the glyphs shaped so far (and .notdef)."""
        subset_input = uharfbuzz.SubsetInput()
        subset_input.glyph_set.update([0, *self._glyphs])
        # The glyph IDs are the PDF's CIDs here (CIDToGIDMap /Identity), so they stay.
        subset_input.flags = uharfbuzz.SubsetFlags.RETAIN_GIDS
        subset = uharfbuzz.subset(uharfbuzz.Face(self.program), subset_input)
        return bytes(subset.blob.data)

    def _extract_subset(self, options: Any = None) -> None:
        """Nothing to do yet: ``subset_program`` subsets when the font file is written."""


class HarfBuzzSubsetFont(CIDFontType2):
    """pyHanko's TrueType CIDFont, writing its engine's ``subset_program``."""

    def __init__(self, tt: TTFont, base_name: str, prefix: str, engine: StampFontEngine) -> None:
        super().__init__(tt, base_name, prefix)
        self.engine = engine

    def set_font_file(self, writer: Any) -> generic.IndirectObject:
        stream = generic.StreamObject(stream_data=self.engine.subset_program())
        stream.compress()  # type: ignore[no-untyped-call]  # pyHanko leaves it untyped
        reference: generic.IndirectObject = writer.add_object(stream)
        self._font_descriptor[generic.pdf_name("/FontFile2")] = reference
        return reference
