"""Published versions: a procedure's version number pins its content forever."""

from __future__ import annotations

from typing import Protocol

from engine.definitions.loader import LoadedDefinition
from engine.definitions.problems import DefinitionError, Problem


class PublishedVersions(Protocol):
    """Where published definitions are kept (the database, in the portal)."""

    def content_hash(self, procedure: str, version: int) -> str | None:
        """The hash published for ``procedure`` at ``version``, or None if never published."""

    def publish(self, loaded: LoadedDefinition) -> None:
        """Record ``loaded`` as published; its version must not be published yet."""


class InMemoryPublishedVersions:
    """Published versions kept in memory: for checks and tests, gone when the process ends."""

    def __init__(self) -> None:
        self._hashes: dict[tuple[str, int], str] = {}

    def content_hash(self, procedure: str, version: int) -> str | None:
        return self._hashes.get((procedure, version))

    def publish(self, loaded: LoadedDefinition) -> None:
        definition = loaded.definition
        self._hashes[(definition.procedure, definition.version)] = loaded.content_hash


def publish(loaded: LoadedDefinition, store: PublishedVersions) -> bool:
    """Publish ``loaded`` unless this exact content is already published; return whether it
    was new. Changed content under a published version number raises DefinitionError."""
    definition = loaded.definition
    published = store.content_hash(definition.procedure, definition.version)
    if published == loaded.content_hash:
        return False
    if published is not None:
        mark = loaded.source.locate(("version",))
        raise DefinitionError(
            [
                Problem(
                    loaded.file,
                    mark.line,
                    mark.column,
                    f"'{definition.procedure}' version {definition.version} was already "
                    "published with different content; submissions keep the version they "
                    f"started with, so publish this as version {definition.version + 1}",
                )
            ]
        )
    store.publish(loaded)
    return True
