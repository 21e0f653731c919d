"""How fast a clerk's queue exports to CSV and XLSX, and that the memory it needs does not
grow with the queue: childcare submissions with three children each.

Run: python bench/export.py  (about half a minute). Reported, no target.
"""

from __future__ import annotations

import io
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Any

from engine.answers import to_jsonable, validate_answers
from engine.definitions.loader import load_definition
from engine.definitions.models import Definition
from renderers.exports import ExportRow, csv_chunks, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import TODAY, childcare_answers  # noqa: E402 -- needs the root on the path

SUBMITTED = datetime(2026, 11, 26, 10, 15, tzinfo=timezone(timedelta(hours=9)))


def rows(answers: dict[str, Any], count: int) -> Iterator[ExportRow]:
    for number in range(count):
        yield ExportRow(f"R{number:06}", "審査中", SUBMITTED, date(2026, 12, 24), "佐藤", answers)


def to_csv(definition: Definition, answers: dict[str, Any], count: int) -> int:
    return sum(len(chunk) for chunk in csv_chunks(definition, rows(answers, count), language="ja"))


def to_xlsx(definition: Definition, answers: dict[str, Any], count: int) -> int:
    target = io.BytesIO()
    write_xlsx(definition, rows(answers, count), target, language="ja")
    return len(target.getvalue())


def peak_memory(run: Callable[[], int]) -> float:
    """Peak Python memory in MB (tracing makes the run slow: timed separately)."""
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    definition = load_definition(ROOT / "forms" / "childcare-enrollment.yaml").definition
    raw = childcare_answers()
    raw["children"] *= 3
    answers = to_jsonable(validate_answers(definition, raw, today=TODAY).answers)
    for name, export, count in (("CSV", to_csv, 100_000), ("XLSX", to_xlsx, 20_000)):
        start = time.perf_counter()
        size = export(definition, answers, count)
        seconds = time.perf_counter() - start
        small = peak_memory(partial(export, definition, answers, 1_000))
        large = peak_memory(partial(export, definition, answers, 5_000))
        print(
            f"{name}: {count:,} rows in {seconds:.1f} s ({count / seconds:,.0f} rows/s), "
            f"{size / 1e6:.1f} MB; peak memory {small:.1f} MB for 1,000 rows, "
            f"{large:.1f} MB for 5,000"
        )


if __name__ == "__main__":
    main()
