"""Attachments. Types are recognised by their content (magic bytes), never by their name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from engine.definitions.types import ByteSize
from engine.expressions.types import FILES, ExprType
from engine.fields.base import CleanContext, FieldBase, InputHints, Invalid
from engine.fields.registry import register


@dataclass(frozen=True)
class FileKind:
    name: str
    media_type: str
    extensions: tuple[str, ...]
    label: str

    def matches(self, head: bytes) -> bool:
        if self.name == "heic":
            return head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1")
        if self.name == "webp":
            return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
        return any(head.startswith(magic) for magic in _MAGIC[self.name])


_MAGIC: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "gif": (b"GIF87a", b"GIF89a"),
    "tiff": (b"II*\x00", b"MM\x00*"),
}

FILE_KINDS: dict[str, FileKind] = {
    kind.name: kind
    for kind in (
        FileKind("pdf", "application/pdf", (".pdf",), "PDF"),
        FileKind("jpeg", "image/jpeg", (".jpg", ".jpeg"), "JPEG"),
        FileKind("png", "image/png", (".png",), "PNG"),
        FileKind("gif", "image/gif", (".gif",), "GIF"),
        FileKind("webp", "image/webp", (".webp",), "WebP"),
        FileKind("heic", "image/heic", (".heic", ".heif"), "HEIC"),
        FileKind("tiff", "image/tiff", (".tif", ".tiff"), "TIFF"),
    )
}
SNIFF_BYTES = 16  # how much of a file's start sniffing needs


def sniff_file_kind(head: bytes) -> FileKind | None:
    """The kind of file whose first bytes are ``head``, or None if it is none we know."""
    return next((kind for kind in FILE_KINDS.values() if kind.matches(head)), None)


class StoredFile(BaseModel):
    """An uploaded file as an answer refers to it; the bytes live in the file storage."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")
    name: str = Field(min_length=1, max_length=255)  # sanitised original name, metadata only
    size: int = Field(ge=0)
    media_type: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


FileKindName = Literal["pdf", "jpeg", "png", "gif", "webp", "heic", "tiff"]


@register
class FileField(FieldBase):
    blank_code = "required_file"
    type: Literal["file"]
    accept: list[FileKindName] = Field(default=["pdf", "jpeg", "png"], min_length=1)
    max_size: ByteSize = Field(
        default=ByteSize.parse("10 MB"), json_schema_extra={"default": "10 MB"}
    )
    max_files: int = Field(default=1, ge=1, le=20)

    @field_validator("accept")
    @classmethod
    def _unique(cls, accept: list[str]) -> list[str]:
        if len(set(accept)) != len(accept):
            raise ValueError("accept lists a file type twice")
        return accept

    def value_type(self) -> ExprType:
        return FILES

    def check_upload(self, head: bytes, size: int) -> FileKind:
        """Refuse an upload (before it is stored) whose content or size does not fit."""
        if size == 0:
            raise Invalid("file_empty")
        if size > self.max_size.bytes:
            raise Invalid("file_too_large", max=str(self.max_size))
        kind = sniff_file_kind(head)
        if kind is None or kind.name not in self.accept:
            raise Invalid("file_type", accept=self.accept_text())
        return kind

    def clean(self, raw: Any, context: CleanContext) -> list[dict[str, Any]]:
        items = raw if isinstance(raw, list) else [raw]
        if not all(isinstance(item, dict) for item in items):
            raise Invalid("wrong_shape")
        try:
            files = [StoredFile.model_validate(item) for item in items]
        except ValidationError:
            raise Invalid("wrong_shape") from None
        if len(files) > self.max_files:
            raise Invalid("too_many_files", max=self.max_files)
        accepted = {FILE_KINDS[name].media_type for name in self.accept}
        for stored in files:
            if stored.media_type not in accepted:
                raise Invalid("file_type", accept=self.accept_text())
            if stored.size > self.max_size.bytes:
                raise Invalid("file_too_large", max=str(self.max_size))
        return [stored.model_dump() for stored in files]

    def accept_text(self) -> str:
        return "、".join(FILE_KINDS[name].label for name in self.accept)

    def answer_schema(self) -> dict[str, Any]:
        return {
            "type": "array",
            "items": StoredFile.model_json_schema(),
            "maxItems": self.max_files,
        }

    def display(self, value: Any, language: str) -> str:
        return "、".join(item["name"] for item in value)

    def input_hints(self) -> InputHints:
        accept = tuple(ext for name in self.accept for ext in (FILE_KINDS[name].media_type,))
        return InputHints("file", input_type="file", accept=accept)
