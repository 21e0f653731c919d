from __future__ import annotations

import pytest

from engine.definitions.loader import parse_definition
from engine.definitions.problems import DefinitionError
from engine.definitions.versions import InMemoryPublishedVersions, publish
from tests.conftest import FORMS

TEXT = (FORMS / "childcare-enrollment.yaml").read_text(encoding="utf-8")
TEMPLATES = FORMS / "templates"


def load(text: str) -> object:
    return parse_definition(text, file="forms/childcare-enrollment.yaml", templates_dir=TEMPLATES)


def test_hash_ignores_comments_layout_and_key_order() -> None:
    title = "title:\n  ja: 保育所等利用申込\n  en: Application for a childcare place\n"
    assert title in TEXT
    swapped = "title: {en: Application for a childcare place,   ja: 保育所等利用申込}  # 題名\n"
    reordered = "# a comment\n" + TEXT.replace(title, swapped)
    assert load(reordered).content_hash == load(TEXT).content_hash  # type: ignore[attr-defined]


def test_hash_changes_with_content() -> None:
    changed = TEXT.replace("max: 744", "max: 700")
    assert load(changed).content_hash != load(TEXT).content_hash  # type: ignore[attr-defined]


def test_publishing_the_same_content_twice_is_a_no_op() -> None:
    store = InMemoryPublishedVersions()
    assert publish(load(TEXT), store) is True  # type: ignore[arg-type]
    assert publish(load(TEXT), store) is False  # type: ignore[arg-type]


def test_changed_content_under_a_published_version_is_refused() -> None:
    store = InMemoryPublishedVersions()
    publish(load(TEXT), store)  # type: ignore[arg-type]
    with pytest.raises(DefinitionError) as caught:
        publish(load(TEXT.replace("max: 744", "max: 700")), store)  # type: ignore[arg-type]
    (problem,) = caught.value.problems
    assert problem.line == 2  # the version line
    assert "already published with different content" in problem.message
    assert "version 2" in problem.message


def test_a_new_version_number_publishes() -> None:
    store = InMemoryPublishedVersions()
    publish(load(TEXT), store)  # type: ignore[arg-type]
    bumped = TEXT.replace("max: 744", "max: 700").replace("version: 1 ", "version: 2 ", 1)
    assert publish(load(bumped), store) is True  # type: ignore[arg-type]


def test_periods_read_in_both_languages() -> None:
    from engine.definitions.types import Period  # noqa: PLC0415

    assert Period.parse("20 business days").describe("ja") == "20営業日"
    assert Period.parse("20営業日").describe("en") == "20 business days"
    assert Period.parse("3 months").describe("ja") == "3か月"
