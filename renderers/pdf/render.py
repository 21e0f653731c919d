"""HTML to PDF: the one entry point, with its limits."""

from __future__ import annotations

import atexit
import logging
import threading
from pathlib import Path

from renderers.pdf.printer import RenderError, Rendering
from renderers.pdf.worker import RenderWorker

log = logging.getLogger("madoguchi.pdf")

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
# Bounds the work before WeasyPrint starts: a receipt is tens of kilobytes; answers are
# shortened in documents (renderers.pdf.context), so only a broken template gets near this.
MAX_HTML_CHARS = 4_000_000

_workers: dict[Path, RenderWorker] = {}
_workers_lock = threading.Lock()


def render_pdf(
    html: str,
    *,
    base_url_assets: Path | None = None,
    timeout_s: float = 10,
    max_bytes: int = 5_000_000,
    link_prefixes: tuple[str, ...] = (),
) -> bytes:
    """The PDF of ``html``, which may use only the assets in ``base_url_assets``.

    Raises RenderTimeout past ``timeout_s``, PdfTooLarge past ``max_bytes``, RenderError
    for anything else. Only https links starting with one of ``link_prefixes`` (each ending
    with "/") stay links in the PDF; every URL the fetcher refused is logged."""
    return render_report(
        html,
        base_url_assets=base_url_assets,
        timeout_s=timeout_s,
        max_bytes=max_bytes,
        link_prefixes=link_prefixes,
    ).pdf


def render_report(
    html: str,
    *,
    base_url_assets: Path | None = None,
    timeout_s: float = 10,
    max_bytes: int = 5_000_000,
    link_prefixes: tuple[str, ...] = (),
) -> Rendering:
    """``render_pdf`` with what the fetcher served and refused, and the links left out."""
    if len(html) > MAX_HTML_CHARS:
        raise RenderError(f"the HTML has {len(html):,} characters; the limit is {MAX_HTML_CHARS:,}")
    for prefix in link_prefixes:
        if not (prefix.startswith("https://") and prefix.endswith("/")):
            raise ValueError(f"a link prefix is an https URL ending with '/', not {prefix!r}")
    rendering = _worker(base_url_assets or ASSETS_DIR).render(
        html, timeout_s=timeout_s, max_bytes=max_bytes, link_prefixes=link_prefixes
    )
    for url in rendering.refused:
        log.warning("PDF rendering refused to fetch %.200s", url)
    for url in rendering.links_left_out:
        log.info("link left out of the PDF: %.200s", url)
    return rendering


def _worker(assets_dir: Path) -> RenderWorker:
    key = assets_dir.resolve()
    with _workers_lock:
        if key not in _workers:
            _workers[key] = RenderWorker(key)
        return _workers[key]


@atexit.register
def _close_workers() -> None:
    with _workers_lock:
        for worker in _workers.values():
            worker.close()
