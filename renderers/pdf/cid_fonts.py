"""Embedding our CJK fonts as bare CID-keyed CFF subsets, as CJK fonts are usually embedded.

WeasyPrint 70 subsets every font keeping glyph IDs, so that the glyph codes it wrote in the
page need no mapping: the subset of Noto Sans CJK JP is then as long as the highest glyph
used (about 63,000 of 65,535: Japanese forms sit at the end), about 800 KB per weight and
document, 40 ms to subset and 10 ms to compress. A CID-keyed CFF font program needs no
such padding: its charset names each glyph's CID, and a PDF reader finds a glyph by CID
through it when the program is embedded as bare CFF (FontFile3 /CIDFontType0C, ISO 32000-2
9.7.4.2). When a font's CIDs are its glyph IDs (Noto CJK's are), the codes WeasyPrint wrote
are those CIDs, so HarfBuzz may renumber the glyphs: the subset is then ~25 KB, made in ~4 ms.
Every other font (TrueType, name-keyed CFF, variable, colour) is left to WeasyPrint.

``install`` changes WeasyPrint in the process that calls it: only the render worker does.
"""

from __future__ import annotations

from typing import Any

import pydyf
from weasyprint import pdf as weasyprint_pdf  # noqa: TID253 -- the worker process's module
from weasyprint.pdf import fonts, stream  # noqa: TID253
from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset  # noqa: TID253
from weasyprint.text.fonts import get_hb_object_data  # noqa: TID253

from renderers.pdf.cff import cid_is_glyph_id

BARE_CFF = "/CIDFontType0C"  # the font file stream's subtype: a CID-keyed CFF font program
# Only the CFF table is embedded: HarfBuzz need not subset the others. GSUB among them
# matters: kept, it would add every glyph a substitution could reach.
_DROPPED_TABLES = (
    b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GDEF", b"GPOS", b"GSUB", b"JSTF", b"LTSH",
    b"PCLT", b"SVG ", b"VORG", b"cmap", b"hhea", b"hmtx", b"name", b"OS/2", b"post", b"vhea",
    b"vmtx",
)  # fmt: skip


class CidFont(fonts.Font):  # type: ignore[misc]  # weasyprint ships no types
    """A WeasyPrint font that subsets itself to bare CFF when its CIDs are its glyph IDs."""

    bare_cff = False
    _file_content: bytes | None = None

    def __init__(self, *args: Any) -> None:
        # WeasyPrint copies the whole font file into every font of every render (20 MB for
        # a Noto CJK collection, 3 ms): this one reads it when something asks for it, which
        # for a font subset here is never. (Swapping the module's function is safe: the
        # worker renders one document at a time, in one thread.)
        fonts.get_hb_object_data = _read_later
        try:
            super().__init__(*args)
        finally:
            fonts.get_hb_object_data = get_hb_object_data

    @property
    def file_content(self) -> bytes:
        if self._file_content is None:
            self._file_content = get_hb_object_data(self.hb_face)
        return self._file_content

    @file_content.setter
    def file_content(self, content: bytes | None) -> None:
        self._file_content = content

    def subset(self, to_unicode: dict[int, str], hinting: bool) -> None:
        if to_unicode and self._cid_is_glyph_id():
            program = _cff_subset(self.hb_face, sorted(to_unicode), hinting, bool(self.missing))
            if program is not None:
                self.file_content, self.bare_cff = program, True
                return
        super().subset(to_unicode, hinting)

    @property
    def type(self) -> str:
        # "otf" makes WeasyPrint write a CIDFontType0 font with a FontFile3 stream.
        return "otf" if self.bare_cff else str(super().type)

    def _cid_is_glyph_id(self) -> bool:
        if "CFF " not in self.tables or "fvar" in self.tables:
            return False
        if self.png or self.svg or self.colr or self.bitmap:
            return False
        blob = harfbuzz.hb_face_reference_table(self.hb_face, _tag(b"CFF "))
        try:
            length = ffi.new("unsigned int *")
            data = harfbuzz.hb_blob_get_data(blob, length)
            return data != ffi.NULL and cid_is_glyph_id(ffi.buffer(data, length[0]))
        finally:
            harfbuzz.hb_blob_destroy(blob)


def _read_later(hb_object: Any, *args: Any) -> None:
    """Instead of the font file's bytes, while a CidFont sets up: it reads them if needed."""


def install() -> None:
    """Make WeasyPrint, in this process, embed fonts whose CIDs are glyph IDs as bare CFF."""
    stream.Font = CidFont
    if not getattr(weasyprint_pdf.build_fonts_dictionary, "marks_bare_cff", False):
        weasyprint_pdf.build_fonts_dictionary = _marking_bare_cff(fonts.build_fonts_dictionary)


def _marking_bare_cff(build: Any) -> Any:
    """WeasyPrint's ``build_fonts_dictionary``, with our font programs' streams given the
    subtype of bare CFF (it writes /OpenType for every "otf" font)."""

    def build_fonts_dictionary(pdf: Any, used: dict[str, Any], *args: Any) -> Any:
        dictionary = build(pdf, used, *args)
        programs = {id(font.file_content) for font in used.values() if font.bare_cff}
        for item in pdf.objects:
            if isinstance(item, pydyf.Stream) and item.stream and id(item.stream[0]) in programs:
                item.extra["Subtype"] = BARE_CFF
        return dictionary

    build_fonts_dictionary.marks_bare_cff = True  # type: ignore[attr-defined]  # a marker
    return build_fonts_dictionary


def _cff_subset(face: Any, glyphs: list[int], hinting: bool, notdef_outline: bool) -> bytes | None:
    """The CFF table of a subset of ``face`` with ``glyphs``, renumbered (their CIDs kept)."""
    subset_input = ffi.gc(
        harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy
    )
    if subset_input == ffi.NULL:
        return None
    _add(harfbuzz_subset.hb_subset_input_glyph_set(subset_input), glyphs)
    drop = harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG
    _add(
        harfbuzz_subset.hb_subset_input_set(subset_input, drop),
        sorted(_tag(name) for name in _DROPPED_TABLES),
    )
    flags = (
        harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
        | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
    )
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    if notdef_outline:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    harfbuzz_subset.hb_subset_input_set_flags(subset_input, flags)
    subset = ffi.gc(harfbuzz_subset.hb_subset_or_fail(face, subset_input), harfbuzz.hb_face_destroy)
    if subset == ffi.NULL:
        return None
    blob = harfbuzz.hb_face_reference_table(subset, _tag(b"CFF "))
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        return None if data == ffi.NULL or not length[0] else ffi.unpack(data, length[0])
    finally:
        harfbuzz.hb_blob_destroy(blob)


def _add(hb_set: Any, sorted_values: list[int]) -> None:
    values = ffi.new(f"hb_codepoint_t[{len(sorted_values)}]", sorted_values)
    harfbuzz.hb_set_add_sorted_array(hb_set, values, len(sorted_values))


def _tag(name: bytes) -> int:
    return int(harfbuzz.hb_tag_from_string(name, -1))
