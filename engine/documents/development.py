"""The development CA: a root and a signing certificate made on first run without a key.

Documents signed with it say so in the signer's name, so a development document can never
pass for a real one; the root is trusted only where it is configured as a trust root."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from engine.documents.keyfiles import create_private_file

BUNDLE_NAME = "development-signing.pem"
ORGANIZATION = "Madoguchi development"
MARK = "DEVELOPMENT KEY — NOT FOR REAL USE"
ROOT_YEARS = 20
SIGNER_YEARS = 10


@dataclass(frozen=True)
class Issued:
    """A certificate and its private key."""

    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


@dataclass(frozen=True)
class DevelopmentIdentity:
    signer: Issued
    root: x509.Certificate


def load_or_create(data_dir: Path, *, now: datetime | None = None) -> DevelopmentIdentity:
    """The development identity kept in ``data_dir``, created (mode 0600) if there is none.

    One file holds the signer's key, its certificate and the root, so two processes
    starting together cannot mix halves of two identities. The root's key is not kept:
    nothing needs to be issued under it later."""
    path = data_dir / BUNDLE_NAME
    if not path.exists():
        create_private_file(path, _bundle(_generate(now or datetime.now(UTC))))
    return _parse(path.read_bytes())


def new_root(subject: x509.Name, *, now: datetime, years: int = ROOT_YEARS) -> Issued:
    """A self-signed CA certificate (ECDSA P-256) that may sign certificates and CRLs."""
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (
        _builder(subject, subject, key.public_key(), now, years)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    return Issued(builder.sign(key, hashes.SHA256()), key)


def issue(
    issuer: Issued,
    subject: x509.Name,
    *,
    now: datetime,
    timestamping: bool = False,
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey | None = None,
) -> Issued:
    """An end-entity certificate under ``issuer`` for ``key`` (default: a new P-256 key):
    a document signer (digitalSignature and nonRepudiation, which pyHanko requires by
    default), or a timestamp authority."""
    key = key or ec.generate_private_key(ec.SECP256R1())
    builder = (
        _builder(subject, issuer.certificate.subject, key.public_key(), now, SIGNER_YEARS)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            _key_usage(digital_signature=True, content_commitment=not timestamping), True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), False
        )
    )
    if timestamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return Issued(builder.sign(issuer.key, hashes.SHA256()), key)


def _generate(now: datetime) -> DevelopmentIdentity:
    root = new_root(name("Madoguchi development CA — NOT FOR REAL USE", ORGANIZATION), now=now)
    signer = issue(root, name(f"Madoguchi {MARK}", ORGANIZATION), now=now)
    return DevelopmentIdentity(signer, root.certificate)


def _bundle(identity: DevelopmentIdentity) -> bytes:
    key = identity.signer.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    pem = serialization.Encoding.PEM
    return key + identity.signer.certificate.public_bytes(pem) + identity.root.public_bytes(pem)


def _parse(bundle: bytes) -> DevelopmentIdentity:
    key = serialization.load_pem_private_key(bundle, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{BUNDLE_NAME} does not hold an EC key")
    signer, root = x509.load_pem_x509_certificates(bundle)
    return DevelopmentIdentity(Issued(signer, key), root)


def name(common_name: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey | rsa.RSAPublicKey,
    now: datetime,
    years: int,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))  # tolerate a clock a little behind
        .not_valid_after(now + timedelta(days=365 * years))
    )


def _key_usage(
    *,
    digital_signature: bool = False,
    content_commitment: bool = False,
    key_cert_sign: bool = False,
    crl_sign: bool = False,
) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=content_commitment,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=key_cert_sign,
        crl_sign=crl_sign,
        encipher_only=False,
        decipher_only=False,
    )
