"""Hypothesis strategies shared by the tests: raw answers a citizen could send, per field type."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import stdnum.jp.cn
import stdnum.jp.in_
from hypothesis import strategies as st

from engine.fields import FieldBase
from engine.fields.choices import ChoicesField
from engine.fields.dates import DateField
from engine.fields.files import FILE_KINDS, FileField
from engine.fields.group import GroupField
from engine.fields.numbers import DecimalField, IntegerField, MoneyField
from engine.fields.text import TextareaField, TextField, compile_pattern
from engine.japanese.wareki import format_wareki
from tests.conftest import TODAY

Strategy = st.SearchStrategy[Any]

# Letters people type, including characters outside JIS levels 1-2 (𠮷, 髙, 﨑).
_KANJI = st.sampled_from(
    list("山田花子髙橋𠮷﨑齋藤渡邊太郎一二三四五六七八九十東京都区町村丁目番地")
)
_TEXT = st.characters(
    codec="utf-8",
    exclude_categories=("Cc", "Cs", "Co", "Zl", "Zp", "Cn"),
    exclude_characters="\u3000",
)
_HIRAGANA = st.characters(min_codepoint=0x3041, max_codepoint=0x3093)
_KATAKANA = st.characters(min_codepoint=0x30A1, max_codepoint=0x30F3)
_FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def _spelled(digits: str) -> Strategy:
    """The same digits as people type them: plain, with hyphens, or full-width."""
    return st.sampled_from([digits, digits.translate(_FULL_WIDTH)])


def _text(spec: TextField | TextareaField) -> Strategy:
    if isinstance(spec, TextField) and spec.pattern:
        matcher = compile_pattern(spec.pattern)
        return st.from_regex(spec.pattern, fullmatch=True).filter(
            lambda s: s == s.strip() and matcher.fullmatch(s) is not None and "\n" not in s
        )
    limit = min(spec.max_length or 50, 50)
    return st.text(_TEXT, min_size=max(spec.min_length or 1, 1), max_size=limit).filter(
        lambda s: s.strip(" \t\r\n\u3000") == s and s != ""
    )


def _integer(spec: IntegerField) -> Strategy:
    low = int(spec.min) if spec.min is not None else -10_000
    high = int(spec.max) if spec.max is not None else 10_000
    return st.integers(low, high).flatmap(lambda n: st.sampled_from([n, str(n)]))


def _decimal(spec: DecimalField) -> Strategy:
    return st.decimals(
        min_value=spec.min if spec.min is not None else -1000,
        max_value=spec.max if spec.max is not None else 1000,
        places=spec.places,
        allow_nan=False,
        allow_infinity=False,
    ).map(str)


def _money(spec: MoneyField) -> Strategy:
    low = int(spec.min) if spec.min is not None else 0
    high = int(spec.max) if spec.max is not None else 10_000_000
    return st.integers(low, high).flatmap(
        lambda n: st.sampled_from([str(n), f"{n:,}", f"{n:,}円", f"¥{n:,}"])
    )


def _date(spec: DateField) -> Strategy:
    low = spec.min.resolve(TODAY) if spec.min else date(1900, 1, 1)
    high = spec.max.resolve(TODAY) if spec.max else date(2100, 12, 31)
    return st.dates(low, high).flatmap(
        lambda d: st.sampled_from(
            [
                d.isoformat(),
                format_wareki(d) if d.year >= 1873 else d.isoformat(),
                {"year": str(d.year), "month": str(d.month), "day": str(d.day)},
            ]
        )
    )


def _phone(_: FieldBase) -> Strategy:
    fixed = st.from_regex(r"0[1-9][1-9][0-9]{7}", fullmatch=True).filter(
        lambda s: not s.startswith(("070", "080", "090", "050", "020", "060", "0120", "0800"))
    )
    mobile = st.from_regex(r"0[5789]0[1-9][0-9]{7}", fullmatch=True)
    return st.one_of(fixed, mobile).flatmap(_spelled)


def _my_number(_: FieldBase) -> Strategy:
    base = st.from_regex(r"[0-9]{11}", fullmatch=True)
    return base.map(lambda b: b + stdnum.jp.in_.calc_check_digit(b)).flatmap(_spelled)


def _corporate_number(_: FieldBase) -> Strategy:
    base = st.from_regex(r"[0-9]{12}", fullmatch=True)
    return base.map(lambda b: stdnum.jp.cn.calc_check_digit(b) + b).flatmap(_spelled)


def _person_name(spec: FieldBase) -> Strategy:
    kanji = st.text(_KANJI, min_size=1, max_size=5)
    kana = st.text(st.one_of(_HIRAGANA, _KATAKANA), min_size=1, max_size=8)
    parts = {"family": kanji, "given": kanji}
    if getattr(spec, "furigana", True):
        parts |= {"family_kana": kana, "given_kana": kana}
    return st.fixed_dictionaries(parts)


def _address(_: FieldBase) -> Strategy:
    return st.fixed_dictionaries(
        {
            "prefecture": st.integers(1, 47).map(lambda n: f"{n:02d}"),
            "city": st.text(_KANJI, min_size=1, max_size=10),
            "street": st.text(_KANJI, min_size=1, max_size=20),
            "building": st.text(_KANJI, max_size=10),
        }
    )


def _choices(spec: ChoicesField) -> Strategy:
    keys = list(spec.options)
    return st.lists(
        st.sampled_from(keys),
        min_size=spec.min_choices or 1,
        max_size=spec.max_choices or len(keys),
        unique=True,
    )


def _file(spec: FileField) -> Strategy:
    stored = st.fixed_dictionaries(
        {
            "id": st.from_regex(r"[A-Za-z0-9_-]{16}", fullmatch=True),
            "name": st.text(_KANJI, min_size=1, max_size=10).map(lambda s: f"{s}.pdf"),
            "size": st.integers(1, spec.max_size.bytes),
            "media_type": st.sampled_from([FILE_KINDS[k].media_type for k in spec.accept]),
            "sha256": st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
        }
    )
    return st.lists(stored, min_size=1, max_size=spec.max_files)


def _group(spec: GroupField) -> Strategy:
    item = answers_for(spec.fields)
    if spec.repeat is None:
        return item
    return st.lists(item, min_size=max(spec.repeat.min, 1), max_size=min(spec.repeat.max, 4))


STRATEGIES: dict[str, Callable[[Any], Strategy]] = {
    "text": _text,
    "textarea": _text,
    "integer": _integer,
    "decimal": _decimal,
    "money": _money,
    "date": _date,
    "email": lambda _: st.from_regex(
        r"[a-z][a-z0-9]{0,8}(\.[a-z0-9]{1,5})?@[a-z]{2,10}\.(jp|com)", fullmatch=True
    ),
    "phone": _phone,
    "postal_code": lambda _: st.from_regex(r"[0-9]{3}-?[0-9]{4}", fullmatch=True),
    "address": _address,
    "choice": lambda spec: st.sampled_from(list(spec.options)),
    "choices": _choices,
    "yes_no": lambda _: st.sampled_from(["yes", "no", True, False, "はい", "いいえ"]),
    "person_name": _person_name,
    "my_number": _my_number,
    "corporate_number": _corporate_number,
    "file": _file,
    "declaration": lambda _: st.sampled_from(["on", "yes", True]),
    "group": _group,
}


def answers_for(fields: list[FieldBase]) -> Strategy:
    """Raw answers for every field in ``fields``, hidden or not (hidden ones are dropped)."""
    return st.fixed_dictionaries({spec.id: STRATEGIES[spec.type_name](spec) for spec in fields})
