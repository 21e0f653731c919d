"""The citizen's path: procedures, form pages, check your answers, submit, confirmation."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, RedirectResponse, Response

from engine.answers import AnswerError, ValidationResult, unflatten, validate_answers
from engine.answers.items import add_item, remove_item
from engine.fields.files import FileField
from engine.storage.definitions import DefinitionStore
from engine.storage.errors import NotFound
from engine.storage.submissions import SubmissionService
from engine.workflow.service import WorkflowService
from madoguchi.web import screens
from madoguchi.web.drafts import (
    DRAFT_COOKIE_PREFIX,
    OpenDraft,
    check_url,
    draft_service,
    open_draft,
    page_url,
)
from madoguchi.web.endpoint import CSRF_FIELD, Call
from madoguchi.web.uploads import attachments, store_uploads, with_files
from madoguchi.web.visitor import choose_language, ensure_session

ACTION = "action"


def home(call: Call) -> Response:
    ensure_session(call.visitor, call.db)
    return screens.procedure_list(call)


def start_page(call: Call) -> Response:
    """What the procedure is and a button to start it (starting writes a draft: a POST)."""
    procedure = call.params["procedure"]
    version_id = call.services.current.get(procedure)
    if version_id is None:
        raise NotFound(f"no procedure {procedure}")
    definition = DefinitionStore(call.db).load(version_id).definition
    ensure_session(call.visitor, call.db)
    return screens.start_page(call, definition)


def start(call: Call) -> Response:
    procedure = call.params["procedure"]
    version_id = call.services.current.get(procedure)
    if version_id is None:
        raise NotFound(f"no procedure {procedure}")
    definition = DefinitionStore(call.db).load(version_id).definition
    if definition.submitters == "citizen" and call.visitor.user_id is None:
        return redirect(f"/account/sign-in?next=/procedures/{procedure}")
    draft, token = draft_service(call).start(
        version_id, call.visitor.user_id, call.visitor.language
    )
    response = redirect(page_url(draft.id, definition.pages[0].id))
    if token is not None:
        set_draft_cookie(call, response, draft.id, token)
    return response


def resume(call: Call) -> Response:
    """The resume link of an anonymous draft: keep its token in a cookie, then go on."""
    draft_id = call.params["draft"]
    token = call.request.query_params.get("token", "")
    service = draft_service(call)
    draft = service.get(draft_id, user_id=call.visitor.user_id, resume_token=token or None)
    definition = DefinitionStore(call.db).load(draft.definition_version_id).definition
    response = redirect(page_url(draft.id, draft.page_id or definition.pages[0].id))
    if token:
        set_draft_cookie(call, response, draft.id, token)
    return response


def page(call: Call) -> Response:
    opened = open_draft(call, call.params["draft"])
    form_page = opened.page(call.params["page"])
    raw = with_files(call, opened, opened.service.answers_of(opened.draft))
    result = validate_answers(
        opened.definition, raw, today=call.services.today(), pages=[form_page.id]
    )
    ensure_session(call.visitor, call.db)
    return screens.form_page(call, opened, form_page.id, screens.Answered(raw, result))


def save_page(call: Call) -> Response:
    opened = open_draft(call, call.params["draft"])
    form_page = opened.page(call.params["page"])
    assert call.form is not None  # noqa: S101 -- endpoint() parses the form of every POST
    posted = _posted_answers(call, opened, form_page.id)
    if call.request.query_params.get("preview") == "visibility":
        return _visibility(call, opened, posted)
    upload_errors = store_uploads(call, opened, call.form)
    action = call.field(ACTION) or "continue"
    posted = _apply_item_action(posted, action)
    opened.service.save(opened.draft, posted, form_page.id)
    if action.startswith("remove-file:"):
        attachments(call).remove(action.removeprefix("remove-file:"), opened.draft.id)
    raw = with_files(call, opened, opened.service.answers_of(opened.draft))
    result = validate_answers(
        opened.definition, raw, today=call.services.today(), pages=[form_page.id]
    )
    if action.startswith("language:"):
        choose_language(call.visitor, call.db, action.removeprefix("language:"))
        return redirect(page_url(opened.draft.id, form_page.id))
    if action == "save" and call.visitor.user_id is not None:
        return redirect("/drafts")
    if action not in ("continue", "back"):
        return redirect(page_url(opened.draft.id, form_page.id))
    if action == "back":
        return redirect(_neighbour(opened, result, form_page.id, -1))
    errors = [*upload_errors, *result.errors]
    if errors:
        answered = screens.Answered(raw, result, errors)
        return screens.form_page(call, opened, form_page.id, answered)
    return redirect(_neighbour(opened, result, form_page.id, +1))


def _visibility(call: Call, opened: OpenDraft, posted: dict[str, Any]) -> Response:
    """Which fields the answers being typed show, for the page's script. Nothing is
    saved: a late preview must never overwrite what a button just saved."""
    raw = with_files(call, opened, {**opened.service.answers_of(opened.draft), **posted})
    result = validate_answers(opened.definition, raw, today=call.services.today())
    return JSONResponse({"visible": sorted(result.visible)})


def _posted_answers(call: Call, opened: OpenDraft, page_id: str) -> dict[str, Any]:
    """The posted answers of this page's fields only; anything else in the post is ignored."""
    assert call.form is not None  # noqa: S101
    pairs = [
        (name, value)
        for name, value in call.form.multi_items()
        if isinstance(value, str)
        and name not in (CSRF_FIELD, ACTION)
        and not _names_a_file(opened, name)
    ]
    nested = unflatten(pairs)
    own = {spec.id for spec in opened.page(page_id).fields}
    answers = {key: value for key, value in nested.items() if key in own}
    # Unticked boxes send nothing: a page without them is an answer of "none".
    for spec in opened.page(page_id).fields:
        if spec.id not in answers and spec.type_name in ("choices", "declaration"):
            answers[spec.id] = [] if spec.type_name == "choices" else ""
    return answers


def _names_a_file(opened: OpenDraft, name: str) -> bool:
    """Whether a posted text names a file field or a part of one: a file's answer comes
    from the draft's attachments only, never from what a browser sends."""
    parts = name.split(".")
    return any(
        isinstance(opened.definition.field_at(".".join(parts[:end])), FileField)
        for end in range(1, len(parts) + 1)
    )


def _apply_item_action(posted: dict[str, Any], action: str) -> dict[str, Any]:
    if action.startswith("add:"):
        return add_item(posted, action.removeprefix("add:"))
    if action.startswith("remove:"):
        return remove_item(posted, action.removeprefix("remove:"))
    return posted


def _neighbour(opened: OpenDraft, result: ValidationResult, page_id: str, step: int) -> str:
    shown = list(result.pages)
    position = shown.index(page_id) if page_id in shown else 0
    target = position + step
    if target < 0:
        return "/"
    if target >= len(shown):
        return check_url(opened.draft.id)
    return page_url(opened.draft.id, shown[target])


def check(call: Call) -> Response:
    opened = open_draft(call, call.params["draft"])
    raw = with_files(call, opened, opened.service.answers_of(opened.draft))
    result = validate_answers(opened.definition, raw, today=call.services.today())
    if not result.ok:
        return redirect(_first_error_page(opened, result))
    ensure_session(call.visitor, call.db)
    return screens.check_answers(call, opened, result)


def submit(call: Call) -> Response:
    draft_id = call.params["draft"]
    key = f"draft:{draft_id}"
    service = SubmissionService(call.db, call.services.cipher, calendar=call.services.calendar)
    try:
        opened = open_draft(call, draft_id)
    except NotFound:
        # A double click or a replayed POST: the draft became a submission; show it again.
        earlier = service.by_idempotency_key(key, call.visitor.user_id)
        if earlier is None:
            raise
        return screens.confirmation(call, earlier, access_code=None)
    raw = with_files(call, opened, opened.service.answers_of(opened.draft))
    result = validate_answers(opened.definition, raw, today=call.services.today())
    if not result.ok:
        return redirect(_first_error_page(opened, result))
    submitted = service.submit(
        opened.draft,
        result.answers,
        idempotency_key=key,
        applicant_user_id=call.visitor.user_id,
        state=opened.definition.workflow.start,
        language=call.visitor.language,
    )
    if submitted.created:
        services = call.services
        WorkflowService(call.db, services.cipher, services.calendar, clock=services.clock).start(
            submitted.submission
        )
    call.db.commit()
    response = screens.confirmation(call, submitted.submission, submitted.access_code)
    response.delete_cookie(DRAFT_COOKIE_PREFIX + draft_id)
    return response


def _first_error_page(opened: OpenDraft, result: ValidationResult) -> str:
    first: AnswerError = result.errors[0]
    page_id = first.page or result.pages[-1]
    return page_url(opened.draft.id, page_id)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def set_draft_cookie(call: Call, response: Response, draft_id: str, token: str) -> None:
    response.set_cookie(
        DRAFT_COOKIE_PREFIX + draft_id,
        token,
        max_age=int(call.services.draft_ttl.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=call.services.settings.secure_cookies,
    )
