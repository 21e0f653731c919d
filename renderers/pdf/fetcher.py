"""The only way a PDF rendering reaches outside its HTML: deny by default.

WeasyPrint's own fetcher follows ``file:`` and ``http:`` URLs, so HTML built from answers
could embed a local file or call an internal address (security notes, WeasyPrint). This one
serves our own assets (a file under the assets folder, symbolic links resolved), the font
files the document stylesheet names, and small ``data:`` images; it refuses everything else
and keeps a record of what it served and refused.

Imported only inside the render worker process (``renderers.pdf.worker``).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: TID253 -- the worker process's module

MAX_DATA_URL = 256 * 1024  # characters: a QR code or a logo, not a photograph
_DATA_MEDIA_TYPES = ("image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp")


class FetchRefused(ValueError):  # noqa: N818 -- reads as `raise FetchRefused(...)`
    """A URL the renderer does not fetch; WeasyPrint logs it and leaves the resource out."""


class AssetFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint ships no types
    def __init__(self, assets_dir: Path, font_files: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.assets_dir = assets_dir.resolve()
        self.font_files = frozenset(path.resolve() for path in font_files)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data" and self._small_image(url):
            self.served.append(url[:64])
            return super().fetch(url, headers)
        path = self._allowed_file(url) if scheme == "file" else None
        if path is None:
            self.refused.append(url[:2000])
            raise FetchRefused(f"refused to fetch {url[:200]!r}: not one of our own assets")
        self.served.append(url)
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), headers={"Content-Type": media_type}
        )

    def _allowed_file(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or parts.query:
            return None
        try:
            path = Path(url2pathname(unquote(parts.path))).resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if not path.is_file():
            return None
        if path in self.font_files or path.is_relative_to(self.assets_dir):
            return path
        return None

    @staticmethod
    def _small_image(url: str) -> bool:
        media_type = url[5:].split(",", 1)[0].split(";", 1)[0].strip().lower()
        return len(url) <= MAX_DATA_URL and media_type in _DATA_MEDIA_TYPES
