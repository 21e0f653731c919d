"""Best-effort checks of a definition that has structural errors.

So that `madoguchi check` prints every problem in one run, the list items (fields,
transitions, checks, pages) that failed validation are set aside and the rest is checked
as usual. Findings that could be caused by what was set aside (a reference to a field that
was removed, a state that a removed transition would have reached) are not reported: they
would be false alarms.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from engine.definitions.analysis import Finding
from engine.definitions.problems import YamlPath

MAX_ROUNDS = 5
_GRAPH_MESSAGES = ("has no way out", "cannot be reached")


@dataclass
class _Pruned:
    data: Any
    # For each list in `data` (by id), the original index of each remaining item.
    origins: dict[int, list[int]] = field(default_factory=dict)
    removed_names: set[str] = field(default_factory=set)
    removed_transition: bool = False

    def original_path(self, path: YamlPath) -> YamlPath:
        node = self.data
        original: list[str | int] = []
        for part in path:
            if isinstance(node, list) and isinstance(part, int) and part < len(node):
                original.append(self.origins[id(node)][part])
                node = node[part]
            elif isinstance(node, dict) and part in node:
                original.append(part)
                node = node[part]
            else:
                original.append(part)
                node = None
        return tuple(original)


def prune(data: Any, errors: list[tuple[YamlPath, str]]) -> _Pruned | None:
    """A copy of ``data`` without the list items the errors are in, or None if an error
    is not inside any list item."""
    pruned = _Pruned(copy.deepcopy(data))
    _index_lists(pruned.data, pruned.origins)
    for _ in range(MAX_ROUNDS):
        if not _remove_items(pruned, errors):
            return None
        from engine.definitions.models import Definition  # noqa: PLC0415 -- import cycle

        try:
            Definition.model_validate(pruned.data)
        except ValidationError as again:
            from engine.definitions.structure_errors import yaml_paths  # noqa: PLC0415

            errors = yaml_paths(again, pruned.data)
            continue
        return pruned
    return None


def keep(findings: list[Finding], pruned: _Pruned) -> list[Finding]:
    """The findings worth reporting, at their paths in the original file."""
    kept = []
    for finding in findings:
        if any(f"'{name}'" in finding.message for name in pruned.removed_names):
            continue
        if pruned.removed_transition and any(m in finding.message for m in _GRAPH_MESSAGES):
            continue
        also = pruned.original_path(finding.also) if finding.also else None
        kept.append(
            Finding(pruned.original_path(finding.path), finding.message, finding.offset, also)
        )
    return kept


def _index_lists(node: Any, origins: dict[int, list[int]]) -> None:
    if isinstance(node, list):
        origins[id(node)] = list(range(len(node)))
        for item in node:
            _index_lists(item, origins)
    elif isinstance(node, dict):
        for value in node.values():
            _index_lists(value, origins)


# Mappings whose entries can be set aside like list items: each entry stands alone.
_NAMED_ENTRIES = {"states", "documents"}

_Item = tuple[list[Any] | dict[str, Any], int | str, str]


def _remove_items(pruned: _Pruned, errors: list[tuple[YamlPath, str]]) -> bool:
    targets: dict[int, tuple[list[Any] | dict[str, Any], set[int | str], str]] = {}
    paths = [path for path, _ in errors]
    for path, kind in errors:
        if any(other[: len(path)] == path and other != path for other in paths):
            continue  # a union's "wrong type" beside a deeper error: the deeper one decides
        if kind == "extra_forbidden" and _drop_key(pruned.data, path):
            continue  # an unknown key is simply ignored
        found = _innermost_item(pruned.data, path)
        if found is None:
            return False
        container, index, key = found
        targets.setdefault(id(container), (container, set(), key))[1].add(index)
    for container, indexes, key in targets.values():
        for index in sorted(indexes, key=_index_order, reverse=True):
            if isinstance(container, list) and isinstance(index, int):
                _note_removed(pruned, container[index], key)
                del container[index]
                del pruned.origins[id(container)][index]
            elif isinstance(container, dict) and isinstance(index, str):
                _note_removed(pruned, container.pop(index), key)
                pruned.removed_names.add(index)
    return True


def _index_order(index: int | str) -> tuple[int, int | str]:
    # List positions go from the last down (so earlier ones stay valid); never as text.
    return (0, index) if isinstance(index, int) else (1, index)


def _drop_key(data: Any, path: YamlPath) -> bool:
    node = data
    for part in path[:-1]:
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return False
    if isinstance(node, dict) and path and path[-1] in node:
        del node[path[-1]]
        return True
    return False


def _innermost_item(data: Any, path: YamlPath) -> _Item | None:
    """The deepest list item (or named entry) on ``path``, with the key that holds it."""
    node = data
    found: _Item | None = None
    key = ""
    for part in path:
        if isinstance(node, list) and isinstance(part, int) and part < len(node):
            found = (node, part, key)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part in node:
            if key in _NAMED_ENTRIES:
                found = (node, part, key)
            key = part
            node = node[part]
        else:
            break
    return found


def _note_removed(pruned: _Pruned, item: Any, key: str) -> None:
    if key in ("transitions", "states", "from", "to", "by"):
        pruned.removed_transition = True
    for name in _names_in(item):
        pruned.removed_names.add(name)


def _names_in(item: Any) -> set[str]:
    """Ids and actions in a removed item, including the fields of a removed page or group."""
    names: set[str] = set()
    if isinstance(item, dict):
        for name_key in ("id", "action"):
            if isinstance(item.get(name_key), str):
                names.add(item[name_key])
        fields = item.get("fields")
        for value in fields if isinstance(fields, list) else []:
            names |= _names_in(value)
    elif isinstance(item, str):
        names.add(item)
    return names
