"""How a view runs: parse the form (with limits), check CSRF, open one database session,
know the visitor, then call the view in a worker thread (the database calls block)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from auth.sessions import SessionService
from madoguchi.web.services import Services
from madoguchi.web.visitor import Visitor, apply_cookie, load_visitor

CSRF_FIELD = "csrf_token"
MAX_FIELDS = 2000
MAX_FILES = 40


@dataclass
class Call:
    """One request as a view sees it."""

    request: Request
    form: FormData | None
    services: Services
    db: Session
    visitor: Visitor

    @property
    def params(self) -> dict[str, Any]:
        return self.request.path_params

    def field(self, name: str) -> str:
        value = self.form.get(name) if self.form is not None else None
        return value if isinstance(value, str) else ""


View = Callable[[Call], Response]


def endpoint(view: View) -> Callable[[Request], Awaitable[Response]]:
    """An ASGI endpoint for ``view``; every unsafe method must carry the session's CSRF
    token, whatever the view."""

    async def run(request: Request) -> Response:
        form = None
        if request.method not in ("GET", "HEAD"):
            form = await request.form(max_files=MAX_FILES, max_fields=MAX_FIELDS)
        try:
            return await run_in_threadpool(_call, view, request, form)
        finally:
            if form is not None:
                await form.close()

    run.__name__ = view.__name__
    return run


def _call(view: View, request: Request, form: FormData | None) -> Response:
    services: Services = request.app.state.services
    with services.db() as db:
        visitor = load_visitor(request, db)
        request.state.language = visitor.language
        if form is not None and not _csrf_ok(visitor, form):
            raise HTTPException(403, "CSRF token missing or wrong")
        response = view(Call(request, form, services, db, visitor))
        db.commit()
        apply_cookie(response, visitor, services)
        return response


def _csrf_ok(visitor: Visitor, form: FormData) -> bool:
    token = form.get(CSRF_FIELD)
    if visitor.session is None or not isinstance(token, str):
        return False
    return SessionService.csrf_matches(visitor.session, token)
