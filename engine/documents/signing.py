"""Signing issued PDFs as PAdES with pyHanko.

``DocumentSigner.sign_pdf`` is synchronous and runs pyHanko's event loop itself
(``asyncio.run``): code running inside an event loop (a Starlette handler) must call it
in a worker thread (``anyio.to_thread.run_sync``) or process, never directly."""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from engine.documents import development, stamp
from engine.documents.config import SigningConfig
from engine.documents.errors import SigningSetupError
from engine.documents.loops import without_event_loop

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
    from pyhanko.sign.timestamps import TimeStamper

FIELD_NAME = "MadoguchiSignature"

logger = logging.getLogger(__name__)


class PadesLevel(StrEnum):
    B_B = "B-B"
    B_T = "B-T"
    B_LT = "B-LT"


class DocumentSigner:
    """Signs PDFs with the configured key, or the development key when none is configured.

    ``timestamper`` replaces the HTTP client of ``config.tsa_url`` (tests use pyHanko's
    ``DummyTimeStamper``); either one makes the signatures B-T."""

    def __init__(self, config: SigningConfig, *, timestamper: TimeStamper | None = None) -> None:
        if config.pkcs11_module and not config.trust_roots:
            raise SigningSetupError(_PKCS11_NEEDS_ROOT_FILES)
        self._config = config
        self._signer, self.certificate, chain, self.is_development = _load_signer(config)
        self.trust_roots: tuple[x509.Certificate, ...] = _trust_roots(config, chain)
        self.timestamp_roots = _certificates(config.tsa_roots, "MADOGUCHI_TSA_ROOTS")
        self._timestamper = timestamper or _http_timestamper(config.tsa_url)
        self._crls = _read_crls(config.crl_files)
        if self._crls and self._timestamper is None:
            raise SigningSetupError(
                "B-LT needs a timestamp: set MADOGUCHI_TSA_URL with MADOGUCHI_VALIDATION_CRLS"
            )
        self._stamp_style(config.office_name)  # a missing font shows now, not at the first PDF
        self._reserved: int | None = None
        if self.is_development:
            logger.warning(
                "signing with the development key in %s: documents say NOT FOR REAL USE",
                config.data_dir,
            )

    @property
    def level(self) -> PadesLevel:
        if self._crls:
            return PadesLevel.B_LT
        return PadesLevel.B_T if self._timestamper else PadesLevel.B_B

    def sign_pdf(
        self, pdf: bytes, *, reason: str, location: str, office_name: str | None = None
    ) -> bytes:
        """``pdf`` with a PAdES signature appended in an incremental update, shown as a
        stamp naming ``office_name`` (default: the configured office) on the last page."""
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        office = office_name or self._config.office_name
        metadata = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason,
            location=location,
            name=office,
            embed_validation_info=bool(self._crls),
            validation_context=self._validation_context(),
        )
        field = fields.SigFieldSpec(
            sig_field_name=FIELD_NAME,
            on_page=-1,
            box=stamp.stamp_box(writer),
            readable_field_name=f"{office} signature",
        )
        pdf_signer = signers.PdfSigner(
            metadata,
            signer=self._signer,
            timestamper=self._timestamper,
            stamp_style=self._stamp_style(office),
            new_field_spec=field,
        )
        reserved = self._reserved_bytes()
        output = without_event_loop(
            lambda: pdf_signer.sign_pdf(
                writer, appearance_text_params={"office": office}, bytes_reserved=reserved
            )
        )
        return bytes(output.getvalue())

    def _reserved_bytes(self) -> int:
        """Room for the signature container in the PDF. pyHanko would size it for every
        signature by making a dry-run one (a third of a signature's time); its size depends
        only on the key, the certificates and the timestamp, so it is made once here."""
        if self._reserved is None:
            self._reserved = without_event_loop(lambda: asyncio.run(self._dry_run_size()))
        return self._reserved

    async def _dry_run_size(self) -> int:
        from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

        container = await self._signer.async_sign(
            hashlib.sha256().digest(),
            "sha256",
            dry_run=True,
            use_pades=True,
            timestamper=self._timestamper,
            signed_attr_settings=PdfCMSSignedAttributes(signing_time=datetime.now(UTC)),
        )
        size = len(container.dump()) * 2  # written in hexadecimal
        # pyHanko's margin (its estimate_signature_container_size): timestamp replies vary.
        return size + 2 * (size // 4)

    def _stamp_style(self, office: str) -> Any:
        return stamp.stamp_style(
            self._config.stamp_font, office, for_development=self.is_development
        )

    def _validation_context(self) -> Any:
        if not self._crls:
            return None
        from pyhanko_certvalidator import ValidationContext

        return ValidationContext(
            trust_roots=[_asn1(root) for root in (*self.trust_roots, *self.timestamp_roots)],
            crls=list(self._crls),
            allow_fetching=False,
        )


# With a token, the web process must not log in to it (the worker holds the login): the
# roots come from files.
_PKCS11_NEEDS_ROOT_FILES = (
    "with a PKCS#11 token, set MADOGUCHI_TRUST_ROOTS to the root certificates its "
    "certificate chains to (PEM files)"
)


def verification_roots(config: SigningConfig) -> tuple[x509.Certificate, ...]:
    """The roots our documents' signatures are checked against, read without opening the
    signing key where the configuration allows (MADOGUCHI_TRUST_ROOTS, required with a
    token, or the development CA): the web process never logs in to the worker's token."""
    configured = _certificates(config.trust_roots, "MADOGUCHI_TRUST_ROOTS")
    if configured:
        return configured
    if config.pkcs11_module:
        raise SigningSetupError(_PKCS11_NEEDS_ROOT_FILES)
    if not (config.pkcs11_module or config.p12_file or config.key_file or config.cert_file):
        return development_roots(config.data_dir)
    return DocumentSigner(config).trust_roots


def development_roots(data_dir: Path) -> tuple[x509.Certificate, ...]:
    """The development CA's root, to trust when verifying development documents."""
    return (development.load_or_create(data_dir).root,)


def _load_signer(
    config: SigningConfig,
) -> tuple[Any, x509.Certificate, tuple[x509.Certificate, ...], bool]:
    """pyHanko's signer for the configured key, its certificate, the other certificates of
    its chain, and whether it is the development key."""
    chain = _certificates(config.chain_files, "MADOGUCHI_SIGNING_CHAIN")
    if config.pkcs11_module:
        from engine.documents.pkcs11_token import token_signer

        configured = _certificates(
            (config.cert_file,) if config.cert_file else (), "MADOGUCHI_SIGNING_CERT"
        )
        signer, certificate = token_signer(config, next(iter(configured), None), chain)
        return signer, certificate, chain, False
    key, certificate, chain, is_development = _load_key(config, chain)
    return _simple_signer(key, certificate, chain), certificate, chain, is_development


def _load_key(
    config: SigningConfig, chain: tuple[x509.Certificate, ...]
) -> tuple[PrivateKeyTypes, x509.Certificate, tuple[x509.Certificate, ...], bool]:
    """The signing key from files or the development CA, its certificate, the other
    certificates of its chain, and whether it is the development key."""
    password = config.password.encode() if config.password else None
    try:
        if config.p12_file:
            key, certificate, extra = pkcs12.load_key_and_certificates(
                config.p12_file.read_bytes(), password
            )
            if key is None or certificate is None:
                raise SigningSetupError(f"{config.p12_file} holds no key and certificate")
            return key, certificate, (*extra, *chain), False
        if config.key_file or config.cert_file:
            if not (config.key_file and config.cert_file):
                raise SigningSetupError("set both MADOGUCHI_SIGNING_KEY and MADOGUCHI_SIGNING_CERT")
            key = serialization.load_pem_private_key(config.key_file.read_bytes(), password)
            certificate = x509.load_pem_x509_certificate(config.cert_file.read_bytes())
            return key, certificate, chain, False
    except (OSError, ValueError, TypeError) as error:
        raise SigningSetupError(f"cannot read the signing key: {error}") from error
    identity = development.load_or_create(config.data_dir)
    return identity.signer.key, identity.signer.certificate, (identity.root,), True


def _trust_roots(
    config: SigningConfig, chain: Sequence[x509.Certificate]
) -> tuple[x509.Certificate, ...]:
    configured = _certificates(config.trust_roots, "MADOGUCHI_TRUST_ROOTS")
    self_signed = tuple(
        certificate for certificate in chain if certificate.issuer == certificate.subject
    )
    roots = configured or self_signed
    if not roots:
        raise SigningSetupError(
            "set MADOGUCHI_TRUST_ROOTS to the root the signing certificate chains to"
        )
    return roots


def _read_crls(paths: Sequence[Path]) -> tuple[bytes, ...]:
    """The CRLs in ``paths`` as DER."""
    crls = []
    for path in paths:
        try:
            data = path.read_bytes()
            crl = (
                x509.load_pem_x509_crl(data)
                if data.lstrip().startswith(b"-----BEGIN")
                else x509.load_der_x509_crl(data)
            )
        except (OSError, ValueError) as error:
            raise SigningSetupError(f"cannot read the CRL {path}: {error}") from error
        crls.append(crl.public_bytes(serialization.Encoding.DER))
    return tuple(crls)


def _simple_signer(
    key: PrivateKeyTypes, certificate: x509.Certificate, chain: Sequence[x509.Certificate]
) -> Any:
    from asn1crypto import keys
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    store = SimpleCertificateStore()  # type: ignore[no-untyped-call]  # pyHanko is untyped here
    store.register_multiple([_asn1(other) for other in chain])
    return signers.SimpleSigner(
        signing_cert=_asn1(certificate),
        signing_key=keys.PrivateKeyInfo.load(key_der),
        cert_registry=store,
    )


def _http_timestamper(url: str | None) -> TimeStamper | None:
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url)


def _certificates(paths: Sequence[Path], setting: str) -> tuple[x509.Certificate, ...]:
    """The certificates in ``paths`` (PEM, several to a file, or DER)."""
    certificates: list[x509.Certificate] = []
    for path in paths:
        try:
            data = path.read_bytes()
            if b"-----BEGIN" in data:
                certificates.extend(x509.load_pem_x509_certificates(data))
            else:
                certificates.append(x509.load_der_x509_certificate(data))
        except (OSError, ValueError) as error:
            raise SigningSetupError(f"cannot read {path} ({setting}): {error}") from error
    return tuple(certificates)


def _asn1(certificate: x509.Certificate) -> Any:
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
