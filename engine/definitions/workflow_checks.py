"""Checks of a definition's workflow: states, transitions, roles, documents."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path

from engine.definitions.analysis import Finding, bind_condition, root_scope
from engine.definitions.models import APPLICANT, Definition, Transition, Workflow


def analyse_workflow(definition: Definition, templates_dir: Path | None) -> list[Finding]:
    workflow = definition.workflow
    findings: list[Finding] = []
    states = set(workflow.states)
    if workflow.start not in states:
        findings.append(Finding(("workflow", "start"), _unknown("state", workflow.start, states)))
    findings.extend(_role_problems(definition))
    actions: dict[str, int] = {}
    scope = root_scope(definition)
    for index, transition in enumerate(workflow.transitions):
        path = ("workflow", "transitions", index)
        if transition.action in actions:
            first = ("workflow", "transitions", actions[transition.action], "action")
            message = f"duplicate action '{transition.action}': list several states in `from`"
            findings.append(Finding((*path, "action"), message, also=first))
        actions.setdefault(transition.action, index)
        findings.extend(_transition_states(transition, index, states))
        findings.extend(_transition_roles(transition, index, definition))
        if transition.when is not None:
            bind_condition(transition.when, scope, (*path, "when"), findings)
    findings.extend(_graph_problems(workflow))
    findings.extend(_document_problems(definition, templates_dir))
    findings.extend(_applicant_edit_problems(definition))
    return findings


def _unknown(what: str, name: str, known: set[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    names = sorted(known)
    listed = ", ".join(names[:10]) + (", ..." if len(names) > 10 else "")
    hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {listed})"
    return f"unknown {what} '{name}'{hint}"


def _role_problems(definition: Definition) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, role in enumerate(definition.roles):
        if role == APPLICANT:
            yield Finding(("roles", index), "'applicant' is built in; do not declare it in roles")
        elif role in seen:
            yield Finding(("roles", index), f"role '{role}' is listed twice")
        seen.add(role)
    for index, role in enumerate(definition.sensitive_roles):
        if role not in seen:
            message = _unknown("role", role, seen) + "; declare it in `roles`"
            yield Finding(("sensitive_roles", index), message)


def _transition_states(transition: Transition, index: int, states: set[str]) -> Iterator[Finding]:
    path = ("workflow", "transitions", index)
    for position, name in enumerate(transition.from_):
        if name not in states:
            yield Finding((*path, "from", position), _unknown("state", name, states))
    if transition.to not in states:
        yield Finding((*path, "to"), _unknown("state", transition.to, states))
    if transition.approvals and transition.approvals.reject_to:
        target = transition.approvals.reject_to
        if target not in states:
            yield Finding((*path, "approvals", "reject_to"), _unknown("state", target, states))


def _transition_roles(
    transition: Transition, index: int, definition: Definition
) -> Iterator[Finding]:
    path = ("workflow", "transitions", index)
    declared = set(definition.roles)
    for position, role in enumerate(transition.by):
        if role != APPLICANT and role not in declared:
            yield Finding(
                (*path, "by", position),
                _unknown("role", role, declared | {APPLICANT}) + "; declare it in `roles`",
            )
    if transition.approvals is not None:
        approvals = transition.approvals
        for position, role in enumerate(approvals.from_):
            if role == APPLICANT:
                yield Finding(
                    (*path, "approvals", "from", position),
                    "the applicant cannot vote on approvals: name clerks' roles",
                )
            elif role not in declared:
                yield Finding(
                    (*path, "approvals", "from", position),
                    _unknown("role", role, declared) + "; declare it in `roles`",
                )
        if isinstance(approvals.need, int) and approvals.need > len(approvals.from_):
            yield Finding(
                (*path, "approvals", "need"),
                f"need is {approvals.need} but only {len(approvals.from_)} role(s) vote",
            )
    if transition.four_eyes and transition.by == [APPLICANT]:
        yield Finding((*path, "four_eyes"), "four_eyes applies to clerks, not the applicant")


def _graph_problems(workflow: Workflow) -> Iterator[Finding]:
    outgoing: dict[str, list[str]] = {name: [] for name in workflow.states}
    for transition in workflow.transitions:
        targets = [transition.to]
        if transition.approvals and transition.approvals.reject_to:
            targets.append(transition.approvals.reject_to)
        for source in transition.from_:
            outgoing.setdefault(source, []).extend(targets)
    reachable = _reachable(workflow.start, outgoing)
    for name, state in workflow.states.items():
        path = ("workflow", "states", name)
        if name not in reachable and workflow.start in workflow.states:
            yield Finding(path, f"state '{name}' cannot be reached from start '{workflow.start}'")
        if state.final and outgoing.get(name):
            yield Finding(path, f"final state '{name}' has transitions leaving it")
        if not state.final and not outgoing.get(name):
            yield Finding(
                path, f"state '{name}' has no way out: add a transition from it or mark it final"
            )
    yield from _auto_loops(workflow)


def _reachable(start: str, outgoing: dict[str, list[str]]) -> set[str]:
    seen = {start}
    pending = [start]
    while pending:
        for target in outgoing.get(pending.pop(), []):
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return seen


def _auto_loops(workflow: Workflow) -> Iterator[Finding]:
    """Automatic transitions that lead back to where they started would never stop."""
    automatic: dict[str, list[str]] = {}
    for transition in workflow.transitions:
        if transition.auto:
            for source in transition.from_:
                automatic.setdefault(source, []).append(transition.to)
    for index, transition in enumerate(workflow.transitions):
        if transition.auto and set(transition.from_) & _reachable(transition.to, automatic):
            yield Finding(
                ("workflow", "transitions", index, "auto"),
                f"automatic transition '{transition.action}' can loop back to its own state",
            )


def _document_problems(definition: Definition, templates_dir: Path | None) -> Iterator[Finding]:
    declared = set(definition.documents)
    for name, state in definition.workflow.states.items():
        for position, document in enumerate(state.issues):
            if document not in declared:
                yield Finding(
                    ("workflow", "states", name, "issues", position),
                    _unknown("document", document, declared) + "; declare it in `documents`",
                )
    if templates_dir is None:
        return
    for document_name, spec in definition.documents.items():
        if spec.template and not (templates_dir / spec.template).is_file():
            yield Finding(
                ("documents", document_name, "template"),
                f"template '{spec.template}' not found in {templates_dir}",
            )


def _applicant_edit_problems(definition: Definition) -> Iterator[Finding]:
    names = {page.id for page in definition.pages} | {f.id for f in definition.fields()}
    for state_name, state in definition.workflow.states.items():
        if isinstance(state.applicant_edits, list):
            for position, name in enumerate(state.applicant_edits):
                if name not in names:
                    yield Finding(
                        ("workflow", "states", state_name, "applicant_edits", position),
                        _unknown("page or field", name, names),
                    )
