"""poppler's pdfsig, an independent implementation, agrees with our verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.documents import development
from engine.documents.signing import DocumentSigner
from tests.documents.pdfsig import pdfsig
from tests.documents.tampering import append_update, flip_byte_in_signed_range

VALID = "Signature Validation: Signature is Valid."
TRUSTED = "Certificate Validation: Certificate is Trusted."
WHOLE = "Total document signed"

pytestmark = pytest.mark.usefixtures("stamp_font")  # signing needs it


def test_pdfsig_finds_the_signature_valid_trusted_and_whole(
    signer: DocumentSigner, signed: bytes, tmp_path: Path
) -> None:
    report = pdfsig(signed, signer.trust_roots, tmp_path)
    assert VALID in report
    assert TRUSTED in report
    assert WHOLE in report
    assert "Not total document signed" not in report
    assert "DEVELOPMENT KEY" in report


def test_pdfsig_reports_a_flipped_byte(
    signer: DocumentSigner, signed: bytes, tmp_path: Path
) -> None:
    report = pdfsig(flip_byte_in_signed_range(signed), signer.trust_roots, tmp_path)
    assert "Signature Validation: Digest Mismatch." in report
    assert VALID not in report


def test_pdfsig_reports_an_appended_update(
    signer: DocumentSigner, signed: bytes, tmp_path: Path
) -> None:
    report = pdfsig(append_update(signed), signer.trust_roots, tmp_path)
    assert "Not total document signed" in report


def test_pdfsig_does_not_trust_another_root(
    signed: bytes, other_ca: development.Issued, tmp_path: Path
) -> None:
    report = pdfsig(signed, [other_ca.certificate], tmp_path)
    assert VALID in report  # the bytes are intact ...
    assert TRUSTED not in report  # ... but nobody we trust signed them
