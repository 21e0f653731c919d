"""Published definitions: stored once per version, read back as they were published."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from engine.definitions.loader import LoadedDefinition, parse_definition
from engine.definitions.problems import DefinitionError
from engine.storage.definitions import DefinitionStore
from engine.storage.errors import NotFound
from tests.conftest import FORMS

TEXT = (FORMS / "childcare-enrollment.yaml").read_text(encoding="utf-8")


def load(text: str) -> LoadedDefinition:
    return parse_definition(
        text, file="forms/childcare-enrollment.yaml", templates_dir=FORMS / "templates"
    )


def test_publishing_twice_stores_one_version(db: Session) -> None:
    store = DefinitionStore(db)
    assert store.publish_all([load(TEXT)]) == ["childcare-enrollment@1"]
    assert store.publish_all([load("# reformatted\n" + TEXT)]) == []
    version_id, loaded = store.latest("childcare-enrollment")
    assert loaded.definition == load(TEXT).definition
    assert store.load(version_id) is loaded  # parsed once, then cached


def test_changed_content_under_a_published_version_is_refused(db: Session) -> None:
    store = DefinitionStore(db)
    store.publish_all([load(TEXT)])
    with pytest.raises(DefinitionError, match="already published with different content"):
        store.publish_all([load(TEXT.replace("max: 744", "max: 700"))])


def test_the_latest_version_is_the_highest(db: Session) -> None:
    store = DefinitionStore(db)
    bumped = TEXT.replace("max: 744", "max: 700").replace("version: 1 ", "version: 2 ", 1)
    assert store.publish_all([load(TEXT), load(bumped)]) == [
        "childcare-enrollment@1",
        "childcare-enrollment@2",
    ]
    version_id, loaded = store.latest("childcare-enrollment")
    assert loaded.definition.version == 2
    assert store.load(version_id).content_hash == load(bumped).content_hash


def test_unknown_procedures_and_versions_are_not_found(db: Session) -> None:
    store = DefinitionStore(db)
    with pytest.raises(NotFound):
        store.latest("no-such-procedure")
    with pytest.raises(NotFound):
        store.load("no-such-version")
