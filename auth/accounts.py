"""Citizen accounts: sign-up, email confirmation, sign-in, password reset.

Nothing here tells a visitor whether an email has an account: signing up with a known
address sends its owner a mail instead and returns as for a new one; unknown emails and
wrong passwords are refused alike (and take as long); reset requests always "succeed".

Every public method is one unit of work and commits. Mails are sent after the commit,
so a link never points at a row that was rolled back.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlencode

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from auth import tokens
from auth.errors import AccountError, SignInRefused
from auth.mail import Mailer, Message
from auth.models import EmailToken, User
from auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from auth.sessions import end_sessions
from auth.texts import compose
from auth.throttle import LoginThrottle, email_key
from engine.storage import events
from engine.storage.models import utcnow
from engine.text import LANGUAGES

# The web layer serves these paths; mails link to them.
VERIFY_PATH = "/account/verify"
RESET_PATH = "/account/reset"
SIGN_IN_PATH = "/account/sign-in"
FORGOT_PATH = "/account/forgot-password"

VERIFY_EMAIL = "verify_email"
RESET_PASSWORD = "reset_password"  # noqa: S105 -- a token purpose, not a password

# Longer passwords are refused before hashing: the form can send anything.
MAX_SIGN_IN_PASSWORD = 1024

# Full-width ASCII (Ｕ+FF01-FF5E, as typed with the Japanese IME on) and the ideographic
# space map to their ASCII forms; no real address differs from another only by these.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def normalize_email(text: str) -> str:
    """The stored form of an email address, or ``AccountError("invalid_email")``.

    Full-width characters become ASCII (ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ is taro@example.jp),
    the syntax is checked (no DNS query), the domain is IDNA-normalised and the whole
    address lower-cased and NFC-normalised. Local parts must be ASCII: mail to
    internationalised mailboxes (SMTPUTF8) is not delivered reliably enough to depend on.
    """
    text = text.translate(_HALF_WIDTH).strip()
    try:
        checked = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        raise AccountError("invalid_email") from None
    return unicodedata.normalize("NFC", checked.normalized).lower()


def ascii_address(email: str) -> str:
    """``email`` with its domain in IDNA (xn--) form, as SMTP servers expect it."""
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.encode('idna').decode('ascii')}"


class AccountService:
    """Citizen accounts. ``base_url`` (``https://portal.city.example.jp``) starts the links
    in mails; ``clock`` returns the current aware UTC time (tests pass a fake one)."""

    def __init__(  # noqa: PLR0913 -- settings with defaults, all keyword-friendly
        self,
        db: Session,
        mailer: Mailer,
        base_url: str,
        clock: Callable[[], datetime] = utcnow,
        *,
        throttle: LoginThrottle | None = None,
        verify_ttl: timedelta = timedelta(hours=48),
        reset_ttl: timedelta = timedelta(hours=1),
        mail_interval: timedelta = timedelta(minutes=2),
    ) -> None:
        self.db = db
        self.mailer = mailer
        self.base_url = base_url.rstrip("/")
        self.clock = clock
        self.throttle = throttle or LoginThrottle(db, clock=clock)
        self.verify_ttl = verify_ttl
        self.reset_ttl = reset_ttl
        # At most one link mail per account and purpose this often: a stranger must not
        # be able to flood someone's mailbox through our forms.
        self.mail_interval = mail_interval

    def sign_up(self, email: str, password: str, language: str) -> None:
        """Register a citizen, or -- if the email is taken -- mail its owner instead.

        Returns nothing either way: the web layer shows the same "check your mailbox"
        page, and does not sign the visitor in (that would tell the two cases apart).
        Raises ``AccountError`` for an invalid email or a password the policy refuses.
        """
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        address = normalize_email(email)
        if problem := password_problem(password, address):
            raise AccountError(problem)
        # Hash before looking the address up, so both outcomes take as long.
        user = self._create(address, hash_password(password), language)
        if user is None:
            self._mail_existing(address)
            return
        token = tokens.issue(self.db, user, VERIFY_EMAIL, self.verify_ttl, now=self.clock())
        self.db.commit()
        self._send(user, "verify_email", link=self._link(VERIFY_PATH, token), valid=self.verify_ttl)

    def send_verification(self, user: User) -> None:
        """Mail ``user`` a new confirmation link (the "send it again" button), unless one
        went out within ``mail_interval`` or the address is already confirmed."""
        if user.email_verified_at is not None or self._mailed_recently(user, VERIFY_EMAIL):
            return
        token = tokens.issue(self.db, user, VERIFY_EMAIL, self.verify_ttl, now=self.clock())
        self.db.commit()
        self._send(user, "verify_email", link=self._link(VERIFY_PATH, token), valid=self.verify_ttl)

    def verify_email(self, token: str) -> User:
        """Confirm the address a link was sent to; raises ``InvalidToken``."""
        now = self.clock()
        user = tokens.consume(self.db, token, VERIFY_EMAIL, now=now)
        if user.email_verified_at is None:
            user.email_verified_at = now
        self.db.commit()
        return user

    def sign_in(self, email: str, password: str, ip: str | None, kind: str = "citizen") -> User:
        """The account ``email`` and ``password`` open, or ``SignInRefused``.

        Refused alike for an unknown email, another kind of account and a wrong password;
        with ``retry_after`` set when throttled (the password is then not even checked).
        Unverified accounts may sign in: ``email_verified_at`` tells the web layer to
        remind them. Old password hashes are upgraded on the way.
        """
        key = _throttle_key(email)
        retry_after = self.throttle.check(key, ip)
        if retry_after is not None:
            raise SignInRefused(retry_after)
        user = self._find(key)
        if user is not None and user.kind != kind:
            user = None
        if len(password) > MAX_SIGN_IN_PASSWORD:
            password = ""  # still verified against something: same time, certain failure
            user = None
        matched = verify_password(user.password_hash if user else None, password)
        self.throttle.record(key, ip, succeeded=matched)
        if matched and user is not None and needs_rehash(user.password_hash or ""):
            user.password_hash = hash_password(password)
        # The audit log names the account, or (unknown or wrong) only the email's digest.
        outcome = "sign_in" if matched and user is not None else "sign_in_refused"
        actor = user.id if matched and user is not None else "anonymous"
        data = {"kind": kind, "email_key": email_key(key, kind), "ip": ip or ""}
        events.append(self.db, outcome, submission_id=None, actor=actor, data=data, at=self.clock())
        self.db.commit()  # also on failure: the throttle and the audit log must see it
        if not matched or user is None:
            raise SignInRefused
        return user

    def request_password_reset(self, email: str) -> None:
        """Mail a reset link if ``email`` has an account. Always returns normally, so the
        web layer shows the same page whatever the address."""
        try:
            user = self._find(normalize_email(email))
        except AccountError:
            return
        if user is None or user.kind != "citizen":
            return
        if self._mailed_recently(user, RESET_PASSWORD):
            return
        token = tokens.issue(self.db, user, RESET_PASSWORD, self.reset_ttl, now=self.clock())
        self.db.commit()
        self._send(user, "reset_password", link=self._link(RESET_PATH, token), valid=self.reset_ttl)

    def check_reset_token(self, token: str) -> User:
        """The account a reset link is for, without using the link up (to decide whether
        to show the new-password form); raises ``InvalidToken``."""
        return tokens.peek(self.db, token, RESET_PASSWORD, now=self.clock())

    def reset_password(self, token: str, new_password: str) -> User:
        """Set a new password through a reset link, end all the account's sessions and
        lift the sign-in lock on its email (failures from an address still count).

        Raises ``InvalidToken``, or ``AccountError`` for a password the policy refuses
        (the link then still works, so the citizen can try another password).
        Following the link proves the address, so it counts as confirmed too.
        """
        now = self.clock()
        user = tokens.peek(self.db, token, RESET_PASSWORD, now=now)
        if problem := password_problem(new_password, user.email):
            raise AccountError(problem)
        tokens.consume(self.db, token, RESET_PASSWORD, now=now)
        user.password_hash = hash_password(new_password)
        if user.email_verified_at is None:
            user.email_verified_at = now
        end_sessions(self.db, user)
        self.throttle.forgive(user.email)
        self.db.commit()
        self._send(user, "password_changed", reset_link=self._link(FORGOT_PATH))
        return user

    def _create(self, address: str, password_hash: str, language: str) -> User | None:
        """A new citizen account, or None if the address is taken."""
        if self._find(address) is not None:
            return None
        user = User(
            email=address, password_hash=password_hash, language=language, created_at=self.clock()
        )
        try:
            with self.db.begin_nested():
                self.db.add(user)
        except IntegrityError:  # a sign-up for the same address won the race
            return None
        return user

    def _find(self, address: str) -> User | None:
        return self.db.scalar(select(User).where(User.email == address))

    def _mail_existing(self, address: str) -> None:
        user = self._find(address)
        if user is not None:
            self._send(
                user,
                "already_registered",
                sign_in_link=self._link(SIGN_IN_PATH),
                reset_link=self._link(FORGOT_PATH),
            )

    def _mailed_recently(self, user: User, purpose: str) -> bool:
        newest = self.db.scalar(
            select(EmailToken.created_at)
            .where(EmailToken.user_id == user.id, EmailToken.purpose == purpose)
            .order_by(EmailToken.created_at.desc())
            .limit(1)
        )
        return newest is not None and self.clock() - newest < self.mail_interval

    def _link(self, path: str, token: str | None = None) -> str:
        query = f"?{urlencode({'token': token})}" if token else ""
        return f"{self.base_url}{path}{query}"

    def _send(self, user: User, kind: str, **params: str | timedelta) -> None:
        subject, body = compose(kind, user.language, **params)
        self.mailer.send(Message(to=ascii_address(user.email), subject=subject, body=body))


def _throttle_key(email: str) -> str:
    # Invalid addresses are throttled too (as typed), or they would skip the limit.
    try:
        return normalize_email(email)
    except AccountError:
        return email.strip().lower()
