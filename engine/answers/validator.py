"""Validating a citizen's answers against a definition.

Raw answers (from a form post, after ``unflatten``, or a JSON body) become normalised,
typed answers, or every error keyed by its path (``children[1].birth_date``). Answers to
hidden fields are dropped; cross-field ``checks`` run once every field is valid.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from engine.answers.messages import error_message
from engine.definitions.models import Definition
from engine.expressions import Expression
from engine.expressions.types import EvalContext
from engine.fields import CleanContext, FieldBase, Invalid
from engine.fields.group import GroupField
from engine.text import LocalizedText

Answers = dict[str, Any]


@dataclass(frozen=True)
class AnswerError:
    """``path`` is empty for an error about the whole form; ``page`` is where to fix it."""

    path: str
    code: str
    message: LocalizedText
    page: str | None


@dataclass(frozen=True)
class ValidationResult:
    answers: Answers = field(repr=False)  # may hold a My Number: never in logs
    errors: tuple[AnswerError, ...]
    # Paths of the fields shown with these answers (``children[0].support_details``), so a
    # page can hide the others and a script can update which are shown.
    visible: frozenset[str] = frozenset()
    pages: tuple[str, ...] = ()  # the ids of the pages shown, in order

    @property
    def ok(self) -> bool:
        return not self.errors


def validate_answers(
    definition: Definition,
    raw: Mapping[str, Any],
    *,
    today: date,
    pages: Collection[str] | None = None,
) -> ValidationResult:
    """Validate ``raw``. With ``pages``, only errors on those pages are reported (a page
    just posted) and cross-field checks wait for the full validation."""
    run = _Run(definition, today)
    for page in definition.pages:
        if page.show_if is not None and not run.holds(page.show_if, ()):
            continue
        run.pages.append(page.id)
        run.page = page.id
        run.report = pages is None or page.id in pages
        run.fields(page.fields, raw, _Place(run.answers))
    if pages is None and not run.errors:
        run.checks()
    return ValidationResult(
        run.answers, tuple(run.errors), frozenset(run.visible), tuple(run.pages)
    )


@dataclass(frozen=True)
class _Place:
    """Where answers being validated go: the mapping they are written to, the group items
    around them (for expressions), their path prefix and the item they belong to."""

    out: Answers
    items: tuple[Answers, ...] = ()
    prefix: str = ""
    item_name: LocalizedText | None = None

    def inside(self, item: Answers, prefix: str, item_name: LocalizedText | None) -> _Place:
        return _Place(item, (*self.items, item), prefix, item_name)


class _Run:
    def __init__(self, definition: Definition, today: date) -> None:
        self.definition = definition
        self.today = today
        self.clean_context = CleanContext(today=today)
        self.answers: Answers = {}
        self.errors: list[AnswerError] = []
        self.page: str | None = None
        self.report = True
        self.visible: set[str] = set()
        self.pages: list[str] = []

    def holds(self, condition: Expression, items: tuple[Answers, ...]) -> bool:
        return condition.evaluate(EvalContext(self.answers, self.today, items)) is True

    def fields(self, fields: Sequence[FieldBase], raw: Mapping[str, Any], place: _Place) -> None:
        for spec in fields:
            if spec.show_if is not None and not self.holds(spec.show_if, place.items):
                continue  # hidden: whatever was sent for it is dropped
            path = f"{place.prefix}{spec.id}"
            self.visible.add(path)
            value = raw.get(spec.id)
            if isinstance(spec, GroupField):
                self.group(spec, value, place, path)
            elif spec.is_blank(value):
                if self.required(spec, place.items):
                    self.error(path, spec, Invalid(spec.blank_code), place.item_name)
            else:
                try:
                    place.out[spec.id] = spec.clean(value, self.clean_context)
                except Invalid as invalid:
                    self.error(path, spec, invalid, place.item_name)

    def required(self, spec: FieldBase, items: tuple[Answers, ...]) -> bool:
        if spec.required_if is not None:
            return self.holds(spec.required_if, items)
        return spec.required

    def group(self, spec: GroupField, value: Any, place: _Place, path: str) -> None:
        if spec.repeat is None:
            item: Answers = {}
            place.out[spec.id] = item
            raw_item = value if isinstance(value, Mapping) else {}
            self.fields(spec.fields, raw_item, place.inside(item, f"{path}.", place.item_name))
            return
        raw_items = value if isinstance(value, list) else [] if value in (None, "") else None
        if raw_items is None:
            self.error(path, spec, Invalid("wrong_shape"), place.item_name)
            return
        if len(raw_items) < spec.repeat.min:
            self.error(path, spec, Invalid("too_few_items", min=spec.repeat.min), place.item_name)
        if len(raw_items) > spec.repeat.max:
            self.error(path, spec, Invalid("too_many_items", max=spec.repeat.max), place.item_name)
        collected: list[Answers] = []
        place.out[spec.id] = collected
        for index, raw_item in enumerate(raw_items[: spec.repeat.max]):
            item = {}
            collected.append(item)
            name = _within(place.item_name, spec.item_name(index + 1))
            source = raw_item if isinstance(raw_item, Mapping) else {}
            self.fields(spec.fields, source, place.inside(item, f"{path}[{index}].", name))

    def error(
        self, path: str, spec: FieldBase, invalid: Invalid, item_name: LocalizedText | None
    ) -> None:
        if not self.report:
            return
        part = None
        if invalid.part is not None:
            part = next((p.label for p in spec.input_hints().parts if p.name == invalid.part), None)
            path = f"{path}.{invalid.part}"
        label = _within(item_name, spec.label)
        message = invalid.message or error_message(invalid.code, label, part, **invalid.params)
        self.errors.append(AnswerError(path, invalid.code, message, self.page))

    def checks(self) -> None:
        for index, check in enumerate(self.definition.checks):
            if self.holds(check.rule, ()):
                continue
            page = self.definition.page_of(check.field) if check.field else None
            self.errors.append(
                AnswerError(
                    path=check.field or "",
                    code=check.code or f"check_{index + 1}",
                    message=check.message,
                    page=page.id if page else None,
                )
            )


def _within(outer: LocalizedText | None, inner: LocalizedText) -> LocalizedText:
    """A label inside a group item: お子さん（2）の生年月日 / date of birth (Child 2)."""
    if outer is None:
        return inner
    return LocalizedText(ja=f"{outer.ja}の{inner.ja}", en=f"{inner.get('en')} ({outer.get('en')})")
