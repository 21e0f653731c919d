"""Seconds per signed receipt (the childcare receipt rendered by render_pdf and signed by
DocumentSigner: PAdES B-B with the office's stamp, the QR code and verification block)
against a bare WeasyPrint render of a minimal one-page HTML plus a bare pyHanko signature
of it, in the same run; and the renderer worker's peak memory after many documents.

Run: python bench/receipt.py [--documents N]  (default 1,000 for the memory figures; about
two minutes; Linux: memory is read from /proc). Target: at most 1.5x the bare cost.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from pdf_render import bare_render, receipt  # noqa: E402 -- bench/ on the path

from engine.documents.config import SigningConfig  # noqa: E402 -- needs the root on the path
from engine.documents.signing import DocumentSigner  # noqa: E402
from renderers.pdf import Verification, render_pdf  # noqa: E402

OFFICE = "新宿区 子ども家庭部 保育課"
CODE = "K7Q4-X9PA-H3MN-RT8C"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1000)
    count = parser.parse_args().documents
    html = receipt(Verification(CODE, f"https://madoguchi.example.jp/verify/{CODE}"))
    with tempfile.TemporaryDirectory() as folder:
        signer = DocumentSigner(SigningConfig(data_dir=Path(folder), office_name=OFFICE))
        bare_pdf = bare_render()

        def ours() -> bytes:
            pdf = render_pdf(html)
            return signer.sign_pdf(pdf, reason="受付完了通知書", location=OFFICE)

        def bare() -> bytes:
            from pyhanko.pdf_utils.incremental_writer import (  # noqa: PLC0415 -- heavy
                IncrementalPdfFileWriter,
            )
            from pyhanko.sign import fields, signers  # noqa: PLC0415

            pdf = bytes(bare_pdf())  # type: ignore[call-overload]  # write_pdf() gives bytes
            metadata = signers.PdfSignatureMetadata(
                field_name="Signature",
                md_algorithm="sha256",
                subfilter=fields.SigSeedSubFilter.PADES,
            )
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
            signed = signers.sign_pdf(writer, metadata, signer=signer._signer)
            return bytes(signed.getvalue())

        ours()  # warm: the renderer worker, fonts, imports
        bare()
        ours_each, bare_each = _alternating(ours, bare, rounds=min(count, 50))
        gc.collect()  # what the bare renders left, so that growth below is ours
        before = _memory_mb(os.getpid(), "VmRSS")
        started = time.perf_counter()
        for _ in range(max(0, count - 50)):
            ours()
        rest = time.perf_counter() - started
        after = _memory_mb(os.getpid(), "VmRSS")
        worker = _memory_mb(_render_worker(), "VmHWM")
    print(
        f"receipt: render + sign {ours_each * 1000:.0f} ms vs bare render + bare sign "
        f"{bare_each * 1000:.0f} ms, ratio {ours_each / bare_each:.2f} (target <= 1.5); "
        f"{count:,} documents ({rest:.0f} s after the first 50); memory: renderer worker "
        f"peak {worker:.0f} MB; signing process {after:.0f} MB ({after - before:+.0f} MB over "
        f"the last {max(0, count - 50):,} documents; peak "
        f"{_memory_mb(os.getpid(), 'VmHWM'):.0f} MB with the bare renders, which run "
        "WeasyPrint in this process with a new font configuration each)"
    )


def _render_worker() -> int:
    """The process id of the render worker ``render_pdf`` started (a child of this one)."""
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text, command = status.read_text(), (status.parent / "cmdline").read_bytes()
        except OSError:  # it exited while we looked
            continue
        if f"\nPPid:\t{os.getpid()}\n" in text and b"renderers.pdf.serve" in command:
            return int(status.parent.name)
    raise LookupError("no render worker among this process's children")


def _memory_mb(pid: int, field: str) -> float:
    """A memory figure of ``pid`` from /proc (Linux): VmRSS now, VmHWM the peak."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise LookupError(f"no {field} for process {pid}")


def _alternating(
    ours: Callable[[], bytes], bare: Callable[[], bytes], *, rounds: int
) -> tuple[float, float]:
    """Mean seconds per call, the two taking turns so that a busy machine slows both."""
    totals = [0.0, 0.0]
    for _ in range(rounds):
        for index, action in enumerate((ours, bare)):
            start = time.perf_counter()
            action()
            totals[index] += time.perf_counter() - start
    return totals[0] / rounds, totals[1] / rounds


if __name__ == "__main__":
    main()
