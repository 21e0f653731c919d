"""Files posted with a page: checked by content and size, stored under generated names,
and recorded as the draft's attachments."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData, UploadFile

from engine.answers import AnswerError
from engine.answers.items import put_at
from engine.answers.messages import error_message
from engine.fields import Invalid
from engine.fields.files import SNIFF_BYTES, FileField
from engine.storage.errors import TooLarge
from engine.storage.files import AttachmentService, StoredBlob
from madoguchi.web.drafts import OpenDraft
from madoguchi.web.endpoint import Call


def attachments(call: Call) -> AttachmentService:
    return AttachmentService(call.db, call.services.files)


def store_uploads(call: Call, opened: OpenDraft, form: FormData) -> list[AnswerError]:
    """Store every file posted for a file field; errors for those refused."""
    errors = []
    for name, value in form.multi_items():
        if not isinstance(value, UploadFile) or not value.filename:
            continue
        spec = opened.definition.field_at(name)
        if not isinstance(spec, FileField):
            continue
        try:
            _store(call, opened, name, spec, value)
        except Invalid as invalid:
            message = error_message(invalid.code, spec.label, **invalid.params)
            errors.append(AnswerError(name, invalid.code, message, None))
    return errors


def _store(call: Call, opened: OpenDraft, path: str, spec: FileField, upload: UploadFile) -> None:
    blob, media_type = checked_blob(call, spec, upload)
    owner = call.visitor.user_id or f"draft:{opened.draft.id}"
    attachments(call).add(
        draft_id=opened.draft.id,
        field_path=path,
        blob=blob,
        media_type=media_type,
        original_name=upload.filename or "file",
        owner=owner,
    )


def checked_blob(call: Call, spec: FileField, upload: UploadFile) -> tuple[StoredBlob, str]:
    """The upload stored under a generated name, and its media type as its content shows
    it; Invalid if the field does not take it (type by magic bytes, size)."""
    upload.file.seek(0)
    head = upload.file.read(SNIFF_BYTES)
    upload.file.seek(0, 2)
    size = upload.file.tell()
    kind = spec.check_upload(head, size)
    upload.file.seek(0)
    try:
        blob = call.services.files.put(upload.file, max_bytes=spec.max_size.bytes)
    except TooLarge:
        raise Invalid("file_too_large", max=str(spec.max_size)) from None
    return blob, kind.media_type


def with_files(call: Call, opened: OpenDraft, raw: dict[str, Any]) -> dict[str, Any]:
    """``raw`` with each file field's answer taken from the draft's attachments."""
    by_path: dict[str, list[dict[str, Any]]] = {}
    for attachment in attachments(call).for_draft(opened.draft.id):
        by_path.setdefault(attachment.field_path, []).append(attachment.as_answer())
    for path, files in by_path.items():
        raw = put_at(raw, path, files)
    return raw
