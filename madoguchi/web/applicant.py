"""What a signed-in applicant does on their application after submitting: the steps the
workflow gives them (withdraw, send the corrected application...), messages to the office,
and correcting the answers the state allows (補正), validated with the application's own
definition version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import JSONResponse, Response

from engine.answers import AnswerError, unflatten, validate_answers
from engine.answers.items import add_item, remove_item
from engine.answers.messages import error_message
from engine.definitions.models import Definition, Page
from engine.fields import Invalid
from engine.fields.files import FileField
from engine.storage.definitions import DefinitionStore
from engine.storage.errors import StaleSubmission
from engine.storage.files import AttachmentService
from engine.storage.models import Submission
from engine.storage.submissions import SubmissionService
from engine.text import LocalizedText
from engine.workflow.cases import CaseService, editable_fields
from engine.workflow.rules import Actor, Refused
from engine.workflow.service import WorkflowService
from madoguchi.web import screens
from madoguchi.web.citizen import redirect
from madoguchi.web.documents import links as document_links
from madoguchi.web.documents import preparing
from madoguchi.web.endpoint import CSRF_FIELD, Call
from madoguchi.web.uploads import checked_blob
from madoguchi.web.visitor import choose_language
from renderers.html import build_page_view, pages

ACTION = "action"
CORRECTION_TITLE = LocalizedText(ja="申請内容の補正", en="Correct your application")
NOTICES = {
    "moved": LocalizedText(ja="手続を進めました。", en="Done."),
    "sent": LocalizedText(ja="メッセージを送りました。", en="Your message has been sent."),
    "corrected": LocalizedText(
        ja="補正した内容を保存しました。よろしければ「修正して再提出する」を押してください。",
        en="Your corrections are saved. When you are ready, send the corrected application.",
    ),
}
STALE = LocalizedText(
    ja="この申請は担当者の操作で更新されました。内容を確認してから、もう一度お試しください。",
    en="This application changed in the meantime. Check it, then try again.",
)


def act(call: Call) -> Response:
    submission, user_id = _own(call)
    actor = Actor(kind="applicant", user_id=user_id)
    try:
        _workflow(call).act(
            submission,
            call.field(ACTION),
            actor,
            expected_row_version=_row_version(call),
            comment=None,
        )
    except Refused as refusal:
        call.db.rollback()
        return _detail_again(call, refusal.reason(call.visitor.language), refusal.status)
    except StaleSubmission:
        call.db.rollback()
        return _detail_again(call, STALE.get(call.visitor.language), 409)
    call.db.commit()
    return redirect(f"/applications/{submission.public_id}?done=moved")


def message(call: Call) -> Response:
    submission, user_id = _own(call)
    actor = Actor(kind="applicant", user_id=user_id)
    try:
        CaseService(call.db, call.services.cipher, clock=call.services.clock).post(
            submission, "from_applicant", actor, call.field("body")
        )
    except ValueError:
        error = LocalizedText(
            ja="メッセージを1～4000文字で入力してください。",
            en="Write a message of 1 to 4000 characters.",
        )
        return _detail_again(call, error.get(call.visitor.language), 422)
    call.db.commit()
    return redirect(f"/applications/{submission.public_id}?done=sent")


def correct_form(call: Call) -> Response:
    opened, _ = _open_correction(call)
    if opened is None:
        return redirect(f"/applications/{call.params['public_id']}")
    raw = _current(call, opened.submission, opened.definition)
    return _form(call, opened, raw, [])


def correct(call: Call) -> Response:
    opened, user_id = _open_correction(call)
    if opened is None:
        return redirect(f"/applications/{call.params['public_id']}")
    submission, definition, page = opened.submission, opened.definition, opened.page
    current = _current(call, submission, definition)
    posted = _posted(call, page)
    raw = {**current, **posted}
    today = call.services.today()
    if call.request.query_params.get("preview") == "visibility":
        result = validate_answers(definition, raw, today=today)
        return JSONResponse({"visible": sorted(result.visible)})
    action = call.field(ACTION) or "continue"
    if action.startswith("language:"):
        choose_language(call.visitor, call.db, action.removeprefix("language:"))
        return _form(call, opened, raw, [])
    if action.startswith(("add:", "remove:")):
        changed = (add_item if action.startswith("add:") else remove_item)(
            posted, action.partition(":")[2]
        )
        return _form(call, opened, {**current, **changed}, [])
    if action.startswith("remove-file:"):
        # A file sent before stays on record; a new upload replaces it in the answer.
        return _form(call, opened, raw, [])
    uploaded, upload_errors = _uploads(call, opened, user_id)
    raw = {**raw, **uploaded}
    result = validate_answers(definition, raw, today=today)
    if upload_errors or not result.ok:
        call.db.rollback()  # no file of a refused correction is kept
        return _form(call, opened, raw, [*upload_errors, *result.errors], status=422)
    try:
        CaseService(call.db, call.services.cipher, clock=call.services.clock).amend(
            submission,
            result.answers,
            Actor(kind="applicant", user_id=user_id),
            submission.row_version,
        )
    except (Refused, StaleSubmission):
        call.db.rollback()
        return _detail_again(call, STALE.get(call.visitor.language), 409)
    call.db.commit()
    return redirect(f"/applications/{submission.public_id}?done=corrected")


def _open_correction(call: Call) -> tuple[_Correction | None, str]:
    """The applicant's application with the fields they may correct now (None: none)."""
    submission, user_id = _own(call)
    definition = _definition(call, submission)
    page = _correction_page(definition, submission)
    opened = _Correction(submission, definition, page) if page is not None else None
    return opened, user_id


def _uploads(
    call: Call, opened: _Correction, user_id: str
) -> tuple[dict[str, list[dict[str, Any]]], list[AnswerError]]:
    """Files posted for the page's file fields, stored as the submission's attachments:
    each field's new answer, and errors for the files refused."""
    assert call.form is not None  # noqa: S101 -- endpoint() parses the form of every POST
    specs = {f.id: f for f in opened.page.fields if isinstance(f, FileField)}
    answers: dict[str, list[dict[str, Any]]] = {}
    errors: list[AnswerError] = []
    files = AttachmentService(call.db, call.services.files)
    for name, value in call.form.multi_items():
        spec = specs.get(name)
        if spec is None or not isinstance(value, UploadFile) or not value.filename:
            continue
        try:
            blob, media_type = checked_blob(call, spec, value)
        except Invalid as invalid:
            message = error_message(invalid.code, spec.label, **invalid.params)
            errors.append(AnswerError(name, invalid.code, message, None))
            continue
        attachment = files.add(
            submission_id=opened.submission.id,
            field_path=name,
            blob=blob,
            media_type=media_type,
            original_name=value.filename,
            owner=user_id,
        )
        answers.setdefault(name, []).append(attachment.as_answer())
    return answers, errors


# The status page's extra parts, for status._detail ------------------------------------------


def detail_parts(call: Call, submission: Submission, definition: Definition) -> dict[str, Any]:
    """What the status page shows and offers besides the answers: messages, the steps the
    applicant may take, the correction link. Offers need an account (a signed-in owner)."""
    language = call.visitor.language
    cases = CaseService(call.db, call.services.cipher)
    messages = [
        pages.StaffMessage(
            screens.when_text(m.created_at, language), m.kind == "to_applicant", m.body
        )
        for m in cases.messages(submission, internal=False)
    ]
    notice = NOTICES.get(call.request.query_params.get("done", ""))
    parts: dict[str, Any] = {
        "messages": messages,
        "notice": notice.get(language) if notice else None,
    }
    # Whoever may open the page (the owner, or the browser the access code was given in)
    # may download the documents; steps and corrections need the account.
    base = f"/applications/{submission.public_id}"
    parts |= {
        "documents": document_links(call, submission, base),
        "preparing": preparing(call, submission),
        "csrf_token": call.visitor.csrf_token or "",
    }
    user_id = call.visitor.user_id
    if user_id is None or submission.applicant_user_id != user_id:
        return parts
    actor = Actor(kind="applicant", user_id=user_id)
    steps = [
        pages.ApplicantStep(t.action, t.label or LocalizedText(ja=t.action))
        for t in _workflow(call).available(submission, actor)
    ]
    editable = _correction_page(definition, submission) is not None
    return parts | {
        "steps": steps,
        "act_url": f"{base}/act",
        "message_url": f"{base}/messages",
        "row_version": submission.row_version,
        "edit_url": f"{base}/correct" if editable else None,
    }


# Helpers ----------------------------------------------------------------------------------


def _own(call: Call) -> tuple[Submission, str]:
    user_id = call.visitor.user_id
    if user_id is None:
        from madoguchi.web.errors import SeeOther  # noqa: PLC0415 -- the one redirect here

        raise SeeOther(f"/sign-in?next=/applications/{call.params['public_id']}")
    submission = SubmissionService(call.db, call.services.cipher).get_for_user(
        call.params["public_id"], user_id
    )
    return submission, user_id


def _workflow(call: Call) -> WorkflowService:
    services = call.services
    return WorkflowService(call.db, services.cipher, services.calendar, clock=services.clock)


def _definition(call: Call, submission: Submission) -> Definition:
    return DefinitionStore(call.db).load(submission.definition_version_id).definition


def _row_version(call: Call) -> int:
    try:
        return int(call.field("row_version"))
    except ValueError:
        return -1


def _current(call: Call, submission: Submission, definition: Definition) -> dict[str, Any]:
    return call.services.cipher.decrypt(submission.answers, definition.sensitive_paths())


def _correction_page(definition: Definition, submission: Submission) -> Page | None:
    """The fields the applicant may correct now, as one form page; None if there are none.
    A file field takes new files, which replace the ones sent before."""
    editable = editable_fields(definition, submission)
    fields = [f for f in definition.fields() if f.id in editable]
    if not fields:
        return None
    return Page.model_construct(id="correction", title=CORRECTION_TITLE, fields=fields)


def _posted(call: Call, page: Page) -> dict[str, Any]:
    assert call.form is not None  # noqa: S101 -- endpoint() parses the form of every POST
    pairs = [
        (name, value)
        for name, value in call.form.multi_items()
        if isinstance(value, str) and name not in (CSRF_FIELD, ACTION)
    ]
    nested = unflatten(pairs)
    # A file's answer comes from an upload only, never from text a browser sends.
    own = {spec.id for spec in page.fields if not isinstance(spec, FileField)}
    answers = {key: value for key, value in nested.items() if key in own}
    for spec in page.fields:  # unticked boxes send nothing
        if spec.id not in answers and spec.type_name in ("choices", "declaration"):
            answers[spec.id] = [] if spec.type_name == "choices" else ""
    return answers


@dataclass(frozen=True)
class _Correction:
    submission: Submission
    definition: Definition
    page: Page


def _form(
    call: Call,
    opened: _Correction,
    raw: dict[str, Any],
    errors: list[Any],
    *,
    status: int = 200,
) -> Response:
    submission, definition, page = opened.submission, opened.definition, opened.page
    mine = [e for e in errors if e.path.split(".")[0].split("[")[0] in {f.id for f in page.fields}]
    view = build_page_view(definition, page, raw, mine or errors, call.visitor.language)
    form = pages.FormPage(
        procedure=definition,
        page_view=view,
        step=1,
        steps=1,
        action_url=f"/applications/{submission.public_id}/correct",
        back_url=f"/applications/{submission.public_id}",
        csrf_token=call.visitor.csrf_token or "",
        errors=mine or errors,
        can_save=False,
    )
    return screens.respond(call, form, status=status)


def _detail_again(call: Call, error: str, status: int) -> Response:
    from madoguchi.web import status as status_pages  # noqa: PLC0415 -- they import us

    submission, _ = _own(call)
    return status_pages.detail(call, submission, error=error, status=status)
