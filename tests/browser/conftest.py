"""The citizen portal served for real and driven by a real browser (Debian's chromium).

The server is the application as `madoguchi serve` builds it, on 127.0.0.1 and a free port,
with its own SQLite database and a file outbox. Each page the tests open reports what went
wrong in the browser: a JavaScript error, an error in the console, a request that would
leave 127.0.0.1. Any of them fails the test.

Without /usr/bin/chromium the tests skip, unless MADOGUCHI_REQUIRE_BROWSER is set (CI sets
it): then a missing browser is an error.

`check_accessibility(page, name)` runs axe-core's WCAG 2.2 A and AA rules and its best
practices on the page as it is: a serious or critical violation fails the test; a minor or
moderate one must be listed, with the reason it is accepted, in docs/accessibility.md.
`tab_to(page, target)` moves the focus with the keyboard and checks that it shows.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlsplit

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
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
from tests.browser import axe_tally
from tests.conftest import FORMS, ROOT, TODAY
from tests.web.flows import REFERENCE

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
# WCAG 2.0, 2.1 and 2.2, levels A and AA: what JIS X 8341-3 and the Digital Agency ask for;
# and axe-core's best practices, which hold what WCAG leaves to judgement: landmarks around
# all content, one h1 per page, headings in order, unique landmark names.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING_IMPACTS = {"serious", "critical"}
ACCESSIBILITY_DOC = ROOT / "docs" / "accessibility.md"


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


def mailed_link(server: Server, email: str, path: str) -> str:
    """The link to ``path`` in the newest mail to ``email``, as the mail shows it."""
    mails = sorted(server.outbox.glob("*.eml"), key=lambda f: f.stat().st_mtime, reverse=True)
    for mail in mails:
        message = BytesParser(policy=policy.default).parsebytes(mail.read_bytes())
        body = message.get_body(preferencelist=("plain",))
        if message["To"] != email or body is None:
            continue
        link = re.search(rf"{re.escape(server.base_url + path)}\?token=[\w-]+", body.get_content())
        if link:
            return link.group(0)
    raise AssertionError(f"no mail to {email} with a link to {server.base_url}{path}")


@dataclass
class Problems:
    """What went wrong in the browser while a test ran; the test fails if there is any."""

    base_url: str
    found: list[str] = field(default_factory=list)
    console_errors: list[tuple[str, str]] = field(default_factory=list)  # (text, url)
    # Pages the server answered with 404 or 422 (an address that does not exist, a form with
    # errors, as the test meant): Chromium logs "Failed to load resource" for them, which is
    # not a problem of the page. A test that did not mean them fails on what the page says.
    error_pages: set[str] = field(default_factory=set)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append((message.text, message.location.get("url", "")))

    def response(self, response: Response) -> None:
        if response.status in (404, 422) and response.request.resource_type == "document":
            self.error_pages.add(response.url)

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
            if text.startswith("Failed to load resource") and url in self.error_pages:
                continue
            problems.append(f"console error: {text} ({url})")
        return problems


NewPage = Callable[..., Page]


@pytest.fixture
def new_page(browser: Browser, server: Server) -> Iterator[NewPage]:
    """Open a page in a fresh browser context:
    ``new_page(language="ja", viewport=DESKTOP, javascript=True)``.

    Relative URLs go to the test server; anything else is refused and fails the test."""
    contexts = []
    problems = Problems(server.base_url)

    def open_page(
        language: str = "ja", viewport: ViewportSize = DESKTOP, javascript: bool = True
    ) -> Page:
        context = browser.new_context(
            base_url=server.base_url,
            locale=LOCALES[language],
            viewport=viewport,
            timezone_id="Asia/Tokyo",
            java_script_enabled=javascript,
        )
        contexts.append(context)
        if not javascript:
            WITHOUT_JAVASCRIPT.add(context)
        context.route("**/*", problems.route)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.found.append(f"page error: {error}"))
        page.on("console", problems.console)
        page.on("response", problems.response)
        return page

    yield open_page
    for context in contexts:
        WITHOUT_JAVASCRIPT.discard(context)
        context.close()
    found = problems.report()
    assert not found, "problems in the browser:\n" + "\n".join(found)


@dataclass(frozen=True)
class AxeViolation:
    page: str  # the name the test gave the page
    rule: str  # axe-core's rule id, e.g. "color-contrast"
    impact: str  # minor, moderate, serious or critical
    help: str
    targets: list[str]  # CSS selectors of the elements concerned


# Contexts with JavaScript off. axe-core waits on timers, which do not run there; the server
# sends the same markup either way, and the tests check it with JavaScript on.
WITHOUT_JAVASCRIPT: set[BrowserContext] = set()
# Every page checked in this session and what was found on it, for the summary at the end.


def check_accessibility(page: Page, name: str) -> None:
    """axe-core (from axe-playwright-python) on ``page`` as it is now, named ``name`` in
    messages: no serious or critical violation, and every other one accepted in
    docs/accessibility.md. Also what axe-core leaves open: the page starts with a skip link
    to <main> and has exactly one h1."""
    page.wait_for_load_state("load")
    first_link = page.locator("body a").first.get_attribute("href")
    assert first_link == "#main", f"{name} does not start with a skip link ({page.url})"
    headings = page.get_by_role("heading", level=1).count()
    assert headings == 1, f"{name} has {headings} h1 headings ({page.url})"
    if page.context in WITHOUT_JAVASCRIPT:
        return
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    response = Axe().run(page, options=options).response
    violations = [
        AxeViolation(
            page=name,
            rule=found["id"],
            impact=found["impact"],
            help=found["help"],
            targets=[" ".join(node["target"]) for node in found["nodes"]],
        )
        for found in response["violations"]
    ]
    axe_tally.record(name, [violation.impact for violation in violations])
    blocking = [v for v in violations if v.impact in BLOCKING_IMPACTS]
    assert not blocking, f"accessibility violations on {name} ({page.url}):\n" + "\n".join(
        f"{v.impact} {v.rule}: {v.help} -- {', '.join(v.targets)}" for v in blocking
    )
    accepted = accepted_violations()
    unlisted = [v for v in violations if v.rule not in accepted]
    assert not unlisted, (
        f"minor or moderate accessibility violations on {name} ({page.url}) that "
        "docs/accessibility.md does not accept yet; fix them or add a row with the reason:\n"
        + "\n".join(f"| `{v.rule}` | {v.impact} | {v.help} | ... |" for v in unlisted)
    )


# A row of the table in docs/accessibility.md: | `rule-id` | impact | ... | reason |
_ACCEPTED_ROW = re.compile(r"^\| `([a-z0-9-]+)` \|.*\| *[^| ][^|]* \|$", re.MULTILINE)


def accepted_violations() -> set[str]:
    """The axe-core rules that docs/accessibility.md accepts, each with a reason."""
    return set(_ACCEPTED_ROW.findall(ACCESSIBILITY_DOC.read_text(encoding="utf-8")))


# Where the keyboard focus is and whether it shows: the stylesheet's outline of 2px or more
# (a ring drawn with box-shadow alone could not be told from a shadow the element always has).
_FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    element: element.outerHTML.slice(0, 120),
    visible: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
  };
}"""
MAX_KEY_PRESSES = 60


def tab_to(page: Page, target: Locator, key: str = "Tab") -> None:
    """Press ``key`` (Tab, or an arrow key inside a group of radios) until ``target`` has
    the focus; the focus must show on every element it passes."""
    page.wait_for_load_state("load")  # the stylesheet too: a person is slower than a test
    for _ in range(MAX_KEY_PRESSES):
        page.keyboard.press(key)
        focused = page.evaluate(_FOCUSED)
        assert focused["visible"], f"the focus does not show on {focused['element']}"
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{MAX_KEY_PRESSES} presses of {key} did not reach {target}")


# Screenshots for docs/ ---------------------------------------------------------------

EXAMPLE_REFERENCE = "MD-7KQ-3PX-9TW"
EXAMPLE_ACCESS_CODE = "K7QP3XW9TM"
EXAMPLE_DRAFT = "q3Xh8VbN2kLm5RtY7wZa1c"
EXAMPLE_TOKEN = "Jx4pT9mQ2vL8sN6wR3yK7bH5dF1gC0zE"  # noqa: S105 -- a placeholder

# Replaces text in the page's text nodes, for the screenshots only: [[pattern, text], ...].
_REPLACE_TEXT = """replacements => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const [pattern, text] of replacements) {
      node.textContent = node.textContent.replace(new RegExp(pattern, "g"), text);
    }
  }
}"""


def screenshot(
    page: Page,
    name: str,
    access_code: str | None = None,
    more: tuple[tuple[str, str], ...] = (),
    full_page: bool = True,
) -> None:
    """docs/screenshots/<name>.png, the whole page (its first screen if not ``full_page``).
    What differs from run to run (the server's port, reference numbers, access codes, links
    to drafts, and the ``more`` (pattern, text) pairs a test gives) is replaced by fixed
    examples first, so an image changes only when the page does."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    replacements = [
        (re.escape(origin), "http://127.0.0.1:8000"),
        (REFERENCE.pattern, EXAMPLE_REFERENCE),
        (r"/drafts/[\w-]+/", f"/drafts/{EXAMPLE_DRAFT}/"),
        (r"token=[\w-]+", f"token={EXAMPLE_TOKEN}"),
    ]
    if access_code is not None:
        replacements.append((re.escape(access_code), EXAMPLE_ACCESS_CODE))
    replacements.extend(more)
    page.wait_for_load_state("load")  # the whole page, not what has arrived so far
    page.evaluate(_REPLACE_TEXT, replacements)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=SCREENSHOTS / f"{name}.png",
        full_page=full_page,
        animations="disabled",
        caret="hide",
    )
