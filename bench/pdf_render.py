"""Seconds per PDF receipt against a bare WeasyPrint render of a minimal one-page HTML.

Three numbers from one run, each the median of repeated warm renders:
- bare: WeasyPrint in this process, a one-page HTML, its default fonts and fetcher;
- minimal: the same HTML through ``render_pdf`` (the worker process, our fonts embedded);
- receipt: ``receipt_html`` + ``render_pdf`` of the childcare receipt (two pages, in Japanese).
The first render (starting the worker: importing WeasyPrint, reading the fonts) is reported
apart. Signing is not included (the signed-documents bench adds it).

Run: python bench/pdf_render.py [--write receipt.pdf]  (about half a minute). Reported, no target.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from engine.answers import validate_answers
from engine.definitions.loader import load_definition
from renderers.pdf import SubmissionFacts, Verification, receipt_html, render_pdf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import TODAY, childcare_answers  # noqa: E402 -- needs the root on the path

MINIMAL = (
    "<!doctype html><html lang='ja'><body><h1>受付完了通知書</h1><p>R8-0042-KXQP</p></body></html>"
)
RUNS = 20


def median_seconds(run: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_render() -> Callable[[], object]:
    import weasyprint  # noqa: PLC0415 -- heavy: only this measurement loads it

    return lambda: weasyprint.HTML(string=MINIMAL).write_pdf()


def receipt(verification: Verification | None = None) -> str:
    """The childcare receipt's HTML (with its verification block, when given one)."""
    definition = load_definition(ROOT / "forms" / "childcare-enrollment.yaml").definition
    answers = validate_answers(definition, childcare_answers(), today=TODAY).answers
    facts = SubmissionFacts(
        "R8-0042-KXQP",
        datetime(2026, 11, 26, 5, 5, tzinfo=UTC),
        answers,
        due_date=date(2026, 12, 24),
        status_url="https://madoguchi.example.jp/applications/7Kq3pXw9",
        verification=verification,
    )
    return receipt_html(definition, facts, "ja", office="新宿区 子ども家庭部 保育課")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", type=Path, help="also write the Japanese receipt here")
    args = parser.parse_args()
    prefixes = ("https://madoguchi.example.jp/",)

    start = time.perf_counter()
    render_pdf(MINIMAL)
    first = time.perf_counter() - start
    bare = median_seconds(bare_render())
    minimal = median_seconds(lambda: render_pdf(MINIMAL))
    full = median_seconds(lambda: render_pdf(receipt(), link_prefixes=prefixes))
    print(
        f"PDF: bare WeasyPrint {bare * 1000:.0f} ms; render_pdf of the same page "
        f"{minimal * 1000:.0f} ms ({minimal / bare:.1f}x); childcare receipt "
        f"{full * 1000:.0f} ms ({full / bare:.1f}x bare); first render, starting the worker, "
        f"{first:.1f} s"
    )
    if args.write:
        args.write.write_bytes(render_pdf(receipt(), link_prefixes=prefixes))


if __name__ == "__main__":
    main()
