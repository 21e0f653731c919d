"""The workflow as Mermaid text (``stateDiagram-v2``), for docs that render Mermaid.

Every text an author wrote is escaped with Mermaid's entity codes (``#58;`` for ``:``) but
for letters, digits, spaces, non-ASCII text and a few harmless marks, so no label can end
a statement or start a new one. Checked against Mermaid 11's state diagram grammar.
"""

from __future__ import annotations

import re

from engine.definitions.models import Definition
from renderers.workflow_graph.diagram import Arrow, build_diagram

_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.,/()+!?")
# Mermaid reads any line with "direction LR" (TB, BT, RL) in it as a change of direction,
# even inside a label, and drops the rest of the line: the space after it is escaped.
_DIRECTION = re.compile(r"(direction) ", re.IGNORECASE)
# Words Mermaid's state diagrams take as keywords where a state's name is expected. A
# state id is `[a-z][a-z0-9_]*`, so a leading underscore cannot meet another state's id.
_RESERVED = frozenset(
    {"accdescr", "acctitle", "class", "classdef", "click", "default", "direction", "href"}
    | {"note", "scale", "state", "statediagram", "style"}
)
TIMER = "⏱"
INDENT = "    "


def mermaid(definition: Definition, language: str) -> str:
    """``definition``'s workflow as a Mermaid state diagram in ``language`` ("ja" or "en")."""
    diagram = build_diagram(definition, language)
    lines = ["stateDiagram-v2"]
    lines += [
        f'{INDENT}state "{escape(state.label)}" as {_id(state.id)}' for state in diagram.states
    ]
    lines.append(f"{INDENT}[*] --> {_id(diagram.start)}")
    for arrow in diagram.arrows:
        text = "<br/>".join(escape(line) for line in _label_lines(arrow))
        target = _id(arrow.target)
        lines += [f"{INDENT}{_id(source)} --> {target} : {text}" for source in arrow.sources]
    lines += [f"{INDENT}{_id(state.id)} --> [*]" for state in diagram.states if state.final]
    return "\n".join(lines) + "\n"


def _id(state_id: str) -> str:
    return f"_{state_id}" if state_id in _RESERVED else state_id


def _label_lines(arrow: Arrow) -> list[str]:
    trigger = f"{TIMER} {arrow.trigger}" if arrow.kind == "timer" else arrow.trigger
    lines = [arrow.title, trigger]
    if arrow.condition is not None:
        lines.append(arrow.condition)
    return lines


def escape(text: str) -> str:
    """``text`` safe inside a Mermaid label: ASCII marks as entity codes, one line."""
    escaped = "".join(_escaped(character) for character in text)
    return _DIRECTION.sub(r"\1#32;", escaped)


def _escaped(character: str) -> str:
    if character.isspace():
        return " "  # a line break would end the statement
    if character in _PLAIN or not character.isascii():
        return character
    return f"#{ord(character)};"
