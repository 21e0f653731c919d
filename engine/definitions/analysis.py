"""Checks that need the whole definition: ids, expressions, and what they imply."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from engine.definitions.models import Definition, Page
from engine.definitions.problems import YamlPath
from engine.expressions import Expression, constant_value, required_equalities
from engine.expressions.types import BOOL, FieldSymbol, Scope
from engine.fields import FieldBase
from engine.fields.contact import AddressField, PostalCodeField
from engine.fields.group import GroupField


@dataclass(frozen=True)
class Finding:
    """A problem at a YAML path; ``offset`` points into an expression's text."""

    path: YamlPath
    message: str
    offset: int | None = None
    also: YamlPath | None = None  # where the same thing stands too (a duplicate's first use)


@dataclass
class _Symbols:
    root: dict[str, FieldSymbol] = field(default_factory=dict)
    by_spec: dict[int, FieldSymbol] = field(default_factory=dict)  # id(spec) -> symbol
    order: int = 0


def analyse_fields(definition: Definition) -> list[Finding]:
    findings: list[Finding] = []
    symbols = _Symbols()
    _check_page_ids(definition.pages, findings)
    seen: dict[str, YamlPath] = {}
    for page_index, page in enumerate(definition.pages):
        for index, spec in enumerate(page.fields):
            path = ("pages", page_index, "fields", index)
            _duplicate(spec.id, seen, path, findings)
            symbols.root.setdefault(spec.id, _symbol(spec, symbols))
    for page_index, page in enumerate(definition.pages):
        _analyse_page(page, ("pages", page_index), symbols, findings)
    _analyse_checks(definition, symbols, findings)
    return findings


def root_scope(definition: Definition) -> Scope:
    """The scope of expressions outside any field (checks, workflow conditions)."""
    symbols = _Symbols()
    for spec in definition.fields():
        symbols.root.setdefault(spec.id, _symbol(spec, symbols))
    return Scope(root=symbols.root)


def _symbol(spec: FieldBase, symbols: _Symbols) -> FieldSymbol:
    order = symbols.order
    symbols.order += 1
    children: dict[str, FieldSymbol] = {}
    if isinstance(spec, GroupField):
        for child in spec.fields:
            children.setdefault(child.id, _symbol(child, symbols))
    else:
        children = {
            name: FieldSymbol(id=name, type=part_type, order=order)
            for name, part_type in spec.part_types().items()
        }
    symbol = FieldSymbol(
        id=spec.id,
        type=spec.value_type(),
        order=order,
        children=children,
        repeated=isinstance(spec, GroupField) and spec.repeat is not None,
    )
    symbols.by_spec[id(spec)] = symbol
    return symbol


def _check_page_ids(pages: Sequence[Page], findings: list[Finding]) -> None:
    seen: dict[str, YamlPath] = {}
    for index, page in enumerate(pages):
        _duplicate(page.id, seen, ("pages", index), findings, what="page")


def _duplicate(
    name: str,
    seen: dict[str, YamlPath],
    path: YamlPath,
    findings: list[Finding],
    what: str = "field",
) -> None:
    if name in seen:
        first = seen[name]
        findings.append(
            Finding((*path, "id"), f"duplicate {what} id '{name}'", also=(*first, "id"))
        )
    else:
        seen[name] = path


def _analyse_page(page: Page, path: YamlPath, symbols: _Symbols, findings: list[Finding]) -> None:
    first = symbols.by_spec[id(page.fields[0])].order
    page_hidden = False
    if page.show_if is not None:
        bind_condition(
            page.show_if,
            Scope(symbols.root, before=first, subject="page"),
            (*path, "show_if"),
            findings,
        )
        page_hidden = _always_false(page.show_if)
        if page_hidden:
            findings.append(
                Finding((*path, "show_if"), "the page is never shown: show_if is always false")
            )
    _analyse_fields(page.fields, (*path, "fields"), _Within((), page_hidden), symbols, findings)


@dataclass(frozen=True)
class _Within:
    """The groups a field stands in, and whether something around it is always hidden."""

    groups: tuple[FieldSymbol, ...]
    hidden: bool


def _analyse_fields(
    fields: Sequence[FieldBase],
    path: YamlPath,
    within: _Within,
    symbols: _Symbols,
    findings: list[Finding],
) -> None:
    groups, hidden = within.groups, within.hidden
    seen: dict[str, YamlPath] = {}
    for index, spec in enumerate(fields):
        here = (*path, index)
        if groups:
            _duplicate(spec.id, seen, here, findings)
        scope = Scope(symbols.root, groups=groups, before=symbols.by_spec[id(spec)].order)
        always_hidden = hidden
        if spec.show_if is not None:
            bind_condition(spec.show_if, scope, (*here, "show_if"), findings)
            if _always_false(spec.show_if):
                always_hidden = True
                findings.append(
                    Finding((*here, "show_if"), "the field is never shown: show_if is always false")
                )
        if spec.required_if is not None:
            bind_condition(spec.required_if, scope, (*here, "required_if"), findings)
            findings.extend(_required_if_problems(spec, here, always_hidden))
        for key in ("show_if", "required_if"):
            findings.extend(_reads_own_list(getattr(spec, key), groups, (*here, key)))
        if isinstance(spec, PostalCodeField) and spec.fills is not None:
            findings.extend(_fills_problems(spec, fields, here))
        if isinstance(spec, GroupField):
            inner = (*groups, symbols.by_spec[id(spec)])
            _analyse_fields(
                spec.fields, (*here, "fields"), _Within(inner, always_hidden), symbols, findings
            )


def _required_if_problems(spec: FieldBase, path: YamlPath, hidden: bool) -> Iterator[Finding]:
    where = (*path, "required_if")
    if "required" in spec.model_fields_set and spec.required:
        yield Finding(where, "required_if has no effect with required: true; remove one of them")
    if hidden:
        yield Finding(where, "required_if has no effect: the field is always hidden")
        return
    if spec.show_if is None or spec.required_if is None:
        return
    shown = required_equalities(spec.show_if) or {}
    needed = required_equalities(spec.required_if) or {}
    for name, value in needed.items():
        if name in shown and shown[name] != value:
            dotted = ".".join(name)
            yield Finding(
                where,
                "required_if can never hold while the field is shown: "
                f"show_if needs {dotted} == {_literal(shown[name])}, "
                f"required_if needs {dotted} == {_literal(value)}",
            )


def _reads_own_list(
    expression: Expression | None, groups: tuple[FieldSymbol, ...], path: YamlPath
) -> Iterator[Finding]:
    """A field inside a repeated group that reads that group's whole list would see only
    the items before its own (items are validated in order): refuse it."""
    if expression is None or not groups or not expression.resolved_ok:
        return
    outer = groups[0]
    for resolution in expression.resolutions:
        if resolution.level is None and resolution.path[0] == outer.id and outer.repeated:
            yield Finding(
                path,
                f"a field inside '{outer.id}' cannot read the whole list '{outer.id}' "
                "(it is still being filled in): use a check for rules across items",
            )
            return


def _literal(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _fills_problems(
    spec: PostalCodeField, siblings: Sequence[FieldBase], path: YamlPath
) -> Iterator[Finding]:
    target = next((f for f in siblings if f.id == spec.fills), None)
    if target is None:
        names = [f.id for f in siblings if isinstance(f, AddressField)]
        yield Finding(
            (*path, "fills"),
            f"fills names '{spec.fills}', which is not a field beside it"
            + (f" (address fields here: {', '.join(names)})" if names else ""),
        )
    elif not isinstance(target, AddressField):
        yield Finding(
            (*path, "fills"),
            f"fills must name an address field; '{spec.fills}' is {target.type_name}",
        )


def _analyse_checks(definition: Definition, symbols: _Symbols, findings: list[Finding]) -> None:
    scope = Scope(symbols.root)
    for index, check in enumerate(definition.checks):
        bind_condition(check.rule, scope, ("checks", index, "rule"), findings)
        if _always_false(check.rule):
            message = "this check is always false: every application would be refused"
            findings.append(Finding(("checks", index, "rule"), message))
        if check.field is not None and check.field not in symbols.root:
            findings.append(Finding(("checks", index, "field"), f"unknown field '{check.field}'"))


def bind_condition(
    expression: Expression, scope: Scope, path: YamlPath, findings: list[Finding]
) -> None:
    """Resolve and type-check a condition, which must be true or false."""
    problems = expression.bind(scope)
    findings.extend(Finding(path, problem.message, problem.offset) for problem in problems)
    if not problems and expression.type not in (BOOL,) and expression.type.kind != "any":
        findings.append(
            Finding(
                path,
                f"a condition must be true or false, but this is {expression.type}: "
                'compare it, e.g. x != null or x == "value"',
                0,
            )
        )


def _always_false(expression: Expression) -> bool:
    is_constant, value = constant_value(expression)
    return is_constant and value is False
