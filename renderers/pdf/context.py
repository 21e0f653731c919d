"""What a document template gets: plain, frozen data in the applicant's language.

No ORM objects and no raw rows reach a template: the caller (the worker issuing documents)
reads the submission and passes ``SubmissionFacts``; ``document_context`` turns them into
display text with the field registry's own ``display`` and ``mask``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from types import MappingProxyType
from typing import Any

from engine.definitions.models import Definition
from engine.fields import FieldBase
from engine.fields.files import FileField
from engine.fields.group import GroupField
from engine.fields.identity import PersonNameField
from engine.japanese.wareki import format_date
from engine.text import LANGUAGES
from engine.workflow.clock import TOKYO

# A receipt shows each answer whole up to this many characters (a long textarea fills a
# few pages); past it, the rest is left out with a note, so one answer cannot make a
# document that never finishes rendering. The whole answer stays on record.
MAX_ANSWER_CHARS = 10_000

# Bidirectional controls (U+202E can make "txt.exe" read "exe.txt") and other invisible
# controls are shown as their code points: a receipt is a record of what was typed.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


@dataclass(frozen=True)
class Decision:
    """A clerk's decision, for decision notices."""

    state: str  # the workflow state the submission reached (approved, rejected, ...)
    label: str  # that state's label, in the document's language
    date: date
    comment: str | None = None


@dataclass(frozen=True)
class Verification:
    """How anyone checks the document: the printed code and the page it leads to."""

    code: str
    url: str  # https://.../verify/<code>


@dataclass(frozen=True)
class VerificationPart:
    code: str
    url: str
    qr: str  # the URL as a QR code: a data: URI of an SVG image


@dataclass(frozen=True)
class SubmissionFacts:
    """What the office knows of one submission, as plain data the caller reads for us."""

    reference: str
    submitted_at: datetime  # aware
    answers: Mapping[str, Any]  # normalised, as engine.answers.from_jsonable returns them
    due_date: date | None = None  # the processing period's last day, if it is known
    status_url: str | None = None  # where the applicant follows the application (https)
    decision: Decision | None = None
    verification: Verification | None = None

    def __post_init__(self) -> None:
        if self.submitted_at.utcoffset() is None:
            raise ValueError("submitted_at must be an aware datetime")


@dataclass(frozen=True)
class AnswerLine:
    label: str
    text: str
    # When the answer was too long to show whole: how many characters it has, how many shown.
    shortened_from: int | None = None
    shown_chars: int | None = None


@dataclass(frozen=True)
class AnswerSection:
    title: str
    lines: tuple[AnswerLine, ...]


@dataclass(frozen=True)
class AttachmentLine:
    label: str  # the field's label
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Titled:
    title: str


@dataclass(frozen=True)
class Office:
    name: str  # the issuing office, as printed on documents


@dataclass(frozen=True)
class SubmissionPart:
    reference: str
    submitted_at: str  # the day in the document's calendar: 令和8年11月26日
    submitted_time: str  # 14:05 (Tokyo)
    submitted_at_iso: str  # 2026-11-26T14:05:00+09:00
    answers: Mapping[str, Any]  # read-only, for per-procedure templates
    sections: tuple[AnswerSection, ...]
    attachments: tuple[AttachmentLine, ...]


@dataclass(frozen=True)
class ApplicantPart:
    name: str  # the first name field's answer; empty when the procedure asks for none


@dataclass(frozen=True)
class DecisionPart:
    state: str
    label: str
    date: str
    comment: str | None


@dataclass(frozen=True)
class ProcessingPart:
    period: str | None  # 20営業日
    due_date: str | None  # 令和8年12月24日


@dataclass(frozen=True)
class DocumentContext:
    """Everything a document template sees, by these names."""

    lang: str
    document: Titled
    procedure: Titled
    submission: SubmissionPart
    applicant: ApplicantPart
    office: Office
    processing: ProcessingPart
    status_url: str | None
    decision: DecisionPart | None = None
    contact: str | None = None
    verification: VerificationPart | None = None

    def variables(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def document_context(
    definition: Definition,
    facts: SubmissionFacts,
    language: str,
    *,
    document: str,
    office: str,
) -> DocumentContext:
    """The context of ``definition``'s document named ``document`` for one submission."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; expected one of {LANGUAGES}")
    spec = definition.documents.get(document)
    if spec is None:
        raise ValueError(f"{definition.procedure} declares no document {document!r}")
    local = facts.submitted_at.astimezone(TOKYO)
    period = definition.processing_period
    return DocumentContext(
        lang=language,
        document=Titled(spec.title.get(language)),
        procedure=Titled(definition.title.get(language)),
        submission=SubmissionPart(
            reference=facts.reference,
            submitted_at=format_date(local.date(), language, "wareki"),
            submitted_time=f"{local:%H:%M}",
            submitted_at_iso=local.isoformat(timespec="seconds"),
            answers=MappingProxyType(dict(facts.answers)),
            sections=tuple(answer_sections(definition, facts.answers, language)),
            attachments=tuple(attachments(definition.fields(), facts.answers, language)),
        ),
        applicant=ApplicantPart(applicant_name(definition, facts.answers)),
        office=Office(office),
        processing=ProcessingPart(
            period=period.describe(language) if period is not None else None,
            due_date=format_date(facts.due_date, language, "wareki") if facts.due_date else None,
        ),
        status_url=facts.status_url,
        decision=_decision(facts.decision, language),
        contact=definition.contact.get(language) if definition.contact else None,
        verification=_verification(facts.verification),
    )


def _verification(verification: Verification | None) -> VerificationPart | None:
    if verification is None:
        return None
    import segno  # noqa: PLC0415 -- only documents draw QR codes

    qr = segno.make(verification.url, error="m").svg_data_uri(border=0, scale=3)
    return VerificationPart(verification.code, verification.url, qr)


def _decision(decision: Decision | None, language: str) -> DecisionPart | None:
    if decision is None:
        return None
    when = format_date(decision.date, language, "wareki")
    return DecisionPart(decision.state, decision.label, when, decision.comment)


def applicant_name(definition: Definition, answers: Mapping[str, Any]) -> str:
    """The first top-level name field's answer, 姓 名; empty if there is none."""
    for spec in definition.fields():
        value = answers.get(spec.id)
        if isinstance(spec, PersonNameField) and isinstance(value, Mapping):
            return visible(f"{value.get('family', '')} {value.get('given', '')}".strip())
    return ""


def answer_sections(
    definition: Definition, answers: Mapping[str, Any], language: str
) -> list[AnswerSection]:
    """Every answer page by page, as the check-answers page shows them; sensitive ones masked."""
    sections = []
    for page in definition.pages:
        lines: list[AnswerLine] = []
        for spec in page.fields:
            lines += _lines(spec, answers.get(spec.id), language, None)
        if lines:
            sections.append(AnswerSection(page.title.get(language), tuple(lines)))
    return sections


def _lines(spec: FieldBase, value: Any, language: str, prefix: str | None) -> list[AnswerLine]:
    if value is None:
        return []
    label = spec.label.get(language) if prefix is None else f"{prefix} {spec.label.get(language)}"
    if isinstance(spec, GroupField):
        items = value if isinstance(value, list) else [value]
        lines: list[AnswerLine] = []
        for number, item in enumerate(items, start=1):
            name = spec.item_name(number).get(language) if spec.repeat else prefix
            for child in spec.fields:
                lines += _lines(child, item.get(child.id), language, name)
        return lines
    text = spec.mask(value) if spec.sensitive else spec.display(value, language)
    return [_line(label, text)]


def _line(label: str, text: str) -> AnswerLine:
    if len(text) <= MAX_ANSWER_CHARS:
        return AnswerLine(label, visible(text))
    return AnswerLine(label, visible(text[:MAX_ANSWER_CHARS]), len(text), MAX_ANSWER_CHARS)


def attachments(
    specs: Iterable[FieldBase], answers: Mapping[str, Any], language: str, prefix: str = ""
) -> list[AttachmentLine]:
    """Every uploaded file with its size and sha256, in definition order."""
    found: list[AttachmentLine] = []
    for spec in specs:
        value = answers.get(spec.id)
        if value is None:
            continue
        label = f"{prefix}{spec.label.get(language)}"
        if isinstance(spec, FileField):
            found += [
                AttachmentLine(label, visible(item["name"]), item["size"], item["sha256"])
                for item in value
            ]
        elif isinstance(spec, GroupField):
            items: Sequence[Any] = value if isinstance(value, list) else [value]
            for number, item in enumerate(items, start=1):
                name = spec.item_name(number).get(language) if spec.repeat else label
                found += attachments(spec.fields, item, language, f"{name} ")
    return found


def visible(text: str) -> str:
    """``text`` with invisible controls (bidi overrides, C0/C1 but tab and line breaks)
    written as their code points, e.g. [U+202E], and long unbroken runs made breakable."""
    if not text.isprintable():
        text = "".join(_shown(c) for c in text)
    return _LONG_RUN.sub(_breakable, text)


# WeasyPrint wraps a run with no break opportunity (overflow-wrap: anywhere) in time that
# grows with the square of its length: 2,000 characters take 0.1 s, 10,000 take 1.5 s,
# 100,000 over a minute. A zero-width space every 80 characters keeps it linear; readers
# neither see it nor copy it as a character they would notice.
_RUN = 80
_LONG_RUN = re.compile(rf"[^\s\u200b]{{{_RUN + 1},}}")


def _breakable(match: re.Match[str]) -> str:
    run = match.group()
    return "\u200b".join(run[i : i + _RUN] for i in range(0, len(run), _RUN))


def _shown(c: str) -> str:
    if c in "\n\t" or (c not in _BIDI_CONTROLS and unicodedata.category(c) != "Cc"):
        return c
    return f"[U+{ord(c):04X}]"
