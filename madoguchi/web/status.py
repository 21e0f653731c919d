"""A citizen following their applications: their list, one application, and the lookup by
reference number and access code for applicants without an account."""

from __future__ import annotations

import logging
from typing import Any

from starlette.responses import Response

from auth.throttle import LoginThrottle
from engine.answers import from_jsonable
from engine.definitions.models import Definition
from engine.documents.revocation import REVOKED
from engine.storage.definitions import DefinitionStore
from engine.storage.drafts import DraftService
from engine.storage.errors import NotFound
from engine.storage.files import AttachmentService
from engine.storage.models import Submission
from engine.storage.submissions import SubmissionService
from engine.text import LocalizedText
from madoguchi.web import screens
from madoguchi.web.citizen import redirect
from madoguchi.web.endpoint import Call
from madoguchi.web.errors import SeeOther
from madoguchi.web.visitor import ensure_session, sessions
from renderers.html import pages

log = logging.getLogger("madoguchi.access")


def _service(call: Call) -> SubmissionService:
    return SubmissionService(call.db, call.services.cipher)


def applications(call: Call) -> Response:
    user_id = call.visitor.user_id
    if user_id is None:
        return redirect("/sign-in?next=/applications")
    store = DefinitionStore(call.db)
    items = []
    for submission in _service(call).list_for_user(user_id):
        definition = store.load(submission.definition_version_id).definition
        items.append(
            pages.StatusItem(
                reference=submission.reference,
                procedure_title=definition.title,
                state_label=definition.workflow.states[submission.state].label,
                submitted_at_text=screens.when_text(submission.submitted_at, call.visitor.language),
                url=f"/applications/{submission.public_id}",
            )
        )
    return screens.respond(call, pages.StatusList(items=items))


def application(call: Call) -> Response:
    return _detail(call, applicant_submission(call))


def applicant_submission(call: Call) -> Submission:
    """The application the URL names, for its applicant: the signed-in owner, or the browser
    that opened it with its reference number and access code. Anyone else not signed in
    is sent to sign in (SeeOther); a signed-in stranger gets NotFound, and it is logged."""
    public_id = call.params["public_id"]
    session = call.visitor.session
    granted = session.granted_application if session is not None else None
    user_id = call.visitor.user_id
    if user_id is None and granted != public_id:
        raise SeeOther(f"/sign-in?next=/applications/{public_id}")
    try:
        return _service(call).get_for_applicant(public_id, user_id=user_id, granted=granted)
    except NotFound:
        _log_denied(call, public_id)
        raise


def lookup_form(call: Call) -> Response:
    ensure_session(call.visitor, call.db)
    return screens.respond(call, pages.StatusLookup(csrf_token=call.visitor.csrf_token or ""))


def lookup(call: Call) -> Response:
    reference = call.field("reference").strip()
    code = call.field("access_code").strip()
    ip = call.request.client.host if call.request.client else None
    throttle = LoginThrottle(call.db)
    key = f"lookup:{reference.upper()}"
    if throttle.check(key, ip) is not None:
        return _lookup_again(call, reference, "too_many", status=429)
    try:
        submission = _service(call).get_by_reference(reference, code)
    except NotFound:
        throttle.record(key, ip, succeeded=False)
        call.db.commit()
        _log_denied(call, reference)
        return _lookup_again(call, reference, "not_found", status=404)
    throttle.record(key, ip, succeeded=True)
    # The status page is then a page of its own, which reloads (documents being prepared)
    # and opens again while this browser's session lives, without the code again.
    session = ensure_session(call.visitor, call.db)
    started = sessions(call.db).grant(session, submission.public_id)
    call.visitor.session, call.visitor.new_token = started.session, started.token
    return redirect(f"/applications/{submission.public_id}")


_LOOKUP_ERRORS = {
    "not_found": (
        "受付番号またはアクセスコードが正しくありません。",
        "The reference number or access code is not correct.",
    ),
    "too_many": (
        "試行回数が多すぎます。15分ほど待ってからもう一度お試しください。",
        "Too many attempts. Wait about 15 minutes and try again.",
    ),
}


def _lookup_again(call: Call, reference: str, problem: str, status: int) -> Response:
    ja, en = _LOOKUP_ERRORS[problem]
    page = pages.StatusLookup(
        csrf_token=call.visitor.csrf_token or "",
        errors=[ja if call.visitor.language == "ja" else en],
        reference_value=reference,
    )
    return screens.respond(call, page, status=status)


def _detail(call: Call, submission: Submission) -> Response:
    return detail(call, submission)


def detail(
    call: Call, submission: Submission, *, error: str | None = None, status: int = 200
) -> Response:
    """The application's status page (with ``error`` on top after a refused step)."""
    from madoguchi.web.applicant import detail_parts  # noqa: PLC0415 -- it imports us

    language = call.visitor.language
    definition = DefinitionStore(call.db).load(submission.definition_version_id).definition
    state = definition.workflow.states[submission.state]
    answers = from_jsonable(definition, _service(call).answers_of(submission))
    history = [
        (
            screens.when_text(event.created_at, language),
            _event_text(definition, event.kind, event.data),
        )
        for event in _service(call).events_of(submission)
        if event.kind in APPLICANT_SEES
    ]
    page = pages.StatusDetail(
        procedure=definition,
        reference=submission.reference,
        state_label=state.label,
        history=history,
        sections=screens.answer_sections(definition, answers, language, change=None),
        state_description=state.description,
        files=_file_links(call, submission),
        error=error,
        **detail_parts(call, submission, definition),
    )
    return screens.respond(call, page, status=status)


def _file_links(call: Call, submission: Submission) -> list[pages.FileLink]:
    if submission.applicant_user_id is None:
        return []  # an anonymous applicant's files are not offered for download
    files = AttachmentService(call.db, call.services.files).for_submission(submission.id)
    base = f"/applications/{submission.public_id}/files"
    return [pages.FileLink(f.original_name, f"{base}/{f.id}", f.size) for f in files]


# The audit entries an applicant's history shows; the office's own (votes, assignment,
# notes, views of masked answers) stay inside.
APPLICANT_SEES = frozenset({"submitted", "state_changed", "answers_changed", REVOKED})


def _event_text(definition: Definition, kind: str, data: dict[str, Any]) -> LocalizedText:
    if kind == "submitted":
        return LocalizedText(ja="申請を受け付けました", en="Application received")
    if kind == "answers_changed":
        return LocalizedText(ja="申請内容を補正しました", en="You corrected your answers")
    if kind == REVOKED:  # the reason stays with the office: it may name others
        title = definition.document_title(str(data.get("document")))
        return LocalizedText(
            ja=f"{title.ja}が取り消されました", en=f"The {title.get('en')} was revoked"
        )
    state = definition.workflow.states.get(str(data.get("to")))
    if state is None:
        return LocalizedText(ja=kind, en=kind)
    comment = str(data.get("comment") or "")
    if not comment:
        return state.label
    return LocalizedText(
        ja=f"{state.label.ja}（{comment}）", en=f"{state.label.get('en')} ({comment})"
    )


def drafts(call: Call) -> Response:
    user_id = call.visitor.user_id
    if user_id is None:
        return redirect("/sign-in?next=/drafts")
    service = DraftService(call.db, call.services.draft_ttl, cipher=call.services.cipher)
    store = DefinitionStore(call.db)
    items = []
    for draft in service.list_for_user(user_id):
        definition = store.load(draft.definition_version_id).definition
        page_id = draft.page_id or definition.pages[0].id
        items.append(
            pages.DraftItem(
                procedure_title=definition.title,
                updated_text=screens.when_text(draft.updated_at, call.visitor.language),
                url=f"/drafts/{draft.id}/pages/{page_id}",
            )
        )
    return screens.respond(call, pages.DraftList(items=items))


def _log_denied(call: Call, what: str) -> None:
    """Someone asked for an application that is not theirs (or does not exist)."""
    log.warning(
        "application not shown",
        extra={"fields": {"user": call.visitor.user_id, "asked_for": what[:64]}},
    )
