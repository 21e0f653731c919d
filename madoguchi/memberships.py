"""The memberships a clerk can be given: each role a definition names, in its department."""

from __future__ import annotations

from collections.abc import Iterable

from engine.definitions.models import Definition


def offered(definitions: Iterable[Definition]) -> list[tuple[str, str]]:
    """``(department, role)`` pairs, sorted: a role only means something in the department
    whose procedures' workflows use it."""
    return sorted({(d.department, role) for d in definitions for role in d.roles})


def parse(text: str) -> tuple[str, str] | None:
    """``department:role`` as the CLI and the admin's checkboxes write it, or None."""
    department, colon, role = text.partition(":")
    return (department, role) if colon and department and role else None
