"""Attached files sent back to the people allowed to see them, under their sanitised
original names with a Content-Disposition no browser can misread."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO
from urllib.parse import quote

from starlette.responses import Response, StreamingResponse

from engine.storage.errors import NotFound
from engine.storage.files import AttachmentService
from engine.storage.models import Attachment
from engine.storage.submissions import SubmissionService
from madoguchi.web.citizen import redirect
from madoguchi.web.endpoint import Call


def application_file(call: Call) -> Response:
    """A file of one of the signed-in citizen's own applications."""
    user_id = call.visitor.user_id
    if user_id is None:
        return redirect(f"/sign-in?next={call.request.url.path}")
    submission = SubmissionService(call.db, call.services.cipher).get_for_user(
        call.params["public_id"], user_id
    )
    files = AttachmentService(call.db, call.services.files)
    attachment = next(
        (a for a in files.for_submission(submission.id) if a.id == call.params["file"]), None
    )
    if attachment is None:
        raise NotFound("no such file")
    return file_response(attachment, files.open(attachment))


def file_response(attachment: Attachment, stream: BinaryIO) -> StreamingResponse:
    return StreamingResponse(
        stream_chunks(stream),
        media_type=attachment.media_type,
        headers={
            "content-disposition": content_disposition(attachment.original_name),
            "content-length": str(attachment.size),
            "cache-control": "private, no-store",
        },
    )


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback and the exact name as RFC 5987 UTF-8."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in name
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def stream_chunks(stream: BinaryIO, size: int = 64 * 1024) -> Iterator[bytes]:
    with stream:
        while chunk := stream.read(size):
            yield chunk
