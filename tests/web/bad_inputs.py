"""Bad input for every field type: a test-only procedure with one field of each type, the
valid answer a browser posts for each, and the bad answers posted instead, each with what
must come of it (refused with a message on the field, or accepted once normalised).

Used by tests/web/test_bad_input.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from tests.web.flows import SAMPLES

PROCEDURE = "bad-input"
PAGE = "all"

# One field of every registered type (two dates: Western and 和暦; two choices: radios and
# a select), all on one page, so that one post tries one bad answer among valid ones.
DEFINITION = """\
procedure: bad-input
version: 1
title: {ja: 入力検査用の手続, en: Bad input test procedure}
department: test
submitters: anyone
roles: [clerk]

pages:
  - id: all
    title: {ja: すべての項目, en: Every field}
    fields:
      - {id: text, type: text, label: {ja: 屋号, en: Trade name}}
      - {id: textarea, type: textarea, label: {ja: 備考, en: Remarks}}
      - {id: integer, type: integer, min: 0, max: 1000, label: {ja: 人数, en: Number of people}}
      - id: decimal
        type: decimal
        places: 2
        min: 0
        max: 1000
        label: {ja: 面積, en: Floor area}
      - {id: money, type: money, max: 10000000, label: {ja: 月収, en: Monthly income}}
      - {id: date, type: date, label: {ja: 開始日, en: Start date}}
      - id: wareki_date
        type: date
        calendar: wareki
        max: today
        label: {ja: 生年月日, en: Date of birth}
      - {id: email, type: email, label: {ja: メールアドレス, en: Email}}
      - {id: phone, type: phone, label: {ja: 電話番号, en: Phone number}}
      - {id: postal_code, type: postal_code, fills: address, label: {ja: 郵便番号, en: Postal code}}
      - {id: address, type: address, label: {ja: 住所, en: Address}}
      - id: choice
        type: choice
        label: {ja: 理由, en: Reason}
        options:
          a: {ja: 就労, en: Working}
          b: {ja: 求職中, en: Looking for work}
          c: {ja: 疾病, en: Illness}
      - id: choice_select
        type: choice
        widget: select
        label: {ja: 区分, en: Category}
        options: {a: {ja: 区分A, en: Category A}, b: {ja: 区分B, en: Category B}}
      - id: choices
        type: choices
        max_choices: 2
        label: {ja: 予防接種, en: Vaccinations}
        options: {a: BCG, b: {ja: 麻しん, en: Measles}, c: {ja: 風しん, en: Rubella}}
      - {id: yes_no, type: yes_no, label: {ja: 配慮が必要ですか, en: "Do you need support?"}}
      - {id: name, type: person_name, label: {ja: 氏名, en: Full name}}
      - {id: my_number, type: my_number, label: {ja: 個人番号, en: My Number}}
      - {id: corporate_number, type: corporate_number, label: {ja: 法人番号, en: Corporate Number}}
      - id: file
        type: file
        accept: [pdf]
        max_size: 1 KB
        max_files: 2
        label: {ja: 証明書, en: Certificate}
      - id: children
        type: group
        repeat: {min: 1, max: 3}
        label: {ja: お子さん, en: Child}
        fields:
          - {id: x, type: text, max_length: 50, label: {ja: 呼び名, en: Nickname}}
          - {id: n, type: integer, min: 0, max: 20, label: {ja: 年齢, en: Age}}
      - id: agree
        type: declaration
        label: {ja: 記載内容に相違ありません。, en: The information I have given is correct.}

workflow:
  start: received
  states:
    received: {label: {ja: 受付, en: Received}, final: true}
"""

SCRIPT = "<script>alert(1)</script>"
TEXTAREA_BREAKOUT = "</textarea><b>"
SQL = "' OR 1=1; DROP TABLE submissions; --"
ESC = "\x1b"  # a control character (the start of a terminal escape sequence)
RTL = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: makes "abc\u202etxt.exe" read "abcexe.txt"
NUL = "\x00"
HUGE = "1" + "0" * 30  # 10^30
LONG = 100_000  # characters

Pairs = tuple[tuple[str, str], ...]
# An upload as a browser sends it: file name, bytes, declared content type.
Upload = tuple[str, bytes, str]

PDF = SAMPLES["application/pdf"]
PNG = SAMPLES["image/png"]
VALID_UPLOAD: Upload = ("証明書.pdf", PDF, "application/pdf")

# Each field's valid answer, as the form's inputs post it. The file field's is an upload.
VALID: dict[str, Pairs] = {
    "text": (("text", "山田商店"),),
    "textarea": (("textarea", "一行目\r\n二行目"),),
    "integer": (("integer", "40"),),
    "decimal": (("decimal", "12.5"),),
    "money": (("money", "1,000"),),
    "date": (("date.year", "2025"), ("date.month", "4"), ("date.day", "1")),
    "wareki_date": (
        ("wareki_date.era", "平成"),
        ("wareki_date.year", "2"),
        ("wareki_date.month", "4"),
        ("wareki_date.day", "1"),
    ),
    "email": (("email", "taro@example.jp"),),
    "phone": (("phone", "03-1234-5678"),),
    "postal_code": (("postal_code", "163-8001"),),
    "address": (
        ("address.prefecture", "13"),
        ("address.city", "新宿区"),
        ("address.street", "西新宿2-8-1"),
        ("address.building", ""),
    ),
    "choice": (("choice", "a"),),
    "choice_select": (("choice_select", "b"),),
    "choices": (("choices", "a"), ("choices", "b")),
    "yes_no": (("yes_no", "yes"),),
    "name": (
        ("name.family", "山田"),
        ("name.given", "太郎"),
        ("name.family_kana", "やまだ"),
        ("name.given_kana", "たろう"),
    ),
    "my_number": (("my_number", "1234 5678 9018"),),
    "corporate_number": (("corporate_number", "7000012050002"),),
    "file": (),
    "children": (("children[0].x", "はなこ"), ("children[0].n", "3")),
    "agree": (("agree", "yes"),),
}

# The field type each field of the page stands for.
TYPES = {
    "text": "text",
    "textarea": "textarea",
    "integer": "integer",
    "decimal": "decimal",
    "money": "money",
    "date": "date",
    "wareki_date": "date",
    "email": "email",
    "phone": "phone",
    "postal_code": "postal_code",
    "address": "address",
    "choice": "choice",
    "choice_select": "choice",
    "choices": "choices",
    "yes_no": "yes_no",
    "name": "person_name",
    "my_number": "my_number",
    "corporate_number": "corporate_number",
    "file": "file",
    "children": "group",
    "agree": "declaration",
}


@dataclass(frozen=True)
class Reject:
    """Refused: 422, and the error ``code`` about ``path`` (the field, one of its parts as
    ``name.family``, or a field in a group item) shown on the page. ``part`` names the part
    the message mentions; ``params`` fill the message in."""

    code: str
    path: str
    part: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Accept:
    """Accepted: the page goes on (303) and the answer is kept ``stored`` (as the submission
    holds it; for files, the list of stored file names) and ``shown`` on check-answers."""

    stored: Any
    shown: str


@dataclass(frozen=True)
class Case:
    field: str  # the field whose valid answer is replaced
    kind: str  # which class of bad input
    pairs: Pairs  # posted instead of the field's valid answer
    expect: Reject | Accept
    # Files posted, by input name; None posts the valid upload for `file`.
    uploads: tuple[tuple[str, Upload], ...] | None = None

    @property
    def id(self) -> str:
        return f"{TYPES[self.field]}:{self.field}-{self.kind}"


def _middle(text: str, insert: str) -> str:
    half = len(text) // 2
    return text[:half] + insert + text[half:]


def _single(
    name: str, valid: str, blank_code: str = "required"
) -> Iterator[tuple[str, Pairs, Reject | None]]:
    """The bad inputs every one-input field gets; None where the expectation is the field's
    own (given by the caller)."""
    yield "empty", ((name, ""),), Reject(blank_code, name)
    yield "blank", ((name, " \u3000\t "),), Reject(blank_code, name)
    yield "html", ((name, SCRIPT),), None
    yield "sql", ((name, SQL),), None
    yield "control", ((name, _middle(valid, ESC)),), None
    yield "rtl", ((name, _middle(valid, RTL)),), None
    yield "nul", ((name, _middle(valid, NUL)),), None
    yield "nul-at-end", ((name, valid + NUL),), None
    yield "list", ((name, valid), (name, valid)), Reject("wrong_shape", name)
    yield "nested", ((f"{name}.x", valid),), Reject("wrong_shape", name)


def _scalar(
    name: str,
    *,
    refused: str,
    own: dict[str, tuple[Pairs | str, Reject | Accept]],
    free_text: bool = False,
) -> list[Case]:
    """Cases for a one-input field: ``refused`` is the code for malformed text; ``own`` adds
    the field's own cases (a string is posted as the field's one value) and overrides."""
    valid = VALID[name][0][1]
    cases: dict[str, Case] = {}
    for kind, pairs, common in _single(name, valid):
        posted = pairs[0][1]
        expect: Reject | Accept
        if common is not None:
            expect = common
        elif free_text and kind in ("html", "sql"):
            expect = Accept(posted, posted)  # valid text: kept, shown escaped
        elif free_text:
            expect = Reject("invalid_characters", name)
        else:
            expect = Reject(refused, name)
        cases[kind] = Case(name, kind, pairs, expect)
    for kind, (value, expect) in own.items():
        pairs = ((name, value),) if isinstance(value, str) else value
        cases[kind] = Case(name, kind, pairs, expect)
    return list(cases.values())


def _replace(pairs: Pairs, part: str, value: str) -> Pairs:
    return tuple((name, value if name == part else old) for name, old in pairs)


def _parts(
    name: str,
    main: str,
    *,
    refused: Reject,
    free_text: bool,
    own: dict[str, tuple[Pairs, Reject | Accept]],
) -> list[Case]:
    """Cases for a field of several inputs; ``main`` is the part the bad value goes in."""
    valid = VALID[name]
    path = f"{name}.{main}"
    value = dict(valid)[path]
    blank = tuple((n, "") for n, _ in valid)
    cases: dict[str, Case] = {
        "empty": Case(name, "empty", blank, Reject("required", name)),
        "blank": Case(
            name, "blank", tuple((n, " \u3000") for n, _ in valid), Reject("required", name)
        ),
        "list": Case(name, "list", (*valid, (path, value)), Reject("wrong_shape", name)),
        "nested": Case(
            name,
            "nested",
            tuple((f"{n}.x", v) if n == path else (n, v) for n, v in valid),
            Reject("wrong_shape", name),
        ),
        "string-for-parts": Case(
            name, "string-for-parts", ((name, value),), Reject("wrong_shape", name)
        ),
    }
    for kind, bad in (
        ("html", SCRIPT),
        ("sql", SQL),
        ("control", _middle(value, ESC)),
        ("rtl", _middle(value, RTL)),
        ("nul", _middle(value, NUL)),
        ("nul-at-end", value + NUL),
    ):
        expect: Reject | Accept = refused
        if free_text and kind in ("html", "sql"):
            expect = Accept(bad, bad)  # replaced below where the whole answer reads otherwise
        elif free_text:
            expect = Reject("invalid_characters", path, part=main)
        cases[kind] = Case(name, kind, _replace(valid, path, bad), expect)
    for kind, (pairs, expected) in own.items():
        cases[kind] = Case(name, kind, pairs, expected)
    return list(cases.values())


def _text_cases() -> list[Case]:
    # A file posted under a text field's name is no answer to it.
    upload = Case(
        "text",
        "file-instead-of-text",
        (),
        Reject("required", "text"),
        (("file", VALID_UPLOAD), ("text", ("屋号.pdf", PDF, "application/pdf"))),
    )
    return [upload, *_text_scalar()]


def _text_scalar() -> list[Case]:
    return _scalar(
        "text",
        refused="invalid_characters",
        free_text=True,
        own={
            "wrong": ("一行目\n二行目", Reject("invalid_characters", "text")),
            "tab": ("山田\t商店", Reject("invalid_characters", "text")),
            "oversized": ("あ" * LONG, Reject("too_long", "text", params={"max": 200})),
            "fullwidth": ("ＡＢＣ商店１２３", Accept("ＡＢＣ商店１２３", "ＡＢＣ商店１２３")),
            "surrounding-spaces": ("\u3000 山田商店 \u3000", Accept("山田商店", "山田商店")),
        },
    )


def _textarea_cases() -> list[Case]:
    return _scalar(
        "textarea",
        refused="invalid_characters",
        free_text=True,
        own={
            "tab": ("一行目\t続き", Accept("一行目\t続き", "一行目\t続き")),
            "oversized": ("あ" * LONG, Reject("too_long", "textarea", params={"max": 2000})),
            "fullwidth": ("ＡＢＣ１２３", Accept("ＡＢＣ１２３", "ＡＢＣ１２３")),
            "html-multiline": (
                f"一行目\r\n{SCRIPT}\r\n{TEXTAREA_BREAKOUT}",
                Accept(
                    f"一行目\n{SCRIPT}\n{TEXTAREA_BREAKOUT}",
                    f"一行目\n{SCRIPT}\n{TEXTAREA_BREAKOUT}",
                ),
            ),
        },
    )


def _number_cases() -> list[Case]:
    integer = _scalar(
        "integer",
        refused="not_integer",
        own={
            "wrong": ("四十", Reject("not_integer", "integer")),
            "wrong-fraction": ("1.5", Reject("not_integer", "integer")),
            "negative": ("-5", Reject("too_small", "integer", params={"min": 0})),
            "oversized": (HUGE, Reject("too_large", "integer", params={"max": 1000})),
            "oversized-digits": ("9" * LONG, Reject("too_large", "integer", params={"max": 1000})),
            "fullwidth": ("１２３", Accept(123, "123")),
        },
    )
    decimal = _scalar(
        "decimal",
        refused="not_decimal",
        own={
            "wrong": ("1e3", Reject("not_decimal", "decimal")),
            "wrong-nan": ("NaN", Reject("not_decimal", "decimal")),
            "too-many-places": (
                "12.345",
                Reject("too_many_places", "decimal", params={"places": 2}),
            ),
            "oversized": (HUGE, Reject("too_large", "decimal", params={"max": 1000})),
            "oversized-digits": ("9" * LONG, Reject("too_large", "decimal", params={"max": 1000})),
            "fullwidth": ("１２．５", Accept("12.5", "12.5")),
        },
    )
    money = _scalar(
        "money",
        refused="not_amount",
        own={
            "wrong": ("1,00", Reject("not_amount", "money")),
            "negative": ("-100", Reject("not_amount", "money")),
            "oversized": (HUGE, Reject("too_large", "money", params={"max": 10_000_000})),
            "oversized-digits": (
                "9" * LONG,
                Reject("too_large", "money", params={"max": 10_000_000}),
            ),
            "fullwidth": ("１，０００円", Accept(1000, "1,000円")),
        },
    )
    return [*integer, *decimal, *money]


def _date_cases() -> list[Case]:
    western = _parts(
        "date",
        "year",
        refused=Reject("invalid_date", "date"),
        free_text=False,
        own={
            "wrong": (
                (("date.year", "2025"), ("date.month", "2"), ("date.day", "30")),
                Reject("invalid_date", "date"),
            ),
            "oversized": (
                _replace(VALID["date"], "date.year", HUGE),
                Reject("invalid_date", "date"),
            ),
            "oversized-digits": (
                _replace(VALID["date"], "date.year", "9" * LONG),
                Reject("invalid_date", "date"),
            ),
            "fullwidth": (
                (("date.year", "２０２５"), ("date.month", "４"), ("date.day", "１")),
                Accept("2025-04-01", "2025年4月1日"),
            ),
            "whole-date-string": ((("date", "2025-04-01"),), Accept("2025-04-01", "2025年4月1日")),
            "whole-string-html": ((("date", SCRIPT),), Reject("invalid_date", "date")),
            "string-for-parts": ((("date", "山田"),), Reject("invalid_date", "date")),
            "list": (
                (*VALID["date"], ("date.year", "2026")),
                Reject("invalid_date", "date"),
            ),
            "nested": (
                (("date.year.x", "2025"), ("date.month", "4"), ("date.day", "1")),
                Reject("invalid_date", "date"),
            ),
        },
    )
    wareki = _parts(
        "wareki_date",
        "year",
        refused=Reject("invalid_date", "wareki_date"),
        free_text=False,
        own={
            # 平成 ended on 30 April 2019.
            "wrong": (
                (
                    ("wareki_date.era", "平成"),
                    ("wareki_date.year", "31"),
                    ("wareki_date.month", "5"),
                    ("wareki_date.day", "1"),
                ),
                Reject("invalid_date", "wareki_date"),
            ),
            "wrong-era": (
                _replace(VALID["wareki_date"], "wareki_date.era", "西暦X"),
                Reject("invalid_date", "wareki_date"),
            ),
            "era-html": (
                _replace(VALID["wareki_date"], "wareki_date.era", SCRIPT),
                Reject("invalid_date", "wareki_date"),
            ),
            "after-max": (
                (
                    ("wareki_date.era", "令和"),
                    ("wareki_date.year", "9"),
                    ("wareki_date.month", "1"),
                    ("wareki_date.day", "1"),
                ),
                Reject("date_too_late", "wareki_date", params={"max": _today()}),
            ),
            "oversized": (
                _replace(VALID["wareki_date"], "wareki_date.year", HUGE),
                Reject("invalid_date", "wareki_date"),
            ),
            "fullwidth": (
                (
                    ("wareki_date.era", "平成"),
                    ("wareki_date.year", "２"),
                    ("wareki_date.month", "４"),
                    ("wareki_date.day", "１"),
                ),
                Accept("1990-04-01", "平成2年4月1日"),
            ),
            "whole-wareki-string": (
                (("wareki_date", "Ｈ２．４．１"),),
                Accept("1990-04-01", "平成2年4月1日"),
            ),
            "string-for-parts": ((("wareki_date", "山田"),), Reject("invalid_date", "wareki_date")),
            "list": (
                (*VALID["wareki_date"], ("wareki_date.year", "3")),
                Reject("invalid_date", "wareki_date"),
            ),
            "nested": (
                (
                    ("wareki_date.era", "平成"),
                    ("wareki_date.year.x", "2"),
                    ("wareki_date.month", "4"),
                    ("wareki_date.day", "1"),
                ),
                Reject("invalid_date", "wareki_date"),
            ),
        },
    )
    return [*western, *wareki]


def _today() -> Any:
    from tests.conftest import TODAY  # noqa: PLC0415 -- the date the tests fix

    return TODAY


def _contact_cases() -> list[Case]:
    email = _scalar(
        "email",
        refused="invalid_email",
        own={
            "wrong": ("taro@", Reject("invalid_email", "email")),
            "wrong-two-ats": ("taro@@example.jp", Reject("invalid_email", "email")),
            "oversized": ("a" * LONG + "@example.jp", Reject("invalid_email", "email")),
            "html-local-part": (f'"{SCRIPT}"@example.jp', Reject("invalid_email", "email")),
            # Typed with the Japanese input method on: NFKC reads it as taro@example.jp.
            "fullwidth": (
                "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ",
                Accept("taro@example.jp", "taro@example.jp"),
            ),
            "fullwidth-local-part": (
                "ｔａｒｏ@example.jp",
                Accept("taro@example.jp", "taro@example.jp"),
            ),
        },
    )
    phone = _scalar(
        "phone",
        refused="invalid_phone",
        own={
            "wrong": ("12345", Reject("invalid_phone", "phone")),
            "wrong-international": ("+1 212 555 0100", Reject("invalid_phone", "phone")),
            "oversized": ("0" * LONG, Reject("invalid_phone", "phone")),
            "fullwidth": ("０３－１２３４－５６７８", Accept("0312345678", "03-1234-5678")),
            "fullwidth-mobile": (
                "０９０（１２３４）５６７８",
                Accept("09012345678", "090-1234-5678"),
            ),
        },
    )
    postal = _scalar(
        "postal_code",
        refused="invalid_postal_code",
        own={
            "wrong": ("1234", Reject("invalid_postal_code", "postal_code")),
            "oversized": ("1" * LONG, Reject("invalid_postal_code", "postal_code")),
            "fullwidth": ("〒１６３－８００１", Accept("1638001", "〒163-8001")),
        },
    )
    address = _parts(
        "address",
        "city",
        refused=Reject("invalid_characters", "address.city", part="city"),
        free_text=True,
        own={
            "html": (
                _replace(VALID["address"], "address.city", SCRIPT),
                Accept(
                    {"prefecture": "13", "city": SCRIPT, "street": "西新宿2-8-1", "building": ""},
                    f"東京都{SCRIPT}西新宿2-8-1",
                ),
            ),
            "sql": (
                _replace(VALID["address"], "address.city", SQL),
                Accept(
                    {"prefecture": "13", "city": SQL, "street": "西新宿2-8-1", "building": ""},
                    f"東京都{SQL}西新宿2-8-1",
                ),
            ),
            "wrong": (
                _replace(VALID["address"], "address.prefecture", "99"),
                Reject("invalid_prefecture", "address.prefecture", part="prefecture"),
            ),
            "prefecture-html": (
                _replace(VALID["address"], "address.prefecture", SCRIPT),
                Reject("invalid_prefecture", "address.prefecture", part="prefecture"),
            ),
            "part-missing": (
                _replace(VALID["address"], "address.street", ""),
                Reject("required_part", "address.street", part="street"),
            ),
            "oversized": (
                _replace(VALID["address"], "address.street", "あ" * LONG),
                Reject("too_long", "address.street", part="street", params={"max": 100}),
            ),
            "fullwidth": (
                _replace(VALID["address"], "address.street", "西新宿２－８－１"),
                Accept(
                    {
                        "prefecture": "13",
                        "city": "新宿区",
                        "street": "西新宿２－８－１",
                        "building": "",
                    },
                    "東京都新宿区西新宿２－８－１",
                ),
            ),
            "prefecture-by-name": (
                _replace(VALID["address"], "address.prefecture", "東京都"),
                Accept(
                    {"prefecture": "13", "city": "新宿区", "street": "西新宿2-8-1", "building": ""},
                    "東京都新宿区西新宿2-8-1",
                ),
            ),
        },
    )
    return [*email, *phone, *postal, *address]


def _choice_cases() -> list[Case]:
    def options(name: str, blank_code: str, refused: str, extra: dict[str, Any]) -> list[Case]:
        valid = VALID[name][0][1]
        cases: dict[str, Case] = {}
        for kind, pairs, expect in _single(name, valid, blank_code):
            cases[kind] = Case(name, kind, pairs, expect or Reject(refused, name))
        cases["empty"] = Case(name, "empty", (), Reject(blank_code, name))  # nothing ticked
        cases["list"] = Case(name, "list", ((name, "a"), (name, "b")), Reject(refused, name))
        cases["nested"] = Case(name, "nested", ((f"{name}.x", valid),), Reject(refused, name))
        for kind, (value, expected) in extra.items():
            pairs = ((name, value),) if isinstance(value, str) else value
            cases[kind] = Case(name, kind, pairs, expected)
        return list(cases.values())

    choice = options(
        "choice",
        "required_choice",
        "invalid_choice",
        {
            "wrong": ("d", Reject("invalid_choice", "choice")),
            "oversized": ("a" * LONG, Reject("invalid_choice", "choice")),
            "fullwidth": ("ａ", Reject("invalid_choice", "choice")),
            "posted-empty": ("", Reject("required_choice", "choice")),
        },
    )
    choice_select = options(
        "choice_select",
        "required_choice",
        "invalid_choice",
        {
            "wrong": ("c", Reject("invalid_choice", "choice_select")),
            "oversized": ("b" * LONG, Reject("invalid_choice", "choice_select")),
            "fullwidth": ("ｂ", Reject("invalid_choice", "choice_select")),
        },
    )
    choices = options(
        "choices",
        "required_choice",
        "invalid_choice",
        {
            "wrong": ("d", Reject("invalid_choice", "choices")),
            "list": (
                (("choices", "a"), ("choices", "b"), ("choices", "c")),
                Reject("too_many_choices", "choices", params={"max": 2}),
            ),
            "oversized": (
                tuple(("choices", "abc"[n % 3]) for n in range(200)),
                Reject("too_many_choices", "choices", params={"max": 2}),
            ),
            "oversized-unknown": (
                tuple(("choices", f"option-{n}") for n in range(200)),
                Reject("invalid_choice", "choices"),
            ),
            "duplicates": (
                tuple(("choices", "a") for _ in range(200)),
                Accept(["a"], "BCG"),
            ),
            "fullwidth": ("ａ", Reject("invalid_choice", "choices")),
        },
    )
    yes_no = options(
        "yes_no",
        "required_choice",
        "invalid_choice",
        {
            "wrong": ("maybe", Reject("invalid_choice", "yes_no")),
            "oversized": ("y" * LONG, Reject("invalid_choice", "yes_no")),
            "fullwidth": ("ｙｅｓ", Reject("invalid_choice", "yes_no")),
            "list": ((("yes_no", "yes"), ("yes_no", "no")), Reject("invalid_choice", "yes_no")),
            "japanese": ("いいえ", Accept(False, "いいえ")),
        },
    )
    declaration = options(
        "agree",
        "not_declared",
        "not_declared",
        {
            "wrong": ("maybe", Reject("not_declared", "agree")),
            "unticked": ("no", Reject("not_declared", "agree")),
            "oversized": ("y" * LONG, Reject("not_declared", "agree")),
            "fullwidth": ("ｙｅｓ", Reject("not_declared", "agree")),
            "list": ((("agree", "no"), ("agree", "off")), Reject("not_declared", "agree")),
        },
    )
    return [*choice, *choice_select, *choices, *yes_no, *declaration]


def _name_cases() -> list[Case]:
    whole = {"family": "山田", "given": "太郎", "family_kana": "ヤマダ", "given_kana": "タロウ"}
    return _parts(
        "name",
        "family",
        refused=Reject("invalid_characters", "name.family", part="family"),
        free_text=True,
        own={
            "html": (
                _replace(VALID["name"], "name.family", SCRIPT),
                Accept(whole | {"family": SCRIPT}, f"{SCRIPT} 太郎（ヤマダ タロウ）"),
            ),
            "sql": (
                _replace(VALID["name"], "name.family", SQL),
                Accept(whole | {"family": SQL}, f"{SQL} 太郎（ヤマダ タロウ）"),
            ),
            "wrong": (
                _replace(VALID["name"], "name.family_kana", "山田"),
                Reject("furigana_katakana", "name.family_kana", part="family_kana"),
            ),
            "kana-html": (
                _replace(VALID["name"], "name.given_kana", SCRIPT),
                Reject("furigana_katakana", "name.given_kana", part="given_kana"),
            ),
            "kana-rtl": (
                _replace(VALID["name"], "name.given_kana", _middle("たろう", RTL)),
                Reject("furigana_katakana", "name.given_kana", part="given_kana"),
            ),
            "part-missing": (
                _replace(VALID["name"], "name.given", ""),
                Reject("required_part", "name.given", part="given"),
            ),
            "oversized": (
                _replace(VALID["name"], "name.family", "あ" * LONG),
                Reject("too_long", "name.family", part="family", params={"max": 50}),
            ),
            "kana-oversized": (
                _replace(VALID["name"], "name.family_kana", "ア" * LONG),
                Reject("too_long", "name.family_kana", part="family_kana", params={"max": 50}),
            ),
            "fullwidth": (
                _replace(
                    _replace(VALID["name"], "name.family", "ＹＡＭＡＤＡ"),
                    "name.family_kana",
                    "ﾔﾏﾀﾞ",
                ),
                Accept(whole | {"family": "ＹＡＭＡＤＡ"}, "ＹＡＭＡＤＡ 太郎（ヤマダ タロウ）"),
            ),
        },
    )


def _identity_cases() -> list[Case]:
    my_number = _scalar(
        "my_number",
        refused="invalid_my_number",
        own={
            "wrong": ("1234 5678 9012", Reject("invalid_my_number", "my_number")),
            "oversized": ("1" * LONG, Reject("invalid_my_number", "my_number")),
            "fullwidth": ("１２３４　５６７８　９０１８", Accept("123456789018", "1234 5678 9018")),
        },
    )
    corporate = _scalar(
        "corporate_number",
        refused="invalid_corporate_number",
        own={
            "wrong": ("7000012050001", Reject("invalid_corporate_number", "corporate_number")),
            "oversized": ("7" * LONG, Reject("invalid_corporate_number", "corporate_number")),
            "fullwidth": ("７０００－０１２０５０００２", Accept("7000012050002", "7000012050002")),
        },
    )
    return [*my_number, *corporate]


def _file_cases() -> list[Case]:
    pdf = "application/pdf"
    file_type = Reject("file_type", "file", params={"accept": "PDF"})

    def upload(kind: str, uploads: tuple[Upload, ...], expect: Reject | Accept) -> Case:
        return Case("file", kind, (), expect, tuple(("file", u) for u in uploads))

    def named(kind: str, name: str, stored: str) -> Case:
        return upload(kind, ((name, PDF, pdf),), Accept([stored], stored))

    forged = (
        ("file.id", "upload-0001abcd"),
        ("file.name", "forged.pdf"),
        ("file.size", "100"),
        ("file.media_type", pdf),
        ("file.sha256", "a" * 64),
    )
    return [
        upload("empty", (), Reject("required_file", "file")),
        upload("empty-file", (("空.pdf", b"", pdf),), Reject("file_empty", "file")),
        upload("wrong-png-named-pdf", (("scan.pdf", PNG, pdf),), file_type),
        upload("wrong-random-bytes", (("scan.pdf", bytes(range(256)) * 2, pdf),), file_type),
        upload("wrong-html", (("scan.pdf", SCRIPT.encode(), pdf),), file_type),
        upload(
            "oversized",
            (("big.pdf", PDF + b"\x00" * 2048, pdf),),
            Reject("file_too_large", "file", params={"max": "1 KB"}),
        ),
        upload(
            "too-many",
            tuple((f"{n}.pdf", PDF, pdf) for n in range(3)),
            Reject("too_many_files", "file", params={"max": 2}),
        ),
        named("path-traversal", "../../etc/passwd", "passwd"),
        named("windows-path", "..\\..\\Windows\\win.ini", "win.ini"),
        named("rtl", f"report{RTL}fdp.exe", "reportfdp.exe"),
        named("control", f"re{ESC}port.pdf", "report.pdf"),
        named("nul", f"re{NUL}port.pdf", "report.pdf"),
        named("html", f"{SCRIPT}.pdf", "script_.pdf"),
        named("sql", f"{SQL}.pdf", f"{SQL}.pdf"),
        named("fullwidth", "証明書（２０２５）．ｐｄｆ", "証明書（２０２５）．ｐｄｆ"),
        named("oversized-name", "あ" * 1000 + ".pdf", "あ" * 251 + ".pdf"),
        # Text posted under the file field's name is not a file.
        Case(
            "file",
            "text-instead-of-file",
            (("file", "scan.pdf"),),
            Reject("required_file", "file"),
            (),
        ),
        # Nor is a file answer typed as form fields: it must not refer to a stored file.
        Case("file", "forged-reference", forged, Reject("required_file", "file"), ()),
    ]


def _group_cases() -> list[Case]:
    valid = VALID["children"]
    x, n = "children[0].x", "children[0].n"

    def case(kind: str, pairs: Pairs, expect: Reject | Accept) -> Case:
        return Case("children", kind, pairs, expect)

    return [
        case("empty", (), Reject("too_few_items", "children", params={"min": 1})),
        case("empty-item", ((x, ""), (n, "")), Reject("required", x)),
        case("blank", ((x, " \u3000"), (n, "3")), Reject("required", x)),
        case("wrong", ((x, "はなこ"), (n, "二十一")), Reject("not_integer", n)),
        case(
            "oversized-value",
            ((x, "あ" * LONG), (n, "3")),
            Reject("too_long", x, params={"max": 50}),
        ),
        case(
            "oversized-number",
            ((x, "はなこ"), (n, HUGE)),
            Reject("too_large", n, params={"max": 20}),
        ),
        case(
            "oversized",
            tuple(
                pair
                for i in range(100)
                for pair in ((f"children[{i}].x", "子"), (f"children[{i}].n", "1"))
            ),
            Reject("too_many_items", "children", params={"max": 3}),
        ),
        case("html", ((x, SCRIPT), (n, "3")), Accept([{"x": SCRIPT, "n": 3}], SCRIPT)),
        case("sql", ((x, SQL), (n, "3")), Accept([{"x": SQL, "n": 3}], SQL)),
        case("control", ((x, _middle("はなこ", ESC)), (n, "3")), Reject("invalid_characters", x)),
        case("rtl", ((x, _middle("はなこ", RTL)), (n, "3")), Reject("invalid_characters", x)),
        case("nul", ((x, _middle("はなこ", NUL)), (n, "3")), Reject("invalid_characters", x)),
        case(
            "fullwidth",
            ((x, "ＨＡＮＡ"), (n, "３")),
            Accept([{"x": "ＨＡＮＡ", "n": 3}], "ＨＡＮＡ"),
        ),
        case("list", (*valid, (x, "たろう")), Reject("wrong_shape", x)),
        case("nested-scalar", ((f"{x}.y", "はなこ"), (n, "3")), Reject("wrong_shape", x)),
        # Item numbers past any repeat's max are dropped: no item is left.
        case(
            "index-999",
            (("children[999].x", "はなこ"), ("children[999].n", "3")),
            Reject("too_few_items", "children", params={"min": 1}),
        ),
        # Gaps in item numbers close up.
        case(
            "index-gap",
            (("children[7].x", "はなこ"), ("children[7].n", "3")),
            Accept([{"x": "はなこ", "n": 3}], "はなこ"),
        ),
        case("string-for-items", (("children", "はなこ"),), Reject("wrong_shape", "children")),
        case(
            "mapping-for-items",
            (("children.x", "はなこ"), ("children.n", "3")),
            Reject("wrong_shape", "children"),
        ),
    ]


def cases() -> list[Case]:
    return [
        *_text_cases(),
        *_textarea_cases(),
        *_number_cases(),
        *_date_cases(),
        *_contact_cases(),
        *_choice_cases(),
        *_name_cases(),
        *_identity_cases(),
        *_file_cases(),
        *_group_cases(),
    ]


# Reading the pages ----------------------------------------------------------------------

_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    parent: Element | None
    chunks: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def get(self, name: str) -> str:
        return self.attrs.get(name) or ""

    def classes(self) -> list[str]:
        return self.get("class").split()

    def within(self, other: Element) -> bool:
        node: Element | None = self
        while node is not None:
            if node is other:
                return True
            node = node.parent
        return False


class Html(HTMLParser):
    """A page's elements with their attributes, text and nesting (the standard library's
    tolerant parser: enough to find ids, error messages and answers)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), self._open[-1] if self._open else None)
        self.elements.append(element)
        if tag not in _VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                return

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.chunks.append(data)

    def by_id(self, element_id: str) -> Element | None:
        return next((e for e in self.elements if e.get("id") == element_id), None)

    def with_class(self, name: str) -> list[Element]:
        return [e for e in self.elements if name in e.classes()]

    def field(self, path: str) -> Element | None:
        """The container of the field at ``path`` (``data-field``)."""
        return next((e for e in self.elements if e.get("data-field") == path), None)

    def summary(self) -> list[tuple[str, str]]:
        """The error summary's lines: (link target without '#', text)."""
        boxes = self.with_class("error-summary")
        if not boxes:
            return []
        return [
            (e.get("href").removeprefix("#"), " ".join(e.text.split()))
            for e in self.elements
            if e.tag == "a" and e.within(boxes[0])
        ]

    def answers(self) -> dict[str, str]:
        """Check-answers rows: label -> value as shown."""
        rows = {}
        for row in self.with_class("summary-list__row"):
            key = next(e for e in self.elements if e.parent is row and e.tag == "dt")
            value = next(e for e in self.elements if e.parent is row and e.tag == "dd")
            rows[" ".join(key.text.split())] = value.text.strip()
        return rows
