"""The whole citizen path over HTTP for every demo procedure, on each test database."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
from starlette.testclient import TestClient

from engine.storage.definitions import DefinitionStore
from madoguchi.web.services import Services
from tests.conftest import childcare_answers
from tests.test_demo_procedures import BULKY_WASTE, DISASTER, RESTAURANT_CORPORATE
from tests.web.conftest import csrf_of, outbox
from tests.web.flows import complete, sign_up_and_in


def definition_of(services: Services, procedure: str) -> Any:
    with services.db() as db:
        return DefinitionStore(db).load(services.current[procedure]).definition


def new_email() -> str:
    return f"citizen-{secrets.token_hex(4)}@example.jp"


@pytest.mark.parametrize(
    ("procedure", "answers"),
    [
        ("childcare-enrollment", childcare_answers()),
        ("restaurant-permit", RESTAURANT_CORPORATE),
        ("disaster-certificate", DISASTER),
    ],
)
def test_a_signed_in_citizen_applies_and_follows_the_application(
    client: TestClient, services: Services, procedure: str, answers: dict[str, Any]
) -> None:
    sign_up_and_in(client, outbox(services), new_email())
    submitted = complete(client, definition_of(services, procedure), answers)
    listing = client.get("/applications")
    assert submitted.reference in listing.text
    detail_url = listing.text.split('href="/applications/', 1)[1].split('"', 1)[0]
    detail = client.get(f"/applications/{detail_url}")
    assert detail.status_code == 200
    assert submitted.reference in detail.text


def test_anyone_books_bulky_waste_and_checks_it_with_the_access_code(
    client: TestClient, services: Services
) -> None:
    submitted = complete(client, definition_of(services, "bulky-waste"), BULKY_WASTE)
    code = submitted.html.split('class="access-code"', 1)[1].split(">", 1)[1].split("<", 1)[0]
    lookup = client.get("/status")
    data = {
        "csrf_token": csrf_of(lookup.text),
        "reference": submitted.reference.lower(),
        "access_code": code.strip(),
    }
    status = client.post("/status", data=data)
    assert status.status_code == 200, status.text
    assert submitted.reference in status.text
    again = csrf_of(client.get("/status").text)  # the code's session is a new one
    wrong = client.post("/status", data=data | {"csrf_token": again, "access_code": "AAAAAAAAAA"})
    assert wrong.status_code == 404


def test_nobody_sees_another_citizens_application(client: TestClient, services: Services) -> None:
    sign_up_and_in(client, outbox(services), new_email())
    complete(client, definition_of(services, "disaster-certificate"), DISASTER)
    url = client.get("/applications").text.split('href="/applications/', 1)[1].split('"', 1)[0]
    client.cookies.clear()
    sign_up_and_in(client, outbox(services), new_email())
    assert client.get(f"/applications/{url}").status_code == 404


def test_the_applicant_downloads_an_attached_file_under_a_safe_name(
    client: TestClient, services: Services
) -> None:
    sign_up_and_in(client, outbox(services), new_email())
    complete(client, definition_of(services, "childcare-enrollment"), childcare_answers())
    listing = client.get("/applications")
    detail = client.get(
        "/applications/" + listing.text.split('href="/applications/', 1)[1].split('"', 1)[0]
    )
    link = detail.text.split('href="/applications/', 1)[1].split('"', 1)[0]
    assert "/files/" in link
    assert re.search(r"就労証明書\.pdf</a> \(\d+ B\)", detail.text)  # name and size
    download = client.get(f"/applications/{link}")
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF-")
    disposition = download.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="')
    assert "filename*=UTF-8''" in disposition
    assert "%E5%B0%B1%E5%8A%B4" in disposition  # 就労証明書.pdf, percent-encoded
    client.cookies.clear()
    assert client.get(f"/applications/{link}", follow_redirects=False).status_code == 303
