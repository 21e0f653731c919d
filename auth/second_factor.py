"""Clerks' second factor: TOTP codes (RFC 6238, with pyotp) and single-use recovery codes.

The TOTP secret is kept encrypted (it must be read back to check a code); a code is refused
if its time step is not newer than the last accepted one, so an overheard code cannot be
replayed within its window. Recovery codes carry 80 random bits each, so a SHA-256 digest
keeps them as safely as argon2 would, and ten can be checked at the cost of one.

These functions flush but do not commit: they are steps of ``ClerkService``'s work.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import unicodedata
from collections.abc import Callable
from datetime import datetime
from typing import Literal, NamedTuple, Protocol

import pyotp
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from auth.errors import AuthError
from auth.models import RecoveryCode, TotpSecret, User
from auth.tokens import rowcount

# A code of the step before or after the current one counts too: phone clocks drift.
VALID_WINDOW = 1
RECOVERY_CODES = 10
_RECOVERY_BYTES = 10  # 80 bits: 16 base32 characters
_SEPARATORS = re.compile(r"[\s\-‐-―ー－]")  # spaces and every dash the IME types
_TOTP_CODE = re.compile(r"[0-9]{6}")
MAX_CODE_LENGTH = 64

Method = Literal["totp", "recovery_code"]


class SecretCipher(Protocol):
    """Seals one secret string (``engine.storage.crypto.FernetAnswerCipher`` does)."""

    def encrypt_text(self, text: str) -> str: ...

    def decrypt_text(self, token: str) -> str: ...


class AlreadyEnrolled(AuthError):  # noqa: N818 -- reads as what is the case
    """The clerk already has a confirmed second factor: an admin must reset it first."""


class Enrollment(NamedTuple):
    """A secret to put in an authenticator app: as text, and as an ``otpauth://`` URI
    (for the QR code)."""

    secret: str
    provisioning_uri: str


class SecondFactors:
    def __init__(
        self,
        db: Session,
        cipher: SecretCipher,
        clock: Callable[[], datetime],
        issuer: str = "Madoguchi",
    ) -> None:
        self.db = db
        self.cipher = cipher
        self.clock = clock
        self.issuer = issuer

    def enrolled(self, user: User) -> bool:
        row = self.db.get(TotpSecret, user.id)
        return row is not None and row.confirmed_at is not None

    def enrollment(self, user: User) -> Enrollment:
        """The secret ``user`` is setting up: the unconfirmed one if there is one (the page
        was reloaded after scanning), else a new one."""
        row = self.db.get(TotpSecret, user.id)
        if row is not None and row.confirmed_at is not None:
            raise AlreadyEnrolled
        if row is None:
            secret = pyotp.random_base32()
            row = TotpSecret(
                user_id=user.id, secret=self.cipher.encrypt_text(secret), created_at=self.clock()
            )
            self.db.add(row)
            self.db.flush()
        else:
            secret = self.cipher.decrypt_text(row.secret)
        uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=self.issuer)
        return Enrollment(secret, uri)

    def confirm(self, user: User, code: str) -> list[str] | None:
        """Confirm the enrolment with a code from the app: new recovery codes (shown once),
        or None if the code does not match."""
        row = self.db.get(TotpSecret, user.id)
        if row is None or row.confirmed_at is not None:
            return None
        if not self._accept_totp(row, code):
            return None
        row.confirmed_at = self.clock()
        return self._new_recovery_codes(user)

    def verify(self, user: User, code: str) -> Method | None:
        """How ``code`` proves the second factor (a TOTP code, or a recovery code now used
        up), or None."""
        row = self.db.get(TotpSecret, user.id)
        if row is None or row.confirmed_at is None or len(code) > MAX_CODE_LENGTH:
            return None
        if _TOTP_CODE.fullmatch(_normalized(code)):
            return "totp" if self._accept_totp(row, code) else None
        return "recovery_code" if self._use_recovery_code(user, code) else None

    def recovery_codes_left(self, user: User) -> int:
        codes = self.db.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
        return len(codes)

    def reset(self, user: User) -> None:
        """Forget the secret and the recovery codes: the next sign-in enrols anew."""
        self.db.execute(delete(TotpSecret).where(TotpSecret.user_id == user.id))
        self.db.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
        self.db.flush()

    def _accept_totp(self, row: TotpSecret, code: str) -> bool:
        totp = pyotp.TOTP(self.cipher.decrypt_text(row.secret))
        try:
            step = totp.verify_and_get_timecode(
                _normalized(code), for_time=self.clock(), valid_window=VALID_WINDOW
            )
        except pyotp.exceptions.OTPVerificationError:
            return False
        # Conditional, so two requests racing with one code cannot both pass.
        newer = (TotpSecret.last_step.is_(None)) | (TotpSecret.last_step < step)
        marked = self.db.execute(
            update(TotpSecret)
            .where(TotpSecret.user_id == row.user_id, newer)
            .values(last_step=step)
            .execution_options(synchronize_session="fetch")
        )
        return rowcount(marked) == 1

    def _use_recovery_code(self, user: User, code: str) -> bool:
        marked = self.db.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user.id,
                RecoveryCode.code_hash == _digest(code),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=self.clock())
            .execution_options(synchronize_session=False)
        )
        return rowcount(marked) == 1

    def _new_recovery_codes(self, user: User) -> list[str]:
        self.db.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
        codes = [new_recovery_code() for _ in range(RECOVERY_CODES)]
        now = self.clock()
        self.db.add_all(
            RecoveryCode(user_id=user.id, code_hash=_digest(code), created_at=now) for code in codes
        )
        self.db.flush()
        return codes


def new_recovery_code() -> str:
    """16 base32 characters in groups of four (``k7qd-m2xa-...``): easy to copy by hand."""
    text = base64.b32encode(secrets.token_bytes(_RECOVERY_BYTES)).decode("ascii").lower()
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _normalized(code: str) -> str:
    """As typed, without spaces and dashes, full-width forms made ASCII, lower-cased."""
    text = unicodedata.normalize("NFKC", code)
    return _SEPARATORS.sub("", text).lower()


def _digest(code: str) -> str:
    return hashlib.sha256(_normalized(code).encode("utf-8", "surrogatepass")).hexdigest()
