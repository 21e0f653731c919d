"""The workflow as a self-contained SVG picture, safe to inline in a page.

States are rounded boxes (a final state has a double border; a dot and an arrow mark the
start). Each transition is a label between its states: lines come in from every state it
may be taken in, and one arrow leads on to the state it goes to. The markup has no script,
no style element, no event handler and no link, only presentation attributes, so a strict
Content-Security-Policy lets it through; ElementTree escapes every text the author wrote.
Groups carry ``data-state`` and ``data-action`` for a page's stylesheet to highlight.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Hashable
from typing import Final

from engine.definitions.models import Definition
from renderers.workflow_graph.diagram import Arrow, ArrowKind, Diagram, build_diagram
from renderers.workflow_graph.layout import Box, Point, Route, layered
from renderers.workflow_graph.ranks import layers
from renderers.workflow_graph.text_width import text_width

FONT = "'Hiragino Sans', 'Noto Sans CJK JP', 'Yu Gothic', Meiryo, system-ui, sans-serif"
STATE_FONT_SIZE = 14.0
TITLE_FONT_SIZE = 12.0
DETAIL_FONT_SIZE = 11.0
STATE_PADDING = 14.0
STATE_HEIGHT = 36.0
LABEL_LINE_HEIGHT = 15.0
LABEL_PADDING = 3.0
CLOCK_RADIUS = 4.5  # the timer's clock, drawn: a font may have no ⏱
START_RADIUS = 6.0
MARGIN = 12.0
ARROW_LENGTH = 8.0
ARROW_HALF_WIDTH = 4.0
FINAL_INSET = 3.0  # the gap between a final state's two borders

INK = "#1f2933"
DETAIL_INK = "#52606d"
STATE_FILL = "#f4f7fb"
STATE_STROKE = "#3e5c76"
# The line says how a transition is taken: by people solid, a vote's rejection in red
# dashes, by a timer or by itself in grey dashes (the label says it in words too).
EDGE_STYLE: Final[dict[ArrowKind, tuple[str, str | None]]] = {
    "person": ("#3e4c59", None),
    "votes": ("#3e4c59", None),
    "rejected": ("#a61b1b", "6 3"),
    "timer": ("#7b8794", "4 3"),
    "auto": ("#7b8794", "4 3"),
}

_START: Final = ("start",)
Node = tuple[str, ...]


def svg(definition: Definition, language: str) -> str:
    """``definition``'s workflow as an ``<svg>`` element in ``language`` ("ja" or "en")."""
    return _render(build_diagram(definition, language))


def _render(diagram: Diagram) -> str:
    sizes: dict[Hashable, tuple[float, float]] = {_START: (2 * START_RADIUS, 2 * START_RADIUS)}
    state_layers, label_layers = layers(diagram)
    where: dict[Hashable, int] = {_START: -1}
    for state in diagram.states:
        width = text_width(state.label, STATE_FONT_SIZE) + 2 * STATE_PADDING
        sizes[_state_node(state.id)] = (width, STATE_HEIGHT)
        where[_state_node(state.id)] = state_layers[state.id]
    for index, arrow in enumerate(diagram.arrows):
        sizes[_label_node(index)] = _label_size(arrow)
        where[_label_node(index)] = label_layers[index]
    edges = _edges(diagram)
    drawing = layered(sizes, where, [(tail, head) for tail, head, _ in edges])

    root = _svg_root(diagram, drawing.width + 2 * MARGIN, drawing.height + 2 * MARGIN)
    canvas = ET.SubElement(root, "g", transform=f"translate({MARGIN:g} {MARGIN:g})")
    lines = ET.SubElement(canvas, "g", {"fill": "none", "stroke-width": "1.5"})
    for (_, head, kind), route in zip(edges, drawing.routes, strict=True):
        _line(lines, route, kind, arrowhead=head[0] != "label")
    box = drawing.boxes[_START]
    start = {"class": "start", "cx": _n(box.x), "cy": _n(box.y), "r": _n(START_RADIUS), "fill": INK}
    ET.SubElement(canvas, "circle", start)
    for index, arrow in enumerate(diagram.arrows):
        _label(canvas, arrow, drawing.boxes[_label_node(index)])
    for state in diagram.states:
        _state(canvas, state.id, state.label, drawing.boxes[_state_node(state.id)], state.final)
    return ET.tostring(root, encoding="unicode")


def _state_node(state_id: str) -> Node:
    return ("state", state_id)


def _label_node(index: int) -> Node:
    return ("label", str(index))


def _edges(diagram: Diagram) -> list[tuple[Node, Node, ArrowKind]]:
    """(tail, head, kind) of every line: the start's, then into and out of each label."""
    edges: list[tuple[Node, Node, ArrowKind]] = [(_START, _state_node(diagram.start), "person")]
    for index, arrow in enumerate(diagram.arrows):
        label = _label_node(index)
        edges += [(_state_node(source), label, arrow.kind) for source in arrow.sources]
        edges.append((label, _state_node(arrow.target), arrow.kind))
    return edges


def _svg_root(diagram: Diagram, width: float, height: float) -> ET.Element:
    # Unique per procedure, so that several pictures can share a page.
    title_id = f"workflow-{diagram.procedure}-title"
    desc_id = f"workflow-{diagram.procedure}-desc"
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "role": "img",
            "aria-labelledby": title_id,
            "aria-describedby": desc_id,
            "width": f"{width:.0f}",
            "height": f"{height:.0f}",
            "viewBox": f"0 0 {width:.0f} {height:.0f}",
            "font-family": FONT,
            "fill": INK,
        },
    )
    ET.SubElement(root, "title", id=title_id).text = diagram.title
    ET.SubElement(root, "desc", id=desc_id).text = _description(diagram)
    return root


def _description(diagram: Diagram) -> str:
    """The picture in words, for screen readers: one line per arrow."""
    lines = []
    for arrow in diagram.arrows:
        sources = ", ".join(diagram.state(source).label for source in arrow.sources)
        target = diagram.state(arrow.target).label
        lines.append(f"{sources} → {target}: {arrow.title} ({arrow.trigger})")
    return "\n".join(lines)


def _label_lines(arrow: Arrow) -> list[tuple[str, float]]:
    """(text, font size) of each line of a transition's label; the first is its title."""
    lines = [(arrow.title, TITLE_FONT_SIZE), (arrow.trigger, DETAIL_FONT_SIZE)]
    if arrow.condition is not None:
        lines.append((arrow.condition, DETAIL_FONT_SIZE))
    return lines


def _label_size(arrow: Arrow) -> tuple[float, float]:
    widths = [text_width(text, size) for text, size in _label_lines(arrow)]
    if arrow.kind == "timer":
        widths[1] += 3 * CLOCK_RADIUS
    return max(widths) + 2 * LABEL_PADDING, len(widths) * LABEL_LINE_HEIGHT + 2 * LABEL_PADDING


def _line(parent: ET.Element, route: Route, kind: ArrowKind, *, arrowhead: bool) -> None:
    points = list(route.points)
    tip_index = 0 if route.upward else -1
    tip = points[tip_index]
    if arrowhead:  # the line stops where the arrowhead starts
        direction = 1 if route.upward else -1
        points[tip_index] = (tip[0], tip[1] + direction * (ARROW_LENGTH - 1))
    colour, dashes = EDGE_STYLE[kind]
    attributes = {"d": _path(points), "stroke": colour}
    if dashes is not None:
        attributes["stroke-dasharray"] = dashes
    ET.SubElement(parent, "path", attributes)
    if arrowhead:
        back = tip[1] + (ARROW_LENGTH if route.upward else -ARROW_LENGTH)
        corners = [tip, (tip[0] - ARROW_HALF_WIDTH, back), (tip[0] + ARROW_HALF_WIDTH, back)]
        outline = " ".join(f"{_n(x)},{_n(y)}" for x, y in corners)
        ET.SubElement(parent, "polygon", points=outline, fill=colour, stroke="none")


def _path(points: list[Point]) -> str:
    """Curves across the gaps between layers (vertical where they meet a node), straight
    lines through the layers."""
    commands = [f"M{_n(points[0][0])},{_n(points[0][1])}"]
    for index in range(1, len(points)):
        (x0, y0), (x1, y1) = points[index - 1], points[index]
        if index % 2:
            middle = (y0 + y1) / 2
            commands.append(f"C{_n(x0)},{_n(middle)} {_n(x1)},{_n(middle)} {_n(x1)},{_n(y1)}")
        else:
            commands.append(f"L{_n(x1)},{_n(y1)}")
    return " ".join(commands)


def _label(parent: ET.Element, arrow: Arrow, box: Box) -> None:
    group = ET.SubElement(parent, "g", {"class": "transition", "data-action": arrow.action})
    ET.SubElement(group, "title").text = arrow.action
    ET.SubElement(
        group,
        "rect",
        {**_rect(box), "rx": "3", "fill": "#ffffff", "fill-opacity": "0.85"},
    )
    baseline = box.top + LABEL_PADDING
    for number, (text, size) in enumerate(_label_lines(arrow)):
        baseline += LABEL_LINE_HEIGHT
        y = baseline - 0.3 * LABEL_LINE_HEIGHT
        line = ET.SubElement(group, "text", {"x": _n(box.x), "y": _n(y), "font-size": _n(size)})
        line.set("text-anchor", "middle")
        if number == 1 and arrow.kind == "timer":
            # The clock and the words side by side, centred together as well as an
            # estimated width allows: the words start right after the clock.
            left = box.x - (text_width(text, size) + 3 * CLOCK_RADIUS) / 2
            _clock(group, (left + CLOCK_RADIUS, y - 0.35 * size))
            line.set("x", _n(left + 3 * CLOCK_RADIUS))
            line.set("text-anchor", "start")
        if number == 0:
            line.set("font-weight", "bold")
        else:
            line.set("fill", DETAIL_INK)
        line.text = text


def _clock(parent: ET.Element, centre: Point) -> None:
    x, y = centre
    clock = ET.SubElement(parent, "g", {"fill": "none", "stroke": DETAIL_INK, "stroke-width": "1"})
    ET.SubElement(clock, "circle", cx=_n(x), cy=_n(y), r=_n(CLOCK_RADIUS))
    hands = f"M{_n(x)},{_n(y - CLOCK_RADIUS + 1.5)} L{_n(x)},{_n(y)} L{_n(x + 2.5)},{_n(y)}"
    ET.SubElement(clock, "path", d=hands)


def _state(parent: ET.Element, state_id: str, label: str, box: Box, final: bool) -> None:
    group = ET.SubElement(parent, "g", {"class": "state", "data-state": state_id})
    ET.SubElement(group, "title").text = state_id
    outline = {"rx": "8", "fill": STATE_FILL, "stroke": STATE_STROKE, "stroke-width": "1.5"}
    ET.SubElement(group, "rect", {**_rect(box), **outline})
    if final:
        inner = Box(box.x, box.y, box.width - 2 * FINAL_INSET, box.height - 2 * FINAL_INSET)
        ET.SubElement(
            group, "rect", {**_rect(inner), "rx": "6", "fill": "none", "stroke": STATE_STROKE}
        )
    text = ET.SubElement(
        group,
        "text",
        {"x": _n(box.x), "y": _n(box.y + 0.35 * STATE_FONT_SIZE), "font-size": _n(STATE_FONT_SIZE)},
    )
    text.set("text-anchor", "middle")
    text.text = label


def _rect(box: Box) -> dict[str, str]:
    return {"x": _n(box.left), "y": _n(box.top), "width": _n(box.width), "height": _n(box.height)}


def _n(value: float) -> str:
    """A coordinate, short: 12.5, 12, -3.2."""
    return f"{round(value, 1) + 0.0:.1f}".removesuffix(".0")  # + 0.0: no "-0"
