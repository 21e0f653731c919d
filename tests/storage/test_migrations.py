"""The migrations build exactly the tables the models describe, and take them down again."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

import auth.models  # noqa: F401 -- every model on the metadata, as migrations/env.py has them
import engine.storage.models
import engine.storage.outbox
import engine.workflow.models  # noqa: F401
from engine.definitions.loader import content_hash, pinned_hash
from engine.storage import events
from engine.storage.db import Base, make_engine
from engine.storage.migrate import check, downgrade, upgrade
from engine.storage.models import DefinitionVersion, Draft, Event

STORAGE_TABLES = {
    "definition_versions",
    "drafts",
    "submissions",
    "attachments",
    "events",
    "audit_head",
    "outbox",
}


def storage_drift(url: str) -> list[object]:
    engine = make_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    engine.dispose()
    return [diff for diff in diffs if any(table in repr(diff) for table in STORAGE_TABLES)]


def test_the_storage_tables_match_the_models(empty_url: str) -> None:
    upgrade(empty_url)
    assert storage_drift(empty_url) == []


def test_every_table_matches_the_models(empty_url: str) -> None:
    upgrade(empty_url)
    check(empty_url)  # raises if any model and the migrations disagree


def test_downgrade_leaves_nothing_behind(empty_url: str) -> None:
    upgrade(empty_url)
    downgrade(empty_url)
    engine = make_engine(empty_url)
    with engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        assert _leftover_routines(connection) == []
    engine.dispose()


def _leftover_routines(connection: Connection) -> list[str]:
    """Triggers (SQLite) or functions (PostgreSQL) the migration created, still there."""
    if connection.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    else:
        query = "SELECT proname FROM pg_proc WHERE pronamespace = current_schema()::regnamespace"
    return list(connection.execute(text(query)).scalars())


def test_events_written_before_the_chain_are_chained_by_the_upgrade(empty_url: str) -> None:
    upgrade(empty_url, "0002_accounts")
    engine = make_engine(empty_url)
    with engine.begin() as connection:
        for kind in ("submitted", "state_changed"):
            connection.execute(
                text(
                    "INSERT INTO events (submission_id, kind, actor, data, created_at) "
                    "VALUES (NULL, :kind, 'anonymous', '{\"a\": \"受付\"}', :at)"
                ),
                {"kind": kind, "at": datetime(2026, 11, 26, 9, 30, 0, 123456, tzinfo=UTC)},
            )
    upgrade(empty_url)
    with Session(engine) as session:
        result = events.verify(session)
        appended = events.append(session, "sign_in", submission_id=None, actor="u1")
        assert session.get(Event, appended) is not None
        assert events.verify(session).checked == 3
    engine.dispose()
    assert result.ok
    assert result.checked == 2


def test_a_database_with_applications_goes_down_and_up_again(empty_url: str) -> None:
    """Rebuilding a table others refer to (SQLite's batch migrations) keeps the data."""
    upgrade(empty_url)
    engine = make_engine(empty_url)
    data = {"procedure": "p", "version": 1}
    with Session(engine) as session:
        session.add(
            DefinitionVersion(
                id="v1",
                procedure="p",
                version=1,
                content_hash=pinned_hash(data, {"notice.html": "通知"}),
                data=data,
                templates={"notice.html": "通知"},
                published_at=datetime.now(UTC),
            )
        )
        session.add(Draft(**_draft("v1")))
        session.commit()
    engine.dispose()
    downgrade(empty_url, "0005_documents")
    engine = make_engine(empty_url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT content_hash FROM definition_versions")).one()
        assert stored.content_hash == content_hash(data)  # what the code before 0007 checks
        assert connection.execute(text("SELECT count(*) FROM drafts")).scalar() == 1
    engine.dispose()
    upgrade(empty_url)


def _draft(version_id: str) -> dict[str, object]:
    now = datetime.now(UTC)
    return {
        "definition_version_id": version_id,
        "answers": {},
        "language": "ja",
        "created_at": now,
        "updated_at": now,
        "expires_at": now,
    }
