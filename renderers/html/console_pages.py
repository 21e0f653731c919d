"""The pages of the clerks' console that come before its work: sign-in with a second factor,
setting a password, and the admin's management of clerks.

The conventions of ``renderers.html.pages`` hold: one frozen dataclass per page, ``*_url``
fields as the web layer routes them, ``csrf_token`` in every form, and ``errors`` mapping an
input name to its message (already in the page's language; the key "" is about the whole
form). ``render(page, language, chrome)`` returns the complete document.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

from markupsafe import Markup

from renderers.html.console_work import CasePage, QueuePage, WorkflowPicture, WorkPage
from renderers.html.environment import environment
from renderers.html.i18n import N_, translations
from renderers.html.pages import ERROR_TITLE, SERVICE_NAME, Chrome, SummaryError, Text

CONSOLE_NAME = N_("Staff console")
_Gettext = Callable[[str], str]


@dataclass(frozen=True)
class ConsoleChrome(Chrome):
    """The console's header: who is signed in (a clerk past the second factor, or nobody),
    and for admins the link to the clerks' list."""

    home_url: str = "/console"
    sign_in_url: str = "/console/sign-in"
    sign_out_url: str = "/console/sign-out"
    admin_url: str | None = None


# Sign-in ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsoleSignIn:
    """The password step: posts ``email`` and ``password``."""

    csrf_token: str
    action_url: str = "/console/sign-in"
    email_value: str = ""
    errors: Mapping[str, str] = field(default_factory=dict)

    template: ClassVar[str] = "console/sign_in.html"
    inputs: ClassVar[tuple[str, ...]] = ("email", "password")
    heading_text: ClassVar[str] = N_("Sign in to the staff console")


@dataclass(frozen=True)
class SecondFactorPrompt:
    """The second step: posts ``code`` (from the authenticator app) or ``recovery_code``."""

    csrf_token: str
    action_url: str
    errors: Mapping[str, str] = field(default_factory=dict)

    template: ClassVar[str] = "console/code.html"
    inputs: ClassVar[tuple[str, ...]] = ("code",)
    heading_text: ClassVar[str] = N_("Enter the code from your authenticator app")


@dataclass(frozen=True)
class Enrollment:
    """First sign-in: add the account to an authenticator app (QR code, or the secret typed
    in), then post a ``code`` from the app to confirm."""

    csrf_token: str
    action_url: str
    secret: str
    provisioning_uri: str
    errors: Mapping[str, str] = field(default_factory=dict)

    template: ClassVar[str] = "console/enroll.html"
    inputs: ClassVar[tuple[str, ...]] = ("code",)
    heading_text: ClassVar[str] = N_("Set up two-factor sign-in")

    @property
    def secret_groups(self) -> str:
        """The secret in groups of four, as apps show it and people copy it."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))

    def qr_code(self, title: str) -> Markup:
        """The provisioning URI as an inline SVG QR code, titled for screen readers."""
        import segno  # noqa: PLC0415 -- only this page draws QR codes

        code = segno.make(self.provisioning_uri, error="m")
        svg = code.svg_inline(scale=4, border=4, title=title, svgclass="qr-code__image")
        return Markup(svg)  # noqa: S704 -- segno's own markup; it escapes the title


@dataclass(frozen=True)
class RecoveryCodes:
    """The recovery codes, shown this once, then on to ``continue_url``."""

    codes: Sequence[str]
    continue_url: str

    template: ClassVar[str] = "console/recovery_codes.html"
    heading_text: ClassVar[str] = N_("Save your recovery codes")


@dataclass(frozen=True)
class SetPassword:
    """A new clerk's first password (or a new one an admin sent a link for): posts
    ``password``; the link's token belongs in ``action_url``."""

    csrf_token: str
    action_url: str
    email: str
    errors: Mapping[str, str] = field(default_factory=dict)

    template: ClassVar[str] = "console/set_password.html"
    inputs: ClassVar[tuple[str, ...]] = ("password",)
    heading_text: ClassVar[str] = N_("Choose your password")


@dataclass(frozen=True)
class ConsoleMessage:
    title: Text
    body: Text  # plain text; blank lines separate paragraphs
    link_url: str | None = None
    link_text: Text | None = None

    template: ClassVar[str] = "console/message.html"


# The admin's pages ----------------------------------------------------------------------


class MembershipOption(NamedTuple):
    """A checkbox ``membership`` with value ``department:role``."""

    department: str
    role: str
    checked: bool = False

    @property
    def value(self) -> str:
        return f"{self.department}:{self.role}"

    @property
    def id(self) -> str:
        return f"membership-{self.department}-{self.role}"


def by_department(options: Sequence[MembershipOption]) -> list[tuple[str, list[MembershipOption]]]:
    """The options grouped under their department (one fieldset each), in order."""
    groups: dict[str, list[MembershipOption]] = {}
    for option in options:
        groups.setdefault(option.department, []).append(option)
    return list(groups.items())


class ClerkRow(NamedTuple):
    email: str
    memberships: Sequence[tuple[str, str]]
    is_admin: bool
    disabled: bool
    has_password: bool
    enrolled: bool
    url: str


@dataclass(frozen=True)
class ClerkList:
    """Every clerk, and the form to add one: posts ``email``, ``language``, ``admin``
    (checkbox) and ``membership`` (checkboxes) to ``action_url``; the new clerk is mailed a
    link to set a password."""

    rows: Sequence[ClerkRow]
    options: Sequence[MembershipOption]
    csrf_token: str
    action_url: str = "/console/admin/users"
    email_value: str = ""
    language_value: str = "ja"
    admin_checked: bool = False
    errors: Mapping[str, str] = field(default_factory=dict)

    template: ClassVar[str] = "console/admin_users.html"
    inputs: ClassVar[tuple[str, ...]] = ("email", "memberships")
    heading_text: ClassVar[str] = N_("Clerks")

    @property
    def groups(self) -> list[tuple[str, list[MembershipOption]]]:
        return by_department(self.options)


@dataclass(frozen=True)
class ClerkEdit:
    """One clerk. Every form posts to ``action_url`` with a button ``action``: ``save``
    (``membership`` checkboxes and ``admin``), ``disable``, ``enable``,
    ``reset_second_factor`` or ``send_link`` (a new set-password link). ``notice`` says
    what the previous action did."""

    row: ClerkRow
    options: Sequence[MembershipOption]
    csrf_token: str
    action_url: str
    list_url: str = "/console/admin/users"
    notice: str | None = None
    errors: Mapping[str, str] = field(default_factory=dict)

    template: ClassVar[str] = "console/admin_user.html"
    inputs: ClassVar[tuple[str, ...]] = ("memberships", "admin")
    heading_text: ClassVar[str] = N_("Clerk %(email)s")

    @property
    def groups(self) -> list[tuple[str, list[MembershipOption]]]:
        return by_department(self.options)


ConsolePage = (
    ConsoleSignIn
    | SecondFactorPrompt
    | Enrollment
    | RecoveryCodes
    | SetPassword
    | ConsoleMessage
    | ClerkList
    | ClerkEdit
    | WorkPage
)


def render(page: ConsolePage, language: str, chrome: ConsoleChrome) -> str:
    """The page as a complete HTML document in ``language`` ("ja" or "en")."""
    if chrome.language != language:
        raise ValueError(f"chrome is for {chrome.language!r}, the page for {language!r}")
    gettext = translations(language).gettext
    heading = _heading(page, language, gettext)
    errors = _summary_errors(page)
    parts = dict.fromkeys([heading, gettext(CONSOLE_NAME), gettext(SERVICE_NAME)])
    title = " - ".join(parts)
    return (
        environment()
        .get_template(page.template)
        .render(
            page=page,
            chrome=chrome,
            lang=language,
            heading=heading,
            title=gettext(ERROR_TITLE) % {"title": title} if errors else title,
            answers_form=None,
            errors=errors,
            gettext=gettext,
            ngettext=translations(language).ngettext,
        )
    )


def _heading(page: ConsolePage, language: str, gettext: _Gettext) -> str:
    if isinstance(page, ConsoleMessage):
        return page.title if isinstance(page.title, str) else page.title.get(language)
    if isinstance(page, ClerkEdit):
        return gettext(page.heading_text) % {"email": page.row.email}
    if isinstance(page, QueuePage):
        return gettext(page.heading_text) % {"department": page.department}
    if isinstance(page, CasePage):
        return gettext(page.heading_text) % {"reference": page.reference}
    if isinstance(page, WorkflowPicture):
        title = page.procedure_title
        return gettext(page.heading_text) % {
            "procedure": title if isinstance(title, str) else title.get(language)
        }
    return gettext(page.heading_text)


def _summary_errors(page: ConsolePage) -> list[SummaryError]:
    if isinstance(page, CasePage):
        return [SummaryError(page.error, None)] if page.error else []
    errors: Mapping[str, str] = getattr(page, "errors", {})
    inputs: tuple[str, ...] = getattr(page, "inputs", ("",))
    return [
        SummaryError(text, name if name in inputs else inputs[0]) for name, text in errors.items()
    ]
