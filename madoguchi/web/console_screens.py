"""Console pages as responses: the console's header, then ``console_pages.render``."""

from __future__ import annotations

from urllib.parse import quote

from starlette.responses import HTMLResponse

from madoguchi.web.endpoint import Call
from renderers.html import console_pages

ADMIN_URL = "/console/admin/users"


def respond(
    call: Call, page: console_pages.ConsolePage, status: int = 200, *, secret: bool = False
) -> HTMLResponse:
    """The page with the console's header. ``secret`` pages (a TOTP secret, recovery codes)
    are not to be kept by the browser or a proxy."""
    call.db.commit()  # as screens.respond: release the database before rendering
    language = call.visitor.language
    other = "en" if language == "ja" else "ja"
    here = call.request.url.path
    if call.request.url.query and call.request.method in ("GET", "HEAD"):
        here = f"{here}?{call.request.url.query}"
    user = call.visitor.user
    session = call.visitor.session
    clerk = (
        user is not None
        and user.kind == "clerk"
        and session is not None
        and session.second_factor_at is not None
    )
    chrome = console_pages.ConsoleChrome(
        language=language,
        switch_language_url=f"/language/{other}?next={quote(here, safe='')}",
        user_email=user.email if clerk and user is not None else None,
        csrf_token=call.visitor.csrf_token,
        admin_url=ADMIN_URL if clerk and user is not None and user.is_admin else None,
    )
    response = HTMLResponse(console_pages.render(page, language, chrome), status_code=status)
    if secret:
        response.headers["cache-control"] = "no-store"
    return response
