"""Adding and removing items of repeated groups in raw answers, by path, without JavaScript:
the page's "add another" and "remove" buttons name the group or item they act on."""

from __future__ import annotations

import copy
import re
from typing import Any

_SEGMENT = re.compile(r"([a-z][a-z0-9_]*)(?:\[(\d{1,3})\])?")


def add_item(raw: dict[str, Any], group_path: str) -> dict[str, Any]:
    """A copy of ``raw`` with an empty item appended to the group at ``group_path``
    (``children``, ``children[0].vaccines``); unchanged if the path names no list."""
    result = copy.deepcopy(raw)
    parent, key = _locate(result, group_path)
    if parent is None or key is None:
        return result
    items = parent.get(key)
    if items in (None, ""):
        items = []
    if isinstance(items, list):
        parent[key] = [*items, {}]
    return result


def remove_item(raw: dict[str, Any], item_path: str) -> dict[str, Any]:
    """A copy of ``raw`` without the item at ``item_path`` (``children[1]``)."""
    result = copy.deepcopy(raw)
    match = re.fullmatch(r"(.+)\[(\d{1,3})\]", item_path)
    if match is None:
        return result
    parent, key = _locate(result, match[1])
    index = int(match[2])
    if parent is not None and key is not None:
        items = parent.get(key)
        if isinstance(items, list) and index < len(items):
            parent[key] = items[:index] + items[index + 1 :]
    return result


def _locate(raw: dict[str, Any], path: str) -> tuple[dict[str, Any] | None, str | None]:
    """The mapping holding the last segment of ``path``, and that segment's key."""
    node: Any = raw
    parts = path.split(".")
    for position, part in enumerate(parts):
        match = _SEGMENT.fullmatch(part)
        if match is None or not isinstance(node, dict):
            return None, None
        if position == len(parts) - 1 and match[2] is None:
            return node, match[1]
        node = node.get(match[1])
        if match[2] is not None:
            index = int(match[2])
            if not isinstance(node, list) or index >= len(node):
                return None, None
            node = node[index]
    return None, None


def put_at(raw: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``raw`` with ``value`` at ``path`` (``children[0].photo``), making the
    groups and items on the way as needed."""
    result = copy.deepcopy(raw)
    node: Any = result
    parts = path.split(".")
    for position, part in enumerate(parts):
        match = _SEGMENT.fullmatch(part)
        if match is None or not isinstance(node, dict):
            return raw
        last = position == len(parts) - 1
        if match[2] is None:
            if last:
                node[match[1]] = value
                return result
            node = node.setdefault(match[1], {})
            continue
        items = node.get(match[1])
        items = items if isinstance(items, list) else []
        index = int(match[2])
        items.extend({} for _ in range(index + 1 - len(items)))
        node[match[1]] = items
        if last:
            items[index] = value
            return result
        node = items[index]
    return result
