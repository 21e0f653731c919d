"""How fast a complete childcare answer set validates, against a hand-written pydantic model
of the same answers (what a developer would write without Madoguchi) in the same run.

Run: python bench/validate.py  (a few seconds). Reported, no target: the baseline checks far
less (no check digits, 和暦, furigana, conditions or cross-field rules).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, EmailStr, Field

from engine.answers import validate_answers
from engine.definitions.loader import load_definition

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import TODAY, childcare_answers  # noqa: E402 -- needs the root on the path

ROUNDS = 7
Text = Annotated[str, Field(min_length=1, max_length=50)]


class Name(BaseModel):
    family: Text
    given: Text
    family_kana: Text
    given_kana: Text


class Address(BaseModel):
    prefecture: str = Field(pattern=r"^\d{2}$")
    city: Text
    street: Text
    building: str = ""


class Child(BaseModel):
    name: Name
    birth_date: date
    needs_support: bool
    support_details: str | None = Field(default=None, max_length=1000)


class Upload(BaseModel):
    id: str
    name: str
    size: int
    media_type: str
    sha256: str


class HandWritten(BaseModel):
    name: Name
    birth_date: date
    postal_code: str = Field(pattern=r"^\d{3}-?\d{4}$")
    address: Address
    phone: str = Field(pattern=r"^[0-9-]{10,13}$")
    email: EmailStr | None = None
    my_number: str | None = None
    children: list[Child] = Field(min_length=1, max_length=5)
    reason: Literal["employed", "seeking", "illness"]
    monthly_hours: int | None = Field(default=None, ge=48, le=744)
    employment_proof: list[Upload] = Field(default_factory=list, max_length=3)
    agree: bool


def per_second(call: Callable[[], Any], loops: int) -> float:
    start = time.perf_counter()
    for _ in range(loops):
        call()
    return loops / (time.perf_counter() - start)


def main() -> None:
    definition = load_definition(ROOT / "forms" / "childcare-enrollment.yaml").definition
    raw = childcare_answers()
    assert validate_answers(definition, raw, today=TODAY).ok
    baseline_raw = raw | {
        "birth_date": "1990-04-01",
        "postal_code": "163-8001",
        "email": None,
        "my_number": "123456789018",
        "children": [{**raw["children"][0], "needs_support": False, "support_details": None}],
        "agree": True,
    }
    HandWritten.model_validate(baseline_raw)

    def ours() -> object:
        return validate_answers(definition, raw, today=TODAY)

    def theirs() -> object:
        return HandWritten.model_validate(baseline_raw)

    best_ours = max(per_second(ours, 500) for _ in range(ROUNDS))
    best_theirs = max(per_second(theirs, 5000) for _ in range(ROUNDS))
    print(
        f"validate: childcare answer set: {best_ours:,.0f}/s "
        f"({1e6 / best_ours:.0f} µs each) vs hand-written pydantic model {best_theirs:,.0f}/s, "
        f"ratio {best_ours / best_theirs:.2f} (reported, no target)"
    )


if __name__ == "__main__":
    main()
