"""Clerks signing in to the console over HTTP, and the admin managing them."""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterator
from typing import Any

import pyotp
import pytest
from starlette.testclient import TestClient

from auth.clerks import ClerkService
from madoguchi.cli import main
from madoguchi.web.app import create_app
from madoguchi.web.services import Services
from madoguchi.web.visitor import SESSION_COOKIE
from tests.auth.conftest import Clock
from tests.conftest import FORMS
from tests.web.conftest import BASE_URL, csrf_of, outbox
from tests.web.flows import (
    PASSWORD,
    SignedInClerk,
    latest_link,
    sign_in_clerk,
    sign_in_console,
    sign_up_and_in,
)

_numbers = itertools.count()
SECRET = re.compile(r'<p class="secret"><code>([A-Z2-7 ]+)</code></p>')
RECOVERY = re.compile(r"<li><code>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})</code></li>")


def new_email(kind: str = "clerk") -> str:
    return f"{kind}{next(_numbers)}@city.example.jp"


@pytest.fixture
def clock(services: Services, monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The console's clock, fixed: one-time codes are made for it."""
    fixed = Clock()
    monkeypatch.setattr(services, "clock", fixed)
    return fixed


def client_from(services: Services, address: str) -> Iterator[TestClient]:
    """A browser at ``address``: throttling counts by address, so tests that fail on
    purpose keep to their own."""
    app = create_app(services.settings, services)
    with TestClient(app, base_url=BASE_URL, client=(address, 50000)) as client:
        yield client


@pytest.fixture
def elsewhere(services: Services) -> Iterator[TestClient]:
    yield from client_from(services, f"198.51.100.{next(_numbers) % 250 + 1}")


def add_with_cli(services: Services, email: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    arguments = ["users", "add", email, "--role", "clerk", "--department", "kodomo-katei"]
    arguments += ["--password-stdin", "--data", str(services.settings.data)]
    arguments += ["--database-url", services.settings.database(), "--forms", str(FORMS)]
    assert main(arguments) == 0


def password_step(client: TestClient, email: str, password: str = PASSWORD) -> str:
    form = client.get("/console/sign-in")
    data = {"csrf_token": csrf_of(form.text), "email": email, "password": password}
    response = client.post("/console/sign-in", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def post_code(client: TestClient, url: str, **fields: str) -> Any:
    page = client.get(url)
    return client.post(url, data={"csrf_token": csrf_of(page.text), **fields})


# Signing in


def test_a_clerk_added_with_the_cli_enrols_then_signs_in_with_a_code(
    client: TestClient, services: Services, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    email = new_email()
    add_with_cli(services, email, monkeypatch)
    assert password_step(client, email) == "/console/enroll"
    planted = client.cookies[SESSION_COOKIE]
    enroll = client.get("/console/enroll")
    assert enroll.status_code == 200
    assert enroll.headers["cache-control"] == "no-store"
    assert "<svg" in enroll.text
    match = SECRET.search(enroll.text)
    assert match is not None
    totp = pyotp.TOTP(match.group(1).replace(" ", ""))
    data = {"csrf_token": csrf_of(enroll.text), "code": totp.at(clock())}
    shown = client.post("/console/enroll", data=data)
    assert shown.status_code == 200
    assert shown.headers["cache-control"] == "no-store"
    assert len(RECOVERY.findall(shown.text)) == 10
    assert client.cookies[SESSION_COOKIE] != planted  # rotated when the factor was passed
    home = client.get("/console")
    assert home.status_code == 200
    assert email in home.text
    assert "kodomo-katei" in home.text
    client.post("/console/sign-out", data={"csrf_token": csrf_of(home.text)})
    # From now on the code page, not the enrolment.
    clock.advance(seconds=30)
    assert password_step(client, email) == "/console/sign-in/code"
    response = post_code(client, "/console/sign-in/code", code=totp.at(clock()))
    assert response.status_code == 200  # followed to /console
    assert email in response.text


def test_each_step_rotates_the_session_and_a_password_alone_opens_nothing(
    client: TestClient, services: Services, clock: Clock
) -> None:
    email = new_email()
    signed = sign_in_clerk(client, services, email)
    client.post("/console/sign-out", data={"csrf_token": signed.csrf_token})
    client.get("/console/sign-in")
    anonymous = client.cookies[SESSION_COOKIE]
    password_step(client, email)
    pending = client.cookies[SESSION_COOKIE]
    assert pending != anonymous
    response = client.get("/console/admin/users", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/sign-in?next=%2Fconsole%2Fadmin%2Fusers"
    page = client.get("/console/sign-in/code")
    clock.advance(minutes=1)
    code = signed.totp.at(clock())
    client.post("/console/sign-in/code", data={"csrf_token": csrf_of(page.text), "code": code})
    assert client.cookies[SESSION_COOKIE] not in (anonymous, pending)
    assert csrf_of(client.get("/console").text) != csrf_of(page.text)


def test_the_code_page_needs_the_password_first(client: TestClient) -> None:
    response = client.get("/console/sign-in/code", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/sign-in"
    assert client.get("/console/enroll", follow_redirects=False).status_code == 303


def test_wrong_codes_are_throttled(elsewhere: TestClient, services: Services, clock: Clock) -> None:
    signed = sign_in_clerk(elsewhere, services, new_email())
    elsewhere.post("/console/sign-out", data={"csrf_token": signed.csrf_token})
    url = password_step(elsewhere, signed.email)
    clock.advance(minutes=1)
    for _ in range(5):
        wrong = post_code(elsewhere, url, code="000000")
        assert wrong.status_code == 401
        assert "確認コードが正しくありません" in wrong.text
    right = post_code(elsewhere, url, code=signed.totp.at(clock()))
    assert right.status_code == 429
    assert "15分ほど後に" in right.text
    clock.advance(minutes=15)
    url = password_step(elsewhere, signed.email)  # the wait for the code ran out meanwhile
    passed = post_code(elsewhere, url, code=signed.totp.at(clock()))
    assert passed.status_code == 200
    assert signed.email in passed.text


def test_a_code_is_refused_the_second_time(
    client: TestClient, services: Services, clock: Clock
) -> None:
    signed = sign_in_clerk(client, services, new_email())
    client.post("/console/sign-out", data={"csrf_token": signed.csrf_token})
    code = signed.totp.at(clock(), counter_offset=1)  # the one sign_in_clerk used
    assert sign_in_console(client, signed.email, code).status_code == 401


def test_a_recovery_code_works_once(client: TestClient, services: Services) -> None:
    signed = sign_in_clerk(client, services, new_email())
    client.post("/console/sign-out", data={"csrf_token": signed.csrf_token})
    recovery = signed.recovery_codes[0]
    url = password_step(client, signed.email)
    passed = post_code(client, url, code="", recovery_code=recovery.upper())
    assert passed.status_code == 200
    client.post("/console/sign-out", data={"csrf_token": csrf_of(client.get("/console").text)})
    url = password_step(client, signed.email)
    assert post_code(client, url, recovery_code=recovery).status_code == 401


def test_next_returns_to_a_console_page_only(
    client: TestClient, services: Services, clock: Clock
) -> None:
    signed = sign_in_clerk(client, services, new_email())
    client.post("/console/sign-out", data={"csrf_token": signed.csrf_token})
    clock.advance(minutes=1)
    code = signed.totp.at(clock())
    back = sign_in_console(client, signed.email, code, next_url="/console?view=mine")
    assert back.headers["location"] == "/console?view=mine"
    client.post("/console/sign-out", data={"csrf_token": csrf_of(client.get("/console").text)})
    clock.advance(seconds=90)
    code = signed.totp.at(clock())
    away = sign_in_console(client, signed.email, code, next_url="https://evil.example/console")
    assert away.headers["location"] == "/console"


def test_a_citizen_is_forbidden_the_console(client: TestClient, services: Services) -> None:
    sign_up_and_in(client, outbox(services), new_email("citizen"))
    assert client.get("/console").status_code == 403
    assert client.get("/console/admin/users").status_code == 403


def test_the_console_sends_strangers_to_its_sign_in(client: TestClient) -> None:
    response = client.get("/console", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/sign-in"


def test_a_citizen_account_does_not_open_the_console(
    client: TestClient, services: Services
) -> None:
    email = new_email("citizen")
    sign_up_and_in(client, outbox(services), email)
    form = client.get("/console/sign-in")
    data = {"csrf_token": csrf_of(form.text), "email": email, "password": PASSWORD}
    assert client.post("/console/sign-in", data=data).status_code == 401


# A clerk's first password


def test_a_new_clerk_sets_a_password_through_the_mailed_link(
    elsewhere: TestClient, services: Services, clock: Clock
) -> None:
    email = new_email()
    with services.db() as db:
        ClerkService(
            db, services.mailer, services.settings.base_url, services.cipher, services.clock
        ).add(email, memberships=[("seiso", "clerk")], password=None, language="en")
    link = latest_link(outbox(services), email, "/console/set-password")
    form = elsewhere.get(link)
    assert form.status_code == 200
    data = {"csrf_token": csrf_of(form.text), "password": "short"}
    assert elsewhere.post(link, data=data).status_code == 422
    data["password"] = PASSWORD
    saved = elsewhere.post(link, data=data)
    assert saved.status_code == 200
    assert elsewhere.get(link).status_code == 400  # used up
    assert password_step(elsewhere, email) == "/console/enroll"


# The admin's page


@pytest.fixture
def admin(elsewhere: TestClient, services: Services) -> SignedInClerk:
    return sign_in_clerk(elsewhere, services, new_email("admin"), [], admin=True)


def test_the_admin_adds_a_clerk_who_is_mailed_a_link(
    admin: SignedInClerk, services: Services
) -> None:
    email = new_email()
    page = admin.client.get("/console/admin/users")
    assert page.status_code == 200
    assert admin.email in page.text
    data = {
        "csrf_token": csrf_of(page.text),
        "email": email,
        "language": "ja",
        "membership": ["kodomo-katei:clerk", "kodomo-katei:section_chief"],
    }
    added = admin.client.post("/console/admin/users", data=data)
    assert added.status_code == 200
    assert email in added.text
    assert latest_link(outbox(services), email, "/console/set-password")
    listed = admin.client.get("/console/admin/users").text
    assert email in listed
    assert "パスワード未設定" in listed


@pytest.mark.parametrize(
    ("membership", "message"),
    [
        ([], "部署と役割を一つ以上選んでください"),
        (["kodomo-katei:inspector"], "手続の定義にない部署と役割"),
        (["nonsense"], "手続の定義にない部署と役割"),
    ],
)
def test_the_admin_is_told_what_is_wrong_with_a_new_clerk(
    admin: SignedInClerk, membership: list[str], message: str
) -> None:
    data = {"csrf_token": admin.csrf_token, "email": new_email(), "membership": membership}
    refused = admin.client.post("/console/admin/users", data=data)
    assert refused.status_code == 422
    assert message in refused.text


def test_the_admin_edits_disables_and_enables_a_clerk(
    admin: SignedInClerk, services: Services, clock: Clock
) -> None:
    with services.db() as db:
        service = ClerkService(
            db, services.mailer, services.settings.base_url, services.cipher, services.clock
        )
        clerk = service.add(new_email(), memberships=[("seiso", "clerk")], password=PASSWORD)
    url = f"/console/admin/users/{clerk.id}"
    page = admin.client.get(url)
    assert page.status_code == 200
    data = {"csrf_token": admin.csrf_token, "action": "save", "membership": ["bosai:clerk"]}
    saved = admin.client.post(url, data=data)
    assert saved.status_code == 200
    assert "保存しました。" in saved.text
    with services.db() as db:
        service.db = db
        assert [(m.department, m.role) for m in service.memberships(clerk)] == [("bosai", "clerk")]
    admin.client.post(url, data={"csrf_token": admin.csrf_token, "action": "disable"})
    form = admin.client.get("/console/sign-in")  # the admin's own session stays
    assert form.status_code == 200
    with TestClient(create_app(services.settings, services), base_url=BASE_URL) as other:
        attempt = other.get("/console/sign-in")
        data = {"csrf_token": csrf_of(attempt.text), "email": clerk.email, "password": PASSWORD}
        assert other.post("/console/sign-in", data=data).status_code == 401
        enabled = admin.client.post(url, data={"csrf_token": admin.csrf_token, "action": "enable"})
        assert "アカウントを再開しました。" in enabled.text
        assert password_step(other, clerk.email) == "/console/enroll"


def test_the_admin_resets_a_lost_second_factor(
    admin: SignedInClerk, services: Services, client: TestClient, clock: Clock
) -> None:
    signed = sign_in_clerk(client, services, new_email())
    url = f"/console/admin/users/{signed.user_id}"
    data = {"csrf_token": admin.csrf_token, "action": "reset_second_factor"}
    assert "二要素認証をリセットしました" in admin.client.post(url, data=data).text
    assert client.get("/console", follow_redirects=False).status_code == 303  # signed out
    assert password_step(client, signed.email) == "/console/enroll"


def test_an_admin_cannot_disable_themselves(admin: SignedInClerk) -> None:
    url = f"/console/admin/users/{admin.user_id}"
    refused = admin.client.post(url, data={"csrf_token": admin.csrf_token, "action": "disable"})
    assert refused.status_code == 422
    assert admin.client.get("/console").status_code == 200


def test_a_clerk_who_is_not_an_admin_is_forbidden_the_admin_page(
    client: TestClient, services: Services
) -> None:
    signed = sign_in_clerk(client, services, new_email())
    assert client.get("/console").status_code == 200
    assert client.get("/console/admin/users").status_code == 403
    data = {"csrf_token": signed.csrf_token, "email": new_email(), "membership": ["seiso:clerk"]}
    assert client.post("/console/admin/users", data=data).status_code == 403
