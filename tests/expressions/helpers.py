"""A scope shaped like the childcare procedure, with a nested repeated group and a plain group."""

from __future__ import annotations

from datetime import date
from typing import Any

from engine.expressions import EvalContext, Expression, FieldSymbol, Scope
from engine.expressions.types import (
    BOOL,
    DATE,
    FILES,
    NUMBER,
    OBJECT,
    STRING,
    ExprType,
    choice_of,
    list_of,
)

TODAY = date(2026, 11, 26)
REASONS = frozenset({"employed", "seeking", "illness"})
HOBBIES = frozenset({"music", "sport"})


def _field(
    id_: str, type_: ExprType, order: int, *children: FieldSymbol, repeated: bool = False
) -> FieldSymbol:
    return FieldSymbol(id_, type_, order, {c.id: c for c in children}, repeated)


VACCINES = _field(
    "vaccines",
    list_of(OBJECT),
    7,
    _field("kind", choice_of(frozenset({"bcg", "mmr"})), 8),
    _field("given_on", DATE, 9),
    repeated=True,
)
CHILDREN = _field(
    "children",
    list_of(OBJECT),
    2,
    _field("name", OBJECT, 3),
    _field("birth_date", DATE, 4),
    _field("needs_support", BOOL, 5),
    _field("support_details", STRING, 6),
    VACCINES,
    repeated=True,
)
ADDRESS = _field("address", OBJECT, 14, _field("city", STRING, 15), _field("postal", STRING, 16))
ROOT = {
    symbol.id: symbol
    for symbol in (
        _field("name", OBJECT, 0),
        _field("birth_date", DATE, 1),
        CHILDREN,
        _field("reason", choice_of(REASONS), 10),
        _field("monthly_hours", NUMBER, 11),
        _field("employment_proof", FILES, 12),
        _field("hobbies", list_of(choice_of(HOBBIES)), 13),
        ADDRESS,
        _field("agree", BOOL, 17),
        _field("note", STRING, 18),
    )
}
SCOPE = Scope(ROOT)
IN_CHILD = Scope(ROOT, groups=(CHILDREN,))
IN_VACCINE = Scope(ROOT, groups=(CHILDREN, VACCINES))


def bound(source: str, scope: Scope = SCOPE) -> Expression:
    expression = Expression.parse(source)
    problems = expression.bind(scope)
    assert problems == [], problems
    return expression


def evaluate(
    source: str,
    answers: dict[str, Any] | None = None,
    *items: dict[str, Any],
    scope: Scope = SCOPE,
) -> Any:
    context = EvalContext(answers or {}, TODAY, items)
    return bound(source, scope).evaluate(context)
