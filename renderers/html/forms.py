"""The view model of one form page: every field as the templates draw it.

``build_page_view`` turns a page of a definition, the raw answers typed so far and the
validation errors into plain frozen data: input names (the answer paths that
``engine.answers.unflatten`` reads back), ids, labels, values to refill, errors and the
``aria-describedby`` ids that tie them together. The templates only lay it out, so what a
screen-reader user hears is decided (and tested) here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from typing import Any

from engine.answers import AnswerError
from engine.definitions.models import Definition, Page
from engine.fields import FieldBase
from engine.fields.group import GroupField, Repeat
from renderers.html import widgets
from renderers.html.i18n import N_, translations
from renderers.html.views import (
    Button,
    Control,
    FieldView,
    ItemView,
    Message,
    Option,
    PageView,
    UploadedFile,
    element_id,
)
from renderers.html.widgets import CONDITIONAL, OPTIONAL, REQUIRED

__all__ = [
    "Button",
    "Control",
    "FieldView",
    "ItemView",
    "Message",
    "Option",
    "PageView",
    "UploadedFile",
    "Visible",
    "build_page_view",
    "element_id",
]

# Whether a field with a ``show_if`` is shown, given its concrete answer path
# (``children[0].support_details``). The web layer evaluates the condition.
Visible = Callable[[FieldBase, str], bool]

ADD_FIRST = N_("Add %(label)s")
ADD_ANOTHER = N_("Add another %(label)s")
REMOVE_ITEM = N_("Remove %(item)s")
UP_TO_ITEMS = N_("You can add up to %(max)s.")


def build_page_view(  # noqa: PLR0913, PLR0917 -- the web layer's agreed signature
    definition: Definition,
    page: Page | str,
    raw_answers: Mapping[str, Any],
    errors: Sequence[AnswerError],
    language: str,
    visible: Visible | None = None,
) -> PageView:
    """The view of ``page``. Without ``visible`` every conditional field is shown."""
    if isinstance(page, str):
        found = next((p for p in definition.pages if p.id == page), None)
        if found is None:
            raise KeyError(f"procedure {definition.procedure!r} has no page {page!r}")
        page = found
    builder = _Builder(language, errors, visible)
    fields = builder.fields(page.fields, raw_answers, "")
    return PageView(
        page_id=page.id,
        title=page.title.get(language),
        intro=page.intro.get(language) if page.intro else None,
        fields=fields,
        targets=dict(builder.targets),
        multipart=builder.multipart,
        conditional=builder.conditional,
    )


class _Builder:
    """Builds field views for one page; collects error targets as it goes."""

    def __init__(
        self, language: str, errors: Sequence[AnswerError], visible: Visible | None
    ) -> None:
        self.language = language
        self.gettext: Callable[[str], str] = translations(language).gettext
        self.errors = list(errors)
        self.visible = visible
        self.targets: dict[str, str] = {}
        self.multipart = False
        self.conditional = False

    def fields(self, specs: Sequence[FieldBase], raw: Any, prefix: str) -> tuple[FieldView, ...]:
        source = raw if isinstance(raw, Mapping) else {}
        return tuple(self.field(spec, source.get(spec.id), prefix) for spec in specs)

    def field(self, spec: FieldBase, raw: Any, prefix: str) -> FieldView:
        path = prefix + spec.id
        if isinstance(spec, GroupField):
            if spec.repeat is None:
                view = self.group(spec, raw, path)
            else:
                view = self.repeat(spec, spec.repeat, raw, path)
        else:
            view = widgets.build(self, spec, raw, path, prefix)
        self.targets.setdefault(path, _first_control(view))
        return view

    # What every field has -------------------------------------------------------------

    def base(
        self,
        spec: FieldBase,
        path: str,
        *,
        deeper: bool = True,
        parts: Collection[str] = (),
    ) -> FieldView:
        """Label, hint, requirement, visibility and the errors about the whole field.

        With ``deeper``, errors at paths below the field are about the whole field too,
        except those at ``parts``, which the part's own input shows."""
        field_id = element_id(path)
        found = [e for e in self.errors if e.path == path]
        if deeper:
            found += [
                e for e in self.errors if e.path.startswith(path + ".") and e.path not in parts
            ]
        requirement = _requirement(spec)
        if spec.show_if is not None:
            self.conditional = True
        return FieldView(
            path=path,
            id=field_id,
            kind="input",
            label=spec.label.get(self.language),
            requirement=requirement,
            marker=self.marker(requirement),
            hint=Message(f"{field_id}-hint", spec.hint.get(self.language)) if spec.hint else None,
            errors=self.messages(field_id, found),
            conditional=spec.show_if is not None,
            hidden=self.is_hidden(spec, path),
        )

    def messages(self, owner_id: str, found: Sequence[AnswerError]) -> tuple[Message, ...]:
        return tuple(
            Message(f"{owner_id}-error" + (f"-{n}" if n else ""), e.message.get(self.language))
            for n, e in enumerate(found)
        )

    def errors_at(self, path: str) -> list[AnswerError]:
        return [e for e in self.errors if e.path == path]

    def marker(self, requirement: str | None) -> str | None:
        words = {"required": REQUIRED, "optional": OPTIONAL, "conditional": CONDITIONAL}
        return self.gettext(words[requirement]) if requirement else None

    def is_hidden(self, spec: FieldBase, path: str) -> bool:
        if spec.show_if is None or self.visible is None:
            return False
        return not self.visible(spec, path)

    # Groups -----------------------------------------------------------------------------

    def group(self, spec: GroupField, raw: Any, path: str) -> FieldView:
        view = self.base(spec, path, deeper=False)
        children = self.fields(spec.fields, raw, f"{path}.")
        return replace(view, kind="group", widget="group", fields=children)

    def repeat(self, spec: GroupField, repeat: Repeat, raw: Any, path: str) -> FieldView:
        """Items as many as the answers hold (at least ``min``), each with a remove button
        while there are more than ``min``, and an add button while fewer than ``max``."""
        view = self.base(spec, path, deeper=False)
        raw_items = raw if isinstance(raw, list) else []
        count = min(max(len(raw_items), repeat.min), repeat.max)
        removable = count > repeat.min
        items = tuple(
            self.item(spec, raw_items[n] if n < len(raw_items) else {}, path, n, removable)
            for n in range(count)
        )
        add = None
        if count < repeat.max:
            words = ADD_ANOTHER if count else ADD_FIRST
            label = self.gettext(words) % {"label": self.mid_sentence(view.label)}
            add = Button(f"{view.id}-add", f"add:{path}", label)
        self.targets[path] = add.id if add else view.id
        detail = self.gettext(UP_TO_ITEMS) % {"max": repeat.max}
        return replace(
            view,
            kind="repeat",
            widget="group",
            items=items,
            add=add,
            detail=Message(f"{view.id}-detail", detail),
        )

    def item(self, spec: GroupField, raw: Any, path: str, index: int, removable: bool) -> ItemView:
        item_path = f"{path}[{index}]"
        item_id = element_id(item_path)
        legend = spec.item_name(index + 1).get(self.language)
        remove = None
        if removable:
            label = self.gettext(REMOVE_ITEM) % {"item": legend}
            remove = Button(f"{item_id}-remove", f"remove:{item_path}", label)
        fields = self.fields(spec.fields, raw, f"{item_path}.")
        return ItemView(item_id, legend, fields, remove)

    def mid_sentence(self, label: str) -> str:
        """'Child' reads 'child' in 'Add another child'; 'My Number' and Japanese stay."""
        if self.language != "en":
            return label
        first, *rest = label.split(" ")
        proper = any(word[:1].isupper() for word in rest) or not first[1:].islower()
        return label if proper else label[:1].lower() + label[1:]


def _requirement(spec: FieldBase) -> str | None:
    if isinstance(spec, GroupField):
        return None  # a group has no answer of its own: its fields say what they need
    if spec.required_if is not None:
        return "conditional"
    return "required" if spec.required else "optional"


def _first_control(view: FieldView) -> str:
    if view.controls:
        return view.controls[0].id
    return view.id
