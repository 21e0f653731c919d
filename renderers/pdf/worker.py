"""Rendering in a separate process, kept warm, with a time limit that really stops it.

A thread cannot interrupt WeasyPrint, and huge CSS values or very long unbroken strings are
known slow paths (security notes, WeasyPrint): so each render runs in a worker process that
is killed when it passes its time limit, and a fresh one is started for the next render.
The worker loads WeasyPrint and the fonts once (about 0.5 s), then serves renders one at a
time; ``RenderWorker.render`` is safe to call from several threads (they take turns).

The worker is ``python -m renderers.pdf.serve``, not a multiprocessing child: spawning one
would re-import the caller's main module, and forking a threaded server can hang. Requests
and replies are JSON and raw bytes over a socket pair, never pickles: whatever happens
inside WeasyPrint cannot make the parent run code.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from renderers.pdf.printer import PdfTooLarge, RenderError, Rendering, RenderTimeout

log = logging.getLogger("madoguchi.pdf")

START_TIMEOUT_S = 60.0  # importing WeasyPrint and reading 40 MB of fonts, on a slow machine
_PROJECT_ROOT = Path(__file__).resolve().parents[2]  # the worker runs this same code
_ERRORS: dict[str, type[RenderError]] = {"too_large": PdfTooLarge, "error": RenderError}


class RenderWorker:
    """One worker process for one assets folder, started on first use."""

    def __init__(self, assets_dir: Path) -> None:
        self.assets_dir = assets_dir
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._connection: Connection | None = None

    def render(
        self, html: str, *, timeout_s: float, max_bytes: int, link_prefixes: tuple[str, ...]
    ) -> Rendering:
        request = {"html": html, "max_bytes": max_bytes, "link_prefixes": list(link_prefixes)}
        with self._lock:
            connection = self._start()
            try:
                connection.send_bytes(json.dumps(request).encode())
                if not connection.poll(timeout_s):
                    self._stop()
                    raise RenderTimeout(f"rendering took longer than {timeout_s} s; stopped")
                reply = json.loads(connection.recv_bytes())
                pdf = connection.recv_bytes() if reply["status"] == "ok" else b""
            except (EOFError, OSError) as error:
                self._stop()
                raise RenderError(f"the render worker died: {error}") from None
        if reply["status"] != "ok":
            raise _ERRORS.get(reply["status"], RenderError)(reply["message"])
        return Rendering(
            pdf, tuple(reply["served"]), tuple(reply["refused"]), tuple(reply["left_out"])
        )

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _start(self) -> Connection:
        if self._connection is not None and self._process and self._process.poll() is None:
            return self._connection
        self._stop()
        ours, theirs = socket.socketpair()
        with theirs:
            # Not our configuration (keys, database URLs): the worker needs none of it.
            env = {k: v for k, v in os.environ.items() if not k.startswith("MADOGUCHI_")}
            env["PYTHONPATH"] = os.pathsep.join([str(_PROJECT_ROOT), *sys.path])
            self._process = subprocess.Popen(  # noqa: S603 -- our own module, no shell
                [sys.executable, "-m", "renderers.pdf.serve", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                env=env,
            )
        self._connection = Connection(ours.detach())
        self._connection.send_bytes(str(self.assets_dir).encode())
        try:
            if not self._connection.poll(START_TIMEOUT_S):
                raise RenderTimeout(f"the render worker did not start in {START_TIMEOUT_S} s")
            reply = json.loads(self._connection.recv_bytes())
        except (EOFError, OSError):
            reply = {"status": "error", "message": "the render worker exited while starting"}
        except RenderTimeout:
            self._stop()
            raise
        if reply["status"] != "ready":
            self._stop()
            raise RenderError(reply["message"])
        return self._connection

    def _stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
        if self._process is not None:
            self._process.kill()
            self._process.wait()
        self._process = self._connection = None
