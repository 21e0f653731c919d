"""Golden tests of `madoguchi check`: each broken definition in tests/golden/check/ and the
exact output an author sees. Regenerate with MADOGUCHI_UPDATE_GOLDEN=1 after reviewing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from madoguchi.cli import main
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "check"
CASES = sorted(GOLDEN.glob("*.yaml"))


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_check_output(
    case: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    status = main(["check", str(case.relative_to(ROOT))])
    output = capsys.readouterr().out
    expected_file = case.with_suffix(".out")
    if os.environ.get("MADOGUCHI_UPDATE_GOLDEN"):
        expected_file.write_text(output, encoding="utf-8")
    assert status == 1
    assert output == expected_file.read_text(encoding="utf-8")


def test_every_problem_is_located_in_its_file() -> None:
    for expected in GOLDEN.glob("*.out"):
        for line in expected.read_text(encoding="utf-8").splitlines():
            file, line_number, column, message = line.split(":", 3)
            assert file == f"tests/golden/check/{expected.stem}.yaml"
            assert int(line_number) >= 1
            assert int(column) >= 1
            assert message.strip()


def test_check_of_the_demo_procedures_is_clean(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["check"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "childcare-enrollment v1" in captured.err


def test_check_of_a_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["check", str(tmp_path / "nope.yaml")]) == 1
    assert "no such file or folder" in capsys.readouterr().err


def test_check_of_a_folder_without_definitions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["check", str(tmp_path)]) == 1
    assert "no definitions found" in capsys.readouterr().err


def test_check_reports_a_procedure_defined_twice(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = (ROOT / "forms" / "childcare-enrollment.yaml").read_text(encoding="utf-8")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "childcare-decision.html").write_text("<p></p>", encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 1
    assert "is also defined in" in capsys.readouterr().out


def test_check_reports_files_that_are_not_utf8(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "sjis.yaml").write_bytes("procedure: テスト\n".encode("shift_jis"))
    assert main(["check", str(tmp_path)]) == 1
    assert "not UTF-8" in capsys.readouterr().out
