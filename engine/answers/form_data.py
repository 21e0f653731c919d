"""Turning a flat HTML form post into the nested raw answers the validator reads.

Input names follow the answer paths: ``name.family``, ``children[0].birth_date.year``.
A name sent several times (checkboxes) becomes a list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

MAX_INDEX = 100  # no repeated group allows more items; larger indexes are ignored
MAX_DEPTH = 12  # segments in one name: no answer nests deeper; longer names are ignored
_SEGMENT = re.compile(r"([a-z][a-z0-9_]*)(?:\[(\d{1,3})\])?")


def unflatten(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Nested answers from ``(name, value)`` pairs. Names that cannot be answer paths are
    ignored; the validator ignores the rest that no field asks for."""
    root: dict[str, Any] = {}
    for name, value in pairs:
        segments = _segments(name)
        if segments is not None:
            _put(root, segments, value)
    nested: dict[str, Any] = _lists(root)
    return nested


def _segments(name: str) -> list[str | int] | None:
    segments: list[str | int] = []
    parts = name.split(".", MAX_DEPTH)
    if len(parts) > MAX_DEPTH:
        return None
    for part in parts:
        match = _SEGMENT.fullmatch(part)
        if match is None:
            return None
        segments.append(match[1])
        if match[2] is not None:
            index = int(match[2])
            if index >= MAX_INDEX:
                return None
            segments.append(index)
    return segments


def _put(node: dict[Any, Any], segments: list[str | int], value: str) -> None:
    *parents, last = segments
    for segment in parents:
        child = node.setdefault(segment, {})
        if not isinstance(child, dict):
            return  # `a=1` and `a.b=2` both sent: keep the first shape
        node = child
    if isinstance(node.get(last), dict):
        return
    if last in node:
        existing = node[last]
        if isinstance(existing, _Repeated):
            existing.append(value)
        else:
            node[last] = _Repeated([existing, value])
    else:
        node[last] = value


class _Repeated(list[str]):
    """Values of a name sent several times (ticked checkboxes)."""


def _lists(node: Any) -> Any:
    """Mappings keyed by item numbers become lists, in number order, gaps closed."""
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(key, int) for key in node):
        return [_lists(node[key]) for key in sorted(node)]
    return {key: _lists(value) for key, value in node.items() if isinstance(key, str)}
