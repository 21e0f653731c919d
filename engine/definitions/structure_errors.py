"""Pydantic's validation errors, retold for a definition's author at a place in the file."""

from __future__ import annotations

import difflib
import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from engine.definitions.problems import YamlPath
from engine.definitions.yaml_source import Mark, SourceMap
from engine.fields import field_types

_PATTERN_HINTS = {
    r"^[a-z][a-z0-9_]*$": "use lowercase letters, digits and _, starting with a letter",
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "use lowercase letters, digits and single hyphens",
    r"^[a-z0-9]+([-_][a-z0-9]+)*$": "use lowercase letters, digits, - and _",
    r"^[A-Za-z0-9_-]+\.html$": "name an .html file in the templates folder beside the definition",
}

_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "decimal_type": "a number",
    "decimal_parsing": "a number",
    "float_type": "a number",
}


def structure_problems(
    error: ValidationError, data: Any, source: SourceMap, root: type[BaseModel]
) -> list[tuple[Mark, str]]:
    """One located message per distinct problem in ``error``."""
    by_path: dict[YamlPath, list[tuple[ErrorDetails, bool]]] = {}
    for details in error.errors(include_url=False):
        path, skipped = _yaml_path(details["loc"], data)
        by_path.setdefault(path, []).append((details, skipped))
    problems = []
    branch_paths = [path for path, errors in by_path.items() if any(b for _, b in errors)]
    for path, errors in by_path.items():
        deeper = any(other[: len(path)] == path and other != path for other in branch_paths)
        if deeper and all(branch for _, branch in errors):
            continue
        if len(errors) > 1 and all(skipped for _, skipped in errors):
            # Every branch of a union failed: say what would have been accepted.
            expected = " or ".join(dict.fromkeys(_expected(d) for d, _ in errors))
            problems.append((source.locate(path), f"expected {expected}"))
            continue
        for details, _ in errors:
            mark, message = _located(details, path, data, source, root)
            if "[key]" in details["loc"]:
                mark = source.locate(path, key=True)
            problems.append((mark, message))
    return problems


def yaml_paths(error: ValidationError, data: Any) -> list[tuple[YamlPath, str]]:
    """Where in the data each of ``error``'s problems is, and its kind."""
    return [
        (_yaml_path(details["loc"], data)[0], details["type"])
        for details in error.errors(include_url=False)
    ]


def _yaml_path(loc: tuple[int | str, ...], data: Any) -> tuple[YamlPath, bool]:
    """Follow ``loc`` through the data, passing over the labels pydantic adds for unions.

    The flag tells whether a union branch label was passed over: such errors are one per
    alternative and read better merged.
    """
    path: list[str | int] = []
    node = data
    branch = False
    for index, part in enumerate(loc):
        if _has(node, part):
            path.append(part)
            node = _child(node, part)
        elif part == "[key]":
            continue  # pydantic's label for a mapping key's own error: the path has the key
        elif isinstance(node, dict) and index == len(loc) - 1:
            path.append(part)  # a missing key: point at the mapping that lacks it
        elif not (isinstance(node, dict) and part == node.get("type")):
            branch = True  # a discriminated union's tag is not an alternative; others are
    return tuple(path), branch


def _has(node: Any, part: int | str) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _node_at(data: Any, path: YamlPath) -> Any:
    node = data
    for part in path:
        node = _child(node, part)
    return node


def _child(node: Any, part: int | str) -> Any:
    return node[part] if _has(node, part) else None


def _expected(details: ErrorDetails) -> str:
    return _TYPE_NAMES.get(details["type"], details["msg"].lower())


def _located(
    details: ErrorDetails, path: YamlPath, data: Any, source: SourceMap, root: type[BaseModel]
) -> tuple[Mark, str]:
    kind = details["type"]
    ctx = details.get("ctx") or {}
    value = details.get("input")
    if kind == "extra_forbidden":
        key = str(path[-1])
        allowed = _allowed_keys(root, path[:-1], data)
        hint = _suggest(key, allowed)
        if " " in key and not hint:
            hint = " (a comma inside { } ends the text before it: quote text that has commas)"
        return source.locate(path, key=True), f"unknown key '{key}'{hint}"
    if kind == "missing":
        return source.locate(path[:-1]), f"missing key '{path[-1]}'"
    if kind == "union_tag_invalid":
        names = field_types.names()
        return (
            source.locate((*path, "type")),
            f"unknown field type '{ctx.get('tag')}'{_suggest(str(ctx.get('tag')), names)}",
        )
    if kind == "union_tag_not_found":
        node = _node_at(data, path)
        keys = [str(key) for key in node] if isinstance(node, dict) else []
        close = difflib.get_close_matches("type", keys, n=1, cutoff=0.6)
        hint = f" (is '{close[0]}' a misspelling?)" if close else " (e.g. type: text)"
        return source.locate(path), f"missing key 'type'{hint}"
    if kind == "expression_syntax":
        offset = int(ctx.get("offset", 0))
        return source.locate_in_text(path, offset), f"expression: {ctx.get('message')}"
    return source.locate(path), _message(kind, details["msg"], ctx, value)


def _message(kind: str, msg: str, ctx: dict[str, Any], value: Any) -> str:
    if kind in _TYPE_NAMES:
        return f"expected {_TYPE_NAMES[kind]}, got {_describe(value)}"
    if kind == "literal_error":
        return f"{_describe(value)} is not allowed here: expected {ctx.get('expected')}"
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(str(ctx.get("pattern")), f"it must match {ctx.get('pattern')}")
        return f"{_describe(value)} is not valid here: {hint}"
    if kind in _BOUNDS:
        return f"{_describe(value)} is too {_BOUNDS[kind]} {_bound(ctx)}"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "string_too_short":
        return "must not be empty"
    if kind in ("value_error", "assertion_error"):
        return msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return msg


_BOUNDS = {
    "greater_than": "small: it must be greater than",
    "greater_than_equal": "small: it must be at least",
    "less_than": "large: it must be less than",
    "less_than_equal": "large: it must be at most",
}


def _bound(ctx: dict[str, Any]) -> str:
    return str(next((ctx[k] for k in ("gt", "ge", "lt", "le") if k in ctx), ""))


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else f"'{value[:37]}...'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _suggest(word: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _allowed_keys(root: type[BaseModel], path: YamlPath, data: Any) -> list[str]:
    """The keys the model at ``path`` accepts, found by walking the annotations."""
    annotation: Any = root
    node: Any = data
    for part in path:
        annotation = _concrete(annotation, node)
        node = _child(node, part)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = next(
                (f for name, f in annotation.model_fields.items() if part in (name, f.alias)),
                None,
            )
            annotation = field.annotation if field else None
        elif get_origin(annotation) in (list, dict):
            annotation = get_args(annotation)[-1]
        else:
            return []
    model = _concrete(annotation, node)
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return []
    return [field.alias or name for name, field in model.model_fields.items()]


def _concrete(annotation: Any, node: Any) -> Any:
    """Strip Annotated and Optional; pick a field type's model by the node's `type:`."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [m for m in get_args(annotation) if m is not type(None)]
            if isinstance(node, dict) and isinstance(node.get("type"), str):
                chosen = field_types.get(node["type"])
                if chosen is not None and chosen in members:
                    return chosen
            models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
            lists = [m for m in members if get_origin(m) in (list, dict)]
            annotation = (models or lists or members)[0]
        else:
            return annotation
