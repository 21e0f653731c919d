from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from engine.definitions.loader import load_definition
from engine.definitions.models import Definition
from engine.storage.db import make_engine
from engine.storage.migrate import upgrade
from tests.browser import axe_tally

ROOT = Path(__file__).resolve().parent.parent
FORMS = ROOT / "forms"

# Validation depends on "today" (date of birth ≤ today); tests fix it.
TODAY = date(2026, 11, 26)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture(scope="session")
def childcare() -> Definition:
    return load_definition(FORMS / "childcare-enrollment.yaml").definition


def childcare_answers() -> dict[str, Any]:
    """A complete, valid answer set for the reference procedure, as a form would send it."""
    return {
        "name": {
            "family": "髙橋",
            "given": "花子",
            "family_kana": "たかはし",
            "given_kana": "ハナコ",
        },
        "birth_date": "平成2年4月1日",
        "postal_code": "１６３－８００１",
        "address": {"prefecture": "13", "city": "新宿区", "street": "西新宿2-8-1", "building": ""},
        "phone": "03-5321-1111",
        "email": "",
        "my_number": "1234 5678 9018",
        "children": [
            {
                "name": {
                    "family": "髙橋",
                    "given": "𠮷乃",
                    "family_kana": "タカハシ",
                    "given_kana": "よしの",
                },
                "birth_date": "2024-05-01",
                "needs_support": "no",
                "support_details": "hidden answers are dropped",
            }
        ],
        "reason": "employed",
        "monthly_hours": "160",
        "employment_proof": [
            {
                "id": "upload-0001abcd",
                "name": "就労証明書.pdf",
                "size": 120_000,
                "media_type": "application/pdf",
                "sha256": "a" * 64,
            }
        ],
        "agree": "on",
    }


# Every database test runs on SQLite, and on PostgreSQL too when CI names one.
DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("MADOGUCHI_TEST_DATABASE_URL") else [])


@pytest.fixture(params=DATABASES)
def empty_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An empty database of its own: a SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('migrations') / 'empty.db'}"
        return
    base = os.environ["MADOGUCHI_TEST_DATABASE_URL"]
    schema = f"migrations_{secrets.token_hex(4)}"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in base else "?"
    yield f"{base}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    admin.dispose()


# pytest-xdist runs the suite in several processes; each has PostgreSQL schemas of its own.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """An empty database migrated to the newest schema, once per test session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    else:
        url = postgresql_schema(f"tests_{WORKER}")
    upgrade(url)
    return url


def postgresql_schema(schema: str) -> str:
    """The test PostgreSQL database's URL, seeing only ``schema``, emptied first."""
    base = os.environ["MADOGUCHI_TEST_DATABASE_URL"]
    reset_postgresql(base, schema)
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


def reset_postgresql(url: str, schema: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    engine.dispose()


@pytest.fixture(scope="session", params=DATABASES)
def app_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """A database of its own for tests that run the whole application: what they commit
    must not show up in the tests that count rows in ``database_url``."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('app-db') / 'app.db'}"
    else:
        url = postgresql_schema(f"app_tests_{WORKER}")
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def db_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(db_engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test; commits become savepoints."""
    connection = db_engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    yield session
    session.close()
    transaction.rollback()
    connection.close()


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: hand the tally to the controller
        workeroutput["axe"] = axe_tally.export()


@pytest.hookimpl(optionalhook=True)  # an xdist hook: absent when the suite runs in one process
def pytest_testnodedown(node: Any, error: object) -> None:
    axe_tally.merge(getattr(node, "workeroutput", {}).get("axe"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    line = axe_tally.summary()
    if line:
        terminalreporter.write_line(line)
