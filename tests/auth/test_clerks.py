from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from auth.clerks import ClerkService
from auth.errors import AccountError, InvalidToken, SignInRefused
from auth.models import RecoveryCode, TotpSecret, User, WebSession
from auth.passwords import hash_password
from auth.second_factor import AlreadyEnrolled
from auth.sessions import SessionService
from engine.storage.crypto import FernetAnswerCipher, generate_key
from tests.auth.conftest import BASE_URL, IP, PASSWORD, Clock, Outbox

EMAIL = "suzuki@city.example.jp"
CLERK = ("kodomo-katei", "clerk")
CHIEF = ("kodomo-katei", "section_chief")


@pytest.fixture
def clerks(db: Session, outbox: Outbox, clock: Clock) -> ClerkService:
    return ClerkService(db, outbox, BASE_URL, FernetAnswerCipher(generate_key()), clock)


def add(
    clerks: ClerkService,
    email: str = EMAIL,
    *,
    memberships: Sequence[tuple[str, str]] = (CLERK,),
    password: str | None = PASSWORD,
    language: str = "ja",
    admin: bool = False,
) -> User:
    return clerks.add(
        email, memberships=memberships, password=password, language=language, admin=admin
    )


def enrol(clerks: ClerkService, user: User) -> tuple[pyotp.TOTP, list[str]]:
    totp = pyotp.TOTP(clerks.begin_enrollment(user).secret)
    codes = clerks.confirm_enrollment(user, totp.at(clerks.clock()))
    return totp, codes


# Accounts and memberships


def test_a_clerk_is_added_with_a_password_and_holds_its_roles(clerks: ClerkService) -> None:
    user = add(clerks, "Suzuki@City.Example.JP", memberships=[CLERK, CHIEF, CLERK])
    assert (user.kind, user.email, user.is_admin) == ("clerk", EMAIL, False)
    assert [(m.department, m.role) for m in clerks.memberships(user)] == [CLERK, CHIEF]
    assert clerks.holds(user, *CHIEF)
    assert not clerks.holds(user, "seiso", "clerk")
    assert clerks.sign_in(EMAIL, PASSWORD, IP) is user


def test_without_a_password_the_clerk_sets_one_through_a_mailed_link(
    clerks: ClerkService, outbox: Outbox, clock: Clock
) -> None:
    user = add(clerks, password=None, language="en")
    mail = outbox.last()
    assert mail.to == EMAIL
    assert mail.subject.startswith("[Madoguchi] Set the password of your account")
    assert "72 hours" in mail.body
    assert "72時間" in mail.body
    token = mail.link("/console/set-password")
    with pytest.raises(SignInRefused):
        clerks.sign_in(EMAIL, PASSWORD, IP)
    assert clerks.check_set_password_token(token) is user
    clock.advance(hours=71)
    with pytest.raises(AccountError, match="too_short"):
        clerks.set_password(token, "short")
    assert clerks.set_password(token, PASSWORD) is user
    assert user.email_verified_at == clock()
    assert clerks.sign_in(EMAIL, PASSWORD, IP) is user
    with pytest.raises(InvalidToken):
        clerks.set_password(token, PASSWORD)


def test_a_set_password_link_expires_after_72_hours(
    clerks: ClerkService, outbox: Outbox, clock: Clock
) -> None:
    add(clerks, password=None)
    clock.advance(hours=72)
    with pytest.raises(InvalidToken):
        clerks.set_password(outbox.last().link("/console/set-password"), PASSWORD)


def test_a_new_link_replaces_the_old_one(clerks: ClerkService, outbox: Outbox) -> None:
    user = add(clerks, password=None)
    first = outbox.last().link("/console/set-password")
    clerks.send_set_password_link(user)
    with pytest.raises(InvalidToken):
        clerks.check_set_password_token(first)
    assert clerks.check_set_password_token(outbox.last().link("/console/set-password")) is user


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"memberships": []}, "no_membership"),
        ({"memberships": [("Kodomo Katei", "clerk")]}, "invalid_membership"),
        ({"memberships": [("kodomo-katei", "section-chief")]}, "invalid_membership"),
        ({"password": "password"}, "too_short"),
    ],
)
def test_what_an_add_refuses(clerks: ClerkService, options: dict[str, Any], code: str) -> None:
    with pytest.raises(AccountError) as refused:
        add(clerks, **options)
    assert refused.value.code == code


def test_an_email_holds_one_account(clerks: ClerkService) -> None:
    add(clerks)
    with pytest.raises(AccountError, match="email_taken"):
        add(clerks, "SUZUKI@city.example.jp")


def test_an_admin_needs_no_membership(clerks: ClerkService) -> None:
    admin = add(clerks, memberships=[], admin=True)
    assert admin.is_admin
    assert clerks.memberships(admin) == []


def test_memberships_are_replaced(clerks: ClerkService) -> None:
    user = add(clerks)
    clerks.set_memberships(user, [CHIEF, ("seiso", "clerk")])
    assert not clerks.holds(user, *CLERK)
    assert clerks.holds(user, "seiso", "clerk")
    clerks.set_memberships(user, [])
    assert clerks.memberships(user) == []


def test_the_overview_lists_clerks_only(clerks: ClerkService, db: Session) -> None:
    db.add(User(email="citizen@example.jp", password_hash=None, language="ja"))
    enrolled = add(clerks, "b@city.example.jp", memberships=[CHIEF, CLERK])
    enrol(clerks, enrolled)
    add(clerks, "a@city.example.jp")
    rows = clerks.overview()
    assert [(row.user.email, row.enrolled) for row in rows] == [
        ("a@city.example.jp", False),
        ("b@city.example.jp", True),
    ]
    assert [(m.department, m.role) for m in rows[1].memberships] == [CLERK, CHIEF]


def test_a_disabled_clerk_is_signed_out_and_cannot_sign_in(
    clerks: ClerkService, db: Session, sessions: SessionService
) -> None:
    user = add(clerks)
    started = sessions.start("ja")
    sessions.sign_in(started.session, user, second_factor=True)
    clerks.disable(user)
    assert db.scalars(select(WebSession).where(WebSession.user_id == user.id)).all() == []
    with pytest.raises(SignInRefused) as refused:
        clerks.sign_in(EMAIL, PASSWORD, IP)
    assert refused.value.retry_after is None
    clerks.enable(user)
    assert clerks.sign_in(EMAIL, PASSWORD, IP) is user


def test_an_admin_cannot_lock_themselves_out(clerks: ClerkService) -> None:
    admin = add(clerks, admin=True)
    other = add(clerks, "other@city.example.jp", admin=True)
    with pytest.raises(AccountError, match="own_account"):
        clerks.disable(admin, by=admin)
    with pytest.raises(AccountError, match="own_account"):
        clerks.set_admin(admin, False, by=admin)
    clerks.set_admin(other, False, by=admin)
    assert not other.is_admin
    assert admin.disabled_at is None


def test_a_citizen_cannot_sign_in_as_a_clerk(clerks: ClerkService, db: Session) -> None:
    db.add(User(email=EMAIL, password_hash=hash_password(PASSWORD), language="ja"))
    with pytest.raises(SignInRefused):
        clerks.sign_in(EMAIL, PASSWORD, IP)


def test_console_failures_are_throttled_apart_from_citizens(clerks: ClerkService) -> None:
    add(clerks)
    for _ in range(5):
        with pytest.raises(SignInRefused):
            clerks.sign_in(EMAIL, "wrong password!", IP)
    with pytest.raises(SignInRefused) as refused:
        clerks.sign_in(EMAIL, PASSWORD, IP)
    assert refused.value.retry_after == 15 * 60
    assert clerks.passwords.scope == "console"


# The second factor


def test_enrolment_keeps_its_secret_until_confirmed(clerks: ClerkService, db: Session) -> None:
    user = add(clerks)
    assert not clerks.enrolled(user)
    first = clerks.begin_enrollment(user)
    assert clerks.begin_enrollment(user) == first
    assert first.provisioning_uri.startswith("otpauth://totp/Madoguchi:suzuki%40city.example.jp?")
    assert "issuer=Madoguchi" in first.provisioning_uri
    stored = db.get(TotpSecret, user.id)
    assert stored is not None
    assert first.secret not in stored.secret  # encrypted at rest


def test_a_wrong_code_does_not_confirm_the_enrolment(clerks: ClerkService) -> None:
    user = add(clerks)
    totp = pyotp.TOTP(clerks.begin_enrollment(user).secret)
    wrong = f"{(int(totp.at(clerks.clock())) + 1) % 1_000_000:06d}"
    with pytest.raises(SignInRefused) as refused:
        clerks.confirm_enrollment(user, wrong)
    assert refused.value.retry_after is None
    assert not clerks.enrolled(user)


def test_confirming_gives_ten_recovery_codes_kept_as_digests(
    clerks: ClerkService, db: Session
) -> None:
    user = add(clerks)
    _, codes = enrol(clerks, user)
    assert clerks.enrolled(user)
    assert len(set(codes)) == 10
    assert all(len(code) == 19 and code.count("-") == 3 for code in codes)
    stored = db.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10
    assert not set(codes) & set(stored)
    with pytest.raises(AlreadyEnrolled):
        clerks.begin_enrollment(user)


def test_a_totp_code_works_once(clerks: ClerkService, clock: Clock) -> None:
    user = add(clerks)
    totp, _ = enrol(clerks, user)
    # The enrolment used this step's code: it is spent.
    assert not clerks.verify_second_factor(user, totp.at(clock()), IP)
    clock.advance(seconds=30)
    code = totp.at(clock())
    assert clerks.verify_second_factor(user, f" {code[:3]} {code[3:]} ", IP)
    assert not clerks.verify_second_factor(user, code, IP)  # replayed


def test_codes_of_the_neighbouring_steps_count_older_ones_do_not(
    clerks: ClerkService, clock: Clock
) -> None:
    user = add(clerks)
    totp, _ = enrol(clerks, user)
    clock.advance(minutes=5)
    assert not clerks.verify_second_factor(user, totp.at(clock(), counter_offset=-2))
    assert clerks.verify_second_factor(user, totp.at(clock(), counter_offset=-1))
    assert clerks.verify_second_factor(user, totp.at(clock(), counter_offset=1))
    # A step older than the newest accepted one is a replay too.
    assert not clerks.verify_second_factor(user, totp.at(clock()))


def test_full_width_digits_from_the_ime_are_accepted(clerks: ClerkService, clock: Clock) -> None:
    user = add(clerks)
    totp, _ = enrol(clerks, user)
    clock.advance(seconds=30)
    code = totp.at(clock()).translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    assert clerks.verify_second_factor(user, code)


def test_a_recovery_code_works_once_however_it_is_typed(clerks: ClerkService) -> None:
    user = add(clerks)
    _, codes = enrol(clerks, user)
    typed = codes[3].upper().replace("-", " ")
    assert clerks.verify_second_factor(user, typed, IP)
    assert not clerks.verify_second_factor(user, codes[3], IP)
    assert clerks.factors.recovery_codes_left(user) == 9
    assert clerks.verify_second_factor(user, codes[4], IP)


def test_wrong_codes_are_throttled_per_clerk(clerks: ClerkService, clock: Clock) -> None:
    user = add(clerks)
    other = add(clerks, "other@city.example.jp")
    totp, _ = enrol(clerks, user)
    clock.advance(seconds=30)
    for n in range(5):
        assert not clerks.verify_second_factor(user, "000000", f"198.51.100.{n}")
    with pytest.raises(SignInRefused) as refused:
        clerks.verify_second_factor(user, totp.at(clock()), "192.0.2.1")
    assert refused.value.retry_after == 15 * 60
    enrol(clerks, other)  # another clerk is not affected
    clock.advance(minutes=15)
    assert clerks.verify_second_factor(user, totp.at(clock()), "192.0.2.1")
    # Wrong codes do not count against the password.
    assert clerks.sign_in(EMAIL, PASSWORD, "198.51.100.1") is user


def test_a_disabled_clerk_passes_no_code(clerks: ClerkService, clock: Clock) -> None:
    user = add(clerks)
    totp, codes = enrol(clerks, user)
    clerks.disable(user)
    clock.advance(seconds=30)
    assert not clerks.verify_second_factor(user, totp.at(clock()))
    assert not clerks.verify_second_factor(user, codes[0])


def test_a_reset_second_factor_is_enrolled_anew(clerks: ClerkService, clock: Clock) -> None:
    user = add(clerks)
    totp, codes = enrol(clerks, user)
    clerks.reset_second_factor(user)
    assert not clerks.enrolled(user)
    clock.advance(seconds=30)
    assert not clerks.verify_second_factor(user, totp.at(clock()))
    assert not clerks.verify_second_factor(user, codes[0])
    assert clerks.begin_enrollment(user).secret != totp.secret


def test_outcomes_are_logged_without_secrets(
    clerks: ClerkService, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    user = add(clerks)
    totp, _ = enrol(clerks, user)
    caplog.set_level(logging.INFO, logger="madoguchi.clerks")
    with pytest.raises(SignInRefused):
        clerks.sign_in(EMAIL, "wrong password!", IP)
    clerks.sign_in(EMAIL, PASSWORD, IP)
    clock.advance(seconds=30)
    code = totp.at(clock())
    clerks.verify_second_factor(user, code, IP)
    events = [record.fields for record in caplog.records]  # type: ignore[attr-defined]
    assert [event["event"] for event in events] == [
        "password_refused",
        "password_accepted",
        "second_factor_totp",
    ]
    assert events[1]["user"] == user.id
    assert events[2]["ip"] == IP
    assert EMAIL not in caplog.text
    assert code not in caplog.text
