from __future__ import annotations

import io
import stat
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from engine.documents import development
from engine.documents.config import SigningConfig
from engine.documents.errors import SigningSetupError
from engine.documents.signing import DocumentSigner, PadesLevel, development_roots
from engine.documents.verification import VerdictCode, verify_pdf
from tests.documents.conftest import NOW, OFFICE
from tests.documents.pdfs import one_page_pdf
from tests.renderers.pdf_reading import missing_glyphs, stamp_fonts

pytestmark = pytest.mark.usefixtures("stamp_font")  # signing needs it


def test_first_run_makes_a_development_ca_readable_by_the_owner_only(
    signer: DocumentSigner, signing_dir: Path
) -> None:
    bundle = signing_dir / development.BUNDLE_NAME
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o600
    assert signer.is_development
    assert "DEVELOPMENT KEY — NOT FOR REAL USE" in signer.certificate.subject.rfc4514_string()
    assert "O=Madoguchi development" in signer.certificate.subject.rfc4514_string()


def test_the_development_ca_is_reused_on_the_next_run(
    signer: DocumentSigner, signing_dir: Path
) -> None:
    again = DocumentSigner(SigningConfig(data_dir=signing_dir, office_name=OFFICE))
    assert again.certificate == signer.certificate
    assert again.trust_roots == signer.trust_roots == development_roots(signing_dir)


def test_certificates_carry_the_key_usages_signing_needs(signer: DocumentSigner) -> None:
    root = signer.trust_roots[0]
    root_usage = root.extensions.get_extension_for_class(x509.KeyUsage).value
    assert root_usage.key_cert_sign
    assert root_usage.crl_sign
    usage = signer.certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature
    assert usage.content_commitment  # non-repudiation
    assert signer.certificate.issuer == root.subject


def test_a_signed_document_verifies_as_valid_b_b(signer: DocumentSigner, signed: bytes) -> None:
    verdict = verify_pdf(signed, signer.trust_roots)
    assert verdict.code is VerdictCode.VALID
    assert verdict.level == "B-B" == signer.level
    assert verdict.development
    assert "DEVELOPMENT KEY" in (verdict.signer or "")


def test_the_stamp_on_the_last_page_names_the_office(signed: bytes) -> None:
    reader = PdfFileReader(io.BytesIO(signed))
    signature = reader.embedded_regular_signatures[0]
    widget = signature.sig_field
    _left, bottom, right, top = (float(value) for value in widget["/Rect"])
    assert right > 400  # bottom right
    assert bottom < 100
    assert top - bottom > 40
    assert signature.sig_object["/Name"] == OFFICE
    appearance = widget["/AP"]["/N"]
    assert "/Font" in str(appearance["/Resources"])  # the office name's glyphs travel along


def test_the_stamp_embeds_only_the_glyphs_it_draws(signed: bytes) -> None:
    (font,) = stamp_fonts(signed)
    assert font.embedded
    assert font.name[7] == "+"  # a subset: a six-letter tag before the name
    assert missing_glyphs(signed, OFFICE + "電子署名 Digitally signed", [font]) == set()
    # The office, the label, the time and the development mark, some 50 glyphs: not the
    # ~120 of the font cut for the stamp, nor IPAex Gothic's 12,000.
    assert font.outline_count < 60


def test_another_office_name_can_be_given_per_document(signer: DocumentSigner) -> None:
    signed = signer.sign_pdf(
        one_page_pdf(), reason="決定通知書", location="東京都", office_name="髙橋区役所"
    )
    assert verify_pdf(signed, signer.trust_roots).code is VerdictCode.VALID


def test_keys_from_pem_files(tmp_path: Path) -> None:
    root = development.new_root(development.name("Test root", "Test"), now=NOW)
    signer = DocumentSigner(_pem_config(tmp_path, root))
    assert not signer.is_development
    assert not (tmp_path / development.BUNDLE_NAME).exists()
    assert signer.trust_roots == (root.certificate,)
    signed = signer.sign_pdf(one_page_pdf(), reason="r", location="l")
    verdict = verify_pdf(signed, signer.trust_roots)
    assert verdict.code is VerdictCode.VALID
    assert not verdict.development


def test_a_configured_key_needs_the_root_it_chains_to(tmp_path: Path) -> None:
    root = development.new_root(development.name("Test root", "Test"), now=NOW)
    config = replace(_pem_config(tmp_path, root), trust_roots=())
    with pytest.raises(SigningSetupError, match="MADOGUCHI_TRUST_ROOTS"):
        DocumentSigner(config)


def test_keys_from_a_pkcs12_file(tmp_path: Path) -> None:
    root = development.new_root(development.name("Test root", "Test"), now=NOW)
    leaf = development.issue(root, development.name("Shinjuku City", "Test"), now=NOW)
    p12 = tmp_path / "signer.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"signer", leaf.key, leaf.certificate, [root.certificate],
            serialization.BestAvailableEncryption(b"pw"),
        )
    )  # fmt: skip
    signer = DocumentSigner(
        SigningConfig(data_dir=tmp_path, office_name=OFFICE, p12_file=p12, password="pw")  # noqa: S106 -- a test key
    )
    signed = signer.sign_pdf(one_page_pdf(), reason="r", location="l")
    assert verify_pdf(signed, [root.certificate]).code is VerdictCode.VALID


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"p12_file": Path("/nonexistent.p12")}, "cannot read the signing key"),
        ({"key_file": Path("/nonexistent.pem")}, "set both"),
        (
            {"pkcs11_module": "/nonexistent/pkcs11.so", "trust_roots": (Path("/root.pem"),)},
            "MADOGUCHI_SIGNING_PKCS11_MODULE",
        ),
        ({"pkcs11_module": "/nonexistent/pkcs11.so"}, "set MADOGUCHI_TRUST_ROOTS"),
        ({"stamp_font": Path("/nonexistent.ttf")}, "fonts-ipaexfont-gothic"),
    ],
)
def test_unusable_configuration_is_refused_when_the_signer_starts(
    tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    config = SigningConfig(data_dir=tmp_path, office_name=OFFICE, **changes)  # type: ignore[arg-type]  # parametrized fields
    with pytest.raises(SigningSetupError, match=message):
        DocumentSigner(config)


def test_a_timestamp_makes_it_b_t(signing_dir: Path, tmp_path: Path) -> None:
    signer = DocumentSigner(
        SigningConfig(data_dir=signing_dir, office_name=OFFICE), timestamper=_timestamper()
    )
    signed = signer.sign_pdf(one_page_pdf(), reason="r", location="l")
    verdict = verify_pdf(signed, signer.trust_roots, timestamp_roots=[_TSA_ROOT.certificate])
    assert signer.level is PadesLevel.B_T
    assert verdict.code is VerdictCode.VALID
    assert verdict.level == "B-T"
    # A timestamp from an authority nobody configured does not count.
    assert verify_pdf(signed, signer.trust_roots).code is VerdictCode.UNTRUSTED


def test_validation_data_makes_it_b_lt(tmp_path: Path) -> None:
    root = development.new_root(development.name("Test root", "Test"), now=_NOW_ISH)
    crl = tmp_path / "root.crl"
    crl.write_bytes(_empty_crl(root))
    tsa_root = tmp_path / "tsa-root.pem"
    tsa_root.write_bytes(_TSA_ROOT.certificate.public_bytes(serialization.Encoding.PEM))
    config = replace(
        _pem_config(tmp_path, root, now=_NOW_ISH), crl_files=(crl,), tsa_roots=(tsa_root,)
    )
    signer = DocumentSigner(config, timestamper=_timestamper())
    signed = signer.sign_pdf(one_page_pdf(), reason="r", location="l")
    verdict = verify_pdf(signed, signer.trust_roots, timestamp_roots=signer.timestamp_roots)
    assert signer.level is PadesLevel.B_LT
    assert verdict.code is VerdictCode.VALID
    assert verdict.level == "B-LT"
    assert b"/DSS" in signed
    assert b"/CRLs" in signed  # the revocation data travels with the document


def test_validation_data_without_a_timestamp_is_refused(tmp_path: Path) -> None:
    root = development.new_root(development.name("Test root", "Test"), now=_NOW_ISH)
    crl = tmp_path / "root.crl"
    crl.write_bytes(_empty_crl(root))
    config = replace(_pem_config(tmp_path, root), crl_files=(crl,))
    with pytest.raises(SigningSetupError, match="MADOGUCHI_TSA_URL"):
        DocumentSigner(config)


def _pem_config(folder: Path, root: development.Issued, *, now: datetime = NOW) -> SigningConfig:
    """A signing key (encrypted PEM) and certificate under ``root``, configured as files."""
    leaf = development.issue(root, development.name("Shinjuku City", "Test"), now=now)
    key_file, cert_file, root_file = folder / "key.pem", folder / "cert.pem", folder / "root.pem"
    encryption = serialization.BestAvailableEncryption(b"secret")
    pkcs8 = serialization.PrivateFormat.PKCS8
    key_file.write_bytes(leaf.key.private_bytes(serialization.Encoding.PEM, pkcs8, encryption))
    cert_file.write_bytes(leaf.certificate.public_bytes(serialization.Encoding.PEM))
    root_file.write_bytes(root.certificate.public_bytes(serialization.Encoding.PEM))
    return SigningConfig(
        data_dir=folder, office_name=OFFICE, key_file=key_file, cert_file=cert_file,
        password="secret", trust_roots=(root_file,),  # noqa: S106 -- a test key
    )  # fmt: skip


def _empty_crl(root: development.Issued) -> bytes:
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(root.certificate.subject)
        .last_update(_NOW_ISH)
        .next_update(datetime.now(UTC) + timedelta(days=7))
        .sign(root.key, hashes.SHA256())
    )
    return crl.public_bytes(serialization.Encoding.PEM)


# Timestamps are taken and revocation data checked now, inside pyHanko: the certificates
# and CRLs these involve must be valid at the real time of the test run.
_NOW_ISH = datetime.now(UTC) - timedelta(days=1)
_TSA_ROOT = development.new_root(development.name("Test timestamp root", "Test"), now=_NOW_ISH)


def _timestamper() -> Any:
    """pyHanko's in-process TSA with a timestamping certificate under its own root."""
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's
    # DummyTimeStamper signs with RSA only
    tsa = development.issue(
        _TSA_ROOT,
        development.name("Test TSA", "Test"),
        now=_NOW_ISH,
        timestamping=True,
        key=rsa_key,
    )
    der = serialization.Encoding.DER
    key = tsa.key.private_bytes(
        der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    store = SimpleCertificateStore()
    store.register(asn1_x509.Certificate.load(_TSA_ROOT.certificate.public_bytes(der)))
    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(tsa.certificate.public_bytes(der)),
        tsa_key=keys.PrivateKeyInfo.load(key),
        certs_to_embed=store,
    )
