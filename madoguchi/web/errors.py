"""The one place where errors become HTTP responses.

API requests get RFC 7807 problem details with a machine ``code``; people get a friendly
page in their language. Nobody gets a stack trace.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from auth.errors import InvalidToken
from engine.storage.errors import Conflict, DraftExpired, NotFound, StaleSubmission, TooLarge
from engine.workflow.rules import Refused
from madoguchi.logs import request_id
from madoguchi.web.middleware import BodyTooLarge

log = logging.getLogger("madoguchi.errors")


class SeeOther(Exception):  # noqa: N818 -- named after the status it becomes
    """Raised by a guard to send the browser elsewhere instead (303): a console page asked
    for by someone not signed in as a clerk goes to the console's sign-in."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


@dataclass(frozen=True)
class Problem:
    status: int
    code: str
    title_ja: str
    title_en: str

    def title(self, language: str) -> str:
        return self.title_ja if language == "ja" else self.title_en


PROBLEMS: dict[type[Exception], Problem] = {
    NotFound: Problem(404, "not_found", "ページが見つかりません", "Page not found"),
    DraftExpired: Problem(
        410, "draft_expired", "保存期間が過ぎた下書きです", "This draft has expired"
    ),
    StaleSubmission: Problem(
        409, "stale", "この申請はほかの操作で更新されました", "This case changed"
    ),
    Conflict: Problem(409, "conflict", "操作が重なりました", "Conflicting request"),
    TooLarge: Problem(413, "too_large", "ファイルが大きすぎます", "The file is too large"),
    BodyTooLarge: Problem(413, "too_large", "送信データが大きすぎます", "Request too large"),
    InvalidToken: Problem(
        400, "invalid_token", "リンクが無効か期限切れです", "This link is invalid or has expired"
    ),
}
_BY_STATUS = {
    400: Problem(400, "bad_request", "リクエストが正しくありません", "Bad request"),
    403: Problem(403, "forbidden", "この操作はできません", "Forbidden"),
    404: PROBLEMS[NotFound],
    405: Problem(405, "method_not_allowed", "この操作はできません", "Method not allowed"),
    413: PROBLEMS[BodyTooLarge],
    429: Problem(429, "too_many_requests", "しばらくしてからお試しください", "Too many requests"),
}
INTERNAL = Problem(
    500, "internal", "システムエラーが発生しました", "Something went wrong on our side"
)


def problem_for(error: Exception) -> Problem:
    if isinstance(error, Refused):  # a workflow step refused: its own status and code
        return Problem(error.status, error.code, error.reason_ja, error.reason_en)
    if isinstance(error, HTTPException):
        return _BY_STATUS.get(
            error.status_code, Problem(error.status_code, "http_error", "エラー", "Error")
        )
    for kind, problem in PROBLEMS.items():
        if isinstance(error, kind):
            return problem
    return INTERNAL


def wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_response(request: Request, error: Exception) -> Response:
    problem = problem_for(error)
    if problem is INTERNAL:
        log.exception("unhandled error", exc_info=error)
    language = getattr(request.state, "language", "ja")
    if wants_json(request):
        return JSONResponse(
            {
                "type": "about:blank",
                "title": problem.title("en"),
                "status": problem.status,
                "code": problem.code,
                "request_id": request_id.get(),
            },
            status_code=problem.status,
            media_type="application/problem+json",
        )
    renderer = getattr(request.app.state, "render_error", None)
    body = renderer(request, problem, language) if renderer else _plain_page(problem, language)
    return HTMLResponse(body, status_code=problem.status)


def _plain_page(problem: Problem, language: str) -> str:
    title = problem.title(language)
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{title} - 窓口</title></head><body><main><h1>{title}</h1>"
        f"<p>{request_id.get() or ''}</p></main></body></html>"
    )


async def handle(request: Request, error: Exception) -> Response:
    return error_response(request, error)


async def see_other(request: Request, error: Exception) -> Response:
    assert isinstance(error, SeeOther)  # noqa: S101 -- registered for SeeOther only
    return RedirectResponse(error.location, status_code=303)


def exception_handlers() -> dict[type[Exception] | int, object]:
    handlers: dict[type[Exception] | int, object] = dict.fromkeys(PROBLEMS, handle)
    handlers[HTTPException] = handle
    handlers[Refused] = handle
    handlers[SeeOther] = see_other
    handlers[Exception] = handle
    return handlers
