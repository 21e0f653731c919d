"""Issued documents (receipts, decision notices): one row per document, written once.

``migrations/versions/0005_documents.py`` creates exactly this table (a test checks).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.storage.db import Base
from engine.storage.models import ID_LENGTH, NAME_LENGTH, UtcDateTime, new_id

CODE_LENGTH = 32  # the printed verification code, with its hyphens


class Document(Base):
    """A signed PDF issued for a submission. ``round`` is the submission's state_round
    when it was asked for: the same document of the same visit is issued once, however
    often the worker retries. The bytes live in the file storage under ``storage_key``."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("submission_id", "name", "round"),)

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, default=new_id)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))  # a key of `documents`
    round: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8))
    code: Mapped[str] = mapped_column(String(CODE_LENGTH), unique=True)
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
