"""Clerks: admins and deactivation, memberships, second factors, set-password links.

Revision ID: 0003_clerks
Revises: 0002_accounts
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_clerks"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None

# Written out rather than imported: a migration must not change when the models do.
TIMESTAMP = sa.DateTime(timezone=True)
ID = sa.String(32)
DIGEST = sa.String(64)
NAME = sa.String(64)

OLD_PURPOSES = "purpose IN ('verify_email', 'reset_password')"
NEW_PURPOSES = "purpose IN ('verify_email', 'reset_password', 'set_password')"


def upgrade() -> None:
    # Plain ADD COLUMN, never batch mode, on users: SQLite would copy the table and drop
    # the old one, and with foreign keys on, dropping it deletes every session and token.
    op.add_column(
        "users", sa.Column("is_admin", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column("users", sa.Column("disabled_at", TIMESTAMP, nullable=True))
    with op.batch_alter_table("web_sessions") as batch:
        batch.add_column(sa.Column("pending_user_id", ID, nullable=True))
        batch.add_column(sa.Column("pending_since", TIMESTAMP, nullable=True))
        batch.add_column(sa.Column("second_factor_at", TIMESTAMP, nullable=True))
        batch.create_foreign_key(
            op.f("fk_web_sessions_pending_user_id_users"),
            "users",
            ["pending_user_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index(op.f("ix_web_sessions_pending_user_id"), ["pending_user_id"])
    with op.batch_alter_table("email_tokens") as batch:
        batch.drop_constraint(op.f("ck_email_tokens_purpose"), type_="check")
        batch.create_check_constraint(op.f("ck_email_tokens_purpose"), NEW_PURPOSES)
    op.create_table(
        "memberships",
        sa.Column("id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("department", NAME, nullable=False),
        sa.Column("role", NAME, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_memberships_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memberships")),
        sa.UniqueConstraint("user_id", "department", "role", name=op.f("uq_memberships_user_id")),
    )
    op.create_table(
        "totp_secrets",
        sa.Column("user_id", ID, nullable=False),
        sa.Column("secret", sa.String(255), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("confirmed_at", TIMESTAMP, nullable=True),
        sa.Column("last_step", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_totp_secrets_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_totp_secrets")),
    )
    op.create_table(
        "recovery_codes",
        sa.Column("id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("code_hash", DIGEST, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("used_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_recovery_codes_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_recovery_codes_code_hash")),
    )
    op.create_index(op.f("ix_recovery_codes_user_id"), "recovery_codes", ["user_id"])


def downgrade() -> None:
    op.drop_table("recovery_codes")
    op.drop_table("totp_secrets")
    op.drop_table("memberships")
    # Set-password links cannot exist under the old constraint.
    op.execute("DELETE FROM email_tokens WHERE purpose = 'set_password'")
    with op.batch_alter_table("email_tokens") as batch:
        batch.drop_constraint(op.f("ck_email_tokens_purpose"), type_="check")
        batch.create_check_constraint(op.f("ck_email_tokens_purpose"), OLD_PURPOSES)
    with op.batch_alter_table("web_sessions") as batch:
        batch.drop_index(op.f("ix_web_sessions_pending_user_id"))
        batch.drop_constraint(op.f("fk_web_sessions_pending_user_id_users"), type_="foreignkey")
        batch.drop_column("second_factor_at")
        batch.drop_column("pending_since")
        batch.drop_column("pending_user_id")
    # Native DROP COLUMN (SQLite 3.35 and later), for the reason given in upgrade().
    op.drop_column("users", "disabled_at")
    op.drop_column("users", "is_admin")
