"""Issued documents on the web: being prepared, downloads for the applicant and the
office only, and the public verification page."""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import shutil
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from engine.documents.codes import new_document_code
from engine.documents.models import Document
from engine.documents.requests import ISSUE
from engine.documents.tokens import DocumentKeys, decode_document_token
from engine.storage import outbox
from engine.storage.models import Submission
from engine.storage.outbox import OutboxItem
from madoguchi.issuing import Issuer
from madoguchi.web.services import Services
from tests.renderers.pdf_reading import pdf_text
from tests.test_demo_procedures import BULKY_WASTE
from tests.web.conftest import csrf_of
from tests.web.conftest import outbox as outbox_folder
from tests.web.flows import complete, sign_up_and_in
from tests.web.test_citizen_path import definition_of
from tests.web.test_console import application_url, case_url, clerk, new_client

PDF = b"%PDF-1.7\n% a stand-in for a signed receipt\n%%EOF\n"


def issue(
    services: Services, reference: str, *, name: str = "receipt", revoked: bool = False
) -> str:
    """Record a document as the worker would (the bytes in the file storage)."""
    blob = services.files.put(io.BytesIO(PDF), max_bytes=1_000_000)
    code = new_document_code()
    with services.db() as db:
        submission = db.scalars(select(Submission).where(Submission.reference == reference)).one()
        now = datetime.now(UTC)
        db.add(
            Document(
                submission_id=submission.id,
                name=name,
                round=1,
                language="ja",
                code=code,
                storage_key=blob.key,
                sha256=blob.sha256,
                size=blob.size,
                issued_at=now,
                revoked_at=now if revoked else None,
            )
        )
        db.commit()
    return code


def document_link(page: str) -> str:
    match = re.search(r'href="([^"]*/documents/[^"]+)"', page)
    assert match is not None, "no document to download"
    return match.group(1)


def test_the_receipt_is_being_prepared_then_downloadable(
    services: Services, applied: tuple[TestClient, str]
) -> None:
    citizen, reference = applied
    url = application_url(citizen, reference)
    page = citizen.get(url).text
    assert "作成中" in page
    assert "data-refresh-seconds" in page
    code = issue(services, reference)
    page = citizen.get(url).text
    response = citizen.get(document_link(page))
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert reference in response.headers["content-disposition"]
    assert f"/verify/{code}" in page


def test_only_the_applicant_and_the_office_download_it(
    services: Services, applied: tuple[TestClient, str]
) -> None:
    citizen, reference = applied
    issue(services, reference)
    url = application_url(citizen, reference)
    download = document_link(citizen.get(url).text)
    stranger = new_client(services)
    sign_up_and_in(stranger, outbox_folder(services), f"other-{secrets.token_hex(4)}@example.jp")
    assert stranger.get(download).status_code == 404
    staff = clerk(services, "clerk")
    case = case_url(staff, reference)
    console_download = document_link(staff.client.get(case).text)
    assert staff.client.get(console_download).content == PDF
    outsider = clerk(services, "clerk", department="kankyo")
    assert outsider.client.get(console_download).status_code == 404


def test_an_applicant_without_an_account_comes_back_with_the_code_and_downloads_it(
    services: Services,
) -> None:
    applicant = new_client(services)
    submitted = complete(applicant, definition_of(services, "bulky-waste"), BULKY_WASTE)
    code = submitted.html.split('class="access-code"', 1)[1].split(">", 1)[1].split("<", 1)[0]
    applicant.cookies.clear()  # later, in a browser that has forgotten the submission
    form = {
        "csrf_token": csrf_of(applicant.get("/status").text),
        "reference": submitted.reference,
        "access_code": code.strip(),
    }
    found = applicant.post("/status", data=form, follow_redirects=False)
    assert found.status_code == 303
    status_url = found.headers["location"]
    assert "作成中" in applicant.get(status_url).text  # the receipt, being prepared
    issue(services, submitted.reference)
    page = applicant.get(status_url)  # the page reloads without the code again
    assert submitted.reference in page.text
    assert applicant.get(document_link(page.text)).content == PDF
    # Another browser, without the code, gets neither the page nor the document.
    other = new_client(services)
    assert other.get(status_url, follow_redirects=False).status_code == 303
    assert other.get(document_link(page.text), follow_redirects=False).status_code == 303
    sign_up_and_in(other, outbox_folder(services), f"other-{secrets.token_hex(4)}@example.jp")
    assert other.get(status_url).status_code == 404
    assert other.get(document_link(page.text)).status_code == 404
    # On a shared computer the applicant closes it: the page needs the code again.
    assert "この申請を閉じる" in page.text
    applicant.post("/sign-out", data={"csrf_token": csrf_of(page.text)})
    assert applicant.get(status_url, follow_redirects=False).status_code == 303


def test_the_code_opens_its_application_only_in_a_new_session(services: Services) -> None:
    applicant = new_client(services)
    first = complete(applicant, definition_of(services, "bulky-waste"), BULKY_WASTE)
    second = complete(applicant, definition_of(services, "bulky-waste"), BULKY_WASTE)
    codes = [
        s.html.split('class="access-code"', 1)[1].split(">", 1)[1].split("<", 1)[0].strip()
        for s in (first, second)
    ]
    planted = applicant.get("/status")  # a session that existed before the code was given
    token_before = applicant.cookies.get("madoguchi_session")
    form = {"csrf_token": csrf_of(planted.text), "reference": first.reference}
    found = applicant.post("/status", data=form | {"access_code": codes[0]}, follow_redirects=False)
    assert applicant.cookies.get("madoguchi_session") != token_before  # rotated: no fixation
    first_url = found.headers["location"]
    assert applicant.get(first_url).status_code == 200
    page = applicant.get("/status")
    form = {"csrf_token": csrf_of(page.text), "reference": second.reference}
    second_url = applicant.post(
        "/status", data=form | {"access_code": codes[1]}, follow_redirects=False
    ).headers["location"]
    assert applicant.get(second_url).status_code == 200
    # One application at a time: the second code's grant replaced the first's.
    assert applicant.get(first_url, follow_redirects=False).status_code == 303


def test_the_verification_page_says_what_was_issued_and_whether_it_stands(
    services: Services, applied: tuple[TestClient, str]
) -> None:
    _, reference = applied
    anyone = new_client(services)
    valid = anyone.get(f"/verify/{issue(services, reference)}")
    assert valid.status_code == 200
    assert reference in valid.text
    assert "現在も有効です" in valid.text
    notice = issue(services, reference, name="decision_notice", revoked=True)
    revoked = anyone.get(f"/verify/{notice.lower()}")
    assert "取り消されています" in revoked.text
    unknown = anyone.get(f"/verify/{new_document_code()}")
    assert unknown.status_code == 404
    assert "この確認コードで発行された文書はありません" in unknown.text


def issue_for_real(services: Services, reference: str) -> None:
    """What the worker does with the receipt this application asked for."""
    issuer = Issuer(services)
    with services.db() as db:
        submission = db.scalars(select(Submission).where(Submission.reference == reference)).one()
        item = next(
            i
            for i in db.scalars(select(OutboxItem).where(OutboxItem.kind == ISSUE))
            if i.payload["submission_id"] == submission.id
        )
        item_id, prepared = item.id, issuer.prepare(db, dict(item.payload))
        db.commit()
    assert prepared is not None
    signed = issuer.produce(prepared)
    with services.db() as db:
        assert outbox.take(db, item_id)
        assert issuer.record(db, prepared, signed) is not None
        db.commit()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_a_real_receipt_is_signed_readable_and_checkable_by_anyone(
    services: Services, applied: tuple[TestClient, str]
) -> None:
    citizen, reference = applied
    issue_for_real(services, reference)
    url = application_url(citizen, reference)
    page = citizen.get(url).text
    assert "作成中" not in page
    pdf = citizen.get(document_link(page)).content
    text = pdf_text(pdf)
    assert reference in text
    assert "髙橋" in text
    anyone = new_client(services)
    form = anyone.get("/verify")
    checked = anyone.post(
        "/verify",
        data={"csrf_token": csrf_of(form.text)},
        files={"document": ("receipt.pdf", pdf, "application/pdf")},
    )
    assert "変更されていません" in checked.text
    assert reference in checked.text
    flipped = bytearray(pdf)
    flipped[len(flipped) // 3] ^= 0x01
    refused = anyone.post(
        "/verify",
        data={"csrf_token": csrf_of(form.text)},
        files={"document": ("receipt.pdf", bytes(flipped), "application/pdf")},
    )
    assert reference not in refused.text  # not a file we issued
    code = re.search(r"/verify/([A-Z0-9-]+)", page)
    assert code is not None
    jws = anyone.get(f"/verify/{code.group(1)}.jws").text
    keys = anyone.get("/.well-known/jwks.json").json()["keys"]
    assert keys
    assert keys[0]["kty"] == "EC"
    claims = decode_document_token(
        jws,
        DocumentKeys.load_or_create(services.settings.data),
        issuer=services.settings.base_url.rstrip("/"),
    )
    assert claims.reference == reference
    assert claims.sha256 == hashlib.sha256(pdf).hexdigest()
