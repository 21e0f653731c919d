"""Every message of the portal has a Japanese translation, and catalogues load at run time."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from renderers.html.environment import environment
from renderers.html.i18n import catalogue_path, translations

ROOT = Path(__file__).resolve().parents[2]


def extracted() -> dict[str, list[str]]:
    """msgid → where it is used, extracted as `pybabel extract -F renderers/babel.cfg` does."""
    with (ROOT / "renderers" / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    found: dict[str, list[str]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        msgids = message if isinstance(message, tuple) else (message,)
        for msgid in msgids:
            found.setdefault(msgid, []).append(f"{filename}:{line}")
    return found


def japanese() -> Catalog:
    with catalogue_path("ja").open("rb") as po:
        return read_po(po, locale="ja")


EXTRACTED = extracted()
JAPANESE = japanese()


def test_messages_are_found_in_templates_and_python() -> None:
    places = {place.split(":")[0] for where in EXTRACTED.values() for place in where}
    assert any(place.endswith(".html") for place in places)
    assert "renderers/html/widgets.py" in places
    assert "Step %(step)s of %(steps)s" in EXTRACTED  # a {% trans %} block, trimmed
    assert "Required" in EXTRACTED  # marked with N_() in Python


def test_every_message_has_a_japanese_translation() -> None:
    missing = {
        msgid: where
        for msgid, where in EXTRACTED.items()
        if msgid not in JAPANESE or not JAPANESE[msgid].string or JAPANESE[msgid].fuzzy
    }
    assert missing == {}, "add these to renderers/locale/ja/LC_MESSAGES/messages.po"


def test_the_catalogue_has_no_stale_messages() -> None:
    stale = [m.id for m in JAPANESE if m.id and m.id not in EXTRACTED]
    assert stale == []


def test_translations_keep_their_placeholders() -> None:
    problems = [(message.id, errors) for message, errors in JAPANESE.check()]
    assert problems == []
    for message in JAPANESE:
        if message.id and "%(" in message.id:
            assert "python-format" in message.flags, message.id


def test_translations_are_read_once_per_language() -> None:
    ja = translations("ja")
    assert isinstance(ja, gettext.GNUTranslations)
    assert ja is translations("ja")
    assert ja.gettext("Required") == "※必須"
    assert ja.gettext("Step %(step)s of %(steps)s") % {"step": 2, "steps": 5} == "ステップ 2 / 5"
    en = translations("en")
    assert type(en) is gettext.NullTranslations
    assert en.gettext("Required") == "Required"
    with pytest.raises(ValueError, match="unsupported language"):
        translations("fr")


def test_the_environment_escapes_everything() -> None:
    env = environment()
    assert env.autoescape is True
    assert "jinja2.ext.InternationalizationExtension" in env.extensions
    assert "gettext" not in env.globals  # translations come with each render
    template = env.from_string("{{ value }}|{% trans %}Back{% endtrans %}|{{ _('Back') }}")
    rendered = template.render(value="<b>", gettext=translations("ja").gettext, ngettext=None)
    assert rendered == "&lt;b&gt;|戻る|戻る"
