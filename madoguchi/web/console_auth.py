"""Clerks' sign-in to the console: password, then a TOTP or recovery code (enrolling an
authenticator app the first time), set-password links, sign-out -- and the guards every
console view starts with: ``require_clerk`` and ``require_admin``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.responses import Response

from auth.clerks import ClerkService
from auth.errors import AccountError, SignInRefused
from auth.models import Membership, User
from auth.second_factor import AlreadyEnrolled
from auth.texts import error_message
from engine.text import LocalizedText
from madoguchi.web.citizen import redirect
from madoguchi.web.console_screens import respond
from madoguchi.web.endpoint import Call
from madoguchi.web.errors import SeeOther
from madoguchi.web.visitor import ensure_session, sessions
from renderers.html import console_pages

HOME = "/console"
SIGN_IN = "/console/sign-in"
CODE = "/console/sign-in/code"
ENROLL = "/console/enroll"


@dataclass(frozen=True)
class ClerkIdentity:
    """The clerk a console request comes from: signed in, second factor passed, not
    disabled. ``memberships`` are what they hold, by department then role."""

    user: User
    memberships: tuple[Membership, ...]

    def holds(self, department: str, role: str) -> bool:
        return any(m.department == department and m.role == role for m in self.memberships)

    def roles(self, department: str) -> frozenset[str]:
        return frozenset(m.role for m in self.memberships if m.department == department)

    @property
    def departments(self) -> frozenset[str]:
        return frozenset(m.department for m in self.memberships)

    @property
    def is_admin(self) -> bool:
        return self.user.is_admin


def require_clerk(call: Call) -> ClerkIdentity:
    """The clerk making this request. Anyone not signed in as one (or only half: the second
    factor still to come) is sent to the console's sign-in with ``next`` pointing back
    (``SeeOther``, 303); a signed-in citizen gets 403."""
    user, session = call.visitor.user, call.visitor.session
    if user is not None and user.kind != "clerk":
        raise HTTPException(403, "the console is for clerks")
    if (
        user is None
        or session is None
        or session.second_factor_at is None
        or user.disabled_at is not None
    ):
        raise SeeOther(_with_next(SIGN_IN, _back_here(call)))
    return ClerkIdentity(user, tuple(clerk_service(call).memberships(user)))


def require_admin(call: Call) -> ClerkIdentity:
    """As ``require_clerk``, and 403 for a clerk who is not an admin."""
    identity = require_clerk(call)
    if not identity.is_admin:
        raise HTTPException(403, "for admins only")
    return identity


def clerk_service(call: Call) -> ClerkService:
    services = call.services
    return ClerkService(
        call.db, services.mailer, services.settings.base_url, services.cipher, services.clock
    )


# Password ----------------------------------------------------------------------------------


def sign_in_form(call: Call) -> Response:
    ensure_session(call.visitor, call.db)
    page = console_pages.ConsoleSignIn(
        csrf_token=call.visitor.csrf_token or "", action_url=_with_next(SIGN_IN, _next(call))
    )
    return respond(call, page)


def sign_in(call: Call) -> Response:
    email = call.field("email")
    try:
        user = clerk_service(call).sign_in(email, call.field("password"), _ip(call))
    except SignInRefused as refused:
        retry = refused.retry_after
        page = console_pages.ConsoleSignIn(
            csrf_token=call.visitor.csrf_token or "",
            action_url=_with_next(SIGN_IN, _next(call)),
            email_value=email,
            errors={"email": _refusal(call, "sign_in", retry)},
        )
        return respond(call, page, status=429 if retry else 401)
    session = call.visitor.session
    assert session is not None  # noqa: S101 -- a POST always has a session (CSRF)
    started = sessions(call.db).await_second_factor(session, user)
    call.visitor.session, call.visitor.new_token = started.session, started.token
    step = CODE if clerk_service(call).enrolled(user) else ENROLL
    return redirect(_with_next(step, _next(call)))


# Second factor -----------------------------------------------------------------------------


def code_form(call: Call) -> Response:
    user = _pending(call)
    if not clerk_service(call).enrolled(user):
        return redirect(_with_next(ENROLL, _next(call)))
    return respond(call, _code_page(call))


def code(call: Call) -> Response:
    user = _pending(call)
    typed = call.field("code").strip() or call.field("recovery_code")
    try:
        passed = clerk_service(call).verify_second_factor(user, typed, _ip(call))
    except SignInRefused as refused:
        errors = {"code": _refusal(call, "code", refused.retry_after)}
        return respond(call, _code_page(call, errors), status=429)
    if not passed:
        errors = {"code": _refusal(call, "code", None)}
        return respond(call, _code_page(call, errors), status=401)
    _grant(call, user)
    return redirect(_next(call))


def enroll_form(call: Call) -> Response:
    user = _pending(call)
    try:
        enrollment = clerk_service(call).begin_enrollment(user)
    except AlreadyEnrolled:
        return redirect(_with_next(CODE, _next(call)))
    return respond(
        call, _enroll_page(call, enrollment.secret, enrollment.provisioning_uri), secret=True
    )


def enroll(call: Call) -> Response:
    user = _pending(call)
    clerks = clerk_service(call)
    try:
        enrollment = clerks.begin_enrollment(user)
    except AlreadyEnrolled:  # sent twice: the first one set it up
        return redirect(_with_next(CODE, _next(call)))
    try:
        codes = clerks.confirm_enrollment(user, call.field("code"), _ip(call))
    except SignInRefused as refused:
        again = _enroll_page(
            call,
            enrollment.secret,
            enrollment.provisioning_uri,
            {"code": _refusal(call, "code", refused.retry_after)},
        )
        return respond(call, again, status=429 if refused.retry_after else 401, secret=True)
    _grant(call, user)
    page = console_pages.RecoveryCodes(codes=codes, continue_url=_next(call))
    return respond(call, page, secret=True)


# Set-password links and sign-out ----------------------------------------------------------


def set_password_form(call: Call) -> Response:
    token = call.request.query_params.get("token", "")
    user = clerk_service(call).check_set_password_token(token)
    ensure_session(call.visitor, call.db)
    return respond(call, _set_password_page(call, token, user.email), secret=True)


def set_password(call: Call) -> Response:
    token = call.request.query_params.get("token", "")
    clerks = clerk_service(call)
    try:
        user = clerks.set_password(token, call.field("password"))
    except AccountError as problem:
        email = clerks.check_set_password_token(token).email
        errors = {"password": error_message(problem.code, call.visitor.language)}
        return respond(call, _set_password_page(call, token, email, errors), status=422)
    session = call.visitor.session
    if session is not None and user.id in (session.user_id, session.pending_user_id):
        # set_password ended the clerk's sessions, this one too.
        call.visitor.session, call.visitor.signed_out = None, True
    page = console_pages.ConsoleMessage(
        title=LocalizedText(ja="パスワードを設定しました", en="Password saved"),
        body=LocalizedText(
            ja="新しいパスワードでログインしてください。",
            en="Sign in with your new password.",
        ),
        link_url=SIGN_IN,
        link_text=LocalizedText(ja="ログイン", en="Sign in"),
    )
    return respond(call, page)


def sign_out(call: Call) -> Response:
    if call.visitor.session is not None:
        sessions(call.db).sign_out(call.visitor.session)
    call.visitor.session = None
    call.visitor.signed_out = True
    return redirect(SIGN_IN)


# ------------------------------------------------------------------------------------------


def _pending(call: Call) -> User:
    """The clerk whose password this session accepted; back to the password otherwise."""
    session = call.visitor.session
    user = sessions(call.db).pending_user(session) if session is not None else None
    if user is None or user.disabled_at is not None:
        raise SeeOther(_with_next(SIGN_IN, _next(call)))
    return user


def _grant(call: Call, user: User) -> None:
    """The second factor is passed: a new session (token and CSRF token), signed in."""
    session = call.visitor.session
    assert session is not None  # noqa: S101 -- _pending found it
    started = sessions(call.db).sign_in(session, user, second_factor=True)
    call.visitor.session, call.visitor.new_token = started.session, started.token
    call.visitor.language = started.session.language


def _code_page(
    call: Call, errors: dict[str, str] | None = None
) -> console_pages.SecondFactorPrompt:
    return console_pages.SecondFactorPrompt(
        csrf_token=call.visitor.csrf_token or "",
        action_url=_with_next(CODE, _next(call)),
        errors=errors or {},
    )


def _enroll_page(
    call: Call, secret: str, uri: str, errors: dict[str, str] | None = None
) -> console_pages.Enrollment:
    return console_pages.Enrollment(
        csrf_token=call.visitor.csrf_token or "",
        action_url=_with_next(ENROLL, _next(call)),
        secret=secret,
        provisioning_uri=uri,
        errors=errors or {},
    )


def _set_password_page(
    call: Call, token: str, email: str, errors: dict[str, str] | None = None
) -> console_pages.SetPassword:
    return console_pages.SetPassword(
        csrf_token=call.visitor.csrf_token or "",
        action_url=f"/console/set-password?{urlencode({'token': token})}",
        email=email,
        errors=errors or {},
    )


def _refusal(call: Call, step: str, retry_after: int | None) -> str:
    language = call.visitor.language
    if retry_after:
        return error_message(f"{step}_throttled", language, minutes=-(-retry_after // 60))
    return error_message(f"{step}_refused", language)


def _next(call: Call) -> str:
    """Where to go once signed in: a console path only (no open redirect)."""
    target = call.request.query_params.get("next") or HOME
    if target != HOME and not target.startswith(f"{HOME}/") and not target.startswith(f"{HOME}?"):
        return HOME
    if "\\" in target or "//" in target:
        return HOME
    return target


def _back_here(call: Call) -> str:
    """Where to return after signing in: the page asked for (a form's POST cannot be
    repeated, so the console's start instead)."""
    if call.request.method not in ("GET", "HEAD"):
        return HOME
    url = call.request.url
    return f"{url.path}?{url.query}" if url.query else url.path


def _with_next(path: str, target: str) -> str:
    return path if target == HOME else f"{path}?{urlencode({'next': target})}"


def _ip(call: Call) -> str | None:
    return call.request.client.host if call.request.client else None
