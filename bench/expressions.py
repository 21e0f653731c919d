"""How fast conditions evaluate, against plain Python lambdas doing the same on the same answers.

Run: python bench/expressions.py  (a few seconds). Target: at least a quarter of a lambda's rate.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from engine.expressions import EvalContext, Expression, FieldSymbol, Scope
from engine.expressions.types import BOOL, OBJECT, choice_of, list_of

TARGET = 0.25
SECONDS = 0.6  # per case, for both sides together
ROUNDS = 10

REASON = FieldSymbol("reason", choice_of(frozenset({"employed", "seeking", "illness"})), 0)
CHILDREN = FieldSymbol(
    "children",
    list_of(OBJECT),
    1,
    children={"needs_support": FieldSymbol("needs_support", BOOL, 2)},
    repeated=True,
)
SCOPE = Scope(root={"reason": REASON, "children": CHILDREN})
ANSWERS: dict[str, Any] = {
    "reason": "seeking",
    "children": [{"needs_support": True}, {"needs_support": False}],
}

CASES: list[tuple[str, Callable[[dict[str, Any]], Any]]] = [
    ('reason == "employed"', lambda a: a.get("reason") == "employed"),
    (
        'len(children) <= 3 or reason != "seeking"',
        lambda a: len(a.get("children") or ()) <= 3 or a.get("reason") != "seeking",
    ),
]


def calls_per_second(call: Callable[[], Any], loops: int) -> float:
    start = time.perf_counter()
    for _ in range(loops):
        call()
    return loops / (time.perf_counter() - start)


def rates(ours: Callable[[], Any], theirs: Callable[[], Any]) -> tuple[float, float]:
    """Best rate of each over alternating rounds, so both see the same machine load."""
    loops = 1000
    while calls_per_second(theirs, loops) * SECONDS / ROUNDS > loops * 2:
        loops *= 2
    best_ours = best_theirs = 0.0
    for _ in range(ROUNDS):
        best_ours = max(best_ours, calls_per_second(ours, loops))
        best_theirs = max(best_theirs, calls_per_second(theirs, loops))
    return best_ours, best_theirs


def main() -> None:
    context = EvalContext(ANSWERS, date(2025, 11, 26))
    for source, plain in CASES:
        expression = Expression.parse(source)
        problems = expression.bind(SCOPE)
        assert not problems, problems
        assert expression.evaluate(context) == plain(ANSWERS)
        ours, theirs = rates(partial(expression.evaluate, context), partial(plain, ANSWERS))
        print(
            f"expressions: {source}: {ours / 1e6:.1f}M/s vs lambda {theirs / 1e6:.1f}M/s,"
            f" ratio {ours / theirs:.2f} (target >= {TARGET})"
        )


if __name__ == "__main__":
    main()
