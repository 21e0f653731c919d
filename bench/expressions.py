"""How fast conditions evaluate, against plain Python lambdas doing the same on the same answers.

Run: python bench/expressions.py  (a few seconds). Target: at least a quarter of a lambda's rate.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

from engine.expressions import EvalContext, Expression, FieldSymbol, Scope
from engine.expressions.types import BOOL, OBJECT, choice_of, list_of

TARGET = 0.25
SECONDS = 0.5  # per measurement; each is repeated and the best kept

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


def rate(call: Callable[[], Any]) -> float:
    """Calls per second: the best of three timed runs of a calibrated batch."""
    batch = 1000
    while True:
        start = time.perf_counter()
        for _ in range(batch):
            call()
        elapsed = time.perf_counter() - start
        if elapsed > SECONDS / 10:
            break
        batch *= 4
    loops = max(1, int(batch * SECONDS / elapsed / 3))
    best = 0.0
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(loops):
            call()
        best = max(best, loops / (time.perf_counter() - start))
    return best


def main() -> None:
    context = EvalContext(ANSWERS, date(2025, 11, 26))
    for source, plain in CASES:
        expression = Expression.parse(source)
        problems = expression.bind(SCOPE)
        assert not problems, problems
        assert expression.evaluate(context) == plain(ANSWERS)
        ours = rate(lambda e=expression: e.evaluate(context))
        theirs = rate(lambda f=plain: f(ANSWERS))
        print(
            f"expressions: {source}: {ours / 1e6:.1f}M/s vs lambda {theirs / 1e6:.1f}M/s,"
            f" ratio {ours / theirs:.2f} (target >= {TARGET})"
        )


if __name__ == "__main__":
    main()
