"""The Starlette application."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request

from madoguchi.config import Settings
from madoguchi.web import errors
from madoguchi.web.middleware import BodyLimit, RequestContext, SecurityHeaders
from madoguchi.web.routes import routes
from madoguchi.web.services import Services, build_services
from renderers.html import pages


def create_app(settings: Settings, services: Services | None = None) -> Starlette:
    """The application for ``settings``: migrates the database and publishes forms/ first."""
    services = services or build_services(settings)
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(RequestContext),
            Middleware(SecurityHeaders, hsts=settings.secure_cookies),
            Middleware(BodyLimit, limit=settings.max_request_bytes),
        ],
        exception_handlers=errors.exception_handlers(),  # type: ignore[arg-type]  # handlers by class
        debug=False,
    )
    app.state.services = services
    app.state.render_error = _render_error
    return app


def _render_error(request: Request, problem: errors.Problem, language: str) -> str:
    page = pages.ErrorPage(status=problem.status, title=problem.title(language), body="")
    return pages.render(page, language)
