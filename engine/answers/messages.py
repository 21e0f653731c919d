"""What a citizen reads when an answer is wrong, in Japanese and English.

Written as the Digital Agency and GOV.UK write them: say what to do, name the field.
``{label}`` is the field's label as it stands mid-sentence; ``{Label}`` starts a sentence.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from engine.japanese.wareki import format_date
from engine.text import LocalizedText

_MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("{label}を入力してください", "Enter {label}"),
    "required_choice": ("{label}を選択してください", "Select {label}"),
    "required_file": ("{label}を添付してください", "Attach {label}"),
    "required_part": ("{label}の{part}を入力してください", "Enter the {part} ({label})"),
    "not_declared": (
        "「{label}」を確認し、チェックを入れてください",
        "Tick the box to confirm: {Label}",
    ),
    "invalid_characters": (
        "{label}に使用できない文字（制御文字や改行）が含まれています",
        "{Label} contains characters that cannot be used",
    ),
    "too_long": (
        "{label}は{max}文字以内で入力してください",
        "{Label} must be {max} characters or fewer",
    ),
    "too_short": (
        "{label}は{min}文字以上で入力してください",
        "{Label} must be {min} characters or more",
    ),
    "pattern_mismatch": ("{label}の形式が正しくありません", "Enter {label} in the correct format"),
    "invalid_email": (
        "{label}は name@example.jp のような形式で入力してください",
        "Enter {label} in the correct format, like name@example.jp",
    ),
    "not_integer": ("{label}は整数で入力してください", "{Label} must be a whole number"),
    "not_decimal": ("{label}は数値で入力してください", "{Label} must be a number"),
    "too_many_places": (
        "{label}は小数点以下{places}桁までで入力してください",
        "{Label} must have {places} decimal places or fewer",
    ),
    "not_amount": (
        "{label}は金額を数字で入力してください（例: 1,000）",
        "Enter {label} as an amount in yen, like 1,000",
    ),
    "too_small": ("{label}は{min}以上で入力してください", "{Label} must be {min} or more"),
    "too_large": ("{label}は{max}以下で入力してください", "{Label} must be {max} or less"),
    "invalid_date": (
        "{label}は正しい日付を入力してください（例: 2025年11月26日、令和7年11月26日）",
        "{Label} must be a real date, like 26 November 2025",
    ),
    "date_too_early": (
        "{label}は{min}以降の日付を入力してください",
        "{Label} must be on or after {min}",
    ),
    "date_too_late": (
        "{label}は{max}以前の日付を入力してください",
        "{Label} must be on or before {max}",
    ),
    "invalid_phone": (
        "{label}は市外局番から入力してください（例: 03-1234-5678）",
        "Enter {label} including the area code, like 03-1234-5678",
    ),
    "invalid_postal_code": (
        "{label}は7桁の数字で入力してください（例: 163-8001）",
        "{Label} must be 7 digits, like 163-8001",
    ),
    "invalid_prefecture": ("都道府県を選択してください", "Select a prefecture"),
    "invalid_my_number": (
        "{label}は12桁の正しい番号を入力してください",
        "Enter a valid 12-digit {label}",
    ),
    "invalid_corporate_number": (
        "{label}は13桁の正しい番号を入力してください",
        "Enter a valid 13-digit {label}",
    ),
    "invalid_choice": (
        "{label}は表示された選択肢から選んでください",
        "Select {label} from the options shown",
    ),
    "too_few_choices": ("{label}を{min}つ以上選択してください", "Select at least {min}: {label}"),
    "too_many_choices": ("{label}は{max}つまで選択できます", "Select up to {max}: {label}"),
    "furigana_katakana": (
        "{label}のフリガナ（{part}）はカタカナで入力してください",
        "Enter the {part} of {label} in katakana, like ヤマダ",
    ),
    "too_few_items": ("{label}を{min}件以上入力してください", "Add at least {min}: {label}"),
    "too_many_items": ("{label}は{max}件まで入力できます", "You can add up to {max}: {label}"),
    "file_type": (
        "{label}は{accept}のファイルを添付してください",
        "{Label} must be a {accept} file",
    ),
    "file_too_large": (
        "{label}のファイルは{max}以下にしてください",
        "{Label} must be smaller than {max}",
    ),
    "file_empty": ("{label}のファイルが空です", "The file for {label} is empty"),
    "too_many_files": (
        "{label}は{max}件まで添付できます",
        "You can attach up to {max} files for {label}",
    ),
    "wrong_shape": (
        "{label}の回答を読み取れませんでした。もう一度入力してください",
        "We could not read the answer for {label}; enter it again",
    ),
}

CODES = frozenset(_MESSAGES)


def error_message(
    code: str, label: LocalizedText, part: LocalizedText | None = None, **params: Any
) -> LocalizedText:
    """The message for ``code`` about the field called ``label``."""
    ja, en = _MESSAGES[code]
    return LocalizedText(
        ja=ja.format(**_fill("ja", label, part, params)),
        en=en.format(**_fill("en", label, part, params)),
    )


def _fill(
    language: str, label: LocalizedText, part: LocalizedText | None, params: dict[str, Any]
) -> dict[str, Any]:
    text = label.get(language)
    filled = {key: _param(language, value) for key, value in params.items()}
    filled["Label"] = text[:1].upper() + text[1:]
    filled["label"] = _mid_sentence(text) if language == "en" else text
    filled["part"] = (
        _mid_sentence(part.get(language))
        if part and language == "en"
        else (part.get(language) if part else "")
    )
    return filled


def _param(language: str, value: Any) -> Any:
    if isinstance(value, date):
        return format_date(value, language, "gregorian")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
        return f"{value:,}"
    return value


def _mid_sentence(text: str) -> str:
    """'Date of birth' reads 'date of birth' mid-sentence; 'My Number' and 'NHK' stay."""
    first, *rest = text.split(" ")
    proper = any(word[:1].isupper() for word in rest) or not first[1:].islower()
    return text if proper else text[:1].lower() + text[1:]
