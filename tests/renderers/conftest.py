"""Demo procedures, answer sets and a web-layer-like visibility callback for renderer tests."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from engine.answers import AnswerError, validate_answers
from engine.definitions.loader import LoadedDefinition, check_files
from engine.definitions.models import Definition, Page
from engine.expressions import EvalContext
from engine.fields import FieldBase
from engine.fields.group import GroupField
from renderers.html import Chrome, FormPage, build_page_view
from renderers.html.forms import Visible
from tests.conftest import TODAY, childcare_answers
from tests.test_demo_procedures import BULKY_WASTE, DISASTER, RESTAURANT_CORPORATE

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("ja", "en")
CSRF = "csrf-123"


def load_definitions() -> dict[str, LoadedDefinition]:
    result = check_files([ROOT / "forms"])
    assert [str(problem) for problem in result.problems] == []
    return {loaded.definition.procedure: loaded for loaded in result.loaded}


LOADED = load_definitions()
DEFINITIONS = {procedure: loaded.definition for procedure, loaded in LOADED.items()}
# The demo procedures' document templates, as their versions keep them.
TEMPLATES = {procedure: loaded.templates for procedure, loaded in LOADED.items()}
PAGES = [(procedure, page.id) for procedure, d in DEFINITIONS.items() for page in d.pages]


def valid_answers(procedure: str) -> dict[str, Any]:
    """A complete, valid answer set for each demo procedure, as a form would send it."""
    answers = {
        "childcare-enrollment": childcare_answers(),
        "restaurant-permit": RESTAURANT_CORPORATE,
        "bulky-waste": BULKY_WASTE,
        "disaster-certificate": DISASTER,
    }[procedure]
    return copy.deepcopy(answers)


_BAD_BY_WIDGET: dict[str, Any] = {
    "name": {"family": "山田", "given": "", "family_kana": "Yamada", "given_kana": ""},
    "date": {"era": "平成", "year": "31", "month": "5", "day": "1"},  # 平成 had ended
    "address": {"prefecture": "99", "city": "", "street": "1-2-3"},
    "number": "たくさん",
    "text": "<script>alert('x')</script>" + "長" * 300,
    "textarea": "<b>bold</b>\x07",
    "radios": "nonsense",
    "select": "nonsense",
    "checkboxes": ["nonsense"],
    "yes_no": "perhaps",
    "checkbox": "no",
    "file": [{"id": "not-a-file"}],
}


def bad_value(spec: FieldBase) -> Any:
    if isinstance(spec, GroupField):
        item = {child.id: bad_value(child) for child in spec.fields}
        return [item, copy.deepcopy(item)] if spec.repeat else item
    return copy.deepcopy(_BAD_BY_WIDGET.get(spec.input_hints().widget, "\x00"))


def bad_answers(definition: Definition) -> dict[str, Any]:
    """A wrong answer for every field: composite fields get errors on one part."""
    return {spec.id: bad_value(spec) for spec in definition.fields()}


def visibility(definition: Definition, raw: dict[str, Any]) -> Visible:
    """What the web layer does: evaluate ``show_if`` on the answers that validate."""
    answers = validate_answers(definition, raw, today=TODAY).answers

    def visible(spec: FieldBase, path: str) -> bool:
        assert spec.show_if is not None, "only conditional fields are asked about"
        items = _items_along(answers, path)
        return spec.show_if.evaluate(EvalContext(answers, TODAY, items)) is True

    return visible


def _items_along(answers: dict[str, Any], path: str) -> tuple[dict[str, Any], ...]:
    """The group items enclosing the field at ``path`` (``children[0].support_details``)."""
    items: list[dict[str, Any]] = []
    node: Any = answers
    for segment in path.split(".")[:-1]:
        name, _, index = segment.partition("[")
        node = node.get(name) if isinstance(node, dict) else None
        if index and isinstance(node, list):
            number = int(index.rstrip("]"))
            node = node[number] if number < len(node) else None
        items.append(node if isinstance(node, dict) else {})
    return tuple(items)


def page_of(definition: Definition, page_id: str) -> Page:
    return next(p for p in definition.pages if p.id == page_id)


def page_errors(definition: Definition, page: Page, raw: dict[str, Any]) -> list[AnswerError]:
    return list(validate_answers(definition, raw, today=TODAY, pages={page.id}).errors)


def chrome(language: str, *, signed_in: bool = True) -> Chrome:
    other = "en" if language == "ja" else "ja"
    return Chrome(
        language=language,
        switch_language_url=f"/{other}/here",
        user_email="hanako@example.jp" if signed_in else None,
        csrf_token=CSRF if signed_in else None,
    )


def form_page(
    definition: Definition,
    page_id: str,
    raw: dict[str, Any],
    language: str,
    *,
    errors: list[AnswerError] | None = None,
    visible: Visible | None = None,
) -> FormPage:
    """A form page as the web layer would build it after a post of ``raw``."""
    page = page_of(definition, page_id)
    found = page_errors(definition, page, raw) if errors is None else errors
    view = build_page_view(definition, page, raw, found, language, visible)
    step = definition.pages.index(page) + 1
    return FormPage(
        procedure=definition,
        page_view=view,
        step=step,
        steps=len(definition.pages),
        action_url=f"/procedures/{definition.procedure}/pages/{page_id}",
        back_url=None if step == 1 else "/back",
        csrf_token=CSRF,
        errors=found,
    )


@pytest.fixture(scope="session")
def definitions() -> dict[str, Definition]:
    return DEFINITIONS


@pytest.fixture(scope="session")
def childcare_definition() -> Definition:
    return DEFINITIONS["childcare-enrollment"]
