"""build_page_view: names, ids, values, errors and widgets of each kind of field."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.answers import AnswerError, unflatten
from engine.definitions.models import Definition
from engine.text import LocalizedText
from renderers.html import build_page_view, render
from renderers.html.forms import FieldView, PageView, element_id
from tests.renderers.checks import check_page
from tests.renderers.conftest import DEFINITIONS, form_page, valid_answers
from tests.renderers.html_tree import form_post, parse


def field(view: PageView, path: str) -> FieldView:
    """The view of the field at ``path``, searched through groups and items."""
    pending = list(view.fields)
    while pending:
        candidate = pending.pop(0)
        if candidate.path == path:
            return candidate
        pending += candidate.fields
        pending += [f for item in candidate.items for f in item.fields]
    raise AssertionError(f"no field {path}")


def error(path: str, text: str = "違います") -> AnswerError:
    return AnswerError(path, "test", LocalizedText(ja=text, en="Wrong"), None)


def test_ids_follow_answer_paths() -> None:
    assert element_id("children[1].name.family") == "field-children-1-name-family"
    assert element_id("phone") == "field-phone"


def test_names_are_the_paths_unflatten_reads(childcare_definition: Definition) -> None:
    view = build_page_view(childcare_definition, "applicant", {}, [], "ja")
    names = [c.name for f in view.fields for c in f.controls]
    name_parts = ["name.family", "name.given", "name.family_kana", "name.given_kana"]
    assert names[:5] == [*name_parts, "birth_date.era"]
    assert "address.prefecture" in names
    assert "my_number" in names
    pairs = [(name, "x") for name in names]
    assert set(unflatten(pairs)) == {f.id for f in childcare_definition.pages[0].fields}


def test_wareki_dates_ask_for_the_era(childcare_definition: Definition) -> None:
    raw = {"birth_date": "1990-04-01"}  # saved as an ISO answer, shown as 平成2年
    view = build_page_view(childcare_definition, "applicant", raw, [], "ja")
    era, year, month, day = field(view, "birth_date").controls
    assert era.element == "select"
    assert [o.value for o in era.options] == ["", "明治", "大正", "昭和", "平成", "令和"]
    assert [o.value for o in era.options if o.selected] == ["平成"]
    assert (year.value, month.value, day.value) == ("2", "4", "1")
    assert field(view, "birth_date").kind == "parts"
    english = build_page_view(childcare_definition, "applicant", raw, [], "en")
    era_en = field(english, "birth_date").controls[0]
    assert [o.label for o in era_en.options][1:] == ["Meiji", "Taisho", "Showa", "Heisei", "Reiwa"]


def test_gregorian_dates_have_no_era(childcare_definition: Definition) -> None:
    raw = {"children": [{"birth_date": "2024-05-01"}]}
    view = build_page_view(childcare_definition, "children", raw, [], "ja")
    parts = field(view, "children[0].birth_date").controls
    assert [c.name for c in parts] == [
        "children[0].birth_date.year",
        "children[0].birth_date.month",
        "children[0].birth_date.day",
    ]
    assert [c.value for c in parts] == ["2024", "5", "1"]


def test_address_selects_the_prefecture_typed_or_stored(
    childcare_definition: Definition,
) -> None:
    for typed in ("13", "東京都", "東京"):
        raw = {"address": {"prefecture": typed, "city": "新宿区"}}
        view = build_page_view(childcare_definition, "applicant", raw, [], "en")
        prefecture, city, street, building = field(view, "address").controls
        assert [o.value for o in prefecture.options if o.selected] == ["13"]
        assert [o.label for o in prefecture.options if o.selected] == ["Tokyo"]
        assert len(prefecture.options) == 48  # 47 and "Select"
        assert city.value == "新宿区"
        assert street.required
        assert not building.required
        assert building.marker == "Optional"


def test_the_postal_code_names_the_address_it_fills(childcare_definition: Definition) -> None:
    view = build_page_view(childcare_definition, "applicant", {}, [], "ja")
    postal = field(view, "postal_code").controls[0]
    assert postal.fills == "field-address"
    assert field(view, "address").id == "field-address"
    assert postal.inputmode == "numeric"
    assert postal.autocomplete == "postal-code"


def test_my_number_is_shown_again_but_never_remembered(childcare_definition: Definition) -> None:
    raw = {"my_number": "1234 5678 9018"}
    view = build_page_view(childcare_definition, "applicant", raw, [], "ja")
    control = field(view, "my_number").controls[0]
    assert control.value == "1234 5678 9018"
    assert control.sensitive
    assert control.attributes()["autocomplete"] == "off"


def test_markers_say_required_optional_or_conditional(childcare_definition: Definition) -> None:
    ja = build_page_view(childcare_definition, "applicant", {}, [], "ja")
    assert field(ja, "name").marker == "※必須"
    assert field(ja, "email").marker == "※任意"
    en = build_page_view(childcare_definition, "work", {}, [], "en")
    assert field(en, "reason").marker == "Required"
    assert field(en, "employment_proof").marker == "Required in some cases"
    assert field(en, "employment_proof").requirement == "conditional"


def test_errors_belong_to_the_field_or_its_part(childcare_definition: Definition) -> None:
    errors = [error("name.family_kana", "カタカナで"), error("birth_date", "日付が違います")]
    view = build_page_view(childcare_definition, "applicant", {}, errors, "ja")
    name = field(view, "name")
    assert name.errors == ()
    assert [m.text for m in name.part_errors] == ["カタカナで"]
    kana = next(c for c in name.controls if c.name == "name.family_kana")
    assert kana.invalid
    assert kana.describedby == "field-name-family_kana-error"
    assert not any(c.invalid for c in name.controls if c is not kana)
    birth = field(view, "birth_date")
    assert birth.describedby == "field-birth_date-error"
    assert all(c.invalid for c in birth.controls)
    assert view.target_for("name.family_kana") == "field-name-family_kana"
    assert view.target_for("birth_date") == "field-birth_date-era"
    assert view.target_for("") is None
    assert view.target_for("not_on_this_page") is None


def test_hint_and_error_are_both_described(definitions: dict[str, Definition]) -> None:
    bulky = definitions["bulky-waste"]
    view = build_page_view(bulky, "contact", {}, [error("phone")], "ja")
    phone = field(view, "phone")
    assert phone.describedby == "field-phone-hint field-phone-error"
    assert phone.controls[0].describedby == phone.describedby
    assert phone.controls[0].invalid
    assert not field(view, "email").controls[0].invalid


def test_choices_are_checkboxes_with_one_name(definitions: dict[str, Definition]) -> None:
    restaurant = definitions["restaurant-permit"]
    raw = {"services": ["takeout", "alcohol"]}
    view = build_page_view(restaurant, "premises", raw, [], "ja")
    services = field(view, "services")
    assert services.kind == "choices"
    assert {c.name for c in services.controls} == {"services"}
    assert {c.input_type for c in services.controls} == {"checkbox"}
    assert {c.value for c in services.controls if c.checked} == {"takeout", "alcohol"}
    assert services.controls[0].id == "field-services"


def test_yes_no_accepts_booleans_and_words(definitions: dict[str, Definition]) -> None:
    disaster = definitions["disaster-certificate"]
    for raw_value, chosen in ((True, "yes"), ("no", "no"), ("はい", "yes"), (None, None)):
        view = build_page_view(disaster, "damage", {"same_address": raw_value}, [], "en")
        same = field(view, "same_address")
        assert [c.label for c in same.controls] == ["Yes", "No"]
        assert next((c.value for c in same.controls if c.checked), None) == chosen


def test_many_options_make_a_select(definitions: dict[str, Definition]) -> None:
    bulky = definitions["bulky-waste"]
    raw = {"items": [{"item_type": "sofa"}]}
    view = build_page_view(bulky, "items", raw, [], "ja")
    select = field(view, "items[0].item_type").controls[0]
    assert select.element == "select"
    assert select.options[0].value == ""
    assert select.options[0].label == "選択してください"
    assert [o.value for o in select.options if o.selected] == ["sofa"]


def test_declaration_is_one_checkbox(definitions: dict[str, Definition]) -> None:
    bulky = definitions["bulky-waste"]
    view = build_page_view(bulky, "declaration", {"agree": "on"}, [], "ja")
    agree = field(view, "agree")
    assert agree.kind == "checkbox"
    (checkbox,) = agree.controls
    assert (checkbox.input_type, checkbox.value, checkbox.checked) == ("checkbox", "yes", True)
    assert checkbox.label == agree.label


def test_files_list_what_is_attached(childcare_definition: Definition) -> None:
    raw = valid_answers("childcare-enrollment")
    view = build_page_view(childcare_definition, "work", raw, [], "ja")
    assert view.multipart
    proof = field(view, "employment_proof")
    (attached,) = proof.files
    assert attached.name == "就労証明書.pdf"
    assert attached.size_text == "117 KB"
    assert attached.remove_value == "remove-file:upload-0001abcd"
    control = proof.controls[0]
    assert control.accept == "application/pdf,image/jpeg,image/png"
    assert control.multiple  # max_files: 3
    assert proof.detail is not None
    assert "PDF、JPEG、PNG" in proof.detail.text
    assert "10 MB" in proof.detail.text


def test_repeat_adds_and_removes_within_its_bounds(childcare_definition: Definition) -> None:
    one = build_page_view(childcare_definition, "children", {}, [], "ja")
    children = field(one, "children")
    assert len(children.items) == 1  # repeat.min
    assert children.items[0].remove is None  # cannot go below min
    assert children.add is not None
    assert children.add.value == "add:children"
    assert children.add.label == "お子さんを追加"

    raw: dict[str, Any] = {"children": [{}, {}, {}, {}, {}]}
    five = field(build_page_view(childcare_definition, "children", raw, [], "en"), "children")
    assert [item.legend for item in five.items] == [f"Child {n}" for n in range(1, 6)]
    assert [item.remove.value for item in five.items if item.remove] == [
        f"remove:children[{n}]" for n in range(5)
    ]
    assert five.add is None  # repeat.max
    assert five.items[1].remove is not None
    assert five.items[1].remove.label == "Remove Child 2"


def test_conditional_fields_are_hidden_by_the_callback(childcare_definition: Definition) -> None:
    raw = {"children": [{"needs_support": "no"}, {"needs_support": "yes"}]}
    asked: list[str] = []

    def visible(spec: Any, path: str) -> bool:
        asked.append(path)
        return path == "children[1].support_details"

    view = build_page_view(childcare_definition, "children", raw, [], "ja", visible)
    assert asked == ["children[0].support_details", "children[1].support_details"]
    assert field(view, "children[0].support_details").hidden
    assert not field(view, "children[1].support_details").hidden
    assert field(view, "children[0].support_details").conditional
    assert not field(view, "children[0].needs_support").conditional
    assert view.conditional
    shown = build_page_view(childcare_definition, "children", raw, [], "ja")
    assert not field(shown, "children[0].support_details").hidden  # no callback: all shown


def test_rendered_hidden_fields_carry_data_show_if(childcare_definition: Definition) -> None:
    raw = {"children": [{"needs_support": "no"}]}
    page = form_page(childcare_definition, "children", raw, "ja", visible=lambda s, p: False)
    doc = check_page(render(page, "ja"), "ja")
    wrapper = doc.find("div", data_show_if="children[0].support_details")
    assert wrapper.has("hidden")
    form = doc.find("form", class_="form")
    assert form.get("data-visibility-url") == (
        "/procedures/childcare-enrollment/pages/children?preview=visibility"
    )


def test_a_page_is_found_by_its_id(childcare_definition: Definition) -> None:
    by_id = build_page_view(childcare_definition, "work", {}, [], "ja")
    by_page = build_page_view(childcare_definition, childcare_definition.pages[2], {}, [], "ja")
    assert by_id == by_page
    with pytest.raises(KeyError):
        build_page_view(childcare_definition, "nowhere", {}, [], "ja")


_TYPED = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=40)


@given(family=_TYPED, phone=_TYPED, details=_TYPED)
def test_whatever_was_typed_comes_back_exactly(family: str, phone: str, details: str) -> None:
    """Escaping never changes an answer: the browser posts back exactly what was typed."""
    definition = DEFINITIONS["bulky-waste"]
    raw: dict[str, Any] = {
        "name": {"family": family},
        "phone": phone,
        "items": [{"size_note": details}],
    }
    for page_id in ("contact", "items"):
        html = render(form_page(definition, page_id, raw, "ja", errors=[]), "ja")
        posted = unflatten(form_post(parse(html).find("form", class_="form")))
        if page_id == "contact":
            assert posted["name"]["family"] == family
            assert posted["phone"] == phone
        else:
            assert posted["items"][0]["size_note"] == details
