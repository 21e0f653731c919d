"""A citizen going through a procedure over HTTP, as a browser without JavaScript would;
a clerk signing in to the console."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyotp
from starlette.testclient import TestClient

from auth.clerks import ClerkService
from engine.definitions.models import Definition
from engine.fields.files import FileField
from madoguchi.web.services import Services
from tests.web.conftest import csrf_of

# The first bytes of each kind of file, enough for the content check.
SAMPLES = {
    "application/pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
    "image/png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32,
    "image/jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32,
    "image/heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00" + b"\x00" * 32,
}
REFERENCE = re.compile(r"MD-[0-9A-Z]{3}-[0-9A-Z]{3}-[0-9A-Z]{3}")


def flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Form pairs for nested raw answers: the inverse of engine.answers.unflatten."""
    if isinstance(value, dict):
        return [pair for key, item in value.items() for pair in flatten(item, _join(prefix, key))]
    if isinstance(value, list):
        if all(isinstance(item, str) for item in value):
            return [(prefix, item) for item in value]
        return [
            pair for index, item in enumerate(value) for pair in flatten(item, f"{prefix}[{index}]")
        ]
    if isinstance(value, bool):
        return [(prefix, "yes" if value else "no")]
    return [(prefix, str(value))]


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


@dataclass
class Submitted:
    reference: str
    html: str


def post_page(
    client: TestClient, url: str, definition: Definition, page_id: str, raw: dict[str, Any]
) -> Any:
    html = client.get(url).text
    page = next(p for p in definition.pages if p.id == page_id)
    pairs = [("csrf_token", csrf_of(html)), ("action", "continue")]
    files = []
    for spec in page.fields:
        if spec.id not in raw:
            continue
        if isinstance(spec, FileField):
            for upload in raw[spec.id]:
                content = SAMPLES[upload["media_type"]]
                files.append((spec.id, (upload["name"], content, upload["media_type"])))
            continue
        pairs.extend(flatten(raw[spec.id], spec.id))
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return client.post(url, data=data, files=files or None, follow_redirects=False)


def complete(client: TestClient, definition: Definition, raw: dict[str, Any]) -> Submitted:
    """Start the procedure, answer each page in turn, check and submit."""
    start = client.get(f"/procedures/{definition.procedure}")
    response = client.post(
        f"/procedures/{definition.procedure}",
        data={"csrf_token": csrf_of(start.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    url = response.headers["location"]
    while "/pages/" in url:
        page_id = url.rsplit("/", 1)[1]
        response = post_page(client, url, definition, page_id, raw)
        assert response.status_code == 303, _errors(response.text)
        url = response.headers["location"]
    assert url.endswith("/check")
    check = client.get(url)
    assert check.status_code == 200
    submit_url = url.removesuffix("/check") + "/submit"
    data = {"csrf_token": csrf_of(check.text), "action": "submit", "submit_token": "x"}
    confirmation = client.post(submit_url, data=data)
    assert confirmation.status_code == 200, confirmation.text
    match = REFERENCE.search(confirmation.text)
    assert match is not None
    return Submitted(match.group(0), confirmation.text)


def _errors(html: str) -> str:
    return " / ".join(re.findall(r'<a href="#[^"]+">([^<]+)</a>', html)) or html[:2000]


PASSWORD = "correct horse battery staple 窓口"  # noqa: S105 -- a test account's


def sign_up_and_in(client: TestClient, outbox: Path, email: str) -> None:
    """Create an account, follow the confirmation link from the mail, and sign in."""
    form = client.get("/sign-up")
    data = {"csrf_token": csrf_of(form.text), "email": email, "password": PASSWORD}
    assert client.post("/sign-up", data=data).status_code == 200
    link = latest_link(outbox, email, "/account/verify")
    assert client.get(link).status_code == 200
    sign_in(client, email)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    form = client.get("/sign-in")
    data = {"csrf_token": csrf_of(form.text), "email": email, "password": password}
    return client.post("/sign-in", data=data, follow_redirects=False)


def latest_link(outbox: Path, email: str, path: str) -> str:
    """The path and query of the newest link to ``path`` mailed to ``email``."""
    for message_file in sorted(outbox.glob("*.eml"), key=lambda f: f.stat().st_mtime, reverse=True):
        message = BytesParser(policy=policy.default).parsebytes(message_file.read_bytes())
        if message["To"] != email:
            continue
        body = message.get_body(preferencelist=("plain",))
        assert body is not None
        match = re.search(rf"https?://[^/\s]+({re.escape(path)}\?token=[\w-]+)", body.get_content())
        if match:
            return match.group(1)
    raise AssertionError(f"no mail to {email} with a link to {path}")


@dataclass
class SignedInClerk:
    """A clerk signed in to the console on ``client`` (its cookies hold the session).

    ``csrf_token`` goes with every form posted. ``totp`` makes codes for signing in again;
    a code counts once and this sign-in used the one a step after ``services.clock()``, so
    move that clock on a minute first and use ``totp.at(services.clock())``.
    ``recovery_codes`` are all unused."""

    client: TestClient
    user_id: str
    email: str
    password: str
    csrf_token: str
    totp: pyotp.TOTP
    recovery_codes: list[str]


def sign_in_clerk(
    client: TestClient,
    services: Services,
    email: str,
    roles: Sequence[tuple[str, str]] = (("kodomo-katei", "clerk"),),
    *,
    admin: bool = False,
) -> SignedInClerk:
    """Create a clerk holding ``roles`` ((department, role) pairs) with a password and a
    confirmed authenticator app, then sign in on ``client`` over HTTP, both steps."""
    with services.db() as db:
        clerks = ClerkService(
            db, services.mailer, services.settings.base_url, services.cipher, services.clock
        )
        user = clerks.add(email, memberships=list(roles), password=PASSWORD, admin=admin)
        totp = pyotp.TOTP(clerks.begin_enrollment(user).secret)
        codes = clerks.confirm_enrollment(user, totp.at(services.clock()))
    # The enrolment spent this time step's code: sign in with the next one, still valid.
    response = sign_in_console(client, email, totp.at(services.clock(), counter_offset=1))
    assert response.status_code == 303, response.text
    home = client.get(response.headers["location"])
    assert home.status_code == 200, home.text
    return SignedInClerk(client, user.id, user.email, PASSWORD, csrf_of(home.text), totp, codes)


def sign_in_console(
    client: TestClient, email: str, code: str, password: str = PASSWORD, next_url: str = ""
) -> Any:
    """Both steps of the console's sign-in; the response to the code (303 when it passed)."""
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    form = client.get(f"/console/sign-in{query}")
    data = {"csrf_token": csrf_of(form.text), "email": email, "password": password}
    response = client.post(f"/console/sign-in{query}", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    prompt = client.get(response.headers["location"])
    assert prompt.status_code == 200, prompt.text
    data = {"csrf_token": csrf_of(prompt.text), "code": code}
    return client.post(response.headers["location"], data=data, follow_redirects=False)
