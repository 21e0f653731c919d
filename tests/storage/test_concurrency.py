"""Two requests submitting at the same moment, each in its own transaction and thread, as a
double click or a retried request does. These commit for real, then clean up."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from engine.definitions.loader import LoadedDefinition
from engine.storage.crypto import FernetAnswerCipher
from engine.storage.db import make_session_factory
from engine.storage.definitions import DefinitionStore
from engine.storage.drafts import DraftService
from engine.storage.errors import Conflict, NotFound, StorageError
from engine.storage.models import Attachment, DefinitionVersion, Draft, Event, Submission
from engine.storage.submissions import SubmissionService, SubmitResult
from engine.workflow.calendar import BusinessCalendar
from tests.storage.conftest import TTL, normalised_answers

ATTEMPTS = 10


@dataclass
class Race:
    engine: Engine
    cipher: FernetAnswerCipher
    loaded: LoadedDefinition
    user_id: str
    draft_id: str = ""
    version_id: str = ""
    published: bool = False

    def session(self) -> Session:
        return make_session_factory(self.engine)()


@pytest.fixture
def race(
    db_engine: Engine, cipher: FernetAnswerCipher, childcare_loaded: LoadedDefinition
) -> Iterator[Race]:
    race = Race(db_engine, cipher, childcare_loaded, f"racer-{secrets.token_hex(4)}")
    with race.session() as session, session.begin():
        store = DefinitionStore(session)
        race.published = bool(store.publish_all([childcare_loaded]))
        race.version_id = store.latest("childcare-enrollment")[0]
        race.draft_id = DraftService(session, TTL).start(race.version_id, race.user_id, "ja")[0].id
    yield race
    with db_engine.begin() as connection:
        _clean_up(connection, race)


def _clean_up(connection: Connection, race: Race) -> None:
    mine = select(Submission.id).where(Submission.applicant_user_id == race.user_id)
    with _events_writable(connection):
        connection.execute(delete(Event).where(Event.submission_id.in_(mine)))
    connection.execute(delete(Attachment).where(Attachment.submission_id.in_(mine)))
    connection.execute(delete(Submission).where(Submission.applicant_user_id == race.user_id))
    connection.execute(delete(Draft).where(Draft.owner_user_id == race.user_id))
    if race.published:
        connection.execute(delete(DefinitionVersion).where(DefinitionVersion.id == race.version_id))


class _events_writable:  # noqa: N801 -- used as a context manager, reads as a phrase
    """Lift the append-only triggers inside the caller's transaction, and put them back."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.triggers: list[str] = []

    def __enter__(self) -> None:
        if self.connection.dialect.name == "postgresql":
            self.connection.exec_driver_sql("ALTER TABLE events DISABLE TRIGGER USER")
            return
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'"
        for name, sql in self.connection.exec_driver_sql(query):
            self.triggers.append(sql)
            self.connection.exec_driver_sql(f"DROP TRIGGER {name}")

    def __exit__(self, *_: object) -> None:
        if self.connection.dialect.name == "postgresql":
            self.connection.exec_driver_sql("ALTER TABLE events ENABLE TRIGGER USER")
        for sql in self.triggers:
            self.connection.exec_driver_sql(sql)


def one_request(race: Race, key: str, barrier: threading.Barrier) -> SubmitResult | StorageError:
    """What the portal does on "submit": the stored result for this key if there is one,
    else the draft's submission. On SQLite a transaction that read before another one
    wrote cannot write (SQLITE_BUSY): the request is run again, as the portal does."""
    for attempt in range(ATTEMPTS):
        try:
            with race.session() as session, session.begin():
                return _submit(session, race, key, barrier if attempt == 0 else None)
        except OperationalError:
            if race.engine.dialect.name != "sqlite":
                raise
            time.sleep(0.02 * (attempt + 1))
        except StorageError as error:  # the portal says "already submitted"
            return error
    raise AssertionError("the request never got through")


def _submit(
    session: Session, race: Race, key: str, barrier: threading.Barrier | None
) -> SubmitResult:
    service = SubmissionService(session, race.cipher, calendar=BusinessCalendar.from_spec(None))
    existing = service.by_idempotency_key(key, race.user_id)
    if existing is not None:
        return SubmitResult(existing, None, created=False)
    draft = DraftService(session, TTL).get(race.draft_id, user_id=race.user_id)
    if barrier is not None:
        barrier.wait(timeout=10)  # both requests have read the draft: now both write
    return service.submit(
        draft,
        normalised_answers(race.loaded),
        idempotency_key=key,
        applicant_user_id=race.user_id,
        state="received",
        language="ja",
    )


def run_both(race: Race, keys: tuple[str, str]) -> list[SubmitResult | StorageError]:
    # SQLite transactions begin IMMEDIATE (one writer at a time), so the second request
    # cannot read before the first commits: only PostgreSQL can interleave the two.
    parties = 1 if race.engine.dialect.name == "sqlite" else 2
    barrier = threading.Barrier(parties)
    requests: list[Callable[[], SubmitResult | StorageError]] = [
        lambda: one_request(race, keys[0], barrier),
        lambda: one_request(race, keys[1], barrier),
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(request) for request in requests]
        return [future.result(timeout=60) for future in futures]


def stored_count(race: Race) -> int:
    with race.engine.connect() as connection:
        query = text("SELECT count(*) FROM submissions WHERE applicant_user_id = :user")
        return int(connection.execute(query, {"user": race.user_id}).scalar_one())


def test_two_concurrent_submits_with_one_key_make_one_submission(race: Race) -> None:
    results = run_both(race, ("same-key-" + race.user_id, "same-key-" + race.user_id))
    assert all(isinstance(result, SubmitResult) for result in results)
    done = [result for result in results if isinstance(result, SubmitResult)]
    assert sorted(result.created for result in done) == [False, True]
    assert done[0].submission.public_id == done[1].submission.public_id
    assert stored_count(race) == 1


def test_one_draft_submitted_concurrently_under_two_keys_is_submitted_once(race: Race) -> None:
    results = run_both(race, ("key-a-" + race.user_id, "key-b-" + race.user_id))
    done = [result for result in results if isinstance(result, SubmitResult)]
    refused = [result for result in results if isinstance(result, StorageError)]
    assert len(done) == 1
    assert done[0].created
    # The loser finds the draft gone: while it waited (Conflict) or when it ran again.
    assert len(refused) == 1
    assert isinstance(refused[0], Conflict | NotFound)
    assert stored_count(race) == 1
