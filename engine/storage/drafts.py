"""Drafts: applications being filled in, page by page, until they are submitted.

A signed-in applicant's draft belongs to their account. An anonymous applicant gets a
resume token (shown once, carried in a link); only its digest is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session

from engine.storage.crypto import AnswerCipher
from engine.storage.definitions import DefinitionStore
from engine.storage.errors import DraftExpired, NotFound
from engine.storage.models import Draft, new_id, utcnow

Clock = Callable[[], datetime]


def hash_token(token: str) -> str:
    # The token carries 256 random bits: a fast hash is enough, nothing to brute-force.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class DraftService:
    """Drafts in ``session``. Each save keeps a draft alive for ``ttl`` more. With a
    ``cipher``, sensitive answers are encrypted in drafts as they are in submissions."""

    def __init__(
        self,
        session: Session,
        ttl: timedelta,
        *,
        cipher: AnswerCipher | None = None,
        clock: Clock = utcnow,
    ) -> None:
        self.session = session
        self.ttl = ttl
        self.cipher = cipher
        self.clock = clock

    def start(
        self, definition_version_id: str, owner_user_id: str | None, language: str
    ) -> tuple[Draft, str | None]:
        """A new, empty draft, and its resume token if the applicant is anonymous."""
        token = None if owner_user_id is not None else secrets.token_urlsafe(32)
        now = self.clock()
        draft = Draft(
            id=new_id(),
            definition_version_id=definition_version_id,
            owner_user_id=owner_user_id,
            resume_token_hash=None if token is None else hash_token(token),
            answers={},
            page_id=None,
            language=language,
            created_at=now,
            updated_at=now,
            expires_at=now + self.ttl,
        )
        self.session.add(draft)
        self.session.flush()
        return draft, token

    def get(
        self, draft_id: str, *, user_id: str | None = None, resume_token: str | None = None
    ) -> Draft:
        """The draft, if the caller is its owner (``user_id``) or holds its resume token.

        Anyone else gets NotFound, exactly as for a draft that does not exist. An expired
        draft gives DraftExpired, but only to its owner."""
        draft = self.session.get(Draft, draft_id)
        if draft is None or not _may_see(draft, user_id, resume_token):
            raise NotFound("no such draft")
        if draft.expires_at <= self.clock():
            raise DraftExpired("the draft has expired")
        return draft

    def save(self, draft: Draft, answers: dict[str, Any], page_id: str | None) -> None:
        """Merge one page's raw answers into the draft and keep it alive for ``ttl``."""
        draft.answers = {**draft.answers, **self._seal(draft, answers)}  # a new dict: JSON
        draft.page_id = page_id  # columns notice reassignment, not changes inside
        self.touch(draft)
        self.session.flush()

    def touch(self, draft: Draft) -> None:
        now = self.clock()
        draft.updated_at = now
        draft.expires_at = now + self.ttl

    def answers_of(self, draft: Draft) -> dict[str, Any]:
        """The draft's raw answers, decrypted."""
        if self.cipher is None:
            return dict(draft.answers)
        return self.cipher.decrypt(draft.answers, self._sensitive_paths(draft))

    def adopt(self, draft: Draft, user_id: str) -> None:
        """Give an anonymous draft to the account its applicant just signed in to; the
        resume token stops working."""
        draft.owner_user_id = user_id
        draft.resume_token_hash = None
        self.session.flush()

    def list_for_user(self, user_id: str) -> list[Draft]:
        """The user's drafts still alive, most recently changed first."""
        query = (
            select(Draft)
            .where(Draft.owner_user_id == user_id, Draft.expires_at > self.clock())
            .order_by(Draft.updated_at.desc(), Draft.id)
        )
        return list(self.session.scalars(query))

    def delete_expired(self, now: datetime) -> int:
        """Delete drafts expired at ``now``; return how many. Their attachments lose their
        draft (see ``AttachmentService.purge_orphans``)."""
        statement = delete(Draft).where(Draft.expires_at <= now)
        options = {"synchronize_session": False}
        result = cast(CursorResult[Any], self.session.execute(statement, execution_options=options))
        return result.rowcount

    def _seal(self, draft: Draft, answers: dict[str, Any]) -> dict[str, Any]:
        if self.cipher is None:
            return answers
        return self.cipher.encrypt(answers, self._sensitive_paths(draft))

    def _sensitive_paths(self, draft: Draft) -> list[str]:
        loaded = DefinitionStore(self.session).load(draft.definition_version_id)
        return loaded.definition.sensitive_paths()


def _may_see(draft: Draft, user_id: str | None, resume_token: str | None) -> bool:
    if draft.owner_user_id is not None:
        return draft.owner_user_id == user_id  # user ids are not secrets
    if draft.resume_token_hash is None or resume_token is None:
        return False
    return hmac.compare_digest(draft.resume_token_hash, hash_token(resume_token))
