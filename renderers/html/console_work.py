"""The clerks' work pages: the queues and the case page.

The conventions of ``renderers.html.pages`` hold: frozen dataclasses, ``Text`` either a
LocalizedText (from a definition) or a str already in the page's language, ``*_url`` as
the web layer routes them, ``csrf_token`` in every form. The web layer decides what the
clerk may see and do; these pages only show it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from markupsafe import Markup

from renderers.html.i18n import N_
from renderers.html.pages import AnswerSection, DocumentLink, FileLink, Text


class Option(NamedTuple):
    value: str
    label: Text
    selected: bool = False


class QueueLink(NamedTuple):
    department: str
    procedure_title: Text
    url: str
    workflow_url: str


@dataclass(frozen=True)
class ConsoleWork:
    """The console's start page: the queues of the clerk's departments."""

    email: str
    queues: Sequence[QueueLink]
    memberships: Sequence[tuple[str, str]]  # (department, role)
    admin_url: str | None = None

    template: ClassVar[str] = "console/work.html"
    heading_text: ClassVar[str] = N_("Staff console")


class QueueRow(NamedTuple):
    public_id: str
    reference: str
    url: str
    procedure_title: Text
    state_label: Text
    submitted_text: str
    due_text: str  # "" when there is no due date
    urgency: str  # "overdue", "soon" or "" (shown as text too, not by colour alone)
    assignee: str  # an email, or "" for nobody
    field_value: str | None = None  # the filtered answer field, when there is one


@dataclass(frozen=True)
class QueuePage:
    """One page of a department's queue. The filter form GETs ``url`` with ``procedure``,
    ``state``, ``assignee``, ``due_before``, ``field``, ``value`` and ``sort``; the bulk
    form posts ``case`` (public ids) and ``bulk`` to ``bulk_url``."""

    department: str
    rows: Sequence[QueueRow]
    url: str
    bulk_url: str
    csrf_token: str
    procedures: Sequence[Option]
    states: Sequence[Option]
    assignees: Sequence[Option]
    fields: Sequence[Option]
    sorts: Sequence[Option]
    bulk_actions: Sequence[Option]
    due_before: str = ""
    value: str = ""
    field_label: Text | None = None
    next_url: str | None = None
    first_url: str | None = None
    export_urls: Sequence[tuple[str, str]] = ()  # (format name, url)
    notice: str | None = None

    template: ClassVar[str] = "console/queue.html"
    heading_text: ClassVar[str] = N_("Queue of %(department)s")


class StepForm(NamedTuple):
    """A button for a step the clerk may take, with what its form needs."""

    action: str
    label: Text
    comment: str  # "required", "optional" or "none"
    votes: bool  # approve or reject (a step that needs approvals)
    correction_fields: Sequence[Option]  # fields a correction may ask for; () for none


class HistoryRow(NamedTuple):
    """One audit entry of the case. ``kind`` is the entry's kind (submitted, state_changed,
    vote, message, assigned, answers_changed, sensitive_viewed); the template words it."""

    when_text: str
    actor: str
    kind: str
    state_from: Text | None = None
    state_to: Text | None = None
    comment: str = ""
    details: Sequence[str] = ()


class VoteRow(NamedTuple):
    when_text: str
    role: str
    voter: str
    decision: str
    comment: str


class MessageRow(NamedTuple):
    when_text: str
    author: str
    kind: str  # "to_applicant", "from_applicant" or "note"
    body: str


@dataclass(frozen=True)
class CasePage:
    """One case: what the clerk may do, then everything about it. Step forms post
    ``action``, ``row_version``, ``comment``, ``decision`` and ``fields`` to ``act_url``."""

    reference: str
    procedure_title: Text
    state_label: Text
    submitted_text: str
    due_text: str
    urgency: str
    assignee: str
    row_version: int
    csrf_token: str
    act_url: str
    assign_url: str
    message_url: str
    steps: Sequence[StepForm]
    colleagues: Sequence[Option]
    sections: Sequence[AnswerSection]
    files: Sequence[FileLink]
    history: Sequence[HistoryRow]
    votes: Sequence[VoteRow]
    messages: Sequence[MessageRow]
    queue_url: str
    workflow_url: str
    documents: Sequence[DocumentLink] = ()
    preparing: Sequence[Text] = ()
    reveal_url: str | None = None  # shown when sensitive answers are masked and may be shown
    notice: str | None = None
    error: str | None = None
    comment_value: str = ""
    claimed_by_me: bool = False
    applicant_reachable: bool = True  # False: an anonymous applicant gets no mail

    template: ClassVar[str] = "console/case.html"
    heading_text: ClassVar[str] = N_("Case %(reference)s")


@dataclass(frozen=True)
class WorkflowPicture:
    """A procedure's workflow drawn as SVG (made by renderers.workflow_graph: no scripts)."""

    procedure_title: Text
    svg: Markup  # trusted: drawn by renderers.workflow_graph with every label escaped
    mermaid: str
    back_url: str

    template: ClassVar[str] = "console/workflow.html"
    heading_text: ClassVar[str] = N_("Workflow of %(procedure)s")


WorkPage = ConsoleWork | QueuePage | CasePage | WorkflowPicture
