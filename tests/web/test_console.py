"""The clerks' console over HTTP: queues, the case page, steps with their rules, four
eyes, corrections, assignment, messages, sensitive answers, exports, concurrency."""

from __future__ import annotations

import csv
import io
import re
import secrets
import threading
from typing import Any

import pytest
from starlette.testclient import TestClient

from engine.storage import events
from madoguchi.web.app import create_app
from madoguchi.web.services import Services
from tests.conftest import childcare_answers
from tests.web.conftest import BASE_URL, csrf_of, outbox
from tests.web.flows import SAMPLES, SignedInClerk, complete, sign_in_clerk, sign_up_and_in
from tests.web.test_citizen_path import definition_of

CASE_LINK = re.compile(r'href="(/console/cases/[A-Za-z0-9_-]+)"')
ROW_VERSION = re.compile(r'name="row_version" value="(\d+)"')
CHILDCARE = "kodomo-katei"


def new_client(services: Services) -> TestClient:
    return TestClient(create_app(services.settings, services), base_url=BASE_URL)


def clerk(
    services: Services, *roles: str, department: str = CHILDCARE, admin: bool = False
) -> SignedInClerk:
    email = f"clerk-{secrets.token_hex(4)}@city.example.jp"
    memberships = [(department, role) for role in roles]
    return sign_in_clerk(new_client(services), services, email, memberships, admin=admin)


@pytest.fixture
def submitted(services: Services) -> tuple[TestClient, str]:
    """A citizen's childcare application: their client and the reference."""
    citizen = new_client(services)
    sign_up_and_in(citizen, outbox(services), f"citizen-{secrets.token_hex(4)}@example.jp")
    result = complete(citizen, definition_of(services, "childcare-enrollment"), childcare_answers())
    return citizen, result.reference


def case_url(staff: SignedInClerk, reference: str) -> str:
    page = staff.client.get(
        f"/console/queues/{CHILDCARE}?procedure=childcare-enrollment&sort=newest"
    )
    assert page.status_code == 200, page.text
    for url in CASE_LINK.findall(page.text):
        if reference in staff.client.get(url).text:
            return str(url)
    raise AssertionError(f"{reference} is not in the queue")


def version_of(html: str) -> str:
    match = ROW_VERSION.search(html)
    assert match is not None, "the case page has no step form"
    return match.group(1)


def ask_for_correction(staff: SignedInClerk, url: str, comment: str, field: str) -> None:
    """Start the review, then ask the applicant to correct ``field``; both steps taken."""
    assert step(staff, url, "start_review").status_code == 303
    assert step(staff, url, "request_correction", comment=comment, fields=field).status_code == 303


def step(staff: SignedInClerk, url: str, action: str, **fields: Any) -> Any:
    page = staff.client.get(url)
    version = fields.pop("row_version", None) or version_of(page.text)
    data = {"csrf_token": csrf_of(page.text), "action": action, "row_version": version, **fields}
    return staff.client.post(f"{url}/act", data=data, follow_redirects=False)


def test_a_clerk_finds_the_case_in_the_queue_and_reviews_it(
    services: Services, submitted: tuple[TestClient, str]
) -> None:
    _, reference = submitted
    staff = clerk(services, "clerk")
    url = case_url(staff, reference)
    page = staff.client.get(url)
    # Exactly the steps a clerk may take now: no chief's approval, no applicant's withdrawal.
    assert re.findall(r'name="action" value="(\w+)"', page.text) == ["start_review"]
    assert "審査を始める" in page.text
    response = step(staff, url, "start_review")
    assert response.status_code == 303
    assert "審査中" in staff.client.get(response.headers["location"]).text


def test_the_whole_path_needs_a_second_person_to_approve(
    services: Services, submitted: tuple[TestClient, str]
) -> None:
    citizen, reference = submitted
    staff = clerk(services, "clerk", "section_chief")
    chief = clerk(services, "section_chief")
    url = case_url(staff, reference)
    assert step(staff, url, "start_review").status_code == 303
    assert step(staff, url, "recommend").status_code == 303
    refused = step(staff, url, "approve")
    assert refused.status_code == 403
    assert "別の職員" in refused.text or "different member" in refused.text
    assert step(chief, url, "approve").status_code == 303
    assert "承認" in citizen.get("/applications").text


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"action": "approve"}, 409),  # not from this state
        ({"action": "request_correction", "comment": " "}, 422),  # the comment is required
        ({"action": "no_such_step"}, 404),
        ({"action": "start_review", "row_version": "0"}, 409),  # stale
    ],
)
def test_bad_steps_are_refused_with_their_reason_and_change_nothing(
    services: Services, submitted: tuple[TestClient, str], fields: dict[str, str], status: int
) -> None:
    _, reference = submitted
    staff = clerk(services, "clerk")
    url = case_url(staff, reference)
    if fields["action"] == "request_correction":
        assert step(staff, url, "start_review").status_code == 303
    before = staff.client.get(url).text
    response = step(staff, url, **fields)
    assert response.status_code == status
    assert 'role="alert"' in response.text
    assert version_of(before) == version_of(staff.client.get(url).text)


def test_nobody_outside_the_department_sees_or_moves_the_case(
    services: Services, submitted: tuple[TestClient, str]
) -> None:
    citizen, reference = submitted
    staff = clerk(services, "clerk")
    url = case_url(staff, reference)
    outsider = clerk(services, "clerk", department="kankyo")
    assert outsider.client.get(url).status_code == 404
    forged = outsider.client.post(
        f"{url}/act",
        data={"csrf_token": outsider.csrf_token, "action": "start_review", "row_version": "1"},
    )
    assert forged.status_code == 404
    # A citizen forging a clerk's step gets nowhere either.
    page = citizen.get("/applications")
    response = citizen.post(
        f"{url}/act",
        data={"csrf_token": csrf_of(page.text), "action": "start_review", "row_version": "1"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "受付" in staff.client.get(url).text


def test_two_clerks_at_once_one_succeeds_the_other_is_told(
    services: Services, submitted: tuple[TestClient, str]
) -> None:
    _, reference = submitted
    first, second = clerk(services, "clerk"), clerk(services, "clerk")
    url = case_url(first, reference)
    version = version_of(first.client.get(url).text)
    barrier = threading.Barrier(2)
    results: list[int] = []

    def act(staff: SignedInClerk, action: str, comment: str) -> None:
        barrier.wait(timeout=10)
        data = {
            "csrf_token": staff.csrf_token,
            "action": action,
            "row_version": version,
            "comment": comment,
        }
        response = staff.client.post(f"{url}/act", data=data, follow_redirects=False)
        results.append(response.status_code)
        if response.status_code == 409:
            assert comment in response.text  # what they typed is still there

    threads = [
        threading.Thread(target=act, args=(first, "start_review", "")),
        threading.Thread(target=act, args=(second, "start_review", "私が審査します")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [303, 409]


def test_a_correction_round_reaches_the_applicant(
    services: Services, submitted: tuple[TestClient, str]
) -> None:
    _citizen, reference = submitted
    staff = clerk(services, "clerk")
    url = case_url(staff, reference)
    ask_for_correction(staff, url, "電話番号をご確認ください", "phone")
    page = staff.client.get(url).text
    assert "補正待ち" in page
    assert "<li>電話番号</li>" in page  # the field asked for, by its label


def test_messages_notes_and_assignment(
    services: Services, submitted: tuple[TestClient, str]
) -> None:
    _, reference = submitted
    staff = clerk(services, "clerk")
    url = case_url(staff, reference)
    page = staff.client.get(url).text
    version = version_of(page)
    claimed = staff.client.post(
        f"{url}/assign",
        data={"csrf_token": csrf_of(page), "how": "claim", "row_version": version},
    )
    assert staff.email in claimed.text
    for kind, body in (("note", "内部メモ：前回も不備"), ("to_applicant", "書類をお送りください")):
        staff.client.post(
            f"{url}/messages", data={"csrf_token": csrf_of(page), "kind": kind, "body": body}
        )
    shown = staff.client.get(url).text
    assert "内部メモ：前回も不備" in shown
    assert "書類をお送りください" in shown
    mine = staff.client.get(f"/console/queues/{CHILDCARE}?assignee=me").text
    assert reference in "".join(staff.client.get(u).text for u in CASE_LINK.findall(mine))


def test_my_number_is_masked_and_showing_it_is_recorded(
    services: Services, submitted: tuple[TestClient, str]
) -> None:
    _, reference = submitted
    staff = clerk(services, "clerk")
    url = case_url(staff, reference)
    page = staff.client.get(url).text
    assert "1234 5678 9018" not in page
    assert "123456789018" not in page
    assert "/reveal" not in page  # a clerk's role may not see it
    chief = clerk(services, "section_chief")
    page = chief.client.get(url).text
    shown = chief.client.post(f"{url}/reveal", data={"csrf_token": csrf_of(page)})
    assert "9018" in shown.text
    assert "********9018" not in shown.text
    with services.db() as db:
        kinds = [e.kind for e in events.for_submission(db, _case_id(db, reference))]
    assert "sensitive_viewed" in kinds


def _case_id(db: Any, reference: str) -> int:
    from sqlalchemy import select  # noqa: PLC0415 -- test helper

    from engine.storage.models import Submission  # noqa: PLC0415

    return int(db.scalar(select(Submission.id).where(Submission.reference == reference)))


def test_an_export_leaves_sensitive_answers_out_and_is_formula_safe(
    services: Services, submitted: tuple[TestClient, str]
) -> None:
    staff = clerk(services, "clerk")
    response = staff.client.get(
        f"/console/queues/{CHILDCARE}/export.csv?procedure=childcare-enrollment"
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "my_number" not in rows[0]
    assert submitted[1] in {row[0] for row in rows[2:]}
    xlsx = staff.client.get(
        f"/console/queues/{CHILDCARE}/export.xlsx?procedure=childcare-enrollment"
    )
    assert xlsx.content.startswith(b"PK")


def test_the_workflow_picture(services: Services) -> None:
    staff = clerk(services, "clerk")
    page = staff.client.get("/console/workflows/childcare-enrollment")
    assert page.status_code == 200
    drawing = page.text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "<script" not in drawing
    assert "申請者" in drawing or "受付" in drawing


def application_url(citizen: TestClient, reference: str) -> str:
    """The citizen's status page of the application ``reference``."""
    listing = citizen.get("/applications").text
    return next(
        str(u)
        for u in re.findall(r'href="(/applications/[A-Za-z0-9_-]+)"', listing)
        if reference in citizen.get(u).text
    )


def applicant_step(page: str, action: str) -> dict[str, str]:
    return {"csrf_token": csrf_of(page), "action": action, "row_version": version_of(page)}


def test_a_full_correction_round_through_both_sides(
    services: Services, submitted: tuple[TestClient, str]
) -> None:
    citizen, reference = submitted
    staff = clerk(services, "clerk")
    url = case_url(staff, reference)
    ask_for_correction(staff, url, "電話番号をご確認ください", "phone")
    detail_url = application_url(citizen, reference)
    detail = citizen.get(detail_url).text
    assert "電話番号をご確認ください" in detail
    form = citizen.get(f"{detail_url}/correct")
    assert form.status_code == 200
    assert 'name="phone"' in form.text
    assert 'name="reason"' not in form.text  # only what the clerk asked for
    saved = citizen.post(
        f"{detail_url}/correct",
        data={
            "csrf_token": csrf_of(form.text),
            "phone": "090-1111-2222",
            "reason": "seeking",  # forged: not a field of this form, ignored
            "action": "continue",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    detail = citizen.get(saved.headers["location"]).text
    assert "090-1111-2222" in detail
    resubmitted = citizen.post(
        f"{detail_url}/act",
        data={
            "csrf_token": csrf_of(detail),
            "action": "resubmit",
            "row_version": version_of(detail),
        },
        follow_redirects=False,
    )
    assert resubmitted.status_code == 303
    case_page = staff.client.get(url).text
    assert "審査中" in case_page
    assert "090-1111-2222" in case_page  # the diff in the history, and the answers
    # The citizen cannot take a clerk's step, even by forging the form.
    detail = citizen.get(detail_url).text
    forged = citizen.post(
        f"{detail_url}/act",
        data={
            "csrf_token": csrf_of(detail),
            "action": "recommend",
            "row_version": version_of(detail),
        },
    )
    assert forged.status_code == 403
    assert "審査中" in staff.client.get(url).text


def test_the_applicant_and_the_office_write_to_each_other(
    services: Services, submitted: tuple[TestClient, str]
) -> None:
    citizen, reference = submitted
    staff = clerk(services, "clerk")
    url = case_url(staff, reference)
    page = staff.client.get(url).text
    staff.client.post(
        f"{url}/messages",
        data={"csrf_token": csrf_of(page), "kind": "to_applicant", "body": "原本をお持ちください"},
    )
    staff.client.post(
        f"{url}/messages",
        data={"csrf_token": csrf_of(page), "kind": "note", "body": "内部だけのメモ"},
    )
    detail_url = application_url(citizen, reference)
    detail = citizen.get(detail_url).text
    assert "原本をお持ちください" in detail
    assert "内部だけのメモ" not in detail
    citizen.post(
        f"{detail_url}/messages", data={"csrf_token": csrf_of(detail), "body": "承知しました"}
    )
    assert "承知しました" in staff.client.get(url).text


def test_a_correction_can_replace_a_file(
    services: Services, submitted: tuple[TestClient, str]
) -> None:
    citizen, reference = submitted
    staff = clerk(services, "clerk")
    url = case_url(staff, reference)
    ask_for_correction(staff, url, "新しい証明書を", "employment_proof")
    detail_url = application_url(citizen, reference)
    form = citizen.get(f"{detail_url}/correct").text
    assert 'type="file"' in form
    refused = citizen.post(
        f"{detail_url}/correct",
        data={"csrf_token": csrf_of(form), "action": "continue"},
        files={"employment_proof": ("証明書.pdf", b"not a pdf at all", "application/pdf")},
    )
    assert refused.status_code == 422  # checked by content, not by name
    saved = citizen.post(
        f"{detail_url}/correct",
        data={"csrf_token": csrf_of(form), "action": "continue"},
        files={
            "employment_proof": ("新しい証明書.pdf", SAMPLES["application/pdf"], "application/pdf")
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    assert "新しい証明書.pdf" in citizen.get(detail_url).text
    assert "新しい証明書.pdf" in staff.client.get(url).text


def test_bulk_actions_change_the_cases_they_may_and_count_the_rest(
    services: Services, submitted: tuple[TestClient, str]
) -> None:
    citizen, first = submitted
    second = complete(
        citizen, definition_of(services, "childcare-enrollment"), childcare_answers()
    ).reference
    staff = clerk(services, "clerk")
    urls = [case_url(staff, reference) for reference in (first, second)]
    step(staff, urls[1], "start_review")  # already under review: start_review won't apply
    ids = [url.rsplit("/", 1)[1] for url in urls]
    page = staff.client.get(f"/console/queues/{CHILDCARE}")
    claimed = staff.client.post(
        f"/console/queues/{CHILDCARE}/bulk",
        data={"csrf_token": csrf_of(page.text), "bulk": "claim", "case": ids},
    )
    assert "2件を処理しました" in claimed.text
    moved = staff.client.post(
        f"/console/queues/{CHILDCARE}/bulk",
        data={"csrf_token": csrf_of(page.text), "bulk": "step:start_review", "case": ids},
    )
    assert "1件を処理しました（対象外 1件）" in moved.text
    for url in urls:
        shown = staff.client.get(url).text
        assert "審査中" in shown
        assert staff.email in shown
