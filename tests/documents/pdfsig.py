"""Runs poppler's ``pdfsig``, an independent verifier, against a temporary NSS database
that trusts only the given roots (nothing is fetched: our certificates name no OCSP or
CA-issuers address).

``-no-ocsp`` is not used: poppler 22.12 then reports "Unknown issue with Certificate" even
for a trusted chain."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

PDFSIG = "/usr/bin/pdfsig"
CERTUTIL = "/usr/bin/certutil"


def require_tools() -> None:
    missing = [tool for tool in (PDFSIG, CERTUTIL) if not os.path.exists(tool)]
    if missing:
        reason = (
            f"{', '.join(missing)} missing (Debian: apt-get install poppler-utils libnss3-tools)"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def pdfsig(pdf: bytes, roots: Sequence[x509.Certificate], folder: Path) -> str:
    """pdfsig's report on ``pdf`` with ``roots`` trusted for signing."""
    require_tools()
    database = folder / "nss"
    if database.exists():
        shutil.rmtree(database)
    database.mkdir()
    _run([CERTUTIL, "-N", "-d", f"sql:{database}", "--empty-password"])
    for index, root in enumerate(roots):
        pem = folder / f"root-{index}.pem"
        pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
        # C,C,C: a trusted CA for TLS, e-mail (which covers document signing) and code.
        _run([CERTUTIL, "-A", "-d", f"sql:{database}", "-n", f"root-{index}", "-t", "C,C,C",
              "-a", "-i", str(pem)])  # fmt: skip
    document = folder / "document.pdf"
    document.write_bytes(pdf)
    return _run([PDFSIG, "-nssdir", f"sql:{database}", str(document)])


def _run(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603 -- fixed tools, our arguments
    if result.returncode not in (0, 1, 2, 3, 4):  # pdfsig exits non-zero for a bad signature
        raise AssertionError(f"{command[0]} failed: {result.stderr}")
    return result.stdout + result.stderr
