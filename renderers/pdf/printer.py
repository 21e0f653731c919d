"""WeasyPrint with our fonts and stylesheet, set up once and kept for every render.

Runs inside the render worker process (``renderers.pdf.worker``): loading the fonts is most
of a first render's cost, so one ``Printer`` serves many documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Debian's fonts-noto-cjk, installed by ./dev: Noto Sans CJK JP has 𠮷 (U+20BB7), which
# IPAex and BIZ UD fonts lack. The stylesheet names these files; nothing else is loaded.
FONT_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
)
STYLESHEET = "document.css"


class RenderError(Exception):
    """A document could not be rendered; the message says why (never the document's text)."""


class RenderTimeout(RenderError):  # noqa: N818 -- reads as `except RenderTimeout`
    """Rendering took longer than its time limit and was stopped."""


class PdfTooLarge(RenderError):  # noqa: N818 -- reads as `except PdfTooLarge`
    """The rendered PDF is larger than the size limit."""


@dataclass(frozen=True)
class Rendering:
    """A PDF and what the fetcher served and refused while making it."""

    pdf: bytes
    served: tuple[str, ...]
    refused: tuple[str, ...]
    links_left_out: tuple[str, ...] = ()


class Printer:
    def __init__(self, assets_dir: Path) -> None:
        import weasyprint  # heavy: only the worker process loads it
        from weasyprint.text.fonts import FontConfiguration

        from renderers.pdf import cid_fonts  # noqa: PLC0415 -- imports weasyprint
        from renderers.pdf.fetcher import AssetFetcher  # noqa: PLC0415 -- imports weasyprint

        missing = [str(path) for path in FONT_FILES if not path.is_file()]
        if missing:
            raise RenderError(f"fonts missing: {', '.join(missing)} (Debian: fonts-noto-cjk)")
        cid_fonts.install()
        self._weasyprint = weasyprint
        self._fetcher_type = AssetFetcher
        self.assets_dir = assets_dir.resolve()
        # The @font-face rules are read once into this configuration: later renders reuse it.
        self._fonts = FontConfiguration()
        fetcher = AssetFetcher(self.assets_dir, FONT_FILES)
        self._stylesheet = weasyprint.CSS(
            filename=str(self.assets_dir / STYLESHEET),
            url_fetcher=fetcher,
            font_config=self._fonts,
        )
        if fetcher.refused:
            raise RenderError(f"the stylesheet names what is not ours: {fetcher.refused}")

    def render(self, html: str, *, max_bytes: int, link_prefixes: tuple[str, ...]) -> Rendering:
        fetcher = self._fetcher_type(self.assets_dir, FONT_FILES)
        document = self._weasyprint.HTML(
            string=html, base_url=self.assets_dir.as_uri() + "/", url_fetcher=fetcher
        ).render(stylesheets=[self._stylesheet], font_config=self._fonts)
        left_out: list[str] = []
        for page in document.pages:
            left_out += [link[1] for link in page.links if not _allowed(link, link_prefixes)]
            page.links[:] = [link for link in page.links if _allowed(link, link_prefixes)]
        pdf: bytes = document.write_pdf()
        if len(pdf) > max_bytes:
            raise PdfTooLarge(f"the PDF has {len(pdf):,} bytes; the limit is {max_bytes:,}")
        return Rendering(pdf, tuple(fetcher.served), tuple(fetcher.refused), tuple(left_out))


def _allowed(link: tuple[str, str, Any, Any], prefixes: tuple[str, ...]) -> bool:
    """Only links inside the document and https links we wrote become PDF links."""
    kind, target = link[0], link[1]
    if kind == "internal":
        return True
    # Prefixes end with "/": https://city.example.jp.evil.example/ does not pass.
    return kind == "external" and target.startswith("https://") and target.startswith(prefixes)
