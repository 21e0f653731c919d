from __future__ import annotations

from pathlib import Path

from sqlalchemy import CheckConstraint, inspect

import auth.models  # noqa: F401 -- registers the accounts tables
from engine.storage.db import Base, make_engine
from engine.storage.migrate import check, downgrade, upgrade

ACCOUNTS_TABLES = {"users", "web_sessions", "email_tokens", "login_attempts"}


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_the_migrated_schema_matches_the_models(database_url: str) -> None:
    check(database_url)  # raises if models and migrations disagree


def test_the_accounts_migration_goes_down_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    assert tables(url) >= ACCOUNTS_TABLES
    downgrade(url, "0001_storage")
    assert not ACCOUNTS_TABLES & tables(url)
    upgrade(url)
    check(url)


def test_check_constraints_match_the_models(database_url: str) -> None:
    # alembic's check does not compare CHECK constraints: compare their names here.
    engine = make_engine(database_url)
    try:
        inspector = inspect(engine)
        for name in sorted(ACCOUNTS_TABLES):
            table = Base.metadata.tables[name]
            expected = {c.name for c in table.constraints if isinstance(c, CheckConstraint)}
            found = {c["name"] for c in inspector.get_check_constraints(name)}
            assert found == expected, name
    finally:
        engine.dispose()
