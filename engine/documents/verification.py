"""Is this PDF one of ours, whole and unchanged? The answer for the verification page.

Decides on pyHanko's coverage and modification analysis and on the trust path, never on
``valid`` alone: ``valid`` stays True for an untrusted root and for an update appended
after signing. Like signing, ``verify_pdf`` runs pyHanko's event loop: from async code,
call it in a worker thread."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from engine.documents import development
from engine.documents.loops import without_event_loop

MAX_PDF_BYTES = 20 * 1024 * 1024  # issued documents are far smaller; refuse before parsing

logger = logging.getLogger(__name__)


class VerdictCode(StrEnum):
    VALID = "valid"
    ALTERED = "altered"  # the signed bytes changed, or the signature does not match them
    UNTRUSTED = "untrusted"  # intact, but not signed with a key we trust
    NOT_SIGNED = "not_signed"
    UPDATED_AFTER_SIGNING = "updated_after_signing"  # more was appended after our signature
    UNREADABLE = "unreadable"  # not a PDF we can read, or too large


@dataclass(frozen=True)
class Verdict:
    code: VerdictCode
    signer: str | None = None  # the certificate's subject, RFC 4514
    signed_at: datetime | None = None  # from the timestamp when there is one
    level: str | None = None  # PAdES baseline: "B-B", "B-T" or "B-LT"
    development: bool = False  # signed with a development key: never a real document

    @property
    def valid(self) -> bool:
        return self.code is VerdictCode.VALID


def verify_pdf(
    pdf: bytes,
    trust_roots: Sequence[x509.Certificate],
    *,
    timestamp_roots: Sequence[x509.Certificate] = (),
) -> Verdict:
    """The verdict on the first signature of ``pdf``, whose signer must chain to one of
    ``trust_roots`` and whose timestamp, if any, to one of ``timestamp_roots`` (default:
    ``trust_roots``). Never raises for what is inside ``pdf``; nothing is fetched."""
    if len(pdf) > MAX_PDF_BYTES or not pdf.startswith(b"%PDF-"):
        return Verdict(VerdictCode.UNREADABLE)
    try:
        return _verify(pdf, trust_roots, timestamp_roots or trust_roots)
    except Exception:  # a malformed PDF can fail anywhere inside pyHanko: one answer for all
        logger.info("unreadable PDF offered for verification", exc_info=True)
        return Verdict(VerdictCode.UNREADABLE)


def _verify(
    pdf: bytes,
    trust_roots: Sequence[x509.Certificate],
    timestamp_roots: Sequence[x509.Certificate],
) -> Verdict:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(pdf))
    signatures = reader.embedded_regular_signatures
    if not signatures:
        return Verdict(VerdictCode.NOT_SIGNED)
    status = without_event_loop(
        lambda: validate_pdf_signature(
            signatures[0],
            signer_validation_context=_context(ValidationContext, trust_roots),
            ts_validation_context=_context(ValidationContext, timestamp_roots),
        )
    )
    certificate = x509.load_der_x509_certificate(status.signing_cert.dump())
    timestamp = status.timestamp_validity
    found = Verdict(
        VerdictCode.VALID,
        signer=certificate.subject.rfc4514_string(),
        signed_at=timestamp.timestamp if timestamp else status.signer_reported_dt,
        level=_level(timestamp is not None, "/DSS" in reader.root),
        development=_is_development(certificate),
    )
    if not (status.intact and status.valid):
        return _with(found, VerdictCode.ALTERED)
    # Only document-security-store and timestamp updates (B-LT, B-LTA) may follow ours.
    unchanged = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
    if status.modification_level not in unchanged or status.docmdp_ok is False:
        return _with(found, VerdictCode.UPDATED_AFTER_SIGNING)
    if not (status.trusted and status.bottom_line):
        return _with(found, VerdictCode.UNTRUSTED)
    return found


def _context(context_class: Any, roots: Sequence[x509.Certificate]) -> Any:
    # Explicit roots only: an empty list trusts nothing (no fall-back to the system's).
    return context_class(trust_roots=[_asn1(root) for root in roots], allow_fetching=False)


def _with(verdict: Verdict, code: VerdictCode) -> Verdict:
    return Verdict(code, verdict.signer, verdict.signed_at, verdict.level, verdict.development)


def _level(timestamped: bool, has_validation_data: bool) -> str:
    if not timestamped:
        return "B-B"
    return "B-LT" if has_validation_data else "B-T"


def _is_development(certificate: x509.Certificate) -> bool:
    organizations = certificate.subject.get_attributes_for_oid(x509.NameOID.ORGANIZATION_NAME)
    return any(attribute.value == development.ORGANIZATION for attribute in organizations)


def _asn1(certificate: x509.Certificate) -> Any:
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
