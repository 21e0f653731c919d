"""Every field type given wrong, empty, oversized, malicious or full-width input over HTTP.

Each case posts the test procedure's one page with valid answers everywhere but in one
field (tests/web/bad_inputs.py). A refused answer gets 422, a message on the field linked
from the error summary, ``aria-invalid`` on its input, and nothing submitted: check-answers
and submit send the applicant back to the page, and no submission row exists. An answer
that is valid once normalised goes on (303) and is kept and shown normalised. Nothing a
citizen types ever comes back as markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from engine.answers.messages import error_message
from engine.definitions.loader import load_definition
from engine.definitions.models import Definition
from engine.fields import field_types
from engine.fields.group import GroupField
from engine.storage.models import Attachment, Submission
from engine.text import LocalizedText
from madoguchi.web.app import create_app
from madoguchi.web.services import Services
from renderers.html.views import element_id
from tests.web.bad_inputs import (
    DEFINITION,
    PAGE,
    PDF,
    PROCEDURE,
    SCRIPT,
    TEXTAREA_BREAKOUT,
    VALID,
    VALID_UPLOAD,
    Accept,
    Case,
    Html,
    Reject,
    Upload,
    cases,
)
from tests.web.conftest import BASE_URL, csrf_of, running_services, serve_client
from tests.web.flows import REFERENCE

CASES = cases()


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad-input-forms")
    (folder / f"{PROCEDURE}.yaml").write_text(DEFINITION, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def services(
    app_database_url: str, forms: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Services]:
    data = tmp_path_factory.mktemp("bad-input-data")
    with running_services(app_database_url, forms, data) as built:
        yield built


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    yield from serve_client(services)


@pytest.fixture(scope="module")
def definition(forms: Path) -> Definition:
    return load_definition(forms / f"{PROCEDURE}.yaml").definition


def test_the_procedure_has_a_field_of_every_type(definition: Definition) -> None:
    types = {spec.type_name for spec in definition.pages[0].fields}
    types |= {
        f.type_name
        for s in definition.pages[0].fields
        if isinstance(s, GroupField)
        for f in s.fields
    }
    assert types == set(field_types.names())
    assert {case.field for case in CASES} == set(VALID)


# The citizen's path --------------------------------------------------------------------


class Draft:
    """A draft of the test procedure, started by an anonymous applicant."""

    def __init__(self, client: TestClient) -> None:
        start = client.get(f"/procedures/{PROCEDURE}")
        assert start.status_code == 200
        self.csrf = csrf_of(start.text)
        response = client.post(
            f"/procedures/{PROCEDURE}", data={"csrf_token": self.csrf}, follow_redirects=False
        )
        assert response.status_code == 303, response.text
        self.url = response.headers["location"]
        assert self.url.endswith(f"/pages/{PAGE}")
        self.id = self.url.split("/")[2]
        self.client = client

    @property
    def check_url(self) -> str:
        return f"/drafts/{self.id}/check"

    def post(
        self,
        pairs: list[tuple[str, str]],
        uploads: tuple[tuple[str, Upload], ...] = (),
        *,
        csrf: bool = True,
    ) -> Any:
        """Post the page as a browser posts its form: multipart, fields then files."""
        head = [("csrf_token", self.csrf)] if csrf else []
        return self.client.post(
            self.url,
            content=multipart([*head, ("action", "continue"), *pairs], uploads),
            headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
            follow_redirects=False,
        )

    def post_case(self, case: Case) -> Any:
        pairs = [
            pair for name in VALID for pair in (case.pairs if name == case.field else VALID[name])
        ]
        uploads = case.uploads if case.uploads is not None else (("file", VALID_UPLOAD),)
        return self.post(pairs, uploads)

    def submit(self) -> Any:
        data = {"csrf_token": self.csrf, "action": "submit", "submit_token": self.id}
        return self.client.post(f"/drafts/{self.id}/submit", data=data, follow_redirects=False)


BOUNDARY = "----madoguchi-bad-input"


def multipart(pairs: list[tuple[str, str]], uploads: tuple[tuple[str, Upload], ...]) -> bytes:
    """A multipart/form-data body with names, values and file names sent byte for byte as
    given (test clients percent-encode control characters in file names; an attacker's
    client need not), but for the quote and line breaks a header cannot hold."""

    def quoted(text: str) -> str:
        return text.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")

    body = bytearray()
    for name, value in pairs:
        disposition = f'Content-Disposition: form-data; name="{quoted(name)}"'
        body += f"--{BOUNDARY}\r\n{disposition}\r\n\r\n".encode()
        body += value.encode() + b"\r\n"
    for name, (filename, content, media_type) in uploads:
        body += (
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
            f'name="{quoted(name)}"; filename="{quoted(filename)}"\r\n'
            f"Content-Type: {media_type}\r\n\r\n"
        ).encode()
        body += content + b"\r\n"
    body += f"--{BOUNDARY}--\r\n".encode()
    return bytes(body)


def submissions(services: Services) -> int:
    with services.db() as db:
        query = select(func.count()).select_from(Submission)
        return db.scalar(query.where(Submission.procedure == PROCEDURE)) or 0


def assert_no_markup(html: str) -> None:
    """Nothing typed comes back as markup: the script, or text that would end a textarea."""
    for typed in (SCRIPT, TEXTAREA_BREAKOUT):
        assert typed not in html, f"typed {typed!r} came back as markup"


# Codes of an upload refused before it is stored.
REFUSED_UPLOADS = {"file_type", "file_too_large", "file_empty"}


def attachments(services: Services, draft_id: str) -> list[Attachment]:
    with services.db() as db:
        return list(db.scalars(select(Attachment).where(Attachment.draft_id == draft_id)))


def summary_text(html: str) -> str:
    return " / ".join(text for _, text in Html(html).summary()) or html[:3000]


# Every field type × every kind of bad input ---------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input(
    client: TestClient, services: Services, definition: Definition, case: Case
) -> None:
    draft = Draft(client)
    before = submissions(services)
    response = draft.post_case(case)
    assert_no_markup(response.text)
    if isinstance(case.expect, Reject):
        _refused(draft, response, definition, case.expect, case.field)
        assert submissions(services) == before, "a refused answer was submitted"
        if case.expect.code in REFUSED_UPLOADS:
            assert attachments(services, draft.id) == [], "a refused file was kept"
    else:
        _accepted(
            draft,
            response=response,
            services=services,
            definition=definition,
            expect=case.expect,
            field=case.field,
        )
        assert submissions(services) == before + 1


def _refused(
    draft: Draft, response: Any, definition: Definition, expect: Reject, field: str
) -> None:
    assert response.status_code == 422, f"{response.status_code}: {summary_text(response.text)}"
    page = Html(response.text)
    lines = page.summary()
    assert lines, "422 without an error summary"
    field_id = element_id(field)
    for href, text in lines:
        assert text, f"an error without a message links to #{href}"
        assert href == field_id or href.startswith(f"{field_id}-"), (
            f"an error about another field: {text} (#{href})"
        )
        assert page.by_id(href) is not None, f"the summary links to #{href}, not in the page"
    message = expected_message(definition, expect)
    hrefs = [href for href, text in lines if text == message]
    assert hrefs, f"expected {message!r}, the summary says {[text for _, text in lines]}"

    # On the field: the message, tied to its input, and the input marked invalid.
    container = page.field(field)
    assert container is not None
    shown = [
        e for e in page.with_class("error-message") if e.within(container) and message in e.text
    ]
    assert shown, f"{message!r} is not shown on the field"
    target = page.by_id(hrefs[0])
    assert target is not None
    described = {
        token
        for e in page.elements
        if target.within(e)
        for token in e.get("aria-describedby").split()
    }
    assert any(e.get("id") in described for e in shown), "the message is not tied to the input"
    if target.tag in ("input", "select", "textarea"):
        assert target.get("aria-invalid") == "true"
    else:  # a group's own error (too few items) links to the group, which has no input
        assert isinstance(definition.field_at(expect.path), GroupField)

    # Nothing goes further: check-answers and submit send the applicant back to the page.
    check = draft.client.get(draft.check_url, follow_redirects=False)
    assert check.status_code == 303
    assert check.headers["location"] == draft.url
    submit = draft.submit()
    assert submit.status_code == 303, submit.text[:2000]
    assert submit.headers["location"] == draft.url


def _accepted(
    draft: Draft,
    *,
    response: Any,
    services: Services,
    definition: Definition,
    expect: Accept,
    field: str,
) -> None:
    assert response.status_code == 303, summary_text(response.text)
    assert response.headers["location"] == draft.check_url
    check = draft.client.get(draft.check_url)
    assert check.status_code == 200
    assert_no_markup(check.text)
    rows = Html(check.text).answers()
    label = row_label(definition, field)
    assert rows.get(label) == expect.shown, rows

    # Shown again in its input, as text.
    again = draft.client.get(draft.url)
    assert again.status_code == 200
    assert_no_markup(again.text)

    confirmation = draft.submit()
    assert confirmation.status_code == 200, confirmation.text[:2000]
    assert_no_markup(confirmation.text)
    reference = REFERENCE.search(confirmation.text)
    assert reference is not None
    with services.db() as db:
        submission = db.scalars(
            select(Submission).where(Submission.reference == reference.group(0))
        ).one()
        answers = services.cipher.decrypt(submission.answers, definition.sensitive_paths())
    stored = answers[field]
    if field == "file":
        stored = [item["name"] for item in stored]
    assert stored == expect.stored


def expected_message(definition: Definition, expect: Reject) -> str:
    """The message the field's error must read, in Japanese (the default language)."""
    path = expect.path.removesuffix(f".{expect.part}") if expect.part else expect.path
    spec = definition.field_at(path)
    assert spec is not None, path
    label = spec.label
    item = re.match(r"([a-z_]+)\[(\d+)\]\.", path)
    if item is not None:
        group = definition.field_at(item[1])
        assert isinstance(group, GroupField)
        outer = group.item_name(int(item[2]) + 1)
        label = LocalizedText(ja=f"{outer.ja}の{label.ja}", en=label.get("en"))
    part = None
    if expect.part is not None:
        part = next(p.label for p in spec.input_hints().parts if p.name == expect.part)
    return error_message(expect.code, label, part, **expect.params).ja


def row_label(definition: Definition, field: str) -> str:
    spec = definition.field_at(field)
    assert spec is not None
    if isinstance(spec, GroupField):
        return f"{spec.item_name(1).ja} {spec.fields[0].label.ja}"
    return spec.label.ja


# The request as a whole ----------------------------------------------------------------


def valid_pairs() -> list[tuple[str, str]]:
    return [pair for pairs in VALID.values() for pair in pairs]


def test_valid_answers_go_through(client: TestClient, services: Services) -> None:
    draft = Draft(client)
    response = draft.post(valid_pairs(), (("file", VALID_UPLOAD),))
    assert response.status_code == 303, summary_text(response.text)
    assert draft.submit().status_code == 200


def test_a_body_over_the_limit_is_refused_with_413_and_nothing_is_kept(
    services: Services,
) -> None:
    small = services.settings.model_copy(update={"max_request_bytes": 4096})
    with TestClient(create_app(small, services), base_url=BASE_URL) as client:
        draft = Draft(client)
        big = [(n, "あ" * 2000 if n == "textarea" else v) for n, v in valid_pairs()]
        response = draft.post(big, (("file", VALID_UPLOAD),))
        assert response.status_code == 413
        too_big_file = ("file", ("big.pdf", PDF + b"\x00" * 8192, "application/pdf"))
        assert draft.post(valid_pairs(), (too_big_file,)).status_code == 413
        page = client.get(draft.url)
        assert page.status_code == 200
        assert "あ" * 100 not in page.text
        assert "big.pdf" not in page.text
        assert client.get(draft.check_url, follow_redirects=False).status_code == 303
    assert attachments(services, draft.id) == []


@pytest.mark.parametrize("token", [None, "", "forged-token"], ids=["missing", "empty", "wrong"])
def test_a_post_without_the_csrf_token_is_refused_with_403(
    client: TestClient, services: Services, token: str | None
) -> None:
    draft = Draft(client)
    pairs = [(n, "CSRFで来た値" if n == "text" else v) for n, v in valid_pairs()]
    if token is not None:
        pairs.append(("csrf_token", token))
    response = draft.post(pairs, (("file", VALID_UPLOAD),), csrf=False)
    assert response.status_code == 403
    page = client.get(draft.url)
    assert "CSRFで来た値" not in page.text
    assert draft.submit().status_code == 303
    assert attachments(services, draft.id) == []


def test_a_form_with_more_fields_than_allowed_is_refused(client: TestClient) -> None:
    draft = Draft(client)
    pairs = [*valid_pairs(), *((f"extra{n}", "x") for n in range(3000))]
    response = draft.post(pairs, (("file", VALID_UPLOAD),))
    assert response.status_code == 400


def test_a_broken_multipart_body_is_refused_with_400(client: TestClient) -> None:
    draft = Draft(client)
    part = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf_token"\r\n'
    body = f"{part}{draft.csrf}\r\n--{BOUNDARY}--\r\n".encode()  # no blank line after the header
    response = client.post(
        draft.url,
        content=body,
        headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
        follow_redirects=False,
    )
    assert response.status_code == 400


def test_text_that_is_not_utf8_is_refused_on_its_field(client: TestClient) -> None:
    draft = Draft(client)
    pairs = [("csrf_token", draft.csrf), ("action", "continue"), *valid_pairs()]
    body = multipart(pairs, (("file", VALID_UPLOAD),))
    typed = "山田商店".encode()
    body = body.replace(typed, b"\xff\xfe" + typed)  # bytes no UTF-8 text has
    response = client.post(
        draft.url,
        content=body,
        headers={"content-type": f"multipart/form-data; boundary={BOUNDARY}"},
        follow_redirects=False,
    )
    assert response.status_code == 422
    lines = Html(response.text).summary()
    assert [href for href, _ in lines] == [element_id("text")], lines
