"""Small JSON endpoints the pages use for progressive enhancement."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from engine.japanese.identifiers import normalize_postal_code
from engine.japanese.postal import lookup_postal_code
from engine.storage.errors import NotFound


def postal_code(request: Request) -> Response:
    """The address a postal code suggests (a suggestion only: one code can span places)."""
    code = normalize_postal_code(request.path_params["code"])
    suggestion = lookup_postal_code(code) if code else None
    if suggestion is None:
        raise NotFound
    return JSONResponse(
        {
            "postal_code": code,
            "prefecture_code": suggestion.prefecture_code,
            "prefecture": suggestion.prefecture,
            "city": suggestion.city,
            "town": suggestion.town,
        },
        headers={"cache-control": "public, max-age=86400"},
    )


def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})
