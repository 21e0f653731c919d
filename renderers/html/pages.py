"""The pages of the citizen portal: one frozen dataclass per page, and ``render``.

The web layer fills a page's dataclass and calls ``render(page, language, chrome)``; it gets
a complete HTML document back. Conventions for the fields:

- ``Text`` is either a ``LocalizedText`` (anything that comes from a definition: titles,
  labels, state labels) or a plain ``str`` already in the page's language (dates, periods,
  and the web layer's own messages). The templates pick the language of the former.
- ``*_url`` fields are URLs the page links to or posts to, as the web layer routes them.
- ``csrf_token`` is written into every form as the hidden input ``csrf_token``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

from engine.answers import AnswerError
from engine.definitions.models import Definition
from engine.text import LocalizedText
from renderers.html.environment import environment
from renderers.html.forms import PageView
from renderers.html.i18n import N_, translations
from renderers.html.widgets import size_text

Text = str | LocalizedText
_Gettext = Callable[[str], str]

SERVICE_NAME = N_("Madoguchi")
FORM_ID = "answers"  # the id of a form page's <form>
ERROR_TITLE = N_("Error: %(title)s")


@dataclass(frozen=True)
class Chrome:
    """What every page's header and footer need: the language, the link to the same page in
    the other language, and who is signed in. ``static_url`` is where madoguchi.css and
    madoguchi.js are served from."""

    language: str
    switch_language_url: str
    user_email: str | None = None
    csrf_token: str | None = None  # for the sign-out form; a link to sign_out_url without it
    home_url: str = "/"
    sign_in_url: str = "/sign-in"
    sign_out_url: str = "/sign-out"  # POSTed to with csrf_token
    applications_url: str = "/applications"  # a signed-in citizen's applications
    drafts_url: str = "/drafts"
    status_lookup_url: str = "/status"  # an application made without an account
    static_url: str = "/static/"


class SummaryError(NamedTuple):
    """A line of the error summary; ``target`` is the id of the input it links to."""

    text: str
    target: str | None


# Procedures and forms ------------------------------------------------------------------


@dataclass(frozen=True)
class ProcedureSummary:
    """One procedure in the list. ``submitters`` is the definition's ``citizen`` (sign in
    to apply) or ``anyone``; ``url`` starts it (``/procedures/{id}`` when None)."""

    id: str
    title: Text
    summary: Text | None
    submitters: str
    processing_period_text: str | None
    url: str | None = None

    @property
    def href(self) -> str:
        return self.url or f"/procedures/{self.id}"


@dataclass(frozen=True)
class ProcedureList:
    procedures: Sequence[ProcedureSummary]

    template: ClassVar[str] = "procedure_list.html"
    heading_text: ClassVar[str] = N_("Apply online")


@dataclass(frozen=True)
class StartPage:
    """A procedure's start page: what it is for, how long it takes, what it costs. Posts
    ``csrf_token`` to ``action_url`` to start; with ``sign_in_url`` (the procedure needs an
    account and nobody is signed in) it links there instead."""

    procedure: Definition
    action_url: str
    csrf_token: str
    processing_period_text: str | None = None
    sign_in_url: str | None = None

    template: ClassVar[str] = "start_page.html"


@dataclass(frozen=True)
class FormPage:
    """One page of a procedure's form (``page_view`` from ``build_page_view``).

    The form posts to ``action_url`` with ``csrf_token`` and a button ``action``:
    ``continue``, ``save``, ``add:<group path>``, ``remove:<group path>[<index>]``,
    ``remove-file:<stored file id>``, and ``language:<ja|en>`` from the header's language
    switch, which posts this form (form id ``answers``) so typed answers are kept.
    ``errors`` feed the error summary (also errors without an input on this page);
    ``draft_notice`` is shown as a notice (URLs in it become links)."""

    procedure: Definition
    page_view: PageView
    step: int
    steps: int
    action_url: str
    back_url: str | None
    csrf_token: str
    errors: Sequence[AnswerError] = ()
    draft_notice: str | None = None
    can_save: bool = True  # offer "save and continue later"

    template: ClassVar[str] = "form_page.html"

    @property
    def visibility_url(self) -> str:
        """Where the script posts the form to learn which conditional fields to show."""
        joiner = "&" if "?" in self.action_url else "?"
        return f"{self.action_url}{joiner}preview=visibility"


class FileLink(NamedTuple):
    """An attached file the reader may download; ``size`` in bytes."""

    name: str
    url: str
    size: int

    @property
    def size_text(self) -> str:
        return size_text(self.size)


class AnswerRow(NamedTuple):
    label: Text
    value: str  # the answer as the field displays it; line breaks are kept


@dataclass(frozen=True)
class AnswerSection:
    """The answers of one page; ``change_url`` goes back to that page (None: no link)."""

    page_id: str
    title: Text
    change_url: str | None
    rows: Sequence[AnswerRow | tuple[Text, str]]


@dataclass(frozen=True)
class CheckAnswersPage:
    """Check your answers, then submit: posts ``csrf_token``, ``submit_token`` (the
    idempotency key) and ``action=submit`` to ``action_url``."""

    procedure: Definition
    sections: Sequence[AnswerSection]
    action_url: str
    csrf_token: str
    submit_token: str
    back_url: str | None = None

    template: ClassVar[str] = "check_answers.html"
    heading_text: ClassVar[str] = N_("Check your answers before you submit")


@dataclass(frozen=True)
class Confirmation:
    """After submitting. ``access_code`` (no account) is shown this once, with a warning;
    ``next_steps`` is the state's description, what happens next."""

    procedure: Definition
    reference: str
    access_code: str | None
    state_label: Text
    processing_period_text: str | None
    status_url: str
    next_steps: Text | None = None

    template: ClassVar[str] = "confirmation.html"
    heading_text: ClassVar[str] = N_("Application submitted")


# Applications ------------------------------------------------------------------------------


class StatusItem(NamedTuple):
    reference: str
    procedure_title: Text
    state_label: Text
    submitted_at_text: str
    url: str


@dataclass(frozen=True)
class StatusList:
    items: Sequence[StatusItem]

    template: ClassVar[str] = "status_list.html"
    heading_text: ClassVar[str] = N_("Your applications")


class HistoryEntry(NamedTuple):
    when_text: str
    text: Text


class StaffMessage(NamedTuple):
    """A message between the applicant and the office; ``from_staff`` says who wrote it."""

    when_text: str
    from_staff: bool
    body: str


class DocumentLink(NamedTuple):
    """An issued document (a signed PDF) the reader may download."""

    title: Text
    url: str
    issued_text: str
    verify_url: str
    revoked_text: str | None = None  # when it was revoked; None while it stands
    revoke_url: str | None = None  # the console's revoking form posts here, when allowed


class ApplicantStep(NamedTuple):
    """A step the applicant may take (withdraw, send the corrected application...)."""

    action: str
    label: Text


@dataclass(frozen=True)
class StatusDetail:
    """One application: its state, what happened (oldest first) and the answers given.
    ``edit_url`` links to correcting the answers when the state allows it. Step buttons
    post ``action`` and ``row_version`` to ``act_url``; the reply form posts ``body`` to
    ``message_url`` (both only for a signed-in applicant: None otherwise)."""

    procedure: Definition
    reference: str
    state_label: Text
    history: Sequence[HistoryEntry | tuple[str, Text]]
    sections: Sequence[AnswerSection]
    state_description: Text | None = None
    edit_url: str | None = None
    files: Sequence[FileLink] = ()
    messages: Sequence[StaffMessage] = ()
    steps: Sequence[ApplicantStep] = ()
    act_url: str | None = None
    message_url: str | None = None
    row_version: int = 0
    csrf_token: str = ""
    notice: str | None = None
    error: str | None = None
    documents: Sequence[DocumentLink] = ()
    preparing: Sequence[Text] = ()  # documents asked for and not issued yet

    template: ClassVar[str] = "status_detail.html"
    heading_text: ClassVar[str] = N_("Application %(reference)s")


@dataclass(frozen=True)
class VerifyPage:
    """What a verification code stands for, for anyone holding the printed document:
    ``document`` is None for an unknown code. ``revoked_text`` says when it was revoked
    (None: it stands).
    After an upload (posted as ``document`` with ``csrf_token`` to ``upload_url``),
    ``verdict`` is the signature check's code (valid, altered, untrusted, not_signed,
    updated_after_signing, unreadable) and ``document`` what we issued with that file's
    SHA-256, if anything."""

    code: str = ""
    document: Text | None = None
    procedure_title: Text | None = None
    reference: str = ""
    issued_text: str = ""
    sha256: str = ""
    revoked_text: str | None = None
    verdict: str | None = None
    csrf_token: str = ""
    upload_url: str = "/verify"

    template: ClassVar[str] = "verify.html"
    heading_text: ClassVar[str] = N_("Check a document")


@dataclass(frozen=True)
class StatusLookup:
    """Find an application made without an account: posts ``reference`` and
    ``access_code`` (with ``csrf_token``) to ``action_url``."""

    csrf_token: str
    errors: Sequence[str] = ()
    reference_value: str = ""
    action_url: str = "/status"

    template: ClassVar[str] = "status_lookup.html"
    heading_text: ClassVar[str] = N_("Check the progress of an application")


class DraftItem(NamedTuple):
    procedure_title: Text
    updated_text: str
    url: str


@dataclass(frozen=True)
class DraftList:
    items: Sequence[DraftItem]

    template: ClassVar[str] = "draft_list.html"
    heading_text: ClassVar[str] = N_("Saved applications")


# Accounts ------------------------------------------------------------------------------------
#
# Account forms post ``email`` and ``password`` (with ``csrf_token``) to ``action_url``.
# ``errors`` maps an input name (``email``, ``password``) to its message, already in the
# page's language; the key "" is a message about the whole form (wrong email or password).


@dataclass(frozen=True)
class SignIn:
    csrf_token: str
    action_url: str = "/sign-in"
    email_value: str = ""
    errors: Mapping[str, str] = field(default_factory=dict)
    sign_up_url: str = "/sign-up"
    forgot_password_url: str = "/forgot-password"  # noqa: S105 -- a URL, not a password

    template: ClassVar[str] = "sign_in.html"
    inputs: ClassVar[tuple[str, ...]] = ("email", "password")
    heading_text: ClassVar[str] = N_("Sign in")


@dataclass(frozen=True)
class SignUp:
    csrf_token: str
    action_url: str = "/sign-up"
    email_value: str = ""
    errors: Mapping[str, str] = field(default_factory=dict)
    sign_in_url: str = "/sign-in"

    template: ClassVar[str] = "sign_up.html"
    inputs: ClassVar[tuple[str, ...]] = ("email", "password")
    heading_text: ClassVar[str] = N_("Create an account")


@dataclass(frozen=True)
class ForgotPassword:
    csrf_token: str
    action_url: str = "/forgot-password"
    email_value: str = ""
    errors: Mapping[str, str] = field(default_factory=dict)

    template: ClassVar[str] = "forgot_password.html"
    inputs: ClassVar[tuple[str, ...]] = ("email",)
    heading_text: ClassVar[str] = N_("Reset your password")


@dataclass(frozen=True)
class ResetPassword:
    """Choose a new password; the reset token belongs in ``action_url``."""

    csrf_token: str
    action_url: str
    errors: Mapping[str, str] = field(default_factory=dict)

    template: ClassVar[str] = "reset_password.html"
    inputs: ClassVar[tuple[str, ...]] = ("password",)
    heading_text: ClassVar[str] = N_("Choose a new password")


@dataclass(frozen=True)
class Message:
    """A page that tells the citizen something (check your email, signed out)."""

    title: Text
    body: Text  # plain text; blank lines separate paragraphs
    link_url: str | None = None
    link_text: Text | None = None

    template: ClassVar[str] = "message.html"


@dataclass(frozen=True)
class ErrorPage:
    status: int
    title: Text
    body: Text

    template: ClassVar[str] = "error.html"


Page = (
    ProcedureList
    | StartPage
    | FormPage
    | CheckAnswersPage
    | Confirmation
    | StatusList
    | StatusDetail
    | StatusLookup
    | VerifyPage
    | DraftList
    | SignIn
    | SignUp
    | ForgotPassword
    | ResetPassword
    | Message
    | ErrorPage
)
AccountPage = SignIn | SignUp | ForgotPassword | ResetPassword


def render(page: Page, language: str, chrome: Chrome | None = None) -> str:
    """The page as a complete HTML document in ``language`` ("ja" or "en")."""
    tr = translations(language)  # refuses a language we do not speak
    if chrome is None:
        other = "en" if language == "ja" else "ja"
        chrome = Chrome(language=language, switch_language_url=f"?lang={other}")
    elif chrome.language != language:
        raise ValueError(f"chrome is for {chrome.language!r}, the page for {language!r}")
    heading = _heading(page, language, tr.gettext)
    errors = summary_errors(page, language)
    template = environment().get_template(page.template)
    return template.render(
        page=page,
        chrome=chrome,
        lang=language,
        heading=heading,
        title=_title(page, heading, language, tr.gettext, bool(errors)),
        # On a form page the language switch posts the form, so typed answers are kept.
        answers_form=FORM_ID if isinstance(page, FormPage) else None,
        errors=errors,
        gettext=tr.gettext,
        ngettext=tr.ngettext,
    )


def _heading(page: Page, language: str, gettext: _Gettext) -> str:
    """The page's <h1>, also the first part of its <title>."""
    if isinstance(page, FormPage):
        return page.page_view.title
    if isinstance(page, StartPage):
        return page.procedure.title.get(language)
    if isinstance(page, Message | ErrorPage):
        return _text(page.title, language)
    if isinstance(page, StatusDetail):
        return gettext(page.heading_text) % {"reference": page.reference}
    return gettext(page.heading_text)


def _title(page: Page, heading: str, language: str, gettext: _Gettext, errors: bool) -> str:
    """``<page> - <procedure> - 窓口``, after ``エラー: `` when the page shows errors."""
    parts = [heading]
    procedure = getattr(page, "procedure", None)
    if isinstance(procedure, Definition) and not isinstance(page, StartPage):
        parts.append(procedure.title.get(language))
    parts.append(gettext(SERVICE_NAME))
    title = " - ".join(parts)
    return gettext(ERROR_TITLE) % {"title": title} if errors else title


def summary_errors(page: Page, language: str) -> list[SummaryError]:
    """The errors the summary at the top of the page lists, each linked to its input."""
    if isinstance(page, FormPage):
        view = page.page_view
        return [SummaryError(e.message.get(language), view.target_for(e.path)) for e in page.errors]
    if isinstance(page, StatusLookup):
        return [SummaryError(text, "reference") for text in page.errors]
    if isinstance(page, StatusDetail):
        return [SummaryError(page.error, None)] if page.error else []
    if isinstance(page, AccountPage):
        inputs = page.inputs
        return [
            SummaryError(text, name if name in inputs else inputs[0])
            for name, text in page.errors.items()
        ]
    return []


def _text(value: Text, language: str) -> str:
    return value.get(language) if isinstance(value, LocalizedText) else value
