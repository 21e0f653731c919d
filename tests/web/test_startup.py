"""What `madoguchi serve` does before it listens: definitions checked and published, and a
published version never silently changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.definitions.problems import DefinitionError
from madoguchi.cli import main
from madoguchi.config import Settings
from madoguchi.web.services import build_services
from tests.conftest import FORMS

CHILDCARE = "childcare-enrollment.yaml"


def forms_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "forms"
    folder.mkdir()
    shutil.copy(FORMS / CHILDCARE, folder / CHILDCARE)
    shutil.copytree(FORMS / "templates", folder / "templates")
    return folder


def settings(tmp_path: Path, forms: Path) -> Settings:
    return Settings(forms=forms, data=tmp_path / "data", mail_url="console:")


def test_changed_content_under_a_published_version_stops_the_start(tmp_path: Path) -> None:
    forms = forms_copy(tmp_path)
    first = build_services(settings(tmp_path, forms))
    first.engine.dispose()
    path = forms / CHILDCARE
    path.write_text(path.read_text(encoding="utf-8").replace("max: 744", "max: 700"), "utf-8")
    with pytest.raises(DefinitionError, match="already published with different content"):
        build_services(settings(tmp_path, forms))
    bumped = path.read_text(encoding="utf-8").replace("version: 1 ", "version: 2 ", 1)
    path.write_text(bumped, encoding="utf-8")
    second = build_services(settings(tmp_path, forms))
    assert len(second.current) == 1  # new drafts start on version 2
    second.engine.dispose()


def test_serve_refuses_to_start_on_a_broken_definition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    forms = forms_copy(tmp_path)
    (forms / "broken.yaml").write_text("procedure: broken\nversion: 1\n", encoding="utf-8")
    status = main(["serve", "--forms", str(forms), "--data", str(tmp_path / "data")])
    assert status == 1
    error = capsys.readouterr().err
    assert "broken.yaml:1:1: missing key 'title'" in error
    assert "not started" in error
