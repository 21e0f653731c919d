from __future__ import annotations

import base64
import hashlib
import hmac
import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given, settings
from hypothesis import strategies as st
from jose import jwk, jwt

from engine.documents.codes import new_document_code
from engine.documents.errors import InvalidDocumentToken
from engine.documents.tokens import (
    AUDIENCE,
    KEY_FILE,
    DocumentClaims,
    DocumentKeys,
    DocumentKind,
    decode_document_token,
    issue_document_token,
)

ISSUER = "https://madoguchi.city.example.jp"
_FUZZ_KEY = ec.generate_private_key(ec.SECP256R1())
_CLAIM_NAMES = ["iss", "sub", "aud", "iat", "exp", "kind", "procedure", "reference", "issued_at",
                "sha256", "nbf", "jti"]  # fmt: skip
ISSUED = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> DocumentKeys:
    return DocumentKeys.load_or_create(tmp_path_factory.mktemp("keys"))


@pytest.fixture
def claims() -> DocumentClaims:
    return DocumentClaims(
        document_id=new_document_code(),
        kind=DocumentKind.RECEIPT,
        procedure="childcare-enrollment",
        reference="MD-7K4-Q9X-PAH",
        issued_at=ISSUED,
        sha256=hashlib.sha256(b"the signed pdf").hexdigest(),
    )


def test_round_trip(keys: DocumentKeys, claims: DocumentClaims) -> None:
    token = issue_document_token(claims, keys, issuer=ISSUER)
    assert decode_document_token(token, keys, issuer=ISSUER) == claims


def test_the_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    first = DocumentKeys.load_or_create(tmp_path)
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600
    assert DocumentKeys.load_or_create(tmp_path).kid == first.kid


def test_jwks_publishes_the_public_key_only(keys: DocumentKeys, claims: DocumentClaims) -> None:
    (entry,) = keys.jwks()["keys"]
    assert entry["kid"] == keys.kid
    assert entry["use"] == "sig"
    assert entry["alg"] == "ES256"
    assert "d" not in entry
    # Anyone can verify offline with the published key alone.
    token = issue_document_token(claims, keys, issuer=ISSUER)
    payload = jwt.decode(token, entry, algorithms=["ES256"], audience=AUDIENCE)
    assert payload["sha256"] == claims.sha256


def test_retired_keys_still_verify_their_tokens(claims: DocumentClaims) -> None:
    old_key = ec.generate_private_key(ec.SECP256R1())
    old = DocumentKeys(old_key)
    token = issue_document_token(claims, old, issuer=ISSUER)
    rotated = DocumentKeys(ec.generate_private_key(ec.SECP256R1()), (old_key.public_key(),))
    assert decode_document_token(token, rotated, issuer=ISSUER) == claims
    assert len(rotated.jwks()["keys"]) == 2


def _refused(token: str, keys: DocumentKeys) -> None:
    with pytest.raises(InvalidDocumentToken):
        decode_document_token(token, keys, issuer=ISSUER)


def _segment(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def _payload(token: str) -> dict[str, object]:
    body = token.split(".")[1]
    decoded: dict[str, object] = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return decoded


@pytest.mark.parametrize("encoding", [serialization.Encoding.PEM, serialization.Encoding.DER])
def test_hs256_keyed_with_our_public_key_is_refused(
    keys: DocumentKeys, claims: DocumentClaims, encoding: serialization.Encoding
) -> None:
    pem = keys.public_pem(keys.kid)
    assert pem is not None
    public = serialization.load_pem_public_key(pem.encode())
    secret = public.public_bytes(encoding, serialization.PublicFormat.SubjectPublicKeyInfo)
    payload = _payload(issue_document_token(claims, keys, issuer=ISSUER))
    signing_input = f"{_segment({'alg': 'HS256', 'kid': keys.kid})}.{_segment(payload)}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    _refused(f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}", keys)


def test_alg_none_is_refused(keys: DocumentKeys, claims: DocumentClaims) -> None:
    payload = _payload(issue_document_token(claims, keys, issuer=ISSUER))
    _refused(f"{_segment({'alg': 'none', 'kid': keys.kid})}.{_segment(payload)}.", keys)


def test_an_expired_token_is_refused(keys: DocumentKeys, claims: DocumentClaims) -> None:
    long_ago = datetime(1990, 1, 1, tzinfo=UTC)  # 30 years' lifetime: ended in 2020
    _refused(issue_document_token(claims, keys, issuer=ISSUER, now=long_ago), keys)


def test_a_token_for_another_audience_or_issuer_is_refused(
    keys: DocumentKeys, claims: DocumentClaims
) -> None:
    payload = _payload(issue_document_token(claims, keys, issuer=ISSUER))
    _refused(keys.sign({**payload, "aud": "madoguchi-session"}), keys)
    _refused(issue_document_token(claims, keys, issuer="https://evil.example"), keys)


@pytest.mark.parametrize("claim", ["exp", "iat", "aud", "iss", "sub", "sha256", "kind"])
def test_a_token_missing_a_required_claim_is_refused(
    keys: DocumentKeys, claims: DocumentClaims, claim: str
) -> None:
    payload = _payload(issue_document_token(claims, keys, issuer=ISSUER))
    del payload[claim]
    _refused(keys.sign(payload), keys)


def test_a_key_we_do_not_know_is_refused(keys: DocumentKeys, claims: DocumentClaims) -> None:
    stranger = DocumentKeys(ec.generate_private_key(ec.SECP256R1()))
    _refused(issue_document_token(claims, stranger, issuer=ISSUER), keys)


def test_a_key_offered_in_the_header_is_not_used(
    keys: DocumentKeys, claims: DocumentClaims
) -> None:
    attacker = ec.generate_private_key(ec.SECP256R1())
    attacker_pem = attacker.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_jwk = jwk.construct(
        attacker.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode(),
        "ES256",
    ).to_dict()
    payload = _payload(issue_document_token(claims, keys, issuer=ISSUER))
    for header in ({"kid": keys.kid, "jwk": public_jwk}, {"kid": keys.kid, "jku": "https://x"}):
        _refused(jwt.encode(payload, attacker_pem, algorithm="ES256", headers=header), keys)


def test_a_tampered_payload_is_refused(keys: DocumentKeys, claims: DocumentClaims) -> None:
    header, _, signature = issue_document_token(claims, keys, issuer=ISSUER).split(".")
    payload = _payload(issue_document_token(claims, keys, issuer=ISSUER))
    forged = {**payload, "sha256": "0" * 64}
    _refused(f"{header}.{_segment(forged)}.{signature}", keys)


@pytest.mark.parametrize("token", ["", "a.b.c", "x" * 5000, "e30.e30.", "...."])
def test_garbage_is_refused(keys: DocumentKeys, token: str) -> None:
    _refused(token, keys)


def test_lifetime_is_long_but_bounded(keys: DocumentKeys, claims: DocumentClaims) -> None:
    payload = _payload(issue_document_token(claims, keys, issuer=ISSUER, now=ISSUED))
    lifetime = timedelta(seconds=int(str(payload["exp"])) - int(str(payload["iat"])))
    assert timedelta(days=365 * 10) < lifetime < timedelta(days=366 * 31)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_refused_cleanly(text: str) -> None:
    keys = DocumentKeys(_FUZZ_KEY)
    _refused(text, keys)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(_CLAIM_NAMES), json_values, max_size=len(_CLAIM_NAMES)))
def test_signed_but_odd_claims_are_refused_cleanly(payload: dict[str, object]) -> None:
    keys = DocumentKeys(_FUZZ_KEY)
    # Our own key signed it: only the claims can be wrong, and that must never crash.
    _refused(keys.sign(payload), keys)
