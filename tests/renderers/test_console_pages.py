"""The console's sign-in and admin pages, as people and their assistive technology meet them."""

from __future__ import annotations

from dataclasses import replace

import pytest
from markupsafe import Markup

from engine.text import LocalizedText
from renderers.html.console_pages import (
    ClerkEdit,
    ClerkList,
    ClerkRow,
    ConsoleChrome,
    ConsoleMessage,
    ConsolePage,
    ConsoleSignIn,
    Enrollment,
    MembershipOption,
    RecoveryCodes,
    SecondFactorPrompt,
    SetPassword,
    render,
)
from renderers.html.console_work import (
    CasePage,
    ConsoleWork,
    HistoryRow,
    MessageRow,
    Option,
    QueueLink,
    QueuePage,
    QueueRow,
    StepForm,
    VoteRow,
    WorkflowPicture,
)
from renderers.html.pages import AnswerSection, FileLink
from tests.renderers.checks import check_page
from tests.renderers.conftest import CSRF, LANGUAGES
from tests.renderers.html_tree import Element

SCRIPT = "<script>alert(1)</script>"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 -- a made-up TOTP secret
URI = f"otpauth://totp/Madoguchi:suzuki%40city.example.jp?secret={SECRET}&issuer=Madoguchi"
OPTIONS = [
    MembershipOption("kodomo-katei", "clerk", checked=True),
    MembershipOption("kodomo-katei", "section_chief"),
    MembershipOption("seiso", "clerk"),
]
ROW = ClerkRow(
    email="suzuki@city.example.jp",
    memberships=[("kodomo-katei", "clerk")],
    is_admin=False,
    disabled=False,
    has_password=True,
    enrolled=True,
    url="/console/admin/users/1",
)


SVG = '<svg role="img" aria-labelledby="t"><title id="t">x</title></svg>'
TITLE = LocalizedText(ja="保育所等の利用申込み", en="Childcare")
OPTION = Option("x", LocalizedText(ja="選択肢", en="Choice"), True)
QUEUE = QueuePage(
    department="kodomo-katei",
    rows=[
        QueueRow(
            "p1",
            "MD-ABC-DEF-GHJ",
            "/console/cases/p1",
            TITLE,
            TITLE,
            "2026年11月26日",
            "2026年12月24日",
            "overdue",
            SCRIPT,
            SCRIPT,
        ),
        QueueRow(
            "p2", "MD-ABC-DEF-GHK", "/console/cases/p2", TITLE, TITLE, "2026年11月26日", "", "", ""
        ),
    ],
    url="/console/queues/kodomo-katei",
    bulk_url="/console/queues/kodomo-katei/bulk",
    csrf_token=CSRF,
    procedures=[OPTION],
    states=[OPTION],
    assignees=[OPTION],
    fields=[OPTION],
    sorts=[OPTION],
    bulk_actions=[OPTION],
    field_label=TITLE,
    next_url="/console/queues/kodomo-katei?after=x",
    export_urls=[("CSV", "/x.csv")],
)
CASE = CasePage(
    reference="MD-ABC-DEF-GHJ",
    procedure_title=TITLE,
    state_label=TITLE,
    submitted_text="2026年11月26日",
    due_text="2026年12月24日",
    urgency="soon",
    assignee=SCRIPT,
    row_version=3,
    csrf_token=CSRF,
    act_url="/console/cases/p1/act",
    assign_url="/console/cases/p1/assign",
    message_url="/console/cases/p1/messages",
    steps=[
        StepForm("request_correction", TITLE, "required", False, [OPTION]),
        StepForm("pass_inspection", TITLE, "optional", True, []),
    ],
    colleagues=[OPTION],
    sections=[AnswerSection("p", TITLE, None, [(TITLE, SCRIPT)])],
    files=[FileLink(SCRIPT, "/f", 1200)],
    history=[HistoryRow("2026年11月26日", SCRIPT, "state_changed", TITLE, TITLE, SCRIPT)],
    votes=[VoteRow("2026年11月26日", "fire_inspector", SCRIPT, "approve", SCRIPT)],
    messages=[MessageRow("2026年11月26日", SCRIPT, "note", SCRIPT)],
    queue_url="/console/queues/kodomo-katei",
    workflow_url="/w",
    reveal_url="/console/cases/p1/reveal",
    notice="保存しました。",
)


def every_page() -> dict[str, ConsolePage]:
    return {
        "sign-in": ConsoleSignIn(CSRF),
        "sign-in-errors": ConsoleSignIn(CSRF, email_value=SCRIPT, errors={"email": "違います"}),
        "code": SecondFactorPrompt(CSRF, "/console/sign-in/code"),
        "code-errors": SecondFactorPrompt(CSRF, "/console/sign-in/code", {"code": "違います"}),
        "enroll": Enrollment(CSRF, "/console/enroll", SECRET, URI),
        "enroll-errors": Enrollment(CSRF, "/console/enroll", SECRET, URI, {"code": "違います"}),
        "recovery-codes": RecoveryCodes(["abcd-efgh-ijkl-mnop", "qrst-uvwx-yz23-4567"], "/console"),
        "set-password": SetPassword(CSRF, "/console/set-password?token=t", "a@city.example.jp"),
        "set-password-errors": SetPassword(
            CSRF, "/console/set-password?token=t", "a@city.example.jp", {"password": "短い"}
        ),
        "home": ConsoleWork(
            "suzuki@city.example.jp",
            [QueueLink("kodomo-katei", TITLE, "/console/queues/kodomo-katei", "/w")],
            [("kodomo-katei", "clerk")],
            "/admin",
        ),
        "home-nothing-held": ConsoleWork("suzuki@city.example.jp", [], []),
        "queue": QUEUE,
        "queue-empty": replace(QUEUE, rows=[], next_url=None),
        "case": CASE,
        "case-errors": replace(
            CASE, error="この申請はほかの職員の操作で更新されました。", steps=[]
        ),
        "workflow": WorkflowPicture(
            TITLE, Markup('<svg role="img"><title>x</title></svg>'), "stateDiagram-v2", "/console"
        ),
        "message": ConsoleMessage(LocalizedText(ja="完了", en="Done"), "本文", "/console", "戻る"),
        "clerks": ClerkList([ROW, ROW._replace(disabled=True, email=SCRIPT)], OPTIONS, CSRF),
        "clerks-empty": ClerkList([], [], CSRF),
        "clerks-errors": ClerkList(
            [], OPTIONS, CSRF, errors={"email": "形式が違います", "memberships": "選んでください"}
        ),
        "clerk": ClerkEdit(ROW, OPTIONS, CSRF, "/console/admin/users/1", notice="保存しました。"),
        "clerk-disabled-admin": ClerkEdit(
            ROW._replace(disabled=True, is_admin=True, enrolled=False), [], CSRF, "/u/1"
        ),
        "clerk-errors": ClerkEdit(ROW, OPTIONS, CSRF, "/u/1", errors={"admin": "できません"}),
    }


PAGES = every_page()


def chrome(language: str, *, signed_in: bool) -> ConsoleChrome:
    return ConsoleChrome(
        language=language,
        switch_language_url="/language/x",
        user_email="suzuki@city.example.jp" if signed_in else None,
        csrf_token=CSRF,
        admin_url="/console/admin/users" if signed_in else None,
    )


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_every_console_page_renders_for_people(name: str, language: str, signed_in: bool) -> None:
    html = render(PAGES[name], language, chrome(language, signed_in=signed_in))
    doc = check_page(html, language, has_errors=name.endswith("-errors"))
    assert SCRIPT not in html
    for form in doc.find_all("form", method="post"):
        assert form.find("input", name="csrf_token").get("value") == CSRF
        assert form.find_all("button")
    assert "Apply online" not in html  # the citizens' footer is not the console's


def doc_of(page: ConsolePage, language: str = "ja") -> Element:
    return check_page(render(page, language, chrome(language, signed_in=False)), language)


def test_the_code_input_suits_one_time_codes() -> None:
    doc = doc_of(PAGES["code"])
    code = doc.by_id("code")
    assert code is not None
    assert code.get("autocomplete") == "one-time-code"
    assert code.get("inputmode") == "numeric"
    recovery = doc.by_id("recovery_code")
    assert recovery is not None
    assert recovery.get("inputmode") is None  # letters too
    assert recovery.closest("details") is not None


def test_enrolment_shows_a_qr_code_and_the_secret_to_type() -> None:
    doc = doc_of(PAGES["enroll"], "en")
    svg = doc.find("svg")
    assert svg.find("title").text == "QR code to add your Madoguchi account to an authenticator app"
    assert svg.closest("figure") is not None
    assert "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP" in doc.find("code").text
    assert doc.by_id("code") is not None


def test_recovery_codes_are_listed_with_a_warning() -> None:
    doc = doc_of(PAGES["recovery-codes"], "en")
    assert [item.text for item in doc.find("ol", class_="recovery-codes").find_all("li")] == [
        "abcd-efgh-ijkl-mnop",
        "qrst-uvwx-yz23-4567",
    ]
    assert doc.find("h2", class_="warning__title").text == "Shown only once"
    assert doc.find("a", class_="button").get("href") == "/console"


def test_membership_choices_are_grouped_by_department() -> None:
    doc = doc_of(PAGES["clerk"], "en")
    legends = [legend.text for legend in doc.find_all("legend")]
    assert legends == ["kodomo-katei", "seiso"]
    boxes = doc.find_all("input", type="checkbox")
    ticked = [box.get("value") for box in boxes if box.has("checked")]
    assert ticked == ["kodomo-katei:clerk"]
    assert doc.find("div", role="status").text == "保存しました。"
    actions = [button.get("value") for button in doc.find_all("button", name="action")]
    assert actions == ["save", "send_link", "reset_second_factor", "disable"]


def test_a_disabled_clerk_can_be_enabled() -> None:
    doc = doc_of(PAGES["clerk-disabled-admin"], "en")
    actions = [button.get("value") for button in doc.find_all("button", name="action")]
    assert actions == ["save", "send_link", "enable"]  # nothing to reset yet
    assert doc.by_id("admin").has("checked")  # type: ignore[union-attr]


def test_titles_name_the_console() -> None:
    doc = doc_of(PAGES["sign-in"], "ja")
    assert doc.find("title").text == "職員用画面へのログイン - 職員用画面 - 窓口"
    home = doc_of(PAGES["home"], "en")
    assert home.find("title").text == "Staff console - Madoguchi"
