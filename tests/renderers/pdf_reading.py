"""Reading rendered PDFs back as a reader would: their text, fonts, glyphs and links."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterator
from typing import Any

from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTFont
from pypdf import PdfReader


def pdf_text(pdf: bytes) -> str:
    """The text poppler's pdftotext extracts (as a reader's copy and paste would)."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607 -- poppler-utils, by name
        input=pdf,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def link_targets(pdf: bytes) -> list[str]:
    """The URI of every link annotation, on every page."""
    targets = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


class EmbeddedFont:
    """One Type 0 font of a PDF: its embedded program and what each code means."""

    def __init__(self, font: Any) -> None:  # pypdf's objects are typed loosely
        descendant = font["/DescendantFonts"][0].get_object()
        descriptor = descendant["/FontDescriptor"].get_object()
        program: Any = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
        self.name = str(font["/BaseFont"])
        self.embedded = program is not None
        self.font: TTFont | None = None  # an OpenType or TrueType program
        self.cff: Any = None  # the Top DICT of a CFF program, bare or inside OpenType
        if program is not None:
            stream = program.get_object()
            if stream.get("/Subtype") == "/CIDFontType0C":  # bare CFF: no OpenType tables
                font_set = CFFFontSet()
                font_set.decompile(io.BytesIO(stream.get_data()), None)
                self.cff = font_set.topDictIndex[0]
            else:
                self.font = TTFont(io.BytesIO(stream.get_data()))
                self.cff = self.font["CFF "].cff.topDictIndex[0] if "CFF " in self.font else None
        self.to_unicode = _cmap(font["/ToUnicode"].get_object().get_data(), "bf")
        encoding = font["/Encoding"]
        self.code_to_cid = (
            None if isinstance(encoding, str) else _cmap(encoding.get_object().get_data(), "cid")
        )

    @property
    def family(self) -> str | None:
        """The family name the font program gives itself."""
        if self.font is not None and "name" in self.font:
            return str(self.font["name"].getDebugName(1))
        return getattr(self.cff, "FamilyName", None)

    @property
    def glyph_count(self) -> int:
        """How many glyphs the embedded program holds (a subset holds few)."""
        if self.cff is not None:
            return len(self.cff.charset)
        return len(self.font.getGlyphOrder()) if self.font is not None else 0

    @property
    def outline_count(self) -> int:
        """How many glyphs have an outline (a subset that keeps glyph IDs pads with empty ones)."""
        if self.cff is not None:
            return sum(1 for name in self.cff.charset if self._cff_outline(name))
        if self.font is None:
            return 0
        glyphs = self.font["glyf"]
        return sum(1 for name in self.font.getGlyphOrder() if glyphs[name].numberOfContours != 0)

    def glyph_for(self, character: str) -> str | None:
        """The name of the real glyph that draws ``character``, or None (.notdef, a
        missing glyph, an empty outline)."""
        codes = [code for code, text in self.to_unicode.items() if text == character]
        if not codes or not self.embedded:
            return None
        code = codes[0]
        cid = code if self.code_to_cid is None else int(self.code_to_cid.get(code, "0"))
        if self.cff is not None:
            return self._cff_glyph(cid)
        assert self.font is not None
        order = self.font.getGlyphOrder()
        if cid == 0 or cid >= len(order):
            return None
        glyph = self.font["glyf"][order[cid]]
        return order[cid] if glyph.numberOfContours != 0 else None

    def _cff_glyph(self, cid: int) -> str | None:
        top = self.cff
        if hasattr(top, "ROS"):  # a CIDFont: the charset finds the glyph of each CID
            name = f"cid{cid:05d}"
        else:  # CIDs are glyph IDs
            order = top.charset
            name = order[cid] if cid < len(order) else ""
        return name if cid != 0 and self._cff_outline(name) else None

    def outline_bounds(self, name: str) -> tuple[float, ...] | None:
        """The bounds of glyph ``name``'s outline in this CFF font program."""
        charstring = self.cff.CharStrings[name]
        charstring.decompile()
        bounds = charstring.calcBounds(self.cff.CharStrings)
        return tuple(bounds) if bounds is not None else None

    def _cff_outline(self, name: str) -> bool:
        if name not in self.cff.CharStrings:
            return False
        charstring = self.cff.CharStrings[name]
        charstring.decompile()
        return charstring.calcBounds(self.cff.CharStrings) is not None


def embedded_fonts(pdf: bytes) -> list[EmbeddedFont]:
    found: dict[int, EmbeddedFont] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for reference, font in _fonts(page.get("/Resources")):
            if font.get("/Subtype") == "/Type0":
                found.setdefault(reference, EmbeddedFont(font))
    return list(found.values())


def stamp_fonts(pdf: bytes) -> list[EmbeddedFont]:
    """The Type 0 fonts of the last page's signature stamp (its annotation's appearance)."""
    found: dict[int, EmbeddedFont] = {}
    for annotation in PdfReader(io.BytesIO(pdf)).pages[-1].get("/Annots") or []:
        appearance = annotation.get_object().get("/AP")
        if appearance is not None:
            for reference, font in _fonts(appearance["/N"].get_object().get("/Resources")):
                if font.get("/Subtype") == "/Type0":
                    found.setdefault(reference, EmbeddedFont(font))
    return list(found.values())


def missing_glyphs(pdf: bytes, text: str, fonts: list[EmbeddedFont] | None = None) -> set[str]:
    """The characters of ``text`` (not spaces) that no embedded font (of the page, or
    ``fonts``) draws with a real glyph."""
    fonts = embedded_fonts(pdf) if fonts is None else fonts
    return {c for c in text if not c.isspace() and not any(f.glyph_for(c) for f in fonts)}


def _fonts(resources: Any) -> Iterator[tuple[int, Any]]:
    if resources is None:
        return
    resources = resources.get_object()
    for reference in (resources.get("/Font") or {}).values():
        yield reference.idnum, reference.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        yield from _fonts(xobject.get_object().get("/Resources"))


def _cmap(data: bytes, kind: str) -> dict[int, str]:
    """A CMap's single entries and ranges: code → text ("bf") or code → CID digits ("cid")."""
    text = data.decode("latin-1")
    result: dict[int, str] = {}
    for block in re.findall(rf"begin{kind}char(.*?)end{kind}char", text, re.S):
        for code, value in re.findall(r"<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\d+)", block):
            result[int(code, 16)] = _value(value)
    for block in re.findall(rf"begin{kind}range(.*?)end{kind}range", text, re.S):
        for first, last, value in re.findall(
            r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>|\d+)", block
        ):
            codes = range(int(first, 16), int(last, 16) + 1)
            if value.startswith("["):  # one destination per code
                destinations = re.findall(r"<[0-9a-fA-F]*>", value)
                result.update(
                    (code, _value(each)) for code, each in zip(codes, destinations, strict=True)
                )
                continue
            start = _value(value)
            for offset, code in enumerate(codes):
                result[code] = (
                    str(int(start) + offset)
                    if start.isdigit() and kind == "cid"
                    else chr(ord(start[-1]) + offset)
                    if start
                    else ""
                )
    return result


def _value(token: str) -> str:
    if not token.startswith("<"):
        return token  # a CID, in decimal
    return bytes.fromhex(token[1:-1]).decode("utf-16-be", "surrogatepass")
