"""The types the expression language knows, and the symbols a definition's fields offer it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

TypeKind = Literal["bool", "number", "string", "date", "null", "any", "list", "object", "files"]


@dataclass(frozen=True)
class ExprType:
    """A static type. ``item`` is set for lists; ``options`` lists a choice field's keys."""

    kind: TypeKind
    item: ExprType | None = None
    options: frozenset[str] | None = None

    def __str__(self) -> str:
        if self.kind == "list":
            return f"list of {self.item}" if self.item else "list"
        if self.kind == "files":
            return "files"
        if self.kind == "object":
            return "group"
        return "text" if self.kind == "string" else self.kind


BOOL = ExprType("bool")
NUMBER = ExprType("number")
STRING = ExprType("string")
DATE = ExprType("date")
NULL = ExprType("null")
ANY = ExprType("any")
OBJECT = ExprType("object")  # a group item or a composite value such as a person's name
FILES = ExprType("files")


def list_of(item: ExprType) -> ExprType:
    return ExprType("list", item=item)


def choice_of(options: frozenset[str]) -> ExprType:
    return ExprType("string", options=options)


@dataclass(frozen=True)
class FieldSymbol:
    """A field as expressions see it.

    ``type`` is the type of the field's own value (for a repeated group: a list of objects).
    ``order`` numbers every field depth-first in definition order, so a condition can be
    limited to fields asked before it.
    """

    id: str
    type: ExprType
    order: int
    children: Mapping[str, FieldSymbol] = field(default_factory=dict)
    repeated: bool = False


@dataclass(frozen=True)
class Scope:
    """Where an expression stands: the top-level fields and the groups it is inside.

    A name resolves first in the innermost enclosing group, then outwards, then at the top.
    With ``before`` set, only fields whose ``order`` is lower may be named.
    """

    root: Mapping[str, FieldSymbol]
    groups: tuple[FieldSymbol, ...] = ()
    before: int | None = None
    subject: Literal["field", "page"] = "field"  # what the condition belongs to, for messages


@dataclass(frozen=True)
class EvalContext:
    """Answers an expression reads: the top level, and the current item of each enclosing
    group (outermost first, matching ``Scope.groups``)."""

    root: Mapping[str, Any]
    today: date
    items: tuple[Mapping[str, Any], ...] = ()


# Helpers the binder uses to reason about types. ANY (an unknown or faulty part) and NULL (the
# null literal) fit anywhere, so one mistake is reported once rather than at every use.


def is_bool(t: ExprType) -> bool:
    return t.kind in ("bool", "any", "null")


def is_loose(t: ExprType) -> bool:
    return t.kind in ("any", "null")


def describe(t: ExprType) -> str:
    """How a type is named in messages to authors."""
    if t.kind == "bool":
        return "true/false"
    if t.kind == "list" and t.item is not None and t.item.kind != "any":
        return f"a list of {describe(t.item)}"
    return "a list" if t.kind == "list" else str(t)


def compatible(a: ExprType, b: ExprType) -> bool:
    """Whether values of the two types can be equal."""
    if is_loose(a) or is_loose(b):
        return True
    if a.kind != b.kind:
        return False
    if a.kind == "list" and a.item is not None and b.item is not None:
        return compatible(a.item, b.item)
    return True


def unify(a: ExprType, b: ExprType) -> ExprType | None:
    """One type for values of both types (list items, say), or None if there is none."""
    if not compatible(a, b):
        return None
    if is_loose(a):
        return b if b.kind != "null" else a
    if is_loose(b) or a == b:
        return a
    if a.kind == "list" and a.item is not None and b.item is not None:
        item = unify(a.item, b.item)
        return list_of(item) if item is not None else None
    return ExprType(a.kind)  # two choices with different options: just text
