"""Text in the citizen's language: Japanese always, English where the author gave it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

Language = Literal["ja", "en"]
LANGUAGES: tuple[Language, ...] = ("ja", "en")


class LocalizedText(BaseModel):
    """Written in YAML as a plain string (Japanese, used for both languages) or ``{ja, en}``."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    ja: str = Field(min_length=1)
    en: str | None = Field(default=None, min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, data: Any) -> Any:
        return {"ja": data} if isinstance(data, str) else data

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        mapping = handler.resolve_ref_schema(handler(schema))
        return {
            "anyOf": [{"type": "string", "minLength": 1}, mapping],
            "description": "Text in Japanese, or {ja: ..., en: ...}",
        }

    def get(self, language: str) -> str:
        """The text in ``language``, falling back to Japanese."""
        if language == "en" and self.en is not None:
            return self.en
        return self.ja

    def format(self, **params: object) -> LocalizedText:
        """Both languages with ``{name}`` placeholders filled in."""
        return LocalizedText(
            ja=self.ja.format(**params),
            en=None if self.en is None else self.en.format(**params),
        )
