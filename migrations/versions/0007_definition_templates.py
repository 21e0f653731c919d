"""Published definition versions keep their document templates' text, so a document is
rendered as its version had it, whatever forms/templates/ holds later.

Existing rows get NULL: the portal fills them in at start-up when the definition file is
unchanged (engine.storage.definitions), which is what they were rendered with until now.

Revision ID: 0007_definition_templates
Revises: 0006_session_grant
Create Date: 2026-11-26
"""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0007_definition_templates"
down_revision = "0006_session_grant"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("definition_versions") as batch:
        batch.add_column(sa.Column("templates", sa.JSON(), nullable=True))


def downgrade() -> None:
    # Hashes that pinned templates too go back to the definition's content alone, which is
    # all the code before this revision checks.
    versions = sa.table(
        "definition_versions",
        sa.column("id", sa.String),
        sa.column("content_hash", sa.String),
        sa.column("data", sa.JSON),
        sa.column("templates", sa.JSON),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(versions.c.id, versions.c.data).where(versions.c.templates.is_not(None))
    ).all()
    for version_id, data in rows:
        connection.execute(
            versions.update()
            .where(versions.c.id == version_id)
            .values(content_hash=_content_hash(data))
        )
    with op.batch_alter_table("definition_versions") as batch:
        batch.drop_column("templates")


def _content_hash(data: object) -> str:
    # engine.definitions.loader.content_hash as it was at this revision.
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
