"""The render worker process (``python -m renderers.pdf.serve FD``), started by
``renderers.pdf.worker.RenderWorker``: it sets WeasyPrint up once, then renders each request
that arrives on the socket FD until the socket closes."""

from __future__ import annotations

import gc
import json
import resource
import sys
from collections.abc import Mapping
from multiprocessing.connection import Connection
from pathlib import Path

from renderers.pdf.printer import PdfTooLarge, Printer

MEMORY_LIMIT = 2 * 1024**3  # bytes of address space; a warm worker maps about 400 MB


def _serve(connection: Connection) -> None:
    """The worker process: set up once, then render whatever arrives until the pipe closes."""
    # A document that would need more memory than this fails alone, not the machine.
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    try:
        printer = Printer(Path(connection.recv_bytes().decode()))
    except Exception as error:  # reported to the parent, which raises it
        _reply(connection, {"status": "error", "message": f"cannot set up: {error}"})
        return
    # What the set-up made (WeasyPrint, the fonts, the stylesheet) lives as long as the
    # worker: frozen, the collections that clear each render's reference cycles skip it.
    gc.collect()
    gc.freeze()
    _reply(connection, {"status": "ready"})
    while True:
        try:
            request = json.loads(connection.recv_bytes())
        except EOFError:
            return
        try:
            rendering = printer.render(
                request["html"],
                max_bytes=request["max_bytes"],
                link_prefixes=tuple(request["link_prefixes"]),
            )
        except PdfTooLarge as error:
            _reply(connection, {"status": "too_large", "message": str(error)})
            continue
        except Exception as error:  # one document's failure, not the worker's
            _reply(connection, {"status": "error", "message": f"{type(error).__name__}: {error}"})
            continue
        summary = {
            "status": "ok",
            "served": rendering.served,
            "refused": rendering.refused,
            "left_out": rendering.links_left_out,
        }
        _reply(connection, summary)
        connection.send_bytes(rendering.pdf)


def _reply(connection: Connection, message: Mapping[str, object]) -> None:
    connection.send_bytes(json.dumps(message).encode())


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1])))
