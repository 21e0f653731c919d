"""Sending mail: a message, the ``Mailer`` protocol and three ways to deliver.

``ConsoleMailer`` (development: logs), ``FileOutbox`` (one .eml file per message: tests,
or a folder another program relays) and ``SmtpMailer``. ``mailer_from_url`` picks one
from the deployment's ``mail_url`` setting.
"""

from __future__ import annotations

import logging
import os
import secrets
import smtplib
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Literal, Protocol, cast, get_args
from urllib.parse import parse_qs, unquote, urlsplit

log = logging.getLogger("madoguchi.mail")

DEFAULT_SENDER = "noreply@localhost"
TlsMode = Literal["starttls", "ssl", "none"]


@dataclass(frozen=True)
class Message:
    """A plain-text mail to one address."""

    to: str
    subject: str
    body: str


class Mailer(Protocol):
    def send(self, message: Message) -> None:
        """Deliver ``message`` or raise (``OSError``, ``smtplib.SMTPException``)."""


def to_email(message: Message, sender: str) -> EmailMessage:
    """The RFC 5322 form of ``message``, UTF-8. Headers with line breaks raise ValueError
    (the email package refuses them), so a crafted subject cannot add headers."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email["Date"] = formatdate(usegmt=True)
    # With an explicit domain: make_msgid would otherwise ask DNS for this host's name.
    email["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    email.set_content(message.body, charset="utf-8")
    return email


class ConsoleMailer:
    """Development only: logs every message, links included, instead of sending it."""

    def __init__(self) -> None:
        log.warning(
            "mail is written to the log, not sent: development only "
            "(set mail_url to smtp://... in production)"
        )

    def send(self, message: Message) -> None:
        log.info("mail to %s: %s\n%s", message.to, message.subject, message.body)


class FileOutbox:
    """Writes each message as an .eml file in ``folder`` (created if missing).

    Files are readable by their owner only (they hold sign-in links) and appear whole:
    written under a temporary name, then renamed.
    """

    def __init__(self, folder: Path | str, sender: str = DEFAULT_SENDER) -> None:
        self.folder = Path(folder)
        self.sender = sender
        self.folder.mkdir(parents=True, exist_ok=True)

    def send(self, message: Message) -> None:
        data = to_email(message, self.sender).as_bytes()
        # Sorted by name is sorted by time; the random part keeps names unique.
        name = f"{time.time_ns()}-{secrets.token_hex(4)}"
        temporary = self.folder / f".{name}.tmp"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        path = self.folder / f"{name}.eml"
        temporary.replace(path)

    def messages(self) -> list[Path]:
        """The .eml files written so far, oldest first."""
        return sorted(self.folder.glob("*.eml"))


class SmtpMailer:
    """Sends through an SMTP server, one connection per message.

    ``tls``: "starttls" (port 587), "ssl" (implicit TLS, port 465) or "none" (only for a
    relay on this machine). Certificates are verified. Sending is synchronous: keep it off
    the request path where its duration would show whether an account exists (see
    ``AccountService``).
    """

    def __init__(  # noqa: PLR0913 -- one argument per part of the server's address
        self,
        host: str,
        port: int = 587,
        *,
        username: str | None = None,
        password: str | None = None,
        tls: TlsMode = "starttls",
        sender: str = DEFAULT_SENDER,
        timeout: float = 30.0,
    ) -> None:
        if tls == "none" and username and host not in ("localhost", "127.0.0.1", "::1"):
            raise ValueError("refusing to send SMTP credentials without TLS")
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.tls = tls
        self.sender = sender
        self.timeout = timeout

    def send(self, message: Message) -> None:
        email = to_email(message, self.sender)
        with self._connect() as smtp:
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(email)

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.tls == "ssl":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.tls == "starttls":
            try:
                smtp.starttls(context=context)
            except BaseException:
                smtp.close()
                raise
        return smtp


def mailer_from_url(url: str) -> Mailer:
    """The mailer a URL names.

    - ``console:``
    - ``file:/var/lib/madoguchi/outbox`` (or ``file:///...``)
    - ``smtp://user:password@host:587?tls=starttls&from=noreply@city.example.jp``;
      ``tls`` is ``starttls`` (the default), ``ssl`` or ``none``; user and password are
      percent-encoded.
    """
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme == "console":
        return ConsoleMailer()
    if parts.scheme == "file":
        if not parts.path:
            raise ValueError("file: mail URL without a folder")
        return FileOutbox(unquote(parts.path), query.get("from", DEFAULT_SENDER))
    if parts.scheme == "smtp":
        return _smtp_from_url(parts.hostname, parts.port, parts.username, parts.password, query)
    raise ValueError(f"unknown mail URL scheme {parts.scheme!r}: use console:, file: or smtp:")


def _smtp_from_url(
    host: str | None,
    port: int | None,
    username: str | None,
    password: str | None,
    query: dict[str, str],
) -> SmtpMailer:
    if not host:
        raise ValueError("smtp: mail URL without a host")
    tls = query.get("tls", "starttls")
    if tls not in get_args(TlsMode):
        raise ValueError(f"unknown tls mode {tls!r}: use starttls, ssl or none")
    return SmtpMailer(
        host,
        port or (465 if tls == "ssl" else 587),
        username=unquote(username) if username else None,
        password=unquote(password) if password else None,
        tls=cast("TlsMode", tls),
        sender=query.get("from", DEFAULT_SENDER),
    )
