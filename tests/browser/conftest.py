"""The citizen portal served for real and driven by a real browser (Debian's chromium).

The server is the application as `madoguchi serve` builds it, on 127.0.0.1 and a free port,
with its own SQLite database and a file outbox. Each page the tests open reports what went
wrong in the browser: a JavaScript error, an error in the console, a request that would
leave 127.0.0.1. Any of them fails the test.

Without /usr/bin/chromium the tests skip, unless MADOGUCHI_REQUIRE_BROWSER is set (CI sets
it): then a missing browser is an error.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.error import URLError

import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Response,
    Route,
    ViewportSize,
    sync_playwright,
)

from madoguchi.config import Settings
from madoguchi.web.app import create_app
from madoguchi.web.services import Services, build_services
from madoguchi.worker import start_in_background
from tests.conftest import FORMS, ROOT, TODAY

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "docs" / "screenshots"
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
MOBILE: ViewportSize = {"width": 360, "height": 640}
# Accept-Language of the browser: the portal's language until the visitor switches.
LOCALES = {"ja": "ja-JP", "en": "en-GB"}
STARTUP_SECONDS = 15.0


@dataclass
class Server:
    base_url: str
    services: Services
    outbox: Path  # the mails the portal sent, one .eml file each


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The portal on 127.0.0.1, on a socket bound before the server starts (no port race)."""
    tmp = tmp_path_factory.mktemp("browser")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}"
    outbox = tmp / "outbox"
    settings = Settings(
        data=tmp / "data",
        forms=FORMS,
        mail_url=f"file:{outbox}",
        database_url=f"sqlite:///{tmp / 'madoguchi.db'}",
        base_url=base_url,
    )
    services = build_services(settings)
    services.today = lambda: TODAY
    app = create_app(settings, services)
    uvicorn_server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None)
    )
    thread = threading.Thread(
        target=uvicorn_server.run, kwargs={"sockets": [sock]}, name="uvicorn", daemon=True
    )
    thread.start()
    # The worker runs beside the server, as `madoguchi serve` runs it: receipts get issued.
    worker, stop_worker = start_in_background(services)
    try:
        _wait_until_up(f"{base_url}/healthz", thread)
        yield Server(base_url=base_url, services=services, outbox=outbox)
    finally:
        stop_worker.set()
        worker.join(timeout=30)
        uvicorn_server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        services.engine.dispose()


def _wait_until_up(url: str, thread: threading.Thread) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("the server stopped while starting; see the captured log")
        try:
            with urllib.request.urlopen(url, timeout=0.5) as response:  # noqa: S310 -- http://127.0.0.1 only
                if response.status == 200:
                    return
        except (URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"the server did not answer {url} within {STARTUP_SECONDS:.0f} s")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        reason = f"{CHROMIUM} is not installed (Debian: apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("MADOGUCHI_REQUIRE_BROWSER"):
            pytest.fail(f"MADOGUCHI_REQUIRE_BROWSER is set but {reason}")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@dataclass
class Problems:
    """What went wrong in the browser while a test ran; the test fails if there is any."""

    base_url: str
    found: list[str] = field(default_factory=list)
    console_errors: list[tuple[str, str]] = field(default_factory=list)  # (text, url)
    # Pages the server answered with 422 (a form with errors, as the test meant): Chromium
    # logs "Failed to load resource" for them, which is not a problem of the page.
    rejected_forms: set[str] = field(default_factory=set)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append((message.text, message.location.get("url", "")))

    def response(self, response: Response) -> None:
        if response.status == 422 and response.request.resource_type == "document":
            self.rejected_forms.add(response.url)

    def route(self, route: Route) -> None:
        url = route.request.url
        if url == self.base_url or url.startswith(f"{self.base_url}/"):
            route.continue_()
            return
        self.found.append(f"request outside the test server: {url}")
        route.abort()

    def report(self) -> list[str]:
        """Everything found, once the pages are closed (events arrive in any order)."""
        problems = list(self.found)
        for text, url in self.console_errors:
            if text.startswith("Failed to load resource") and url in self.rejected_forms:
                continue
            problems.append(f"console error: {text} ({url})")
        return problems


NewPage = Callable[..., Page]


@pytest.fixture
def new_page(browser: Browser, server: Server) -> Iterator[NewPage]:
    """Open a page in a fresh browser context: ``new_page(language="ja", viewport=DESKTOP)``.

    Relative URLs go to the test server; anything else is refused and fails the test."""
    contexts = []
    problems = Problems(server.base_url)

    def open_page(language: str = "ja", viewport: ViewportSize = DESKTOP) -> Page:
        context = browser.new_context(
            base_url=server.base_url,
            locale=LOCALES[language],
            viewport=viewport,
            timezone_id="Asia/Tokyo",
        )
        contexts.append(context)
        context.route("**/*", problems.route)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.found.append(f"page error: {error}"))
        page.on("console", problems.console)
        page.on("response", problems.response)
        return page

    yield open_page
    for context in contexts:
        context.close()
    found = problems.report()
    assert not found, "problems in the browser:\n" + "\n".join(found)
