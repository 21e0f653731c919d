from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from auth.models import LoginAttempt
from auth.throttle import LoginThrottle, email_key, ip_key
from tests.auth.conftest import Clock

EMAIL = "hanako@example.jp"
IP = "203.0.113.7"


@pytest.fixture
def throttle(db: Session, clock: Clock) -> LoginThrottle:
    return LoginThrottle(db, clock=clock)


def fail(throttle: LoginThrottle, times: int, email: str = EMAIL, ip: str = IP) -> None:
    for _ in range(times):
        throttle.record(email, ip, succeeded=False)


def test_five_failures_for_an_email_refuse_it_from_anywhere(
    throttle: LoginThrottle, clock: Clock
) -> None:
    for n in range(4):
        throttle.record(EMAIL, f"198.51.100.{n}", succeeded=False)
    assert throttle.check(EMAIL, "192.0.2.1") is None
    throttle.record(EMAIL, "198.51.100.9", succeeded=False)
    assert throttle.check(EMAIL, "192.0.2.1") == 15 * 60
    assert throttle.check("taro@example.jp", "192.0.2.1") is None


def test_five_failures_from_an_address_refuse_every_email_from_it(
    throttle: LoginThrottle,
) -> None:
    for n in range(5):
        throttle.record(f"user{n}@example.jp", IP, succeeded=False)
    assert throttle.check("someone.else@example.jp", IP) == 15 * 60
    assert throttle.check("someone.else@example.jp", "192.0.2.1") is None


def test_retry_after_counts_down_to_when_enough_failures_age_out(
    throttle: LoginThrottle, clock: Clock
) -> None:
    fail(throttle, 1)
    clock.advance(minutes=5)
    fail(throttle, 5)  # six failures: the oldest can leave, the second oldest must too
    clock.advance(minutes=1)
    assert throttle.check(EMAIL, IP) == 14 * 60
    clock.advance(minutes=14)
    assert throttle.check(EMAIL, IP) is None


def test_failures_older_than_the_window_do_not_count(throttle: LoginThrottle, clock: Clock) -> None:
    fail(throttle, 4)
    clock.advance(minutes=15)
    fail(throttle, 4)
    assert throttle.check(EMAIL, IP) is None


def test_a_success_does_not_wipe_recent_failures(throttle: LoginThrottle) -> None:
    fail(throttle, 4)
    throttle.record(EMAIL, IP, succeeded=True)
    assert throttle.check(EMAIL, IP) is None
    fail(throttle, 1)
    assert throttle.check(EMAIL, IP) is not None


def test_emails_count_however_they_are_typed(throttle: LoginThrottle) -> None:
    fail(throttle, 5, email="Hanako@Example.JP ")
    assert throttle.check(EMAIL, None) is not None


def test_ipv6_addresses_count_by_64_network(throttle: LoginThrottle) -> None:
    for n in range(5):
        throttle.record(f"user{n}@example.jp", f"2001:db8:1:2::{n + 1}", succeeded=False)
    assert throttle.check("someone@example.jp", "2001:db8:1:2:ffff::1") is not None
    assert throttle.check("someone@example.jp", "2001:db8:1:3::1") is None
    assert ip_key("::ffff:192.0.2.1") == ip_key("192.0.2.1")


def test_the_address_limit_can_be_higher(db: Session, clock: Clock) -> None:
    throttle = LoginThrottle(db, clock=clock, ip_max_failures=20)
    for n in range(19):
        throttle.record(f"user{n}@example.jp", IP, succeeded=False)
    assert throttle.check("someone@example.jp", IP) is None
    throttle.record("user19@example.jp", IP, succeeded=False)
    assert throttle.check("someone@example.jp", IP) is not None


def test_attempts_are_kept_under_digests(db: Session, throttle: LoginThrottle) -> None:
    fail(throttle, 1)
    keys = set(db.scalars(select(LoginAttempt.key)))
    assert keys == {email_key(EMAIL), ip_key(IP)}
    assert all(EMAIL not in key and IP not in key for key in keys)


def test_old_attempts_can_be_forgotten(throttle: LoginThrottle, clock: Clock) -> None:
    fail(throttle, 2)
    clock.advance(days=1)
    fail(throttle, 1)
    assert throttle.delete_older_than(clock() - timedelta(hours=1)) == 4


def test_forgiving_an_email_keeps_the_failures_of_its_address(throttle: LoginThrottle) -> None:
    fail(throttle, 5)
    throttle.forgive(EMAIL)
    assert throttle.check(EMAIL, None) is None
    assert throttle.check(EMAIL, IP) is not None


def test_scopes_count_apart(db: Session, clock: Clock) -> None:
    citizens = LoginThrottle(db, clock=clock)
    console = LoginThrottle(db, clock=clock, scope="console")
    fail(citizens, 5)
    assert citizens.check(EMAIL, IP) is not None
    assert console.check(EMAIL, IP) is None
    fail(console, 5, email="taro@example.jp")
    console.forgive("taro@example.jp")
    assert console.check("taro@example.jp", "192.0.2.1") is None
    assert console.check(EMAIL, IP) is not None  # the address's failures still count
    assert email_key(EMAIL, "console") != email_key(EMAIL)
