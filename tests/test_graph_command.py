"""`madoguchi graph`: a procedure's workflow on standard output, or why there is none."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from madoguchi.cli import main
from tests.conftest import FORMS, ROOT

CHILDCARE_FILE = FORMS / "childcare-enrollment.yaml"


def test_a_procedure_from_the_forms_folder_as_svg(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["graph", "childcare-enrollment"]) == 0
    output = capsys.readouterr().out
    root = ET.fromstring(output)  # noqa: S314 -- our own output, parsed to be checked
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "受付" in output  # Japanese unless asked otherwise
    assert output.endswith("</svg>\n")


@pytest.mark.parametrize(
    ("language", "shown"), [("ja", 'state "受付" as received'), ("en", 'state "Received"')]
)
def test_mermaid_in_either_language(
    language: str, shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["--format", "mermaid", "--language", language, "--forms", str(FORMS)]
    assert main(["graph", "childcare-enrollment", *arguments]) == 0
    output = capsys.readouterr().out
    assert output.startswith("stateDiagram-v2\n")
    assert shown in output
    assert output.endswith("withdrawn --> [*]\n")


def test_english_svg(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", "restaurant-permit", "--language", "en", "--forms", str(FORMS)]) == 0
    output = capsys.readouterr().out
    assert "Permit granted" in output
    assert "許可" not in output.split("</desc>", 1)[1]


def test_a_definition_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(CHILDCARE_FILE), "--format", "mermaid"]) == 0
    assert "[*] --> received" in capsys.readouterr().out


def test_an_unknown_procedure_names_the_ones_there_are(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["graph", "marriage-registration", "--forms", str(FORMS)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "unknown procedure 'marriage-registration'" in captured.err
    assert "bulky-waste, childcare-enrollment, disaster-certificate, restaurant-permit" in (
        captured.err
    )


def test_a_definition_with_problems_prints_them_as_check_does(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    broken = Path("tests/golden/check/workflow.yaml")
    assert main(["graph", str(broken)]) == 1
    captured = capsys.readouterr()
    assert captured.out == broken.with_suffix(".out").read_text(encoding="utf-8")
    assert "problems found" in captured.err


def test_a_broken_file_in_the_folder_does_not_hide_the_others(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    shutil.copy(FORMS / "bulky-waste.yaml", tmp_path)
    (tmp_path / "broken.yaml").write_text("procedure: [\n", encoding="utf-8")
    assert main(["graph", "bulky-waste", "--forms", str(tmp_path), "--format", "mermaid"]) == 0
    assert capsys.readouterr().out.startswith("stateDiagram-v2\n")
    # The procedure asked for may be the broken one: its problems are shown.
    assert main(["graph", "childcare-enrollment", "--forms", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "broken.yaml:" in captured.out
    assert "unknown procedure 'childcare-enrollment'" in captured.err


def test_a_missing_file_or_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["graph", str(tmp_path / "nope.yaml")]) == 1
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["graph", "bulky-waste", "--forms", str(tmp_path / "nope")]) == 1
    assert "no such folder" in capsys.readouterr().err
