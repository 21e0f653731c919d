"""The clerks' console: queues, the case page, steps, assignment, messages, exports and
the workflow picture. Every view starts with ``require_clerk``; a case outside the clerk's
departments is NotFound (and logged), whatever its id."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy import select
from starlette.responses import Response

from engine.answers import from_jsonable
from engine.definitions.models import Definition, Transition
from engine.documents.revocation import REVOKED, may_revoke, revoke
from engine.storage import events
from engine.storage.definitions import DefinitionStore
from engine.storage.errors import NotFound, StaleSubmission
from engine.storage.files import AttachmentService
from engine.storage.models import NO_DUE_DATE, Event, Submission
from engine.text import LocalizedText
from engine.workflow.cases import CaseService
from engine.workflow.clock import tokyo_date
from engine.workflow.queue import SORTS, UNASSIGNED, QueueFilter, Sort, queue_page
from engine.workflow.rules import Actor, Refused
from engine.workflow.service import WorkflowService
from madoguchi.web import documents, screens
from madoguchi.web.citizen import redirect
from madoguchi.web.console_auth import ClerkIdentity, clerk_service, require_clerk
from madoguchi.web.console_screens import ADMIN_URL, respond
from madoguchi.web.downloads import file_response
from madoguchi.web.endpoint import Call
from renderers.html import console_work as work
from renderers.html.pages import AnswerSection, FileLink

log = logging.getLogger("madoguchi.access")
SOON = 3  # business days: a case due within them is marked "due soon"
NOTICES = {
    "moved": LocalizedText(ja="操作を記録しました。", en="Done."),
    "voted": LocalizedText(ja="投票を記録しました。", en="Your vote is recorded."),
    "assigned": LocalizedText(ja="担当を変更しました。", en="The assignment changed."),
    "sent": LocalizedText(ja="メッセージを登録しました。", en="The message is saved."),
    "revoked": LocalizedText(ja="文書を取り消しました。", en="The document is revoked."),
}
STALE = LocalizedText(
    ja="この申請はほかの職員の操作で更新されました。最新の内容を確認してから、もう一度操作してください。",
    en="This case changed while you were looking at it. Check it again, then try once more.",
)


# Start page and queues --------------------------------------------------------------------


def home(call: Call) -> Response:
    identity = require_clerk(call)
    queues = [
        work.QueueLink(
            department=loaded.definition.department,
            procedure_title=loaded.definition.title,
            url=_queue_url(loaded.definition.department, procedure=loaded.definition.procedure),
            workflow_url=f"/console/workflows/{loaded.definition.procedure}",
        )
        for loaded in call.services.procedures
        if loaded.definition.department in identity.departments
    ]
    page = work.ConsoleWork(
        email=identity.user.email,
        queues=queues,
        memberships=[(m.department, m.role) for m in identity.memberships],
        admin_url=ADMIN_URL if identity.is_admin else None,
    )
    return respond(call, page)


def queue(call: Call) -> Response:
    identity = require_clerk(call)
    department = call.params["department"]
    if department not in identity.departments:
        raise NotFound("no such queue")
    query = call.request.query_params
    definitions = definitions_of(call, department)
    procedure = query.get("procedure") or None
    definition = definitions.get(procedure) if procedure else None
    wanted, sort = queue_filter(call, department, identity, definition)
    try:
        page = queue_page(call.db, wanted, sort=sort, after=query.get("after") or None)
    except ValueError:
        raise NotFound("no such page of the queue") from None
    emails = clerk_service(call).emails(c.assignee_user_id or "" for c in page.cases)
    rows = [_queue_row(call, case, emails, wanted) for case in page.cases]
    shown = _Shown(department, definitions, wanted, sort, rows, page.next_cursor)
    return respond(call, _queue_page(call, shown))


def bulk(call: Call) -> Response:
    """Claim, give back or take a step on the selected cases: each case the clerk may
    act on is changed; the others are counted and left as they are."""
    identity = require_clerk(call)
    department = call.params["department"]
    if department not in identity.departments:
        raise NotFound("no such queue")
    choice = call.field("bulk")
    chosen = [v for v in call.form.getlist("case") if isinstance(v, str)] if call.form else []
    done = skipped = 0
    for public_id in chosen[:200]:
        case = _find(call, public_id, identity)
        if case is None:
            skipped += 1
            continue
        try:
            with call.db.begin_nested():
                _bulk_one(call, identity, case, choice)
            done += 1
        except (Refused, StaleSubmission, ValueError):
            skipped += 1
    call.db.commit()
    return redirect(_queue_url(department, done=str(done), skipped=str(skipped)))


def _bulk_one(call: Call, identity: ClerkIdentity, case: Submission, choice: str) -> None:
    actor = _actor(identity, case)
    if choice == "claim":
        _cases(call).assign(case, identity.user.id, actor, case.row_version)
    elif choice == "unclaim":
        _cases(call).assign(case, None, actor, case.row_version)
    elif choice.startswith("step:"):
        _workflow(call).act(
            case, choice.removeprefix("step:"), actor, expected_row_version=case.row_version
        )
    else:
        raise ValueError(f"unknown bulk action {choice!r}")


# The case page ----------------------------------------------------------------------------


def case(call: Call) -> Response:
    identity = require_clerk(call)
    submission = case_of(call, identity)
    notice = NOTICES.get(call.request.query_params.get("done", ""))
    return _case_page(call, identity, submission, notice=notice)


def act(call: Call) -> Response:
    identity = require_clerk(call)
    submission = case_of(call, identity)
    comment = call.field("comment")
    fields = [v for v in call.form.getlist("fields") if isinstance(v, str)] if call.form else []
    try:
        outcome = _workflow(call).act(
            submission,
            call.field("action"),
            _actor(identity, submission),
            expected_row_version=_row_version(call),
            comment=comment,
            decision=call.field("decision") or "approve",
            correction_fields=fields,
        )
    except Refused as refusal:
        call.db.rollback()
        _log_refusal(call, identity, submission, refusal.code)
        submission = case_of(call, identity)
        error = refusal.reason(call.visitor.language)
        return _case_page(
            call, identity, submission, error=error, comment=comment, status=refusal.status
        )
    except StaleSubmission:
        call.db.rollback()
        submission = case_of(call, identity)
        error = STALE.get(call.visitor.language)
        return _case_page(call, identity, submission, error=error, comment=comment, status=409)
    call.db.commit()
    done = "moved" if outcome.moved else "voted"
    return redirect(f"/console/cases/{submission.public_id}?done={done}")


def assign(call: Call) -> Response:
    identity = require_clerk(call)
    submission = case_of(call, identity)
    how = call.field("how")
    target: str | None = identity.user.id if how == "claim" else None
    if how == "assign":
        wanted = call.field("assignee")
        colleagues = {u.id for u in clerk_service(call).in_department(submission.department)}
        target = wanted if wanted in colleagues else None
    try:
        _cases(call).assign(submission, target, _actor(identity, submission), _row_version(call))
    except StaleSubmission:
        call.db.rollback()
        submission = case_of(call, identity)
        error = STALE.get(call.visitor.language)
        return _case_page(call, identity, submission, error=error, status=409)
    call.db.commit()
    return redirect(f"/console/cases/{submission.public_id}?done=assigned")


def message(call: Call) -> Response:
    identity = require_clerk(call)
    submission = case_of(call, identity)
    kind = "note" if call.field("kind") == "note" else "to_applicant"
    try:
        _cases(call).post(submission, kind, _actor(identity, submission), call.field("body"))
    except ValueError:
        error = LocalizedText(
            ja="メッセージを1～4000文字で入力してください。",
            en="Write a message of 1 to 4000 characters.",
        ).get(call.visitor.language)
        return _case_page(call, identity, submission, error=error, status=422)
    call.db.commit()
    return redirect(f"/console/cases/{submission.public_id}?done=sent")


def revoke_document(call: Call) -> Response:
    """Revoke one of the case's documents, for the reason given (audited); the public
    verification page says so from then on."""
    identity = require_clerk(call)
    submission = case_of(call, identity)
    try:
        revoke(
            call.db,
            documents.of_case(call, submission),
            definition_of(call, submission),
            roles=identity.roles(submission.department),
            is_admin=identity.is_admin,
            actor=_actor(identity, submission).name,
            reason=call.field("reason"),
            now=_workflow(call).clock(),
        )
    except Refused as refusal:
        call.db.rollback()
        error = refusal.reason(call.visitor.language)
        return _case_page(call, identity, submission, error=error, status=refusal.status)
    call.db.commit()
    return redirect(f"/console/cases/{submission.public_id}?done=revoked")


def reveal(call: Call) -> Response:
    """The case page with sensitive answers in clear, for roles allowed to see them; the
    viewing is recorded in the audit log first."""
    identity = require_clerk(call)
    submission = case_of(call, identity)
    definition = definition_of(call, submission)
    if not _may_see_sensitive(identity, submission, definition):
        return _case_page(
            call,
            identity,
            submission,
            status=403,
            error=Refused("not_your_role").reason(call.visitor.language),
        )
    paths = definition.sensitive_paths()
    _cases(call).sensitive_viewed(submission, _actor(identity, submission), paths)
    call.db.commit()
    return _case_page(call, identity, submission, reveal=True)


def case_file(call: Call) -> Response:
    identity = require_clerk(call)
    submission = case_of(call, identity)
    files = AttachmentService(call.db, call.services.files)
    attachment = next(
        (a for a in files.for_submission(submission.id) if a.id == call.params["file"]), None
    )
    if attachment is None:
        raise NotFound("no such file")
    return file_response(attachment, files.open(attachment))


# Helpers ----------------------------------------------------------------------------------


def _workflow(call: Call) -> WorkflowService:
    services = call.services
    return WorkflowService(call.db, services.cipher, services.calendar, clock=services.clock)


def _cases(call: Call) -> CaseService:
    return CaseService(call.db, call.services.cipher, clock=call.services.clock)


def _actor(identity: ClerkIdentity, submission: Submission) -> Actor:
    return Actor(
        kind="clerk", user_id=identity.user.id, roles=identity.roles(submission.department)
    )


def _row_version(call: Call) -> int:
    try:
        return int(call.field("row_version"))
    except ValueError:
        return -1  # a form without it is stale by definition


def _find(call: Call, public_id: str, identity: ClerkIdentity) -> Submission | None:
    found = call.db.scalar(select(Submission).where(Submission.public_id == public_id))
    if found is None or found.department not in identity.departments:
        return None
    return found


def case_of(call: Call, identity: ClerkIdentity) -> Submission:
    """The case the URL names, if it is of one of the clerk's departments (else NotFound)."""
    public_id = call.params["public_id"]
    found = _find(call, public_id, identity)
    if found is None:
        log.warning(
            "case refused",
            extra={"public_id": public_id, "user_id": identity.user.id},
        )
        raise NotFound("no such case")
    return found


def definition_of(call: Call, submission: Submission) -> Definition:
    return DefinitionStore(call.db).load(submission.definition_version_id).definition


def definitions_of(call: Call, department: str) -> dict[str, Definition]:
    return {
        loaded.definition.procedure: loaded.definition
        for loaded in call.services.procedures
        if loaded.definition.department == department
    }


def _may_see_sensitive(
    identity: ClerkIdentity, submission: Submission, definition: Definition
) -> bool:
    roles = identity.roles(submission.department)
    return any(role in roles for role in definition.sensitive_roles)


def _log_refusal(call: Call, identity: ClerkIdentity, submission: Submission, code: str) -> None:
    log.warning(
        "step refused",
        extra={
            "public_id": submission.public_id,
            "user_id": identity.user.id,
            "action": call.field("action"),
            "code": code,
        },
    )


def _queue_url(department: str, **query: str) -> str:
    wanted = {k: v for k, v in query.items() if v}
    return f"/console/queues/{department}" + (f"?{urlencode(wanted)}" if wanted else "")


def _due(call: Call, due_on: date) -> tuple[str, str]:
    if due_on == NO_DUE_DATE:
        return "", ""
    today = tokyo_date(call.services.clock())
    text = screens.date_text(due_on, call.visitor.language)
    if due_on < today:
        return text, "overdue"
    soon = call.services.calendar.add_business_days(today, SOON)
    return text, "soon" if due_on <= soon else ""


def queue_filter(
    call: Call, department: str, identity: ClerkIdentity, definition: Definition | None
) -> tuple[QueueFilter, Sort]:
    query = call.request.query_params
    assignee = query.get("assignee") or None
    if assignee == "me":
        assignee = identity.user.id
    try:
        due_before = date.fromisoformat(query["due_before"]) if query.get("due_before") else None
    except ValueError:
        due_before = None
    field = query.get("field") or None
    sensitive = definition.sensitive_paths() if definition else []
    if field is not None and (definition is None or field in sensitive):
        field = None  # answers are only comparable within one procedure; never sensitive ones
    sort_text = query.get("sort") or "due"
    sort: Sort = next((s for s in SORTS if s == sort_text), "due")
    wanted = QueueFilter(
        department=department,
        procedure=definition.procedure if definition else None,
        state=query.get("state") or None,
        assignee=assignee,
        due_before=due_before,
        field=field,
        value=query.get("value") if field else None,
    )
    return wanted, sort


def _queue_row(
    call: Call, case: Submission, emails: dict[str, str], wanted: QueueFilter
) -> work.QueueRow:
    definition = definition_of(call, case)
    due_text, urgency = _due(call, case.due_on)
    value = None
    if wanted.field:
        spec = definition.field_at(wanted.field.split(".")[0])
        stored: Any = case.answers
        for part in wanted.field.split("."):
            stored = stored.get(part) if isinstance(stored, dict) else None
        value = "" if stored is None or spec is None else str(stored)
    return work.QueueRow(
        public_id=case.public_id,
        reference=case.reference,
        url=f"/console/cases/{case.public_id}",
        procedure_title=definition.title,
        state_label=definition.workflow.states[case.state].label,
        submitted_text=screens.when_text(case.submitted_at, call.visitor.language),
        due_text=due_text,
        urgency=urgency,
        assignee=emails.get(case.assignee_user_id or "", ""),
        field_value=value,
    )


@dataclass(frozen=True)
class _Shown:
    """A queue page's content, for its page object."""

    department: str
    definitions: dict[str, Definition]
    wanted: QueueFilter
    sort: Sort
    rows: list[work.QueueRow]
    next_cursor: str | None


def _queue_page(call: Call, shown: _Shown) -> work.QueuePage:
    department, definitions, wanted, sort = (
        shown.department,
        shown.definitions,
        shown.wanted,
        shown.sort,
    )
    rows = shown.rows
    language = call.visitor.language
    query = dict(call.request.query_params)
    definition = definitions.get(wanted.procedure or "")
    anything = LocalizedText(ja="すべて", en="All")
    procedures = [work.Option("", anything, not wanted.procedure)] + [
        work.Option(p, d.title, p == wanted.procedure) for p, d in definitions.items()
    ]
    states: dict[str, LocalizedText] = {}
    for d in definitions.values() if definition is None else [definition]:
        for name, state in d.workflow.states.items():
            states.setdefault(name, state.label)
    assignee = call.request.query_params.get("assignee", "")
    assignees = [
        work.Option("", anything, not assignee),
        work.Option("me", LocalizedText(ja="自分", en="Me"), assignee == "me"),
        work.Option(UNASSIGNED, LocalizedText(ja="未割当", en="Nobody"), assignee == UNASSIGNED),
    ]
    sensitive = set(definition.sensitive_paths()) if definition else set()
    field_options = [
        work.Option("", LocalizedText(ja="（指定なし）", en="(any)"), not wanted.field)
    ]
    if definition is not None:
        field_options += [
            work.Option(f.id, f.label, f.id == wanted.field)
            for f in definition.fields()
            if f.id not in sensitive and f.type_name not in ("group", "file")
        ]
    sort_names = {
        "due": LocalizedText(ja="期限の近い順", en="Due soonest"),
        "newest": LocalizedText(ja="新しい順", en="Newest"),
        "oldest": LocalizedText(ja="古い順", en="Oldest"),
    }
    bulk_actions = [
        work.Option("claim", LocalizedText(ja="自分が担当する", en="Take them")),
        work.Option("unclaim", LocalizedText(ja="担当を外す", en="Give them back")),
    ] + [
        work.Option(f"step:{t.action}", t.label or LocalizedText(ja=t.action))
        for t in _steps_of(definitions.values())
    ]
    unpaged = {k: v for k, v in query.items() if k != "after"}
    next_url = None
    if shown.next_cursor:
        next_url = _queue_url(department, **{**unpaged, "after": shown.next_cursor})
    first_url = _queue_url(department, **unpaged) if query.get("after") else None
    exports = []
    if definition is not None:
        base = {k: v for k, v in query.items() if k != "after"}
        exports = [
            ("CSV", f"/console/queues/{department}/export.csv?{urlencode(base)}"),
            ("Excel (XLSX)", f"/console/queues/{department}/export.xlsx?{urlencode(base)}"),
        ]
    notice = None
    if "done" in query:
        done, skipped = query.get("done", "0"), query.get("skipped", "0")
        notice = LocalizedText(
            ja=f"{done}件を処理しました（対象外 {skipped}件）。",
            en=f"{done} done, {skipped} left as they were.",
        ).get(language)
    return work.QueuePage(
        department=department,
        rows=rows,
        url=f"/console/queues/{department}",
        bulk_url=f"/console/queues/{department}/bulk",
        csrf_token=call.visitor.csrf_token or "",
        procedures=procedures,
        states=[work.Option("", anything, not wanted.state)]
        + [work.Option(n, label, n == wanted.state) for n, label in states.items()],
        assignees=assignees,
        fields=field_options,
        sorts=[work.Option(s, sort_names[s], s == sort) for s in SORTS],
        bulk_actions=bulk_actions,
        due_before=wanted.due_before.isoformat() if wanted.due_before else "",
        value=wanted.value or "",
        field_label=_field_label(definition, wanted.field),
        next_url=next_url,
        first_url=first_url,
        export_urls=exports,
        notice=notice,
    )


def _field_label(definition: Definition | None, path: str | None) -> LocalizedText | None:
    spec = definition.field_at(path) if definition is not None and path else None
    return spec.label if spec is not None else None


def _steps_of(definitions: Any) -> list[Transition]:
    seen: dict[str, Transition] = {}
    for definition in definitions:
        for transition in definition.workflow.transitions:
            if (
                transition.by
                and "applicant" not in transition.by
                and transition.comment != "required"
            ):
                seen.setdefault(transition.action, transition)
    return list(seen.values())


def _case_page(  # noqa: PLR0913 -- what the case page shows besides the case
    call: Call,
    identity: ClerkIdentity,
    submission: Submission,
    *,
    notice: LocalizedText | None = None,
    error: str | None = None,
    comment: str = "",
    reveal: bool = False,
    status: int = 200,
) -> Response:
    language = call.visitor.language
    definition = definition_of(call, submission)
    workflow = _workflow(call)
    cases = _cases(call)
    actor = _actor(identity, submission)
    steps = [_step_form(definition, t) for t in workflow.available(submission, actor)]
    answers = workflow.cipher.decrypt(submission.answers, definition.sensitive_paths())
    masked = not reveal
    files = AttachmentService(call.db, call.services.files).for_submission(submission.id)
    messages = cases.messages(submission, internal=True)
    votes = cases.votes(submission)
    history = workflow_events(call, submission)
    people = clerk_service(call).emails(
        [submission.assignee_user_id or ""]
        + [m.author for m in messages]
        + [v.user_id for v in votes]
        + [e.actor for e in history]
    )
    colleagues = clerk_service(call).in_department(submission.department)
    due_text, urgency = _due(call, submission.due_on)
    states = definition.workflow.states
    page = work.CasePage(
        reference=submission.reference,
        procedure_title=definition.title,
        state_label=states[submission.state].label,
        submitted_text=screens.when_text(submission.submitted_at, language),
        due_text=due_text,
        urgency=urgency,
        assignee=people.get(submission.assignee_user_id or "", ""),
        row_version=submission.row_version,
        csrf_token=call.visitor.csrf_token or "",
        act_url=f"/console/cases/{submission.public_id}/act",
        assign_url=f"/console/cases/{submission.public_id}/assign",
        message_url=f"/console/cases/{submission.public_id}/messages",
        steps=steps,
        colleagues=[
            work.Option(u.id, u.email, u.id == submission.assignee_user_id) for u in colleagues
        ],
        sections=_sections(definition, answers, language, masked=masked),
        files=[
            FileLink(f.original_name, f"/console/cases/{submission.public_id}/files/{f.id}", f.size)
            for f in files
        ],
        history=[_history_row(e, definition, people, language) for e in history],
        votes=[
            work.VoteRow(
                screens.when_text(v.created_at, language),
                v.role,
                people.get(v.user_id, v.user_id),
                v.decision,
                v.comment or "",
            )
            for v in votes
        ],
        messages=[
            work.MessageRow(
                screens.when_text(m.created_at, language),
                people.get(m.author, m.author),
                m.kind,
                m.body,
            )
            for m in messages
        ],
        queue_url=_queue_url(submission.department),
        workflow_url=f"/console/workflows/{definition.procedure}",
        documents=documents.links(
            call,
            submission,
            f"/console/cases/{submission.public_id}",
            revocable=lambda document: may_revoke(
                definition,
                document,
                identity.roles(submission.department),
                is_admin=identity.is_admin,
            ),
        ),
        preparing=documents.preparing(call, submission),
        reveal_url=f"/console/cases/{submission.public_id}/reveal"
        if masked
        and definition.sensitive_paths()
        and _may_see_sensitive(identity, submission, definition)
        else None,
        notice=notice.get(language) if notice else None,
        error=error,
        comment_value=comment,
        claimed_by_me=submission.assignee_user_id == identity.user.id,
        applicant_reachable=submission.applicant_user_id is not None,
    )
    return respond(call, page, status=status)


def workflow_events(call: Call, submission: Submission) -> list[Event]:
    return events.for_submission(call.db, submission.id)


def _history_row(
    event: Event, definition: Definition, people: dict[str, str], language: str
) -> work.HistoryRow:
    data = event.data
    states = definition.workflow.states

    def label(field_id: str) -> str:
        spec = definition.field(field_id)
        return spec.label.get(language) if spec is not None else field_id

    details: list[str] = []
    if event.kind == "answers_changed":
        details = [
            f"{label(c['field'])}: {c['before']} → {c['after']}" for c in data.get("changes", [])
        ]
    if event.kind == "vote":
        details = [f"{data.get('role')}: {data.get('decision')}"]
    if event.kind == "assigned":
        details = [people.get(data.get("to") or "", "—")]
    if event.kind == REVOKED:
        title = definition.document_title(str(data.get("document")))
        details = [title.get(language), str(data.get("reason", ""))]
    if data.get("fields"):
        details.extend(label(field_id) for field_id in data["fields"])
    state_from = states[data["from"]].label if event.kind == "state_changed" else None
    state_to = states[data["to"]].label if event.kind == "state_changed" else None
    return work.HistoryRow(
        when_text=screens.when_text(event.created_at, language),
        actor=people.get(event.actor, event.actor),
        kind=event.kind,
        state_from=state_from,
        state_to=state_to,
        comment=str(data.get("comment", "")),
        details=details,
    )


def _step_form(definition: Definition, transition: Transition) -> work.StepForm:
    target = definition.workflow.states[transition.to].applicant_edits
    correction = (
        [work.Option(f.id, f.label) for f in definition.fields()] if target is not False else []
    )
    return work.StepForm(
        action=transition.action,
        label=transition.label or LocalizedText(ja=transition.action),
        comment=transition.comment,
        votes=transition.approvals is not None,
        correction_fields=correction,
    )


def _sections(
    definition: Definition, answers: dict[str, Any], language: str, *, masked: bool
) -> list[AnswerSection]:
    revived = from_jsonable(definition, answers)
    return screens.answer_sections(definition, revived, language, None, mask_sensitive=masked)


def case_document(call: Call) -> Response:
    identity = require_clerk(call)
    submission = case_of(call, identity)
    return documents.download(call, submission, documents.of_case(call, submission))


def workflow_picture(call: Call) -> Response:
    require_clerk(call)
    procedure = call.params["procedure"]
    loaded = next(
        (p for p in call.services.procedures if p.definition.procedure == procedure), None
    )
    if loaded is None:
        raise NotFound("no such procedure")
    from renderers import workflow_graph  # noqa: PLC0415 -- only this page draws

    language = call.visitor.language
    page = work.WorkflowPicture(
        procedure_title=loaded.definition.title,
        svg=Markup(workflow_graph.svg(loaded.definition, language)),  # noqa: S704 -- escaped by the drawer
        mermaid=workflow_graph.mermaid(loaded.definition, language),
        back_url="/console",
    )
    return respond(call, page)
