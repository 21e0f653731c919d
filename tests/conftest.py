from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORMS = ROOT / "forms"

# Validation depends on "today" (date of birth ≤ today); tests fix it.
TODAY = date(2026, 11, 26)


@pytest.fixture
def today() -> date:
    return TODAY
