"""The childcare path through the clerks' console in a real browser, with two clerks signed
in side by side: received → review → correction → the applicant corrects and resubmits →
recommend → approved by a second person (the first may not: four eyes)."""

from __future__ import annotations

import secrets
import time

import httpx2 as httpx
import pyotp
from playwright.sync_api import Page, expect

from auth.clerks import ClerkService
from engine.storage.definitions import DefinitionStore
from tests.browser.conftest import NewPage, Server
from tests.conftest import childcare_answers
from tests.web.flows import PASSWORD, complete, sign_up_and_in


def make_clerk(server: Server, roles: list[str]) -> tuple[str, pyotp.TOTP]:
    services = server.services
    email = f"clerk-{secrets.token_hex(3)}@city.example.jp"
    with services.db() as db:
        clerks = ClerkService(
            db, services.mailer, services.settings.base_url, services.cipher, services.clock
        )
        user = clerks.add(
            email, memberships=[("kodomo-katei", r) for r in roles], password=PASSWORD
        )
        totp = pyotp.TOTP(clerks.begin_enrollment(user).secret)
        clerks.confirm_enrollment(user, totp.now())
    return email, totp


def console_sign_in(page: Page, email: str, totp: pyotp.TOTP) -> None:
    page.goto("/console")
    page.get_by_label("メールアドレス").fill(email)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="次へ進む").click()
    # The enrolment spent this time step's code: the next one is still accepted.
    page.get_by_label("確認コード").fill(totp.at(int(time.time()), counter_offset=1))
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("職員用画面")


def open_case(page: Page, reference: str) -> None:
    page.goto("/console")
    page.get_by_role("link", name="保育所等利用申込").first.click()
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)


def take_step(page: Page, label: str, comment: str | None = None) -> None:
    form = page.locator("form.panel").filter(has=page.get_by_role("heading", name=label))
    if comment is not None:
        form.get_by_label("コメント").fill(comment)
    form.get_by_role("button", name=label).click()


def test_two_clerks_and_the_applicant_take_childcare_to_a_decision(
    new_page: NewPage, server: Server
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
    clerk.get_by_label("電話番号").check()
    take_step(clerk, "補正を求める", comment="電話番号が古いようです。ご確認ください。")
    expect(clerk.locator("dl.summary-list").first).to_contain_text("補正待ち")

    citizen = new_page("ja")
    citizen.goto("/sign-in")
    citizen.get_by_label("メールアドレス").fill(citizen_email)
    citizen.get_by_label("パスワード").fill(PASSWORD)
    citizen.get_by_role("button", name="ログイン", exact=True).click()
    citizen.goto("/applications")
    card = citizen.locator(".card").filter(has_text=reference)
    card.get_by_role("link").click()
    expect(citizen.get_by_role("main")).to_contain_text("電話番号が古いようです")
    citizen.get_by_role("link", name="申請内容を修正する").click()
    citizen.get_by_label("電話番号").fill("090-1234-5678")
    citizen.get_by_role("button", name="次へ進む").click()
    expect(citizen.get_by_text("補正した内容を保存しました")).to_be_visible()
    citizen.get_by_role("button", name="修正して再提出する").click()
    expect(citizen.get_by_role("main")).to_contain_text("審査中")

    open_case(clerk, reference)
    expect(clerk.get_by_role("main")).to_contain_text("090-1234-5678")
    take_step(clerk, "承認を上申する")
    # The one who recommended may not approve: the button is not offered.
    expect(clerk.get_by_role("button", name="承認する")).to_have_count(0)

    open_case(chief, reference)
    take_step(chief, "承認する")
    expect(chief.locator("dl.summary-list").first).to_contain_text("承認")
    citizen.reload()
    expect(citizen.get_by_role("main")).to_contain_text("承認")
    # The worker issues the decision notice; the page looks again by itself meanwhile.
    expect(citizen.get_by_role("link", name="決定通知書")).to_be_visible(timeout=30_000)
    expect(citizen.get_by_role("link", name="受付完了通知書")).to_be_visible()
