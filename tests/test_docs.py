"""The author's reference, docs/definition-language.md, tested like code.

It must name every field type and its keys, and every expression function, command and
model key the code defines. Its YAML examples must load: a complete procedure without
problems, a field snippet as a valid field, a fragment (`checks:`, `workflow:`, a list of
transitions) as what it stands for, an expression as a parsable expression. A block whose
first line starts with "# ✗" is a counter-example (what not to write) and is not loaded.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from engine.definitions.loader import parse_definition
from engine.definitions.models import (
    Approvals,
    Check,
    Definition,
    Document,
    Fee,
    Page,
    State,
    Transition,
    Workflow,
)
from engine.definitions.problems import DefinitionError
from engine.definitions.yaml_source import YamlProblem, read_yaml
from engine.expressions import Expression, ExpressionSyntaxError
from engine.expressions.functions import FUNCTIONS
from engine.fields import AnyField, FieldBase, field_types
from madoguchi.cli import _parser, main

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "definition-language.md"
TEXT = DOC.read_text(encoding="utf-8")
COUNTER_EXAMPLE = "# ✗"

_YAML_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)```yaml[ \t]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$",
    re.MULTILINE | re.DOTALL,
)


def _yaml_blocks() -> list[tuple[int, str]]:
    """(line in the doc, text) of every ```yaml block, indented ones included."""
    blocks = []
    for match in _YAML_FENCE.finditer(TEXT):
        indent = match["indent"]
        body = "".join(
            line.removeprefix(indent) for line in match["body"].splitlines(keepends=True)
        )
        blocks.append((TEXT.count("\n", 0, match.start()) + 1, body))
    return blocks


YAML_BLOCKS = [block for block in _yaml_blocks() if not block[1].startswith(COUNTER_EXAMPLE)]
PROCEDURES = [block for block in YAML_BLOCKS if block[1].startswith("procedure:")]


def _is_field(item: Any) -> bool:
    return isinstance(item, dict) and "type" in item and "id" in item


def _data(text: str) -> Any:
    try:
        return read_yaml(text)[0]
    except YamlProblem:
        return None  # reported by test_yaml_blocks_use_the_yaml_subset


def _items(data: Any) -> list[Any]:
    return data if isinstance(data, list) else [data]


# Field snippets: blocks that are a field, or a list of fields as under `fields:`.
FIELD_SNIPPETS = [
    (line, item)
    for line, text in YAML_BLOCKS
    if (items := _items(_data(text))) and all(_is_field(item) for item in items)
    for item in items
]
# Transition snippets: lists of mappings with an `action`, as under `transitions:`.
TRANSITION_SNIPPETS = [
    (line, item)
    for line, text in YAML_BLOCKS
    if isinstance(data := _data(text), list)
    and all(isinstance(item, dict) and "action" in item for item in data)
    for item in data
]
# Fragments of a definition: mappings of top-level keys (`checks:`, `workflow:` ...).
TOP_LEVEL_KEYS = {field.alias or name: name for name, field in Definition.model_fields.items()}
FRAGMENTS = [
    (line, key, value)
    for line, text in YAML_BLOCKS
    if not text.startswith("procedure:")
    and isinstance(data := _data(text), dict)
    and set(data) <= set(TOP_LEVEL_KEYS)
    for key, value in data.items()
]
# Expression examples: mappings of condition keys only.
CONDITION_KEYS = {"show_if", "required_if", "rule", "when"}
CONDITIONS = [
    (line, value)
    for line, text in YAML_BLOCKS
    if isinstance(data := _data(text), dict) and data and set(data) <= CONDITION_KEYS
    for value in data.values()
]


def _ids(blocks: list[tuple[int, Any]]) -> list[str]:
    return [f"line {line}" for line, _ in blocks]


def test_the_doc_has_examples() -> None:
    assert len(PROCEDURES) >= 2
    assert len(FIELD_SNIPPETS) >= len(field_types.names())
    assert TRANSITION_SNIPPETS
    assert {key for _, key, _ in FRAGMENTS} >= {"pages", "checks", "workflow", "documents"}
    assert CONDITIONS


@pytest.mark.parametrize("name", field_types.names())
def test_every_field_type_has_a_section(name: str) -> None:
    assert f"\n### `{name}`\n" in TEXT, f"no '### `{name}`' heading for the field type"


def _section(heading: str) -> str:
    """The text under ``heading`` up to the next heading of the same or a higher level."""
    level = heading.split(" ", 1)[0]
    start = TEXT.index(f"\n{heading}\n") + len(heading) + 2
    ends = [
        match.start()
        for match in re.finditer(r"^(#+) ", TEXT[start:], re.MULTILINE)
        if len(match[1]) <= len(level)
    ]
    return TEXT[start : start + ends[0]] if ends else TEXT[start:]


COMMON_KEYS = set(FieldBase.model_fields)


def test_common_field_keys_are_documented() -> None:
    section = _section("### Keys every field has")
    missing = [key for key in sorted(COMMON_KEYS | {"type"}) if f"`{key}`" not in section]
    assert not missing, f"common field keys missing from the table: {missing}"


@pytest.mark.parametrize("name", field_types.names())
def test_every_field_key_is_documented(name: str) -> None:
    cls = field_types.get(name)
    assert cls is not None
    section = _section(f"### `{name}`")
    own = [key for key in cls.model_fields if key not in COMMON_KEYS | {"type"}]
    missing = [key for key in own if f"`{key}`" not in section]
    assert not missing, f"keys of `{name}` missing from its section: {missing}"


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_is_documented(name: str) -> None:
    assert f"`{name}(" in TEXT, f"the function {name} is not named as `{name}(...)`"


def _subcommands() -> list[str]:
    actions = _parser()._actions  # argparse keeps its subparsers here
    commands = [a for a in actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(name for action in commands for name in action.choices)


@pytest.mark.parametrize("name", _subcommands())
def test_every_command_is_documented(name: str) -> None:
    assert f"`madoguchi {name}`" in TEXT
    assert re.search(rf"^#+ .*`madoguchi {name}`", TEXT, re.MULTILINE), "no heading"


_MERMAID_FENCE = re.compile(r"^```mermaid\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
# The command that drew the doc's Mermaid block; regenerate the block with it.
MERMAID_COMMAND = ["graph", "childcare-enrollment", "--format", "mermaid", "--language", "en"]


def test_the_workflow_picture_is_what_madoguchi_graph_draws(
    capsys: pytest.CaptureFixture[str],
) -> None:
    blocks = [match["body"] for match in _MERMAID_FENCE.finditer(TEXT)]
    assert len(blocks) == 1
    assert f"`madoguchi {' '.join(MERMAID_COMMAND)}`" in TEXT
    assert main([*MERMAID_COMMAND, "--forms", str(ROOT / "forms")]) == 0
    assert blocks[0] == capsys.readouterr().out, "paste the command's output into the doc"


def test_the_workflow_screenshot_exists() -> None:
    assert "(screenshots/workflow-childcare.png)" in TEXT
    assert (DOC.parent / "screenshots" / "workflow-childcare.png").is_file()


MODELS: list[type[BaseModel]] = [
    Definition,
    Page,
    Check,
    Workflow,
    State,
    Transition,
    Approvals,
    Document,
    Fee,
]


@pytest.mark.parametrize(
    ("model", "key"),
    [
        (model, field.alias or name)
        for model in MODELS
        for name, field in model.model_fields.items()
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else value,
)
def test_every_key_is_documented(model: type[BaseModel], key: str) -> None:
    assert f"`{key}`" in TEXT, f"{model.__name__}.{key} is not documented"


@pytest.mark.parametrize(("line", "text"), YAML_BLOCKS, ids=_ids(YAML_BLOCKS))
def test_yaml_blocks_use_the_yaml_subset(line: int, text: str) -> None:
    try:
        read_yaml(text)
    except YamlProblem as problem:
        pytest.fail(f"docs line {line + problem.line}: {problem.message}")


@pytest.mark.parametrize(("line", "text"), PROCEDURES, ids=_ids(PROCEDURES))
def test_complete_procedures_load(line: int, text: str) -> None:
    try:
        parse_definition(text, file=f"{DOC.name} block at line {line}")
    except DefinitionError as error:
        pytest.fail(str(error))


_FIELD = TypeAdapter(AnyField)


@pytest.mark.parametrize(("line", "data"), FIELD_SNIPPETS, ids=_ids(FIELD_SNIPPETS))
def test_field_snippets_are_valid_fields(line: int, data: dict[str, Any]) -> None:
    try:
        _FIELD.validate_python(data)
    except ValidationError as error:
        pytest.fail(f"field '{data['id']}' in the block at line {line}: {error}")


@pytest.mark.parametrize(("line", "data"), TRANSITION_SNIPPETS, ids=_ids(TRANSITION_SNIPPETS))
def test_transition_snippets_are_valid(line: int, data: dict[str, Any]) -> None:
    try:
        Transition.model_validate(data)
    except ValidationError as error:
        pytest.fail(f"transition '{data['action']}' in the block at line {line}: {error}")


@pytest.mark.parametrize(
    ("line", "key", "value"), FRAGMENTS, ids=[f"line {line} {key}" for line, key, _ in FRAGMENTS]
)
def test_fragments_are_valid(line: int, key: str, value: Any) -> None:
    annotation = Definition.model_fields[TOP_LEVEL_KEYS[key]].annotation
    assert annotation is not None
    try:
        TypeAdapter(annotation).validate_python(value)
    except ValidationError as error:
        pytest.fail(f"`{key}` in the block at line {line}: {error}")


@pytest.mark.parametrize(("line", "source"), CONDITIONS, ids=_ids(CONDITIONS))
def test_expression_examples_parse(line: int, source: str) -> None:
    try:
        Expression.parse(source)
    except ExpressionSyntaxError as error:
        pytest.fail(f"{source!r} in the block at line {line}: {error}")


def test_every_field_type_has_an_example() -> None:
    shown = {data["type"] for _, data in FIELD_SNIPPETS}
    assert set(field_types.names()) <= shown
