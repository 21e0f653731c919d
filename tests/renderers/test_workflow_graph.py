"""Pictures of workflows: well-formed, safe to inline under a strict CSP, readable, and
saying the same thing in SVG and in Mermaid."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from itertools import combinations
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.definitions.loader import parse_definition
from engine.definitions.models import Definition
from renderers.workflow_graph import mermaid, svg
from tests.renderers.conftest import DEFINITIONS, LANGUAGES, ROOT

SVG = "{http://www.w3.org/2000/svg}"
GOLDEN = ROOT / "tests" / "golden" / "graph"
CASES = [(procedure, language) for procedure in DEFINITIONS for language in LANGUAGES]
Rect = tuple[float, float, float, float]  # left, top, right, bottom

HOSTILE = """\
procedure: hostile-labels
version: 1
title: {ja: "記号<だらけ>&\\"手続\\"", en: "Symbols <b>&amp; \\"quotes\\""}
department: shimin
submitters: citizen
roles: [clerk, end]
pages:
  - id: request
    title: 請求内容
    fields:
      - {id: copies, type: integer, label: 通数}
workflow:
  start: state
  states:
    state: {label: {ja: "受付: \\"A\\" <script>alert(1)</script>", en: "Got it; 100% #1 & 'x'"}}
    note: {label: "%% not a comment --> [*] {curly} `tick`"}
    direction: {label: "a\\\\b <!-- c --> direction TB"}
    class: {label: {ja: 終了, en: Done}, final: true}
  transitions:
    - {action: go, label: "進む: \\"今\\"; <i onclick=x>#2</i>", from: state, to: note, by: clerk}
    - {action: back, label: "戻る ]]> &lt; redirection lr", from: note, to: state, by: applicant}
    - {action: stay, from: note, to: note, by: clerk}
    - {action: next, from: note, to: direction, auto: true, when: 'copies > 1 and copies != 3'}
    - action: finish
      from: direction
      to: class
      approvals: {from: [clerk, end], need: 1, reject_to: state}
    - {action: lapse, from: [state, direction], to: class, after: 2 weeks}
"""
HOSTILE_DEFINITION = parse_definition(HOSTILE).definition


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 -- our own output, parsed to be checked


def tree(definition: Definition, language: str) -> ET.Element:
    return parse(svg(definition, language))


def texts(root: ET.Element) -> list[str]:
    return ["".join(text.itertext()) for text in root.iter(f"{SVG}text")]


def rect_of(element: ET.Element) -> Rect:
    left, top = float(element.get("x", "0")), float(element.get("y", "0"))
    return (
        left,
        top,
        left + float(element.get("width", "0")),
        top + float(element.get("height", "0")),
    )


def boxes(root: ET.Element) -> dict[str, Rect]:
    """The outer rectangle of every state (by id) and transition label (by action)."""
    found: dict[str, Rect] = {}
    for group in root.iter(f"{SVG}g"):
        name = group.get("data-state") or group.get("data-action")
        outline = group.find(f"{SVG}rect")
        if name is not None and outline is not None:
            found[f"{group.get('class')} {name} {len(found)}"] = rect_of(outline)
    return found


def overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize(("procedure", "language"), CASES)
def test_every_state_and_transition_is_drawn(procedure: str, language: str) -> None:
    definition = DEFINITIONS[procedure]
    root = tree(definition, language)
    shown = texts(root)
    states = {group.get("data-state") for group in root.iter(f"{SVG}g")}
    actions = {group.get("data-action") for group in root.iter(f"{SVG}g")}
    for state_id, state in definition.workflow.states.items():
        assert state_id in states
        assert state.label.get(language) in shown
    for transition in definition.workflow.transitions:
        assert transition.action in actions
        title = transition.label.get(language) if transition.label else transition.action
        assert title in shown


@pytest.mark.parametrize(("procedure", "language"), CASES)
def test_the_picture_names_itself_for_screen_readers(procedure: str, language: str) -> None:
    definition = DEFINITIONS[procedure]
    root = tree(definition, language)
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None
    assert root.get("aria-labelledby") == title.get("id")
    assert definition.title.get(language) in "".join(title.itertext())
    description = root.find(f"{SVG}desc")
    assert description is not None
    assert root.get("aria-describedby") == description.get("id")
    assert len((description.text or "").splitlines()) >= len(definition.workflow.transitions)


def assert_inline_safe(markup: str) -> None:
    """Nothing a strict CSP (no inline script or style) would block, and no link out."""
    root = parse(markup)
    assert root.tag == f"{SVG}svg"
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert not tags & {"script", "style", "foreignObject", "a", "image", "use", "iframe"}
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name
            assert "href" not in name.lower(), name
            assert name != "style", "a style attribute is inline CSS"
            assert "url(" not in value
            assert "javascript:" not in value.lower()
    assert "<script" not in markup.lower()


@pytest.mark.parametrize(("procedure", "language"), CASES)
def test_the_svg_is_safe_to_inline(procedure: str, language: str) -> None:
    assert_inline_safe(svg(DEFINITIONS[procedure], language))


@pytest.mark.parametrize(("procedure", "language"), CASES)
def test_boxes_and_labels_do_not_overlap(procedure: str, language: str) -> None:
    root = tree(DEFINITIONS[procedure], language)
    found = boxes(root)
    clashes = [(a, b) for a, b in combinations(found, 2) if overlap(found[a], found[b])]
    assert clashes == []
    width, height = float(root.get("width", "0")), float(root.get("height", "0"))
    for left, top, right, bottom in found.values():
        assert 0 <= left <= right <= width
        assert 0 <= top <= bottom <= height


def assert_arrows_end_at_states(root: ET.Element) -> None:
    states = [rect for name, rect in boxes(root).items() if name.startswith("state ")]
    for polygon in root.iter(f"{SVG}polygon"):
        x, y = (float(number) for number in polygon.get("points", "").split()[0].split(","))
        assert any(
            left <= x <= right and (abs(y - top) < 0.1 or abs(y - bottom) < 0.1)
            for left, top, right, bottom in states
        ), f"an arrowhead at ({x}, {y}) points at no state"


@pytest.mark.parametrize(("procedure", "language"), CASES)
def test_every_arrow_ends_at_a_state(procedure: str, language: str) -> None:
    definition = DEFINITIONS[procedure]
    root = tree(definition, language)
    assert_arrows_end_at_states(root)
    transitions = definition.workflow.transitions
    rejections = [t for t in transitions if t.approvals and t.approvals.reject_to]
    arrowheads = len(list(root.iter(f"{SVG}polygon")))
    assert arrowheads == 1 + len(transitions) + len(rejections)  # and the start's


def test_the_start_state_and_final_states_are_marked(childcare: Definition) -> None:
    root = tree(childcare, "en")
    assert len(root.findall(f".//{SVG}circle[@class='start']")) == 1
    for group in root.iter(f"{SVG}g"):
        state_id = group.get("data-state")
        if state_id is not None:
            borders = len(group.findall(f"{SVG}rect"))
            assert borders == (2 if childcare.workflow.states[state_id].final else 1), state_id


def test_labels_say_who_takes_a_transition_and_when() -> None:
    shown = texts(tree(DEFINITIONS["restaurant-permit"], "en"))
    assert "votes: health_inspector + fire_inspector (all of them)" in shown
    assert "Record the inspection result (rejected)" in shown  # the vote's reject_to
    assert "after 30 days" in shown
    assert "applicant" in shown
    japanese = texts(tree(DEFINITIONS["restaurant-permit"], "ja"))
    assert "合議: health_inspector + fire_inspector（全員）" in japanese
    assert "30日経過後" in japanese
    assert "申請者" in japanese
    bulky = texts(tree(DEFINITIONS["bulky-waste"], "en"))
    assert "automatic" in bulky
    assert 'when collection_place != "other"' in bulky


@pytest.mark.parametrize("language", LANGUAGES)
def test_authors_text_is_escaped(language: str) -> None:
    markup = svg(HOSTILE_DEFINITION, language)
    assert_inline_safe(markup)
    shown = texts(parse(markup))
    for state in HOSTILE_DEFINITION.workflow.states.values():
        assert state.label.get(language) in shown
    assert '進む: "今"; <i onclick=x>#2</i>' in shown
    assert "<i onclick" not in markup


def test_the_svg_is_the_same_every_time(childcare: Definition) -> None:
    assert svg(childcare, "ja") == svg(childcare, "ja")


def test_the_mermaid_text_of_the_reference_procedure(childcare: Definition) -> None:
    output = mermaid(childcare, "ja")
    expected_file = GOLDEN / "childcare-enrollment.mmd"
    if os.environ.get("MADOGUCHI_UPDATE_GOLDEN"):
        expected_file.write_text(output, encoding="utf-8")
    assert output == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize(("procedure", "language"), CASES)
def test_mermaid_has_one_edge_per_state_and_action(procedure: str, language: str) -> None:
    definition = DEFINITIONS[procedure]
    lines = mermaid(definition, language).splitlines()
    assert lines[0] == "stateDiagram-v2"
    assert f"    [*] --> {definition.workflow.start}" in lines
    edges = [line for line in lines if " : " in line]
    expected = sum(
        len(t.from_) + (t.approvals is not None and t.approvals.reject_to is not None)
        for t in definition.workflow.transitions
    )
    assert len(edges) == expected
    finals = [state_id for state_id, state in definition.workflow.states.items() if state.final]
    assert [line for line in lines if line.endswith("--> [*]")] == [
        f"    {state_id} --> [*]" for state_id in finals
    ]


_ENTITY = re.compile(r"#(\d+);")
_SAFE_ASCII = re.compile(r"[A-Za-z0-9 _\-.,/()+!?]")


def decoded(text: str) -> str:
    return _ENTITY.sub(lambda match: chr(int(match[1])), text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_mermaid_escapes_what_mermaid_would_read(language: str) -> None:
    lines = mermaid(HOSTILE_DEFINITION, language).splitlines()
    statement = re.compile(
        r'    state "(?P<state>[^"]*)" as _?[a-z][a-z0-9_]*'
        r"|    (\[\*\]|_?[a-z][a-z0-9_]*) --> (\[\*\]|_?[a-z][a-z0-9_]*)( : (?P<edge>.*))?"
    )
    labels = []
    for line in lines[1:]:
        match = statement.fullmatch(line)
        assert match is not None, line
        labels += [text for text in (match["state"], match["edge"]) if text]
    for label in labels:
        plain = _ENTITY.sub("", label.replace("<br/>", ""))
        assert all(_SAFE_ASCII.fullmatch(c) or not c.isascii() for c in plain), label
        assert not re.search("direction\\s", plain, re.IGNORECASE), label  # Mermaid's LR/TB
    decoded_labels = [decoded(label) for label in labels]
    for state in HOSTILE_DEFINITION.workflow.states.values():
        assert state.label.get(language) in decoded_labels
    assert 'go : 進む: "今"; <i onclick=x>#2</i>' not in lines
    assert any(label.startswith('進む: "今"; <i onclick=x>#2</i><br/>') for label in decoded_labels)


def test_mermaid_renames_states_named_like_its_keywords() -> None:
    lines = mermaid(HOSTILE_DEFINITION, "en").splitlines()
    assert "    [*] --> _state" in lines
    assert "    _class --> [*]" in lines
    assert any(line.startswith("    _note --> _direction : ") for line in lines)


# Any workflow the language can express is drawn without overlaps, loops and all.
_STATE_IDS = [f"s{number}" for number in range(8)]
_LABEL = st.text(
    st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")), min_size=1, max_size=30
)


@st.composite
def workflows(draw: st.DrawFn) -> Definition:
    states = _STATE_IDS[: draw(st.integers(min_value=1, max_value=len(_STATE_IDS)))]
    transitions: list[dict[str, Any]] = []
    for number in range(draw(st.integers(min_value=0, max_value=10))):
        transition: dict[str, Any] = {
            "action": f"a{number}",
            "from": draw(st.lists(st.sampled_from(states), min_size=1, max_size=4, unique=True)),
            "to": draw(st.sampled_from(states)),
            "label": draw(_LABEL),
        }
        trigger = draw(st.sampled_from(["by", "after", "auto", "approvals"]))
        if trigger == "by":
            transition["by"] = draw(st.lists(st.sampled_from(["clerk", "applicant"]), min_size=1))
        elif trigger == "after":
            transition["after"] = "30 days"
        elif trigger == "auto":
            transition["auto"] = True
        else:
            transition["approvals"] = {
                "from": ["a", "b"],
                "reject_to": draw(st.sampled_from(states)),
            }
        transitions.append(transition)
    data = {
        "procedure": "random",
        "version": 1,
        "title": "手続",
        "department": "shimin",
        "submitters": "citizen",
        "pages": [
            {"id": "p", "title": "p", "fields": [{"id": "f", "type": "integer", "label": "f"}]}
        ],
        "workflow": {
            "start": draw(st.sampled_from(states)),
            "states": {
                state: {"label": draw(_LABEL), "final": draw(st.booleans())} for state in states
            },
            "transitions": transitions,
        },
    }
    return Definition.model_validate(data)


@settings(max_examples=60, deadline=None)
@given(workflows())
def test_any_workflow_is_drawn_without_overlaps(definition: Definition) -> None:
    markup = svg(definition, "ja")
    assert_inline_safe(markup)
    root = parse(markup)
    found = boxes(root)
    assert [(a, b) for a, b in combinations(found, 2) if overlap(found[a], found[b])] == []
    assert_arrows_end_at_states(root)
    assert mermaid(definition, "en").startswith("stateDiagram-v2\n")
