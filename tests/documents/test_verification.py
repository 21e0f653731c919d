from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.documents import development
from engine.documents.config import SigningConfig
from engine.documents.signing import DocumentSigner
from engine.documents.verification import MAX_PDF_BYTES, VerdictCode, verify_pdf
from tests.documents.pdfs import one_page_pdf
from tests.documents.tampering import append_update, flip_byte_in_signed_range

pytestmark = pytest.mark.usefixtures("stamp_font")  # signing needs it


def test_an_untouched_document_is_valid(signer: DocumentSigner, signed: bytes) -> None:
    verdict = verify_pdf(signed, signer.trust_roots)
    assert verdict.valid
    assert verdict.signed_at is not None


def test_a_flipped_byte_inside_the_signed_range_is_altered(
    signer: DocumentSigner, signed: bytes
) -> None:
    verdict = verify_pdf(flip_byte_in_signed_range(signed), signer.trust_roots)
    assert verdict.code is VerdictCode.ALTERED


def test_an_update_appended_after_signing_is_reported(
    signer: DocumentSigner, signed: bytes
) -> None:
    verdict = verify_pdf(append_update(signed), signer.trust_roots)
    assert verdict.code is VerdictCode.UPDATED_AFTER_SIGNING


def test_a_root_we_do_not_trust_gives_untrusted(
    signed: bytes, other_ca: development.Issued
) -> None:
    assert verify_pdf(signed, [other_ca.certificate]).code is VerdictCode.UNTRUSTED
    assert verify_pdf(signed, []).code is VerdictCode.UNTRUSTED  # no fallback to the OS list


def test_a_document_signed_under_another_ca_is_untrusted(
    signer: DocumentSigner, tmp_path_factory: pytest.TempPathFactory
) -> None:
    stranger = DocumentSigner(
        SigningConfig(data_dir=tmp_path_factory.mktemp("stranger"), office_name="Elsewhere")
    )
    signed = stranger.sign_pdf(one_page_pdf(), reason="r", location="l")
    assert verify_pdf(signed, signer.trust_roots).code is VerdictCode.UNTRUSTED


def test_an_unsigned_pdf(signer: DocumentSigner) -> None:
    assert verify_pdf(one_page_pdf(), signer.trust_roots).code is VerdictCode.NOT_SIGNED


@pytest.mark.parametrize(
    "pdf",
    [b"", b"not a pdf", b"%PDF-1.7\n", b"%PDF-1.7\n" + b"\x00" * 1000, b"%PDF-" + b"(" * 5000],
)
def test_malformed_input_gives_unreadable(signer: DocumentSigner, pdf: bytes) -> None:
    assert verify_pdf(pdf, signer.trust_roots).code is VerdictCode.UNREADABLE


def test_a_truncated_signed_document_is_unreadable(signer: DocumentSigner, signed: bytes) -> None:
    assert verify_pdf(signed[: len(signed) // 2], signer.trust_roots).code is VerdictCode.UNREADABLE


def test_input_over_the_size_limit_is_not_parsed(signer: DocumentSigner, signed: bytes) -> None:
    padded = signed + b"\n" * (MAX_PDF_BYTES + 1 - len(signed))
    assert verify_pdf(padded, signer.trust_roots).code is VerdictCode.UNREADABLE


@settings(max_examples=30, deadline=None)
@given(position=st.integers(min_value=0), value=st.integers(min_value=0, max_value=255))
def test_no_single_byte_change_crashes_or_passes_as_valid_changed(
    signer: DocumentSigner, signed: bytes, position: int, value: int
) -> None:
    index = position % len(signed)
    changed = signed[:index] + bytes([value]) + signed[index + 1 :]
    verdict = verify_pdf(changed, signer.trust_roots)
    if changed != signed and verdict.valid:
        # Only bytes outside the signed ranges (inside the signature's hex padding) may
        # change without notice; the signed content cannot.
        assert _outside_signed_ranges(signed, index)


def _outside_signed_ranges(pdf: bytes, index: int) -> bool:
    start = pdf.index(b"/Contents <")
    end = pdf.index(b">", start)
    return start < index < end
