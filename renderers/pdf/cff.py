"""The two facts about a CFF font program that decide how it may be subset for a PDF:
whether it is CID-keyed, and whether each glyph's CID is its glyph ID.

Reads only the table's header, Top DICT and charset (Adobe Technical Note #5176), a few
hundred bytes even for a 65,535-glyph font, so it is cheap enough to ask on every render.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

_ROS = 1230  # the two-byte operator 12 30; it comes first in a CIDFont's Top DICT
_CHARSET = 15
_CHAR_STRINGS = 17


class Bytes(Protocol):
    """Read-only bytes: ``bytes``, or a cffi buffer over a HarfBuzz blob (not copied)."""

    def __getitem__(self, index: slice, /) -> bytes: ...

    def __len__(self) -> int: ...


def cid_is_glyph_id(cff: Bytes) -> bool:
    """Whether ``cff`` (a whole CFF table) is a CIDFont whose glyph n has CID n, for every
    glyph: then a PDF's CIDs can stay the original font's glyph IDs, whatever the subset."""
    try:
        top = _top_dict(cff)
        if not top or next(iter(top)) != _ROS or _CHARSET not in top:
            return False
        glyph_count = _u16(cff, top[_CHAR_STRINGS])
        return _charset_is_identity(cff, top[_CHARSET], glyph_count)
    except (IndexError, KeyError, ValueError):  # a table we cannot read: not one we change
        return False


def _top_dict(cff: Bytes) -> dict[int, int]:
    """The first Top DICT's operators, in order, each with its last operand."""
    header_size = cff[2:3][0]
    names_end = _index_end(cff, header_size)
    count = _u16(cff, names_end)
    if count == 0:
        return {}
    offset_size = cff[names_end + 2 : names_end + 3][0]
    offsets = names_end + 3
    data = offsets + (count + 1) * offset_size - 1
    start = data + _offset(cff, offsets, offset_size)
    end = data + _offset(cff, offsets + offset_size, offset_size)
    return dict(_operators(cff[start:end]))


def _operators(dict_data: bytes) -> Iterator[tuple[int, int]]:
    operands: list[int] = []
    position = 0
    while position < len(dict_data):
        byte = dict_data[position]
        if byte <= 21:  # an operator
            if byte == 12:
                position += 1
                yield 1200 + dict_data[position], operands[-1] if operands else 0
            else:
                yield byte, operands[-1] if operands else 0
            operands = []
            position += 1
        else:
            value, position = _operand(dict_data, position)
            operands.append(value)


def _operand(data: bytes, position: int) -> tuple[int, int]:
    byte = data[position]
    if 32 <= byte <= 246:
        return byte - 139, position + 1
    if 247 <= byte <= 250:
        return (byte - 247) * 256 + data[position + 1] + 108, position + 2
    if 251 <= byte <= 254:
        return -(byte - 251) * 256 - data[position + 1] - 108, position + 2
    if byte == 28:
        return int.from_bytes(data[position + 1 : position + 3], "big", signed=True), position + 3
    if byte == 29:
        return int.from_bytes(data[position + 1 : position + 5], "big", signed=True), position + 5
    if byte == 30:  # a real number, in nibbles up to an 0xf nibble: never an offset
        position += 1
        while data[position] >> 4 != 0x0F and data[position] & 0x0F != 0x0F:
            position += 1
        return 0, position + 1
    raise ValueError(f"reserved byte {byte} in a DICT")


def _charset_is_identity(cff: Bytes, offset: int, glyph_count: int) -> bool:
    charset_format = cff[offset : offset + 1][0]
    position, glyph = offset + 1, 1
    if charset_format == 0:
        cids = cff[position : position + 2 * (glyph_count - 1)]
        return all(
            int.from_bytes(cids[2 * i : 2 * i + 2], "big") == i + 1 for i in range(glyph_count - 1)
        )
    if charset_format not in (1, 2):
        return False
    left_size = charset_format  # format 1 counts a range's glyphs in one byte, format 2 in two
    while glyph < glyph_count:
        first = _u16(cff, position)
        left = int.from_bytes(cff[position + 2 : position + 2 + left_size], "big")
        if first != glyph:
            return False
        glyph += left + 1
        position += 2 + left_size
    return True


def _index_end(cff: Bytes, position: int) -> int:
    count = _u16(cff, position)
    if count == 0:
        return position + 2
    offset_size = cff[position + 2 : position + 3][0]
    offsets = position + 3
    last = _offset(cff, offsets + count * offset_size, offset_size)
    return offsets + (count + 1) * offset_size - 1 + last


def _offset(cff: Bytes, position: int, size: int) -> int:
    return int.from_bytes(cff[position : position + size], "big")


def _u16(cff: Bytes, position: int) -> int:
    return int.from_bytes(cff[position : position + 2], "big")
