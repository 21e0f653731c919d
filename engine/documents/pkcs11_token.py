"""Signing keys kept on a PKCS#11 token (a smart card, an HSM; SoftHSM in the tests),
used through pyHanko's ``PKCS11Signer`` and python-pkcs11.

python-pkcs11 loads a module once per process, and a token's login belongs to the process,
not to one session: logging in again fails, and closing any session logs every one out.
So each token is opened once per process, its session shared by the signers and never
closed (the worker keeps it for its lifetime)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from engine.documents.config import SigningConfig
from engine.documents.errors import SigningSetupError


def token_signer(
    config: SigningConfig,
    certificate: x509.Certificate | None,
    chain: Sequence[x509.Certificate],
) -> tuple[Any, x509.Certificate]:
    """A pyHanko signer for the configured key on the token, and the key's certificate:
    ``certificate`` if given, or else the one on the token. The key and certificate are
    looked up now, so a wrong module, token, PIN or label shows at start-up."""
    from pkcs11 import PKCS11Error
    from pyhanko.sign.pkcs11 import PKCS11Signer

    assert config.pkcs11_module  # noqa: S101 -- the caller chose this source for it
    session = _session(config.pkcs11_module, config.pkcs11_token, config.pkcs11_pin)
    if not config.pkcs11_key_label:
        raise SigningSetupError(
            "set MADOGUCHI_SIGNING_PKCS11_KEY_LABEL to the label of the signing key on the token"
        )
    signer = PKCS11Signer(
        session,
        key_label=config.pkcs11_key_label,
        cert_label=config.pkcs11_cert_label or config.pkcs11_key_label,
        signing_cert=_asn1(certificate) if certificate else None,
        ca_chain=[_asn1(other) for other in chain],
    )
    try:
        found = signer.signing_cert  # reads the key handle and certificate now
    except PKCS11Error as error:
        where = _where(config.pkcs11_module, config.pkcs11_token)
        raise SigningSetupError(f"{where}: {error}") from error
    # EC keys sign a digest made here (CKM_ECDSA): many tokens, SoftHSM among them, lack
    # the hash-and-sign mechanisms (CKM_ECDSA_SHA256) pyHanko would otherwise ask for.
    signer.use_raw_mechanism = found.public_key.algorithm == "ec"
    return signer, x509.load_der_x509_certificate(found.dump())


@cache
def _session(module: str, token: str | None, pin: str | None) -> Any:
    """The token's session for this process, logged in with ``pin``."""
    from pkcs11 import PKCS11Error
    from pkcs11.exceptions import PinIncorrect, PinLocked, UserAlreadyLoggedIn
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import open_pkcs11_session

    where = _where(module, token)
    if not Path(module).is_file():
        raise SigningSetupError(f"{module} does not exist (MADOGUCHI_SIGNING_PKCS11_MODULE)")
    try:
        return open_pkcs11_session(
            module, token_criteria=TokenCriteria(label=token) if token else None, user_pin=pin
        )
    except PinIncorrect as error:
        raise SigningSetupError(f"wrong PIN for {where} (MADOGUCHI_SIGNING_PKCS11_PIN)") from error
    except PinLocked as error:
        raise SigningSetupError(f"the PIN of {where} is locked: too many wrong tries") from error
    except UserAlreadyLoggedIn as error:
        raise SigningSetupError(
            f"{where} is already open in this process with another PIN"
        ) from error
    except PKCS11Error as error:
        hint = "" if token else " (set MADOGUCHI_SIGNING_PKCS11_TOKEN to the token's label)"
        problem = error or type(error).__name__
        raise SigningSetupError(f"cannot open {where}: {problem}{hint}") from error


def _where(module: str, token: str | None) -> str:
    return f"the PKCS#11 token {token!r} in {module}" if token else f"the token in {module}"


def _asn1(certificate: x509.Certificate) -> Any:
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
