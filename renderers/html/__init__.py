"""Server-rendered HTML of the citizen portal, in Japanese and English.

The web layer builds a page context (``renderers.html.pages``), for form pages with a view
from ``build_page_view``, and ``render`` turns it into a complete HTML document. Nothing
here does HTTP: static files (``renderers/static``) are served by the web layer.
"""

from renderers.html.forms import PageView, Visible, build_page_view
from renderers.html.pages import (
    AnswerRow,
    AnswerSection,
    CheckAnswersPage,
    Chrome,
    Confirmation,
    DraftItem,
    DraftList,
    ErrorPage,
    ForgotPassword,
    FormPage,
    HistoryEntry,
    Message,
    Page,
    ProcedureList,
    ProcedureSummary,
    ResetPassword,
    SignIn,
    SignUp,
    StartPage,
    StatusDetail,
    StatusItem,
    StatusList,
    StatusLookup,
    render,
)

__all__ = [
    "AnswerRow",
    "AnswerSection",
    "CheckAnswersPage",
    "Chrome",
    "Confirmation",
    "DraftItem",
    "DraftList",
    "ErrorPage",
    "ForgotPassword",
    "FormPage",
    "HistoryEntry",
    "Message",
    "Page",
    "PageView",
    "ProcedureList",
    "ProcedureSummary",
    "ResetPassword",
    "SignIn",
    "SignUp",
    "StartPage",
    "StatusDetail",
    "StatusItem",
    "StatusList",
    "StatusLookup",
    "Visible",
    "build_page_view",
    "render",
]
