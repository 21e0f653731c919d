"""PDF documents: HTML from templates, rendered by WeasyPrint in a worker process.

``receipt_html``/``document_html`` build a document's HTML from plain data; ``render_pdf``
turns HTML into PDF with our fonts embedded, fetching nothing but our own assets, within a
time and size limit. Signing is not done here.
"""

from renderers.pdf.context import (
    Decision,
    DocumentContext,
    SubmissionFacts,
    Verification,
    document_context,
)
from renderers.pdf.documents import document_html, receipt_html
from renderers.pdf.printer import PdfTooLarge, RenderError, Rendering, RenderTimeout
from renderers.pdf.render import ASSETS_DIR, render_pdf, render_report

__all__ = [
    "ASSETS_DIR",
    "Decision",
    "DocumentContext",
    "PdfTooLarge",
    "RenderError",
    "RenderTimeout",
    "Rendering",
    "SubmissionFacts",
    "Verification",
    "document_context",
    "document_html",
    "receipt_html",
    "render_pdf",
    "render_report",
]
