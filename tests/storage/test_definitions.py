"""Published definitions: stored once per version, read back as they were published."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.definitions.loader import LoadedDefinition, content_hash, parse_definition
from engine.definitions.problems import DefinitionError
from engine.storage.definitions import DefinitionStore
from engine.storage.errors import NotFound
from engine.storage.models import DefinitionVersion
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


def load_with_template(tmp_path: Path, text: str, decision: str) -> LoadedDefinition:
    """The reference procedure, its decision notice's template saying ``decision``."""
    templates = tmp_path / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "childcare-decision.html").write_text(decision, encoding="utf-8")
    return parse_definition(text, file="childcare-enrollment.yaml", templates_dir=templates)


def test_a_version_keeps_its_document_templates_as_they_were(db: Session, tmp_path: Path) -> None:
    store = DefinitionStore(db)
    store.publish_all([load_with_template(tmp_path, TEXT, "第1版の通知")])
    with pytest.raises(DefinitionError, match="publish this as version 2"):
        store.publish_all([load_with_template(tmp_path, TEXT, "第2版の通知")])
    bumped = TEXT.replace("version: 1 ", "version: 2 ", 1)
    store.publish_all([load_with_template(tmp_path, bumped, "第2版の通知")])
    first = db.scalars(
        select(DefinitionVersion.id).where(
            DefinitionVersion.procedure == "childcare-enrollment", DefinitionVersion.version == 1
        )
    ).one()
    assert store.load(first).templates == {"childcare-decision.html": "第1版の通知"}
    _, latest = store.latest("childcare-enrollment")
    assert latest.templates == {"childcare-decision.html": "第2版の通知"}


def test_a_version_published_before_templates_were_kept_takes_them_unchanged(
    db: Session, tmp_path: Path
) -> None:
    loaded = load_with_template(tmp_path, TEXT, "通知")
    db.add(  # as the portal published it before migration 0007
        DefinitionVersion(
            id="older-version",
            procedure="childcare-enrollment",
            version=1,
            content_hash=content_hash(loaded.data),
            data=loaded.data,
            published_at=datetime.now(UTC),
        )
    )
    db.flush()
    store = DefinitionStore(db)
    assert store.publish_all([loaded]) == []
    assert store.load("older-version").templates == {"childcare-decision.html": "通知"}
    with pytest.raises(DefinitionError, match="already published with different content"):
        store.publish_all([load_with_template(tmp_path, TEXT, "変更した通知")])
