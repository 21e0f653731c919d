"""Every page of every demo procedure, in Japanese and English, blank, wrong and right."""

from __future__ import annotations

from typing import Any

import pytest

from engine.answers import unflatten, validate_answers
from engine.definitions.models import Definition, walk_fields
from engine.fields.files import FileField
from renderers.html import render
from tests.conftest import TODAY
from tests.renderers.checks import check_language_switch, check_page, error_texts
from tests.renderers.conftest import (
    DEFINITIONS,
    LANGUAGES,
    PAGES,
    bad_answers,
    chrome,
    form_page,
    page_of,
    valid_answers,
    visibility,
)
from tests.renderers.html_tree import Element, form_post


def scenario_answers(definition: Definition, scenario: str) -> dict[str, Any]:
    if scenario == "blank":
        return {}
    if scenario == "wrong":
        return bad_answers(definition)
    return valid_answers(definition.procedure)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("scenario", ["blank", "wrong", "valid"])
@pytest.mark.parametrize(("procedure", "page_id"), PAGES)
def test_every_page_renders_for_people(
    procedure: str, page_id: str, scenario: str, language: str
) -> None:
    definition = DEFINITIONS[procedure]
    raw = scenario_answers(definition, scenario)
    page = form_page(definition, page_id, raw, language, visible=visibility(definition, raw))
    has_errors = bool(page.errors)
    assert has_errors == (scenario != "valid")

    doc = check_page(render(page, language, chrome(language)), language, has_errors=has_errors)

    assert doc.find("h1").text == page_of(definition, page_id).title.get(language)
    progress = doc.find("p", class_="progress").text
    steps = len(definition.pages)
    expected = (
        f"ステップ {page.step} / {steps}" if language == "ja" else f"Step {page.step} of {steps}"
    )
    assert progress == expected
    form = doc.find("form", method="post", action=page.action_url)
    assert form.find("input", name="csrf_token").get("value") == "csrf-123"
    assert_markers(form)
    if has_errors:
        texts = error_texts(doc)
        for error in page.errors:
            assert error.message.get(language) in texts


def assert_markers(form: Element) -> None:
    """Each question says in words whether it must be answered."""
    for legend_or_label in form.find_all("legend", "label"):
        field = next((a for a in legend_or_label.ancestors() if "field" in a.classes), None)
        if field is None or "field--group" in field.classes or "field--repeat" in field.classes:
            continue
        one_of_many = {"label--part", "choice__label"} & set(legend_or_label.classes)
        if one_of_many and "field--checkbox" not in field.classes:
            continue  # a part's or an option's label: the legend carries the marker
        markers = [e for e in legend_or_label.iter() if "marker" in e.classes]
        assert markers, f"no required/optional marker: {legend_or_label.text}"


@pytest.mark.parametrize(("procedure", "page_id"), PAGES)
def test_what_a_page_shows_is_what_it_posts_back(procedure: str, page_id: str) -> None:
    """A browser posting the rendered form unchanged gives the same answers."""
    definition = DEFINITIONS[procedure]
    raw = valid_answers(procedure)
    page = form_page(definition, page_id, raw, "ja", visible=visibility(definition, raw))
    doc = check_page(render(page, "ja"), "ja", has_errors=False)
    posted = unflatten(form_post(doc.find("form", class_="form")))
    for path, spec in walk_fields(page_of(definition, page_id).fields):
        if isinstance(spec, FileField) and "[" not in path:
            posted[spec.id] = raw.get(spec.id)  # stored files stay with the draft
    again = validate_answers(definition, posted, today=TODAY, pages={page_id})
    original = validate_answers(definition, raw, today=TODAY, pages={page_id})
    assert again.errors == ()
    for spec in page_of(definition, page_id).fields:
        assert again.answers.get(spec.id) == original.answers.get(spec.id), spec.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_wrong_answers_are_shown_again_escaped(language: str) -> None:
    definition = DEFINITIONS["restaurant-permit"]
    raw = bad_answers(definition)
    html = render(form_page(definition, "applicant", raw, language), language)
    doc = check_page(html, language, has_errors=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    corporation = doc.find("input", name="corporation_name")
    assert corporation.get("value") == raw["corporation_name"]
    assert [s.get("src") for s in doc.find_all("script")] == ["/static/madoguchi.js"]


def test_errors_link_to_the_part_at_fault() -> None:
    definition = DEFINITIONS["childcare-enrollment"]
    raw = valid_answers("childcare-enrollment")
    raw["name"]["given_kana"] = "Hanako"
    raw["address"]["city"] = ""
    doc = check_page(render(form_page(definition, "applicant", raw, "ja"), "ja"), "ja")
    links = [a.get("href") for a in doc.find("div", class_="error-summary").find_all("a")]
    assert links == ["#field-name-given_kana", "#field-address-city"]
    kana = doc.by_id("field-name-given_kana")
    assert kana is not None
    assert kana.get("aria-invalid") == "true"
    assert kana.get("aria-describedby") == "field-name-given_kana-error"
    family = doc.by_id("field-name-family")
    assert family is not None
    assert family.get("aria-invalid") is None  # only the part at fault


def test_a_check_error_without_an_input_is_listed_without_a_link() -> None:
    definition = DEFINITIONS["childcare-enrollment"]
    raw = valid_answers("childcare-enrollment")
    raw["reason"] = "seeking"
    raw["children"] = raw["children"] * 4
    (error,) = validate_answers(definition, raw, today=TODAY).errors
    assert error.path == ""
    page = form_page(definition, "declaration", raw, "en", errors=[error])
    doc = check_page(render(page, "en"), "en", has_errors=True)
    item = doc.find("ul", class_="error-summary__list").find("li")
    assert item.text == error.message.get("en")
    assert not item.find_all("a")


def test_the_title_says_error_first(childcare_definition: Definition) -> None:
    for language, prefix in (("ja", "エラー: "), ("en", "Error: ")):
        page = form_page(childcare_definition, "applicant", {}, language)
        title = check_page(render(page, language), language).find("title").text
        assert title.startswith(prefix)
        page_title = "申請者の情報" if language == "ja" else "About you"
        procedure = childcare_definition.title.get(language)
        service = "窓口" if language == "ja" else "Madoguchi"
        assert title == f"{prefix}{page_title} - {procedure} - {service}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_language_switch_and_account_links(language: str) -> None:
    definition = DEFINITIONS["bulky-waste"]
    page = form_page(definition, "contact", {}, language)
    signed_in = check_page(render(page, language, chrome(language)), language)
    other = "en" if language == "ja" else "ja"
    switch = check_language_switch(signed_in, language)
    # It posts the answers typed so far, so switching loses nothing.
    assert switch.tag == "button"
    assert (switch.get("form"), switch.get("value")) == ("answers", f"language:{other}")
    assert signed_in.find("form", class_="form").get("id") == "answers"
    sign_out = signed_in.find("form", action="/sign-out")
    assert sign_out.find("input", name="csrf_token").get("value") == "csrf-123"
    assert sign_out.find("button").text == ("ログアウト" if language == "ja" else "Sign out")
    anonymous = check_page(render(page, language, chrome(language, signed_in=False)), language)
    assert anonymous.find("a", href="/sign-in").text == (
        "ログイン" if language == "ja" else "Sign in"
    )
    assert not anonymous.find_all("form", action="/sign-out")


def test_render_refuses_a_chrome_in_another_language(childcare_definition: Definition) -> None:
    page = form_page(childcare_definition, "applicant", {}, "ja")
    with pytest.raises(ValueError, match="chrome"):
        render(page, "ja", chrome("en"))
    with pytest.raises(ValueError, match="language"):
        render(page, "fr")


def test_enter_in_a_text_box_continues(childcare_definition: Definition) -> None:
    """Implicit submission presses the form's first submit button in the document."""
    page = form_page(childcare_definition, "children", {"children": [{}, {}]}, "ja")
    doc = check_page(render(page, "ja", chrome("ja")), "ja")
    buttons = [
        b
        for b in doc.iter()
        if b.tag == "button"
        and (b.get("form") == "answers" or b.closest("form") is doc.by_id("answers"))
    ]
    first = buttons[0]
    assert first.get("value") == "continue"
    assert first.get("aria-hidden") == "true"
    assert first.get("tabindex") == "-1"
    values = [b.get("value") for b in buttons]
    assert values.index("language:en") > 0
    assert "remove:children[1]" in values
    assert "add:children" in values
    assert values[-2:] == ["continue", "save"]
