"""What a user (and their assistive technology) would notice on any rendered page."""

from __future__ import annotations

import re

from tests.renderers.html_tree import CONTROLS, Element, parse

SERVICE = {"ja": "窓口", "en": "Madoguchi"}
ERROR_PREFIX = {"ja": "エラー: ", "en": "Error: "}
_INLINE_HANDLER = re.compile(r"^on[a-z]+$")


def check_page(html: str, language: str, *, has_errors: bool | None = None) -> Element:
    """Parse ``html`` and assert every rule a page must keep; return the document."""
    doc = parse(html)
    assert html.startswith("<!doctype html>")
    assert doc.find("html").get("lang") == language
    check_title(doc, language, has_errors)
    check_skip_link_and_landmarks(doc)
    assert len(doc.find_all("h1")) == 1, "one h1 per page"
    check_unique_ids(doc)
    check_controls_are_labelled(doc)
    check_descriptions_exist(doc)
    check_invalid_controls(doc)
    check_error_summary(doc, has_errors)
    check_no_inline_code(doc)
    check_language_switch(doc, language)
    return doc


def check_title(doc: Element, language: str, has_errors: bool | None) -> None:
    title = doc.find("title").text
    assert title.endswith(f" - {SERVICE[language]}"), title
    if has_errors is not None:
        assert title.startswith(ERROR_PREFIX[language]) == has_errors, title


def check_skip_link_and_landmarks(doc: Element) -> None:
    body = doc.find("body")
    focusable = [
        e
        for e in body.iter()
        if e.tag in ("a", "button", *CONTROLS)
        and e.get("tabindex") != "-1"
        and e.get("type") != "hidden"
    ]
    assert focusable[0].get("href") == "#main", "the skip link comes first"
    mains = doc.find_all("main")
    assert len(mains) == 1
    assert mains[0].get("id") == "main"
    for landmark in ("header", "nav", "footer"):
        assert doc.find_all(landmark), f"no <{landmark}>"
    assert all(nav.get("aria-label") for nav in doc.find_all("nav"))


def check_unique_ids(doc: Element) -> None:
    ids = [e.get("id") for e in doc.iter() if e.has("id")]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"duplicate ids: {duplicates}"


def controls(doc: Element) -> list[Element]:
    return [e for e in doc.find_all(*CONTROLS) if e.get("type") != "hidden"]


def check_controls_are_labelled(doc: Element) -> None:
    labelled = {label.get("for") for label in doc.find_all("label")}
    for control in controls(doc):
        if control.get("aria-hidden") == "true":
            continue
        in_fieldset = any(
            a.tag == "fieldset"
            and any(c.tag == "legend" for c in a.children if isinstance(c, Element))
            for a in control.ancestors()
        )
        assert control.get("id") in labelled or in_fieldset, f"unlabelled {control.attrs}"
        if control.get("id") in labelled:
            label = doc.find("label", for_=control.get("id") or "")
            assert label.text, f"empty label for {control.get('id')}"


def check_descriptions_exist(doc: Element) -> None:
    for element in doc.iter():
        for ref in (element.get("aria-describedby") or "").split():
            assert doc.by_id(ref) is not None, f"aria-describedby names missing #{ref}"
        labelledby = element.get("aria-labelledby")
        if labelledby:
            assert doc.by_id(labelledby) is not None


def _descriptions(element: Element) -> set[str]:
    refs = set((element.get("aria-describedby") or "").split())
    for fieldset in (a for a in element.ancestors() if a.tag == "fieldset"):
        refs |= set((fieldset.get("aria-describedby") or "").split())
    return refs


def check_invalid_controls(doc: Element) -> None:
    """aria-invalid only where an error message is tied to the control (or its fieldset),
    and every error message is tied to something."""
    messages = {e.get("id") for e in doc.iter() if "error-message" in e.classes}
    for control in doc.iter():
        if control.get("aria-invalid") is not None:
            assert control.get("aria-invalid") == "true"
            assert _descriptions(control) & messages, f"invalid without message: {control.attrs}"
    referenced = {r for e in doc.iter() for r in (e.get("aria-describedby") or "").split()}
    assert messages <= referenced, f"error messages no input names: {messages - referenced}"


def error_texts(doc: Element) -> list[str]:
    """Inline error messages without their screen-reader prefix."""
    texts = []
    for message in (e for e in doc.iter() if "error-message" in e.classes):
        parts = [
            c for c in message.children if isinstance(c, str) or "visually-hidden" not in c.classes
        ]
        texts.append(" ".join("".join(p if isinstance(p, str) else p.text for p in parts).split()))
    return texts


def check_error_summary(doc: Element, has_errors: bool | None) -> None:
    summaries = doc.find_all(data_error_summary="")
    if has_errors is not None:
        assert bool(summaries) == has_errors
    if not summaries:
        assert not error_texts(doc), "inline errors without a summary"
        return
    (summary,) = summaries
    assert summary.get("role") == "alert"
    assert summary.get("tabindex") == "-1"
    assert summary.find("h2").text
    order = list(doc.iter())
    assert order.index(summary) < order.index(doc.find("h1")), "the summary comes before h1"
    for link in summary.find_all("a"):
        href = link.get("href") or ""
        assert href.startswith("#")
        assert doc.by_id(href[1:]) is not None, f"summary links to missing {href}"
    listed = [item.text for item in summary.find_all("li")]
    for text in error_texts(doc):
        assert text in listed, f"inline error not in the summary: {text}"


def check_no_inline_code(doc: Element) -> None:
    for element in doc.iter():
        assert not any(_INLINE_HANDLER.match(name) for name in element.attrs), element.attrs
        assert not element.has("style"), "inline styles are refused by the CSP"
        if element.tag == "script":
            assert element.get("src")
            assert element.has("defer")
            assert not element.raw_text.strip()
        if element.tag == "input":
            assert element.get("type") not in ("submit", "button", "image"), "buttons are <button>"


def check_language_switch(doc: Element, language: str) -> Element:
    """A link to the page in the other language; on a form page, a button that posts the
    form (so typed answers are kept) with ``action=language:<other>``."""
    other = "en" if language == "ja" else "ja"
    switches = doc.find_all("a", hreflang=other) or doc.find_all(
        "button", value=f"language:{other}"
    )
    assert len(switches) == 1, "one language switch"
    (switch,) = switches
    assert switch.get("lang") == other
    assert switch.text == ("English" if other == "en" else "日本語")
    assert switch.closest("nav") is not None
    if switch.tag == "a":
        assert switch.get("href")
    else:
        form = doc.by_id(switch.get("form") or "")
        assert form is not None
        assert form.tag == "form"
        assert switch.get("name") == "action"
    return switch
