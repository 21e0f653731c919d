"""Issued documents on the web: downloads for the applicant and for the clerks of the
case's department, the public page a verification code leads to, checking an uploaded
PDF, and the JWS and JWKS for checking offline."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from starlette.datastructures import UploadFile
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse

from engine.documents import requests
from engine.documents.codes import normalize_document_code
from engine.documents.config import SigningConfig
from engine.documents.models import Document
from engine.documents.requests import RECEIPT
from engine.documents.tokens import (
    DocumentClaims,
    DocumentKeys,
    DocumentKind,
    issue_document_token,
)
from engine.storage.definitions import DefinitionStore
from engine.storage.errors import NotFound
from engine.storage.models import Submission
from engine.text import LocalizedText
from engine.workflow.rules import Refused
from madoguchi.web import screens
from madoguchi.web.downloads import content_disposition, stream_chunks
from madoguchi.web.endpoint import Call
from madoguchi.web.status import applicant_submission
from madoguchi.web.visitor import ensure_session
from renderers.html import pages

MAX_UPLOAD = 20 * 1024 * 1024  # engine.documents.verification reads no more either


def application_document(call: Call) -> Response:
    submission = applicant_submission(call)
    return download(call, submission, of_case(call, submission))


def verify(call: Call) -> Response:
    """What the code printed on a document stands for: no sign-in needed."""
    ensure_session(call.visitor, call.db)  # the upload form needs a CSRF token
    code = normalize_document_code(call.params["code"]) or call.params["code"][:64]
    document = call.db.scalar(select(Document).where(Document.code == code))
    if document is None:
        page = pages.VerifyPage(code=code, csrf_token=call.visitor.csrf_token or "")
        return screens.respond(call, page, status=404)
    return screens.respond(call, _described(call, document))


def verify_form(call: Call) -> Response:
    ensure_session(call.visitor, call.db)
    return screens.respond(call, pages.VerifyPage(csrf_token=call.visitor.csrf_token or ""))


def verify_upload(call: Call) -> Response:
    """Check an uploaded PDF: its signature (intact, ours, nothing appended) and whether
    we issued a document with exactly these bytes."""
    upload = call.form.get("document") if call.form is not None else None
    data = upload.file.read(MAX_UPLOAD + 1) if isinstance(upload, UploadFile) else b""
    from engine.documents.verification import verify_pdf  # noqa: PLC0415 -- pyHanko: heavy

    verdict = verify_pdf(data, trust_roots(call)) if data else None
    digest = hashlib.sha256(data).hexdigest()
    document = call.db.scalar(select(Document).where(Document.sha256 == digest)) if data else None
    token = call.visitor.csrf_token or ""
    code = verdict.code.value if verdict is not None else "unreadable"
    if document is None:
        return screens.respond(call, pages.VerifyPage(verdict=code, csrf_token=token))
    return screens.respond(call, replace(_described(call, document), verdict=code))


def jwks(call: Call) -> Response:
    """The public keys of the verification codes' JWS, for checking them offline."""
    return JSONResponse(DocumentKeys.load_or_create(call.services.settings.data).jwks())


def token(call: Call) -> Response:
    """A document's facts as an ES256 JWS (verifiable with /.well-known/jwks.json)."""
    code = normalize_document_code(call.params["code"]) or ""
    document = call.db.scalar(select(Document).where(Document.code == code))
    if document is None:
        raise NotFound("no such document")
    if document.revoked_at is not None:  # no fresh statement vouches for it any more
        raise Refused("document_revoked")
    submission = call.db.get(Submission, document.submission_id)
    assert submission is not None  # noqa: S101 -- a foreign key
    claims = DocumentClaims(
        document_id=document.code,
        kind=DocumentKind.RECEIPT if document.name == RECEIPT else DocumentKind.DECISION,
        procedure=submission.procedure,
        reference=submission.reference,
        issued_at=document.issued_at,
        sha256=document.sha256,
    )
    keys = DocumentKeys.load_or_create(call.services.settings.data)
    issuer = call.services.settings.base_url.rstrip("/")
    jws = issue_document_token(claims, keys, issuer=issuer, now=document.issued_at)
    return PlainTextResponse(jws, media_type="application/jose")


def trust_roots(call: Call) -> tuple[Any, ...]:
    """The roots our documents' signatures chain to (the configured ones, or the
    development CA's), read once per data folder: the configuration does not change while
    the process runs."""
    return _trust_roots(call.services.settings.data)


@cache
def _trust_roots(data: Path) -> tuple[Any, ...]:
    from engine.documents.signing import verification_roots  # noqa: PLC0415 -- pyHanko: heavy

    return verification_roots(SigningConfig.from_values(os.environ, data_dir=data))


def _described(call: Call, document: Document) -> pages.VerifyPage:
    submission = call.db.get(Submission, document.submission_id)
    assert submission is not None  # noqa: S101 -- a foreign key
    definition = DefinitionStore(call.db).load(submission.definition_version_id).definition
    return pages.VerifyPage(
        code=document.code,
        document=definition.document_title(document.name),
        procedure_title=definition.title,
        reference=submission.reference,
        issued_text=screens.when_text(document.issued_at, call.visitor.language),
        sha256=document.sha256,
        revoked_text=screens.when_text(document.revoked_at, call.visitor.language)
        if document.revoked_at
        else None,
        csrf_token=call.visitor.csrf_token or "",
    )


def links(
    call: Call,
    submission: Submission,
    base: str,
    revocable: Callable[[Document], bool] | None = None,
) -> list[pages.DocumentLink]:
    """The submission's documents, downloadable under ``base``/documents/, each with a
    revoking form under it where ``revocable`` says so."""
    definition = DefinitionStore(call.db).load(submission.definition_version_id).definition
    language = call.visitor.language
    return [
        pages.DocumentLink(
            title=definition.document_title(document.name),
            url=f"{base}/documents/{document.id}",
            issued_text=screens.when_text(document.issued_at, language),
            verify_url=f"/verify/{document.code}",
            revoked_text=screens.when_text(document.revoked_at, language)
            if document.revoked_at
            else None,
            revoke_url=f"{base}/documents/{document.id}/revoke"
            if revocable is not None and revocable(document)
            else None,
        )
        for document in requests.of_submission(call.db, submission)
    ]


def preparing(call: Call, submission: Submission) -> list[LocalizedText]:
    definition = DefinitionStore(call.db).load(submission.definition_version_id).definition
    return [definition.document_title(name) for name in requests.pending(call.db, submission)]


def of_case(call: Call, submission: Submission) -> Document:
    """The document the URL names, if it is one of ``submission``'s (else NotFound)."""
    document = call.db.scalar(
        select(Document).where(
            Document.id == call.params["document"], Document.submission_id == submission.id
        )
    )
    if document is None:
        raise NotFound("no such document")
    return document


def download(call: Call, submission: Submission, document: Document) -> Response:
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
