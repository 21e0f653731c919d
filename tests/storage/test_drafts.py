"""Drafts: only their owner sees them, they keep what was typed, and they expire."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from engine.storage.crypto import FernetAnswerCipher
from engine.storage.drafts import DraftService
from engine.storage.errors import DraftExpired, NotFound
from tests.storage.conftest import TTL


def test_a_signed_in_applicant_s_draft_is_theirs_alone(
    drafts: DraftService, version_id: str
) -> None:
    draft, token = drafts.start(version_id, "user-1", "ja")
    assert token is None
    assert len(draft.id) == 22
    assert drafts.get(draft.id, user_id="user-1") is draft
    for kwargs in [{"user_id": "user-2"}, {}, {"resume_token": "guess"}]:
        with pytest.raises(NotFound):
            drafts.get(draft.id, **kwargs)
    assert drafts.list_for_user("user-1") == [draft]
    assert drafts.list_for_user("user-2") == []


def test_an_anonymous_draft_resumes_with_its_token_only(
    db: Session, drafts: DraftService, version_id: str
) -> None:
    draft, token = drafts.start(version_id, None, "en")
    assert token is not None
    assert drafts.get(draft.id, resume_token=token) is draft
    stored = db.execute(
        text("SELECT resume_token_hash FROM drafts WHERE id = :id"), {"id": draft.id}
    )
    assert token not in str(stored.scalar_one())
    for kwargs in [{"resume_token": token + "x"}, {"user_id": "user-1"}, {}]:
        with pytest.raises(NotFound):
            drafts.get(draft.id, **kwargs)
    other, _ = drafts.start(version_id, None, "en")
    with pytest.raises(NotFound):
        drafts.get(other.id, resume_token=token)  # one draft's token opens no other


def test_a_draft_that_does_not_exist_looks_like_one_that_is_not_yours(
    drafts: DraftService,
) -> None:
    with pytest.raises(NotFound, match="no such draft"):
        drafts.get("x" * 22, user_id="user-1")


def test_saving_merges_pages_and_encrypts_my_number(
    db: Session, drafts: DraftService, version_id: str
) -> None:
    draft, _ = drafts.start(version_id, "user-1", "ja")
    drafts.save(draft, {"name": {"family": "髙橋"}, "my_number": "1234 5678 9018"}, "applicant")
    drafts.save(draft, {"reason": "employed"}, "reason")
    db.expire_all()
    draft = drafts.get(draft.id, user_id="user-1")
    assert draft.page_id == "reason"
    assert drafts.answers_of(draft) == {
        "name": {"family": "髙橋"},
        "my_number": "1234 5678 9018",
        "reason": "employed",
    }
    stored = db.execute(text("SELECT answers FROM drafts WHERE id = :id"), {"id": draft.id})
    raw = stored.scalar_one()
    assert "1234 5678 9018" not in (raw if isinstance(raw, str) else json.dumps(raw))


def test_saving_keeps_a_draft_alive_and_an_expired_one_is_gone(
    db: Session, cipher: FernetAnswerCipher, version_id: str
) -> None:
    now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    clock = [now]
    drafts = DraftService(db, TTL, cipher=cipher, clock=lambda: clock[0])
    draft, _ = drafts.start(version_id, "user-1", "ja")
    assert draft.expires_at == now + TTL
    clock[0] = now + timedelta(days=20)
    drafts.save(draft, {"reason": "employed"}, "reason")
    assert draft.expires_at == now + timedelta(days=20) + TTL
    clock[0] = draft.expires_at
    with pytest.raises(DraftExpired):
        drafts.get(draft.id, user_id="user-1")
    with pytest.raises(NotFound):
        drafts.get(draft.id, user_id="user-2")  # expiry is told to the owner only
    assert drafts.list_for_user("user-1") == []
    assert drafts.delete_expired(clock[0] - timedelta(seconds=1)) == 0
    draft_id = draft.id
    assert drafts.delete_expired(clock[0]) == 1
    db.expire_all()
    with pytest.raises(NotFound):
        drafts.get(draft_id, user_id="user-1")


def test_timestamps_come_back_in_utc(db: Session, drafts: DraftService, version_id: str) -> None:
    draft, _ = drafts.start(version_id, "user-1", "ja")
    db.expire_all()
    draft = drafts.get(draft.id, user_id="user-1")
    assert draft.created_at.utcoffset() == timedelta(0)


def test_an_anonymous_draft_can_be_adopted_by_an_account(
    drafts: DraftService, version_id: str
) -> None:
    draft, token = drafts.start(version_id, None, "ja")
    drafts.adopt(draft, "user-1")
    assert drafts.get(draft.id, user_id="user-1") is draft
    with pytest.raises(NotFound):
        drafts.get(draft.id, resume_token=token)
