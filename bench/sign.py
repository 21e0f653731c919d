"""Seconds per signed document (a ready one-page PDF signed by DocumentSigner: PAdES B-B
with the office's stamp) against a bare pyHanko signature of the same PDF (a plain signer,
no appearance, no new visible field) in the same run.

Run: python bench/sign.py  (a few seconds). Reported for issue 5's receipt benchmark, whose
target (render + sign ≤ 1.5× bare render + bare sign) the receipt bench combines."""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from engine.documents.config import SigningConfig  # noqa: E402 -- needs the root on the path
from engine.documents.signing import DocumentSigner  # noqa: E402
from tests.documents.pdfs import one_page_pdf  # noqa: E402

ROUNDS = 7
PER_ROUND = 20


def main() -> None:
    pdf = one_page_pdf()
    with tempfile.TemporaryDirectory() as folder:
        signer = DocumentSigner(
            SigningConfig(data_dir=Path(folder), office_name="新宿区 子ども家庭部")
        )

        def ours() -> bytes:
            return signer.sign_pdf(pdf, reason="受付完了通知書", location="東京都新宿区")

        bare_signer = signer._signer

        def bare() -> bytes:
            metadata = signers.PdfSignatureMetadata(
                field_name="Signature", md_algorithm="sha256",
                subfilter=fields.SigSeedSubFilter.PADES,
            )  # fmt: skip
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
            return bytes(signers.sign_pdf(writer, metadata, signer=bare_signer).getvalue())

        ours()  # warm: font subset, imports
        bare()
        ours_time, bare_time = _seconds(ours, bare)
    print(f"signed document (DocumentSigner, B-B, stamp): {ours_time * 1000:.1f} ms")
    print(f"bare pyHanko signature (no appearance):       {bare_time * 1000:.1f} ms")
    print(f"ratio: {ours_time / bare_time:.2f}×")


def _seconds(*actions: Callable[[], bytes]) -> tuple[float, ...]:
    """For each action, the median over rounds of the mean seconds per call; the actions
    take turns in each round, so a busy machine slows them alike."""
    rounds: list[list[float]] = [[] for _ in actions]
    for _ in range(ROUNDS):
        for action, times in zip(actions, rounds, strict=True):
            start = time.perf_counter()
            for _ in range(PER_ROUND):
                action()
            times.append((time.perf_counter() - start) / PER_ROUND)
    return tuple(statistics.median(times) for times in rounds)


if __name__ == "__main__":
    main()
