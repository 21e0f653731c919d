"""A clerk's queue with 1,000 and with 1,000,000 submissions in the database: the first
page and page 500 (keyset), filtered by procedure and state and sorted by due date, and
once more filtered by an answer field. p50 and p99 over repeated loads, on SQLite and (if
MADOGUCHI_TEST_DATABASE_URL names one) PostgreSQL.

Run: python bench/queue_page.py [--large N]  (a few minutes: it writes a million rows per
database; not named queue.py, which would shadow the standard library's module).
The small database holds only cases the filter selects, so that both pages hold 50.

Target: the page at 1,000,000 costs at most 1.5x the same page at 1,000; page 500 at
1,000,000 is compared with the first page at 1,000 (there is no page 500 there).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.definitions.loader import load_definition  # noqa: E402 -- needs the root on the path
from engine.storage.db import make_engine  # noqa: E402
from engine.storage.definitions import DefinitionStore  # noqa: E402
from engine.storage.migrate import upgrade  # noqa: E402
from engine.storage.models import Submission  # noqa: E402
from engine.workflow.queue import QueueFilter, queue_page  # noqa: E402
from tests.conftest import reset_postgresql  # noqa: E402

STATES = ["received", "reviewing", "correction", "approval", "approved", "rejected"]
REASONS = ["employed", "seeking", "illness", "caregiving"]
DEPARTMENTS = ["kodomo-katei", "kankyo", "bousai", "seikatsu-eisei"]
LOADS = 200
TARGET = 1.5
WANTED = QueueFilter("kodomo-katei", procedure="childcare-enrollment", state="reviewing")
BY_FIELD = QueueFilter(
    "kodomo-katei",
    procedure="childcare-enrollment",
    state="reviewing",
    field="reason",
    value="seeking",
)


def fill(url: str, count: int, *, spread: bool) -> None:
    """``count`` cases; ``spread``: over departments and states, as in real life; else
    all in the department and state the queue shows."""
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        store = DefinitionStore(session)
        store.publish_all([load_definition(ROOT / "forms" / "childcare-enrollment.yaml")])
        version_id = store.latest("childcare-enrollment")[0]
        session.commit()
    rng = random.Random(7)  # noqa: S311 -- repeatable sample data, not a secret
    start = datetime(2026, 4, 1, tzinfo=UTC)
    batch = []
    with engine.begin() as connection:
        for n in range(count):
            at = start + timedelta(minutes=n % 300_000)
            batch.append(
                {
                    "public_id": f"p{n:021d}",
                    "reference": f"R{n:012d}",
                    "definition_version_id": version_id,
                    "procedure": "childcare-enrollment",
                    "department": rng.choice(DEPARTMENTS) if spread else DEPARTMENTS[0],
                    "applicant_user_id": f"u{n % 50_000}",
                    "answers": {"reason": rng.choice(REASONS), "phone": "03-5321-1111"},
                    "state": rng.choice(STATES) if spread else "reviewing",
                    "language": "ja",
                    "submitted_at": at,
                    "updated_at": at,
                    "state_entered_at": at,
                    "state_round": 1,
                    "row_version": 1,
                    "due_on": date(2026, 5, 1) + timedelta(days=rng.randrange(400)),
                }
            )
            if len(batch) == 10_000:
                connection.execute(insert(Submission), batch)
                batch.clear()
        if batch:
            connection.execute(insert(Submission), batch)
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("ANALYZE submissions")
        else:
            connection.exec_driver_sql("ANALYZE")
    engine.dispose()


def timed(load: Callable[[], object]) -> tuple[float, float]:
    for _ in range(10):
        load()
    samples = []
    for _ in range(LOADS):
        started = time.perf_counter()
        load()
        samples.append(time.perf_counter() - started)
    cuts = statistics.quantiles(samples, n=100)
    return cuts[49] * 1000, cuts[98] * 1000


def measure(url: str) -> dict[str, tuple[float, float]]:
    engine = make_engine(url)
    results = {}
    with Session(engine) as session:
        results["first page"] = timed(lambda: _load(session, WANTED, None))
        results["by answer field"] = timed(lambda: _load(session, BY_FIELD, None))
        cursor = None
        for _ in range(499):
            cursor = queue_page(session, WANTED, after=cursor).next_cursor
            if cursor is None:
                break
        if cursor is not None:
            results["page 500"] = timed(lambda: _load(session, WANTED, cursor))
    engine.dispose()
    return results


def _load(session: Session, wanted: QueueFilter, cursor: str | None) -> None:
    page = queue_page(session, wanted, after=cursor)
    assert page.cases
    session.expunge_all()


def databases(folder: Path, size: int) -> list[tuple[str, str]]:
    found = [("SQLite", f"sqlite:///{folder / f'queue-{size}.db'}")]
    base = os.environ.get("MADOGUCHI_TEST_DATABASE_URL")
    if base:
        schema = f"bench_queue_{size}"
        reset_postgresql(base, schema)
        separator = "&" if "?" in base else "?"
        found.append(("PostgreSQL", f"{base}{separator}options=-csearch_path%3D{schema}"))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", type=int, default=1_000_000)
    large = parser.parse_args().large
    folder = Path(tempfile.mkdtemp(prefix="madoguchi-queue-"))
    for (name, small_url), (_, large_url) in zip(
        databases(folder, 1000), databases(folder, large), strict=True
    ):
        fill(small_url, 1000, spread=False)
        started = time.perf_counter()
        fill(large_url, large, spread=True)
        print(f"{name}: wrote {large:,} submissions in {time.perf_counter() - started:.0f} s")
        small, big = measure(small_url), measure(large_url)
        for page in ("first page", "by answer field", "page 500"):
            if page not in big:
                continue
            base = small["first page" if page == "page 500" else page]
            p50, p99 = big[page]
            print(
                f"{name} queue {page}: {large:,} p50 {p50:.2f} ms p99 {p99:.2f} ms "
                f"vs 1,000 p50 {base[0]:.2f} ms p99 {base[1]:.2f} ms, "
                f"ratio {p50 / base[0]:.2f} (target <= {TARGET})"
            )


if __name__ == "__main__":
    main()
