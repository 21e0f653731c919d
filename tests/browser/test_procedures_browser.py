"""The other demo procedures in a real browser, a draft taken up again another day with the
keyboard only, and the console on a phone.

Each form page is checked once it is answered, conditional questions shown and files
chosen: axe-core, and reflow at 320 CSS px (`check_page`). The bulky-waste pages, walked
in test_citizen_browser.py, are opened here at 320 px, blank and with every error.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import httpx2 as httpx
from playwright.sync_api import Page, expect

from engine.storage.definitions import DefinitionStore
from tests.browser.conftest import (
    MOBILE,
    NewPage,
    Server,
    check_accessibility,
    screenshot,
    tab_to,
)
from tests.browser.helpers import (
    POSTAL_CODE,
    REFLOW,
    STAFF_EXAMPLES,
    TEXT,
    assert_no_horizontal_scrolling,
    assert_reflows,
    check_page,
    console_sign_in,
    fill_date,
    fill_name,
    heading,
    make_clerk,
    on_page,
    press,
    reference_on,
    sign_in,
    type_into,
)
from tests.web.flows import SAMPLES, sign_up_and_in

JA, EN = TEXT["ja"], TEXT["en"]
KABUKICHO = "1600021"  # 東京都新宿区歌舞伎町
YAMADA = ("山田", "太郎", "ヤマダ", "タロウ")


def an_account(server: Server) -> str:
    """A citizen's account, signed up and confirmed over HTTP: the browser only signs in.
    The address is one the screenshots replace (tests.browser.helpers.STAFF_EXAMPLES)."""
    email = f"citizen-{secrets.token_hex(3)}@example.jp"
    with httpx.Client(base_url=server.base_url) as client:
        sign_up_and_in(client, server.outbox, email)  # type: ignore[arg-type]
    return email


def sample_file(folder: Path, name: str) -> Path:
    """A small file of the kind its name says (.pdf, .png or .jpg)."""
    media_type = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}
    path = folder / name
    path.write_bytes(SAMPLES[media_type[name.rsplit(".", 1)[1]]])
    return path


def continue_(page: Page) -> None:
    page.get_by_role("button", name=JA["continue"], exact=True).click()


# --- 飲食店営業許可申請: a corporation, four uploads, an error; then the console on a phone ------


def test_a_corporation_applies_for_a_restaurant_permit_and_a_clerk_opens_it_on_a_phone(
    new_page: NewPage, server: Server, tmp_path: Path
) -> None:
    email = an_account(server)
    page = new_page("ja")
    page.goto("/")
    sign_in(page, email)
    page.get_by_role("link", name="飲食店営業許可申請").click()
    expect(heading(page)).to_have_text("飲食店営業許可申請")
    expect(page.get_by_role("main")).to_contain_text("18,300")  # the fee, before starting
    check_accessibility(page, "ja restaurant start")
    page.get_by_role("button", name=JA["start"]).click()

    restaurant_applicant(page)
    restaurant_premises(page)
    restaurant_hygiene_manager(page, tmp_path)
    restaurant_documents_forgetting_the_registry_certificate(page, tmp_path)
    on_page(page, "確認")
    page.get_by_label("食品衛生法第55条第2項").check()
    page.get_by_label("記載内容に相違ありません。").check()
    check_page(page, "ja restaurant declaration")
    continue_(page)

    expect(heading(page)).to_have_text(JA["check"])
    answers = page.get_by_role("main")
    for answer in (
        "株式会社まどぐち食堂",
        "まどぐちビル1階",
        "佐藤",
        "R5-012345",
        "調理師免許証.pdf",
        "平面図.pdf",
        "厨房設備配置図.png",
        "履歴事項全部証明書.pdf",
    ):
        expect(answers).to_contain_text(answer)
    check_page(page, "ja restaurant check answers")
    page.get_by_role("button", name=JA["submit"]).click()
    expect(heading(page)).to_have_text(JA["submitted"])
    reference = reference_on(page)
    check_page(page, "ja restaurant confirmation")

    a_clerk_opens_the_application_on_a_phone(new_page("ja", MOBILE), server, reference)


def restaurant_applicant(page: Page) -> None:
    """A corporation: its name, number and representative's title are asked for too."""
    on_page(page, "申請者（営業者）")
    corporation_name = page.get_by_label("法人の名称")
    expect(corporation_name).to_be_hidden()
    page.get_by_role("radio", name="法人").check()
    expect(corporation_name).to_be_visible()
    corporation_name.fill("株式会社まどぐち食堂")
    page.get_by_label("法人番号").fill("7000012050002")
    page.get_by_label("代表者の役職").fill("代表取締役")
    fill_name(page.get_by_role("group", name="氏名"), JA, YAMADA)
    page.get_by_label("郵便番号").fill(POSTAL_CODE)
    street = page.get_by_role("group", name="住所").get_by_label(JA["street"])
    expect(street).to_have_value("西新宿")
    street.fill("西新宿2-8-1")
    page.get_by_label("日中に連絡がとれる電話番号").fill("03-5321-1111")
    check_page(page, "ja restaurant applicant, a corporation")
    continue_(page)


def restaurant_premises(page: Page) -> None:
    on_page(page, "営業施設")
    page.get_by_label("営業所の名称（屋号・店舗名）").fill("まどぐち食堂 新宿店")
    page.get_by_label("営業所の郵便番号").fill(KABUKICHO)
    premises = page.get_by_role("group", name="営業所の所在地")
    expect(premises.get_by_label(JA["street"])).to_have_value("歌舞伎町")
    premises.get_by_label(JA["street"]).fill("歌舞伎町一丁目4番1号")
    premises.get_by_label("建物名・部屋番号").fill("まどぐちビル1階")
    page.get_by_label("業態").select_option(label="一般食堂・レストラン")
    page.get_by_role("checkbox", name="持ち帰り（テイクアウト）").check()
    page.get_by_role("checkbox", name="酒類の提供", exact=True).check()
    fill_date(page.get_by_role("group", name="営業開始予定日"), JA, ("2027", "1", "15"))
    page.get_by_label("客席数").fill("28")
    page.get_by_label("営業施設の面積（調理場を含む）").fill("45.50")
    page.get_by_role("radio", name="水道水（受水槽を経由）").check()
    check_page(page, "ja restaurant premises")
    continue_(page)


def restaurant_hygiene_manager(page: Page, tmp_path: Path) -> None:
    """Someone else is the manager: their name is asked for; their licence attached."""
    on_page(page, "食品衛生責任者")
    manager = page.get_by_role("group", name="食品衛生責任者の氏名")
    expect(manager).to_be_hidden()
    page.get_by_role("radio", name="いいえ").check()
    expect(manager).to_be_visible()
    fill_name(manager, JA, ("佐藤", "花子", "サトウ", "ハナコ"))
    page.get_by_role("radio", name="調理師", exact=True).check()
    page.get_by_label("修了証・免許証の番号").fill("R5-012345")
    page.get_by_label("食品衛生責任者の資格を証明する書類").set_input_files(
        sample_file(tmp_path, "調理師免許証.pdf")
    )
    check_page(page, "ja restaurant hygiene manager")
    continue_(page)


def restaurant_documents_forgetting_the_registry_certificate(page: Page, tmp_path: Path) -> None:
    """Two plans chosen at once, but a corporation's registry certificate forgotten: the
    page comes back with the error and the plans kept; the certificate is added then."""
    on_page(page, "添付書類")
    plans = [sample_file(tmp_path, "平面図.pdf"), sample_file(tmp_path, "厨房設備配置図.png")]
    page.get_by_label("施設の構造及び設備を示す図面").set_input_files(plans)
    continue_(page)

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^エラー: 添付書類 - "))
    certificate = page.get_by_label("登記事項証明書")
    expect(certificate).to_have_attribute("aria-invalid", "true")
    for plan in ("平面図.pdf", "厨房設備配置図.png"):
        expect(page.get_by_role("button", name=f"削除 {plan}")).to_be_visible()
    check_page(page, "ja restaurant documents, the certificate missing")
    summary.get_by_role("link", name=re.compile("登記事項証明書")).click()
    expect(certificate).to_be_focused()
    certificate.set_input_files(sample_file(tmp_path, "履歴事項全部証明書.pdf"))
    continue_(page)


def a_clerk_opens_the_application_on_a_phone(page: Page, server: Server, reference: str) -> None:
    """The health centre's clerk: the queue and the case at 360 px, for docs/screenshots."""
    email, totp = make_clerk(server, ["clerk"], department="seikatsu-eisei")
    console_sign_in(page, email, totp, check=False)  # checked on a desktop in test_clerk_browser
    page.get_by_role("main").get_by_role("link", name="飲食店営業許可申請").first.click()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    # The table scrolls sideways in its own region, which the keyboard reaches; the page
    # does not scroll.
    assert_no_horizontal_scrolling(page)
    tab_to(page, page.get_by_role("region", name="このページの申請 1件"))
    check_accessibility(page, "ja console queue, phone")
    page.get_by_role("link", name=reference).click()
    expect(heading(page)).to_contain_text(reference)
    expect(page.get_by_role("main")).to_contain_text("株式会社まどぐち食堂")
    assert_no_horizontal_scrolling(page)
    check_accessibility(page, "ja console case, phone")
    # A screenshot replaces the reference number in the page: the queue's is taken after.
    # The case's first screen only: further down, the receipt shows as being prepared or
    # as issued, depending on when the worker's round came.
    screenshot(page, "ja-mobile-console-case", more=STAFF_EXAMPLES, full_page=False)
    page.go_back()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    screenshot(page, "ja-mobile-console-queue", more=STAFF_EXAMPLES)


# --- り災証明書交付申請, in English ------------------------------------------------------------


def test_a_resident_applies_for_a_disaster_certificate_in_english(
    new_page: NewPage, server: Server, tmp_path: Path
) -> None:
    email = an_account(server)
    page = new_page("en")
    page.goto("/")
    sign_in(page, email, "en")
    page.get_by_role("link", name="Application for a disaster damage certificate").click()
    expect(heading(page)).to_have_text("Application for a disaster damage certificate")
    check_accessibility(page, "en disaster start")
    page.get_by_role("button", name=EN["start"]).click()

    on_page(page, "About you")
    fill_name(page.get_by_role("group", name="Full name"), EN, YAMADA)
    fill_date(page.get_by_role("group", name="Date of birth"), EN, ("1980", "4", "1"))
    page.get_by_label(EN["phone"]).fill("090-1234-5678")
    page.get_by_label(EN["postal_code"]).fill(POSTAL_CODE)
    street = page.get_by_role("group", name="Your current address").get_by_label(EN["street"])
    expect(street).to_have_value("西新宿")
    street.fill("西新宿2-8-1")
    page.get_by_role("radio", name="I live in it (rented)").check()
    check_page(page, "en disaster about you")
    page.get_by_role("button", name=EN["continue"], exact=True).click()

    the_damage_elsewhere_from_a_typhoon(page, tmp_path)

    on_page(page, "Declaration")
    page.get_by_label("I agree that ward staff may inspect the building").check()
    page.get_by_label("The information I have given is correct.").check()
    check_page(page, "en disaster declaration")
    page.get_by_role("button", name=EN["continue"], exact=True).click()

    expect(heading(page)).to_have_text(EN["check"])
    answers = page.get_by_role("main")
    for answer in ("山田", "歌舞伎町一丁目4番1号", "Typhoon", "Roof", "roof.jpg", "north-wall.png"):
        expect(answers).to_contain_text(answer)
    check_page(page, "en disaster check answers")
    page.get_by_role("button", name=EN["submit"]).click()
    expect(heading(page)).to_have_text(EN["submitted"])
    reference_on(page)  # there is one
    check_page(page, "en disaster confirmation")


def the_damage_elsewhere_from_a_typhoon(page: Page, tmp_path: Path) -> None:
    """A building at another address (asked for), a typhoon (flooding asked for), photos."""
    on_page(page, "The damage")
    building = page.get_by_role("group", name="Address of the damaged building")
    expect(building).to_be_hidden()
    page.get_by_role("radio", name="No", exact=True).check()
    expect(building).to_be_visible()
    page.get_by_label("Postal code of the damaged building").fill(KABUKICHO)
    expect(building.get_by_label(EN["street"])).to_have_value("歌舞伎町")
    building.get_by_label(EN["street"]).fill("歌舞伎町一丁目4番1号")
    page.get_by_role("radio", name="A house").check()
    flooding = page.get_by_role("group", name="Flooding")
    expect(flooding).to_be_hidden()
    page.get_by_role("radio", name="Typhoon").check()
    expect(flooding).to_be_visible()
    flooding.get_by_role("radio", name="Water below floor level only").check()
    fill_date(page.get_by_role("group", name="Date of the damage"), EN, ("2026", "10", "12"))
    page.get_by_role("checkbox", name="Roof").check()
    page.get_by_role("checkbox", name="Outside walls").check()
    page.get_by_label("Describe the damage").fill(
        "The wind blew off about 10 roof tiles and rain comes into an upstairs room."
    )
    page.get_by_label("Photos of the damage").set_input_files(
        [sample_file(tmp_path, "roof.jpg"), sample_file(tmp_path, "north-wall.png")]
    )
    page.get_by_label("Number of copies").fill("2")
    check_page(page, "en disaster damage")
    page.get_by_role("button", name=EN["continue"], exact=True).click()


# --- a draft taken up again, with the keyboard only -------------------------------------------


def test_a_saved_childcare_application_is_resumed_later_with_the_keyboard_only(
    new_page: NewPage, server: Server, tmp_path: Path
) -> None:
    email = an_account(server)
    first_visit = new_page("ja")
    first_visit.goto("/")
    sign_in(first_visit, email)
    starts_childcare_and_saves_it_for_later(first_visit)
    first_visit.context.close()  # another day, another browser

    page = new_page("ja")
    page.goto("/")
    sign_in(page, email)
    # From here on, the keyboard only.
    press(page, page.get_by_role("banner").get_by_role("link", name="一時保存した申請"), "Enter")
    expect(heading(page)).to_have_text("一時保存した申請")
    check_accessibility(page, "ja saved applications, one saved")
    press(page, page.get_by_role("main").get_by_role("link", name="保育所等利用申込"), "Enter")

    on_page(page, "利用を希望するお子さん")  # where it was left, as it was left
    first = page.get_by_role("group", name="お子さん（1）")
    first_name = first.get_by_role("group", name="氏名").get_by_label("名", exact=True)
    expect(first_name).to_have_value("𠮷乃")
    expect(first.get_by_role("radio", name="いいえ")).to_be_checked()
    a_second_child_with_the_keyboard(page)
    working_with_the_keyboard(page, tmp_path)

    on_page(page, "確認")
    agree = page.get_by_label("記載内容に相違ありません。")
    press(page, agree, " ")
    expect(agree).to_be_checked()
    assert_reflows(page)
    press(page, page.get_by_role("button", name=JA["continue"], exact=True), "Enter")

    expect(heading(page)).to_have_text(JA["check"])
    answers = page.get_by_role("main")
    for answer in ("髙橋", "花子", "西新宿2-8-1", "𠮷乃", "陽斗", "160", "就労証明書.pdf"):
        expect(answers).to_contain_text(answer)
    assert_reflows(page)
    press(page, page.get_by_role("button", name=JA["submit"]), "Enter")
    expect(heading(page)).to_have_text(JA["submitted"])
    assert_reflows(page)


def starts_childcare_and_saves_it_for_later(page: Page) -> None:
    """About the applicant, then the first child; "save" on the second page."""
    page.get_by_role("link", name="保育所等利用申込").click()
    page.get_by_role("button", name=JA["start"]).click()
    on_page(page, "申請者の情報")
    fill_name(page.get_by_role("group", name="氏名"), JA, ("髙橋", "花子", "タカハシ", "ハナコ"))
    birth_date = page.get_by_role("group", name="生年月日")
    birth_date.get_by_label("元号").select_option(label="平成")
    fill_date(birth_date, JA, ("2", "4", "1"))
    page.get_by_label("郵便番号").fill(POSTAL_CODE)
    street = page.get_by_role("group", name="住所").get_by_label(JA["street"])
    expect(street).to_have_value("西新宿")
    street.fill("西新宿2-8-1")
    page.get_by_label("電話番号").fill("03-5321-1111")
    assert_reflows(page)
    continue_(page)

    on_page(page, "利用を希望するお子さん")
    child = page.get_by_role("group", name="お子さん（1）")
    fill_name(child.get_by_role("group", name="氏名"), JA, ("髙橋", "𠮷乃", "タカハシ", "ヨシノ"))
    fill_date(child.get_by_role("group", name="生年月日"), JA, ("2024", "5", "1"))
    child.get_by_role("radio", name="いいえ").check()
    page.get_by_role("button", name="一時保存する").click()
    expect(heading(page)).to_have_text("一時保存した申請")
    expect(page.get_by_role("main")).to_contain_text("保育所等利用申込")


def a_second_child_with_the_keyboard(page: Page) -> None:
    """ "Add a child" pressed with Enter; the new child's answers typed; "no" chosen with
    an arrow key, which moves along a group of radios and chooses."""
    press(page, page.get_by_role("button", name="お子さんを追加"), "Enter")
    second = page.get_by_role("group", name="お子さん（2）")
    expect(second).to_be_visible()
    on_page(page, "利用を希望するお子さん")
    name = second.get_by_role("group", name="氏名")
    for part, answer in zip(
        ("family", "given", "family_kana", "given_kana"),
        ("髙橋", "陽斗", "タカハシ", "ハルト"),
        strict=True,
    ):
        type_into(page, name.get_by_label(JA[part], exact=True), answer)
    birth_date = second.get_by_role("group", name="生年月日")
    for part, answer in zip(("year", "month", "day"), ("2025", "9", "15"), strict=True):
        type_into(page, birth_date.get_by_label(JA[part], exact=True), answer)
    no_support = second.get_by_role("radio", name="いいえ")
    tab_to(page, second.get_by_role("radio", name="はい"))
    tab_to(page, no_support, key="ArrowRight")
    expect(no_support).to_be_checked()
    check_page(page, "ja childcare children, a second child added with the keyboard")
    press(page, page.get_by_role("button", name=JA["continue"], exact=True), "Enter")


def working_with_the_keyboard(page: Page, tmp_path: Path) -> None:
    """A radio chosen with Space, the hours it reveals typed, and the proof of employment
    chosen in the file chooser that Enter opens."""
    # Playwright asks the browser for file choosers when a test first listens for them,
    # without waiting for the answer: listen before the key press that opens one.
    page.on("filechooser", lambda _: None)
    on_page(page, "保育が必要な理由")
    working = page.get_by_role("radio", name="就労", exact=True)
    press(page, working, " ")
    expect(working).to_be_checked()
    hours = page.get_by_label("月の就労時間")
    expect(hours).to_be_visible()
    type_into(page, hours, "160")
    proof = page.get_by_label("就労証明書")
    tab_to(page, proof)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Enter")
    chooser.value.set_files(sample_file(tmp_path, "就労証明書.pdf"))
    expect(proof).to_have_value(re.compile(r"就労証明書\.pdf$"))
    check_page(page, "ja childcare reason for care, with the keyboard")
    press(page, page.get_by_role("button", name=JA["continue"], exact=True), "Enter")


# --- the bulky-waste pages at 400% zoom ---------------------------------------------------------


def test_every_bulky_waste_page_reflows_at_320_px_blank_and_with_every_error(
    new_page: NewPage, server: Server
) -> None:
    """The other procedures' pages are checked at 320 px as the tests above answer them."""
    page = new_page("ja", REFLOW)
    page.goto("/procedures/bulky-waste")
    page.get_by_role("button", name=JA["start"]).click()
    page.wait_for_url("**/pages/**")
    draft = page.url.rsplit("/pages/", 1)[0]
    for form_page in definition_pages(server, "bulky-waste"):
        page.goto(f"{draft}/pages/{form_page}")
        assert_no_horizontal_scrolling(page, REFLOW["width"])
        continue_(page)
        expect(page.get_by_role("alert")).to_be_visible()
        assert_no_horizontal_scrolling(page, REFLOW["width"])


def definition_pages(server: Server, procedure: str) -> list[str]:
    """The ids of the procedure's pages, as forms/ defines them now."""
    with server.services.db() as db:
        definition = DefinitionStore(db).load(server.services.current[procedure]).definition
    return [form_page.id for form_page in definition.pages]
