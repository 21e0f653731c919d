from __future__ import annotations

import logging
import socket
import stat
import threading
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from auth.mail import ConsoleMailer, FileOutbox, Message, SmtpMailer, mailer_from_url

MESSAGE = Message(
    to="hanako@example.jp",
    subject="【窓口】メールアドレスの確認 / Confirm your email address",
    body="下のリンクを開いてください。\nhttps://madoguchi.example.jp/account/verify?token=abc\n",
)


def parse(data: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(data)


def test_the_outbox_writes_one_utf8_eml_per_message(tmp_path: Path) -> None:
    outbox = FileOutbox(tmp_path / "new" / "outbox", sender="noreply@city.example.jp")
    outbox.send(MESSAGE)
    outbox.send(Message("taro@example.jp", "2", "second"))
    first, second = outbox.messages()
    assert first.suffix == ".eml"
    assert first.name < second.name  # names sort by time
    email = parse(first.read_bytes())
    assert email["From"] == "noreply@city.example.jp"
    assert email["To"] == "hanako@example.jp"
    assert email["Subject"] == MESSAGE.subject
    assert email["Message-ID"].endswith("@city.example.jp>")
    assert email.get_content_charset() == "utf-8"
    assert email.get_content() == MESSAGE.body
    assert stat.S_IMODE(first.stat().st_mode) == 0o600  # it holds sign-in links
    assert not list(outbox.folder.glob(".*"))  # no temporary files left


def test_headers_cannot_be_injected(tmp_path: Path) -> None:
    outbox = FileOutbox(tmp_path)
    with pytest.raises(ValueError, match=r"linefeed|carriage"):
        outbox.send(Message("hanako@example.jp", "Hi\r\nBcc: all@example.jp", "body"))
    assert outbox.messages() == []


def test_the_console_mailer_warns_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="madoguchi.mail")
    mailer = ConsoleMailer()
    mailer.send(MESSAGE)
    mailer.send(MESSAGE)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "development" in warnings[0].getMessage()
    infos = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert len(infos) == 2
    assert "token=abc" in infos[0]


def test_mailers_from_urls(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert isinstance(mailer_from_url("console:"), ConsoleMailer)
    outbox = mailer_from_url(f"file:{tmp_path}/out?from=city@example.jp")
    assert isinstance(outbox, FileOutbox)
    assert outbox.folder == tmp_path / "out"
    assert outbox.sender == "city@example.jp"
    assert isinstance(mailer_from_url(f"file://{tmp_path}/out2"), FileOutbox)

    smtp = mailer_from_url(
        "smtp://mado%40city:p%40ss%2Fword@mail.city.example.jp:2525"
        "?tls=starttls&from=noreply@city.example.jp"
    )
    assert isinstance(smtp, SmtpMailer)
    assert (smtp.host, smtp.port, smtp.tls) == ("mail.city.example.jp", 2525, "starttls")
    assert (smtp.username, smtp.password) == ("mado@city", "p@ss/word")
    assert smtp.sender == "noreply@city.example.jp"
    implicit = mailer_from_url("smtp://mail.example.jp?tls=ssl")
    assert isinstance(implicit, SmtpMailer)
    assert (implicit.port, implicit.tls, implicit.username) == (465, "ssl", None)
    plain = mailer_from_url("smtp://localhost")
    assert isinstance(plain, SmtpMailer)
    assert plain.port == 587


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("sendmail:", "scheme"),
        ("file:", "folder"),
        ("smtp://", "host"),
        ("smtp://mail.example.jp?tls=maybe", "tls"),
        ("smtp://user:secret@mail.example.jp?tls=none", "without TLS"),
    ],
)
def test_bad_mail_urls_are_refused(url: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        mailer_from_url(url)


class TinySmtpServer:
    """Just enough SMTP, on the loopback interface, to receive one message."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.envelope: list[str] = []
        self.data = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        connection, _ = self.listener.accept()
        with connection, connection.makefile("rwb") as stream:

            def say(line: str) -> None:
                stream.write(line.encode() + b"\r\n")
                stream.flush()

            say("220 tiny")
            lines: list[bytes] | None = None
            for raw in stream:
                if lines is not None:  # inside DATA
                    if raw == b".\r\n":
                        self.data, lines = b"".join(lines), None
                        say("250 queued")
                    else:
                        lines.append(raw[1:] if raw.startswith(b"..") else raw)
                    continue
                command = raw.decode().strip()
                verb = command[:4].upper()
                if verb in ("EHLO", "HELO"):
                    say("250 tiny")
                elif verb in ("MAIL", "RCPT"):
                    self.envelope.append(verb + command[4:])
                    say("250 ok")
                elif verb == "DATA":
                    lines = []
                    say("354 go ahead")
                elif verb == "QUIT":
                    say("221 bye")
                    break
                else:
                    say("502 not implemented")

    def close(self) -> None:
        self.thread.join(timeout=5)
        self.listener.close()


@pytest.fixture
def smtp_server() -> Iterator[TinySmtpServer]:
    server = TinySmtpServer()
    yield server
    server.close()


def test_the_smtp_mailer_delivers(smtp_server: TinySmtpServer) -> None:
    mailer = SmtpMailer("127.0.0.1", smtp_server.port, tls="none", sender="noreply@city.example.jp")
    mailer.send(MESSAGE)
    smtp_server.close()
    assert smtp_server.envelope == [
        "MAIL FROM:<noreply@city.example.jp>",
        "RCPT TO:<hanako@example.jp>",
    ]
    email = parse(smtp_server.data)
    assert email["Subject"] == MESSAGE.subject
    assert email.get_content().replace("\r\n", "\n") == MESSAGE.body  # CRLF on the wire
