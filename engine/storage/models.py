"""The storage tables: published definitions, drafts, submissions, attachments, events.

The migration ``migrations/versions/0001_storage.py`` creates exactly these; a test checks
that the two agree. User ids are plain strings, not foreign keys: accounts belong to the
auth package, and a submission outlives the account that made it.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from engine.storage.db import Base

# SQLite only auto-increments an INTEGER PRIMARY KEY; BIGINT there would stay NULL.
BigId = BigInteger().with_variant(Integer(), "sqlite")

ID_LENGTH = 32  # room for secrets.token_urlsafe(16) (22 characters) and friends
USER_ID_LENGTH = 32
NAME_LENGTH = 64  # procedure ids, page ids and states are Identifiers (at most 64)


def new_id() -> str:
    """A public random id: 22 url-safe characters, 128 bits, unguessable."""
    return secrets.token_urlsafe(16)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that is always an aware UTC datetime in Python.

    SQLite keeps no time zone (it would hand back naive datetimes, which cannot be
    compared with aware ones) and PostgreSQL answers in the session's time zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be aware (UTC)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class DefinitionVersion(Base):
    __tablename__ = "definition_versions"
    __table_args__ = (UniqueConstraint("procedure", "version"),)

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, default=new_id)
    procedure: Mapped[str] = mapped_column(String(NAME_LENGTH))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[Any] = mapped_column(JSON)  # the YAML's plain data, re-parsed on load
    # The document templates' text by file name; NULL for versions published before they
    # were kept (their documents are rendered from forms/templates/ as they are now).
    templates: Mapped[dict[str, str] | None] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Draft(Base):
    __tablename__ = "drafts"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, default=new_id)
    definition_version_id: Mapped[str] = mapped_column(ForeignKey("definition_versions.id"))
    owner_user_id: Mapped[str | None] = mapped_column(String(USER_ID_LENGTH), index=True)
    resume_token_hash: Mapped[str | None] = mapped_column(String(64))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)  # raw, as typed, page by page
    page_id: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


NO_DUE_DATE = date(9999, 12, 31)


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (
        # The clerks' queues: a department's cases by state, soonest due first.
        Index("ix_submissions_queue", "department", "state", "due_on", "id"),
        Index("ix_submissions_queue_procedure", "department", "procedure", "state", "due_on", "id"),
        Index("ix_submissions_assignee", "assignee_user_id", "due_on", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    public_id: Mapped[str] = mapped_column(String(ID_LENGTH), unique=True, default=new_id)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    definition_version_id: Mapped[str] = mapped_column(ForeignKey("definition_versions.id"))
    procedure: Mapped[str] = mapped_column(String(NAME_LENGTH), index=True)
    applicant_user_id: Mapped[str | None] = mapped_column(String(USER_ID_LENGTH), index=True)
    access_code_hash: Mapped[str | None] = mapped_column(String(64))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)  # normalised; sensitive encrypted
    state: Mapped[str] = mapped_column(String(NAME_LENGTH))
    language: Mapped[str] = mapped_column(String(8))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    row_version: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    # The workflow's view of the case (engine/workflow): who has it, by when, since when.
    department: Mapped[str] = mapped_column(String(NAME_LENGTH))
    assignee_user_id: Mapped[str | None] = mapped_column(String(USER_ID_LENGTH))
    # NO_DUE_DATE when there is none (no processing period, or the clock is paused): a
    # real value keeps the queues' index and keyset pagination free of NULL ordering.
    due_on: Mapped[date] = mapped_column(Date)
    state_entered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Counts the states entered; votes and timers belong to one visit of a state.
    state_round: Mapped[int] = mapped_column(Integer)
    last_actor: Mapped[str | None] = mapped_column(String(128))  # of the last transition
    # The fields a correction request asks for (None: whatever the state allows).
    correction_fields: Mapped[list[str] | None] = mapped_column(JSON)

    # Every UPDATE says WHERE row_version = <what we read>, and bumps it.
    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012 -- SQLAlchemy's API


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, default=new_id)
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(127))
    original_name: Mapped[str] = mapped_column(String(255))  # sanitised, metadata only
    field_path: Mapped[str] = mapped_column(String(255))
    draft_id: Mapped[str | None] = mapped_column(
        ForeignKey("drafts.id", ondelete="SET NULL"), index=True
    )
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    owner: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    def as_answer(self) -> dict[str, Any]:
        """The answer a file field holds for this upload (``engine.fields.files.StoredFile``)."""
        return {
            "id": self.id,
            "name": self.original_name,
            "size": self.size,
            "media_type": self.media_type,
            "sha256": self.sha256,
        }


class Event(Base):
    """The audit log: something that happened, to a submission or not (a sign-in).
    Append-only: the database refuses UPDATE and DELETE on this table (triggers created by
    the migration), and each entry's ``hash`` covers its content and the previous entry's
    hash, so an entry altered or removed by someone who can bypass the triggers shows
    (``engine.storage.events.verify``)."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)  # 1, 2, 3... no gaps
    hash: Mapped[str] = mapped_column(String(64))
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(128))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class AuditHead(Base):
    """The end of the audit chain, one row: appending locks it, so entries are chained
    one after another even when transactions run side by side (PostgreSQL)."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
