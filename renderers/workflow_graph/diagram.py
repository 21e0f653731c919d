"""A workflow as a picture sees it: boxes for states, labelled arrows for transitions.

Both drawings (Mermaid and SVG) are made from this one model, so they say the same thing
in the same words. The portal's own words come from its gettext catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from engine.definitions.models import APPLICANT, Approvals, Definition, Transition
from renderers.html.i18n import translations

# person: `by`; votes: `approvals`; rejected: a vote's `reject_to`; timer: `after`; auto.
ArrowKind = Literal["person", "votes", "rejected", "timer", "auto"]


@dataclass(frozen=True)
class StateBox:
    id: str
    label: str
    final: bool


@dataclass(frozen=True)
class Arrow:
    """One transition into one state, from every state it may be taken in."""

    action: str
    sources: tuple[str, ...]
    target: str
    kind: ArrowKind
    title: str  # the transition's label, or its action name
    trigger: str  # who or what takes it: roles, votes, a timer, "automatic"
    condition: str | None  # its `when`, as written


@dataclass(frozen=True)
class Diagram:
    procedure: str
    title: str
    start: str
    states: tuple[StateBox, ...]
    arrows: tuple[Arrow, ...]

    def state(self, state_id: str) -> StateBox:
        return next(state for state in self.states if state.id == state_id)


def build_diagram(definition: Definition, language: str) -> Diagram:
    """The picture of ``definition``'s workflow in ``language`` ("ja" or "en")."""
    gettext = translations(language).gettext
    workflow = definition.workflow
    states = tuple(
        StateBox(state_id, state.label.get(language), state.final)
        for state_id, state in workflow.states.items()
    )
    arrows: list[Arrow] = []
    for transition in workflow.transitions:
        arrows.append(_arrow(transition, language, gettext))
        approvals = transition.approvals
        if approvals is not None and approvals.reject_to is not None:
            arrows.append(_rejection(transition, approvals, approvals.reject_to, language, gettext))
    title = gettext("Workflow: %(procedure)s") % {"procedure": definition.title.get(language)}
    return Diagram(definition.procedure, title, workflow.start, states, tuple(arrows))


def _arrow(transition: Transition, language: str, gettext: Callable[[str], str]) -> Arrow:
    kind: ArrowKind
    if transition.approvals is not None:
        kind, trigger = "votes", _votes(transition.approvals, gettext)
    elif transition.after is not None:
        period = transition.after.describe(language)
        kind, trigger = "timer", gettext("after %(period)s") % {"period": period}
    elif transition.auto:
        kind, trigger = "auto", gettext("automatic")
    else:
        kind, trigger = "person", _people(transition.by, gettext)
    return Arrow(
        action=transition.action,
        sources=tuple(dict.fromkeys(transition.from_)),
        target=transition.to,
        kind=kind,
        title=_title(transition, language),
        trigger=trigger,
        condition=_condition(transition, gettext),
    )


def _rejection(
    transition: Transition,
    approvals: Approvals,
    reject_to: str,
    language: str,
    gettext: Callable[[str], str],
) -> Arrow:
    return Arrow(
        action=transition.action,
        sources=tuple(dict.fromkeys(transition.from_)),
        target=reject_to,
        kind="rejected",
        title=gettext("%(label)s (rejected)") % {"label": _title(transition, language)},
        trigger=_votes(approvals, gettext),
        condition=_condition(transition, gettext),
    )


def _title(transition: Transition, language: str) -> str:
    return transition.action if transition.label is None else transition.label.get(language)


def _people(roles: list[str], gettext: Callable[[str], str]) -> str:
    return ", ".join(gettext("applicant") if role == APPLICANT else role for role in roles)


def _votes(approvals: Approvals, gettext: Callable[[str], str]) -> str:
    if approvals.need == "all":
        need = gettext("all of them")
    elif approvals.need == "any":
        need = gettext("any one of them")
    else:
        need = gettext("%(count)s of them") % {"count": approvals.need}
    roles = " + ".join(approvals.from_)
    return gettext("votes: %(roles)s (%(need)s)") % {"roles": roles, "need": need}


def _condition(transition: Transition, gettext: Callable[[str], str]) -> str | None:
    if transition.when is None:
        return None
    return gettext("when %(condition)s") % {"condition": transition.when.source}
