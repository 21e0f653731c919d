"""Files holding private keys: written whole, readable by the owner only, never replaced."""

from __future__ import annotations

import os
from pathlib import Path


def create_private_file(path: Path, content: bytes) -> bool:
    """Write ``content`` to ``path`` (mode 0600) unless it exists; True if this call wrote it.

    Two processes starting together agree on one file: it appears whole or not at all."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.link(temporary, path)  # fails if another process created the file meanwhile
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)
    return True
