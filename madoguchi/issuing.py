"""Issuing documents, for the worker: an ``issue_document`` outbox item becomes a
rendered, signed PDF stored under a generated name, with its row in ``documents``.

In three steps: ``prepare`` reads what the document shows (a short transaction),
``produce`` renders and signs it (no transaction open), ``record`` stores it in the
transaction that removes the outbox item. Exactly once per (submission, document, visit of
the state): the row is unique on those. A worker killed before committing leaves at most an
orphan file and the item, which the next round issues again; a second worker racing on the
same item loses on the unique row or finds the item gone.
"""

from __future__ import annotations

import io
import logging
import os
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.answers import from_jsonable
from engine.definitions.loader import TEMPLATES_FOLDER, read_template
from engine.definitions.models import Definition
from engine.documents.codes import new_document_code
from engine.documents.config import SigningConfig
from engine.documents.models import Document
from engine.documents.tokens import DocumentKeys
from engine.storage import events
from engine.storage.definitions import DefinitionStore
from engine.storage.models import NO_DUE_DATE, Submission, utcnow
from engine.workflow.clock import TOKYO
from madoguchi.web.services import Services
from renderers.pdf import (
    Decision,
    RenderError,
    SubmissionFacts,
    Verification,
    document_context,
    document_html,
    receipt_html,
    render_pdf,
)

log = logging.getLogger("madoguchi.issuing")


@dataclass(frozen=True)
class Prepared:
    submission_id: int
    name: str
    round: int
    language: str
    code: str
    html: str
    reason: str  # the signature's reason: the document's title and the reference


@dataclass
class Issuer:
    services: Services

    @cached_property
    def config(self) -> SigningConfig:
        return SigningConfig.from_values(os.environ, data_dir=self.services.settings.data)

    @cached_property
    def signer(self) -> Any:  # DocumentSigner: pyHanko is imported on first use only
        from engine.documents.signing import DocumentSigner  # noqa: PLC0415 -- heavy

        return DocumentSigner(self.config)

    @cached_property
    def keys(self) -> DocumentKeys:
        return DocumentKeys.load_or_create(self.services.settings.data)

    def prepare(self, db: Session, payload: dict[str, Any]) -> Prepared | None:
        """What rendering the document ``payload`` asks for needs, read in a short
        transaction; None if it was issued before or its submission is gone."""
        submission = db.get(Submission, payload["submission_id"])
        if submission is None:
            return None
        name, round_ = str(payload["name"]), int(payload["round"])
        if self._issued(db, submission, name, round_) is not None:
            return None
        language = str(payload.get("language") or submission.language)
        code = new_document_code()
        html = self._html(db, submission, name, language=language, code=code)
        definition = DefinitionStore(db).load(submission.definition_version_id).definition
        title = definition.documents[name].title.get(language)
        return Prepared(
            submission.id, name, round_, language, code, html, f"{title} {submission.reference}"
        )

    def produce(self, prepared: Prepared) -> bytes:
        """The signed PDF: rendered and signed with no database transaction open (it takes
        a fraction of a second, and SQLite would wait for it)."""
        base = self.services.settings.base_url.rstrip("/")
        # Links in a PDF only to our own https pages (a development http address: none).
        links = (f"{base}/",) if base.startswith("https://") else ()
        pdf = render_pdf(prepared.html, link_prefixes=links)
        office = self.config.office_name
        signed: bytes = self.signer.sign_pdf(pdf, reason=prepared.reason, location=office)
        return signed

    def record(self, db: Session, prepared: Prepared, signed: bytes) -> Document | None:
        """Store the bytes and write the row, in the caller's transaction (the one that
        removes the outbox item). None, and nothing kept, if it was issued meanwhile."""
        blob = self.services.files.put(io.BytesIO(signed), max_bytes=len(signed))
        document = Document(
            submission_id=prepared.submission_id,
            name=prepared.name,
            round=prepared.round,
            language=prepared.language,
            code=prepared.code,
            storage_key=blob.key,
            sha256=blob.sha256,
            size=blob.size,
            issued_at=utcnow(),
        )
        try:
            with db.begin_nested():
                db.add(document)
        except IntegrityError:  # another worker issued it meanwhile: keep theirs
            self.services.files.delete(blob.key)
            return None
        log.info("issued %s %s", prepared.name, prepared.code)
        return document

    def _issued(
        self, db: Session, submission: Submission, name: str, round_: int
    ) -> Document | None:
        return db.scalar(
            select(Document).where(
                Document.submission_id == submission.id,
                Document.name == name,
                Document.round == round_,
            )
        )

    def _html(
        self, db: Session, submission: Submission, name: str, *, language: str, code: str
    ) -> str:
        loaded = DefinitionStore(db).load(submission.definition_version_id)
        definition = loaded.definition
        base = self.services.settings.base_url.rstrip("/")
        answers = self.services.cipher.decrypt(submission.answers, definition.sensitive_paths())
        facts = SubmissionFacts(
            reference=submission.reference,
            submitted_at=submission.submitted_at,
            answers=from_jsonable(definition, answers),
            due_date=None if submission.due_on == NO_DUE_DATE else submission.due_on,
            status_url=f"{base}/applications/{submission.public_id}",
            decision=_decision(db, definition, submission, language),
            verification=Verification(code=code, url=f"{base}/verify/{code}"),
        )
        office = self.config.office_name
        template = definition.documents[name].template
        if template is None:
            return receipt_html(definition, facts, language, office=office, document=name)
        context = document_context(definition, facts, language, document=name, office=office)
        templates = loaded.templates or self._current_templates(template)
        return document_html(definition, template, context, language, templates=templates)

    def _current_templates(self, template: str) -> dict[str, str]:
        # A version published before versions kept their templates, and no longer in
        # forms/: its documents are rendered with the template file as it is now.
        path = self.services.settings.forms / TEMPLATES_FOLDER / template
        try:
            return {template: read_template(path)}
        except (OSError, ValueError) as error:
            raise RenderError(f"cannot read template {template!r}: {error}") from error


def _decision(
    db: Session, definition: Definition, submission: Submission, language: str
) -> Decision | None:
    """The decision a final state records, with the comment of the step that made it (a
    refusal's reason)."""
    state = definition.workflow.states[submission.state]
    if not state.final:
        return None
    steps = [e for e in events.for_submission(db, submission.id) if e.kind == "state_changed"]
    comment = steps[-1].data.get("comment") if steps else None
    return Decision(
        state=submission.state,
        label=state.label.get(language),
        date=submission.state_entered_at.astimezone(TOKYO).date(),
        comment=str(comment) if comment else None,
    )
