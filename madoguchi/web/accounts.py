"""Citizen accounts on the web: sign up, sign in and out, confirm an email, reset a password."""

from __future__ import annotations

from starlette.responses import Response

from auth.accounts import AccountService
from auth.errors import AccountError, SignInRefused
from auth.texts import error_message
from engine.storage.drafts import DraftService
from engine.storage.errors import DraftExpired, NotFound
from engine.text import LocalizedText
from madoguchi.web import screens
from madoguchi.web.citizen import redirect
from madoguchi.web.drafts import DRAFT_COOKIE_PREFIX
from madoguchi.web.endpoint import Call
from madoguchi.web.visitor import choose_language, ensure_session, sessions
from renderers.html import pages

CHECK_MAIL = LocalizedText(
    ja="メールをご確認ください",
    en="Check your email",
)
CHECK_MAIL_BODY = LocalizedText(
    ja="入力されたアドレスにメールを送りました。メールのリンクから手続を続けてください。"
    "\n\nメールが届かない場合は、迷惑メールのフォルダもご確認ください。",
    en="We have sent an email to the address you entered. Follow the link in it to go on."
    "\n\nIf it does not arrive, look in your spam folder too.",
)


def _accounts(call: Call) -> AccountService:
    settings = call.services.settings
    return AccountService(call.db, call.services.mailer, settings.base_url)


def _safe_next(call: Call) -> str:
    """Where to go after signing in: only a path on this site (no open redirect)."""
    target = call.request.query_params.get("next") or call.field("next") or "/"
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def sign_in_form(call: Call) -> Response:
    ensure_session(call.visitor, call.db)
    action = f"/sign-in?next={_safe_next(call)}"
    return screens.respond(
        call, pages.SignIn(csrf_token=call.visitor.csrf_token or "", action_url=action)
    )


def sign_in(call: Call) -> Response:
    email = call.field("email")
    ip = call.request.client.host if call.request.client else None
    try:
        user = _accounts(call).sign_in(email, call.field("password"), ip)
    except (SignInRefused, AccountError) as refused:
        retry = getattr(refused, "retry_after", None)
        if retry:
            message = error_message(
                "sign_in_throttled", call.visitor.language, minutes=-(-retry // 60)
            )
        else:
            message = error_message("sign_in_refused", call.visitor.language)
        page = pages.SignIn(
            csrf_token=call.visitor.csrf_token or "",
            action_url=f"/sign-in?next={_safe_next(call)}",
            email_value=email,
            errors={"email": message},
        )
        return screens.respond(call, page, status=429 if retry else 401)
    anonymous_drafts = _anonymous_drafts(call)
    session = call.visitor.session
    assert session is not None  # noqa: S101 -- a POST always has a session (CSRF)
    started = sessions(call.db).sign_in(session, user)
    call.visitor.session, call.visitor.new_token = started.session, started.token
    call.visitor.language = started.session.language
    _adopt(call, anonymous_drafts, user.id)
    return redirect(_safe_next(call))


def _anonymous_drafts(call: Call) -> list[tuple[str, str]]:
    return [
        (name.removeprefix(DRAFT_COOKIE_PREFIX), token)
        for name, token in call.request.cookies.items()
        if name.startswith(DRAFT_COOKIE_PREFIX)
    ]


def _adopt(call: Call, drafts: list[tuple[str, str]], user_id: str) -> None:
    """Drafts started before signing in become the account's."""
    service = DraftService(call.db, call.services.draft_ttl, cipher=call.services.cipher)
    for draft_id, token in drafts:
        try:
            service.adopt(service.get(draft_id, resume_token=token), user_id)
        except (NotFound, DraftExpired):  # an expired or foreign draft is simply left
            continue


def sign_out(call: Call) -> Response:
    if call.visitor.session is not None:
        sessions(call.db).sign_out(call.visitor.session)
    call.visitor.session = None
    call.visitor.signed_out = True
    return redirect("/")


def sign_up_form(call: Call) -> Response:
    ensure_session(call.visitor, call.db)
    return screens.respond(call, pages.SignUp(csrf_token=call.visitor.csrf_token or ""))


def sign_up(call: Call) -> Response:
    email = call.field("email")
    try:
        _accounts(call).sign_up(email, call.field("password"), call.visitor.language)
    except AccountError as problem:
        field = "email" if "email" in problem.code else "password"
        page = pages.SignUp(
            csrf_token=call.visitor.csrf_token or "",
            email_value=email,
            errors={field: error_message(problem.code, call.visitor.language)},
        )
        return screens.respond(call, page, status=422)
    return screens.respond(call, pages.Message(title=CHECK_MAIL, body=CHECK_MAIL_BODY))


def verify(call: Call) -> Response:
    _accounts(call).verify_email(call.request.query_params.get("token", ""))
    title = LocalizedText(ja="メールアドレスを確認しました", en="Email address confirmed")
    body = LocalizedText(
        ja="ありがとうございます。ログインして申請を始められます。",
        en="Thank you. You can now sign in and apply.",
    )
    link = LocalizedText(ja="ログイン", en="Sign in")
    return screens.respond(
        call, pages.Message(title=title, body=body, link_url="/sign-in", link_text=link)
    )


def forgot_form(call: Call) -> Response:
    ensure_session(call.visitor, call.db)
    return screens.respond(call, pages.ForgotPassword(csrf_token=call.visitor.csrf_token or ""))


def forgot(call: Call) -> Response:
    _accounts(call).request_password_reset(call.field("email"))
    return screens.respond(call, pages.Message(title=CHECK_MAIL, body=CHECK_MAIL_BODY))


def reset_form(call: Call) -> Response:
    token = call.request.query_params.get("token", "")
    _accounts(call).check_reset_token(token)
    ensure_session(call.visitor, call.db)
    page = pages.ResetPassword(
        csrf_token=call.visitor.csrf_token or "", action_url=f"/account/reset?token={token}"
    )
    return screens.respond(call, page)


def reset(call: Call) -> Response:
    token = call.request.query_params.get("token", "")
    try:
        _accounts(call).reset_password(token, call.field("password"))
    except AccountError as problem:
        page = pages.ResetPassword(
            csrf_token=call.visitor.csrf_token or "",
            action_url=f"/account/reset?token={token}",
            errors={"password": error_message(problem.code, call.visitor.language)},
        )
        return screens.respond(call, page, status=422)
    title = LocalizedText(ja="パスワードを変更しました", en="Password changed")
    body = LocalizedText(
        ja="新しいパスワードでログインしてください。ほかの端末のログインは終了しました。",
        en="Sign in with your new password. You have been signed out everywhere else.",
    )
    return screens.respond(
        call,
        pages.Message(
            title=title,
            body=body,
            link_url="/sign-in",
            link_text=LocalizedText(ja="ログイン", en="Sign in"),
        ),
    )


def switch_language(call: Call) -> Response:
    choose_language(call.visitor, call.db, call.params["language"])
    return redirect(_safe_next(call))
