"""Pictures of a procedure's workflow: Mermaid text for docs, SVG for pages."""

from renderers.workflow_graph.mermaid import mermaid
from renderers.workflow_graph.svg import svg

__all__ = ["mermaid", "svg"]
