from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from engine.documents.codes import (
    RANDOM_LENGTH,
    document_code,
    new_document_code,
    normalize_document_code,
)
from engine.storage.references import ALPHABET

CODE = re.compile(rf"^[{ALPHABET}]{{4}}(-[{ALPHABET}]{{4}}){{3}}$")
# Drawn by hypothesis (not by new_document_code's own randomness), so a failure replays.
codes = st.builds(
    document_code,
    st.text(alphabet=ALPHABET, min_size=RANDOM_LENGTH, max_size=RANDOM_LENGTH),
)


def test_a_new_code_is_a_code() -> None:
    code = new_document_code()
    assert CODE.match(code)
    assert normalize_document_code(code) == code


@given(codes)
def test_a_new_code_is_four_groups_of_four_unambiguous_symbols(code: str) -> None:
    assert CODE.match(code)
    assert normalize_document_code(code) == code


@given(codes)
def test_people_may_type_it_in_lower_case_full_width_or_without_hyphens(code: str) -> None:
    assert normalize_document_code(code.lower()) == code
    assert normalize_document_code(code.replace("-", " ")) == code
    full_width = code.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    assert normalize_document_code(full_width) == code
    assert normalize_document_code(code.replace("-", "ー")) == code  # hyphen key in kana mode


@given(codes, st.integers(min_value=0, max_value=15), st.sampled_from(ALPHABET))
def test_one_mistyped_symbol_is_caught(code: str, position: int, symbol: str) -> None:
    symbols = code.replace("-", "")
    typo = symbols[:position] + symbol + symbols[position + 1 :]
    if typo != symbols:
        assert normalize_document_code(typo) is None


@given(codes, st.integers(min_value=0, max_value=14))
def test_two_swapped_neighbours_are_caught(code: str, position: int) -> None:
    symbols = code.replace("-", "")
    swapped = (
        symbols[:position] + symbols[position + 1] + symbols[position] + symbols[position + 2 :]
    )
    if swapped != symbols:
        assert normalize_document_code(swapped) is None


@given(st.text(max_size=80))
def test_anything_else_is_refused_or_canonical(text: str) -> None:
    result = normalize_document_code(text)
    assert result is None or CODE.match(result)


def test_confusable_letters_are_not_in_codes() -> None:
    assert not set("01OILUZ") & set(ALPHABET)
    assert normalize_document_code("O" * 16) is None
