"""The signed data behind a document's verification code: a compact JWS (ES256).

Anyone can check it offline against ``/.well-known/jwks.json``. Every token is read
through ``decode_document_token`` and nothing else: one allow-listed algorithm, every
claim required, the key chosen by ``kid`` from our own key set only (a token's
``jku``/``jwk``/``x5u`` headers are never used). The lifetime is long because documents
stay verifiable for as long as they are kept; ``exp`` is still required, so that no token
is valid forever and a lost key's tokens run out."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jose import jwk, jwt
from jose.exceptions import JOSEError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.documents.codes import normalize_document_code
from engine.documents.errors import InvalidDocumentToken
from engine.documents.keyfiles import create_private_file

ALGORITHM = "ES256"
AUDIENCE = "madoguchi-document"
KEY_FILE = "document-token-key.pem"
LIFETIME = timedelta(days=366 * 30)  # the longest usual retention of administrative files
MAX_TOKEN_LENGTH = 4096
LEEWAY_SECONDS = 30


class DocumentKind(StrEnum):
    RECEIPT = "receipt"
    DECISION = "decision"


@dataclass(frozen=True)
class DocumentClaims:
    """What a verification code says about its document."""

    document_id: str  # the printed code, canonical form
    kind: DocumentKind
    procedure: str
    reference: str
    issued_at: datetime
    sha256: str  # of the signed PDF, lower-case hex


class DocumentKeys:
    """Our ES256 keys: ``signing_key`` signs new tokens, ``retired`` (public keys of earlier
    signing keys) still verify the tokens they signed."""

    def __init__(
        self,
        signing_key: ec.EllipticCurvePrivateKey,
        retired: tuple[ec.EllipticCurvePublicKey, ...] = (),
    ) -> None:
        if not isinstance(signing_key.curve, ec.SECP256R1):
            raise ValueError("ES256 needs a P-256 key")
        self._signing_pem = _private_pem(signing_key)
        public = (signing_key.public_key(), *retired)
        self._public = {_kid(key): _public_pem(key) for key in public}
        self.kid = _kid(signing_key.public_key())

    @classmethod
    def load_or_create(cls, data_dir: Path) -> DocumentKeys:
        """The key kept in ``data_dir``, created (mode 0600) on first run."""
        path = data_dir / KEY_FILE
        if not path.exists():
            create_private_file(path, _private_pem(ec.generate_private_key(ec.SECP256R1())))
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError(f"{path} does not hold an EC key")
        return cls(key)

    def public_pem(self, kid: str) -> str | None:
        return self._public.get(kid)

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        """The public keys as a JWK Set, for ``/.well-known/jwks.json``."""
        keys = []
        for kid, pem in self._public.items():
            entry = {
                name: str(value) for name, value in jwk.construct(pem, ALGORITHM).to_dict().items()
            }
            keys.append({**entry, "kid": kid, "use": "sig"})
        return {"keys": keys}

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self._signing_pem, algorithm=ALGORITHM, headers={"kid": self.kid})


def issue_document_token(
    claims: DocumentClaims, keys: DocumentKeys, *, issuer: str, now: datetime | None = None
) -> str:
    """The compact JWS for ``claims``, issued by ``issuer`` (our base URL)."""
    issued = now or datetime.now(UTC)
    return keys.sign(
        {
            "iss": issuer,
            "sub": claims.document_id,
            "aud": AUDIENCE,
            "iat": int(issued.timestamp()),
            "exp": int((issued + LIFETIME).timestamp()),
            "kind": claims.kind.value,
            "procedure": claims.procedure,
            "reference": claims.reference,
            "issued_at": claims.issued_at.isoformat(),
            "sha256": claims.sha256,
        }
    )


def decode_document_token(token: str, keys: DocumentKeys, *, issuer: str) -> DocumentClaims:
    """The claims of a token we issued and that is still valid; ``InvalidDocumentToken``
    for anything else. The only place tokens are read."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidDocumentToken("token too long")
    try:
        header = jwt.get_unverified_header(token)
    except JOSEError as error:
        raise InvalidDocumentToken("not a JWS") from error
    # The header only picks one of our keys; the algorithm is fixed below regardless.
    kid = header.get("kid")
    key = keys.public_pem(kid) if isinstance(kid, str) else None
    if key is None or header.get("alg") != ALGORITHM or "crit" in header:
        raise InvalidDocumentToken("not signed with one of our keys")
    try:
        payload = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=issuer,
            options={
                "require_exp": True,
                "require_iat": True,
                "require_aud": True,
                "require_iss": True,
                "require_sub": True,
                "leeway": LEEWAY_SECONDS,
            },
        )
        return _Payload.model_validate(payload).claims()
    # python-jose raises TypeError and the like for claims of the wrong type (an "iat" of
    # null): those are forged or broken tokens too, not our errors.
    except (JOSEError, ValidationError, TypeError, ValueError, OverflowError) as error:
        raise InvalidDocumentToken(str(error)) from error


class _Payload(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    sub: str
    kind: Literal["receipt", "decision"]
    procedure: str = Field(min_length=1, max_length=200)
    reference: str = Field(min_length=1, max_length=64)
    issued_at: datetime
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")

    def claims(self) -> DocumentClaims:
        document_id = normalize_document_code(self.sub)
        if document_id != self.sub or self.issued_at.tzinfo is None:
            raise InvalidDocumentToken("malformed document claims")
        return DocumentClaims(
            document_id,
            DocumentKind(self.kind),
            self.procedure,
            self.reference,
            self.issued_at,
            self.sha256,
        )


def _kid(key: ec.EllipticCurvePublicKey) -> str:
    """The key's RFC 7638 thumbprint: the same key always gets the same ``kid``."""
    entry = jwk.construct(_public_pem(key), ALGORITHM).to_dict()
    canonical = json.dumps(
        {name: entry[name] for name in ("crv", "kty", "x", "y")}, separators=(",", ":")
    )
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _private_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _public_pem(key: ec.EllipticCurvePublicKey) -> str:
    # PEM text, never DER: python-jose accepted an HS256 token keyed with a DER public key.
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
