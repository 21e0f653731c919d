"""The condition language of procedure definitions (``show_if``, ``required_if``, checks, ``when``).

An expression is parsed once (``Expression.parse``), bound once to the fields it may see
(``bind``: names resolved, types checked, closures compiled) and then evaluated many times.

Null semantics. An unanswered or hidden field is null, and:

- ``==`` and ``!=`` compare null like any value: ``null == null`` is true, ``x == null`` is
  true only when ``x`` is unanswered;
- ``<``, ``<=``, ``>``, ``>=`` with a null side are false;
- arithmetic with a null side is null, and so is division (or ``%``) by zero;
- ``x in null`` is false (so ``x not in null`` is true);
- ``and``, ``or`` and ``not`` treat null as false: only ``true`` is true;
- ``any``, ``all``, ``sum`` and ``count`` skip nulls; ``len(null)`` is 0; ``age``,
  ``days_between`` and ``years_between`` of null are null.

Evaluating a well-typed expression never raises. There is no eval, exec or attribute access:
only the parsed tree is interpreted, and dotted names only walk answer mappings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from engine.expressions.binder import Binding, ExpressionProblem, Reference, Resolution, bind
from engine.expressions.compiler import Const, compile_tree, evaluator
from engine.expressions.functions import FUNCTIONS, Function, equal
from engine.expressions.lexer import MAX_SOURCE_LENGTH, ExpressionSyntaxError
from engine.expressions.parser import MAX_DEPTH, BoolOp, Compare, Literal, Name, Node, parse
from engine.expressions.types import EvalContext, ExprType, FieldSymbol, Scope

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_SOURCE_LENGTH",
    "EvalContext",
    "ExprType",
    "Expression",
    "ExpressionProblem",
    "ExpressionSyntaxError",
    "FieldSymbol",
    "Function",
    "Reference",
    "Scope",
    "constant_value",
    "required_equalities",
]


def _not_bound(context: EvalContext) -> NoReturn:
    raise RuntimeError("expression not bound")


class Expression:
    """One expression: its source, its tree (``node``) and, once bound, its compiled form."""

    __slots__ = ("_binding", "_scope", "evaluate", "node", "source")

    # evaluate(context) -> Any: the value against ``context``. It is the compiled closure
    # itself, stored per instance, so each call saves a method frame: conditions run for
    # every field of every page shown. Until a binding without problems it raises
    # RuntimeError("expression not bound").
    evaluate: Callable[[EvalContext], Any]

    def __init__(self, source: str) -> None:
        self.source = source
        self.node: Node = parse(source)
        self._binding: Binding | None = None
        self._scope: Scope | None = None
        self.evaluate = _not_bound

    @classmethod
    def parse(cls, source: str) -> Expression:
        """Parse ``source``; raise ExpressionSyntaxError with the offset of the mistake."""
        return cls(source)

    def bind(self, scope: Scope) -> list[ExpressionProblem]:
        """Resolve names and check types in ``scope``; compile when there is no problem.

        An expression is bound once: binding again to an equal scope returns the same
        problems, binding to a different one raises RuntimeError.
        """
        if self._binding is not None:
            if scope != self._scope:
                raise RuntimeError("expression already bound to another scope")
            return list(self._binding.problems)
        binding = bind(self.node, scope)
        self._binding, self._scope = binding, scope
        if not binding.problems:
            self.evaluate = evaluator(compile_tree(self.node, binding.resolutions))
        return list(binding.problems)

    @property
    def type(self) -> ExprType:
        """The type of the whole expression (a caller insists on bool for ``show_if``)."""
        return self._bound().type

    @property
    def resolutions(self) -> tuple[Resolution, ...]:
        """How each name was resolved: ``level`` None means from the top level, a number
        means within that enclosing group's current item."""
        return tuple(self._bound().resolutions.values())

    @property
    def references(self) -> tuple[Reference, ...]:
        """The fields read, as paths from the top level, in source order."""
        return self._bound().references

    @property
    def resolved_ok(self) -> bool:
        """Whether binding found no problem (so resolutions and type are complete)."""
        return self._binding is not None and not self._binding.problems

    def _bound(self) -> Binding:
        if self._binding is None:
            raise RuntimeError("expression not bound")
        return self._binding

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Expression):
            return NotImplemented
        return self.source == other.source

    def __hash__(self) -> int:
        return hash(self.source)

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"

    def __str__(self) -> str:
        return self.source

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source_type: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                str, return_schema=core_schema.str_schema()
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [{"type": "string"}, {"type": "boolean"}],
            "description": 'An expression, e.g. reason == "employed"',
        }

    @classmethod
    def _validate(cls, value: Any) -> Expression:
        if isinstance(value, Expression):
            return value
        if isinstance(value, bool):  # YAML's `show_if: true` arrives as a boolean
            value = "true" if value else "false"
        if not isinstance(value, str):
            raise PydanticCustomError(
                "expression_type", 'an expression must be text, such as reason == "employed"'
            )
        try:
            return cls(value)
        except ExpressionSyntaxError as error:
            raise PydanticCustomError(
                "expression_syntax",
                "{message}",
                {"message": error.message, "offset": error.offset},
            ) from None


def constant_value(expr: Expression) -> tuple[bool, Any]:
    """Whether ``expr`` has one value whatever the answers (and today's date), and that value.

    ``false and x`` and ``x or true`` count as constant. Works bound or unbound.
    """
    resolutions = expr._binding.resolutions if expr._binding is not None else None
    compiled = compile_tree(expr.node, resolutions)
    return (True, compiled.value) if isinstance(compiled, Const) else (False, None)


def required_equalities(expr: Expression) -> dict[tuple[str, ...], Any] | None:
    """For ``a == "x" and b == 2 …`` (a bare ``flag`` counts as ``flag == true``), the
    value each field path must have; None for any other shape or contradictory atoms."""
    binding = expr._bound()
    node = expr.node
    atoms = node.operands if isinstance(node, BoolOp) and node.operator == "and" else (node,)
    required: dict[tuple[str, ...], Any] = {}
    for atom in atoms:
        pair = _equality(atom, binding)
        if pair is None:
            return None
        path, value = pair
        if path in required and not equal(required[path], value):
            return None
        required[path] = value
    return required


def _equality(atom: Node, binding: Binding) -> tuple[tuple[str, ...], Any] | None:
    value: Any
    if isinstance(atom, Name):
        name, value = atom, True
    elif isinstance(atom, Compare) and atom.operator == "==":
        if isinstance(atom.left, Name) and isinstance(atom.right, Literal):
            name, value = atom.left, atom.right.value
        elif isinstance(atom.right, Name) and isinstance(atom.left, Literal):
            name, value = atom.right, atom.left.value
        else:
            return None
    else:
        return None
    resolution = binding.resolutions.get(name)
    # A path through a repeated group is a list of values, not one value to pin down.
    if resolution is None or any(step.repeated for step in resolution.steps[:-1]):
        return None
    return resolution.path, value
