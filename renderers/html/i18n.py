"""The portal's own words in Japanese: a gettext catalogue read from the .po file at run time.

The .po file is the only artefact: no compiled .mo is kept in the repository, so a
translation can never be out of date with its source. English is the msgids themselves.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from engine.text import LANGUAGES

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"


def N_(message: str) -> str:  # noqa: N802 -- the name gettext extractors look for
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The translations for ``language`` ("ja" or "en"); read once, then shared read-only."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; expected one of {LANGUAGES}")
    if language == "en":
        return gettext.NullTranslations()
    with catalogue_path(language).open("rb") as po:
        catalogue = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    # Fuzzy entries are guesses a translator has not confirmed: English is safer than a guess.
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)
