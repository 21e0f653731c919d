"""pyHanko's synchronous functions call ``asyncio.run``, which refuses to run in a thread
whose event loop is running (a Starlette handler, Playwright's sync API in tests). This
runs them where no loop is: here, or else in a thread of their own."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def without_event_loop(work: Callable[[], T]) -> T:
    """``work()``, run in a thread without a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(work).result()
