"""``madoguchi worker`` (timers, mails, clean-ups off the request path) and ``madoguchi
audit verify`` (the audit log's hash chain), on the database ``madoguchi serve`` uses."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any

from madoguchi.users_cli import deployment_options, settings_from


def register(commands: Any) -> None:  # argparse's subparsers action has no public type
    worker = commands.add_parser(
        "worker",
        help="run the worker: fire timers, send applicants' mails, clear expired data",
        description="Run the worker until stopped (Ctrl-C, SIGTERM). Several may run at once "
        "on PostgreSQL. `madoguchi serve` runs one inside the web process unless told not to.",
    )
    worker.add_argument("--once", action="store_true", help="do one round of work, then stop")
    deployment_options(worker)
    worker.set_defaults(run=_worker)

    audit = commands.add_parser(
        "audit",
        help="check the audit log",
        description="Check the audit log's hash chain from its first entry.",
    )
    actions = audit.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = actions.add_parser(
        "verify",
        help="check every entry's hash; name the first entry altered, missing or cut off",
    )
    deployment_options(verify)
    verify.set_defaults(run=_verify)


def _worker(arguments: argparse.Namespace) -> int:
    from madoguchi import logs  # noqa: PLC0415 -- commands import what they use
    from madoguchi.web.services import build_services  # noqa: PLC0415
    from madoguchi.worker import Worker  # noqa: PLC0415

    services = build_services(settings_from(arguments))
    logs.configure()
    worker = Worker(services)
    if arguments.once:
        done = worker.run_once()
        print(
            f"timers fired {done.timers}, mails sent {done.delivered}, documents issued "
            f"{done.documents}, failed {done.failed}, "
            f"expired records removed {done.cleaned}",
            file=sys.stderr,
        )
        return 0
    stop = threading.Event()
    for name in (signal.SIGINT, signal.SIGTERM):
        signal.signal(name, lambda *_: stop.set())
    print("madoguchi worker: running (Ctrl-C stops it)", file=sys.stderr)
    worker.run_until(stop)
    return 0


def _verify(arguments: argparse.Namespace) -> int:
    from sqlalchemy.orm import Session  # noqa: PLC0415

    from engine.storage import events  # noqa: PLC0415
    from engine.storage.db import make_engine  # noqa: PLC0415
    from engine.storage.migrate import upgrade  # noqa: PLC0415

    url = settings_from(arguments).database()
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        result = events.verify(session)
    engine.dispose()
    if result.ok:
        print(f"ok: {result.checked} entries, the chain is intact")
        return 0
    print(f"BROKEN at entry {result.broken_at}: {result.reason}", file=sys.stderr)
    print(f"({result.checked} entries before it are intact)", file=sys.stderr)
    return 1
