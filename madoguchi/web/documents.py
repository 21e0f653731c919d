"""Issued documents on the web: downloads for the applicant and for the clerks of the
case's department, and the public page a verification code leads to."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from starlette.responses import Response, StreamingResponse

from engine.definitions.models import Document as DocumentSpec
from engine.documents import requests
from engine.documents.models import Document
from engine.storage.definitions import DefinitionStore
from engine.storage.errors import NotFound
from engine.storage.models import Submission
from engine.storage.submissions import SubmissionService
from engine.text import LocalizedText
from madoguchi.web import screens
from madoguchi.web.downloads import content_disposition, stream_chunks
from madoguchi.web.endpoint import Call
from madoguchi.web.errors import SeeOther
from renderers.html import pages


def application_document(call: Call) -> Response:
    user_id = call.visitor.user_id
    if user_id is None:
        raise SeeOther(f"/sign-in?next={call.request.url.path}")
    submission = SubmissionService(call.db, call.services.cipher).get_for_user(
        call.params["public_id"], user_id
    )
    return download(call, submission)


def verify(call: Call) -> Response:
    """What the code printed on a document stands for: no sign-in needed."""
    code = call.params["code"].strip().upper()
    document = call.db.scalar(select(Document).where(Document.code == code))
    if document is None:
        return screens.respond(call, pages.VerifyPage(code=code), status=404)
    submission = call.db.get(Submission, document.submission_id)
    assert submission is not None  # noqa: S101 -- a foreign key
    definition = DefinitionStore(call.db).load(submission.definition_version_id).definition
    page = pages.VerifyPage(
        code=code,
        document=title_of(definition.documents, document.name),
        procedure_title=definition.title,
        reference=submission.reference,
        issued_text=screens.when_text(document.issued_at, call.visitor.language),
        sha256=document.sha256,
        status="revoked" if document.revoked_at is not None else "valid",
    )
    return screens.respond(call, page)


def links(call: Call, submission: Submission, base: str) -> list[pages.DocumentLink]:
    """The submission's documents, downloadable under ``base``/documents/."""
    definition = DefinitionStore(call.db).load(submission.definition_version_id).definition
    return [
        pages.DocumentLink(
            title=title_of(definition.documents, document.name),
            url=f"{base}/documents/{document.id}",
            issued_text=screens.when_text(document.issued_at, call.visitor.language),
            verify_url=f"/verify/{document.code}",
        )
        for document in requests.of_submission(call.db, submission)
    ]


def preparing(call: Call, submission: Submission) -> list[LocalizedText]:
    definition = DefinitionStore(call.db).load(submission.definition_version_id).definition
    return [title_of(definition.documents, name) for name in requests.pending(call.db, submission)]


def title_of(documents: Mapping[str, DocumentSpec], name: str) -> LocalizedText:
    """The document's title; its name if the version no longer declares it."""
    spec = documents.get(name)
    return spec.title if spec is not None else LocalizedText(ja=name)


def download(call: Call, submission: Submission) -> Response:
    """The document the URL names, if it is one of ``submission``'s (else NotFound)."""
    document = call.db.scalar(
        select(Document).where(
            Document.id == call.params["document"], Document.submission_id == submission.id
        )
    )
    if document is None:
        raise NotFound("no such document")
    stream = call.services.files.open(document.storage_key)
    return StreamingResponse(
        stream_chunks(stream),
        media_type="application/pdf",
        headers={
            "content-disposition": content_disposition(
                f"{document.name}-{submission.reference}.pdf"
            ),
            "content-length": str(document.size),
            "cache-control": "private, no-store",
        },
    )
