"""The Jinja2 environment for the portal's templates.

Shared by every request and never changed after it is built: translations are not
installed into it but passed with each render (``gettext`` in the context), so pages in
Japanese and English can render at the same time.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from engine.text import LocalizedText

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


@pass_context
def localize(context: Context, value: Any) -> Any:
    """Text from a definition in the page's language; plain text passes through."""
    if isinstance(value, LocalizedText):
        return value.get(context["lang"])
    return value


def paragraphs(text: str) -> Markup:
    """Plain text with blank lines between paragraphs, as escaped <p> elements."""
    blocks = [block.strip() for block in str(text).replace("\r\n", "\n").split("\n\n")]
    return Markup("").join(Markup("<p>{}</p>").format(escape(b)) for b in blocks if b)


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # every template, whatever its name
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    # {% trans %} blocks are written across lines in templates; their msgids are one line.
    env.policies["ext.i18n.trimmed"] = True
    env.filters["loc"] = localize
    env.filters["paragraphs"] = paragraphs
    return env
