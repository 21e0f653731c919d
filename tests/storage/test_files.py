"""Uploaded bytes: stored under random names, refused past the limit, names made harmless."""

from __future__ import annotations

import hashlib
import io
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from engine.storage.drafts import DraftService
from engine.storage.errors import NotFound, TooLarge
from engine.storage.files import AttachmentService, FilesystemStorage, sanitize_filename


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_a_stored_file_reads_back_under_a_generated_name(tmp_path: Path) -> None:
    storage = FilesystemStorage(tmp_path)
    content = b"%PDF-1.7\n" + b"x" * 200_000
    blob = storage.put(io.BytesIO(content), max_bytes=1_000_000)
    assert blob.size == len(content)
    assert blob.sha256 == hashlib.sha256(content).hexdigest()
    (path,) = files_under(tmp_path)
    assert path.name == blob.key
    assert path.relative_to(tmp_path).parts == (blob.key[:2], blob.key[2:4], blob.key)
    with storage.open(blob.key) as stream:
        assert stream.read() == content
    storage.delete(blob.key)
    assert files_under(tmp_path) == []
    with pytest.raises(NotFound):
        storage.open(blob.key)


def test_an_oversize_upload_is_refused_and_leaves_no_partial_file(tmp_path: Path) -> None:
    storage = FilesystemStorage(tmp_path)
    with pytest.raises(TooLarge):
        storage.put(io.BytesIO(b"x" * 300_000), max_bytes=200_000)
    assert files_under(tmp_path) == []
    exactly = storage.put(io.BytesIO(b"x" * 200_000), max_bytes=200_000)
    assert exactly.size == 200_000


@pytest.mark.parametrize("key", ["../../etc/passwd", "ab/cd", "", "A" * 32, "0" * 31])
def test_a_key_is_never_a_path(tmp_path: Path, key: str) -> None:
    storage = FilesystemStorage(tmp_path / "files")
    with pytest.raises(NotFound):
        storage.open(key)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\hanako\\就労証明書.pdf", "就労証明書.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # shown as invoiceexe.pdf otherwise
        ("a\x00b.pdf", "ab.pdf"),
        ("line\nbreak\r.pdf", "linebreak.pdf"),
        ('say "hi"?.pdf', "say _hi__.pdf"),
        ("  ..hidden  ", "hidden"),
        ("..", "file"),
        ("", "file"),
        ("\u2066\u200b", "file"),
    ],
)
def test_names_are_sanitised(name: str, expected: str) -> None:
    assert sanitize_filename(name) == expected


def test_names_are_composed_and_shortened_keeping_the_extension() -> None:
    decomposed = unicodedata.normalize("NFD", "がっこう.pdf")
    assert sanitize_filename(decomposed) == "がっこう.pdf"
    long = sanitize_filename("保" * 400 + ".jpeg")
    assert len(long) == 255
    assert long.endswith("保.jpeg")


def test_attachments_follow_their_draft(
    db: Session, drafts: DraftService, version_id: str, tmp_path: Path
) -> None:
    storage = FilesystemStorage(tmp_path)
    service = AttachmentService(db, storage)
    draft, _ = drafts.start(version_id, "user-1", "ja")
    blob = storage.put(io.BytesIO(b"%PDF-1.7"), max_bytes=100)
    attachment = service.add(
        draft_id=draft.id,
        field_path="employment_proof",
        blob=blob,
        media_type="application/pdf",
        original_name="../証明書.pdf",
        owner="user-1",
    )
    assert attachment.original_name == "証明書.pdf"
    assert attachment.as_answer()["id"] == attachment.id
    assert service.for_draft(draft.id, "employment_proof") == [attachment]
    assert service.for_draft(draft.id, "other") == []
    with pytest.raises(NotFound):
        service.remove(attachment.id, "someone-elses-draft")
    service.remove(attachment.id, draft.id)
    assert service.for_draft(draft.id) == []
    assert files_under(tmp_path) == []


def test_attachments_of_expired_drafts_are_purged(
    db: Session, drafts: DraftService, version_id: str, tmp_path: Path
) -> None:
    storage = FilesystemStorage(tmp_path)
    service = AttachmentService(db, storage)
    draft, _ = drafts.start(version_id, None, "ja")
    blob = storage.put(io.BytesIO(b"%PDF-1.7"), max_bytes=100)
    service.add(
        draft_id=draft.id,
        field_path="employment_proof",
        blob=blob,
        media_type="application/pdf",
        original_name="a.pdf",
        owner="session-1",
    )
    assert drafts.delete_expired(draft.expires_at) >= 1
    db.expire_all()
    assert service.purge_orphans() >= 1
    assert files_under(tmp_path) == []
