"""What the document signer needs to know, read from settings by the application shell."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# A Japanese font for the signature stamp (the office name); Debian's fonts-ipaexfont-gothic.
DEFAULT_STAMP_FONT = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")


@dataclass(frozen=True)
class SigningConfig:
    """Where the signing key comes from and which PAdES level to produce.

    Key sources, first match wins: ``pkcs11_module`` (a PKCS#11 token: the key labelled
    ``pkcs11_key_label`` on the token labelled ``pkcs11_token``, logged in with
    ``pkcs11_pin``; its certificate from the token, labelled ``pkcs11_cert_label`` or like
    the key, unless ``cert_file`` is set), ``p12_file`` (+ ``password``), ``key_file`` +
    ``cert_file`` (PEM, + ``password`` if the key is encrypted), otherwise a development CA
    generated into ``data_dir``.
    ``trust_roots`` are the roots the signing certificate chains to: our documents are
    verified against them (default: the self-signed certificates among the chain).
    B-T needs ``tsa_url`` (``tsa_roots``: the roots its certificates chain to, for checking
    its timestamps); B-LT needs the timestamp too and ``crl_files`` (PEM or DER), the
    revocation data embedded with the chain. Nothing is ever fetched."""

    data_dir: Path
    office_name: str
    key_file: Path | None = None
    cert_file: Path | None = None
    chain_files: tuple[Path, ...] = ()
    p12_file: Path | None = None
    password: str | None = None
    pkcs11_module: str | None = None
    pkcs11_token: str | None = None
    pkcs11_key_label: str | None = None
    pkcs11_cert_label: str | None = None
    pkcs11_pin: str | None = None
    tsa_url: str | None = None
    tsa_roots: tuple[Path, ...] = ()
    trust_roots: tuple[Path, ...] = ()
    crl_files: tuple[Path, ...] = ()
    stamp_font: Path | None = DEFAULT_STAMP_FONT

    @classmethod
    def from_values(cls, values: Mapping[str, str], *, data_dir: Path) -> SigningConfig:
        """Read the ``MADOGUCHI_*`` names (see docs/definition-language.md); lists are
        separated by the platform's path separator (``:``)."""

        def path(name: str) -> Path | None:
            value = values.get(name, "").strip()
            return Path(value) if value else None

        def paths(name: str) -> tuple[Path, ...]:
            return tuple(Path(part) for part in values.get(name, "").split(":") if part.strip())

        return cls(
            data_dir=data_dir,
            office_name=values.get("MADOGUCHI_OFFICE_NAME", "").strip() or "Madoguchi",
            key_file=path("MADOGUCHI_SIGNING_KEY"),
            cert_file=path("MADOGUCHI_SIGNING_CERT"),
            chain_files=paths("MADOGUCHI_SIGNING_CHAIN"),
            p12_file=path("MADOGUCHI_SIGNING_P12"),
            password=values.get("MADOGUCHI_SIGNING_PASSWORD") or None,
            pkcs11_module=values.get("MADOGUCHI_SIGNING_PKCS11_MODULE") or None,
            pkcs11_token=values.get("MADOGUCHI_SIGNING_PKCS11_TOKEN") or None,
            pkcs11_key_label=values.get("MADOGUCHI_SIGNING_PKCS11_KEY_LABEL") or None,
            pkcs11_cert_label=values.get("MADOGUCHI_SIGNING_PKCS11_CERT_LABEL") or None,
            pkcs11_pin=values.get("MADOGUCHI_SIGNING_PKCS11_PIN") or None,
            tsa_url=values.get("MADOGUCHI_TSA_URL") or None,
            tsa_roots=paths("MADOGUCHI_TSA_ROOTS"),
            trust_roots=paths("MADOGUCHI_TRUST_ROOTS"),
            crl_files=paths("MADOGUCHI_VALIDATION_CRLS"),
            stamp_font=path("MADOGUCHI_STAMP_FONT") or DEFAULT_STAMP_FONT,
        )
