"""Sensitive answers are unreadable at rest and come back whole."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from cryptography.fernet import InvalidToken

from engine.storage.crypto import FernetAnswerCipher, generate_key, load_or_create_key

ANSWERS = {
    "name": "髙橋 花子",
    "my_number": "123456789018",
    "children": [{"name": "𠮷乃", "my_number": "987654321098"}, {"name": "太郎"}],
    "applicant": {"my_number": None},
}
PATHS = ["my_number", "children[].my_number", "applicant.my_number", "spouse.my_number"]


def test_only_the_sensitive_values_are_encrypted_and_they_come_back() -> None:
    cipher = FernetAnswerCipher(generate_key())
    sealed = cipher.encrypt(ANSWERS, PATHS)
    text = json.dumps(sealed, ensure_ascii=False)
    assert "123456789018" not in text
    assert "987654321098" not in text
    assert sealed["name"] == "髙橋 花子"
    assert set(sealed["my_number"]) == {"$encrypted"}
    assert sealed["children"][1] == {"name": "太郎"}
    assert sealed["applicant"] == {"my_number": None}  # nothing to hide
    assert cipher.decrypt(sealed, PATHS) == ANSWERS
    assert ANSWERS["my_number"] == "123456789018"  # the input is left as it was


def test_a_look_alike_marker_in_raw_input_is_encrypted_like_anything_else() -> None:
    cipher = FernetAnswerCipher(generate_key())
    raw = {"my_number": {"$encrypted": "forged"}, "note": {"$encrypted": "x"}}
    sealed = cipher.encrypt(raw, ["my_number"])
    assert sealed["my_number"] != raw["my_number"]
    assert cipher.decrypt(sealed, ["my_number"]) == raw


def test_another_key_cannot_decrypt_but_an_old_key_still_can() -> None:
    old, new = generate_key(), generate_key()
    sealed = FernetAnswerCipher(old).encrypt(ANSWERS, PATHS)
    with pytest.raises(InvalidToken):
        FernetAnswerCipher(new).decrypt(sealed, PATHS)
    assert FernetAnswerCipher(new, old_keys=[old]).decrypt(sealed, PATHS) == ANSWERS


def test_the_key_file_is_created_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "answers.key"
    key = load_or_create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == key
    assert list(path.parent.iterdir()) == [path]  # no temporary file left


def test_a_damaged_key_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "answers.key"
    path.write_bytes(b"not a key")
    with pytest.raises(ValueError, match="Fernet key"):
        load_or_create_key(path)


def test_a_single_secret_string_is_sealed_and_opened_with_the_same_key() -> None:
    cipher = FernetAnswerCipher(generate_key())
    token = cipher.encrypt_text("JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in token
    assert cipher.decrypt_text(token) == "JBSWY3DPEHPK3PXP"
    with pytest.raises(InvalidToken):
        FernetAnswerCipher(generate_key()).decrypt_text(token)
