"""Writing a file so that a crash never leaves half of it: temporary file, fsync, rename."""

from __future__ import annotations

import contextlib
import os
import uuid


def write_atomically(path: str | os.PathLike[str], content: str | bytes) -> None:
    """Write `content` to `path`: at every moment `path` holds the old file or the new one.

    The content goes to a temporary file beside the target, is flushed to disk, and is
    renamed over the target (`os.replace` is atomic). On any failure the temporary file
    is removed and the old file, if any, is left as it was.
    """
    target = os.fspath(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    directory, base = os.path.split(os.path.abspath(target))
    temporary = os.path.join(directory, f".{base}.{uuid.uuid4().hex[:12]}.tmp")
    # Mode 0o666 lets the umask decide the permissions, as for any new file.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
