"""Published definitions in the database: every draft and submission points at the exact
version it was started with, and that version's content never changes."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.definitions.loader import LoadedDefinition, check_data, content_hash, pinned_hash
from engine.definitions.problems import DefinitionError, Problem
from engine.definitions.versions import publish
from engine.definitions.yaml_source import SourceMap
from engine.storage.errors import NotFound, StorageError
from engine.storage.models import DefinitionVersion, new_id, utcnow

log = logging.getLogger("madoguchi.definitions")

# Parsed definitions by version id. Published versions are immutable, so entries never go
# stale; parsing (with every expression checked) is far dearer than a dictionary look-up.
_PARSED: dict[str, LoadedDefinition] = {}


class DefinitionStore:
    """The published versions (``engine.definitions.versions.PublishedVersions``)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def content_hash(self, procedure: str, version: int) -> str | None:
        return self.session.scalar(
            select(DefinitionVersion.content_hash).where(
                DefinitionVersion.procedure == procedure, DefinitionVersion.version == version
            )
        )

    def publish(self, loaded: LoadedDefinition) -> None:
        definition = loaded.definition
        self.session.add(
            DefinitionVersion(
                id=new_id(),
                procedure=definition.procedure,
                version=definition.version,
                content_hash=loaded.content_hash,
                data=loaded.data,
                templates=dict(loaded.templates),
                published_at=utcnow(),
            )
        )
        self.session.flush()

    def publish_all(self, loaded: list[LoadedDefinition]) -> list[str]:
        """Publish every definition not published yet; return them as ``procedure@version``.

        Identical content already published is skipped. Changed content under a published
        version raises DefinitionError listing every such definition (nothing is committed
        here: the caller's transaction decides)."""
        published: list[str] = []
        problems: list[Problem] = []
        for item in loaded:
            try:
                if self._publish_one(item):
                    published.append(f"{item.definition.procedure}@{item.definition.version}")
            except DefinitionError as error:
                problems.extend(error.problems)
        if problems:
            raise DefinitionError(problems)
        return published

    def _publish_one(self, loaded: LoadedDefinition) -> bool:
        self._keep_templates_of_older_row(loaded)
        try:
            with self.session.begin_nested():
                return publish(loaded, self)
        except IntegrityError:
            # Another process published this version meanwhile: compare with theirs.
            return publish(loaded, self)

    def _keep_templates_of_older_row(self, loaded: LoadedDefinition) -> None:
        """A version published before templates were kept was rendered with the files in
        forms/templates/: if its content is unchanged, it keeps those files' text now."""
        definition = loaded.definition
        row = self.session.scalar(
            select(DefinitionVersion).where(
                DefinitionVersion.procedure == definition.procedure,
                DefinitionVersion.version == definition.version,
            )
        )
        if (
            row is None
            or row.templates is not None
            or not loaded.templates
            or row.content_hash != content_hash(loaded.data)
        ):
            return
        row.templates = dict(loaded.templates)
        row.content_hash = loaded.content_hash
        _PARSED.pop(row.id, None)
        self.session.flush()
        log.warning(
            "%s@%s was published before versions kept their templates: it keeps %s as they are now",
            definition.procedure,
            definition.version,
            ", ".join(sorted(loaded.templates)),
        )

    def load(self, version_id: str) -> LoadedDefinition:
        """The definition published as ``version_id``; NotFound if there is none."""
        cached = _PARSED.get(version_id)
        if cached is not None:
            return cached
        row = self.session.get(DefinitionVersion, version_id)
        if row is None:
            raise NotFound(f"no definition version {version_id}")
        return _parse(row)

    def latest(self, procedure: str) -> tuple[str, LoadedDefinition]:
        """The newest published version of ``procedure`` and its id."""
        version_id = self.session.scalar(
            select(DefinitionVersion.id)
            .where(DefinitionVersion.procedure == procedure)
            .order_by(DefinitionVersion.version.desc())
            .limit(1)
        )
        if version_id is None:
            raise NotFound(f"procedure {procedure} was never published")
        return version_id, self.load(version_id)


def _parse(row: DefinitionVersion) -> LoadedDefinition:
    label = f"{row.procedure}@{row.version}"
    templates = row.templates or {}
    if pinned_hash(row.data, templates) != row.content_hash:
        raise StorageError(f"stored definition {label} does not match its content hash")
    loaded = parse_stored(row.data, file=label, templates=templates)
    _PARSED[row.id] = loaded
    return loaded


def parse_stored(
    data: Any, *, file: str, templates: Mapping[str, str] | None = None
) -> LoadedDefinition:
    """A definition from the plain data and templates storage keeps (no YAML text, so no
    line numbers; the templates were checked when it was published)."""
    return check_data(data, SourceMap(), file=file, templates_dir=None, templates=templates or {})
