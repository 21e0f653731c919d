"""``madoguchi users``: add clerks and list them, on the database ``madoguchi serve`` uses."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auth.clerks import ClerkService
    from madoguchi.config import Settings


def register(commands: Any) -> None:  # argparse's subparsers action has no public type
    users = commands.add_parser(
        "users",
        help="add and list clerks (the staff who sign in to the console)",
        description="Manage clerks on the database `madoguchi serve` uses (migrated first).",
    )
    actions = users.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser(
        "add",
        help="add a clerk; they get a mail with a link to set their password",
        description="Add a clerk holding ROLE in DEPARTMENT: repeat --role and --department "
        "in pairs for several. Both must be named in a definition in the forms folder.",
    )
    add.add_argument("email", metavar="EMAIL")
    add.add_argument("--role", action="append", default=[], help="a role, e.g. section_chief")
    add.add_argument(
        "--department", action="append", default=[], help="the role's department, e.g. shimin"
    )
    add.add_argument("--admin", action="store_true", help="may manage clerks (the admin page)")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of mailing a set-password link",
    )
    add.add_argument("--language", choices=["ja", "en"], default="ja", help="of the mails")
    deployment_options(add)
    add.set_defaults(run=_add)
    listing = actions.add_parser("list", help="list clerks, their status and memberships")
    deployment_options(listing)
    listing.set_defaults(run=_list)


def deployment_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--forms", type=Path, help="folder of definitions (default forms/)")
    parser.add_argument("--data", type=Path, help="folder for the database and keys (data/)")
    parser.add_argument("--database-url", help="sqlite:///path or postgresql://...")


def _add(arguments: argparse.Namespace) -> int:
    from auth.errors import AccountError  # noqa: PLC0415 -- commands import what they use
    from auth.texts import error_message  # noqa: PLC0415

    pairs = _pairs(arguments.department, arguments.role)
    if pairs is None:
        return _fail("give --role and --department in pairs: one department for each role")
    settings = settings_from(arguments)
    offered = _offered(settings)
    if offered is None:
        return 1
    unknown = [pair for pair in pairs if pair not in offered]
    if unknown:
        known = ", ".join(f"{d}:{r}" for d, r in offered) or "none"
        named = ", ".join(f"{d}:{r}" for d, r in unknown)
        return _fail(
            f"no definition in {settings.forms} names {named} (department:role); they name: {known}"
        )
    password = None
    if arguments.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            return _fail("no password on standard input")
    with _clerks(settings) as clerks:
        try:
            user = clerks.add(
                arguments.email,
                memberships=pairs,
                password=password,
                language=arguments.language,
                admin=arguments.admin,
            )
        except AccountError as problem:
            return _fail(error_message(problem.code, "en"))
    how = "" if password is not None else "; a link to set the password was mailed"
    print(f"added {user.email}{how}", file=sys.stderr)
    return 0


def _list(arguments: argparse.Namespace) -> int:
    with _clerks(settings_from(arguments)) as clerks:
        for row in clerks.overview():
            user = row.user
            if user.disabled_at is not None:
                status = "disabled"
            elif user.password_hash is None:
                status = "no-password-yet"
            elif not row.enrolled:
                status = "no-second-factor-yet"
            else:
                status = "active"
            held = ",".join(f"{m.department}:{m.role}" for m in row.memberships) or "-"
            print(f"{user.email}\t{status}\t{'admin' if user.is_admin else '-'}\t{held}")
    return 0


def _pairs(departments: list[str], roles: list[str]) -> list[tuple[str, str]] | None:
    if len(departments) != len(roles):
        return None
    return list(zip(departments, roles, strict=True))


def settings_from(arguments: argparse.Namespace) -> Settings:
    from madoguchi.config import Settings  # noqa: PLC0415

    given = {
        "forms": arguments.forms,
        "data": arguments.data,
        "database_url": arguments.database_url,
    }
    return Settings(**{key: value for key, value in given.items() if value is not None})


def _offered(settings: Settings) -> list[tuple[str, str]] | None:
    """The memberships the definitions in forms/ offer; None (problems printed) if they do
    not load, as `madoguchi serve` would not start then either."""
    from engine.definitions.loader import check_files  # noqa: PLC0415
    from madoguchi.memberships import offered  # noqa: PLC0415

    result = check_files([settings.forms])
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if result.problems:
        print("madoguchi: fix the definitions above first", file=sys.stderr)
        return None
    return offered(loaded.definition for loaded in result.loaded)


@contextmanager
def _clerks(settings: Settings) -> Iterator[ClerkService]:
    from sqlalchemy.orm import Session  # noqa: PLC0415

    from auth.clerks import ClerkService  # noqa: PLC0415
    from auth.mail import mailer_from_url  # noqa: PLC0415
    from engine.storage.db import make_engine  # noqa: PLC0415
    from engine.storage.migrate import upgrade  # noqa: PLC0415
    from madoguchi.web.services import answer_cipher  # noqa: PLC0415

    settings.data.mkdir(parents=True, exist_ok=True)
    url = settings.database()
    upgrade(url)
    # Plain lines on standard error, where the console mailer's link shows (a no-op where
    # logging is set up already).
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as db:
            yield ClerkService(
                db, mailer_from_url(settings.mail_url), settings.base_url, answer_cipher(settings)
            )
    finally:
        engine.dispose()


def _fail(message: str) -> int:
    print(f"madoguchi: {message}", file=sys.stderr)
    return 1
