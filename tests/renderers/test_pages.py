"""The portal's other pages: lists, check answers, confirmation, status, accounts, errors."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from engine.definitions.models import Definition
from engine.text import LocalizedText
from renderers.html import (
    AnswerSection,
    CheckAnswersPage,
    Confirmation,
    DraftItem,
    DraftList,
    ErrorPage,
    ForgotPassword,
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
from tests.renderers.checks import check_page
from tests.renderers.conftest import DEFINITIONS, LANGUAGES, chrome, form_page
from tests.renderers.html_tree import Element

CHILDCARE = DEFINITIONS["childcare-enrollment"]
BULKY = DEFINITIONS["bulky-waste"]
SCRIPT = "<script>alert(1)</script>"
SECTIONS = [
    AnswerSection(
        "applicant",
        CHILDCARE.pages[0].title,
        "/change/applicant",
        [
            (LocalizedText(ja="氏名", en="Full name"), f"髙橋 {SCRIPT}"),
            ("住所", "東京都新宿区\n2行目"),
        ],
    ),
    AnswerSection("work", CHILDCARE.pages[2].title, None, [("理由", "就労")]),
]


def every_page() -> dict[str, Page]:
    """One of each page, filled as the web layer would."""
    state = CHILDCARE.workflow.states["received"]
    return {
        "procedures": ProcedureList(
            [
                ProcedureSummary(d.procedure, d.title, d.summary, d.submitters, "20営業日")
                for d in DEFINITIONS.values()
            ]
        ),
        "procedures-empty": ProcedureList([]),
        "start": StartPage(BULKY, "/procedures/bulky-waste", "csrf-123", "5営業日"),
        "start-sign-in": StartPage(
            DEFINITIONS["restaurant-permit"], "/procedures/x", "csrf-123", None, "/sign-in?next=/x"
        ),
        "check": CheckAnswersPage(CHILDCARE, SECTIONS, "/submit", "csrf-123", "key-1", "/back"),
        "confirmation": Confirmation(
            BULKY, "BW-2026-000123", "K7Q2-M9XD", state.label, "5営業日", "/status/1", state.label
        ),
        "confirmation-signed-in": Confirmation(
            CHILDCARE, "CE-2026-000001", None, state.label, None, "/applications/1"
        ),
        "statuses": StatusList(
            [StatusItem("CE-1", CHILDCARE.title, state.label, "2026年11月26日 10:00", "/a/1")]
        ),
        "statuses-empty": StatusList([]),
        "status": StatusDetail(
            CHILDCARE,
            "CE-1",
            state.label,
            [("2026年11月26日 10:00", "申請を受け付けました"), ("2026年11月27日", state.label)],
            SECTIONS,
            state_description="審査を始めます。",
            edit_url="/edit",
        ),
        "lookup": StatusLookup("csrf-123"),
        "lookup-errors": StatusLookup("csrf-123", ["受付番号か確認コードが違います"], SCRIPT),
        "drafts": DraftList([DraftItem(CHILDCARE.title, "2026年11月26日", "/drafts/1")]),
        "drafts-empty": DraftList([]),
        "sign-in": SignIn("csrf-123"),
        "sign-in-errors": SignIn(
            "csrf-123",
            email_value=SCRIPT,
            errors={"email": "メールアドレスを入力してください", "": "ログインできません"},
        ),
        "sign-up": SignUp("csrf-123", errors={"password": "短すぎます"}),
        "forgot": ForgotPassword("csrf-123", errors={"email": "入力してください"}),
        "reset": ResetPassword("csrf-123", "/reset/token-abc"),
        "message": Message(
            "メールを送りました", "届いたメールのリンクを開いてください。\n\n2段落目", "/", "戻る"
        ),
        "error": ErrorPage(404, "ページが見つかりません", "URLを確かめてください。"),
        "error-no-body": ErrorPage(500, LocalizedText(ja="エラー", en="Something went wrong"), ""),
    }


PAGES = every_page()
ERRORS = {"lookup-errors", "sign-in-errors", "sign-up", "forgot"}


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_for_people(name: str, language: str, signed_in: bool) -> None:
    html = render(PAGES[name], language, chrome(language, signed_in=signed_in))
    doc = check_page(html, language, has_errors=name in ERRORS)
    assert SCRIPT not in html
    for form in doc.find_all("form", method="post"):
        assert form.find("input", name="csrf_token").get("value") == "csrf-123"
        assert form.find_all("button")


def render_doc(page: Page, language: str = "ja") -> Element:
    return check_page(render(page, language, chrome(language)), language)


def test_titles_name_page_procedure_and_service() -> None:
    assert (
        render_doc(PAGES["check"]).find("title").text == "申請内容の確認 - 保育所等利用申込 - 窓口"
    )
    english = render_doc(PAGES["sign-in"], "en").find("title").text
    assert english == "Sign in - Madoguchi"
    errors = render_doc(PAGES["sign-in-errors"], "en").find("title").text
    assert errors == "Error: Sign in - Madoguchi"


def test_check_answers_escapes_and_submits_once() -> None:
    doc = render_doc(PAGES["check"])
    values = [dd.raw_text for dd in doc.find_all("dd")]
    assert f"髙橋 {SCRIPT}" in values  # shown as text, not run
    assert "東京都新宿区\n2行目" in values
    change = doc.find("a", href="/change/applicant")
    assert change.text == "変更 申請者の情報"
    assert len(doc.find_all("a", class_="answers__change")) == 1  # the section without a URL
    form = doc.find("form", action="/submit")
    assert form.find("input", name="submit_token").get("value") == "key-1"
    button = form.find("button", type="submit")
    assert (button.get("name"), button.get("value")) == ("action", "submit")


def test_confirmation_shows_the_access_code_once_with_a_warning() -> None:
    doc = render_doc(PAGES["confirmation"])
    assert doc.find("strong", class_="reference").text == "BW-2026-000123"
    warning = doc.find("div", class_="warning")
    assert warning.find("p", class_="access-code").text == "K7Q2-M9XD"
    assert "今回しか表示されません" in warning.text
    assert doc.find("a", href="/status/1")
    assert "5営業日" in doc.text
    signed_in = render_doc(PAGES["confirmation-signed-in"])
    assert not signed_in.find_all("div", class_="warning")


def test_status_detail_lists_history_and_answers() -> None:
    doc = render_doc(PAGES["status"], "en")
    assert doc.find("h1").text == "Application CE-1"
    history = [li.text for li in doc.find("ol", class_="timeline").find_all("li")]
    assert history == ["2026年11月26日 10:00 申請を受け付けました", "2026年11月27日 Received"]
    assert doc.find("a", href="/edit")
    assert not doc.find_all("a", class_="answers__change")


def test_lookup_errors_link_to_the_reference() -> None:
    doc = render_doc(PAGES["lookup-errors"])
    link = doc.find("div", class_="error-summary").find("a")
    assert link.get("href") == "#reference"
    assert link.text == "受付番号か確認コードが違います"
    assert doc.find("input", name="reference").get("value") == SCRIPT
    assert doc.find("input", name="access_code").get("autocomplete") == "off"


def test_sign_in_errors_are_tied_to_their_inputs() -> None:
    doc = render_doc(PAGES["sign-in-errors"])
    email = doc.find("input", name="email")
    assert email.get("aria-invalid") == "true"
    assert email.get("aria-describedby") == "email-error"
    assert email.get("autocomplete") == "username"
    password = doc.find("input", name="password")
    assert password.get("aria-invalid") is None
    assert password.get("type") == "password"
    assert password.get("value") is None  # a password is never sent back
    links = [a.get("href") for a in doc.find("div", class_="error-summary").find_all("a")]
    assert links == ["#email", "#email"]  # the form-level message goes to the first input
    assert doc.find("a", href="/forgot-password")


def test_procedure_list_links_each_procedure() -> None:
    doc = render_doc(PAGES["procedures"])
    links = {a.get("href") for a in doc.find("ul", class_="card-list").find_all("a")}
    assert links == {f"/procedures/{name}" for name in DEFINITIONS}
    assert "どなたでも（アカウント不要）" in doc.text  # bulky waste: submitters anyone


def test_message_and_error_pages_keep_paragraphs() -> None:
    doc = render_doc(PAGES["message"])
    assert [p.text for p in doc.find("main").find_all("p")][:2] == [
        "届いたメールのリンクを開いてください。",
        "2段落目",
    ]
    error = render_doc(PAGES["error"], "en")
    assert error.find("h1").text == "ページが見つかりません"
    assert "Error code: 404" in error.text


def test_pages_render_in_both_languages_at_once(childcare_definition: Definition) -> None:
    """No shared state: concurrent renders give what sequential ones do."""
    jobs = [(form_page(childcare_definition, "applicant", {}, lang), lang) for lang in LANGUAGES]
    jobs = jobs * 20
    expected = [render(page, lang) for page, lang in jobs]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda job: render(job[0], job[1]), jobs))
    assert results == expected
    assert "ステップ 1 / 4" in expected[0]
    assert "Step 1 of 4" in expected[1]


def test_start_page_starts_or_asks_to_sign_in() -> None:
    doc = render_doc(PAGES["start"])
    assert doc.find("title").text == "粗大ごみ収集申込 - 窓口"
    assert doc.find("h1").text == "粗大ごみ収集申込"
    start = doc.find("form", action="/procedures/bulky-waste")
    assert start.find("button").text == "申請を始める"
    assert "確認コード" in doc.text  # anyone may apply: they will need the access code
    permit = render_doc(PAGES["start-sign-in"], "en")
    assert not permit.find("main").find_all("form")
    assert permit.find("a", href="/sign-in?next=/x").text == "Sign in to apply"
    assert "¥18,300" in permit.text
    assert "18,300円" in render_doc(PAGES["start-sign-in"]).text


def test_a_draft_notice_links_its_url(childcare_definition: Definition) -> None:
    page = form_page(childcare_definition, "applicant", {}, "ja")
    notice = "このリンクから入力を再開できます: https://madoguchi.example.jp/drafts/1/resume?token=a&b=<c>"
    html = render(replace(page, draft_notice=notice), "ja")
    link = check_page(html, "ja").find("div", class_="notice").find("a")
    assert link.get("href") == "https://madoguchi.example.jp/drafts/1/resume?token=a&b=<c>"
    assert "<c>" not in html
