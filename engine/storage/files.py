"""Uploaded files: the bytes in a file storage, their metadata in the attachments table.

Stored names are random and never derived from what the uploader called the file; the
original name is kept, sanitised, as metadata for display and download only.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.storage.errors import NotFound, TooLarge
from engine.storage.models import Attachment, new_id, utcnow

CHUNK_BYTES = 64 * 1024
MAX_NAME_LENGTH = 255
_KEY = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class StoredBlob:
    key: str
    size: int
    sha256: str


class FileStorage(Protocol):
    """Where uploaded bytes live: a folder now, perhaps object storage later."""

    def put(self, stream: BinaryIO, max_bytes: int) -> StoredBlob:
        """Store ``stream`` under a new key; TooLarge (keeping nothing) past ``max_bytes``."""
        ...

    def open(self, key: str) -> BinaryIO:
        """The bytes stored under ``key``; NotFound if there are none."""
        ...

    def delete(self, key: str) -> None:
        """Forget ``key``; nothing happens if it is not there."""
        ...


class FilesystemStorage:
    """Files under ``root`` in two levels of folders (``ab/cd/abcd…``), so no folder grows
    past a few thousand entries."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, stream: BinaryIO, max_bytes: int) -> StoredBlob:
        key = secrets.token_hex(16)
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        try:
            size, digest = _copy(stream, partial, max_bytes)
            partial.replace(path)  # appears whole or not at all
        finally:
            partial.unlink(missing_ok=True)
        return StoredBlob(key, size, digest)

    def open(self, key: str) -> BinaryIO:
        try:
            return self._path(key).open("rb")
        except FileNotFoundError:
            raise NotFound("no such file") from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        if not _KEY.fullmatch(key):
            raise NotFound("no such file")  # a key is never a path someone can steer
        return self.root / key[:2] / key[2:4] / key


def _copy(stream: BinaryIO, path: Path, max_bytes: int) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        while chunk := stream.read(CHUNK_BYTES):
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(max_bytes)
            digest.update(chunk)
            file.write(chunk)
        file.flush()
        os.fsync(file.fileno())
    return size, digest.hexdigest()


# Control, format (bidi overrides, zero-width), surrogate and line/paragraph separators.
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}
_RESERVED = str.maketrans(dict.fromkeys('<>:"|?*', "_"))


def sanitize_filename(name: str) -> str:
    """A name safe to show and to put in a download header: the last part of any path,
    without control or bidi characters, trimmed to 255 characters with its extension."""
    name = unicodedata.normalize("NFC", name)  # macOS sends kana with separate dakuten
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in _DROPPED_CATEGORIES)
    name = " ".join(name.translate(_RESERVED).split()).strip(" .")
    if not name:
        return "file"
    return _shorten(name)


def _shorten(name: str) -> str:
    if len(name) <= MAX_NAME_LENGTH:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 16:
        return name[:MAX_NAME_LENGTH]
    return stem[: MAX_NAME_LENGTH - len(extension) - 1] + "." + extension


class AttachmentService:
    """Attachments of drafts, which become the submission's when the draft is submitted,
    or of a submission directly (a file sent with a correction). Callers check that the
    draft or submission is the caller's first."""

    def __init__(self, session: Session, storage: FileStorage) -> None:
        self.session = session
        self.storage = storage

    def add(  # noqa: PLR0913 -- keyword-only: each call names what it passes
        self,
        *,
        draft_id: str | None = None,
        submission_id: int | None = None,
        field_path: str,
        blob: StoredBlob,
        media_type: str,
        original_name: str,
        owner: str,
    ) -> Attachment:
        """Record ``blob`` as a file of the draft or of the submission (exactly one)."""
        if (draft_id is None) == (submission_id is None):
            raise ValueError("an attachment belongs to a draft or to a submission")
        attachment = Attachment(
            id=new_id(),
            storage_key=blob.key,
            sha256=blob.sha256,
            size=blob.size,
            media_type=media_type,
            original_name=sanitize_filename(original_name),
            field_path=field_path,
            draft_id=draft_id,
            submission_id=submission_id,
            owner=owner,
            created_at=utcnow(),
        )
        self.session.add(attachment)
        self.session.flush()
        return attachment

    def for_draft(self, draft_id: str, field_path: str | None = None) -> list[Attachment]:
        """The draft's attachments (of one field, if ``field_path`` is given), oldest first."""
        query = select(Attachment).where(Attachment.draft_id == draft_id)
        if field_path is not None:
            query = query.where(Attachment.field_path == field_path)
        return list(self.session.scalars(query.order_by(Attachment.created_at, Attachment.id)))

    def for_submission(self, submission_id: int) -> list[Attachment]:
        query = select(Attachment).where(Attachment.submission_id == submission_id)
        return list(self.session.scalars(query.order_by(Attachment.created_at, Attachment.id)))

    def get(self, attachment_id: str, *, draft_id: str) -> Attachment:
        attachment = self.session.get(Attachment, attachment_id)
        if attachment is None or attachment.draft_id != draft_id:
            raise NotFound("no such attachment")
        return attachment

    def open(self, attachment: Attachment) -> BinaryIO:
        return self.storage.open(attachment.storage_key)

    def remove(self, attachment_id: str, draft_id: str) -> None:
        """Remove one of the draft's attachments, bytes included."""
        attachment = self.get(attachment_id, draft_id=draft_id)
        self.session.delete(attachment)
        self.session.flush()
        # Bytes go after the row: a rollback now leaves a row whose file is gone (opening
        # it says NotFound), never a file nothing refers to that no one would clean up.
        self.storage.delete(attachment.storage_key)

    def purge_orphans(self) -> int:
        """Delete attachments that belong to no draft and no submission (their draft
        expired); return how many. For a periodic worker, after ``delete_expired``."""
        query = select(Attachment).where(
            Attachment.draft_id.is_(None), Attachment.submission_id.is_(None)
        )
        orphans = list(self.session.scalars(query))
        for attachment in orphans:
            self.session.delete(attachment)
        self.session.flush()
        for attachment in orphans:
            self.storage.delete(attachment.storage_key)
        return len(orphans)
