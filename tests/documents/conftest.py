from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from engine.documents import development
from engine.documents.config import DEFAULT_STAMP_FONT, SigningConfig
from engine.documents.signing import DocumentSigner
from tests.documents.pdfs import one_page_pdf

OFFICE = "新宿区 子ども家庭部"
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def stamp_font() -> Path:
    """The stamp's Japanese font, which signing needs (``./dev test`` installs it as root)."""
    if not DEFAULT_STAMP_FONT.is_file():
        reason = f"{DEFAULT_STAMP_FONT} missing (Debian: apt-get install fonts-ipaexfont-gothic)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return DEFAULT_STAMP_FONT


@pytest.fixture(scope="session")
def signing_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("signing")


@pytest.fixture(scope="session")
def signer(signing_dir: Path, stamp_font: Path) -> DocumentSigner:
    """The development signer, as on a first run without configuration."""
    return DocumentSigner(SigningConfig(data_dir=signing_dir, office_name=OFFICE))


@pytest.fixture(scope="session")
def signed(signer: DocumentSigner) -> bytes:
    return signer.sign_pdf(one_page_pdf(), reason="受付完了通知書", location="東京都新宿区")


@pytest.fixture(scope="session")
def other_ca() -> development.Issued:
    """A CA nobody configured: its documents must not pass as ours."""
    return development.new_root(development.name("Somebody else's CA", "Test"), now=NOW)
