from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from auth.passwords import hash_password, needs_rehash, password_problem, verify_password

EMAIL = "hanako@example.jp"


def test_a_hash_verifies_its_password_only() -> None:
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse battery!")
    assert not needs_rehash(stored)


def test_hashes_are_salted() -> None:
    assert hash_password("correct horse battery") != hash_password("correct horse battery")


@pytest.mark.parametrize(
    "stored",
    ["", "nonsense", "$argon2id$v=19$m=65536,t=3,p=4$abc", "$2b$12$" + "a" * 53, "\x00"],
)
def test_a_malformed_hash_is_a_mismatch_not_an_error(stored: str) -> None:
    assert verify_password(stored, "correct horse battery") is False
    assert needs_rehash(stored)


def test_no_hash_is_verified_against_a_dummy_and_fails() -> None:
    assert verify_password(None, "correct horse battery") is False
    assert verify_password(None, "") is False


def test_hashes_made_with_other_parameters_need_a_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("correct horse battery")
    assert verify_password(weak, "correct horse battery")
    assert needs_rehash(weak)


def test_full_width_input_matches_the_half_width_password() -> None:
    # The same passphrase typed with the Japanese IME in full-width mode.
    stored = hash_password("Password-2026!")
    assert verify_password(stored, "Ｐａｓｓｗｏｒｄ－２０２６！")


def test_a_lone_surrogate_never_raises() -> None:
    stored = hash_password("correct horse battery")
    assert verify_password(stored, "abc\ud800def") is False
    assert password_problem("abc\ud800defghijk", EMAIL) == "control_characters"


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "too_short"),
        ("123456789", "too_short"),
        ("x" * 129, "too_long"),
        ("tab\tinside it", "control_characters"),
        ("line\nbreak inside", "control_characters"),
        ("nul\x00character!", "control_characters"),
        ("c1\x85control!!", "control_characters"),
        ("hanako@example.jp", "same_as_email"),
        ("HANAKO@EXAMPLE.JP", "same_as_email"),
        ("1234567890", "too_common"),
        ("Password123", "too_common"),
        ("ＱＷＥＲＴＹＵＩＯＰ", "too_common"),
        ("aaaaaaaaaaaa", "too_common"),
        ("ああああああああああ", "too_common"),
        ("あいうえおかきくけこ", "too_common"),
    ],
)
def test_the_policy_names_the_problem(password: str, problem: str) -> None:
    assert password_problem(password, EMAIL) == problem


def test_the_local_part_of_the_email_is_refused_too() -> None:
    assert password_problem("hanako.yamada", "hanako.yamada@example.jp") == "same_as_email"


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery",
        "こんにちは世界のみなさま",  # Japanese passphrases are welcome
        "ももたろうはおにがしまへ",
        ("horse battery staple " * 7)[:128],  # the longest allowed
        "𠮷野家で牛丼を食べた日",  # characters outside the BMP count as one each
        "spaces are fine too",
    ],
)
def test_good_passwords_pass(password: str) -> None:
    assert password_problem(password, EMAIL) is None


def test_length_counts_characters_not_bytes() -> None:
    assert password_problem("あ" * 5 + "い" * 5, EMAIL) is None
    assert password_problem("あ" * 4 + "い" * 5, EMAIL) == "too_short"
