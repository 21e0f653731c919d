"""The workflow's tables: approval votes, messages and notes, pending timers.

``migrations/versions/0004_workflow.py`` creates exactly these (a test checks).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.storage.db import Base
from engine.storage.models import NAME_LENGTH, USER_ID_LENGTH, BigId, UtcDateTime, utcnow

DECISIONS = ("approve", "reject")
# to_applicant and from_applicant are the conversation with the applicant; a note is
# internal to the office and never shown to the applicant.
MESSAGE_KINDS = ("to_applicant", "from_applicant", "note")
BODY_LENGTH = 4000


class Vote(Base):
    """One role's vote on a transition that needs approvals, during one visit of the
    state (``round``): a later visit votes afresh."""

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("submission_id", "action", "round", "role"),
        CheckConstraint("decision IN ('approve', 'reject')", name="decision"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    action: Mapped[str] = mapped_column(String(NAME_LENGTH))
    round: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(NAME_LENGTH))
    user_id: Mapped[str] = mapped_column(String(USER_ID_LENGTH))
    decision: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint("kind IN ('to_applicant', 'from_applicant', 'note')", name="kind"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    author: Mapped[str] = mapped_column(String(128))  # a user id, or "anonymous"
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Timer(Base):
    """An ``after:`` transition waiting to fire. The worker deletes the row in the same
    transaction that fires it, so it fires once however many workers look."""

    __tablename__ = "timers"
    __table_args__ = (
        UniqueConstraint("submission_id", "action", "round"),
        Index("ix_timers_due_at", "due_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    action: Mapped[str] = mapped_column(String(NAME_LENGTH))
    round: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
