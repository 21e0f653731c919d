"""What the storage services raise. Callers map them to responses; none reveals more than
the caller may know (a draft of someone else is NotFound, not Forbidden)."""

from __future__ import annotations


class StorageError(Exception):
    """Base of every storage error."""


class NotFound(StorageError):  # noqa: N818 -- reads as what happened, like the HTTP status
    """No such record, or not one the caller may see: the two are deliberately the same."""


class Conflict(StorageError):  # noqa: N818
    """The request clashes with what is already stored (a draft submitted twice, say)."""


class StaleSubmission(Conflict):
    """Someone else changed the submission since the caller read it."""


class DraftExpired(StorageError):  # noqa: N818
    """The draft is past its expiry date and may be deleted at any moment."""


class TooLarge(StorageError):  # noqa: N818
    """An upload went past the size allowed; nothing of it was kept."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"larger than {max_bytes:,} bytes")
        self.max_bytes = max_bytes
