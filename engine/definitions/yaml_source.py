"""Reading definition YAML safely, keeping where every node stands in the file.

The definition language is a strict subset of YAML: no tags, no anchors or aliases
(billion laughs), bounded size and depth, and none of YAML 1.1's implicit booleans
(``yes``/``no``/``on``/``off``), which are refused rather than silently converted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from engine.definitions.problems import YamlPath

MAX_FILE_BYTES = 256_000  # ~50 times the largest demo; bounds the checks to about a second
MAX_DEPTH = 24

# YAML 1.2 core schema, which is what authors expect; everything else plain is a string.
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_NULL = {"null", "Null", "NULL", "~", ""}
# YAML 1.1 booleans an author may write meaning either a word or a boolean.
_AMBIGUOUS = {"yes", "no", "on", "off"}


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based
    # Where the scalar's text starts relative to the mark (1 for a quoted scalar).
    text_offset: int = 0
    single_line: bool = True


@dataclass
class SourceMap:
    """Where each node of a document stands: the value, and the key that introduced it."""

    values: dict[YamlPath, Mark] = field(default_factory=dict)
    keys: dict[YamlPath, Mark] = field(default_factory=dict)

    def locate(self, path: YamlPath, *, key: bool = False) -> Mark:
        """The best mark for ``path``: its key or value, else the nearest enclosing node."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), Mark(1, 1))

    def locate_in_text(self, path: YamlPath, offset: int) -> Mark:
        """A mark ``offset`` characters into the scalar at ``path`` (an expression, say)."""
        mark = self.locate(path)
        if not mark.single_line:
            return mark
        return Mark(mark.line, mark.column + mark.text_offset + offset)


class YamlProblem(Exception):  # noqa: N818 -- a problem in the author's file, not our error
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


def _mark_of(node_or_event: Any) -> tuple[int, int]:
    mark = node_or_event.start_mark
    return mark.line + 1, mark.column + 1


class _StrictLoader(yaml.SafeLoader):
    """Composes nodes but refuses aliases, anchors, tags and excessive nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]  # PyYAML is untyped
        line, column = _mark_of(event)
        if isinstance(event, AliasEvent):
            raise YamlProblem("YAML aliases (*name) are not allowed in definitions", line, column)
        if isinstance(event, ScalarEvent | MappingStartEvent | SequenceStartEvent):
            if event.anchor is not None:
                raise YamlProblem(
                    f"YAML anchors (&{event.anchor}) are not allowed in definitions", line, column
                )
            if event.tag not in (None, "!"):
                raise YamlProblem(
                    f"YAML tags ({event.tag}) are not allowed in definitions", line, column
                )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", line, column)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def read_yaml(text: str) -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain data and its source map; raise YamlProblem."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise YamlProblem(f"file is larger than {MAX_FILE_BYTES:,} bytes", 1, 1)
    loader = _StrictLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"YAML syntax: {error.problem or error.context}"
        raise YamlProblem(message + _syntax_hint(message), line, column) from None
    except yaml.YAMLError as error:
        raise YamlProblem(f"YAML: {error}", 1, 1) from None
    finally:
        loader.dispose()
    if root is None:
        raise YamlProblem("the file is empty", 1, 1)
    source = SourceMap()
    return _construct(root, (), source), source


def _syntax_hint(message: str) -> str:
    if "expected ',' or '}'" in message or "expected ',' or ']'" in message:
        return (
            "; inside { } or [ ], quote text that contains : ? , # or brackets, "
            'e.g. {en: "What is it?"}'
        )
    if "another document" in message:
        return "; a definition file holds one procedure: remove the '---' and what follows"
    if "mapping values are not allowed here" in message:
        return '; quote text that contains ": ", e.g. hint: "例: 10時"'
    return ""


def _construct(node: Node, path: YamlPath, source: SourceMap) -> Any:
    line, column = _mark_of(node)
    if isinstance(node, ScalarNode):
        quoted = node.style in ("'", '"')
        source.values[path] = Mark(
            line, column, text_offset=1 if quoted else 0, single_line=_verbatim(node, quoted)
        )
        return _scalar(node, line, column)
    source.values[path] = Mark(line, column)
    if isinstance(node, SequenceNode):
        return [_construct(item, (*path, i), source) for i, item in enumerate(node.value)]
    if not isinstance(node, MappingNode):
        raise YamlProblem("unexpected YAML node", line, column)
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key_line, key_column = _mark_of(key_node)
        if not isinstance(key_node, ScalarNode):
            raise YamlProblem("mapping keys must be plain words", key_line, key_column)
        key = _scalar(key_node, key_line, key_column)
        if not isinstance(key, str):
            key = key_node.value
        if key == "<<":
            raise YamlProblem("YAML merge keys (<<) are not allowed", key_line, key_column)
        if key in result:
            raise YamlProblem(f"duplicate key '{key}'", key_line, key_column)
        source.keys[(*path, key)] = Mark(key_line, key_column)
        result[key] = _construct(value_node, (*path, key), source)
    return result


def _verbatim(node: ScalarNode, quoted: bool) -> bool:
    """Whether the scalar stands on one line exactly as its value reads, so that an offset
    into the value is the same offset into the line (no escapes, no folding)."""
    start, end = node.start_mark, node.end_mark
    if node.style not in (None, "", "'", '"') or start.line != end.line or start.buffer is None:
        return False
    text = str(start.buffer[start.index : end.index])
    value = str(node.value)
    return (text[1:-1] if quoted else text) == value


def _scalar(node: ScalarNode, line: int, column: int) -> Any:
    text = node.value
    if node.style is not None and node.style != "":
        return text  # quoted or block scalars are always strings
    if text in _AMBIGUOUS or text.lower() in _AMBIGUOUS:
        raise YamlProblem(
            f"'{text}' is ambiguous in YAML: write true or false for a yes/no value, "
            f"or quote it ('{text}') for the word",
            line,
            column,
        )
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text in _NULL:
        return None
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text) and any(c.isdigit() for c in text):
        return float(text)
    return text
