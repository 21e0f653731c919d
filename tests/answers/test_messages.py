from __future__ import annotations

import re

from engine.answers.messages import CODES, error_message
from engine.fields import field_types
from engine.text import LocalizedText
from tests.conftest import ROOT


def test_every_code_a_field_can_raise_has_a_message() -> None:
    source = "".join(
        path.read_text(encoding="utf-8") for path in (ROOT / "engine" / "fields").glob("*.py")
    )
    raised = set(re.findall(r'Invalid\(\s*"([a-z_]+)"', source))
    raised |= {cls.blank_code for cls in field_types}
    assert raised - CODES == set()


def test_messages_say_what_to_do_in_both_languages() -> None:
    message = error_message("required", LocalizedText(ja="生年月日", en="Date of birth"))
    assert message.ja == "生年月日を入力してください"
    assert message.en == "Enter date of birth"


def test_labels_keep_acronyms_mid_sentence() -> None:
    message = error_message("invalid_my_number", LocalizedText(ja="個人番号", en="My Number"))
    assert message.en == "Enter a valid 12-digit My Number"


def test_parts_and_numbers_are_filled_in() -> None:
    label = LocalizedText(ja="氏名", en="Full name")
    part = LocalizedText(ja="名", en="Given name")
    assert error_message("required_part", label, part).ja == "氏名の名を入力してください"
    assert (
        error_message("too_large", label, max=1_000_000).en == "Full name must be 1,000,000 or less"
    )
