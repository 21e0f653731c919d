"""Sessions remember the application an applicant without an account opened with its
reference number and access code, so its status page and documents open again.

Revision ID: 0006_session_grant
Revises: 0005_documents
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_session_grant"
down_revision = "0005_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("web_sessions") as batch:
        batch.add_column(sa.Column("granted_application", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("web_sessions") as batch:
        batch.drop_column("granted_application")
