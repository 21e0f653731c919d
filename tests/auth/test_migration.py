from __future__ import annotations

from pathlib import Path

from sqlalchemy import CheckConstraint, inspect, text

import auth.models  # noqa: F401 -- registers the accounts tables
from engine.storage.db import Base, make_engine
from engine.storage.migrate import check, downgrade, upgrade

ACCOUNTS_TABLES = {"users", "web_sessions", "email_tokens", "login_attempts"}
CLERKS_TABLES = {"memberships", "totp_secrets", "recovery_codes"}


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
        for name in sorted(ACCOUNTS_TABLES | CLERKS_TABLES):
            table = Base.metadata.tables[name]
            expected = {c.name for c in table.constraints if isinstance(c, CheckConstraint)}
            found = {c["name"] for c in inspector.get_check_constraints(name)}
            assert found == expected, name
    finally:
        engine.dispose()


def _execute(url: str, *statements: str) -> list[tuple[object, ...]]:
    """Run ``statements`` in one transaction; the rows of the last one."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            result = [connection.execute(text(statement)) for statement in statements][-1]
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


def test_the_clerks_migration_keeps_accounts_sessions_and_links(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    upgrade(url, "0002_accounts")
    _execute(
        url,
        "INSERT INTO users (id, email, language, kind, created_at) "
        "VALUES ('u1', 'hanako@example.jp', 'ja', 'citizen', '2026-11-26 09:00:00')",
        "INSERT INTO web_sessions (id, user_id, csrf_token, language, created_at, "
        "last_seen_at, expires_at) VALUES ('s1', 'u1', 'c', 'ja', "
        "'2026-11-26 09:00:00', '2026-11-26 09:00:00', '2026-11-26 09:00:00')",
        "INSERT INTO email_tokens (id, user_id, purpose, token_hash, created_at, expires_at) "
        "VALUES ('t1', 'u1', 'reset_password', 'h1', '2026-11-26 09:00:00', '2026-11-26 09:00:00')",
    )
    upgrade(url)
    assert _execute(url, "SELECT id, is_admin, disabled_at FROM users") == [("u1", 0, None)]
    assert _execute(url, "SELECT id, pending_user_id FROM web_sessions") == [("s1", None)]
    assert _execute(url, "SELECT id FROM email_tokens") == [("t1",)]
    _execute(
        url,
        "INSERT INTO email_tokens (id, user_id, purpose, token_hash, created_at, expires_at) "
        "VALUES ('t2', 'u1', 'set_password', 'h2', '2026-11-26 09:00:00', '2026-11-26 09:00:00')",
    )
    downgrade(url, "0002_accounts")
    assert not CLERKS_TABLES & tables(url)
    assert _execute(url, "SELECT id FROM web_sessions") == [("s1",)]
    assert _execute(url, "SELECT id FROM email_tokens") == [("t1",)]  # set_password is gone
    upgrade(url)
    check(url)
