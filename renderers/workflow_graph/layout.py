"""A layered drawing of a graph whose nodes already have their layers, top to bottom.

The Sugiyama steps after layering: long edges get a dummy node in every layer they cross;
barycentre sweeps order each layer to reduce crossings; each layer is then placed as close
as it can be to its neighbours' positions without overlapping (pool-adjacent-violators,
the least-squares answer under "in this order, this far apart"). Edges leave a node from
its bottom and enter from its top, on ports spread along the side, and cross a layer as a
vertical line beside the nodes there, never through them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

Point = tuple[float, float]

LAYER_GAP = 30.0  # vertical space between layers, where edges bend
NODE_GAP = 28.0  # horizontal space between two nodes of a layer
LINE_GAP = 10.0  # horizontal space beside an edge that crosses a layer
PORT_SPACING = 14.0  # between edges on the same side of a node
ORDER_SWEEPS = 12
PLACE_SWEEPS = 12
# A long edge pulls its dummies straight harder than a short edge pulls its nodes.
WEIGHT_REAL, WEIGHT_MIXED, WEIGHT_DUMMIES = 1.0, 2.0, 8.0


@dataclass(frozen=True)
class Box:
    """A node's place: its centre and size."""

    x: float
    y: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.y - self.height / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height / 2

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def right(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Route:
    """An edge's way from the upper node's bottom to the lower node's top.

    ``points`` alternate: a bend across a gap between layers (a curve, vertical at both
    ends) and a straight run down through a layer, so there is an even number of them.
    ``upward``: the edge's head is its first point, not its last.
    """

    points: tuple[Point, ...]
    upward: bool


@dataclass(frozen=True)
class Drawing:
    boxes: dict[Hashable, Box]
    routes: list[Route]  # one per edge, in the order given
    width: float
    height: float


@dataclass(frozen=True, eq=False)  # each is one of a kind: hashed by identity, cheaply
class _Dummy:
    edge: int
    layer: int


@dataclass(frozen=True)
class _Chain:
    """An edge as the layout sees it: top to bottom, a dummy in each layer it crosses."""

    upper: Hashable
    dummies: tuple[_Dummy, ...]
    lower: Hashable
    upward: bool  # the edge's head is its upper end

    @property
    def nodes(self) -> list[Hashable]:
        return [self.upper, *self.dummies, self.lower]


def layered(
    sizes: Mapping[Hashable, tuple[float, float]],
    layers: Mapping[Hashable, int],
    edges: Sequence[tuple[Hashable, Hashable]],
) -> Drawing:
    """Draw ``edges`` between nodes of the given ``sizes`` placed in the given ``layers``.

    An edge may point up or down, across any number of layers, but not within one. Nodes
    start in the order ``sizes`` lists them. The drawing's top left corner is (0, 0).
    """
    used = sorted(set(layers.values()))  # layers without a node take no room
    row_of = {key: used.index(layers[key]) for key in sizes}
    chains = [_chain(index, tail, head, row_of) for index, (tail, head) in enumerate(edges)]
    width_of: dict[Hashable, float] = {key: size[0] for key, size in sizes.items()}
    order: list[list[Hashable]] = [[] for _ in used]
    for key in sizes:
        order[row_of[key]].append(key)
    for chain in chains:
        for dummy in chain.dummies:
            order[dummy.layer].append(dummy)
            width_of[dummy] = 0.0
    above, below = _neighbours(chains)
    order = _reduce_crossings(order, above, below)
    xs = _place(order, width_of, above, below)
    heights = [max((sizes[key][1] for key in row if key in sizes), default=0.0) for row in order]
    tops = [sum(heights[:row]) + row * LAYER_GAP for row in range(len(order))]
    rows = list(zip(tops, heights, strict=True))  # (top, height) of each layer
    boxes = {
        key: Box(xs[key], tops[row_of[key]] + heights[row_of[key]] / 2, *sizes[key])
        for key in sizes
    }
    routes = _routes(chains, boxes, xs, rows)
    return Drawing(boxes, routes, _width(boxes, routes), tops[-1] + heights[-1] if tops else 0.0)


def _chain(index: int, tail: Hashable, head: Hashable, row_of: Mapping[Hashable, int]) -> _Chain:
    upward = row_of[tail] > row_of[head]
    upper, lower = (head, tail) if upward else (tail, head)
    if row_of[upper] == row_of[lower]:
        raise ValueError(f"an edge within one layer: {tail!r} → {head!r}")
    dummies = tuple(_Dummy(index, row) for row in range(row_of[upper] + 1, row_of[lower]))
    return _Chain(upper, dummies, lower, upward)


def _neighbours(
    chains: list[_Chain],
) -> tuple[dict[Hashable, list[Hashable]], dict[Hashable, list[Hashable]]]:
    above: dict[Hashable, list[Hashable]] = {}
    below: dict[Hashable, list[Hashable]] = {}
    for chain in chains:
        for upper, lower in pairwise(chain.nodes):
            below.setdefault(upper, []).append(lower)
            above.setdefault(lower, []).append(upper)
    return above, below


def _reduce_crossings(
    order: list[list[Hashable]],
    above: Mapping[Hashable, list[Hashable]],
    below: Mapping[Hashable, list[Hashable]],
) -> list[list[Hashable]]:
    best, fewest = [list(row) for row in order], _crossings(order, below)
    current = [list(row) for row in order]
    for _ in range(ORDER_SWEEPS):
        for row in range(1, len(current)):
            current[row] = _by_barycentre(current[row], current[row - 1], above)
        for row in range(len(current) - 2, -1, -1):
            current[row] = _by_barycentre(current[row], current[row + 1], below)
        count = _crossings(current, below)
        if count < fewest:
            best, fewest = [list(row) for row in current], count
        if fewest == 0:
            break
    return best


def _by_barycentre(
    row: list[Hashable], fixed: list[Hashable], neighbours: Mapping[Hashable, list[Hashable]]
) -> list[Hashable]:
    """``row`` sorted by the mean position of each node's neighbours in ``fixed``; a node
    without neighbours there keeps its place (the sort is stable)."""
    position = {key: index for index, key in enumerate(fixed)}
    keys: dict[Hashable, float] = {}
    for index, key in enumerate(row):
        linked = [position[other] for other in neighbours.get(key, ()) if other in position]
        keys[key] = sum(linked) / len(linked) * len(row) / max(len(fixed), 1) if linked else index
    return sorted(row, key=keys.__getitem__)


def _crossings(order: list[list[Hashable]], below: Mapping[Hashable, list[Hashable]]) -> int:
    total = 0
    for upper, lower in pairwise(order):
        position = {key: index for index, key in enumerate(lower)}
        ends = sorted(
            (index, position[other])
            for index, key in enumerate(upper)
            for other in below.get(key, ())
        )
        total += _inversions([end for _, end in ends], len(lower))
    return total


def _inversions(values: list[int], size: int) -> int:
    """Pairs i < j with values[i] > values[j], counted with a Fenwick tree."""
    tree = [0] * (size + 1)
    count = 0
    for seen, value in enumerate(values):
        index, not_greater = value + 1, 0
        while index > 0:
            not_greater += tree[index]
            index -= index & -index
        count += seen - not_greater
        index = value + 1
        while index <= size:
            tree[index] += 1
            index += index & -index
    return count


def _place(
    order: list[list[Hashable]],
    width_of: Mapping[Hashable, float],
    above: Mapping[Hashable, list[Hashable]],
    below: Mapping[Hashable, list[Hashable]],
) -> dict[Hashable, float]:
    xs: dict[Hashable, float] = {}
    for row in order:
        xs.update(_packed(row, width_of))
    for _ in range(PLACE_SWEEPS):
        for row in order[1:]:
            xs.update(_settled(row, width_of, xs, [above]))
        for row in reversed(order[:-1]):
            xs.update(_settled(row, width_of, xs, [below]))
    for row in order:
        xs.update(_settled(row, width_of, xs, [above, below]))
    left = min((xs[key] - width_of[key] / 2 for key in xs), default=0.0)
    return {key: x - left for key, x in xs.items()}


def _gap(left: Hashable, right: Hashable, width_of: Mapping[Hashable, float]) -> float:
    space = LINE_GAP if isinstance(left, _Dummy) or isinstance(right, _Dummy) else NODE_GAP
    return (width_of[left] + width_of[right]) / 2 + space


def _packed(row: list[Hashable], width_of: Mapping[Hashable, float]) -> dict[Hashable, float]:
    xs, x = {}, 0.0
    for index, key in enumerate(row):
        x += _gap(row[index - 1], key, width_of) if index else width_of[key] / 2
        xs[key] = x
    return xs


def _settled(
    row: list[Hashable],
    width_of: Mapping[Hashable, float],
    xs: Mapping[Hashable, float],
    sides: list[Mapping[Hashable, list[Hashable]]],
) -> dict[Hashable, float]:
    """The row's x as near as it can be to the weighted mean of its neighbours' x."""
    wanted, weights = [], []
    for key in row:
        pulls = [(xs[other], _weight(key, other)) for side in sides for other in side.get(key, ())]
        total = sum(weight for _, weight in pulls)
        wanted.append(sum(x * w for x, w in pulls) / total if pulls else xs[key])
        weights.append(total if pulls else 0.1)  # a node with no pull stays put, weakly
    offsets = [0.0]
    for left, right in pairwise(row):
        offsets.append(offsets[-1] + _gap(left, right, width_of))
    shifted = _isotonic([x - offset for x, offset in zip(wanted, offsets, strict=True)], weights)
    return {key: y + offset for key, y, offset in zip(row, shifted, offsets, strict=True)}


def _weight(key: Hashable, other: Hashable) -> float:
    dummies = isinstance(key, _Dummy) + isinstance(other, _Dummy)
    return (WEIGHT_REAL, WEIGHT_MIXED, WEIGHT_DUMMIES)[dummies]


def _isotonic(values: list[float], weights: list[float]) -> list[float]:
    """The non-decreasing sequence nearest ``values`` in weighted least squares (PAV)."""
    blocks: list[list[float]] = []  # [mean, weight, count]
    for value, weight in zip(values, weights, strict=True):
        blocks.append([value, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, total, count = blocks.pop()
            previous = blocks[-1]
            merged = previous[1] + total
            previous[0] = (previous[0] * previous[1] + mean * total) / merged
            previous[1] = merged
            previous[2] += count
    return [mean for mean, _, count in blocks for _ in range(int(count))]


def _routes(
    chains: list[_Chain],
    boxes: Mapping[Hashable, Box],
    xs: Mapping[Hashable, float],
    rows: list[tuple[float, float]],
) -> list[Route]:
    bottom_ports = _ports(chains, boxes, xs, at_bottom=True)
    top_ports = _ports(chains, boxes, xs, at_bottom=False)
    routes = []
    for index, chain in enumerate(chains):
        points: list[Point] = [(bottom_ports[index], boxes[chain.upper].bottom)]
        for dummy in chain.dummies:
            top, height = rows[dummy.layer]
            points += [(xs[dummy], top), (xs[dummy], top + height)]
        points.append((top_ports[index], boxes[chain.lower].top))
        routes.append(Route(tuple(points), chain.upward))
    return routes


def _ports(
    chains: list[_Chain],
    boxes: Mapping[Hashable, Box],
    xs: Mapping[Hashable, float],
    *,
    at_bottom: bool,
) -> dict[int, float]:
    """Where each edge meets its node's bottom (or top): spread along the side, in the
    order of where the edges go, so that they do not cross at the node."""
    sides: dict[Hashable, list[tuple[float, int]]] = {}
    for index, chain in enumerate(chains):
        nodes = chain.nodes
        node, next_node = (nodes[0], nodes[1]) if at_bottom else (nodes[-1], nodes[-2])
        sides.setdefault(node, []).append((xs[next_node], index))
    ports = {}
    for node, ends in sides.items():
        box = boxes[node]
        spacing = min(PORT_SPACING, box.width * 0.8 / len(ends))
        for rank, (_, index) in enumerate(sorted(ends)):
            ports[index] = box.x + (rank - (len(ends) - 1) / 2) * spacing
    return ports


def _width(boxes: Mapping[Hashable, Box], routes: list[Route]) -> float:
    right = max((box.right for box in boxes.values()), default=0.0)
    return max([right, *(x for route in routes for x, _ in route.points)])
