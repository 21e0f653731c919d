"""Exports of a queue (CSV, XLSX) for the clerks of its department: the queue's filters,
one procedure at a time, sensitive answers only for the roles allowed to see them. Every
export is recorded in the audit log."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from starlette.responses import Response, StreamingResponse

from engine.definitions.models import Definition
from engine.storage import events
from engine.storage.errors import NotFound
from engine.storage.models import NO_DUE_DATE, Submission
from engine.workflow.clock import TOKYO
from engine.workflow.queue import QueueFilter, Sort, queue_page
from madoguchi.web.console import definition_of, definitions_of, queue_filter
from madoguchi.web.console_auth import ClerkIdentity, clerk_service, require_clerk
from madoguchi.web.downloads import content_disposition
from madoguchi.web.endpoint import Call
from renderers.exports import ExportRow, csv_chunks, write_xlsx

MAX_ROWS = 50_000  # a larger export is refused: narrow the filters
_PAGE = 500
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export(call: Call) -> Response:
    identity = require_clerk(call)
    department, fmt = call.params["department"], call.params["format"]
    if department not in identity.departments or fmt not in FORMATS:
        raise NotFound("no such export")
    definition = definitions_of(call, department).get(
        call.request.query_params.get("procedure", "")
    )
    if definition is None:
        raise NotFound("choose a procedure to export")
    wanted, sort = queue_filter(call, department, identity, definition)
    include_sensitive = _may_export_sensitive(identity, department, definition)
    rows = list(_rows(call, wanted, sort, include_sensitive))
    events.append(
        call.db,
        "exported",
        submission_id=None,
        actor=identity.user.id,
        data={
            "department": department,
            "procedure": definition.procedure,
            "rows": len(rows),
            "sensitive": include_sensitive,
        },
    )
    call.db.commit()
    language = call.visitor.language
    name = f"{definition.procedure}-{call.services.clock().astimezone(TOKYO):%Y%m%d-%H%M}.{fmt}"
    headers = {
        "content-disposition": content_disposition(name),
        "cache-control": "private, no-store",
    }
    if fmt == "csv":
        chunks = csv_chunks(
            definition, rows, language=language, include_sensitive=include_sensitive
        )
        return StreamingResponse(chunks, media_type=FORMATS[fmt], headers=headers)
    return StreamingResponse(
        _xlsx(definition, rows, language, include_sensitive),
        media_type=FORMATS[fmt],
        headers=headers,
    )


def _may_export_sensitive(identity: ClerkIdentity, department: str, definition: Definition) -> bool:
    roles = identity.roles(department)
    return any(role in roles for role in definition.sensitive_roles)


def _rows(
    call: Call, wanted: QueueFilter, sort: Sort, include_sensitive: bool
) -> Iterator[ExportRow]:
    emails: dict[str, str] = {}
    cursor, count = None, 0
    while True:
        page = queue_page(call.db, wanted, sort=sort, after=cursor, limit=_PAGE)
        missing = {c.assignee_user_id for c in page.cases if c.assignee_user_id} - set(emails)
        emails |= clerk_service(call).emails(missing)
        for case in page.cases:
            count += 1
            if count > MAX_ROWS:
                raise NotFound(f"more than {MAX_ROWS} cases: narrow the filters")
            yield _row(call, case, emails, include_sensitive)
        cursor = page.next_cursor
        if cursor is None:
            return


def _row(
    call: Call, case: Submission, emails: dict[str, str], include_sensitive: bool
) -> ExportRow:
    definition = definition_of(call, case)
    answers = case.answers
    if include_sensitive:
        answers = call.services.cipher.decrypt(answers, definition.sensitive_paths())
    state = definition.workflow.states[case.state].label.get(call.visitor.language)
    return ExportRow(
        reference=case.reference,
        state=state,
        submitted_at=case.submitted_at.astimezone(TOKYO),
        due_date=None if case.due_on == NO_DUE_DATE else case.due_on,
        assignee=emails.get(case.assignee_user_id or ""),
        answers=answers,
    )


def _xlsx(
    definition: Definition, rows: list[ExportRow], language: str, include_sensitive: bool
) -> Iterator[bytes]:
    with tempfile.TemporaryFile() as target:
        write_xlsx(definition, rows, target, language=language, include_sensitive=include_sensitive)
        target.seek(0)
        while chunk := target.read(64 * 1024):
            yield chunk
