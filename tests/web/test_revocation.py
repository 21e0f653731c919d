"""Revoking an issued document from the case page: who may, the reason it needs, and what
the verification page, the applicant and the audit log say afterwards."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select
from starlette.testclient import TestClient

from engine.documents.models import Document
from engine.documents.revocation import revoke
from engine.storage import events
from engine.storage.definitions import DefinitionStore
from engine.storage.models import Submission
from engine.workflow.rules import Refused
from madoguchi.web.services import Services
from madoguchi.worker import Worker
from tests.web.conftest import csrf_of
from tests.web.test_console import application_url, case_url, clerk, new_client
from tests.web.test_documents import issue
from tests.web.test_worker import body, mails

REVOKE_FORM = re.compile(r'<form method="post" action="([^"]*/documents/[^"]+/revoke)"')


def revoke_urls(page: str) -> list[str]:
    return REVOKE_FORM.findall(page)


def test_a_clerk_who_may_decide_revokes_the_decision_notice_for_a_reason(
    services: Services, applied: tuple[TestClient, str]
) -> None:
    citizen, reference = applied
    issue(services, reference)  # the receipt: only an admin may revoke it
    code = issue(services, reference, name="decision_notice")
    staff = clerk(services, "clerk")
    case = case_url(staff, reference)
    page = staff.client.get(case).text
    [revoke] = revoke_urls(page)  # the decision notice's form only

    no_reason = staff.client.post(revoke, data={"csrf_token": csrf_of(page), "reason": "  "})
    assert no_reason.status_code == 422
    assert "取り消す理由を入力してください" in no_reason.text
    assert "現在も有効です" in new_client(services).get(f"/verify/{code}").text

    reason = "世帯の就労状況の申告に誤りがあったため"
    done = staff.client.post(revoke, data={"csrf_token": csrf_of(page), "reason": reason})
    assert done.status_code == 200
    assert "文書を取り消しました。" in done.text
    assert revoke_urls(done.text) == []  # nothing left to revoke
    assert reason in done.text  # in the case's history, for the office

    anyone = new_client(services)
    verified = anyone.get(f"/verify/{code}").text
    assert "取り消されています" in verified
    assert "取消日時" in verified
    token = anyone.get(f"/verify/{code}.jws", headers={"accept": "application/json"})
    assert token.status_code == 410  # no fresh statement for checking it offline
    assert token.json()["code"] == "document_revoked"

    Worker(services).run_once()
    [mail] = [
        m
        for m in mails(services)
        if "発行した文書を取り消しました" in body(m) and reference in body(m)
    ]
    assert reason not in body(mail)

    status = citizen.get(application_url(citizen, reference)).text
    assert "決定通知書が取り消されました" in status
    assert reason not in status  # the reason stays with the office

    again = staff.client.post(revoke, data={"csrf_token": csrf_of(page), "reason": reason})
    assert again.status_code == 409
    assert "この文書は取り消し済みです" in again.text
    with services.db() as db:
        revoked = [
            e
            for e in events.for_submission(db, _submission_id(services, reference))
            if e.kind == "document_revoked"
        ]
    assert [(e.data["code"], e.data["reason"], e.actor) for e in revoked] == [
        (code, reason, staff.user_id)
    ]


def test_only_the_deciding_roles_and_admins_may_revoke(
    services: Services, applied: tuple[TestClient, str]
) -> None:
    _, reference = applied
    receipt = issue(services, reference)
    issue(services, reference, name="decision_notice")
    chief = clerk(services, "clerk")
    url = next(iter(revoke_urls(chief.client.get(case_url(chief, reference)).text)))

    receptionist = clerk(services, "reception")  # of the department, but may not decide
    page = receptionist.client.get(case_url(receptionist, reference)).text
    assert revoke_urls(page) == []
    refused = receptionist.client.post(url, data={"csrf_token": csrf_of(page), "reason": "x"})
    assert refused.status_code == 403
    outsider = clerk(services, "clerk", department="kankyo")
    home = outsider.client.get("/console").text
    assert (
        outsider.client.post(url, data={"csrf_token": csrf_of(home), "reason": "x"}).status_code
        == 404
    )

    admin = clerk(services, "reception", admin=True)
    page = admin.client.get(case_url(admin, reference)).text
    assert len(revoke_urls(page)) == 2  # the receipt too
    receipt_url = next(u for u in revoke_urls(page) if u != url)
    admin.client.post(receipt_url, data={"csrf_token": csrf_of(page), "reason": "二重発行"})
    assert "取り消されています" in new_client(services).get(f"/verify/{receipt}").text


def _submission_id(services: Services, reference: str) -> int:
    with services.db() as db:
        return db.scalars(select(Submission.id).where(Submission.reference == reference)).one()


def test_two_clerks_revoking_at_once_revoke_it_once(
    services: Services, applied: tuple[TestClient, str]
) -> None:
    _, reference = applied
    code = issue(services, reference, name="decision_notice")
    with services.db() as db:  # what the second clerk's request read, before the first's
        stale = db.scalars(select(Document).where(Document.code == code)).one()
        definition = DefinitionStore(db).load(services.current["childcare-enrollment"]).definition
    for attempt in ("first", "second"):
        with services.db() as db:
            document = db.merge(stale, load=False) if attempt == "second" else db.merge(stale)
            assert document.revoked_at is None  # as each clerk saw it
            try:
                revoke(db, document, definition, roles={"clerk"}, is_admin=False,
                       actor=attempt, reason="誤り", now=datetime.now(UTC))  # fmt: skip
                db.commit()
                outcome = "revoked"
            except Refused as refusal:
                outcome = refusal.code
        assert outcome == ("revoked" if attempt == "first" else "already_revoked")
    with services.db() as db:
        revoked = [
            e
            for e in events.for_submission(db, _submission_id(services, reference))
            if e.kind == "document_revoked"
        ]
    assert [e.actor for e in revoked] == ["first"]
