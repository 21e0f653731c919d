"""Name resolution and type checking: what an expression's names mean in a scope."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from engine.expressions.functions import FUNCTIONS
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
    start_offset,
)
from engine.expressions.types import (
    ANY,
    BOOL,
    DATE,
    NULL,
    NUMBER,
    OBJECT,
    STRING,
    FieldSymbol,
    Scope,
    compatible,
    describe,
    is_bool,
    is_loose,
    list_of,
    unify,
)
from engine.expressions.types import ExprType as T


@dataclass(frozen=True)
class ExpressionProblem:
    """Something wrong with an expression in its scope; ``offset`` indexes its source."""

    message: str
    offset: int


@dataclass(frozen=True)
class Reference:
    """A field an expression reads: its path from the top level through groups."""

    path: tuple[str, ...]
    offset: int


@dataclass(frozen=True)
class Step:
    key: str
    repeated: bool  # the value under ``key`` is a list of group items


@dataclass(frozen=True)
class Resolution:
    """Where a name's value is read: ``level`` None is the top level, else an enclosing item."""

    level: int | None
    steps: tuple[Step, ...]
    path: tuple[str, ...]


@dataclass
class Binding:
    type: T
    problems: list[ExpressionProblem]
    # Keyed by the Name node itself: equal names (same path) resolve alike in one scope.
    resolutions: dict[Name, Resolution]
    references: tuple[Reference, ...]


def bind(node: Node, scope: Scope) -> Binding:
    """Resolve and type-check ``node`` in ``scope``."""
    binder = _Binder(scope)
    result = binder.visit(node)
    return Binding(result, binder.problems, binder.resolutions, tuple(binder.references))


@dataclass
class _Binder:
    scope: Scope
    problems: list[ExpressionProblem] = field(default_factory=list)
    resolutions: dict[Name, Resolution] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)

    def problem(self, message: str, offset: int) -> T:
        """Record a problem; ANY stands in for the faulty part so errors do not cascade."""
        self.problems.append(ExpressionProblem(message, offset))
        return ANY

    def visit(self, node: Node) -> T:
        if isinstance(node, Literal):
            return _literal_type(node.value)
        if isinstance(node, ListLiteral):
            return self.visit_list(node)
        if isinstance(node, Name):
            return self.visit_name(node)
        if isinstance(node, Call):
            return self.visit_call(node)
        if isinstance(node, Unary):
            return self.visit_unary(node)
        if isinstance(node, BoolOp):
            for operand in node.operands:
                self.require_bool(operand, node.operator)
            return BOOL
        if isinstance(node, Compare):
            return self.visit_compare(node)
        return self.visit_arithmetic(node)

    def require_bool(self, node: Node, operator: str) -> None:
        found = self.visit(node)
        if not is_bool(found):
            self.problem(
                f"'{operator}' works on true/false values, not on {describe(found)}",
                start_offset(node),
            )

    def visit_list(self, node: ListLiteral) -> T:
        item_type = ANY
        for item in node.items:
            found = self.visit(item)
            unified = unify(item_type, found)
            if unified is None:
                self.problem(
                    "list items must all be of one type, not "
                    f"{describe(item_type)} and {describe(found)}",
                    start_offset(item),
                )
            else:
                item_type = unified
        return list_of(item_type)

    def visit_unary(self, node: Unary) -> T:
        if node.operator == "not":
            self.require_bool(node.operand, "not")
            return BOOL
        found = self.visit(node.operand)
        if found.kind != "number" and not is_loose(found):
            return self.problem(f"'-' needs a number, not {describe(found)}", node.offset)
        return found

    def visit_arithmetic(self, node: Arithmetic) -> T:
        left, right = self.visit(node.left), self.visit(node.right)
        result = _arithmetic_type(node.operator, left, right)
        if isinstance(result, str):
            return self.problem(result, node.offset)
        return result

    def visit_compare(self, node: Compare) -> T:
        left, right = self.visit(node.left), self.visit(node.right)
        message = _compare_problem(node.operator, left, right)
        if message:
            self.problem(message, node.offset)
        elif node.operator in ("in", "not in"):
            self.check_options(node.left, right.item, node.right)
            self.check_options(node.right, left, node.left)
        else:
            self.check_options(node.left, right, node.right)
            self.check_options(node.right, left, node.left)
        return BOOL

    def check_options(self, literal_side: Node, choice: T | None, choice_side: Node) -> None:
        """Flag text literals that a choice can never equal: a typo, usually."""
        if choice is None or choice.options is None:
            return
        literals = literal_side.items if isinstance(literal_side, ListLiteral) else (literal_side,)
        label = ".".join(choice_side.path) if isinstance(choice_side, Name) else "the choice"
        for literal in literals:
            if not isinstance(literal, Literal) or not isinstance(literal.value, str):
                continue
            if literal.value not in choice.options:
                options = ", ".join(sorted(choice.options))
                self.problem(
                    f"'{literal.value}' is not an option of {label} ({options})", literal.offset
                )

    def visit_call(self, node: Call) -> T:
        function = FUNCTIONS.get(node.function)
        arg_types = [self.visit(arg) for arg in node.args]
        if function is None:
            hint = _suggest(node.function, FUNCTIONS)
            return self.problem(f"unknown function '{node.function}'{hint}", node.offset)
        if len(node.args) != len(function.params):
            expected = len(function.params)
            return self.problem(
                f"{function.signature} takes {expected} argument{'s' if expected != 1 else ''},"
                f" not {len(node.args)}",
                node.offset,
            )
        for arg, found, param in zip(node.args, arg_types, function.params, strict=True):
            if not is_loose(found) and not param.accepts(found):
                self.problem(
                    f"{function.name}() needs {param.description}, not {describe(found)}",
                    start_offset(arg),
                )
        return function.returns

    def visit_name(self, node: Name) -> T:
        first = self.lookup(node.path[0])
        if first is None:
            return self.problem(self.unknown_message(node.path[0]), node.offset)
        level, symbol = first
        symbols = [symbol]
        for index in range(1, len(node.path)):
            child = self.child(symbols[-1], node, index)
            if child is None:
                return ANY
            symbols.append(child)
        if not self.check_order(node, symbols):
            return ANY
        self.record(node, level, symbols)
        return _path_type(symbols)

    def lookup(self, name: str) -> tuple[int | None, FieldSymbol] | None:
        for level in range(len(self.scope.groups) - 1, -1, -1):
            symbol = self.scope.groups[level].children.get(name)
            if symbol is not None:
                return level, symbol
        symbol = self.scope.root.get(name)
        return None if symbol is None else (None, symbol)

    def unknown_message(self, name: str) -> str:
        if name in FUNCTIONS:
            return f"'{name}' is a function: write {FUNCTIONS[name].signature} to call it"
        visible = set(self.scope.root)
        for group in self.scope.groups:
            visible.update(group.children)
        return f"unknown field '{name}'{_suggest(name, visible)}"

    def child(self, parent: FieldSymbol, node: Name, index: int) -> FieldSymbol | None:
        part, offset, prefix = node.path[index], node.offsets[index], ".".join(node.path[:index])
        if not parent.children:
            self.problem(f"'{prefix}' has no parts, so it has no '{part}'", offset)
            return None
        symbol = parent.children.get(part)
        if symbol is None:
            hint = _suggest(part, parent.children) or f" (it has {', '.join(parent.children)})"
            self.problem(f"'{prefix}' has no '{part}'{hint}", offset)
        return symbol

    def check_order(self, node: Name, symbols: list[FieldSymbol]) -> bool:
        before = self.scope.before
        if before is None:
            return True
        for symbol, offset in zip(symbols, node.offsets, strict=True):
            if self.scope.subject == "page" and symbol.order >= before:
                self.problem(
                    "a page's show_if can only use fields on earlier pages:"
                    f" '{symbol.id}' is on this page or later",
                    offset,
                )
                return False
            if symbol.order == before:
                self.problem(
                    f"a field's condition cannot use the field itself: '{symbol.id}'", offset
                )
                return False
            if symbol.order > before:
                self.problem(
                    "show_if/required_if can only use fields that come before this field:"
                    f" '{symbol.id}' comes later",
                    offset,
                )
                return False
        return True

    def record(self, node: Name, level: int | None, symbols: list[FieldSymbol]) -> None:
        groups = () if level is None else self.scope.groups[: level + 1]
        path = tuple(group.id for group in groups) + node.path
        steps = tuple(Step(symbol.id, symbol.repeated) for symbol in symbols)
        self.resolutions[node] = Resolution(level, steps, path)
        self.references.append(Reference(path, node.offset))


def _path_type(symbols: list[FieldSymbol]) -> T:
    """A path through a repeated group reads one value per item: a list, flattened."""
    last = symbols[-1]
    if not any(symbol.repeated for symbol in symbols[:-1]):
        return last.type
    return list_of(OBJECT) if last.repeated else list_of(last.type)


def _suggest(name: str, candidates: Iterable[str]) -> str:
    matches = difflib.get_close_matches(name, sorted(candidates), n=1)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def _literal_type(value: object) -> T:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOL
    return STRING if isinstance(value, str) else NUMBER


_ORDERED = ("number", "date", "string")


def _compare_problem(operator: str, left: T, right: T) -> str | None:
    if operator in ("in", "not in"):
        if right.kind != "list" and not is_loose(right):
            return f"'{operator}' needs a list on its right, not {describe(right)}"
        if not compatible(left, right.item or ANY):
            return f"cannot look for {describe(left)} in {describe(right)}"
        return None
    if operator in ("==", "!="):
        if compatible(left, right):
            return None
        return f"cannot compare {describe(left)} with {describe(right)}"
    if "null" in (left.kind, right.kind):
        return f"'{operator}' with null is always false"
    for side in (left, right):
        if side.kind not in _ORDERED and not is_loose(side):
            return f"'{operator}' needs numbers, dates or text, not {describe(side)}"
    if compatible(left, right):
        return None
    return f"cannot compare {describe(left)} with {describe(right)}"


def _arithmetic_type(operator: str, left: T, right: T) -> T | str:
    """The result type, or a message saying why the operands do not fit."""
    if "null" in (left.kind, right.kind):
        return NULL  # arithmetic with null is null
    if "date" in (left.kind, right.kind):
        return _date_arithmetic_type(operator, left, right)
    for side in (left, right):
        if side.kind != "number" and not is_loose(side):
            days = " (or a date and a number of days)" if operator in "+-" else ""
            return f"'{operator}' needs numbers{days}, not {describe(side)}"
    return ANY if is_loose(left) and is_loose(right) else NUMBER


def _date_arithmetic_type(operator: str, left: T, right: T) -> T | str:
    if operator == "-" and left.kind == right.kind == "date":
        return "to count the days between two dates, write days_between(a, b)"
    days = right if left.kind == "date" else left
    if operator == "+" or (operator == "-" and left.kind == "date"):
        if days.kind == "number" or is_loose(days):
            return DATE
        return f"a date can only be moved by a number of days, not {describe(days)}"
    if operator == "-":
        return "cannot subtract a date from a number"
    return f"'{operator}' needs numbers, not a date"
