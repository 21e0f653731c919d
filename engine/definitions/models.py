"""The definition language as typed models: one procedure per YAML file.

Parsed once at the boundary (``engine.definitions.loader``); everything downstream
consumes these models, never raw dicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PositiveInt, model_validator

from engine.definitions.types import Identifier, IdentifierList, Period, ProcedureId, Slug
from engine.expressions import Expression
from engine.fields import AnyField, FieldBase
from engine.fields.group import GroupField
from engine.text import LocalizedText

APPLICANT = "applicant"  # the role of whoever submitted; never declared in `roles`


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, strict=True)


class Page(_Strict):
    id: Identifier
    title: LocalizedText
    intro: LocalizedText | None = None
    show_if: Expression | None = None  # a page whose condition is false is skipped
    fields: list[AnyField] = Field(min_length=1, max_length=200)


class Check(_Strict):
    """A rule across fields, evaluated after every field is valid."""

    rule: Expression
    message: LocalizedText
    field: Identifier | None = None  # the field the error is shown at; the form top otherwise
    code: Identifier | None = None


class State(_Strict):
    label: LocalizedText
    description: LocalizedText | None = None  # what happens next, for the applicant
    final: bool = False
    issues: IdentifierList = Field(default_factory=list)  # documents issued on entering it
    # true: the applicant may edit every answer; a list: only those fields or pages.
    applicant_edits: bool | list[Identifier] = False
    clock: Literal["running", "paused", "stopped"] = "running"


def _need(value: Any) -> Any:
    if value in ("all", "any") or (
        isinstance(value, int) and not isinstance(value, bool) and value > 0
    ):
        return value
    raise ValueError(f"need is all, any, or how many votes are needed (1 or more), not {value!r}")


class Approvals(_Strict):
    """Votes needed before a transition fires: all roles, any one, or a number of them."""

    from_: IdentifierList = Field(alias="from", min_length=1)
    need: Annotated[Literal["all", "any"] | PositiveInt, BeforeValidator(_need)] = "all"
    reject_to: Identifier | None = None  # where a rejecting vote sends the submission


class Transition(_Strict):
    action: Identifier
    label: LocalizedText | None = None  # the button; the action name otherwise
    from_: IdentifierList = Field(alias="from", min_length=1)
    to: Identifier
    by: IdentifierList = Field(default_factory=list)
    when: Expression | None = None
    comment: Literal["required", "optional", "none"] = "optional"
    four_eyes: bool = False
    approvals: Approvals | None = None
    after: Period | None = None  # a timer: fires with no person once the state is this old
    auto: bool = False  # fires as soon as the state is entered (when `when` holds)

    @model_validator(mode="after")
    def _one_trigger(self) -> Transition:
        triggers = [bool(self.by), self.approvals is not None, self.after is not None, self.auto]
        if sum(triggers) != 1:
            raise ValueError(
                "a transition needs exactly one trigger: `by` (people), `approvals` (votes), "
                "`after` (a timer) or `auto: true`"
            )
        if (self.after is not None or self.auto) and (self.four_eyes or self.comment == "required"):
            raise ValueError(
                "a timer or automatic transition has no person: remove four_eyes and comment"
            )
        return self


class Workflow(_Strict):
    start: Identifier
    states: dict[Identifier, State] = Field(min_length=1, max_length=200)
    transitions: list[Transition] = Field(default_factory=list, max_length=500)


class Document(_Strict):
    title: LocalizedText
    template: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]+\.html$")


class Fee(_Strict):
    amount: PositiveInt  # yen
    note: LocalizedText | None = None


class Definition(_Strict):
    procedure: ProcedureId
    version: PositiveInt
    title: LocalizedText
    summary: LocalizedText | None = None
    department: Slug
    submitters: Literal["citizen", "anyone"]
    processing_period: Period | None = None
    roles: list[Identifier] = Field(default_factory=list, max_length=50)
    # Roles that see sensitive answers (my_number) in clear; everyone else sees them masked.
    sensitive_roles: list[Identifier] = Field(default_factory=list, max_length=50)
    fee: Fee | None = None
    contact: LocalizedText | None = None
    pages: list[Page] = Field(min_length=1, max_length=100)
    checks: list[Check] = Field(default_factory=list, max_length=200)
    workflow: Workflow
    documents: dict[Identifier, Document] = Field(default_factory=dict)

    def fields(self) -> Iterator[FieldBase]:
        """Every top-level field, in order."""
        for page in self.pages:
            yield from page.fields

    def field(self, field_id: str) -> FieldBase | None:
        return next((f for f in self.fields() if f.id == field_id), None)

    def field_at(self, path: str) -> FieldBase | None:
        """The field an answer path names (``children[0].birth_date``), if any."""
        fields: list[FieldBase] = list(self.fields())
        found: FieldBase | None = None
        for part in path.split("."):
            name = part.split("[", 1)[0]
            found = next((f for f in fields if f.id == name), None)
            if found is None:
                return None
            fields = list(found.fields) if isinstance(found, GroupField) else []
        return found

    def page_of(self, field_id: str) -> Page | None:
        return next((p for p in self.pages if any(f.id == field_id for f in p.fields)), None)

    def transition(self, action: str) -> Transition | None:
        return next((t for t in self.workflow.transitions if t.action == action), None)

    def document_title(self, name: str) -> LocalizedText:
        """The title of document ``name``; its name if this version does not declare it."""
        spec = self.documents.get(name)
        return spec.title if spec is not None else LocalizedText(ja=name)

    def sensitive_paths(self) -> list[str]:
        """Paths of answers that are sensitive (encrypted at rest, masked, exported on request)."""
        return [path for path, spec in walk_fields(self.fields()) if spec.sensitive]


def walk_fields(fields: Iterable[FieldBase], prefix: str = "") -> Iterator[tuple[str, FieldBase]]:
    """Every field depth-first with its path; a repeated group's items are ``group[]``."""
    for spec in fields:
        path = f"{prefix}{spec.id}"
        yield path, spec
        if isinstance(spec, GroupField):
            inner = f"{path}[]." if spec.repeat else f"{path}."
            yield from walk_fields(spec.fields, inner)
