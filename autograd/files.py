"""Writing a file so that a crash never leaves half of it: temporary file, fsync, rename.

`write_atomically(path, content)` writes *through* the path, to the file it names:

- a symbolic link is followed, and the file it points to is replaced (the link stays);
- an existing file keeps its permission bits (and, where allowed, its owner);
- a path that names something other than a regular file (a directory, a device such as
  /dev/full, a FIFO, a socket) is refused with `NotARegularFileError`, before anything
  is written: replacing a device node with a file would be a silent disaster.
- A file with several hard links is the one exception to writing through: an atomic
  rename gives the path a new file, and the other names keep the old content. Writing
  through all the names would mean writing in place, which a crash can leave half done;
  so the link is split, and a `HardLinkSplitWarning` says so.

The content goes to an unnamed temporary file in the target's directory (Linux's
O_TMPFILE), is flushed to disk, given a name and renamed over the target at once, so a
kill -9 at any moment leaves the old file or the new one, never half of one, and (but
for the instant between naming and renaming) no temporary file. Where O_TMPFILE is not
available, the temporary file is named from the start, and one left behind by a killed
process is removed by the next save to the same path.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import stat
import uuid
import warnings
from typing import BinaryIO

_TMPFILE = getattr(os, "O_TMPFILE", 0)
_AT_FDCWD, _AT_EMPTY_PATH = -100, 0x1000  # Linux's values, for linkat()


class NotARegularFileError(OSError):
    """The path names a directory, a device, a FIFO or a socket: it is not written over."""


class HardLinkSplitWarning(UserWarning):
    """A saved file had other hard links: they keep the old content (see the module docstring)."""


def _kind(mode: int) -> str:
    kinds = [
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def regular_file_problem(mode: int) -> str | None:
    """None for a regular file's st_mode, else what it is ("a FIFO (named pipe)")."""
    return None if stat.S_ISREG(mode) else _kind(mode)


def write_atomically(path: str | os.PathLike[str], content: str | bytes) -> None:
    """Write `content` to `path`: at every moment the file holds the old content or the new.

    See the module docstring for symlinks, permissions and what is refused. Errors name
    `path` as given, never an internal temporary name.
    """
    target = os.fspath(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    real = os.path.realpath(target)  # write through symbolic links, to the file itself
    try:
        existing: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        existing = None
    except OSError as error:
        raise _naming(error, target) from None
    if existing is not None:
        problem = regular_file_problem(existing.st_mode)
        if problem is not None:
            raise NotARegularFileError(
                errno.EISDIR if stat.S_ISDIR(existing.st_mode) else errno.EINVAL,
                f"refusing to write over {problem}: only a regular file is replaced",
                target,
            )
    directory, base = os.path.split(real)
    if not os.path.isdir(directory):
        raise FileNotFoundError(errno.ENOENT, f"no such directory {directory!r}", target)
    _remove_stale(directory, base)
    temporary = os.path.join(directory, f".{base}.{os.getpid()}.{uuid.uuid4().hex[:12]}.tmp")
    fd, named = _open_temporary(directory, temporary, target)
    try:
        with os.fdopen(fd, "wb") as file:
            _fill(file, data, existing)
            if not named:  # give the unnamed file its name only now, complete and on disk
                named = _link_unnamed(file.fileno(), temporary)
        if not named:  # this system cannot name an unnamed file: write a named one
            fd, named = _open_temporary(directory, temporary, target, unnamed=False)
            with os.fdopen(fd, "wb") as file:
                _fill(file, data, existing)
        os.replace(temporary, real)
    except BaseException:
        # The name is ours alone (pid and random id): remove it whether or not the
        # interruption came before `named` was set, as it may have been linked already.
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if existing is not None and existing.st_nlink > 1:
        others = existing.st_nlink - 1
        warnings.warn(
            HardLinkSplitWarning(
                f"{target} had {others} other hard link{'s' if others > 1 else ''}: it now "
                f"names the new file, and the other name{'s keep' if others > 1 else ' keeps'} "
                "the old content"
            ),
            stacklevel=2,
        )


def _open_temporary(
    directory: str, temporary: str, target: str, unnamed: bool = True
) -> tuple[int, bool]:
    """A file descriptor to write to, and whether it already has the name `temporary`."""
    # Mode 0o666 lets the umask decide the permissions, as for any new file.
    if unnamed and _TMPFILE:
        try:
            return os.open(directory, _TMPFILE | os.O_WRONLY, 0o666), False
        except OSError as error:
            if error.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):
                raise _naming(error, target) from None
    try:
        return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), True
    except OSError as error:
        raise _naming(error, target) from None


def _link_unnamed(fd: int, name: str) -> bool:
    """Give the O_TMPFILE file `fd` the name `name`; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        done = bool(libc.linkat(fd, b"", _AT_FDCWD, os.fsencode(name), _AT_EMPTY_PATH) == 0)
    except (OSError, AttributeError):
        done = False
    if not done:  # without the capability AT_EMPTY_PATH needs on older kernels: /proc
        try:
            os.link(f"/proc/self/fd/{fd}", name, follow_symlinks=True)
            done = True
        except OSError:
            done = False
    return done


def _fill(file: BinaryIO, data: bytes, existing: os.stat_result | None) -> None:
    """Write `data`, give the file the old one's mode and owner, and flush it to disk."""
    file.write(data)
    file.flush()
    if existing is not None:
        os.fchmod(file.fileno(), stat.S_IMODE(existing.st_mode))
        if hasattr(os, "fchown"):
            with contextlib.suppress(OSError):  # only root may give a file away
                os.fchown(file.fileno(), existing.st_uid, existing.st_gid)
    os.fsync(file.fileno())


def _naming(error: OSError, target: str) -> OSError:
    """The same error, naming the user's path instead of a temporary one."""
    return type(error)(error.errno, error.strerror, target)


def _remove_stale(directory: str, base: str) -> None:
    """Remove temporary files of `base` left by a killed process (named .BASE.PID.ID.tmp)."""
    if os.name != "posix":  # os.kill(pid, 0) asks about a process only on POSIX
        return
    prefix = f".{base}."
    with contextlib.suppress(OSError), os.scandir(directory) as entries:
        for entry in entries:
            name = entry.name
            if not (name.startswith(prefix) and name.endswith(".tmp")):
                continue
            pid = name[len(prefix) :].split(".", 1)[0]
            if pid.isdigit() and not _alive(int(pid)):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but not ours to signal
        return True
    return True
