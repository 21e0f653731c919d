"""Document HTML from Jinja2 templates: the default receipt and per-procedure templates.

Templates are found under two prefixes: ``pdf/`` (renderers/templates/pdf: the base layout
and the receipt) and ``procedure/`` (a procedure's own templates, as its published version
keeps them: ``LoadedDefinition.templates``). A procedure's template can only be named,
never be ``pdf/base.html`` by accident. The environment is sandboxed: a procedure's
templates are read like definitions.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from jinja2 import BaseLoader, DictLoader, FileSystemLoader, PrefixLoader, StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from engine.definitions.models import Definition
from renderers.html.environment import TEMPLATES_DIR
from renderers.html.i18n import translations
from renderers.pdf.context import DocumentContext, SubmissionFacts, document_context

RECEIPT_TEMPLATE = "pdf/receipt.html"


# A few procedures' versions at a time: compiled templates are kept with their environment.
@lru_cache(maxsize=32)
def _environment(procedure_templates: frozenset[tuple[str, str]]) -> ImmutableSandboxedEnvironment:
    loaders: dict[str, BaseLoader] = {
        "pdf": FileSystemLoader(TEMPLATES_DIR / "pdf"),
        "procedure": DictLoader(dict(procedure_templates)),
    }
    env = ImmutableSandboxedEnvironment(
        loader=PrefixLoader(loaders),
        autoescape=True,  # answers are the citizen's text, never markup
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.filters["thousands"] = _thousands
    return env


def _thousands(number: int) -> str:
    return f"{number:,}"


def receipt_html(
    definition: Definition,
    facts: SubmissionFacts,
    language: str,
    *,
    office: str,
    document: str = "receipt",
) -> str:
    """The default receipt of one submission as HTML, for ``render_pdf``."""
    context = document_context(definition, facts, language, document=document, office=office)
    return _render(_environment(frozenset()), RECEIPT_TEMPLATE, context)


def document_html(
    definition: Definition,
    template_name: str,
    context: DocumentContext,
    language: str,
    *,
    templates: Mapping[str, str],
) -> str:
    """A per-procedure document (``documents: {template: ...}``) as HTML, from
    ``templates``: the text of the procedure's templates by name, as its version keeps
    them (``LoadedDefinition.templates``)."""
    if context.lang != language:
        raise ValueError(f"the context is in {context.lang!r}, the document in {language!r}")
    names = {spec.template for spec in definition.documents.values() if spec.template}
    if template_name not in names:
        raise ValueError(f"{definition.procedure} names no document template {template_name!r}")
    if template_name not in templates:
        raise ValueError(f"{definition.procedure}: no text for template {template_name!r}")
    env = _environment(frozenset(templates.items()))
    return _render(env, f"procedure/{template_name}", context)


def _render(env: ImmutableSandboxedEnvironment, name: str, context: DocumentContext) -> str:
    tr = translations(context.lang)
    return env.get_template(name).render(
        **context.variables(), gettext=tr.gettext, ngettext=tr.ngettext
    )
