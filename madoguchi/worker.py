"""The worker: what happens off the request path. It fires due timers, delivers the
outbox (mails to applicants) and clears expired drafts, sessions and sign-in records.

Several workers may run at once (PostgreSQL): timers and outbox items are taken with
SKIP LOCKED and removed in the transaction that handles them, so each is handled once.
A mail is sent before its item is removed: if the process dies between the two, that
mail goes again (at least once, never lost).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from auth import tokens
from auth.accounts import ascii_address
from auth.clerks import ClerkService
from auth.mail import Message
from auth.models import User
from auth.sessions import SessionService
from auth.texts import compose
from auth.throttle import LoginThrottle
from engine.documents.requests import ISSUE
from engine.documents.revocation import REVOKED
from engine.storage import outbox
from engine.storage.drafts import DraftService
from engine.storage.files import AttachmentService
from engine.storage.models import Submission, utcnow
from engine.workflow.service import NOTIFY, NOTIFY_STAFF, WorkflowService
from madoguchi.issuing import Issuer, Prepared
from madoguchi.web.services import SESSION_IDLE, SESSION_TTL, Services

log = logging.getLogger("madoguchi.worker")
BATCH = 50
CLEAN_EVERY = timedelta(hours=1)
KEEP_SIGN_IN_ATTEMPTS = timedelta(days=1)
# The mail (auth.texts) an applicant gets for a notification, by its payload's kind; a
# state change otherwise.
_APPLICANT_MAILS = {"message": "case_message", REVOKED: "document_revoked"}


@dataclass
class Round:
    """What one round of work did."""

    timers: int = 0
    delivered: int = 0  # mails
    documents: int = 0
    failed: int = 0
    cleaned: int = 0

    @property
    def busy(self) -> bool:
        return bool(self.timers or self.delivered or self.documents)


class Worker:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.issuer = Issuer(services)
        self._cleaned_at: datetime | None = None

    def run_once(self, now: datetime | None = None) -> Round:
        at = now or utcnow()
        done = Round()
        done.timers = self._fire_timers(at)
        done.delivered, done.failed = self._deliver(at)
        done.documents, failed = self._issue_documents(at)
        done.failed += failed
        if self._cleaned_at is None or at - self._cleaned_at >= CLEAN_EVERY:
            done.cleaned = self._clean(at)
            self._cleaned_at = at
        return done

    def run_until(self, stop: threading.Event, interval: float = 5.0) -> None:
        """Work until ``stop`` is set: straight on while there is work, else every
        ``interval`` seconds. An error is logged and the next round tries again."""
        while not stop.is_set():
            try:
                busy = self.run_once().busy
            except Exception:
                log.exception("worker round failed")
                busy = False
            if not busy:
                stop.wait(interval)

    def _fire_timers(self, now: datetime) -> int:
        with self.services.db() as db:
            service = WorkflowService(
                db, self.services.cipher, self.services.calendar, clock=lambda: now
            )
            fired = service.fire_due_timers(now, BATCH)
            db.commit()
            return fired

    def _issue_documents(self, now: datetime) -> tuple[int, int]:
        """Documents asked for: read (short transaction), render and sign (none open),
        then record the document and remove the item (short transaction)."""
        issued = failed = 0
        prepared: list[tuple[int, Prepared | None]] = []
        with self.services.db() as db:
            for item in outbox.claim(db, 5, now=now, kinds=(ISSUE,)):
                try:
                    with db.begin_nested():
                        prepared.append((item.id, self.issuer.prepare(db, dict(item.payload))))
                except Exception as error:  # a template that cannot render: retry later
                    log.warning("document for outbox item %s failed: %s", item.id, error)
                    outbox.failed(db, item, repr(error), now=lambda: now)
                    failed += 1
            db.commit()
        for item_id, ready in prepared:
            try:
                signed = self.issuer.produce(ready) if ready is not None else None
            except Exception as error:  # a render refused or timed out: retry later
                log.warning("document for outbox item %s failed: %s", item_id, error)
                with self.services.db() as db:
                    waiting = db.get(outbox.OutboxItem, item_id)
                    if waiting is not None:
                        outbox.failed(db, waiting, repr(error), now=lambda: now)
                    db.commit()
                failed += 1
                continue
            with self.services.db() as db:
                if not outbox.take(db, item_id):
                    continue  # another worker recorded it
                if ready is not None and signed is not None:
                    self.issuer.record(db, ready, signed)
                db.commit()
            issued += 1
        return issued, failed

    def _deliver(self, now: datetime) -> tuple[int, int]:
        delivered = failed = 0
        with self.services.db() as db:
            for item in outbox.claim(db, BATCH, now=now, kinds=(NOTIFY, NOTIFY_STAFF)):
                try:
                    self._handle(db, item)
                except Exception as error:  # a mail server's refusal, say: retry later
                    log.warning("outbox item %s failed: %s", item.id, error)
                    outbox.failed(db, item, repr(error), now=lambda: now)
                    failed += 1
                else:
                    outbox.done(db, item)
                    delivered += 1
            db.commit()
        return delivered, failed

    def _handle(self, db: Session, item: outbox.OutboxItem) -> None:
        if item.kind not in (NOTIFY, NOTIFY_STAFF):
            raise ValueError(f"no handler for outbox items of kind {item.kind!r}")
        submission = db.get(Submission, item.payload["submission_id"])
        if submission is None:
            return
        base = self.services.settings.base_url
        if item.kind == NOTIFY_STAFF:
            link = f"{base}/console/cases/{submission.public_id}"
            for clerk in self._staff_of(db, submission):
                self._mail(db, clerk, submission, "staff_message", link)
            return
        user = db.get(User, submission.applicant_user_id) if submission.applicant_user_id else None
        if user is None:
            return  # nobody to tell (no account, or the account was deleted)
        kind = _APPLICANT_MAILS.get(str(item.payload.get("kind")), "case_changed")
        self._mail(db, user, submission, kind, f"{base}/applications/{submission.public_id}")

    def _staff_of(self, db: Session, submission: Submission) -> list[User]:
        """Who hears that the applicant wrote: the case's clerk, or, for a case nobody
        has taken, every clerk of its department."""
        assignee = (
            db.get(User, submission.assignee_user_id) if submission.assignee_user_id else None
        )
        if assignee is not None and assignee.disabled_at is None:
            return [assignee]
        clerks = ClerkService(
            db, self.services.mailer, self.services.settings.base_url, self.services.cipher
        )
        return clerks.in_department(submission.department)

    def _mail(self, db: Session, user: User, submission: Submission, kind: str, link: str) -> None:
        definition = WorkflowService(
            db, self.services.cipher, self.services.calendar
        ).definition_of(submission)
        state = definition.workflow.states[submission.state].label
        subject, body = compose(
            kind,
            user.language,
            procedure_ja=definition.title.get("ja"),
            procedure_en=definition.title.get("en"),
            reference=submission.reference,
            state_ja=state.get("ja"),
            state_en=state.get("en"),
            link=link,
        )
        self.services.mailer.send(Message(to=ascii_address(user.email), subject=subject, body=body))

    def _clean(self, now: datetime) -> int:
        with self.services.db() as db:
            removed = DraftService(db, self.services.draft_ttl).delete_expired(now)
            removed += AttachmentService(db, self.services.files).purge_orphans()
            removed += SessionService(db, ttl=SESSION_TTL, idle=SESSION_IDLE).delete_expired(now)
            removed += LoginThrottle(db).delete_older_than(now - KEEP_SIGN_IN_ATTEMPTS)
            removed += tokens.delete_expired(db, now)
            db.commit()
        return removed


def start_in_background(services: Services) -> tuple[threading.Thread, threading.Event]:
    """A worker thread inside the web process (the default for `madoguchi serve`)."""
    stop = threading.Event()
    thread = threading.Thread(
        target=Worker(services).run_until, args=(stop,), name="madoguchi-worker", daemon=True
    )
    thread.start()
    return thread, stop
