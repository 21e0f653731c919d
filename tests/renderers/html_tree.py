"""A small DOM for tests, built with the standard library's html.parser.

Stricter than a browser on purpose: every non-void element must be closed by its own end
tag, so a template that drops or misplaces a closing tag fails loudly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
CONTROLS = ("input", "select", "textarea")


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str | None]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    def get(self, name: str) -> str | None:
        """The attribute's value; "" for one written without a value (``hidden``)."""
        if name not in self.attrs:
            return None
        return self.attrs[name] or ""

    def has(self, name: str) -> bool:
        return name in self.attrs

    @property
    def classes(self) -> list[str]:
        return (self.get("class") or "").split()

    def iter(self) -> Iterator[Element]:
        """Every element below this one, in document order."""
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, *tags: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.iter()
            if (not tags or e.tag in tags)
            and all(e.get(_attribute(name)) == value for name, value in attrs.items())
        ]

    def find(self, *tags: str, **attrs: str) -> Element:
        found = self.find_all(*tags, **attrs)
        assert found, f"no <{'|'.join(tags) or '*'}> with {attrs}"
        return found[0]

    def by_id(self, element_id: str) -> Element | None:
        return next((e for e in self.iter() if e.get("id") == element_id), None)

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def closest(self, tag: str) -> Element | None:
        return next((a for a in self.ancestors() if a.tag == tag), None)

    @property
    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text for c in self.children]
        return " ".join(" ".join(parts).split())

    @property
    def raw_text(self) -> str:
        return "".join(c if isinstance(c, str) else c.raw_text for c in self.children)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self.stack[-1]
        element = Element(tag, dict(attrs), parent)
        assert len(element.attrs) == len(attrs), f"<{tag}> repeats an attribute: {attrs}"
        parent.children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        assert tag not in VOID, f"</{tag}> closes a void element"
        open_element = self.stack[-1]
        assert open_element.tag == tag, f"</{tag}> closes <{open_element.tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    unclosed = [e.tag for e in builder.stack[1:]]
    assert not unclosed, f"unclosed elements: {unclosed}"
    return builder.root


def form_post(form: Element) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser would post for ``form`` with no button pressed:
    files are left out, like the stored files the web layer keeps."""
    pairs: list[tuple[str, str]] = []
    for element in form.find_all(*CONTROLS):
        name = element.get("name")
        if not name or element.has("disabled"):
            continue
        value = _control_value(element)
        if value is not None:
            pairs.append((name, value))
    return pairs


def _control_value(element: Element) -> str | None:
    if element.tag == "textarea":
        text = element.raw_text
        return text[1:] if text.startswith("\n") else text  # as browsers parse it
    if element.tag == "select":
        options = element.find_all("option")
        chosen = [o for o in options if o.has("selected")] or options[:1]
        return (chosen[0].get("value") or "") if chosen else None
    kind = element.get("type") or "text"
    if kind in ("file", "submit", "button", "image", "reset"):
        return None
    if kind in ("radio", "checkbox"):
        return (element.get("value") or "on") if element.has("checked") else None
    return element.get("value") or ""


def _attribute(keyword: str) -> str:
    """``for_`` is ``for``, ``data_error_summary`` is ``data-error-summary``."""
    return keyword.rstrip("_").replace("_", "-")
