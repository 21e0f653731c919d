"""Which layer each state and each transition label of the picture goes in.

States are ranked by the longest way to them from the start, ignoring the transitions
that lead back (found by a depth-first walk in the order the author wrote them), so the
picture reads from top to bottom in the order a submission usually moves. Each state gets
an even layer; a transition's label the odd layer just past the states it is taken in.
"""

from __future__ import annotations

from collections.abc import Iterable

from renderers.workflow_graph.diagram import Arrow, Diagram


def layers(diagram: Diagram) -> tuple[dict[str, int], list[int]]:
    """The layer of each state, and of each arrow's label (in the diagram's order)."""
    rank = state_ranks(diagram)
    state_layers = {state: 2 * value for state, value in rank.items()}
    return state_layers, [_label_layer(arrow, rank) for arrow in diagram.arrows]


def state_ranks(diagram: Diagram) -> dict[str, int]:
    successors: dict[str, list[str]] = {state.id: [] for state in diagram.states}
    for arrow in diagram.arrows:
        for source in arrow.sources:
            successors[source].append(arrow.target)
    forward = _without_back_edges(successors, [diagram.start, *successors])
    rank: dict[str, int] = {}
    for state in _topological(forward, [diagram.start, *successors]):
        rank.setdefault(state, 0)
        for successor in forward[state]:
            rank[successor] = max(rank.get(successor, 0), rank[state] + 1)
    return rank


def _label_layer(arrow: Arrow, rank: dict[str, int]) -> int:
    sources = [rank[source] for source in arrow.sources]
    target = rank[arrow.target]
    if all(source < target for source in sources):
        return 2 * max(sources) + 1  # just below the lowest state it is taken in
    if all(source > target for source in sources):
        return 2 * min(sources) - 1  # leading back up: just above the highest
    return 2 * target + 1  # a loop to the same state, or from above and below


def _without_back_edges(
    successors: dict[str, list[str]], roots: Iterable[str]
) -> dict[str, list[str]]:
    """The graph without the edges that lead to a state still being walked from."""
    forward: dict[str, list[str]] = {state: [] for state in successors}
    walking: set[str] = set()
    done: set[str] = set()
    for root in roots:
        if root in done:
            continue
        stack = [(root, iter(successors[root]))]
        walking.add(root)
        while stack:
            state, following = stack[-1]
            successor = next(following, None)
            if successor is None:
                stack.pop()
                walking.discard(state)
                done.add(state)
            elif successor not in walking:
                forward[state].append(successor)
                if successor not in done:
                    walking.add(successor)
                    stack.append((successor, iter(successors[successor])))
    return forward


def _topological(forward: dict[str, list[str]], roots: Iterable[str]) -> list[str]:
    """States so that each comes before those it leads to (``forward`` has no cycle)."""
    finished: list[str] = []
    seen: set[str] = set()
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(forward[root]))]
        while stack:
            state, following = stack[-1]
            successor = next(following, None)
            if successor is None:
                stack.pop()
                finished.append(state)
            elif successor not in seen:
                seen.add(successor)
                stack.append((successor, iter(forward[successor])))
    return finished[::-1]
