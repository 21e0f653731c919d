"""What a person does on the portal's pages, shared by the browser tests: find things by
what the page says, move with the keyboard, sign in; and a clerk signing in to the console."""

from __future__ import annotations

import secrets
import time

import pyotp
from playwright.sync_api import Locator, Page, ViewportSize, expect

from auth.clerks import ClerkService
from tests.browser.conftest import MOBILE, Server, check_accessibility, tab_to
from tests.web.flows import PASSWORD, REFERENCE

POSTAL_CODE = "1638001"  # 東京都新宿区西新宿 (the Tokyo Metropolitan Government Building)

# What the pages say, in each language.
TEXT = {
    "ja": {
        "procedures": "オンライン申請",
        "bulky_waste": "粗大ごみ収集申込",
        "start": "申請を始める",
        "continue": "次へ進む",
        "about_you": "お申込みの方",
        "items": "出す品目",
        "problem": "入力内容に誤りがあります",
        "name": "氏名",
        "family": "姓",
        "given": "名",
        "family_kana": "セイ",
        "given_kana": "メイ",
        "phone": "日中に連絡がとれる電話番号",
        "postal_code": "郵便番号",
        "address": "収集に伺う住所",
        "city": "市区町村",
        "street": "町名・番地",
        "item_1": "1点目の品目",
        "item": "品目",
        "other_item": "品目の名前",
        "quantity": "数量",
        "something_else": "その他",
        "pushchair": "ベビーカー",
        "collection_date": "収集希望日",
        "year": "年",
        "month": "月",
        "day": "日",
        "place": "玄関前（一戸建て）",
        "agree": "収集日の朝8時までに",
        "check": "申請内容の確認",
        "submit": "申請する",
        "submitted": "申請が完了しました",
        "access_code": "確認コード",
        "access_code_field": "確認コード",
        "check_an_application": "申請状況の確認",
        "reference_number": "受付番号",
        "check_progress": "確認する",
    },
    "en": {
        "procedures": "Apply online",
        "bulky_waste": "Booking a bulky waste collection",
        "start": "Start now",
        "continue": "Continue",
        "about_you": "About you",
        "items": "What you are putting out",
        "problem": "There is a problem",
        "name": "Full name",
        "family": "Family name",
        "given": "Given name",
        "family_kana": "Family name (furigana)",
        "given_kana": "Given name (furigana)",
        "phone": "Daytime phone number",
        "postal_code": "Postal code",
        "address": "Collection address",
        "city": "City, ward, town or village",
        "street": "Town and block number",
        "item_1": "Item 1",
        "item": "Item",
        "other_item": "What is it?",
        "quantity": "Quantity",
        "something_else": "Something else",
        "pushchair": "Pushchair",
        "collection_date": "Preferred collection date",
        "year": "Year",
        "month": "Month",
        "day": "Day",
        "place": "In front of the entrance (house)",
        "agree": "By 8 a.m. on the collection day",
        "check": "Check your answers before you submit",
        "submitted": "Application submitted",
        "submit": "Submit application",
        "access_code": "Your access code",
        "access_code_field": "Access code",
        "check_an_application": "Check an application",
        "reference_number": "Reference number",
        "check_progress": "Check progress",
    },
}


# --- citizens ---------------------------------------------------------------------------------


def press(page: Page, target: Locator, key: str) -> None:
    tab_to(page, target)
    page.keyboard.press(key)


def type_into(page: Page, field: Locator, answer: str) -> None:
    tab_to(page, field)
    page.keyboard.type(answer)


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def on_page(page: Page, title: str) -> None:
    """Wait for the page titled ``title``, with its script running."""
    expect(heading(page)).to_have_text(title)
    scripts_ready(page)


def scripts_ready(page: Page) -> None:
    """The portal's script is deferred: it starts just before DOMContentLoaded. A person
    is slower than that; a test acting on a half-loaded page would not be."""
    page.wait_for_load_state("domcontentloaded")


def fill_name(group: Locator, text: dict[str, str], name: tuple[str, str, str, str]) -> None:
    family, given, family_kana, given_kana = name
    group.get_by_label(text["family"], exact=True).fill(family)
    group.get_by_label(text["given"], exact=True).fill(given)
    group.get_by_label(text["family_kana"], exact=True).fill(family_kana)
    group.get_by_label(text["given_kana"], exact=True).fill(given_kana)


def fill_date(group: Locator, text: dict[str, str], date: tuple[str, str, str]) -> None:
    year, month, day = date
    group.get_by_label(text["year"], exact=True).fill(year)
    group.get_by_label(text["month"], exact=True).fill(month)
    group.get_by_label(text["day"], exact=True).fill(day)


def reference_on(page: Page) -> str:
    match = REFERENCE.search(page.get_by_role("main").inner_text())
    assert match is not None, "no reference number on the page"
    return match.group(0)


def assert_no_horizontal_scrolling(page: Page, screen: int = MOBILE["width"]) -> None:
    page.wait_for_load_state("load")  # the whole page, not what has arrived so far
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= screen, f"{page.url} is {width}px wide on a {screen}px screen"


# WCAG 1.4.10: content reflows at 320 CSS px, a 1280 px window zoomed to 400%.
REFLOW: ViewportSize = {"width": 320, "height": 640}


def assert_reflows(page: Page) -> None:
    """No horizontal scrolling at 320 CSS px, then the window back at its own size."""
    size = page.viewport_size
    page.set_viewport_size(REFLOW)
    try:
        assert_no_horizontal_scrolling(page, REFLOW["width"])
    finally:
        if size is not None:
            page.set_viewport_size(size)


def check_page(page: Page, name: str) -> None:
    """axe-core on the page as it is, and its reflow at 400% zoom."""
    check_accessibility(page, name)
    assert_reflows(page)


SIGN_IN = {
    "ja": {"email": "メールアドレス", "password": "パスワード", "sign_in": "ログイン"},
    "en": {"email": "Email address", "password": "Password", "sign_in": "Sign in"},
}


def sign_in(page: Page, email: str, language: str = "ja") -> None:
    """Sign in from the header's link, with an account that exists."""
    text = SIGN_IN[language]
    page.get_by_role("banner").get_by_role("link", name=text["sign_in"]).click()
    page.get_by_label(text["email"]).fill(email)
    page.get_by_label(text["password"]).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=text["sign_in"], exact=True).click()
    expect(page.get_by_role("navigation")).to_contain_text(email)


# --- clerks -----------------------------------------------------------------------------------

# What differs from run to run on the console's pages, for the screenshots.
STAFF_EXAMPLES = (
    (r"(?:new-)?clerk-[0-9a-f]+@city\.example\.jp", "suzuki@city.example.jp"),
    (r"citizen-[0-9a-f]+@example\.jp", "hanako@example.jp"),
    (r"\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}", "2026年11月26日 10:05"),
    (r"\d{1,2} [A-Z][a-z]+ \d{4} \d{1,2}:\d{2}", "26 November 2026 10:05"),
)


def make_clerk(
    server: Server, roles: list[str], admin: bool = False, department: str = "kodomo-katei"
) -> tuple[str, pyotp.TOTP]:
    """A clerk of ``department`` holding ``roles``, with a password and an authenticator app."""
    services = server.services
    email = f"clerk-{secrets.token_hex(3)}@city.example.jp"
    with services.db() as db:
        clerks = ClerkService(
            db, services.mailer, services.settings.base_url, services.cipher, services.clock
        )
        user = clerks.add(
            email, memberships=[(department, r) for r in roles], password=PASSWORD, admin=admin
        )
        totp = pyotp.TOTP(clerks.begin_enrollment(user).secret)
        clerks.confirm_enrollment(user, totp.now())
    return email, totp


def console_sign_in(page: Page, email: str, totp: pyotp.TOTP, check: bool = True) -> None:
    """Both steps of the console's sign-in, in Japanese; each page checked with axe-core
    unless ``check`` is false."""
    page.goto("/console")
    if check:
        check_accessibility(page, "ja console sign in")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="次へ進む").click()
    # The enrolment spent this time step's code: the next one is still accepted.
    page.get_by_label("確認コード").fill(totp.at(int(time.time()), counter_offset=1))
    if check:
        check_accessibility(page, "ja console sign-in code")
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("職員用画面")
    if check:
        check_accessibility(page, "ja console home")
