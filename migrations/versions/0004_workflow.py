"""Workflow: the case columns of submissions, votes, messages, timers, the outbox, and
the audit chain over the event log.

Revision ID: 0004_workflow
Revises: 0003_clerks
Create Date: 2026-11-26
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004_workflow"
down_revision = "0003_clerks"
branch_labels = None
depends_on = None

# Written out rather than imported: a migration must not change when the models do.
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)
NO_DUE_DATE = date(9999, 12, 31)
GENESIS = "0" * 64

SQLITE_TRIGGERS = [
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END""",
    """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END""",
]


def upgrade() -> None:
    _add_case_columns()
    _create_workflow_tables()
    _chain_the_event_log()


def downgrade() -> None:
    _unchain_the_event_log()
    op.drop_table("outbox")
    op.drop_table("timers")
    op.drop_table("messages")
    op.drop_table("votes")
    op.drop_index("ix_submissions_assignee", table_name="submissions")
    op.drop_index("ix_submissions_queue_procedure", table_name="submissions")
    op.drop_index("ix_submissions_queue", table_name="submissions")
    with op.batch_alter_table("submissions") as batch:
        for column in (
            "correction_fields",
            "last_actor",
            "state_round",
            "state_entered_at",
            "due_on",
            "assignee_user_id",
            "department",
        ):
            batch.drop_column(column)


def _add_case_columns() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(sa.Column("department", sa.String(64), nullable=True))
        batch.add_column(sa.Column("assignee_user_id", sa.String(32), nullable=True))
        batch.add_column(sa.Column("due_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("state_entered_at", TIMESTAMP, nullable=True))
        batch.add_column(sa.Column("state_round", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("last_actor", sa.String(128), nullable=True))
        batch.add_column(sa.Column("correction_fields", sa.JSON(), nullable=True))
    _fill_case_columns()
    with op.batch_alter_table("submissions") as batch:
        for column in ("department", "due_on", "state_entered_at", "state_round"):
            batch.alter_column(column, nullable=False)
    op.create_index("ix_submissions_queue", "submissions", ["department", "state", "due_on", "id"])
    op.create_index(
        "ix_submissions_queue_procedure",
        "submissions",
        ["department", "procedure", "state", "due_on", "id"],
    )
    op.create_index("ix_submissions_assignee", "submissions", ["assignee_user_id", "due_on", "id"])


def _fill_case_columns() -> None:
    # Existing submissions: their procedure's department, no due date (the next state
    # change computes one), in their state since they were last updated.
    connection = op.get_bind()
    versions = sa.table("definition_versions", sa.column("id"), sa.column("data", sa.JSON()))
    submissions = sa.table(
        "submissions",
        sa.column("definition_version_id"),
        sa.column("updated_at", TIMESTAMP),
        sa.column("department"),
        sa.column("due_on", sa.Date()),
        sa.column("state_entered_at", TIMESTAMP),
        sa.column("state_round"),
    )
    for version_id, data in connection.execute(sa.select(versions.c.id, versions.c.data)):
        connection.execute(
            submissions.update()
            .where(submissions.c.definition_version_id == version_id)
            .values(
                department=str(data["department"]),
                due_on=NO_DUE_DATE,
                state_entered_at=submissions.c.updated_at,
                state_round=1,
            )
        )


def _create_workflow_tables() -> None:
    op.create_table(
        "votes",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("submission_id", BIG_ID, nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint("decision IN ('approve', 'reject')", name=op.f("ck_votes_decision")),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submissions.id"], name=op.f("fk_votes_submission_id_submissions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_votes")),
        sa.UniqueConstraint(
            "submission_id", "action", "round", "role", name=op.f("uq_votes_submission_id")
        ),
    )
    op.create_index(op.f("ix_votes_submission_id"), "votes", ["submission_id"])
    op.create_table(
        "messages",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("submission_id", BIG_ID, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint(
            "kind IN ('to_applicant', 'from_applicant', 'note')", name=op.f("ck_messages_kind")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_messages_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    op.create_index(op.f("ix_messages_submission_id"), "messages", ["submission_id"])
    op.create_table(
        "timers",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("submission_id", BIG_ID, nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("due_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submissions.id"], name=op.f("fk_timers_submission_id_submissions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timers")),
        sa.UniqueConstraint(
            "submission_id", "action", "round", name=op.f("uq_timers_submission_id")
        ),
    )
    op.create_index("ix_timers_due_at", "timers", ["due_at"])
    op.create_index(op.f("ix_timers_submission_id"), "timers", ["submission_id"])
    op.create_table(
        "outbox",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("available_at", TIMESTAMP, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index(op.f("ix_outbox_available_at"), "outbox", ["available_at"])


def _chain_the_event_log() -> None:
    _drop_sqlite_triggers()  # SQLite alters by copying the table, which drops them
    _suspend_postgresql_triggers()
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("seq", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(64), nullable=True))
    seq, last = _hash_existing_events()
    with op.batch_alter_table("events") as batch:
        batch.alter_column("seq", nullable=False)
        batch.alter_column("hash", nullable=False)
        batch.create_unique_constraint(op.f("uq_events_seq"), ["seq"])
    audit_head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.bulk_insert(audit_head, [{"id": 1, "seq": seq, "hash": last}])
    _restore_triggers()


def _hash_existing_events() -> tuple[int, str]:
    """Chain the entries written before the chain existed, in the order they were made."""
    connection = op.get_bind()
    events = sa.table(
        "events",
        sa.column("id"),
        sa.column("submission_id"),
        sa.column("kind"),
        sa.column("actor"),
        sa.column("data", sa.JSON()),
        sa.column("created_at", TIMESTAMP),
        sa.column("seq"),
        sa.column("hash"),
    )
    rows = connection.execute(
        sa.select(
            events.c.id,
            events.c.submission_id,
            events.c.kind,
            events.c.actor,
            events.c.data,
            events.c.created_at,
        ).order_by(events.c.id)
    ).all()
    previous, seq = GENESIS, 0
    for row in rows:
        seq += 1
        previous = _entry_hash(previous, seq, row)
        connection.execute(
            events.update().where(events.c.id == row.id).values(seq=seq, hash=previous)
        )
    return seq, previous


def _entry_hash(previous: str, seq: int, row: Any) -> str:
    # A copy of engine.storage.events.entry_hash as it was when this migration was written.
    created_at: datetime = row.created_at
    if created_at.tzinfo is None:  # SQLite keeps UTC without the zone
        created_at = created_at.replace(tzinfo=UTC)
    content = json.dumps(
        [
            seq,
            row.submission_id,
            row.kind,
            row.actor,
            row.data,
            created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()


def _unchain_the_event_log() -> None:
    op.drop_table("audit_head")
    _drop_sqlite_triggers()
    _suspend_postgresql_triggers()
    with op.batch_alter_table("events") as batch:
        batch.drop_constraint(op.f("uq_events_seq"), type_="unique")
        batch.drop_column("hash")
        batch.drop_column("seq")
    _restore_triggers()


def _drop_sqlite_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS events_no_update")
        op.execute("DROP TRIGGER IF EXISTS events_no_delete")


def _suspend_postgresql_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE events DISABLE TRIGGER events_no_update_or_delete")


def _restore_triggers() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    else:
        op.execute("ALTER TABLE events ENABLE TRIGGER events_no_update_or_delete")
