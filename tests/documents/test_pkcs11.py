"""Signing with a key on a PKCS#11 token: SoftHSM2, a real software token, in a folder of
the test session's own (never the user's ~/.config/softhsm2).

python-pkcs11 loads the module once per process and SoftHSM reads its configuration then,
so one session-wide folder holds every token these tests use."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pkcs11
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pkcs11.util.ec import encode_named_curve_parameters

from engine.documents import development
from engine.documents.config import SigningConfig
from engine.documents.errors import SigningSetupError
from engine.documents.signing import DocumentSigner, verification_roots
from engine.documents.verification import VerdictCode, verify_pdf
from tests.documents.conftest import NOW, OFFICE
from tests.documents.pdfs import one_page_pdf
from tests.documents.pdfsig import pdfsig

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
SOFTHSM_UTIL = "/usr/bin/softhsm2-util"
TOKEN, SPARE_TOKEN = "office", "spare"  # the spare is never logged in: wrong PINs show there
PIN = "246810"
KEY, BARE_KEY = "signing key", "bare key"  # the bare key has no certificate on the token

pytestmark = pytest.mark.usefixtures("stamp_font")  # signing needs it


def test_a_key_on_the_token_signs_documents_that_verify(
    token_config: SigningConfig, token_root: development.Issued, tmp_path: Path
) -> None:
    signer = DocumentSigner(token_config)
    assert not signer.is_development
    assert "Shinjuku City" in signer.certificate.subject.rfc4514_string()  # read from the token
    assert signer.trust_roots == (token_root.certificate,)
    signed = signer.sign_pdf(one_page_pdf(), reason="決定通知書", location="東京都新宿区")
    verdict = verify_pdf(signed, [token_root.certificate])
    assert verdict.code is VerdictCode.VALID
    assert verdict.level == "B-B"
    assert not verdict.development
    report = pdfsig(signed, [token_root.certificate], tmp_path)
    assert "Signature Validation: Signature is Valid." in report
    assert "Certificate Validation: Certificate is Trusted." in report


def test_the_worker_and_the_web_process_part_can_both_open_the_token(
    token_config: SigningConfig, token_root: development.Issued
) -> None:
    # A PKCS#11 login belongs to the process: a second signer shares the first one's.
    first, second = DocumentSigner(token_config), DocumentSigner(token_config)
    for signer in (first, second):
        signed = signer.sign_pdf(one_page_pdf(), reason="r", location="l")
        assert verify_pdf(signed, [token_root.certificate]).code is VerdictCode.VALID


def test_the_certificate_can_come_from_a_file_when_the_token_has_none(
    token_config: SigningConfig, token_root: development.Issued, softhsm: Path
) -> None:
    config = replace(
        token_config, pkcs11_key_label=BARE_KEY, cert_file=softhsm / "bare-key-cert.pem"
    )
    signer = DocumentSigner(config)
    assert "Bare key holder" in signer.certificate.subject.rfc4514_string()
    signed = signer.sign_pdf(one_page_pdf(), reason="r", location="l")
    assert verify_pdf(signed, [token_root.certificate]).code is VerdictCode.VALID


def test_a_wrong_pin_is_refused_when_the_signer_starts(token_config: SigningConfig) -> None:
    config = replace(token_config, pkcs11_token=SPARE_TOKEN, pkcs11_pin="999999")
    with pytest.raises(SigningSetupError, match="wrong PIN for the PKCS#11 token 'spare'"):
        DocumentSigner(config)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pkcs11_module": "/nonexistent/pkcs11.so"}, "/nonexistent/pkcs11.so does not exist"),
        ({"pkcs11_token": "nobody"}, "cannot open the PKCS#11 token 'nobody'.*No token"),
        (
            {"pkcs11_key_label": "missing", "pkcs11_cert_label": KEY},
            "Could not find private key with label 'missing'",
        ),
        ({"pkcs11_key_label": None}, "MADOGUCHI_SIGNING_PKCS11_KEY_LABEL"),
        ({"pkcs11_key_label": BARE_KEY}, "Could not find certificate with label 'bare key'"),
    ],
)
def test_an_unusable_token_configuration_is_refused_when_the_signer_starts(
    token_config: SigningConfig, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(SigningSetupError, match=message):
        DocumentSigner(replace(token_config, **changes))  # type: ignore[arg-type]  # parametrized fields


def test_the_web_process_reads_the_trust_roots_without_opening_the_token(
    token_root: development.Issued, tmp_path: Path
) -> None:
    root = tmp_path / "root.pem"
    root.write_bytes(token_root.certificate.public_bytes(serialization.Encoding.PEM))
    config = SigningConfig(
        data_dir=tmp_path,
        office_name=OFFICE,
        pkcs11_module=str(tmp_path / "no-such-module.so"),  # opening it would fail
        trust_roots=(root,),
    )
    assert verification_roots(config) == (token_root.certificate,)
    with pytest.raises(SigningSetupError, match="set MADOGUCHI_TRUST_ROOTS"):
        verification_roots(replace(config, trust_roots=()))
    with pytest.raises(SigningSetupError, match="set MADOGUCHI_TRUST_ROOTS"):
        DocumentSigner(replace(config, trust_roots=()))  # the worker says so at start-up


@pytest.fixture(scope="session")
def token_root() -> development.Issued:
    return development.new_root(development.name("Token test root", "Test"), now=NOW)


@pytest.fixture
def token_config(softhsm: Path) -> SigningConfig:
    return SigningConfig(
        data_dir=softhsm, office_name=OFFICE, pkcs11_module=MODULE, pkcs11_token=TOKEN,
        pkcs11_key_label=KEY, pkcs11_pin=PIN, chain_files=(softhsm / "root.pem",),
        trust_roots=(softhsm / "root.pem",),
    )  # fmt: skip


@pytest.fixture(scope="session")
def softhsm(
    tmp_path_factory: pytest.TempPathFactory, token_root: development.Issued
) -> Iterator[Path]:
    """A SoftHSM folder with the office token (a key with its certificate, and a key
    without) and a spare token, the process pointed at it before the module loads."""
    if not (os.path.exists(MODULE) and shutil.which(SOFTHSM_UTIL)):
        reason = f"{MODULE} missing (Debian: apt-get install softhsm2)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(conf))
        for label in (TOKEN, SPARE_TOKEN):
            subprocess.run(  # noqa: S603 -- a fixed tool, our arguments
                [SOFTHSM_UTIL, "--init-token", "--free", "--label", label,
                 "--so-pin", "13579135", "--pin", PIN],
                check=True, capture_output=True, timeout=60,
            )  # fmt: skip
        _store_identities(folder, token_root)
        yield folder


def _store_identities(folder: Path, root: development.Issued) -> None:
    pem = serialization.Encoding.PEM
    (folder / "root.pem").write_bytes(root.certificate.public_bytes(pem))
    leaf = development.issue(root, development.name("Shinjuku City", "Test"), now=NOW)
    bare = development.issue(root, development.name("Bare key holder", "Test"), now=NOW)
    (folder / "bare-key-cert.pem").write_bytes(bare.certificate.public_bytes(pem))
    # The first use of the module in this process: SoftHSM reads SOFTHSM2_CONF now.
    token = pkcs11.lib(MODULE).get_token(token_label=TOKEN)
    with token.open(rw=True, user_pin=PIN) as session:
        _store_key(session, KEY, b"\x01", leaf)
        _store_key(session, BARE_KEY, b"\x02", bare)
        session.create_object({
            pkcs11.Attribute.CLASS: pkcs11.ObjectClass.CERTIFICATE,
            pkcs11.Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
            pkcs11.Attribute.TOKEN: True,
            pkcs11.Attribute.LABEL: KEY,
            pkcs11.Attribute.ID: b"\x01",
            pkcs11.Attribute.SUBJECT: leaf.certificate.subject.public_bytes(),
            pkcs11.Attribute.VALUE: leaf.certificate.public_bytes(serialization.Encoding.DER),
        })  # fmt: skip


def _store_key(
    session: pkcs11.Session, label: str, key_id: bytes, issued: development.Issued
) -> None:
    """Import the P-256 key of ``issued`` as a private, unextractable signing key."""
    assert isinstance(issued.key, ec.EllipticCurvePrivateKey)
    session.create_object({
        pkcs11.Attribute.CLASS: pkcs11.ObjectClass.PRIVATE_KEY,
        pkcs11.Attribute.KEY_TYPE: pkcs11.KeyType.EC,
        pkcs11.Attribute.EC_PARAMS: encode_named_curve_parameters("secp256r1"),
        pkcs11.Attribute.VALUE: issued.key.private_numbers().private_value.to_bytes(32, "big"),
        pkcs11.Attribute.TOKEN: True,
        pkcs11.Attribute.PRIVATE: True,
        pkcs11.Attribute.SENSITIVE: True,
        pkcs11.Attribute.EXTRACTABLE: False,
        pkcs11.Attribute.SIGN: True,
        pkcs11.Attribute.LABEL: label,
        pkcs11.Attribute.ID: key_id,
    })  # fmt: skip
