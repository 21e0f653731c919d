from __future__ import annotations

from datetime import timedelta

import pytest

from auth.passwords import password_problem
from auth.texts import ERROR_MESSAGES, MAILS, compose, error_message


@pytest.mark.parametrize("code", sorted(ERROR_MESSAGES))
def test_every_error_has_both_languages(code: str) -> None:
    assert error_message(code, "ja", minutes=15)
    assert error_message(code, "en", minutes=15) != error_message(code, "ja", minutes=15)


def test_every_password_problem_has_a_message() -> None:
    samples = ["short", "x" * 200, "\x00" * 12, "hanako@example.jp", "1234567890"]
    problems = {password_problem(p, "hanako@example.jp") for p in samples}
    assert problems <= set(ERROR_MESSAGES)


def test_the_throttle_message_says_how_long() -> None:
    assert "15分" in error_message("sign_in_throttled", "ja", minutes=15)


@pytest.mark.parametrize("kind", sorted(MAILS))
@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_mail_fills_all_its_placeholders(kind: str, language: str) -> None:
    subject, body = compose(
        kind,
        language,
        link="https://x/l",
        sign_in_link="https://x/s",
        reset_link="https://x/r",
        valid=timedelta(minutes=90),
        procedure_ja="保育所等の利用申込み",
        procedure_en="Childcare enrollment",
        reference="MD-ABC-DEF-GHJ",
        state_ja="審査中",
        state_en="Under review",
    )
    assert "{" not in subject + body
    assert "\n" not in subject
    untimed = (
        "already_registered",
        "password_changed",
        "case_changed",
        "case_message",
        "document_revoked",
    )
    timed = kind not in (*untimed, "staff_message")
    assert "90分" in body or not timed
