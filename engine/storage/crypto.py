"""Encryption of sensitive answers at rest (My Number and the like), and of single secret
strings with the same key (clerks' TOTP secrets).

Only the values at a definition's sensitive paths are encrypted, each replaced by
``{"$encrypted": token}``; the rest of the answers stay queryable. Decryption walks the
same paths, so a look-alike object anywhere else is left alone.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from cryptography.fernet import Fernet, MultiFernet

MARKER = "$encrypted"


class AnswerCipher(Protocol):
    """Encrypts and decrypts the answers at the given paths (``Definition.sensitive_paths``:
    ``"my_number"``, ``"children[].my_number"``, ``"applicant.my_number"``)."""

    def encrypt(self, answers: Mapping[str, Any], paths: Iterable[str]) -> dict[str, Any]: ...

    def decrypt(self, answers: Mapping[str, Any], paths: Iterable[str]) -> dict[str, Any]: ...


class FernetAnswerCipher:
    """Fernet (AES-128-CBC + HMAC-SHA256). ``old_keys`` still decrypt, so a key can be
    rotated: make a new key the first, keep the old ones until the data is re-encrypted."""

    def __init__(self, key: bytes, old_keys: Sequence[bytes] = ()) -> None:
        self._fernet = MultiFernet([Fernet(k) for k in (key, *old_keys)])

    def encrypt(self, answers: Mapping[str, Any], paths: Iterable[str]) -> dict[str, Any]:
        result = dict(answers)
        for path in paths:
            result = _apply(result, _segments(path), self._seal)
        return result

    def decrypt(self, answers: Mapping[str, Any], paths: Iterable[str]) -> dict[str, Any]:
        result = dict(answers)
        for path in paths:
            result = _apply(result, _segments(path), self._open)
        return result

    def encrypt_text(self, text: str) -> str:
        """One secret string (a clerk's TOTP secret), as a Fernet token."""
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt_text(self, token: str) -> str:
        """The string ``encrypt_text`` sealed; ``cryptography.fernet.InvalidToken`` if the
        token was changed or made with another key."""
        return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")

    def _seal(self, value: Any) -> Any:
        if value is None:
            return None
        # Always encrypt, even what looks like a marker: raw input is never trusted as one.
        plain = json.dumps(value, ensure_ascii=False).encode("utf-8")
        return {MARKER: self._fernet.encrypt(plain).decode("ascii")}

    def _open(self, value: Any) -> Any:
        if not (isinstance(value, dict) and set(value) == {MARKER}):
            return value  # never encrypted (a draft saved without a cipher, say)
        return json.loads(self._fernet.decrypt(value[MARKER].encode("ascii")))


def _segments(path: str) -> list[str]:
    return path.split(".")


def _apply(value: Any, segments: list[str], change: Callable[[Any], Any]) -> Any:
    """``value`` with ``change`` applied at the path; a missing part leaves it as it is."""
    if not segments:
        return change(value)
    head, rest = segments[0], segments[1:]
    key = head.removesuffix("[]")
    if not isinstance(value, dict) or key not in value:
        return value
    inner = value[key]
    if head.endswith("[]"):
        if not isinstance(inner, list):
            return value
        return {**value, key: [_apply(item, rest, change) for item in inner]}
    return {**value, key: _apply(inner, rest, change)}


def generate_key() -> bytes:
    return Fernet.generate_key()


def load_or_create_key(path: Path) -> bytes:
    """The key kept in ``path``, created (readable by the owner only) if there is none.

    Two processes starting together agree on one key: the file appears whole or not at all."""
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _create_exclusively(path, generate_key())
    key = path.read_bytes().strip()
    Fernet(key)  # refuses a damaged key now rather than at the first submission
    return key


def _create_exclusively(path: Path, key: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(key + b"\n")
            file.flush()
            os.fsync(file.fileno())
        os.link(temporary, path)  # fails if another process created the key meanwhile
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)
