"""Views' pages: the page contexts renderers/html draws, built from domain objects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from starlette.responses import HTMLResponse

from engine.answers import AnswerError, ValidationResult
from engine.definitions.models import Definition
from engine.fields.group import GroupField
from engine.storage.definitions import DefinitionStore
from engine.storage.models import Submission
from engine.text import LocalizedText
from engine.workflow.clock import TOKYO
from madoguchi.web.drafts import DRAFT_COOKIE_PREFIX, OpenDraft, page_url
from madoguchi.web.endpoint import Call
from renderers.html import pages
from renderers.html.forms import build_page_view

SIGN_OUT_URL = "/sign-out"


def respond(call: Call, page: pages.Page, status: int = 200) -> HTMLResponse:
    # Whatever the view wrote is done: commit before the slow part, the rendering, so
    # the database is not held meanwhile (SQLite has one writer at a time).
    call.db.commit()
    language = call.visitor.language
    other = "en" if language == "ja" else "ja"
    here = call.request.url.path
    chrome = pages.Chrome(
        language=language,
        switch_language_url=f"/language/{other}?next={quote(here)}",
        user_email=call.visitor.user.email if call.visitor.user else None,
        csrf_token=call.visitor.csrf_token,
        sign_out_url=SIGN_OUT_URL,
    )
    return HTMLResponse(pages.render(page, language, chrome), status_code=status)


def period_text(definition: Definition, language: str) -> str | None:
    period = definition.processing_period
    return period.describe(language) if period is not None else None


def procedure_list(call: Call) -> HTMLResponse:
    language = call.visitor.language
    items = [
        pages.ProcedureSummary(
            id=loaded.definition.procedure,
            title=loaded.definition.title,
            summary=loaded.definition.summary,
            submitters=loaded.definition.submitters,
            processing_period_text=period_text(loaded.definition, language),
            url=f"/procedures/{loaded.definition.procedure}",
        )
        for loaded in call.services.procedures
    ]
    return respond(call, pages.ProcedureList(procedures=items))


def start_page(call: Call, definition: Definition) -> HTMLResponse:
    url = f"/procedures/{definition.procedure}"
    sign_in = definition.submitters == "citizen" and call.visitor.user_id is None
    page = pages.StartPage(
        procedure=definition,
        action_url=url,
        csrf_token=call.visitor.csrf_token or "",
        processing_period_text=period_text(definition, call.visitor.language),
        sign_in_url=f"/sign-in?next={url}" if sign_in else None,
    )
    return respond(call, page)


@dataclass(frozen=True)
class Answered:
    """A page's answers as typed, what validating them found, and the errors to show
    (none when the page is first shown)."""

    raw: dict[str, Any]
    result: ValidationResult
    errors: Sequence[AnswerError] = ()


def form_page(call: Call, opened: OpenDraft, page_id: str, answered: Answered) -> HTMLResponse:
    definition = opened.definition
    raw, result, errors = answered.raw, answered.result, answered.errors
    shown = list(result.pages)
    step = shown.index(page_id) + 1 if page_id in shown else 1
    view = build_page_view(
        definition,
        page_id,
        raw,
        errors,
        call.visitor.language,
        visible=lambda spec, path: path in result.visible,
    )
    previous = page_url(opened.draft.id, shown[step - 2]) if step > 1 else None
    page = pages.FormPage(
        procedure=definition,
        page_view=view,
        step=step,
        steps=len(shown) + 1,
        action_url=page_url(opened.draft.id, page_id),
        back_url=previous,
        csrf_token=call.visitor.csrf_token or "",
        errors=errors,
        draft_notice=_resume_notice(call, opened),
    )
    return respond(call, page, status=422 if errors else 200)


def _resume_notice(call: Call, opened: OpenDraft) -> str | None:
    if opened.draft.owner_user_id is not None:
        return None
    token = call.request.cookies.get(DRAFT_COOKIE_PREFIX + opened.draft.id)
    if token is None:
        return None
    link = f"{call.services.settings.base_url}/drafts/{opened.draft.id}/resume?token={token}"
    days = call.services.settings.draft_days
    if call.visitor.language == "ja":
        return f"このリンクから入力を再開できます（{days}日間有効）: {link}"
    return f"You can come back to this application with this link (valid {days} days): {link}"


def answer_sections(
    definition: Definition,
    answers: dict[str, Any],
    language: str,
    change: str | None,
    *,
    mask_sensitive: bool = False,
) -> list[pages.AnswerSection]:
    """The answers page by page; ``mask_sensitive`` shows sensitive ones as their mask."""
    sections = []
    for page in definition.pages:
        rows: list[tuple[LocalizedText | str, str]] = []
        for spec in page.fields:
            rows.extend(_rows(spec, answers.get(spec.id), language, None, mask_sensitive))
        if rows:
            url = f"{change}/pages/{page.id}" if change else None
            sections.append(pages.AnswerSection(page.id, page.title, url, rows))
    return sections


def _rows(
    spec: Any, value: Any, language: str, item: LocalizedText | None, mask: bool
) -> list[tuple[Any, str]]:
    if value is None:
        return []
    label = (
        spec.label
        if item is None
        else LocalizedText(
            ja=f"{item.ja} {spec.label.ja}", en=f"{item.get('en')} {spec.label.get('en')}"
        )
    )
    if isinstance(spec, GroupField):
        items = value if isinstance(value, list) else [value]
        rows: list[tuple[Any, str]] = []
        for number, answers in enumerate(items, start=1):
            name = spec.item_name(number) if spec.repeat else item
            for child in spec.fields:
                rows.extend(_rows(child, answers.get(child.id), language, name, mask))
        return rows
    shown = spec.mask(value) if mask and spec.sensitive else spec.display(value, language)
    return [(label, shown)]


def check_answers(call: Call, opened: OpenDraft, result: ValidationResult) -> HTMLResponse:
    base = f"/drafts/{opened.draft.id}"
    page = pages.CheckAnswersPage(
        procedure=opened.definition,
        sections=answer_sections(opened.definition, result.answers, call.visitor.language, base),
        action_url=f"{base}/submit",
        csrf_token=call.visitor.csrf_token or "",
        submit_token=opened.draft.id,
        back_url=page_url(opened.draft.id, result.pages[-1]) if result.pages else None,
    )
    return respond(call, page)


def confirmation(call: Call, submission: Submission, access_code: str | None) -> HTMLResponse:
    definition = DefinitionStore(call.db).load(submission.definition_version_id).definition
    state = definition.workflow.states[submission.state]
    status_url = (
        f"/applications/{submission.public_id}" if submission.applicant_user_id else "/status"
    )
    page = pages.Confirmation(
        procedure=definition,
        reference=submission.reference,
        access_code=access_code,
        state_label=state.label,
        processing_period_text=period_text(definition, call.visitor.language),
        status_url=status_url,
        next_steps=state.description,
    )
    return respond(call, page)


def date_text(day: date, language: str) -> str:
    if language == "ja":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day:%B %Y}"


def when_text(moment: datetime, language: str) -> str:
    # The office's time, whatever the server's zone.
    local = moment.astimezone(TOKYO)
    if language == "ja":
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    return f"{local.day} {local:%B %Y %H:%M}"
