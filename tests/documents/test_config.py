from __future__ import annotations

from pathlib import Path

from engine.documents.config import DEFAULT_STAMP_FONT, SigningConfig


def test_nothing_configured_means_the_development_key() -> None:
    config = SigningConfig.from_values({}, data_dir=Path("data"))
    assert config == SigningConfig(data_dir=Path("data"), office_name="Madoguchi")
    assert config.stamp_font == DEFAULT_STAMP_FONT


def test_every_variable_is_read() -> None:
    config = SigningConfig.from_values(
        {
            "MADOGUCHI_OFFICE_NAME": " 新宿区 子ども家庭部 ",
            "MADOGUCHI_SIGNING_KEY": "/keys/signer.key",
            "MADOGUCHI_SIGNING_CERT": "/keys/signer.pem",
            "MADOGUCHI_SIGNING_CHAIN": "/keys/ca.pem:/keys/intermediate.pem",
            "MADOGUCHI_SIGNING_P12": "/keys/signer.p12",
            "MADOGUCHI_SIGNING_PASSWORD": "pw",
            "MADOGUCHI_SIGNING_PKCS11_MODULE": "/usr/lib/pkcs11.so",
            "MADOGUCHI_SIGNING_PKCS11_TOKEN": "office token",
            "MADOGUCHI_SIGNING_PKCS11_KEY_LABEL": "signing key",
            "MADOGUCHI_SIGNING_PKCS11_CERT_LABEL": "signing certificate",
            "MADOGUCHI_SIGNING_PKCS11_PIN": "123456",
            "MADOGUCHI_TSA_URL": "https://tsa.example.jp/tsa",
            "MADOGUCHI_TSA_ROOTS": "/keys/tsa-root.pem",
            "MADOGUCHI_TRUST_ROOTS": "/keys/root.pem",
            "MADOGUCHI_VALIDATION_CRLS": "/keys/root.crl",
            "MADOGUCHI_STAMP_FONT": "/fonts/office.otf",
        },
        data_dir=Path("/srv/data"),
    )
    assert config == SigningConfig(
        data_dir=Path("/srv/data"),
        office_name="新宿区 子ども家庭部",
        key_file=Path("/keys/signer.key"),
        cert_file=Path("/keys/signer.pem"),
        chain_files=(Path("/keys/ca.pem"), Path("/keys/intermediate.pem")),
        p12_file=Path("/keys/signer.p12"),
        password="pw",  # noqa: S106 -- a test value
        pkcs11_module="/usr/lib/pkcs11.so",
        pkcs11_token="office token",  # noqa: S106 -- the token's label, not a secret
        pkcs11_key_label="signing key",
        pkcs11_cert_label="signing certificate",
        pkcs11_pin="123456",
        tsa_url="https://tsa.example.jp/tsa",
        tsa_roots=(Path("/keys/tsa-root.pem"),),
        trust_roots=(Path("/keys/root.pem"),),
        crl_files=(Path("/keys/root.crl"),),
        stamp_font=Path("/fonts/office.otf"),
    )
