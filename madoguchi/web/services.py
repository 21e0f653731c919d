"""What the web layer needs from the rest of Madoguchi, built once at start-up."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from auth.mail import Mailer, mailer_from_url
from engine.definitions.loader import LoadedDefinition, check_files
from engine.definitions.problems import DefinitionError
from engine.storage.crypto import FernetAnswerCipher, load_or_create_key
from engine.storage.db import make_engine, make_session_factory
from engine.storage.definitions import DefinitionStore
from engine.storage.files import FilesystemStorage
from engine.storage.migrate import upgrade
from engine.storage.models import DefinitionVersion, utcnow
from engine.workflow.calendar import BusinessCalendar
from madoguchi.config import Settings

log = logging.getLogger("madoguchi")

SESSION_TTL = timedelta(days=14)
SESSION_IDLE = timedelta(hours=12)


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    files: FilesystemStorage
    cipher: FernetAnswerCipher
    mailer: Mailer
    calendar: BusinessCalendar
    # The newest published version of each procedure in forms/: procedure -> version id.
    current: dict[str, str] = field(default_factory=dict)
    # Procedures in the order forms/ lists them, for the start page.
    procedures: list[LoadedDefinition] = field(default_factory=list)
    # The date at the counter (in the server's zone): "today" in definitions. Tests fix it.
    today: Callable[[], date] = date.today
    # The current time for clerks' one-time codes and sign-in throttling. Tests fix it.
    clock: Callable[[], datetime] = utcnow

    @contextmanager
    def db(self) -> Iterator[Session]:
        session = self.sessions()
        try:
            yield session
        finally:
            session.close()

    @property
    def draft_ttl(self) -> timedelta:
        return timedelta(days=self.settings.draft_days)


def build_services(settings: Settings) -> Services:
    """Migrate the database, check and publish the definitions in forms/, and connect the
    file storage, the answer cipher and the mailer. DefinitionError stops the start."""
    settings.data.mkdir(parents=True, exist_ok=True)
    url = settings.database()
    upgrade(url)
    engine = make_engine(url)
    services = Services(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        files=FilesystemStorage(settings.data / "uploads"),
        cipher=answer_cipher(settings),
        mailer=mailer_from_url(settings.mail_url),
        calendar=BusinessCalendar.from_spec(settings.closures),
    )
    _publish(services)
    return services


def answer_cipher(settings: Settings) -> FernetAnswerCipher:
    """The cipher for sensitive answers and clerks' TOTP secrets, with the deployment's key."""
    return FernetAnswerCipher(load_or_create_key(settings.data / "answers.key"))


def _publish(services: Services) -> None:
    result = check_files([services.settings.forms])
    if result.problems:
        raise DefinitionError(result.problems)
    with services.db() as db:
        published = DefinitionStore(db).publish_all(result.loaded)
        db.commit()
        for item in published:
            log.info("published %s", item)
        for loaded in result.loaded:
            definition = loaded.definition
            # New drafts start on the version forms/ holds now; older drafts and
            # submissions keep the version they started with.
            services.current[definition.procedure] = db.scalars(
                select(DefinitionVersion.id).where(
                    DefinitionVersion.procedure == definition.procedure,
                    DefinitionVersion.version == definition.version,
                )
            ).one()
    services.procedures = result.loaded
