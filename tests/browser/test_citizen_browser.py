"""Citizens applying in a real browser, as people do: by what the page says, not its markup.

Fields are found by their visible labels and buttons by their names. The tests also write
the screenshots in docs/screenshots/ (listed in docs/screenshots.md) on every run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, expect

from tests.browser.conftest import (
    MOBILE,
    NewPage,
    Server,
    check_accessibility,
    mailed_link,
    screenshot,
    tab_to,
)
from tests.browser.helpers import (
    POSTAL_CODE,
    TEXT,
    assert_no_horizontal_scrolling,
    fill_date,
    fill_name,
    heading,
    on_page,
    press,
    reference_on,
    scripts_ready,
    type_into,
)
from tests.web.flows import PASSWORD, SAMPLES

EMAIL = "hanako.takahashi@example.jp"
# Inside the bulky-waste booking window: 7 to 60 days after tests.conftest.TODAY (2026-11-26).
COLLECTION_DATE = ("2026", "12", "10")
YAMADA = ("山田", "太郎", "ヤマダ", "タロウ")


# --- the Japanese path: an account, the reference procedure, every kind of field -------------


def test_a_citizen_applies_for_childcare_in_japanese(
    new_page: NewPage, server: Server, tmp_path: Path
) -> None:
    page = new_page("ja")
    page.goto("/")
    expect(heading(page)).to_have_text("オンライン申請")
    screenshot(page, "ja-desktop-procedures")
    check_accessibility(page, "ja procedures")
    sign_up_and_sign_in(page, server)

    page.get_by_role("link", name="窓口", exact=True).click()
    page.get_by_role("link", name="保育所等利用申込").click()
    expect(heading(page)).to_have_text("保育所等利用申込")
    check_accessibility(page, "ja childcare start, signed in")
    page.get_by_role("button", name="申請を始める").click()
    about_you_with_one_mistake(page)
    two_children(page)
    working(page, tmp_path)
    expect(heading(page)).to_have_text("確認")
    check_accessibility(page, "ja childcare declaration")
    page.get_by_label("記載内容に相違ありません。").check()
    page.get_by_role("button", name="次へ進む").click()

    expect(heading(page)).to_have_text("申請内容の確認")
    answers = page.get_by_role("main")
    for answer in (
        "髙橋",
        "花子",
        "𠮷乃",
        "陽斗",
        "西新宿2-8-1",
        "卵のアレルギー",
        "就労証明書.pdf",
    ):
        expect(answers).to_contain_text(answer)
    screenshot(page, "ja-desktop-check-answers")
    check_accessibility(page, "ja childcare check answers")
    page.get_by_role("button", name="申請する").click()

    expect(heading(page)).to_have_text("申請が完了しました")
    reference = reference_on(page)
    screenshot(page, "ja-desktop-confirmation")
    check_accessibility(page, "ja childcare confirmation")

    page.get_by_role("link", name="申請状況", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text(reference)
    expect(page.get_by_role("main")).to_contain_text("保育所等利用申込")
    check_accessibility(page, "ja your applications")
    page.get_by_role("link", name="一時保存した申請").click()
    expect(heading(page)).to_have_text("一時保存した申請")
    check_accessibility(page, "ja saved applications")


def sign_up_and_sign_in(page: Page, server: Server, email: str = EMAIL) -> None:
    """No account yet: sign up, confirm the address from the mail, sign in."""
    page.get_by_role("link", name="保育所等利用申込").click()
    expect(heading(page)).to_have_text("保育所等利用申込")
    check_accessibility(page, "ja childcare start")
    page.get_by_role("link", name="ログインして申請").click()
    expect(heading(page)).to_have_text("ログイン")
    check_accessibility(page, "ja sign in")
    page.get_by_role("main").get_by_role("link", name="アカウントの作成").click()
    expect(heading(page)).to_have_text("アカウントの作成")
    check_accessibility(page, "ja sign up")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="アカウントの作成").click()
    expect(heading(page)).to_have_text("メールをご確認ください")
    check_accessibility(page, "ja sign up: check your mail")
    page.goto(mailed_link(server, email, "/account/verify"))
    expect(heading(page)).to_have_text("メールアドレスを確認しました")
    check_accessibility(page, "ja address confirmed")
    page.get_by_role("main").get_by_role("link", name="ログイン").click()
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン", exact=True).click()
    expect(page.get_by_role("navigation")).to_contain_text(email)


def about_you_with_one_mistake(page: Page) -> None:
    """Page 1, sent first without the phone number."""
    on_page(page, "申請者の情報")
    check_accessibility(page, "ja childcare about you")
    name = page.get_by_role("group", name="氏名")
    fill_name(name, TEXT["ja"], ("髙橋", "花子", "タカハシ", "ハナコ"))
    birth_date = page.get_by_role("group", name="生年月日")
    birth_date.get_by_label("元号").select_option(label="平成")
    fill_date(birth_date, TEXT["ja"], ("2", "4", "1"))
    page.get_by_label("郵便番号").fill(POSTAL_CODE)
    # The browser may fill in what it knows of the applicant.
    for field, autocomplete in (
        (name.get_by_label("姓", exact=True), "family-name"),
        (name.get_by_label("名", exact=True), "given-name"),
        (page.get_by_label("郵便番号"), "postal-code"),
        (page.get_by_label("電話番号"), "tel"),
        (page.get_by_label("メールアドレス"), "email"),
    ):
        expect(field).to_have_attribute("autocomplete", autocomplete)
    address = page.get_by_role("group", name="住所")
    prefecture = address.get_by_label("都道府県")
    expect(prefecture).to_have_value("13")  # filled by the JavaScript from the postal code
    expect(prefecture.get_by_role("option", selected=True)).to_have_text("東京都")
    expect(address.get_by_label("市区町村")).to_have_value("新宿区")
    expect(address.get_by_label("町名・番地")).to_have_value("西新宿")
    address.get_by_label("町名・番地").fill("西新宿2-8-1")
    page.get_by_role("button", name="次へ進む").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("入力内容に誤りがあります")
    expect(page).to_have_title(re.compile(r"^エラー: 申請者の情報 - 保育所等利用申込 - "))
    phone = page.get_by_label("電話番号")
    error_link = summary.get_by_role("link", name="電話番号を入力してください")
    expect(error_link).to_have_attribute("href", f"#{phone.get_attribute('id')}")
    expect(phone).to_have_attribute("aria-invalid", "true")
    screenshot(page, "ja-desktop-form-error")
    check_accessibility(page, "ja childcare about you, an error")
    error_link.click()
    expect(phone).to_be_focused()
    # What was typed before the error is still there.
    expect(page.get_by_role("group", name="氏名").get_by_label("姓")).to_have_value("髙橋")
    expect(address.get_by_label("町名・番地")).to_have_value("西新宿2-8-1")
    phone.fill("03-5321-1111")
    page.get_by_role("button", name="次へ進む").click()


def two_children(page: Page) -> None:
    """Page 2: a child who needs support, then a second child added with the button."""
    on_page(page, "利用を希望するお子さん")
    check_accessibility(page, "ja childcare children")
    first = page.get_by_role("group", name="お子さん（1）")
    fill_name(
        first.get_by_role("group", name="氏名"), TEXT["ja"], ("髙橋", "𠮷乃", "タカハシ", "ヨシノ")
    )
    fill_date(first.get_by_role("group", name="生年月日"), TEXT["ja"], ("2024", "5", "1"))
    support = first.get_by_label("配慮の内容")
    expect(support).to_be_hidden()
    first.get_by_role("radio", name="はい").check()
    expect(support).to_be_visible()  # shown by the JavaScript, before any page is sent
    support.fill("卵のアレルギーがあります。")
    page.get_by_role("button", name="お子さんを追加").click()

    second = page.get_by_role("group", name="お子さん（2）")
    expect(second).to_be_visible()
    scripts_ready(page)
    first_name = first.get_by_role("group", name="氏名").get_by_label("名", exact=True)
    expect(first_name).to_have_value("𠮷乃")
    expect(first.get_by_label("配慮の内容")).to_have_value("卵のアレルギーがあります。")
    check_accessibility(page, "ja childcare children, a second child added")
    fill_name(
        second.get_by_role("group", name="氏名"), TEXT["ja"], ("髙橋", "陽斗", "タカハシ", "ハルト")
    )
    fill_date(second.get_by_role("group", name="生年月日"), TEXT["ja"], ("2025", "9", "15"))
    second.get_by_role("radio", name="いいえ").check()
    expect(second.get_by_label("配慮の内容")).to_be_hidden()
    page.get_by_role("button", name="次へ進む").click()


def working(page: Page, tmp_path: Path) -> None:
    """Page 3: working, so the monthly hours (shown live) and the proof of employment."""
    on_page(page, "保育が必要な理由")
    check_accessibility(page, "ja childcare reason for care")
    hours = page.get_by_label("月の就労時間")
    expect(hours).to_be_hidden()
    page.get_by_role("radio", name="就労", exact=True).check()
    expect(hours).to_be_visible()
    hours.fill("160")
    proof = tmp_path / "就労証明書.pdf"
    proof.write_bytes(SAMPLES["application/pdf"])
    page.get_by_label("就労証明書").set_input_files(proof)
    page.get_by_role("button", name="次へ進む").click()


# --- the Japanese path with JavaScript off ---------------------------------------------------


def test_a_citizen_applies_for_childcare_without_javascript(
    new_page: NewPage, server: Server, tmp_path: Path
) -> None:
    """Nothing fills the address and nothing shows a field as it is answered: the server
    shows the fields an answer calls for when the page is sent, as errors to complete."""
    page = new_page("ja", javascript=False)
    page.goto("/")
    sign_up_and_sign_in(page, server, email="no-script@example.jp")
    page.get_by_role("link", name="窓口", exact=True).click()
    page.get_by_role("link", name="保育所等利用申込").click()
    page.get_by_role("button", name="申請を始める").click()

    expect(heading(page)).to_have_text("申請者の情報")
    fill_name(
        page.get_by_role("group", name="氏名"), TEXT["ja"], ("髙橋", "花子", "タカハシ", "ハナコ")
    )
    birth_date = page.get_by_role("group", name="生年月日")
    birth_date.get_by_label("元号").select_option(label="平成")
    fill_date(birth_date, TEXT["ja"], ("2", "4", "1"))
    page.get_by_label("郵便番号").fill(POSTAL_CODE)
    address = page.get_by_role("group", name="住所")
    address.get_by_label("都道府県").select_option(label="東京都")
    address.get_by_label("市区町村").fill("新宿区")
    address.get_by_label("町名・番地").fill("西新宿2-8-1")
    page.get_by_label("電話番号").fill("03-5321-1111")
    page.get_by_role("button", name="次へ進む").click()

    expect(heading(page)).to_have_text("利用を希望するお子さん")
    child = page.get_by_role("group", name="お子さん（1）")
    fill_name(
        child.get_by_role("group", name="氏名"), TEXT["ja"], ("髙橋", "𠮷乃", "タカハシ", "ヨシノ")
    )
    fill_date(child.get_by_role("group", name="生年月日"), TEXT["ja"], ("2024", "5", "1"))
    child.get_by_role("radio", name="はい").check()
    expect(child.get_by_label("配慮の内容")).to_be_hidden()
    page.get_by_role("button", name="次へ進む").click()
    expect(page.get_by_role("alert")).to_contain_text("配慮の内容を入力してください")
    child.get_by_label("配慮の内容").fill("卵のアレルギーがあります。")
    page.get_by_role("button", name="次へ進む").click()

    expect(heading(page)).to_have_text("保育が必要な理由")
    page.get_by_role("radio", name="就労", exact=True).check()
    proof = tmp_path / "就労証明書.pdf"
    proof.write_bytes(SAMPLES["application/pdf"])
    page.get_by_label("就労証明書").set_input_files(proof)
    page.get_by_role("button", name="次へ進む").click()
    expect(page.get_by_role("alert")).to_contain_text("月の就労時間を入力してください")
    expect(page.get_by_role("main")).to_contain_text("就労証明書.pdf")  # kept, not sent again
    page.get_by_label("月の就労時間").fill("160")
    page.get_by_role("button", name="次へ進む").click()

    expect(heading(page)).to_have_text("確認")
    page.get_by_label("記載内容に相違ありません。").check()
    page.get_by_role("button", name="次へ進む").click()
    expect(heading(page)).to_have_text("申請内容の確認")
    for answer in ("西新宿2-8-1", "卵のアレルギー", "160", "就労証明書.pdf"):
        expect(page.get_by_role("main")).to_contain_text(answer)
    page.get_by_role("button", name="申請する").click()

    expect(heading(page)).to_have_text("申請が完了しました")
    reference = reference_on(page)
    page.get_by_role("link", name="申請状況", exact=True).click()
    expect(page.get_by_role("main")).to_contain_text(reference)


# --- the English path: no account, switching language halfway --------------------------------


def test_anyone_books_bulky_waste_switching_to_english_and_checks_the_status(
    new_page: NewPage,
) -> None:
    ja, en = TEXT["ja"], TEXT["en"]
    page = new_page("ja")
    page.goto("/")
    page.get_by_role("link", name=ja["bulky_waste"]).click()
    expect(heading(page)).to_have_text(ja["bulky_waste"])
    check_accessibility(page, "ja bulky waste start")
    page.get_by_role("button", name=ja["start"]).click()
    on_page(page, ja["about_you"])
    check_accessibility(page, "ja bulky waste about you")

    # Half of the first page in Japanese, then the switch in the header.
    fill_name(page.get_by_role("group", name=ja["name"]), ja, YAMADA)
    page.get_by_label(ja["phone"]).fill("090-1234-5678")
    page.get_by_role("button", name="English").click()

    on_page(page, en["about_you"])
    name = page.get_by_role("group", name=en["name"])
    expect(name.get_by_label(en["family"], exact=True)).to_have_value("山田")
    expect(name.get_by_label(en["given"], exact=True)).to_have_value("太郎")
    expect(name.get_by_label(en["family_kana"], exact=True)).to_have_value("ヤマダ")
    expect(name.get_by_label(en["given_kana"], exact=True)).to_have_value("タロウ")
    expect(page.get_by_label(en["phone"])).to_have_value("090-1234-5678")
    expect(page.get_by_role("button", name="日本語")).to_be_visible()
    check_accessibility(page, "en bulky waste about you")

    # Continue without an address: the errors are in English now.
    page.get_by_role("button", name=en["continue"], exact=True).click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(en["problem"])
    scripts_ready(page)
    screenshot(page, "en-desktop-form-error")
    check_accessibility(page, "en bulky waste about you, errors")
    fill_contact(page, en, phone=None)
    answer_items_collection_and_declaration(page, en)

    expect(heading(page)).to_have_text(en["check"])
    expect(page.get_by_role("main")).to_contain_text("山田")
    expect(page.get_by_role("main")).to_contain_text("Pushchair")
    screenshot(page, "en-desktop-check-answers")
    check_accessibility(page, "en bulky waste check answers")
    page.get_by_role("button", name=en["submit"]).click()

    expect(heading(page)).to_have_text(en["submitted"])
    reference = reference_on(page)
    code = access_code_on(page, en)
    screenshot(page, "en-desktop-confirmation", access_code=code)
    check_accessibility(page, "en bulky waste confirmation")
    check_the_status(page, reference, code)


def check_the_status(page: Page, reference: str, code: str) -> None:
    """Later: the status, with the reference number and the access code written down."""
    en = TEXT["en"]
    page.get_by_role("banner").get_by_role("link", name=en["check_an_application"]).click()
    expect(heading(page)).to_have_text("Check the progress of an application")
    check_accessibility(page, "en check an application")
    page.get_by_label(en["reference_number"]).fill(reference)
    page.get_by_label(en["access_code_field"]).fill(code)
    page.get_by_role("button", name=en["check_progress"]).click()
    expect(page.get_by_role("main")).to_contain_text(reference)
    expect(page.get_by_role("main")).to_contain_text(en["bulky_waste"])
    check_accessibility(page, "en bulky waste status")

    page.get_by_role("contentinfo").get_by_role("link", name=en["procedures"]).click()
    expect(heading(page)).to_have_text(en["procedures"])
    screenshot(page, "en-desktop-procedures")
    check_accessibility(page, "en procedures")


# --- the keyboard only ------------------------------------------------------------------------


def test_anyone_books_bulky_waste_with_the_keyboard_only(new_page: NewPage) -> None:
    """Tab to move, typing to answer, arrows in a list or a group of radios, Space to tick,
    Enter to follow a link or press a button: no mouse."""
    text = TEXT["en"]
    page = new_page("en")
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    press(page, page.get_by_role("link", name=text["bulky_waste"]), "Enter")
    expect(heading(page)).to_have_text(text["bulky_waste"])
    press(page, page.get_by_role("button", name=text["start"]), "Enter")

    on_page(page, text["about_you"])
    name = page.get_by_role("group", name=text["name"])
    for part, answer in zip(("family", "given", "family_kana", "given_kana"), YAMADA, strict=True):
        type_into(page, name.get_by_label(text[part], exact=True), answer)
    type_into(page, page.get_by_label(text["phone"]), "090-1234-5678")
    type_into(page, page.get_by_label(text["postal_code"]), POSTAL_CODE)
    street = page.get_by_role("group", name=text["address"]).get_by_label(text["street"])
    tab_to(page, street)
    expect(street).to_have_value("西新宿")  # filled from the postal code when it was left
    page.keyboard.press("End")
    page.keyboard.type("2-8-1")
    press(page, page.get_by_role("button", name=text["continue"], exact=True), "Enter")

    on_page(page, text["items"])
    item = page.get_by_role("group", name=text["item_1"])
    kind = item.get_by_role("combobox", name=text["item"])
    tab_to(page, kind)
    while kind.evaluate("select => select.selectedOptions[0].text") != text["something_else"]:
        page.keyboard.press("ArrowDown")
    other = item.get_by_label(text["other_item"])
    expect(other).to_be_visible()  # shown once the server has answered
    type_into(page, other, text["pushchair"])
    type_into(page, item.get_by_label(text["quantity"]), "1")
    press(page, page.get_by_role("button", name=text["continue"], exact=True), "Enter")

    date = page.get_by_role("group", name=text["collection_date"])
    expect(date).to_be_visible()
    for part, answer in zip(("year", "month", "day"), COLLECTION_DATE, strict=True):
        type_into(page, date.get_by_label(text[part], exact=True), answer)
    # Tab enters a group of radios at its first; the arrows move on and choose.
    place = page.get_by_role("radio", name=text["place"])
    tab_to(page, page.get_by_role("radio").first)
    if not place.evaluate("radio => radio === document.activeElement"):
        tab_to(page, place, key="ArrowDown")
    page.keyboard.press(" ")
    expect(place).to_be_checked()
    press(page, page.get_by_role("button", name=text["continue"], exact=True), "Enter")

    agree = page.get_by_label(text["agree"])
    expect(agree).to_be_visible()
    press(page, agree, " ")
    expect(agree).to_be_checked()
    press(page, page.get_by_role("button", name=text["continue"], exact=True), "Enter")

    expect(heading(page)).to_have_text(text["check"])
    press(page, page.get_by_role("button", name=text["submit"]), "Enter")
    expect(heading(page)).to_have_text(text["submitted"])


# --- the live visibility check racing the page's own buttons --------------------------------


def test_a_late_visibility_check_does_not_undo_adding_an_item(new_page: NewPage) -> None:
    """Leaving a field (here: by pressing "add another") sends the live visibility check
    and the form at the same time. On a slow network the check can reach the server last;
    it must not put the draft back to what it was before the button was pressed."""
    text = TEXT["ja"]
    page = new_page("ja")
    checks: list[Request] = []
    page.on(
        "request",
        lambda request: checks.append(request) if "preview=visibility" in request.url else None,
    )
    page.goto("/procedures/bulky-waste")
    page.get_by_role("button", name=text["start"]).click()
    on_page(page, text["about_you"])
    fill_name(page.get_by_role("group", name=text["name"]), text, YAMADA)
    fill_contact(page, text, phone="090-1234-5678")

    on_page(page, text["items"])
    first = page.get_by_role("group", name=text["item_1"])
    first.get_by_role("combobox", name=text["item"]).select_option(label="椅子")
    first.get_by_label(text["quantity"]).fill("2")
    page.get_by_role("button", name="品目を追加").click()
    expect(page.get_by_role("group", name="2点目の品目")).to_be_visible()

    # The check sent when the quantity box lost focus, arriving only now.
    assert checks, "changing the answers sent no visibility check"
    late = checks[-1]
    headers = {
        name: value
        for name, value in late.headers.items()
        if name in ("content-type", "accept", "x-csrf-token")
    }
    answer = page.request.post(late.url, headers=headers, data=late.post_data)
    assert answer.ok, answer.status
    page.reload()
    expect(page.get_by_role("group", name="2点目の品目")).to_be_visible()
    expect(first.get_by_label(text["quantity"])).to_have_value("2")
    check_accessibility(page, "ja bulky waste items, a second item added")


# --- a phone-sized screen --------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_pages_fit_a_small_phone(new_page: NewPage, language: str) -> None:
    text = TEXT[language]
    page = new_page(language, MOBILE)
    page.goto("/")
    expect(heading(page)).to_have_text(text["procedures"])
    assert_no_horizontal_scrolling(page)
    screenshot(page, f"{language}-mobile-procedures")
    check_accessibility(page, f"{language} procedures, phone")

    page.get_by_role("link", name=text["bulky_waste"]).click()
    expect(heading(page)).to_have_text(text["bulky_waste"])
    check_accessibility(page, f"{language} bulky waste start, phone")
    page.get_by_role("button", name=text["start"]).click()
    page.get_by_role("button", name=text["continue"], exact=True).click()
    expect(page.get_by_role("alert")).to_be_focused()
    scripts_ready(page)
    assert_no_horizontal_scrolling(page)
    screenshot(page, f"{language}-mobile-form-error")
    check_accessibility(page, f"{language} bulky waste about you, every error, phone")

    fill_name(page.get_by_role("group", name=text["name"]), text, YAMADA)
    fill_contact(page, text, phone="090-1234-5678")
    answer_items_collection_and_declaration(page, text)
    expect(heading(page)).to_have_text(text["check"])
    assert_no_horizontal_scrolling(page)
    screenshot(page, f"{language}-mobile-check-answers")
    check_accessibility(page, f"{language} bulky waste check answers, phone")

    page.get_by_role("button", name=text["submit"]).click()
    expect(heading(page)).to_have_text(text["submitted"])
    assert_no_horizontal_scrolling(page)
    reference_on(page)  # there is one
    screenshot(page, f"{language}-mobile-confirmation", access_code=access_code_on(page, text))
    check_accessibility(page, f"{language} bulky waste confirmation, phone")


# --- what a person does on the bulky-waste pages ---------------------------------------------


def fill_contact(page: Page, text: dict[str, str], phone: str | None) -> None:
    """The rest of "About you": the phone (unless typed already) and the address."""
    if phone is not None:
        page.get_by_label(text["phone"]).fill(phone)
    page.get_by_label(text["postal_code"]).fill(POSTAL_CODE)
    address = page.get_by_role("group", name=text["address"])
    street = address.get_by_label(text["street"])
    expect(address.get_by_label(text["city"])).to_have_value("新宿区")
    expect(street).to_have_value("西新宿")
    street.fill("西新宿2-8-1")
    page.get_by_role("button", name=text["continue"], exact=True).click()


def answer_items_collection_and_declaration(page: Page, text: dict[str, str]) -> None:
    on_page(page, text["items"])
    item = page.get_by_role("group", name=text["item_1"])
    other = item.get_by_label(text["other_item"])
    expect(other).to_be_hidden()
    item.get_by_role("combobox", name=text["item"]).select_option(label=text["something_else"])
    expect(other).to_be_visible()
    other.fill(text["pushchair"])
    item.get_by_label(text["quantity"]).fill("1")
    check_accessibility(page, f"{page_language(page)} bulky waste items, one revealed")
    page.get_by_role("button", name=text["continue"], exact=True).click()

    fill_date(page.get_by_role("group", name=text["collection_date"]), text, COLLECTION_DATE)
    page.get_by_role("radio", name=text["place"]).check()
    check_accessibility(page, f"{page_language(page)} bulky waste collection")
    page.get_by_role("button", name=text["continue"], exact=True).click()

    page.get_by_label(text["agree"]).check()
    check_accessibility(page, f"{page_language(page)} bulky waste declaration")
    page.get_by_role("button", name=text["continue"], exact=True).click()


# --- helpers ---------------------------------------------------------------------------------


def page_language(page: Page) -> str:
    return page.locator("html").get_attribute("lang") or "?"


def access_code_on(page: Page, text: dict[str, str]) -> str:
    """The access code, read as a person reads it: the line under its heading."""
    lines = [line.strip() for line in page.get_by_role("main").inner_text().splitlines()]
    lines = [line for line in lines if line]
    return lines[lines.index(text["access_code"]) + 1]


# WCAG 1.4.10: content reflows at 320 CSS px (a 1280 px window at 400%) and at 640 px
# (200% zoom), with no horizontal scrolling; data tables are exempt, so the console's
# queue and case tables are not in this list.
REFLOW_PAGES = ["/", "/procedures/childcare-enrollment", "/sign-in", "/status", "/verify"]


@pytest.mark.parametrize("width", [320, 640])
def test_the_pages_reflow_at_400_and_200_percent_zoom(new_page: NewPage, width: int) -> None:
    page = new_page("ja", {"width": width, "height": 640})
    for url in [*REFLOW_PAGES, "/console/sign-in"]:
        page.goto(url)
        assert_no_horizontal_scrolling(page, width)


# --- pages off the paths ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_account_pages_and_an_address_that_does_not_exist(
    new_page: NewPage, language: str
) -> None:
    page = new_page(language)
    for path in ("/sign-in", "/sign-up", "/forgot-password"):
        page.goto(path)
        expect(page.get_by_role("button").last).to_be_visible()
        check_accessibility(page, f"{language} {path.removeprefix('/')}")
    response = page.goto("/procedures/no-such-procedure")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("main")).to_contain_text("404")
    check_accessibility(page, f"{language} not found")
