"""Email addresses are stored in one form, however they were typed.

Decision: full-width characters (typed with the Japanese IME on) are normalised to ASCII
rather than refused -- ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ is hanako@example.jp -- because no
real address differs from another only by them, and refusing would fail people for a
keyboard setting. Local parts must be ASCII (SMTPUTF8 delivery is unreliable).
"""

from __future__ import annotations

import pytest

from auth.accounts import ascii_address, normalize_email
from auth.errors import AccountError


@pytest.mark.parametrize(
    "typed",
    [
        "hanako@example.jp",
        "Hanako@Example.JP",
        "HANAKO@EXAMPLE.JP",
        "  hanako@example.jp  ",
        "\u3000hanako@example.jp\u3000",  # ideographic spaces around it
        "hanako＠example.jp",  # full-width at sign
        "ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ",  # everything full-width
        "ＨＡＮＡＫＯ＠ＥＸＡＭＰＬＥ．ＪＰ",
    ],
)
def test_typing_variants_give_one_address(typed: str) -> None:
    assert normalize_email(typed) == "hanako@example.jp"


def test_plus_addressing_and_dots_are_kept() -> None:
    # Whether they reach the same mailbox is the provider's business, not ours.
    assert normalize_email("Hanako.Y+city@example.jp") == "hanako.y+city@example.jp"


def test_internationalised_domains_are_stored_in_unicode_and_mailed_in_idna() -> None:
    stored = normalize_email("hanako@例え.jp")
    assert stored == "hanako@例え.jp"
    assert normalize_email("hanako@xn--r8jz45g.jp") == stored
    assert ascii_address(stored) == "hanako@xn--r8jz45g.jp"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "hanako",
        "hanako@",
        "@example.jp",
        "hanako@@example.jp",
        "hanako@example",  # no dot in the domain
        "hanako@localhost",
        "hanako@example.test",  # special-use names cannot receive mail
        "花子@example.jp",  # internationalised local part (SMTPUTF8)
        "hanako@exa mple.jp",
        "hanako@example.jp\r\nBcc: x@example.jp",
        "hanako@" + "a" * 250 + ".jp",
    ],
)
def test_invalid_addresses_are_refused(typed: str) -> None:
    with pytest.raises(AccountError) as raised:
        normalize_email(typed)
    assert raised.value.code == "invalid_email"
