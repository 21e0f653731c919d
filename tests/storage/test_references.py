"""Reference numbers survive the ways people copy them, and typos are caught."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from engine.storage.references import (
    ALPHABET,
    hash_access_code,
    new_access_code,
    new_reference,
    normalize_reference,
    reference_for,
    verify_access_code,
)

REFERENCE = re.compile(rf"MD-[{ALPHABET}]{{3}}-[{ALPHABET}]{{3}}-[{ALPHABET}]{{3}}")
FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


def references() -> st.SearchStrategy[str]:
    bodies = st.text(alphabet=ALPHABET, min_size=8, max_size=8)
    return bodies.map(reference_for)


def test_the_alphabet_has_no_lookalikes() -> None:
    assert len(ALPHABET) == 29
    assert not set("01OILUZ") & set(ALPHABET)


def test_a_new_reference_reads_like_the_example() -> None:
    assert REFERENCE.fullmatch(new_reference())


@given(
    references(),
    st.lists(st.sampled_from(["lower", "full", "space", "hyphen", "ideographic", "choon"])),
    st.booleans(),
)
def test_a_mangled_reference_normalises_back(
    reference: str, manglings: list[str], drop_prefix: bool
) -> None:
    text = reference.removeprefix("MD-") if drop_prefix else reference
    for mangling in manglings:
        text = _mangle(text, mangling)
    assert normalize_reference(text) == reference


def _mangle(text: str, how: str) -> str:
    middle = len(text) // 2
    if how == "lower":
        return text.lower()
    if how == "full":
        return "".join(FULL_WIDTH.get(c, c) for c in text)
    inserted = {"space": " ", "hyphen": "-", "ideographic": "\u3000", "choon": "ー"}[how]
    return text[:middle] + inserted + text[middle:]


@given(references(), st.integers(min_value=0, max_value=8), st.sampled_from(ALPHABET))
def test_every_single_character_typo_is_caught(reference: str, index: int, typed: str) -> None:
    symbols = list(reference.removeprefix("MD-").replace("-", ""))
    if symbols[index] == typed:
        return
    symbols[index] = typed
    assert normalize_reference("".join(symbols)) is None


@given(references(), st.integers(min_value=0, max_value=8), st.integers(min_value=0, max_value=8))
def test_every_swap_of_two_characters_is_caught(reference: str, i: int, j: int) -> None:
    symbols = list(reference.removeprefix("MD-").replace("-", ""))
    if symbols[i] == symbols[j]:
        return
    symbols[i], symbols[j] = symbols[j], symbols[i]
    assert normalize_reference("".join(symbols)) is None


def test_z_is_read_as_2_but_letters_that_could_be_two_things_are_refused() -> None:
    reference = reference_for("2345678A")
    with_z = reference.replace("2", "Z")
    assert normalize_reference(with_z) == reference
    assert normalize_reference(reference.replace("3", "O")) is None
    assert normalize_reference(reference.replace("3", "I")) is None


def test_garbage_is_not_a_reference() -> None:
    for text in ["", "MD-", "hello", "MD-7K4-Q9X-PA", "MD-7K4-Q9X-PAHH", "x" * 10_000, "💥" * 9]:
        assert normalize_reference(text) is None


def test_access_codes_verify_only_with_their_reference() -> None:
    code = new_access_code()
    assert re.fullmatch(rf"[{ALPHABET}]{{5}}-[{ALPHABET}]{{5}}", code)
    stored = hash_access_code(code, "MD-AAA-AAA-AAA")
    assert verify_access_code(code, "MD-AAA-AAA-AAA", stored)
    assert verify_access_code(f" {code.lower().replace('-', '')} ", "MD-AAA-AAA-AAA", stored)
    assert not verify_access_code(code, "MD-BBB-BBB-BBB", stored)
    assert not verify_access_code(new_access_code(), "MD-AAA-AAA-AAA", stored)
    assert not verify_access_code("", "MD-AAA-AAA-AAA", stored)
