"""The childcare path through the clerks' console in a real browser, with two clerks signed
in side by side: received → review → correction → the applicant corrects and resubmits →
recommend → approved by a second person (the first may not: four eyes), with the keyboard
only. And an administrator adding a clerk, who sets up their sign-in."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

import httpx2 as httpx
import pyotp
from playwright.sync_api import Page, expect

from engine.storage.definitions import DefinitionStore
from tests.browser.conftest import (
    NewPage,
    Server,
    check_accessibility,
    mailed_link,
    screenshot,
    tab_to,
)
from tests.browser.helpers import STAFF_EXAMPLES, console_sign_in, make_clerk
from tests.conftest import childcare_answers
from tests.web.flows import PASSWORD, complete, sign_up_and_in

CODE = re.compile(r"^Code")  # the two-factor code's label, not the recovery code's


def open_case(page: Page, reference: str) -> None:
    page.goto("/console")
    page.get_by_role("link", name="保育所等利用申込").first.click()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    check_accessibility(page, "ja console queue")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    check_accessibility(page, "ja console case")


def take_step(page: Page, label: str, comment: str | None = None) -> None:
    form = page.locator("form.card").filter(has=page.get_by_role("heading", name=label))
    if comment is not None:
        form.get_by_label("コメント").fill(comment)
    form.get_by_role("button", name=label).click()


def take_step_with_the_keyboard(page: Page, label: str) -> None:
    """The step's button reached from the top of the page with Tab, through the skip link,
    and pressed with Enter; every element on the way shows that it has the focus."""
    form = page.locator("form.card").filter(has=page.get_by_role("heading", name=label))
    button = form.get_by_role("button", name=label)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="本文へ移動")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    tab_to(page, button)
    page.keyboard.press("Enter")


def test_two_clerks_and_the_applicant_take_childcare_to_a_decision(
    new_page: NewPage, server: Server, tmp_path: Path
) -> None:
    citizen_email = f"citizen-{secrets.token_hex(3)}@example.jp"
    with httpx.Client(base_url=server.base_url) as client:
        sign_up_and_in(client, server.outbox, citizen_email)  # type: ignore[arg-type]
        with server.services.db() as db:
            version = server.services.current["childcare-enrollment"]
            definition = DefinitionStore(db).load(version).definition
        reference = complete(client, definition, childcare_answers()).reference  # type: ignore[arg-type]

    clerk_email, clerk_totp = make_clerk(server, ["clerk", "section_chief"])
    chief_email, chief_totp = make_clerk(server, ["section_chief"])
    clerk = new_page("ja")
    chief = new_page("ja")
    console_sign_in(clerk, clerk_email, clerk_totp)
    console_sign_in(chief, chief_email, chief_totp)

    open_case(clerk, reference)
    take_step(clerk, "審査を始める")
    expect(clerk.get_by_text("操作を記録しました")).to_be_visible()
    check_accessibility(clerk, "ja console case, a step recorded")
    clerk.get_by_label("電話番号").check()
    take_step(clerk, "補正を求める", comment="電話番号が古いようです。ご確認ください。")
    expect(clerk.locator("dl.summary-list").first).to_contain_text("補正待ち")
    check_accessibility(clerk, "ja console case, awaiting a correction")
    clerk.get_by_role("link", name="処理の流れ").first.click()
    expect(clerk.locator(".workflow-picture svg")).to_be_visible()
    check_accessibility(clerk, "ja console workflow picture")

    citizen = new_page("ja")
    the_applicant_corrects_the_phone_number(citizen, citizen_email, reference)

    open_case(clerk, reference)
    expect(clerk.get_by_role("main")).to_contain_text("090-1234-5678")
    take_step(clerk, "承認を上申する")
    # The one who recommended may not approve: the button is not offered.
    expect(clerk.get_by_role("button", name="承認する")).to_have_count(0)

    open_case(chief, reference)
    take_step_with_the_keyboard(chief, "承認する")
    expect(chief.locator("dl.summary-list").first).to_contain_text("承認")
    check_accessibility(chief, "ja console case, decided")
    screenshot(chief, "ja-desktop-console-case", more=STAFF_EXAMPLES)
    citizen.reload()
    expect(citizen.get_by_role("main")).to_contain_text("承認")
    # The worker issues the decision notice; the page looks again by itself meanwhile.
    expect(citizen.get_by_role("link", name="決定通知書")).to_be_visible(timeout=30_000)
    expect(citizen.get_by_role("link", name="受付完了通知書")).to_be_visible()
    check_accessibility(citizen, "ja status, decided, with its documents")
    the_applicant_downloads_and_checks_the_decision(citizen, reference, tmp_path)
    the_console_in_english(chief, reference)


def the_applicant_downloads_and_checks_the_decision(
    citizen: Page, reference: str, tmp_path: Path
) -> None:
    """The signed decision notice, downloaded, then checked on the public page."""
    with citizen.expect_download() as download:
        citizen.get_by_role("link", name="決定通知書").click()
    notice = tmp_path / "decision.pdf"
    download.value.save_as(notice)
    assert notice.read_bytes().startswith(b"%PDF")
    citizen.goto("/verify")
    check_accessibility(citizen, "ja document check")
    citizen.get_by_label("お手元のPDFファイル").set_input_files(notice)
    citizen.get_by_role("button", name="ファイルを確認する").click()
    main = citizen.get_by_role("main")
    expect(main).to_contain_text("署名後に変更されていません")
    expect(main).to_contain_text(reference)
    expect(main).to_contain_text("決定通知書")
    check_accessibility(citizen, "ja document check, a file we issued")


def the_applicant_corrects_the_phone_number(citizen: Page, email: str, reference: str) -> None:
    citizen.goto("/sign-in")
    citizen.get_by_label("メールアドレス").fill(email)
    citizen.get_by_label("パスワード").fill(PASSWORD)
    citizen.get_by_role("button", name="ログイン", exact=True).click()
    citizen.goto("/applications")
    card = citizen.locator(".card").filter(has_text=reference)
    card.get_by_role("link").click()
    expect(citizen.get_by_role("main")).to_contain_text("電話番号が古いようです")
    check_accessibility(citizen, "ja status, a correction asked for")
    citizen.get_by_role("link", name="申請内容を修正する").click()
    phone = citizen.get_by_label("電話番号")
    expect(phone).to_be_editable()
    check_accessibility(citizen, "ja correction")
    phone.fill("090-1234-5678")
    citizen.get_by_role("button", name="次へ進む").click()
    expect(citizen.get_by_text("補正した内容を保存しました")).to_be_visible()
    check_accessibility(citizen, "ja correction saved")
    citizen.get_by_role("button", name="修正して再提出する").click()
    expect(citizen.get_by_role("main")).to_contain_text("審査中")
    check_accessibility(citizen, "ja status, resubmitted")


def the_console_in_english(page: Page, reference: str) -> None:
    """The decided case, the workflow and the queues after switching to English."""
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    check_accessibility(page, "en console case, decided")
    screenshot(page, "en-desktop-console-case", more=STAFF_EXAMPLES)
    page.get_by_role("link", name="Workflow").first.click()
    expect(page.locator(".workflow-picture svg")).to_be_visible()
    check_accessibility(page, "en console workflow picture")
    page.get_by_role("link", name="All queues").click()
    expect(page.get_by_role("heading", name="Queues")).to_be_visible()
    check_accessibility(page, "en console home")
    page.get_by_role("main").get_by_role("link", name="Childcare").first.click()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    check_accessibility(page, "en console queue")
    screenshot(page, "en-desktop-console-queue", more=STAFF_EXAMPLES)


def test_the_console_sign_in_in_english(new_page: NewPage) -> None:
    page = new_page("en")
    page.goto("/console")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the staff console")
    check_accessibility(page, "en console sign in")


def test_an_admin_adds_a_clerk_who_sets_up_their_sign_in(new_page: NewPage, server: Server) -> None:
    admin_email, admin_totp = make_clerk(server, [], admin=True)
    admin = new_page("en")
    admin.goto("/console")
    admin.get_by_label("Email address").fill(admin_email)
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Continue").click()
    admin.get_by_label(CODE).fill(admin_totp.at(int(time.time()), counter_offset=1))
    admin.get_by_role("button", name="Sign in").click()
    admin.get_by_role("banner").get_by_role("link", name="Clerks").click()
    expect(admin.get_by_role("heading", name="Add a clerk")).to_be_visible()
    check_accessibility(admin, "en console clerks")

    email = f"new-clerk-{secrets.token_hex(3)}@city.example.jp"
    admin.get_by_label("Email address").fill(email)
    admin.locator("#memberships").get_by_role("checkbox").first.check()
    admin.get_by_role("button", name="Add the clerk").click()
    expect(admin.get_by_role("main")).to_contain_text(email)
    check_accessibility(admin, "en console clerk added")

    clerk = new_page("en")
    clerk.goto(mailed_link(server, email, "/console/set-password"))
    expect(clerk.get_by_label("New password")).to_be_editable()
    check_accessibility(clerk, "en console set a password")
    clerk.get_by_label("New password").fill(PASSWORD)
    clerk.get_by_role("button", name="Save the password").click()
    expect(clerk.get_by_role("heading", level=1)).to_have_text("Password saved")
    check_accessibility(clerk, "en console password saved")
    clerk.goto("/console")
    clerk.get_by_label("Email address").fill(email)
    clerk.get_by_label("Password").fill(PASSWORD)
    clerk.get_by_role("button", name="Continue").click()
    secret = clerk.locator(".secret code").inner_text()
    check_accessibility(clerk, "en console two-factor set-up")
    clerk.get_by_label(CODE).fill(pyotp.TOTP(secret.replace(" ", "")).now())
    clerk.get_by_role("button", name="Confirm").click()
    expect(clerk.get_by_role("heading", name="Shown only once")).to_be_visible()
    check_accessibility(clerk, "en console recovery codes")
    clerk.get_by_role("link", name="I have saved the codes: continue").click()
    expect(clerk.get_by_role("heading", name="Queues")).to_be_visible()
