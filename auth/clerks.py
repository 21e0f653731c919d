"""Clerks (職員): accounts an admin makes, their memberships, and sign-in with a second factor.

A clerk is a ``User`` of kind "clerk". Nobody signs up as one: an admin adds them (the admin
page, or ``madoguchi users add``) with a password or a mailed set-password link. A clerk
holds roles in departments (``Membership``), both named in the definitions; an admin
(``User.is_admin``) manages the clerks. Signing in takes the password (``sign_in``), then a
TOTP code or a recovery code (``verify_second_factor``); a clerk without a second factor
enrols one first (``begin_enrollment``, ``confirm_enrollment``). Both steps are throttled,
apart from citizens' sign-ins, and every outcome goes through ``_record``: the audit log
and a log line.

Every public method is one unit of work and commits; mails are sent after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple
from urllib.parse import urlencode

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from auth import tokens
from auth.accounts import AccountService, ascii_address, normalize_email
from auth.errors import AccountError, SignInRefused
from auth.mail import Mailer, Message
from auth.models import Membership, TotpSecret, User
from auth.passwords import hash_password, password_problem
from auth.second_factor import Enrollment, SecondFactors, SecretCipher
from auth.sessions import end_sessions
from auth.texts import compose
from auth.throttle import LoginThrottle, email_key
from engine.definitions.types import Identifier, Slug
from engine.storage import events
from engine.storage.models import utcnow
from engine.text import LANGUAGES

log = logging.getLogger("madoguchi.clerks")

# The web layer serves these paths; mails link to them.
SET_PASSWORD_PATH = "/console/set-password"  # noqa: S105 -- a path, not a password
SET_PASSWORD = "set_password"  # noqa: S105 -- a token purpose

_DEPARTMENT = TypeAdapter(Slug)
_ROLE = TypeAdapter(Identifier)


class ClerkOverview(NamedTuple):
    """A clerk as the admin's list shows it."""

    user: User
    memberships: list[Membership]
    enrolled: bool  # has a confirmed second factor


class ClerkService:
    """Clerk accounts and their sign-in. ``cipher`` seals TOTP secrets; ``clock`` returns
    the current aware UTC time (tests pass a fixed one, and make TOTP codes for it)."""

    def __init__(  # noqa: PLR0913 -- settings with defaults, all keyword-friendly
        self,
        db: Session,
        mailer: Mailer,
        base_url: str,
        cipher: SecretCipher,
        clock: Callable[[], datetime] = utcnow,
        *,
        set_password_ttl: timedelta = timedelta(hours=72),
        max_failures: int = 5,
        ip_max_failures: int = 20,  # a town hall's clerks share one address
        issuer: str = "Madoguchi",
    ) -> None:
        self.db = db
        self.mailer = mailer
        self.base_url = base_url.rstrip("/")
        self.clock = clock
        self.set_password_ttl = set_password_ttl
        self.passwords = LoginThrottle(
            db, max_failures, clock=clock, ip_max_failures=ip_max_failures, scope="console"
        )
        self.codes = LoginThrottle(
            db, max_failures, clock=clock, ip_max_failures=ip_max_failures, scope="second_factor"
        )
        self.factors = SecondFactors(db, cipher, clock, issuer)

    # Accounts ---------------------------------------------------------------------------

    def add(  # noqa: PLR0913 -- keyword-only details of one new account
        self,
        email: str,
        *,
        memberships: Sequence[tuple[str, str]],
        password: str | None,
        language: str = "ja",
        admin: bool = False,
        by: User | None = None,
    ) -> User:
        """A new clerk holding ``memberships`` (``(department, role)`` pairs). Without a
        password, they get a mail with a link to set one (valid ``set_password_ttl``).

        Raises ``AccountError``: ``invalid_email``, ``email_taken``, ``no_membership``
        (none, and not an admin), ``invalid_membership``, or a password problem.
        """
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        address = normalize_email(email)
        pairs = _checked(memberships)
        if not pairs and not admin:
            raise AccountError("no_membership")
        if password is not None and (problem := password_problem(password, address)):
            raise AccountError(problem)
        user = User(
            email=address,
            password_hash=hash_password(password) if password is not None else None,
            language=language,
            kind="clerk",
            is_admin=admin,
            created_at=self.clock(),
        )
        try:
            with self.db.begin_nested():
                self.db.add(user)
        except IntegrityError:
            raise AccountError("email_taken") from None
        self.db.add_all(Membership(user_id=user.id, department=d, role=r) for d, r in pairs)
        token = None if password is not None else self._issue_link(user)
        self.db.commit()
        self._record("clerk_added", user=user.id, by=by.id if by else None, admin=int(admin))
        if token is not None:
            self._mail_link(user, token)
        return user

    def get(self, user_id: str) -> User | None:
        """The clerk with this id, or None (also for a citizen's id)."""
        user = self.db.get(User, user_id)
        return user if user is not None and user.kind == "clerk" else None

    def overview(self) -> list[ClerkOverview]:
        """Every clerk, by email, with memberships and whether a second factor is set up."""
        users = self.db.scalars(select(User).where(User.kind == "clerk").order_by(User.email)).all()
        held: dict[str, list[Membership]] = {}
        for membership in self.db.scalars(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(User.kind == "clerk")
            .order_by(Membership.department, Membership.role)
        ):
            held.setdefault(membership.user_id, []).append(membership)
        enrolled = set(
            self.db.scalars(select(TotpSecret.user_id).where(TotpSecret.confirmed_at.is_not(None)))
        )
        return [ClerkOverview(u, held.get(u.id, []), u.id in enrolled) for u in users]

    def in_department(self, department: str) -> list[User]:
        """The active clerks holding any role in ``department``, by email: whom a case of
        that department may be assigned to."""
        query = (
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.department == department, User.disabled_at.is_(None))
            .distinct()
            .order_by(User.email)
        )
        return list(self.db.scalars(query))

    def emails(self, user_ids: Iterable[str]) -> dict[str, str]:
        """The email of each user id that names an account (for histories and lists)."""
        wanted = {i for i in user_ids if i}
        if not wanted:
            return {}
        rows = self.db.execute(select(User.id, User.email).where(User.id.in_(wanted)))
        return {str(user_id): str(email) for user_id, email in rows}

    def describe(self, user: User) -> ClerkOverview:
        """One clerk as ``overview`` shows them."""
        return ClerkOverview(user, self.memberships(user), self.enrolled(user))

    def memberships(self, user: User) -> list[Membership]:
        """What ``user`` holds, by department then role."""
        return list(
            self.db.scalars(
                select(Membership)
                .where(Membership.user_id == user.id)
                .order_by(Membership.department, Membership.role)
            )
        )

    def holds(self, user: User, department: str, role: str) -> bool:
        found = self.db.scalar(
            select(Membership.id).where(
                Membership.user_id == user.id,
                Membership.department == department,
                Membership.role == role,
            )
        )
        return found is not None

    def set_memberships(
        self, user: User, memberships: Sequence[tuple[str, str]], *, by: User | None = None
    ) -> None:
        """Replace what ``user`` holds; raises ``AccountError("invalid_membership")``."""
        pairs = _checked(memberships)
        self.db.execute(delete(Membership).where(Membership.user_id == user.id))
        self.db.add_all(Membership(user_id=user.id, department=d, role=r) for d, r in pairs)
        self.db.commit()
        held = ",".join(f"{d}:{r}" for d, r in pairs)
        self._record("memberships_set", user=user.id, by=_id(by), memberships=held)

    def set_admin(self, user: User, admin: bool, *, by: User | None = None) -> None:
        """Make ``user`` an admin or not. An admin cannot drop their own rights
        (``AccountError("own_account")``): someone must always be left to manage clerks."""
        if not admin and by is not None and by.id == user.id:
            raise AccountError("own_account")
        if user.is_admin != admin:
            user.is_admin = admin
            self.db.commit()
            self._record("admin_set", user=user.id, by=_id(by), admin=int(admin))

    def disable(self, user: User, *, by: User | None = None) -> None:
        """Deactivate ``user``: signed out everywhere, and refused at sign-in. The account
        stays (events refer to it). ``AccountError("own_account")`` for oneself."""
        if by is not None and by.id == user.id:
            raise AccountError("own_account")
        if user.disabled_at is None:
            user.disabled_at = self.clock()
        end_sessions(self.db, user)
        self.db.commit()
        self._record("clerk_disabled", user=user.id, by=_id(by))

    def enable(self, user: User, *, by: User | None = None) -> None:
        user.disabled_at = None
        self.db.commit()
        self._record("clerk_enabled", user=user.id, by=_id(by))

    def send_set_password_link(self, user: User, *, by: User | None = None) -> None:
        """Mail ``user`` a new set-password link (earlier ones stop working)."""
        token = self._issue_link(user)
        self.db.commit()
        self._record("set_password_link_sent", user=user.id, by=_id(by))
        self._mail_link(user, token)

    def check_set_password_token(self, token: str) -> User:
        """The clerk a set-password link is for, without using it up; ``InvalidToken``."""
        return tokens.peek(self.db, token, SET_PASSWORD, now=self.clock())

    def set_password(self, token: str, password: str) -> User:
        """Set the password through a link: ends the clerk's sessions and lifts the sign-in
        lock on the email. Raises ``InvalidToken``, or ``AccountError`` for a password the
        policy refuses (the link then still works). The link proves the address."""
        now = self.clock()
        user = tokens.peek(self.db, token, SET_PASSWORD, now=now)
        if problem := password_problem(password, user.email):
            raise AccountError(problem)
        tokens.consume(self.db, token, SET_PASSWORD, now=now)
        user.password_hash = hash_password(password)
        if user.email_verified_at is None:
            user.email_verified_at = now
        end_sessions(self.db, user)
        self.passwords.forgive(user.email)
        self.db.commit()
        self._record("password_set", user=user.id)
        return user

    # Sign-in ------------------------------------------------------------------------------

    def sign_in(self, email: str, password: str, ip: str | None) -> User:
        """The password step: the clerk ``email`` and ``password`` open, or
        ``SignInRefused`` (as ``AccountService.sign_in``; also for a disabled clerk). The
        web layer then asks for the second factor, or enrols one."""
        accounts = AccountService(
            self.db, self.mailer, self.base_url, self.clock, throttle=self.passwords
        )
        try:
            user = accounts.sign_in(email, password, ip, kind="clerk")
        except SignInRefused as refused:
            event = "password_throttled" if refused.retry_after else "password_refused"
            self._record(event, email_key=email_key(email, "console"), ip=ip)
            raise
        if user.disabled_at is not None:
            self._record("disabled_refused", user=user.id, ip=ip)
            raise SignInRefused
        self._record("password_accepted", user=user.id, ip=ip)
        return user

    def enrolled(self, user: User) -> bool:
        """Whether ``user`` has a confirmed second factor (else: enrol at sign-in)."""
        return self.factors.enrolled(user)

    def begin_enrollment(self, user: User) -> Enrollment:
        """The TOTP secret for ``user``'s authenticator app, as text and as a provisioning
        URI; the same one until confirmed. ``AlreadyEnrolled`` once confirmed."""
        enrollment = self.factors.enrollment(user)
        self.db.commit()
        return enrollment

    def confirm_enrollment(self, user: User, code: str, ip: str | None = None) -> list[str]:
        """Confirm the app with a code from it; returns ten recovery codes to show once.

        Raises ``SignInRefused`` for a wrong code, with ``retry_after`` when throttled.
        Passing it proves the second factor for this sign-in too.
        """
        self._check_code_throttle(user, ip)
        codes = None if user.disabled_at else self.factors.confirm(user, code)
        event = "enrollment_confirmed" if codes else "enrollment_refused"
        self._record_code(user, ip, event, succeeded=codes is not None)
        if codes is None:
            raise SignInRefused
        return codes

    def verify_second_factor(self, user: User, code: str, ip: str | None = None) -> bool:
        """Whether ``code`` -- a TOTP code not used before, or an unused recovery code,
        which is used up -- proves ``user``'s second factor. Raises
        ``SignInRefused(retry_after)`` when too many wrong codes came recently."""
        self._check_code_throttle(user, ip)
        method = None if user.disabled_at else self.factors.verify(user, code)
        event = f"second_factor_{method}" if method else "second_factor_refused"
        left = self.factors.recovery_codes_left(user) if method == "recovery_code" else None
        self._record_code(user, ip, event, succeeded=method is not None, recovery_codes_left=left)
        return method is not None

    def reset_second_factor(self, user: User, *, by: User | None = None) -> None:
        """Forget ``user``'s TOTP secret and recovery codes (a lost phone) and sign them out:
        their next sign-in enrols a new app."""
        self.factors.reset(user)
        end_sessions(self.db, user)
        self.db.commit()
        self._record("second_factor_reset", user=user.id, by=_id(by))

    # --------------------------------------------------------------------------------------

    def _record(self, event: str, **fields: str | int | None) -> None:
        """Every sign-in outcome and every change an admin makes: an entry in the audit
        log (its own transaction) and a structured log line. ``fields`` name users by id
        (``user``, ``by``) and never carry passwords or codes."""
        known = {key: value for key, value in fields.items() if value is not None}
        actor = str(known.get("by") or known.get("user") or "anonymous")
        events.append(
            self.db, f"clerk.{event}", submission_id=None, actor=actor, data=known, at=self.clock()
        )
        self.db.commit()
        log.info("clerk %s", event, extra={"fields": {"event": event, **fields}})

    def _check_code_throttle(self, user: User, ip: str | None) -> None:
        # Counted per account id (not email): the key for "this clerk's codes".
        retry_after = self.codes.check(user.id, ip)
        if retry_after is not None:
            self._record("second_factor_throttled", user=user.id, ip=ip)
            raise SignInRefused(retry_after)

    def _record_code(
        self, user: User, ip: str | None, event: str, *, succeeded: bool, **fields: int | None
    ) -> None:
        self.codes.record(user.id, ip, succeeded=succeeded)
        self.db.commit()  # also on failure: the throttle must see it
        self._record(event, user=user.id, ip=ip, **fields)

    def _issue_link(self, user: User) -> str:
        return tokens.issue(self.db, user, SET_PASSWORD, self.set_password_ttl, now=self.clock())

    def _mail_link(self, user: User, token: str) -> None:
        link = f"{self.base_url}{SET_PASSWORD_PATH}?{urlencode({'token': token})}"
        subject, body = compose(SET_PASSWORD, user.language, link=link, valid=self.set_password_ttl)
        self.mailer.send(Message(to=ascii_address(user.email), subject=subject, body=body))


def _checked(memberships: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs without repeats, in order; ``AccountError("invalid_membership")`` for a
    department that is not a slug or a role that is not an identifier."""
    pairs: list[tuple[str, str]] = []
    for department, role in memberships:
        try:
            pair = (_DEPARTMENT.validate_python(department), _ROLE.validate_python(role))
        except ValidationError:
            raise AccountError("invalid_membership") from None
        if pair not in pairs:
            pairs.append(pair)
    return pairs


def _id(user: User | None) -> str | None:
    return user.id if user is not None else None
