"""The errors of issued documents' signing and verification codes."""

from __future__ import annotations


class DocumentError(Exception):
    pass


class SigningSetupError(DocumentError):
    """The configured key, certificate, font or options cannot be used for signing."""


class InvalidDocumentToken(DocumentError):  # noqa: N818 -- reads as what the token is
    """The token is not one we issued, was changed, or has expired."""
