"""Turning a bound tree into nested closures, folding the parts that need no answers.

Each name knows at compile time whether it reads the top-level answers or the current item
of an enclosing group, and by which keys, so evaluation is a few calls with no tree walk.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.expressions.binder import Resolution, Step
from engine.expressions.functions import (
    ARITHMETIC,
    FUNCTIONS,
    contains,
    equal,
    negate,
    not_,
    ordered,
)
from engine.expressions.parser import (
    Arithmetic,
    BoolOp,
    Call,
    Compare,
    ListLiteral,
    Literal,
    Name,
    Node,
    Unary,
)
from engine.expressions.types import BOOL, EvalContext

Evaluator = Callable[[EvalContext], Any]


@dataclass(frozen=True)
class Const:
    """A part whose value is known without reading any answers."""

    value: Any


Compiled = Const | Evaluator

_ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def compile_tree(node: Node, resolutions: Mapping[Name, Resolution] | None) -> Compiled:
    """Compile ``node``; without ``resolutions`` (unbound) names count as unknown values."""
    return _Compiler(resolutions).compile(node)


def evaluator(compiled: Compiled) -> Evaluator:
    if isinstance(compiled, Const):
        value = compiled.value
        return lambda context: value
    return compiled


@dataclass(frozen=True)
class _Compiler:
    resolutions: Mapping[Name, Resolution] | None

    def compile(self, node: Node) -> Compiled:
        if isinstance(node, Literal):
            return Const(node.value)
        if isinstance(node, ListLiteral):
            return self.list(node)
        if isinstance(node, Name):
            return self.name(node)
        if isinstance(node, Call):
            return self.call(node)
        if isinstance(node, Unary):
            return self.unary(node)
        if isinstance(node, BoolOp):
            return self.bool_op(node)
        if isinstance(node, Compare):
            return self.compare(node)
        return self.arithmetic(node)

    def list(self, node: ListLiteral) -> Compiled:
        items = [self.compile(item) for item in node.items]
        if all(isinstance(item, Const) for item in items):
            return Const(tuple(item.value for item in items if isinstance(item, Const)))
        readers = [evaluator(item) for item in items]
        return lambda context: [read(context) for read in readers]

    def name(self, node: Name) -> Compiled:
        resolution = self.resolutions.get(node) if self.resolutions is not None else None
        if resolution is None:
            return _unknown
        return _reader(resolution)

    def call(self, node: Call) -> Compiled:
        function = FUNCTIONS.get(node.function)
        args = [self.compile(arg) for arg in node.args]
        if function is None:
            return _unknown
        implementation = function.implementation
        if not function.uses_today and all(isinstance(arg, Const) for arg in args):
            return Const(implementation(*(arg.value for arg in args if isinstance(arg, Const))))
        readers = [evaluator(arg) for arg in args]
        if function.uses_today:
            return lambda context: implementation(context.today, *[r(context) for r in readers])
        if len(readers) == 1:
            key = self.root_key(node.args[0])
            if key is not None:
                return lambda context: implementation(context.root.get(key))
            (read,) = readers
            return lambda context: implementation(read(context))
        return lambda context: implementation(*[read(context) for read in readers])

    def unary(self, node: Unary) -> Compiled:
        operand = self.compile(node.operand)
        apply = negate if node.operator == "-" else not_
        if isinstance(operand, Const):
            return Const(apply(operand.value))
        return lambda context: apply(operand(context))

    def bool_op(self, node: BoolOp) -> Compiled:
        # ``false`` absorbs an ``and`` and ``true`` an ``or`` whatever the other operands
        # are, which is what lets a static check see that a condition can never hold.
        absorbing = node.operator == "or"
        operands: list[Evaluator] = []
        for operand in node.operands:
            compiled = self.compile(operand)
            if not isinstance(compiled, Const):
                operands.append(compiled if _yields_bool(operand) else _strictly_true(compiled))
            elif (compiled.value is True) == absorbing:
                return Const(absorbing)
        return _bool_chain(operands, absorbing)

    def compare(self, node: Compare) -> Compiled:
        left, right = self.compile(node.left), self.compile(node.right)
        test = _COMPARISONS[node.operator]
        if isinstance(left, Const) and isinstance(right, Const):
            return Const(test(left.value, right.value))
        variable = node.left
        if node.operator in ("==", "!=") and isinstance(left, Const):
            # Equality is symmetric: keep the constant on the right.
            left, right, variable = right, left, node.right
        if isinstance(right, Const):
            read = evaluator(left)
            key = self.root_key(variable)
            return _compare_with_constant(node.operator, read, right.value, key)
        read_left, read_right = evaluator(left), right
        return lambda context: test(read_left(context), read_right(context))

    def root_key(self, node: Node) -> str | None:
        """The key of a plain top-level field, which the commonest conditions test."""
        if not isinstance(node, Name) or self.resolutions is None:
            return None
        resolution = self.resolutions.get(node)
        if resolution is None or resolution.level is not None or len(resolution.steps) != 1:
            return None
        return resolution.steps[0].key

    def arithmetic(self, node: Arithmetic) -> Compiled:
        left, right = self.compile(node.left), self.compile(node.right)
        apply = ARITHMETIC[node.operator]
        if isinstance(left, Const) and isinstance(right, Const):
            return Const(apply(left.value, right.value))
        read_left, read_right = evaluator(left), evaluator(right)
        return lambda context: apply(read_left(context), read_right(context))


def _yields_bool(node: Node) -> bool:
    """Whether ``node`` always evaluates to True or False, never null."""
    if isinstance(node, Call):
        function = FUNCTIONS.get(node.function)
        return function is not None and function.returns == BOOL
    return isinstance(node, Compare | BoolOp) or (
        isinstance(node, Unary) and node.operator == "not"
    )


def _strictly_true(read: Evaluator) -> Evaluator:
    # Only ``true`` counts as true: null (unanswered) and anything else count as false.
    return lambda context: read(context) is True


def _unknown(context: EvalContext) -> None:
    return None


def _bool_chain(operands: Sequence[Evaluator], is_or: bool) -> Compiled:
    """Combine operands that each return True or False."""
    if not operands:
        return Const(not is_or)
    if len(operands) == 1:
        return operands[0]
    if len(operands) == 2:
        first, second = operands
        if is_or:
            return lambda context: first(context) or second(context)
        return lambda context: first(context) and second(context)
    if is_or:
        return lambda context: any(operand(context) for operand in operands)
    return lambda context: all(operand(context) for operand in operands)


def _compare_with_constant(
    operator_: str, read: Evaluator, constant: Any, root_key: str | None
) -> Evaluator:
    fast = _fast_equality(operator_, read, constant, root_key)
    if fast is not None:
        return fast
    if operator_ in _ORDERINGS:
        if constant is None:
            return lambda context: False
        return _order_with_constant(_ORDERINGS[operator_], read, constant)
    compare = _COMPARISONS[operator_]
    return lambda context: compare(read(context), constant)


def _order_with_constant(
    test: Callable[[Any, Any], bool], read: Evaluator, constant: Any
) -> Evaluator:
    # ordered() inlined: ``len(children) <= 3`` is a common shape worth one call less.
    def evaluate(context: EvalContext) -> bool:
        value = read(context)
        if value is None:
            return False
        try:
            return test(value, constant)
        except TypeError:
            return False

    return evaluate


def _fast_equality(
    operator_: str, read: Evaluator, constant: Any, key: str | None
) -> Evaluator | None:
    """``name == "text"`` and the like: the commonest condition, without helper calls."""
    if operator_ not in ("==", "!=") or not (constant is None or isinstance(constant, str | bool)):
        return None
    # Text equals only text, and True, False and None are singletons, so Python's own
    # operators give the language's answer for any answer value.
    if isinstance(constant, str):
        if key is not None:
            if operator_ == "==":
                return lambda context: context.root.get(key) == constant
            return lambda context: context.root.get(key) != constant
        if operator_ == "==":
            return lambda context: read(context) == constant
        return lambda context: read(context) != constant
    if operator_ == "==":
        return lambda context: read(context) is constant
    return lambda context: read(context) is not constant


def _reader(resolution: Resolution) -> Evaluator:
    steps, level = resolution.steps, resolution.level
    if len(steps) == 1 and level is None:
        key = steps[0].key
        return lambda context: context.root.get(key)
    if level is None:
        return lambda context: _walk(context.root, steps)
    return lambda context: _walk(_item_at(context, level), steps)


def _item_at(context: EvalContext, level: int) -> Any:
    items = context.items
    return items[level] if level < len(items) else None


def _walk(value: Any, steps: Sequence[Step]) -> Any:
    """Follow ``steps`` from a mapping; past a repeated group, collect one value per item."""
    values: list[Any] | None = None
    last = len(steps) - 1
    for index, step in enumerate(steps):
        if values is None:
            value = value.get(step.key) if isinstance(value, Mapping) else None
            if step.repeated and index < last:
                values = list(value) if isinstance(value, list | tuple) else []
            continue
        collected: list[Any] = []
        for item in values:
            found = item.get(step.key) if isinstance(item, Mapping) else None
            if not step.repeated:
                collected.append(found)
            elif isinstance(found, list | tuple):
                collected.extend(found)  # nested repeats flatten into one list
        values = collected
    return value if values is None else values


def _not_in(value: Any, values: Any) -> bool:
    return not contains(value, values)


def _not_equal(left: Any, right: Any) -> bool:
    return not equal(left, right)


def _ordering(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    return lambda left, right: ordered(test, left, right)


_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "==": equal,
    "!=": _not_equal,
    "in": contains,
    "not in": _not_in,
    **{name: _ordering(test) for name, test in _ORDERINGS.items()},
}
