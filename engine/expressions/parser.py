"""The expression syntax tree, a recursive-descent parser for it, and a printer.

Nodes compare equal regardless of where they stand in the source (offsets are left out of
equality), so a printed and re-parsed tree equals the original.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal as TypingLiteral

from engine.expressions.lexer import ExpressionSyntaxError, Token, tokenize

MAX_DEPTH = 32

LiteralValue = bool | int | Decimal | str | None
BoolOperator = TypingLiteral["and", "or"]
CompareOperator = TypingLiteral["==", "!=", "<", "<=", ">", ">=", "in", "not in"]
ArithmeticOperator = TypingLiteral["+", "-", "*", "/", "%"]
UnaryOperator = TypingLiteral["not", "-"]


@dataclass(frozen=True)
class Literal:
    value: LiteralValue
    offset: int = field(default=0, compare=False)


@dataclass(frozen=True)
class ListLiteral:
    items: tuple[Node, ...]
    offset: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Name:
    """A field, or a dotted path through groups; ``offsets`` has one entry per part."""

    path: tuple[str, ...]
    offsets: tuple[int, ...] = field(default=(), compare=False)

    @property
    def offset(self) -> int:
        return self.offsets[0] if self.offsets else 0


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple[Node, ...]
    offset: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Unary:
    operator: UnaryOperator
    operand: Node
    offset: int = field(default=0, compare=False)


@dataclass(frozen=True)
class BoolOp:
    """``a and b and c`` is one node with three operands; ``offset`` is the first operator's."""

    operator: BoolOperator
    operands: tuple[Node, ...]
    offset: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Compare:
    operator: CompareOperator
    left: Node
    right: Node
    offset: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Arithmetic:
    operator: ArithmeticOperator
    left: Node
    right: Node
    offset: int = field(default=0, compare=False)


Node = Literal | ListLiteral | Name | Call | Unary | BoolOp | Compare | Arithmetic

_COMPARE_OPERATORS = frozenset({"==", "!=", "<", "<=", ">", ">=", "in"})
_LITERAL_KEYWORDS: dict[str, LiteralValue] = {"true": True, "false": False, "null": None}


def start_offset(node: Node) -> int:
    """Where the text of ``node`` begins (a binary node's offset is its operator's)."""
    while isinstance(node, BoolOp | Compare | Arithmetic):
        node = node.operands[0] if isinstance(node, BoolOp) else node.left
    return node.offset


def parse(source: str) -> Node:
    """The tree for ``source``; raise ExpressionSyntaxError."""
    return _Parser(tokenize(source)).parse()


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self._tokens = tokens
        self._pos = 0
        self._depth = 0

    def parse(self) -> Node:
        if self._peek().kind == "end":
            raise ExpressionSyntaxError("the expression is empty", 0)
        node = self._or()
        token = self._peek()
        if token.kind != "end":
            raise ExpressionSyntaxError(f"unexpected {_describe(token)}", token.offset)
        return node

    # Each nested construct counts towards MAX_DEPTH, so hostile input fails cleanly long
    # before Python's recursion limit, and later passes over the tree stay shallow too.
    def _deeper(self, offset: int) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise ExpressionSyntaxError(
                f"expression is nested too deeply (more than {MAX_DEPTH} levels)", offset
            )

    def _peek(self, ahead: int = 0) -> Token:
        return self._tokens[min(self._pos + ahead, len(self._tokens) - 1)]

    def _advance(self) -> Token:
        token = self._peek()
        self._pos += 1
        return token

    def _expect(self, kind: str, context: str, opened_at: int | None = None) -> Token:
        token = self._peek()
        if token.kind != kind:
            where = "" if opened_at is None else f" to close the one at character {opened_at + 1}"
            raise ExpressionSyntaxError(
                f"expected '{kind}'{where} {context}, found {_describe(token)}", token.offset
            )
        return self._advance()

    def _bool_op(self, operator: BoolOperator) -> Node:
        parse_operand = self._or_operand if operator == "or" else self._not
        first = parse_operand()
        if self._peek().kind != operator:
            return first
        offset = self._peek().offset
        self._deeper(offset)
        operands = [first]
        while self._peek().kind == operator:
            self._advance()
            operands.append(parse_operand())
        self._depth -= 1
        return BoolOp(operator, tuple(operands), offset)

    def _or(self) -> Node:
        return self._bool_op("or")

    def _or_operand(self) -> Node:
        return self._bool_op("and")

    def _not(self) -> Node:
        token = self._peek()
        if token.kind != "not":
            return self._comparison()
        self._advance()
        self._deeper(token.offset)
        operand = self._not()
        self._depth -= 1
        return Unary("not", operand, token.offset)

    def _comparison(self) -> Node:
        left = self._additive()
        operator = self._compare_operator()
        if operator is None:
            return left
        token = self._advance()
        if operator == "not in":
            self._advance()
        self._deeper(token.offset)
        right = self._additive()
        self._depth -= 1
        following = self._peek()
        if self._compare_operator() is not None:
            raise ExpressionSyntaxError(
                "comparisons cannot be chained: write 'a < b and b < c'", following.offset
            )
        return Compare(operator, left, right, token.offset)

    def _compare_operator(self) -> CompareOperator | None:
        token = self._peek()
        if token.kind in _COMPARE_OPERATORS:
            return token.kind  # type: ignore[return-value]
        if token.kind == "not":
            if self._peek(1).kind != "in":
                raise ExpressionSyntaxError(
                    "expected 'in' after 'not' here (or 'and'/'or' before it)", token.offset
                )
            return "not in"
        return None

    def _additive(self) -> Node:
        return self._arithmetic(("+", "-"), self._term)

    def _term(self) -> Node:
        return self._arithmetic(("*", "/", "%"), self._unary)

    def _arithmetic(self, operators: tuple[str, ...], parse_operand: Callable[[], Node]) -> Node:
        node = parse_operand()
        levels = 0
        while self._peek().kind in operators:
            token = self._advance()
            levels += 1
            self._deeper(token.offset)
            right = parse_operand()
            node = Arithmetic(token.kind, node, right, token.offset)  # type: ignore[arg-type]
        self._depth -= levels
        return node

    def _unary(self) -> Node:
        token = self._peek()
        if token.kind != "-":
            return self._primary()
        self._advance()
        self._deeper(token.offset)
        operand = self._unary()
        self._depth -= 1
        return Unary("-", operand, token.offset)

    def _primary(self) -> Node:
        token = self._advance()
        if token.kind in ("number", "string"):
            return Literal(token.value, token.offset)
        if token.kind in _LITERAL_KEYWORDS:
            return Literal(_LITERAL_KEYWORDS[token.kind], token.offset)
        if token.kind == "name":
            return self._name_or_call(token)
        if token.kind in ("(", "["):
            self._deeper(token.offset)
            node = self._parenthesised(token) if token.kind == "(" else self._list(token)
            self._depth -= 1
            return node
        raise ExpressionSyntaxError(f"expected a value, found {_describe(token)}", token.offset)

    def _parenthesised(self, opening: Token) -> Node:
        node = self._or()
        self._expect(")", "after the expression", opening.offset)
        return node

    def _list(self, opening: Token) -> Node:
        items = self._sequence("]", opening)
        return ListLiteral(items, opening.offset)

    def _sequence(self, closing: str, opening: Token) -> tuple[Node, ...]:
        items: list[Node] = []
        while self._peek().kind != closing:
            items.append(self._or())
            if self._peek().kind != ",":
                break
            self._advance()
        self._expect(closing, "after the items", opening.offset)
        return tuple(items)

    def _name_or_call(self, token: Token) -> Node:
        if self._peek().kind == "(":
            opening = self._advance()
            self._deeper(opening.offset)
            args = self._sequence(")", opening)
            self._depth -= 1
            return Call(token.text, args, token.offset)
        path, offsets = [token.text], [token.offset]
        while self._peek().kind == ".":
            self._advance()
            part = self._expect("name", "(a field of the group) after '.'")
            path.append(part.text)
            offsets.append(part.offset)
        return Name(tuple(path), tuple(offsets))


def _describe(token: Token) -> str:
    if token.kind == "end":
        return "the end of the expression"
    if token.kind == "string":
        return f"the text {token.text}"
    return f"'{token.text}'"


_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "compare": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}
_UNARY_MINUS = 7
_ATOM = 8


def to_source(node: Node) -> str:
    """Source text that parses back to ``node``, with only the parentheses it needs."""
    if isinstance(node, Literal):
        return _literal_source(node.value)
    if isinstance(node, ListLiteral):
        return "[" + ", ".join(to_source(item) for item in node.items) + "]"
    if isinstance(node, Name):
        return ".".join(node.path)
    if isinstance(node, Call):
        return node.function + "(" + ", ".join(to_source(arg) for arg in node.args) + ")"
    if isinstance(node, Unary):
        operand = _wrapped(node.operand, _precedence(node) - 1)
        return f"not {operand}" if node.operator == "not" else f"-{operand}"
    if isinstance(node, BoolOp):
        level = _precedence(node)
        return f" {node.operator} ".join(_wrapped(item, level) for item in node.operands)
    level = _precedence(node)
    # Comparisons do not chain and arithmetic is left-associative: the left side of
    # arithmetic may share its level, a right side (or either side of a comparison) may not.
    left_floor = level if isinstance(node, Compare) else level - 1
    return f"{_wrapped(node.left, left_floor)} {node.operator} {_wrapped(node.right, level)}"


def _precedence(node: Node) -> int:
    if isinstance(node, BoolOp):
        return _PRECEDENCE[node.operator]
    if isinstance(node, Unary):
        return _PRECEDENCE["not"] if node.operator == "not" else _UNARY_MINUS
    if isinstance(node, Compare):
        return _PRECEDENCE["compare"]
    if isinstance(node, Arithmetic):
        return _PRECEDENCE[node.operator]
    return _ATOM


def _wrapped(node: Node, floor: int) -> str:
    """``node``'s source, in parentheses unless it binds tighter than ``floor``."""
    text = to_source(node)
    return text if _precedence(node) > floor else f"({text})"


def _literal_source(value: LiteralValue) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
