"""Submissions per second through the real submit endpoint (CSRF, session, validation,
storage, event) against a bare Starlette endpoint that validates the same fields with a
static pydantic model and inserts one row into SQLite, both served by uvicorn on this
machine and driven by the same 16 concurrent clients.

Run: python bench/submit.py  (about a minute). Target: at least 60% of the bare rate.
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2 as httpx
import uvicorn
from pydantic import BaseModel, Field
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from auth.sessions import SessionService
from engine.storage.drafts import DraftService
from madoguchi.config import Settings
from madoguchi.web.app import create_app
from madoguchi.web.services import SESSION_IDLE, SESSION_TTL, build_services

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import TODAY  # noqa: E402 -- needs the root on the path
from tests.test_demo_procedures import BULKY_WASTE  # noqa: E402

CLIENTS = 16
SUBMISSIONS = 800
TARGET = 0.6


def serve(app: Any, port: int) -> uvicorn.Server:
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    )
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.01)
    return server


def free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def drive(requests: list[Callable[[httpx.AsyncClient], Any]]) -> list[float]:
    """Send every request with CLIENTS at a time; return each one's latency in seconds."""
    queue: asyncio.Queue[Callable[[httpx.AsyncClient], Any]] = asyncio.Queue()
    for request in requests:
        queue.put_nowait(request)
    latencies: list[float] = []

    async def worker() -> None:
        async with httpx.AsyncClient(timeout=30) as client:
            while not queue.empty():
                request = queue.get_nowait()
                started = time.perf_counter()
                response = await request(client)
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise RuntimeError(f"{response.status_code}: {response.text[:300]}")

    await asyncio.gather(*(worker() for _ in range(CLIENTS)))
    return latencies


# The baseline: the same answers checked by a hand-written static model, one row inserted.
class Name(BaseModel):
    family: str = Field(min_length=1, max_length=50)
    given: str = Field(min_length=1, max_length=50)
    family_kana: str = Field(min_length=1, max_length=50)
    given_kana: str = Field(min_length=1, max_length=50)


class Item(BaseModel):
    item_type: str
    quantity: int = Field(ge=1, le=10)
    other_item: str | None = None
    size_note: str | None = None


class Booking(BaseModel):
    name: Name
    phone: str = Field(pattern=r"^[0-9-]{10,13}$")
    postal_code: str = Field(pattern=r"^\d{3}-?\d{4}$")
    items: list[Item] = Field(min_length=1, max_length=10)
    collection_date: str
    collection_place: str
    agree: str


def bare_app(database: Path) -> Starlette:
    connection = sqlite3.connect(database, check_same_thread=False)
    connection.execute("CREATE TABLE bookings (id INTEGER PRIMARY KEY, answers TEXT)")
    lock = threading.Lock()

    def submit(request: Request, body: bytes) -> Response:
        booking = Booking.model_validate_json(body)
        with lock:
            connection.execute(
                "INSERT INTO bookings (answers) VALUES (?)", (booking.model_dump_json(),)
            )
            connection.commit()
        return PlainTextResponse("ok")

    async def endpoint(request: Request) -> Response:
        return submit(request, await request.body())

    return Starlette(routes=[Route("/submit", endpoint, methods=["POST"])])


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="madoguchi-bench-"))
    settings = Settings(data=folder, forms=ROOT / "forms", mail_url=f"file:{folder / 'outbox'}")
    services = build_services(settings)
    services.today = lambda: TODAY
    version_id = services.current["bulky-waste"]
    with services.db() as db:
        visitor = SessionService(db, ttl=SESSION_TTL, idle=SESSION_IDLE).start("ja")
        drafts = DraftService(db, services.draft_ttl, cipher=services.cipher)
        prepared = []
        for _ in range(SUBMISSIONS):
            draft, token = drafts.start(version_id, None, "ja")
            drafts.save(draft, BULKY_WASTE, "confirm")
            assert token is not None  # an anonymous draft has a resume token
            prepared.append((draft.id, token))
        db.commit()
        csrf = visitor.session.csrf_token
    ours_port, bare_port = free_port(), free_port()
    serve(create_app(settings, services), ours_port)
    serve(bare_app(folder / "bare.db"), bare_port)

    def ours(draft_id: str, token: str) -> Callable[[httpx.AsyncClient], Any]:
        cookies = f"madoguchi_session={visitor.token}; madoguchi_draft_{draft_id}={token}"
        return lambda client: client.post(
            f"http://127.0.0.1:{ours_port}/drafts/{draft_id}/submit",
            data={"csrf_token": csrf, "action": "submit"},
            headers={"cookie": cookies},
        )

    import json  # noqa: PLC0415

    body = json.dumps(
        {
            **BULKY_WASTE,
            "items": [{**i, "quantity": int(i["quantity"])} for i in BULKY_WASTE["items"]],
        }
    )

    def bare() -> Callable[[httpx.AsyncClient], Any]:
        return lambda client: client.post(f"http://127.0.0.1:{bare_port}/submit", content=body)

    started = time.perf_counter()
    ours_latencies = asyncio.run(drive([ours(d, t) for d, t in prepared]))
    ours_rate = SUBMISSIONS / (time.perf_counter() - started)
    started = time.perf_counter()
    bare_latencies = asyncio.run(drive([bare() for _ in range(SUBMISSIONS)]))
    bare_rate = SUBMISSIONS / (time.perf_counter() - started)
    print(
        f"submit: {ours_rate:,.0f}/s "
        f"(p50 {_ms(ours_latencies, 50)}, p99 {_ms(ours_latencies, 99)}) "
        f"vs bare Starlette+pydantic+SQLite {bare_rate:,.0f}/s (p50 {_ms(bare_latencies, 50)}, "
        f"p99 {_ms(bare_latencies, 99)}) at {CLIENTS} clients, ratio {ours_rate / bare_rate:.2f} "
        f"(target >= {TARGET})"
    )


def _ms(latencies: list[float], percentile: int) -> str:
    return f"{statistics.quantiles(latencies, n=100)[percentile - 1] * 1000:.0f} ms"


if __name__ == "__main__":
    main()
