"""Password hashing (argon2id) and the password policy.

Parameters: argon2id, time_cost=2, memory_cost=19 MiB, parallelism=1, 16-byte salt,
32-byte hash -- the first argon2id configuration of the OWASP Password Storage Cheat Sheet.
A verification takes about 30 ms on a 2-core runner; RFC 9106's 64 MiB/t=3/p=4 profile
took 230 ms there, too slow for a sign-in page that must also survive bursts. Raise them
here when servers allow: ``needs_rehash`` makes every account follow at its next sign-in.

Passwords are NFKC-normalised before hashing (NIST SP 800-63B): the same passphrase typed
with the Japanese IME in full-width mode (ｐａｓｓ), or composed differently by another
system, still matches.
"""

from __future__ import annotations

import functools
import secrets
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import Argon2Error, InvalidHashError

from auth.common_passwords import COMMON_PASSWORDS

MIN_LENGTH = 10
MAX_LENGTH = 128

_HASHER = PasswordHasher(
    time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16
)


def _prepared(password: str) -> bytes:
    # "surrogatepass": a lone surrogate (from a badly decoded form) must not raise here.
    return unicodedata.normalize("NFKC", password).encode("utf-8", "surrogatepass")


def hash_password(password: str) -> str:
    """The argon2id hash to store (PHC string: algorithm, parameters, salt, hash)."""
    return _HASHER.hash(_prepared(password))


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``. Never raises.

    Pass ``None`` when there is no such account (or no password): a dummy hash is verified
    instead, so refusing an unknown email takes as long as refusing a wrong password.
    A malformed hash is a mismatch.
    """
    target = _dummy_hash() if password_hash is None else password_hash
    try:
        _HASHER.verify(target, _prepared(password))
    except (Argon2Error, InvalidHashError):
        return False
    return password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other parameters than today's (rehash at sign-in)."""
    try:
        return _HASHER.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def password_problem(password: str, email: str) -> str | None:
    """What is wrong with ``password`` as a new password for ``email``, or None.

    Codes: ``control_characters``, ``too_short`` (< 10), ``too_long`` (> 128),
    ``same_as_email``, ``too_common``. Any other Unicode is welcome: a Japanese passphrase
    of ten kana is far stronger than "Password1!".
    """
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in password):
        return "control_characters"
    text = unicodedata.normalize("NFKC", password)
    if len(text) < MIN_LENGTH:
        return "too_short"
    if len(text) > MAX_LENGTH:
        return "too_long"
    folded = text.casefold()
    address = unicodedata.normalize("NFKC", email).casefold()
    if folded in (address, address.partition("@")[0]):
        return "same_as_email"
    if folded in COMMON_PASSWORDS or len(set(folded)) == 1:
        return "too_common"
    return None
