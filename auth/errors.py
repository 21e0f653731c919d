"""What auth's services raise: one base class, so the web layer can catch them together."""

from __future__ import annotations


class AuthError(Exception):
    """Base of every error auth raises on purpose."""


class AccountError(AuthError):
    """A request the citizen can correct: ``code`` says what (``invalid_email``, ``too_short``...).

    ``auth.texts.error_message(code, language)`` gives the sentence to show next to the field.
    """

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class SignInRefused(AuthError):  # noqa: N818 -- reads as what happened
    """Sign-in failed. Deliberately the same for an unknown email and a wrong password.

    ``retry_after`` is set (seconds) when the attempt was refused by throttling, without
    checking the password; the web layer says "try again in N minutes" and may send a
    ``Retry-After`` header. ``None`` means "email or password is wrong".
    """

    def __init__(self, retry_after: int | None = None) -> None:
        super().__init__("sign-in refused" if retry_after is None else "sign-in throttled")
        self.retry_after = retry_after


class InvalidToken(AuthError):  # noqa: N818
    """An email link's token is unknown, expired, already used or meant for something else.

    One error for all four: a visitor probing tokens learns nothing about which it was.
    """
