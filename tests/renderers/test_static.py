"""The stylesheet and the script: self-contained, readable, and enhancement only."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "renderers" / "static"
CSS = (STATIC / "madoguchi.css").read_text(encoding="utf-8")
JS = (STATIC / "madoguchi.js").read_text(encoding="utf-8")
TEMPLATES = sorted((ROOT / "renderers" / "templates").rglob("*.html"))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colour(name: str) -> str:
    match = re.search(rf"--{name}:\s*(#[0-9a-f]{{6}});", CSS)
    assert match, f"--{name} is not a 6-digit colour"
    return match[1]


def test_no_external_fonts_or_resources() -> None:
    assert "@import" not in CSS
    assert "@font-face" not in CSS
    assert not re.search(r"url\(", CSS)
    assert not re.search(r"https?://", CSS + JS)


def test_type_is_readable() -> None:
    assert re.search(r"html\s*{[^}]*font-size:\s*100%", CSS)  # 16px, or the reader's choice
    body = re.search(r"body\s*{([^}]*)}", CSS)
    assert body
    assert "line-height: 1.7" in body[1]
    assert '"Noto Sans JP"' in body[1]
    assert "sans-serif" in body[1]


@pytest.mark.parametrize(
    ("foreground", "background", "minimum"),
    [
        ("text", "background", 4.5),
        ("text-muted", "background", 4.5),
        ("link", "background", 4.5),
        ("link-visited", "background", 4.5),
        ("error", "background", 4.5),
        ("error", "error-surface", 4.5),
        ("primary", "background", 4.5),
        ("warning", "warning-surface", 4.5),
        ("border", "background", 3.0),  # input borders are not text: 3:1
    ],
)
def test_colours_meet_aa(foreground: str, background: str, minimum: float) -> None:
    assert contrast(colour(foreground), colour(background)) >= minimum
    assert contrast("#ffffff", colour("primary")) >= 4.5  # button text
    assert contrast("#ffffff", colour("success")) >= 4.5  # confirmation panel


def test_focus_is_visible_and_targets_are_large() -> None:
    focus = re.search(r":focus-visible\s*{([^}]*)}", CSS)
    assert focus
    assert "outline: 3px solid" in focus[1]
    assert "min-height: 48px" in re.search(r"\.button\s*{([^}]*)}", CSS)[1]  # type: ignore[index]
    assert "min-height: 44px" in re.search(r"\.choice__label\s*{([^}]*)}", CSS)[1]  # type: ignore[index]


def test_fits_a_narrow_screen() -> None:
    assert "max-width: 100%" in re.search(r"\.input,[^{]*{([^}]*)}", CSS)[1]  # type: ignore[index]
    assert "overflow-wrap: anywhere" in CSS
    widths = re.findall(r"\.width-\d+\s*{\s*max-width:\s*([\d.]+)rem", CSS)
    assert widths
    assert all(float(width) * 16 <= 360 - 32 for width in widths)


def test_script_is_enhancement_only() -> None:
    assert "innerHTML" not in JS  # text only: nothing the server sends becomes markup
    assert "eval(" not in JS
    assert "data-visibility-url" in JS
    assert '"X-CSRF-Token"' in JS
    assert 'POSTAL_CODE_URL = "/api/postal-codes/"' in JS
    assert "[data-error-summary]" in JS
    assert "data-fills" in JS


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_script_parses() -> None:
    node = shutil.which("node")
    assert node
    result = subprocess.run(  # noqa: S603 -- a fixed command on our own file
        [node, "--check", str(STATIC / "madoguchi.js")], capture_output=True, check=False
    )
    assert result.returncode == 0, result.stderr.decode()


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_templates_have_no_inline_code(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", text)
    assert not re.search(r"\sstyle=", text)
    assert not re.search(r"\son[a-z]+=", text)
    assert "|safe" not in text  # nothing is marked safe by hand
