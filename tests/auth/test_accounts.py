from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import auth.accounts
import auth.passwords
from auth.accounts import AccountService
from auth.errors import AccountError, InvalidToken, SignInRefused
from auth.models import User
from auth.sessions import SessionService
from engine.storage.models import Event
from tests.auth.conftest import BASE_URL, EMAIL, IP, PASSWORD, Clock, Outbox


def sign_up(accounts: AccountService, email: str = EMAIL, language: str = "ja") -> User:
    accounts.sign_up(email, PASSWORD, language)
    user = accounts.db.scalar(select(User).where(User.email == email.lower()))
    assert user is not None
    return user


def count_users(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(User)) or 0


# Sign-up and confirmation


def test_sign_up_mails_a_link_that_confirms_the_address(
    accounts: AccountService, outbox: Outbox
) -> None:
    user = sign_up(accounts)
    assert user.email_verified_at is None
    assert user.kind == "citizen"
    assert user.password_hash
    assert user.password_hash.startswith("$argon2id$")
    mail = outbox.last()
    assert mail.to == EMAIL
    assert mail.subject == "【窓口】メールアドレスの確認 / Confirm your email address"
    assert "48時間" in mail.body
    assert "48 hours" in mail.body
    assert mail.body.index("メールアドレスの確認") < mail.body.index("confirm your email")
    assert accounts.verify_email(mail.link("/account/verify")) is user
    assert user.email_verified_at == accounts.clock()


def test_mails_start_in_the_account_language(accounts: AccountService, outbox: Outbox) -> None:
    sign_up(accounts, language="en")
    mail = outbox.last()
    assert mail.subject == "[Madoguchi] Confirm your email address / メールアドレスの確認"
    assert mail.body.startswith("Thank you for registering")


def test_a_confirmation_link_works_once(accounts: AccountService, outbox: Outbox) -> None:
    sign_up(accounts)
    token = outbox.last().link("/account/verify")
    accounts.verify_email(token)
    with pytest.raises(InvalidToken):
        accounts.verify_email(token)


def test_a_confirmation_link_expires(
    accounts: AccountService, outbox: Outbox, clock: Clock
) -> None:
    sign_up(accounts)
    clock.advance(hours=48)
    with pytest.raises(InvalidToken):
        accounts.verify_email(outbox.last().link("/account/verify"))


def test_the_confirmation_mail_can_be_sent_again_but_not_in_a_burst(
    accounts: AccountService, outbox: Outbox, clock: Clock
) -> None:
    user = sign_up(accounts)
    first = outbox.last().link("/account/verify")
    accounts.send_verification(user)
    assert len(outbox.read()) == 1
    clock.advance(minutes=2)
    accounts.send_verification(user)
    assert len(outbox.read()) == 2
    with pytest.raises(InvalidToken):
        accounts.verify_email(first)
    accounts.verify_email(outbox.last().link("/account/verify"))
    clock.advance(minutes=2)
    accounts.send_verification(user)  # confirmed: nothing to send
    assert len(outbox.read()) == 2


def test_signing_up_again_mails_the_owner_and_looks_the_same(
    db: Session, accounts: AccountService, outbox: Outbox
) -> None:
    owner = sign_up(accounts, language="en")
    password_hash = owner.password_hash
    # Returns as for a new account (None): the web layer shows the same page.
    accounts.sign_up("Hanako@Example.JP", "another good password", "ja")
    assert count_users(db) == 1
    assert owner.password_hash == password_hash
    mail = outbox.last()
    assert mail.to == EMAIL
    assert mail.subject.startswith("[Madoguchi] You already have an account")  # owner's language
    assert f"{BASE_URL}/account/sign-in" in mail.body
    assert f"{BASE_URL}/account/forgot-password" in mail.body
    assert "token=" not in mail.body


@pytest.mark.parametrize(
    ("email", "password", "code"),
    [
        ("not an email", PASSWORD, "invalid_email"),
        (EMAIL, "short", "too_short"),
        (EMAIL, EMAIL, "same_as_email"),
        (EMAIL, "password123", "too_common"),
    ],
)
def test_sign_up_refuses_what_the_citizen_can_correct(  # noqa: PLR0917 -- fixtures
    db: Session, accounts: AccountService, outbox: Outbox, email: str, password: str, code: str
) -> None:
    with pytest.raises(AccountError) as raised:
        accounts.sign_up(email, password, "ja")
    assert raised.value.code == code
    assert count_users(db) == 0
    assert outbox.read() == []


def test_sign_up_stores_the_normalised_address(accounts: AccountService, outbox: Outbox) -> None:
    accounts.sign_up("ＨＡＮＡＫＯ＠ｅｘａｍｐｌｅ．ｊｐ", PASSWORD, "ja")
    assert outbox.last().to == EMAIL
    assert accounts.sign_in(EMAIL, PASSWORD, IP).email == EMAIL


# Sign-in


def test_sign_in_opens_the_account_even_before_confirmation(accounts: AccountService) -> None:
    user = sign_up(accounts)
    assert accounts.sign_in("Hanako@Example.jp", PASSWORD, IP) is user
    assert user.email_verified_at is None  # the web layer reminds them


def test_wrong_password_and_unknown_email_are_refused_alike(
    accounts: AccountService, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_up(accounts)
    verified: list[str | None] = []
    real = auth.passwords.verify_password

    def spy(password_hash: str | None, password: str) -> bool:
        verified.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(auth.accounts, "verify_password", spy)
    refusals = []
    for email, password in [(EMAIL, "wrong password!"), ("nobody@example.jp", PASSWORD)]:
        with pytest.raises(SignInRefused) as raised:
            accounts.sign_in(email, password, IP)
        refusals.append((type(raised.value), raised.value.retry_after, str(raised.value)))
    assert refusals[0] == refusals[1] == (SignInRefused, None, "sign-in refused")
    # Both paths verified a hash (a dummy one for the unknown email): same cost.
    assert verified[0] is not None
    assert verified[1] is None


def test_sign_ins_and_refusals_go_into_the_audit_log(accounts: AccountService, db: Session) -> None:
    user = sign_up(accounts)
    accounts.sign_in(EMAIL, PASSWORD, IP)
    with pytest.raises(SignInRefused):
        accounts.sign_in(EMAIL, "wrong password!", IP)
    entries = db.scalars(
        select(Event).where(Event.kind.in_(["sign_in", "sign_in_refused"])).order_by(Event.seq)
    ).all()
    assert [(e.kind, e.actor) for e in entries[-2:]] == [
        ("sign_in", user.id),
        ("sign_in_refused", "anonymous"),
    ]
    assert EMAIL not in str(entries[-1].data)  # a digest, not the address


def test_clerk_accounts_cannot_sign_in_as_citizens(accounts: AccountService) -> None:
    user = sign_up(accounts)
    user.kind = "clerk"
    with pytest.raises(SignInRefused):
        accounts.sign_in(EMAIL, PASSWORD, IP)
    assert accounts.sign_in(EMAIL, PASSWORD, IP, kind="clerk") is user


def test_a_huge_password_is_refused_without_hashing_it(accounts: AccountService) -> None:
    sign_up(accounts)
    with pytest.raises(SignInRefused):
        accounts.sign_in(EMAIL, PASSWORD + "x" * 100_000, IP)


def test_sign_in_throttles_after_five_failures_per_email(accounts: AccountService) -> None:
    sign_up(accounts)
    for n in range(5):
        with pytest.raises(SignInRefused) as raised:
            accounts.sign_in(EMAIL, "wrong password!", f"198.51.100.{n}")
        assert raised.value.retry_after is None
    with pytest.raises(SignInRefused) as raised:
        accounts.sign_in(EMAIL, PASSWORD, "192.0.2.1")  # right password, other address
    assert raised.value.retry_after == 15 * 60
    assert str(raised.value) == "sign-in throttled"


def test_sign_in_throttles_after_five_failures_per_address(
    accounts: AccountService, clock: Clock
) -> None:
    sign_up(accounts)
    for n in range(5):
        with pytest.raises(SignInRefused):
            accounts.sign_in(f"guess{n}@example.jp", PASSWORD, IP)
    with pytest.raises(SignInRefused) as raised:
        accounts.sign_in(EMAIL, PASSWORD, IP)
    assert raised.value.retry_after == 15 * 60
    assert accounts.sign_in(EMAIL, PASSWORD, "192.0.2.1").email == EMAIL
    clock.advance(minutes=15)
    assert accounts.sign_in(EMAIL, PASSWORD, IP).email == EMAIL


def test_invalid_emails_are_throttled_too(accounts: AccountService) -> None:
    for _ in range(5):
        with pytest.raises(SignInRefused):
            accounts.sign_in("not an email", PASSWORD, None)
    with pytest.raises(SignInRefused) as raised:
        accounts.sign_in("NOT AN EMAIL ", PASSWORD, None)
    assert raised.value.retry_after is not None


def test_old_hashes_are_upgraded_at_sign_in(accounts: AccountService) -> None:
    user = sign_up(accounts)
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    accounts.sign_in(EMAIL, PASSWORD, IP)
    assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert accounts.sign_in(EMAIL, PASSWORD, IP) is user


# Password reset


def test_a_reset_sets_the_password_and_ends_every_session(
    accounts: AccountService, sessions: SessionService, outbox: Outbox
) -> None:
    user = sign_up(accounts)
    phone = sessions.sign_in(sessions.start("ja").session, user)
    laptop = sessions.sign_in(sessions.start("ja").session, user)
    accounts.request_password_reset("hanako@example.jp")
    mail = outbox.last()
    assert mail.subject.startswith("【窓口】パスワードの再設定")
    assert "有効期限は1時間" in mail.body
    assert "valid for 1 hour " in mail.body
    token = mail.link("/account/reset")
    assert accounts.check_reset_token(token) is user

    assert accounts.reset_password(token, "a brand new passphrase") is user
    assert sessions.load(phone.token) is None
    assert sessions.load(laptop.token) is None
    assert accounts.sign_in(EMAIL, "a brand new passphrase", IP) is user
    with pytest.raises(SignInRefused):
        accounts.sign_in(EMAIL, PASSWORD, IP)
    assert user.email_verified_at is not None  # the link proved the address
    assert outbox.last().subject.startswith("【窓口】パスワードが変更されました")
    with pytest.raises(InvalidToken):
        accounts.reset_password(token, "yet another passphrase")


def test_a_reset_lifts_the_lock_on_the_email(accounts: AccountService, outbox: Outbox) -> None:
    user = sign_up(accounts)
    for n in range(5):
        with pytest.raises(SignInRefused):
            accounts.sign_in(EMAIL, "forgotten password", f"198.51.100.{n}")
    accounts.request_password_reset(EMAIL)
    accounts.reset_password(outbox.last().link("/account/reset"), "a brand new passphrase")
    assert accounts.sign_in(EMAIL, "a brand new passphrase", "192.0.2.1") is user


def test_a_refused_new_password_leaves_the_link_usable(
    accounts: AccountService, outbox: Outbox
) -> None:
    user = sign_up(accounts)
    accounts.request_password_reset(EMAIL)
    token = outbox.last().link("/account/reset")
    with pytest.raises(AccountError) as raised:
        accounts.reset_password(token, "short")
    assert raised.value.code == "too_short"
    assert accounts.reset_password(token, "a brand new passphrase") is user


def test_a_reset_link_expires_after_an_hour(
    accounts: AccountService, outbox: Outbox, clock: Clock
) -> None:
    sign_up(accounts)
    accounts.request_password_reset(EMAIL)
    clock.advance(hours=1)
    token = outbox.last().link("/account/reset")
    with pytest.raises(InvalidToken):
        accounts.check_reset_token(token)
    with pytest.raises(InvalidToken):
        accounts.reset_password(token, "a brand new passphrase")


@pytest.mark.parametrize("email", ["nobody@example.jp", "not an email", ""])
def test_a_reset_for_an_unknown_email_returns_quietly(
    accounts: AccountService, outbox: Outbox, email: str
) -> None:
    sign_up(accounts)
    before = len(outbox.read())
    accounts.request_password_reset(email)  # returns normally
    assert len(outbox.read()) == before


def test_reset_mails_cannot_flood_a_mailbox(
    accounts: AccountService, outbox: Outbox, clock: Clock
) -> None:
    sign_up(accounts)
    for _ in range(5):
        accounts.request_password_reset(EMAIL)
    assert len(outbox.read()) == 2  # the confirmation and one reset
    clock.advance(minutes=2)
    accounts.request_password_reset(EMAIL)
    assert len(outbox.read()) == 3


def test_a_verification_token_cannot_reset_a_password(
    accounts: AccountService, outbox: Outbox
) -> None:
    sign_up(accounts)
    with pytest.raises(InvalidToken):
        accounts.reset_password(outbox.last().link("/account/verify"), "a brand new passphrase")
