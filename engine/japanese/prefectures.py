"""The 47 prefectures with their JIS X 0401 codes, kept as data in prefectures.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import files


@dataclass(frozen=True)
class Prefecture:
    """A prefecture: JIS X 0401 ``code`` ("13"), ``ja`` name ("東京都") and ``en`` name."""

    code: str
    ja: str
    en: str


def _load() -> tuple[Prefecture, ...]:
    raw = files("engine.japanese").joinpath("prefectures.json").read_text(encoding="utf-8")
    return tuple(Prefecture(item["code"], item["ja"], item["en"]) for item in json.loads(raw))


PREFECTURES: tuple[Prefecture, ...] = _load()

_BY_CODE = {p.code: p for p in PREFECTURES}
_BY_NAME = {p.ja: p for p in PREFECTURES}
# People often drop the suffix: 東京 for 東京都, 大阪 for 大阪府. 北海道 has none to drop.
_BY_STEM = {p.ja[:-1]: p for p in PREFECTURES if p.ja[-1] in "都府県"}


def prefecture_by_code(code: str) -> Prefecture | None:
    """Return the prefecture with JIS X 0401 ``code`` ("01" to "47"), or None."""
    return _BY_CODE.get(code)


def prefecture_by_name(ja_name: str) -> Prefecture | None:
    """Return the prefecture named ``ja_name`` ("東京都", or "東京" without the suffix), or None."""
    name = ja_name.strip()
    return _BY_NAME.get(name) or _BY_STEM.get(name)
