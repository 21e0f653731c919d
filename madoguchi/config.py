"""Settings of a Madoguchi deployment, from options or MADOGUCHI_* environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MADOGUCHI_", extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    forms: Path = Path("forms")
    data: Path = Path("data")  # the SQLite database, uploads, keys
    database_url: str | None = None  # default: SQLite in the data folder
    base_url: str = "http://127.0.0.1:8000"  # for links in mails
    secure_cookies: bool = False  # set behind HTTPS
    mail_url: str = "console:"  # console:, file:/path or smtp://user:pass@host:587
    draft_days: int = Field(default=30, ge=1)
    # Days the office is closed besides weekends and public holidays, e.g.
    # "12-29..01-03,2027-05-06" (engine.workflow.calendar); None: the year-end closure.
    closures: str | None = None
    max_request_bytes: int = Field(default=50 * 1024 * 1024, ge=1024)
    development: bool = False

    def database(self) -> str:
        return self.database_url or f"sqlite:///{self.data.resolve() / 'madoguchi.db'}"
