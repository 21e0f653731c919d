from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from madoguchi.web.middleware import BodyLimit, BodyTooLarge, RequestContext, SecurityHeaders

LIMIT = 1000


async def echo(request: Request) -> Response:
    body = await request.body()
    return PlainTextResponse(str(len(body)))


async def too_large(request: Request, error: Exception) -> Response:
    return PlainTextResponse("too large", status_code=413)


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = Starlette(
        routes=[Route("/", echo, methods=["GET", "POST"])],
        middleware=[
            Middleware(RequestContext),
            Middleware(SecurityHeaders, hsts=False),
            Middleware(BodyLimit, limit=LIMIT),
        ],
        exception_handlers={BodyTooLarge: too_large},
    )
    with TestClient(app) as client:
        yield client


def test_security_headers_on_every_response(client: TestClient) -> None:
    response = client.get("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    first = client.get("/").headers["x-request-id"]
    second = client.get("/").headers["x-request-id"]
    assert len(first) == 16
    assert first != second


def test_body_within_the_limit_passes(client: TestClient) -> None:
    assert client.post("/", content=b"x" * LIMIT).text == str(LIMIT)


def test_declared_oversized_body_is_refused_before_reading(client: TestClient) -> None:
    response = client.post("/", content=b"x" * (LIMIT + 1))
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "too_large"


def test_chunked_body_growing_past_the_limit_is_refused(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(5):
            yield b"x" * 400

    response = client.post("/", content=chunks())
    assert response.status_code == 413
