"""The admin's page of clerks: list, add (a set-password link is mailed), change what a
clerk holds, disable and enable, reset a lost second factor."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.responses import Response

from auth.clerks import ClerkOverview
from auth.errors import AccountError
from auth.models import Membership, User
from auth.texts import error_message
from engine.storage.errors import NotFound
from engine.text import LANGUAGES, LocalizedText
from madoguchi import memberships
from madoguchi.web.citizen import redirect
from madoguchi.web.console_auth import clerk_service, require_admin
from madoguchi.web.console_screens import ADMIN_URL, respond
from madoguchi.web.endpoint import Call
from renderers.html import console_pages
from renderers.html.console_pages import ClerkRow, MembershipOption

ACTIONS = ("save", "disable", "enable", "reset_second_factor", "send_link")

# What the clerk's page says after each action (?done=...).
DONE = {
    "save": LocalizedText(ja="保存しました。", en="Saved."),
    "disable": LocalizedText(ja="アカウントを停止しました。", en="The account is disabled."),
    "enable": LocalizedText(ja="アカウントを再開しました。", en="The account is enabled again."),
    "reset_second_factor": LocalizedText(
        ja="二要素認証をリセットしました。次回のログインで設定し直します。",
        en="Two-factor sign-in is reset. The clerk sets it up again at their next sign-in.",
    ),
    "send_link": LocalizedText(
        ja="パスワード設定用のリンクをメールで送りました。",
        en="A link to set a password has been emailed.",
    ),
}


def users(call: Call) -> Response:
    require_admin(call)
    return respond(call, _list_page(call))


def add_user(call: Call) -> Response:
    admin = require_admin(call)
    email, language = call.field("email"), call.field("language")
    admin_checked = call.field("admin") == "yes"
    try:
        chosen = _chosen(call, held=[])
        user = clerk_service(call).add(
            email,
            memberships=chosen,
            password=None,
            language=language if language in LANGUAGES else "ja",
            admin=admin_checked,
            by=admin.user,
        )
    except AccountError as problem:
        field = "email" if "email" in problem.code else "memberships"
        page = _list_page(
            call,
            email_value=email,
            language_value=language,
            admin_checked=admin_checked,
            checked=set(_ticked(call)),
            errors={field: error_message(problem.code, call.visitor.language)},
        )
        return respond(call, page, status=422)
    added = console_pages.ConsoleMessage(
        title=LocalizedText(ja="職員を追加しました", en="Clerk added"),
        body=LocalizedText(
            ja=f"{user.email} にパスワード設定用のリンクをメールで送りました（72時間有効）。",
            en=f"We have emailed {user.email} a link to choose a password (valid 72 hours).",
        ),
        link_url=ADMIN_URL,
        link_text=LocalizedText(ja="職員の一覧へ", en="Back to the clerks"),
    )
    return respond(call, added)


def user(call: Call) -> Response:
    require_admin(call)
    clerk = _clerk(call)
    done = DONE.get(call.request.query_params.get("done", ""))
    notice = done.get(call.visitor.language) if done else None
    return respond(call, _edit_page(call, clerk, notice=notice))


def change_user(call: Call) -> Response:
    admin = require_admin(call)
    clerk = _clerk(call)
    clerks = clerk_service(call)
    action = call.field("action")
    if action not in ACTIONS:
        raise HTTPException(400, "unknown action")
    try:
        if action == "save":
            chosen = _chosen(call, held=clerks.memberships(clerk))
            clerks.set_admin(clerk, call.field("admin") == "yes", by=admin.user)
            clerks.set_memberships(clerk, chosen, by=admin.user)
        elif action == "disable":
            clerks.disable(clerk, by=admin.user)
        elif action == "enable":
            clerks.enable(clerk, by=admin.user)
        elif action == "reset_second_factor":
            clerks.reset_second_factor(clerk, by=admin.user)
        else:
            clerks.send_set_password_link(clerk, by=admin.user)
    except AccountError as problem:
        field = "memberships" if "membership" in problem.code else "admin"
        errors = {field: error_message(problem.code, call.visitor.language)}
        return respond(call, _edit_page(call, clerk, errors=errors), status=422)
    return redirect(f"{_clerk_url(clerk)}?{urlencode({'done': action})}")


# ------------------------------------------------------------------------------------------


def _clerk(call: Call) -> User:
    clerk = clerk_service(call).get(call.params["user_id"])
    if clerk is None:
        raise NotFound(call.params["user_id"])
    return clerk


def _offered(call: Call) -> list[tuple[str, str]]:
    return memberships.offered(loaded.definition for loaded in call.services.procedures)


def _chosen(call: Call, held: Iterable[Membership]) -> list[tuple[str, str]]:
    """The ticked memberships: only those the definitions offer, or the clerk already holds
    (a definition may have dropped a role since); ``unknown_membership`` otherwise."""
    allowed = set(_offered(call)) | {(m.department, m.role) for m in held}
    chosen = []
    for text in _ticked(call):
        pair = memberships.parse(text)
        if pair is None or pair not in allowed:
            raise AccountError("unknown_membership")
        chosen.append(pair)
    return chosen


def _ticked(call: Call) -> list[str]:
    values = call.form.getlist("membership") if call.form is not None else []
    return [value for value in values if isinstance(value, str)]


def _row(overview: ClerkOverview) -> ClerkRow:
    clerk = overview.user
    return ClerkRow(
        email=clerk.email,
        memberships=[(m.department, m.role) for m in overview.memberships],
        is_admin=clerk.is_admin,
        disabled=clerk.disabled_at is not None,
        has_password=clerk.password_hash is not None,
        enrolled=overview.enrolled,
        url=_clerk_url(clerk),
    )


def _clerk_url(clerk: User) -> str:
    return f"{ADMIN_URL}/{clerk.id}"


def _options(call: Call, held: set[tuple[str, str]], checked: set[str]) -> list[MembershipOption]:
    pairs = sorted(set(_offered(call)) | held)
    return [MembershipOption(d, r, f"{d}:{r}" in checked) for d, r in pairs]


def _list_page(  # noqa: PLR0913 -- the add form's values, as typed
    call: Call,
    *,
    email_value: str = "",
    language_value: str = "ja",
    admin_checked: bool = False,
    checked: set[str] | None = None,
    errors: dict[str, str] | None = None,
) -> console_pages.ClerkList:
    return console_pages.ClerkList(
        rows=[_row(overview) for overview in clerk_service(call).overview()],
        options=_options(call, set(), checked or set()),
        csrf_token=call.visitor.csrf_token or "",
        email_value=email_value,
        language_value=language_value,
        admin_checked=admin_checked,
        errors=errors or {},
    )


def _edit_page(
    call: Call, clerk: User, *, notice: str | None = None, errors: dict[str, str] | None = None
) -> console_pages.ClerkEdit:
    overview = clerk_service(call).describe(clerk)
    held = {(m.department, m.role) for m in overview.memberships}
    return console_pages.ClerkEdit(
        row=_row(overview),
        options=_options(call, held, {f"{d}:{r}" for d, r in held}),
        csrf_token=call.visitor.csrf_token or "",
        action_url=_clerk_url(clerk),
        notice=notice,
        errors=errors or {},
    )
