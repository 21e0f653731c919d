"""What axe-core checked in this run, summed over pytest-xdist's workers.

The browser tests record each page here; each worker hands its tally to the controller
when it finishes (tests/conftest.py wires the hooks), which prints one line for the run.
Kept free of heavy imports: the controller loads it without starting a browser.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

CHECKED_PAGES: list[str] = []
IMPACTS: list[str] = []  # the impact of each violation found, minor ones included


def record(page: str, impacts: list[str]) -> None:
    CHECKED_PAGES.append(page)
    IMPACTS.extend(impacts)


def export() -> dict[str, Any]:
    return {"pages": list(CHECKED_PAGES), "impacts": list(IMPACTS)}


def merge(tally: dict[str, Any] | None) -> None:
    if tally:
        CHECKED_PAGES.extend(tally["pages"])
        IMPACTS.extend(tally["impacts"])


def summary() -> str | None:
    if not CHECKED_PAGES:
        return None
    by_impact = Counter(IMPACTS)
    found = ", ".join(f"{n} {impact}" for impact, n in sorted(by_impact.items())) or "none"
    return (
        f"axe-core: {len(CHECKED_PAGES)} pages checked "
        f"({len(set(CHECKED_PAGES))} different); violations: {found}"
    )
