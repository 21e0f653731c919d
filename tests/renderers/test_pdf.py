"""PDF documents: what a citizen reads in them, which fonts draw it, and what rendering may
reach. Every PDF here is rendered for real (WeasyPrint in its worker process) and read back
with poppler's pdftotext, pypdf and fontTools."""

from __future__ import annotations

import logging
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont

from engine.answers import validate_answers
from engine.definitions.loader import parse_definition
from engine.definitions.models import Definition
from renderers.pdf import (
    ASSETS_DIR,
    Decision,
    PdfTooLarge,
    RenderError,
    RenderTimeout,
    SubmissionFacts,
    document_context,
    document_html,
    receipt_html,
    render_pdf,
    render_report,
)
from renderers.pdf.context import MAX_ANSWER_CHARS
from renderers.pdf.printer import FONT_FILES
from renderers.pdf.render import MAX_HTML_CHARS
from tests.conftest import TODAY
from tests.renderers.conftest import DEFINITIONS, LANGUAGES, TEMPLATES, valid_answers
from tests.renderers.pdf_reading import (
    embedded_fonts,
    link_targets,
    missing_glyphs,
    page_count,
    pdf_text,
)

SUBMITTED = datetime(2026, 11, 26, 5, 5, tzinfo=UTC)  # 14:05 in Tokyo
REFERENCE = "R8-0042-KXQP"
SITE = "https://madoguchi.example.jp/"
RARE_NAMES = "𠮷田 髙橋 﨑 齋藤"

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or not all(path.is_file() for path in FONT_FILES),
    reason="needs poppler-utils and fonts-noto-cjk (./dev test installs them as root)",
)


def facts(definition: Definition, raw: dict[str, Any], **extra: Any) -> SubmissionFacts:
    answers = validate_answers(definition, raw, today=TODAY).answers
    return SubmissionFacts(
        REFERENCE, SUBMITTED, answers, status_url=f"{SITE}applications/abc", **extra
    )


def page(body: str, language: str = "ja") -> str:
    return f'<!doctype html><html lang="{language}"><body>{body}</body></html>'


# The receipt --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("procedure", sorted(DEFINITIONS))
def test_every_procedure_has_a_receipt_in_both_languages(procedure: str, language: str) -> None:
    definition = DEFINITIONS[procedure]
    html = receipt_html(
        definition, facts(definition, valid_answers(procedure)), language, office="新宿区役所"
    )
    pdf = render_pdf(html, link_prefixes=(SITE,))
    text = pdf_text(pdf)
    assert pdf.startswith(b"%PDF-")
    assert REFERENCE in text
    assert definition.title.get(language) in text
    assert definition.documents["receipt"].title.get(language) in text
    assert f"1/{page_count(pdf)}" in text.replace(" ", "")  # page numbers in the footer
    assert "令和8年11月26日" in text if language == "ja" else "26 November 2026 (Reiwa 8)" in text
    assert "2026-11-26T14:05:00+09:00" in text
    assert link_targets(pdf) == [f"{SITE}applications/abc"]
    assert missing_glyphs(pdf, text) == set()


def test_the_childcare_receipt_names_the_applicant_and_lists_every_answer() -> None:
    definition = DEFINITIONS["childcare-enrollment"]
    due = date(2026, 12, 24)
    receipt = facts(definition, valid_answers("childcare-enrollment"), due_date=due)
    text = pdf_text(render_pdf(receipt_html(definition, receipt, "ja", office="新宿区役所")))
    assert "髙橋 花子 様" in text
    assert "髙橋 𠮷乃" in text  # the child, in the answers
    assert "20営業日" in text
    assert "令和8年12月24日" in text  # the due date
    assert "********9018" in text  # My Number masked
    assert "1234 5678 9018" not in text
    assert "就労証明書.pdf" in text
    assert "a" * 64 in text  # the attachment's sha256
    assert "受付番号" in text
    assert "We have received" not in text  # every word of the receipt in Japanese


def test_the_english_receipt_says_everything_in_english() -> None:
    definition = DEFINITIONS["childcare-enrollment"]
    receipt = facts(definition, valid_answers("childcare-enrollment"))
    text = pdf_text(render_pdf(receipt_html(definition, receipt, "en", office="Shinjuku City")))
    assert "We have received your application as follows." in text
    assert "Reference number" in text
    assert "受付番号" not in text


# Japanese text ------------------------------------------------------------------------------


def test_rare_characters_in_names_are_drawn_by_our_embedded_font() -> None:
    html = page(f"<h1>{RARE_NAMES}</h1><p>{RARE_NAMES} 様</p>")
    pdf = render_pdf(html)
    assert missing_glyphs(pdf, RARE_NAMES) == set()
    assert RARE_NAMES in pdf_text(pdf)
    fonts = embedded_fonts(pdf)
    # Only Noto Sans CJK JP, regular and bold, subset (a six-letter tag before the name).
    assert {font.name.split("+")[1] for font in fonts} == {"Madoguchi-Sans", "Madoguchi-Sans-Bold"}
    assert all(font.embedded and font.name[7] == "+" for font in fonts)
    assert all(font.glyph_count < 30 for font in fonts)  # of 65,535: only what the page uses
    assert {font.family for font in fonts} == {"Noto Sans CJK JP"}


def test_each_character_is_drawn_with_its_own_outline_from_the_font() -> None:
    # The subset keeps each glyph's CID while renumbering glyphs (renderers/pdf/cid_fonts):
    # a slip would draw other characters while the text layer still reads right.
    text = RARE_NAMES.replace(" ", "") + "受付番号申請者様"
    pdf = render_pdf(page(f"<p>{text}</p>"))
    [font] = embedded_fonts(pdf)
    with TTFont(FONT_FILES[0], fontNumber=0, lazy=True) as source:  # the JP face
        cmap = source.getBestCmap()
        strings = source["CFF "].cff.topDictIndex[0].CharStrings
        for character in text:
            name = cmap[ord(character)]
            assert font.glyph_for(character) == name  # the same CID
            original = strings[name]
            original.decompile()
            assert font.outline_bounds(name) == tuple(original.calcBounds(strings))


def test_the_glyph_check_sees_a_character_no_font_has() -> None:
    pdf = render_pdf(page("髙橋 \U0010fffd"))  # a private-use code point: no font draws it
    assert missing_glyphs(pdf, "髙橋 \U0010fffd") == {"\U0010fffd"}


# Safe rendering -----------------------------------------------------------------------------

NOTES = """
procedure: notes
version: 1
title: {ja: メモの提出, en: Notes}
department: test
submitters: anyone
pages:
  - id: notes
    title: {ja: メモ, en: Notes}
    fields:
      - {id: name, type: person_name, furigana: false, label: {ja: 氏名, en: Name}}
      - {id: note, type: textarea, label: {ja: メモ, en: Note}}
      - {id: title, type: text, label: {ja: 件名, en: Subject}}
      - {id: link, type: text, label: {ja: リンク, en: Link}}
      - {id: file_name, type: text, label: {ja: ファイル名, en: File name}}
      - {id: long, type: textarea, label: {ja: 長文, en: Long}}
workflow:
  start: received
  states:
    received: {label: {ja: 受付, en: Received}, final: true}
documents:
  receipt: {title: {ja: 受付完了通知書, en: Receipt}}
"""

HOSTILE = {
    "name": {"family": '<img src="file:///etc/passwd">', "given": "花子"},
    "note": '<link rel=stylesheet href="http://10.0.0.1/x.css"><a href="file:///etc/passwd">f</a>',
    "title": '<style>@import url("http://10.0.0.1/y.css");</style><b>bold</b>',
    "link": "javascript:alert(1)",
    "file_name": "invoice\u202efdp.exe",
    "long": "x" * 1_000_000,
}


def test_hostile_answers_are_text_and_nothing_is_fetched(caplog: pytest.LogCaptureFixture) -> None:
    definition = parse_definition(NOTES).definition
    receipt = SubmissionFacts(REFERENCE, SUBMITTED, HOSTILE, status_url=f"{SITE}status")
    html = receipt_html(definition, receipt, "en", office="Office")
    with caplog.at_level(logging.WARNING, logger="madoguchi.pdf"):
        rendering = render_report(html, link_prefixes=(SITE,))
    text = pdf_text(rendering.pdf)
    assert rendering.refused == ()
    assert caplog.records == []
    assert set(rendering.served) <= {path.as_uri() for path in FONT_FILES} | {
        (ASSETS_DIR / "document.css").as_uri()
    }
    assert '<img src="file:///etc/passwd"> 花子' in text
    assert '<link rel=stylesheet href="http://10.0.0.1/x.css">' in text
    assert "javascript:alert(1)" in text
    assert "invoice[U+202E]fdp.exe" in text  # the override is shown, not obeyed
    assert f"{MAX_ANSWER_CHARS:,} of 1,000,000 characters" in text
    assert link_targets(rendering.pdf) == [f"{SITE}status"]


def test_the_fetcher_refuses_everything_but_our_assets(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assets = tmp_path / "assets"
    shutil.copytree(ASSETS_DIR, assets)
    (assets / "seal.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" '
        'height="10"/></svg>',
        encoding="utf-8",
    )
    (assets / "escape.css").symlink_to("/etc/passwd")
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG\r\n\x1a\n")
    refused = [
        "file:///etc/passwd",
        "http://10.0.0.1/x.css",
        "https://example.com/logo.png",
        outside.as_uri(),
        (assets / "escape.css").as_uri(),
        "ftp://example.com/a.png",
    ]
    body = "".join(f'<img src="{url}">' for url in refused) + (
        '<img src="seal.svg"><img src="data:text/html,<b>x</b>">'
        '<a href="javascript:alert(1)">j</a><a href="file:///etc/passwd">f</a>'
        '<a href="https://madoguchi.example.jp.evil.example/">e</a>'
        f'<a href="{SITE}status">ours</a><a href="#top" id="top">top</a>'
    )
    with caplog.at_level(logging.WARNING, logger="madoguchi.pdf"):
        rendering = render_report(page(body), base_url_assets=assets, link_prefixes=(SITE,))
    assert set(rendering.refused) == {*refused, "data:text/html,<b>x</b>"}
    assert (assets / "seal.svg").as_uri() in rendering.served
    assert len(caplog.records) == len(refused) + 1
    assert link_targets(rendering.pdf) == [f"{SITE}status"]
    assert set(rendering.links_left_out) == {
        "javascript:alert(1)",
        "file:///etc/passwd",
        "https://madoguchi.example.jp.evil.example/",
    }


def test_link_prefixes_are_https_folders() -> None:
    with pytest.raises(ValueError, match="https URL ending with '/'"):
        render_pdf(page("x"), link_prefixes=("https://madoguchi.example.jp",))
    with pytest.raises(ValueError, match="https URL"):
        render_pdf(page("x"), link_prefixes=("http://madoguchi.example.jp/",))


def test_a_pdf_over_the_size_limit_is_refused() -> None:
    with pytest.raises(PdfTooLarge, match="the limit is 1,000"):
        render_pdf(page("髙橋"), max_bytes=1_000)
    assert render_pdf(page("髙橋")).startswith(b"%PDF-")  # the worker is still there


def test_html_over_the_size_limit_is_refused_before_rendering() -> None:
    with pytest.raises(RenderError, match="characters; the limit"):
        render_pdf("x" * (MAX_HTML_CHARS + 1))


def test_a_render_past_its_time_limit_is_stopped_and_the_next_one_works() -> None:
    # An automatic table layout measures a long unbroken cell in time that grows with the
    # square of its length: 50,000 characters take minutes, far beyond half a second.
    slow = page(f"<table><tr><td style='overflow-wrap:anywhere'>{'x' * 50_000}</td></tr></table>")
    with pytest.raises(RenderTimeout, match=r"longer than 0\.5 s"):
        render_pdf(slow, timeout_s=0.5)
    assert REFERENCE in pdf_text(render_pdf(page(REFERENCE)))


# Per-procedure documents --------------------------------------------------------------------

DECISIONS = [
    ("childcare-enrollment", "decision_notice", "approved", "利用承諾"),
    ("disaster-certificate", "certificate", "issued", "半壊"),
    ("disaster-certificate", "refusal_notice", "rejected", "交付できません"),
    ("restaurant-permit", "permit", "permitted", "許可"),
    ("restaurant-permit", "refusal_notice", "refused", "不許可"),
]


@pytest.mark.parametrize(("procedure", "document", "state", "label"), DECISIONS)
def test_procedure_templates_extend_the_base_layout(
    procedure: str, document: str, state: str, label: str
) -> None:
    definition = DEFINITIONS[procedure]
    decision = Decision(state, label, date(2026, 12, 10), comment="理由の例")
    context = document_context(
        definition,
        facts(definition, valid_answers(procedure), decision=decision),
        "ja",
        document=document,
        office="新宿区長",
    )
    template = definition.documents[document].template
    assert template is not None
    html = document_html(definition, template, context, "ja", templates=TEMPLATES[procedure])
    pdf = render_pdf(html)
    text = pdf_text(pdf)
    assert REFERENCE in text
    assert definition.documents[document].title.ja in text
    assert "令和8年12月10日" in text
    assert "新宿区長" in text
    assert "1/1" in text.replace(" ", "")
    assert missing_glyphs(pdf, text) == set()


def test_document_html_renders_only_templates_the_definition_names() -> None:
    definition = DEFINITIONS["childcare-enrollment"]
    context = document_context(
        definition,
        facts(definition, valid_answers("childcare-enrollment")),
        "ja",
        document="receipt",
        office="新宿区",
    )
    with pytest.raises(ValueError, match="names no document template"):
        document_html(definition, "base.html", context, "ja", templates={"base.html": "x"})
    with pytest.raises(ValueError, match="the context is in 'ja'"):
        document_html(
            definition,
            "childcare-decision.html",
            context,
            "en",
            templates=TEMPLATES["childcare-enrollment"],
        )


ITEMS = """
procedure: items
version: 1
title: {ja: 品目の届出, en: Items}
department: test
submitters: anyone
pages:
  - id: items
    title: {ja: 品目, en: Items}
    fields:
      - id: items
        type: group
        repeat: {max: 100}
        label: {ja: 品目, en: Item}
        fields:
          - {id: what, type: text, label: {ja: 品名, en: What}}
workflow:
  start: received
  states:
    received: {label: {ja: 受付, en: Received}, final: true}
documents:
  receipt: {title: {ja: 受付完了通知書, en: Receipt}}
"""


def test_the_most_items_a_group_allows_with_emoji_and_unassigned_code_points_render() -> None:
    # 100 items is what the language allows at most (repeat.max <= 100): more never
    # passes validation, so never reaches a document.
    definition = parse_definition(ITEMS).definition
    names = ["🍣 寿司桶", "\u0378 unassigned", "\U0010fffd private", "𠮷" * 300]
    raw = {"items": [{"what": names[n % len(names)]} for n in range(100)]}
    pdf = render_pdf(receipt_html(definition, facts(definition, raw), "ja", office="Office"))
    assert page_count(pdf) >= 3  # page breaks, not one endless page
    text = pdf_text(pdf)
    assert "寿司桶" in text
    assert "[U+0378]" in text or "unassigned" in text
