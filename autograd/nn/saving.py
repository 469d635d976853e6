"""Model files: versioned JSON with a checksum, written so that a crash never leaves half a file.

`write_json` serialises first, adds a SHA-256 checksum of the document, and writes it
with `files.write_atomically`: through symbolic links to the file itself, keeping its
permissions, refusing anything that is not a regular file, and replacing the file
atomically, so at every moment the target is either the old file or the complete new one.

`read_json` reads at most MAX_FILE_BYTES from a regular file (a device, a FIFO, a
directory or a larger file is refused before anything is read) and accepts only a JSON
object with the expected "format" and "version" and a matching checksum; anything else
(truncated, changed by a single byte, not UTF-8, not JSON, NaN or Infinity, duplicate
keys, absurd nesting, another format or version) raises `ModelFileError` naming the
file and the problem. A file without a checksum (written by glassgrad 0.2.0 or earlier)
still loads, with a `ModelFileWarning`. JSON is data: nothing in a file is executed,
and there is no pickle. Python writes every float as its shortest round-tripping
decimal, so floats come back bit for bit.

The checksum covers the document's canonical form: `json.dumps` with sorted keys, no
spaces, ASCII only, of every field but "sha256" itself. Floats print the same before
saving and after loading, so the canonical form is the same on both sides, and a
change of layout (indentation) does not matter while a change of any value does.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from collections.abc import Mapping
from typing import Any

from ..files import regular_file_problem, write_atomically

CHECKSUM = "sha256"
MAX_FILE_BYTES = 64 * 1024 * 1024  # 64 MiB: about two million parameters


class ModelFileError(ValueError):
    """A file that is not a valid model file; the message names the file and the problem."""


class ModelFileWarning(UserWarning):
    """A model file that loads, but without the checks a current file gets (no checksum)."""


def checksum(document: dict[str, Any]) -> str:
    """The SHA-256, in hex, of the canonical form of `document` without its checksum."""
    payload = {key: value for key, value in document.items() if key != CHECKSUM}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def write_json(path: str | os.PathLike[str], document: dict[str, Any]) -> None:
    """Write `document`, with its checksum, to `path` atomically (see files.write_atomically)."""
    signed = {**document, CHECKSUM: checksum(document)}
    write_atomically(path, json.dumps(signed, indent=1, allow_nan=False) + "\n")


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a finite number")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise ValueError(f"the key {key!r} appears twice")
        document[key] = value
    return document


def read_capped(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The bytes of the regular file `path`, reading at most `limit` of them.

    A directory, device, FIFO or socket is refused without reading (and a FIFO without
    waiting for a writer); so is a file larger than `limit` (default MAX_FILE_BYTES).
    Both raise ModelFileError. A missing or unreadable file raises the usual OSError.
    """
    where = os.fspath(path)
    limit = MAX_FILE_BYTES if limit is None else limit
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        status = os.fstat(fd)
        problem = regular_file_problem(status.st_mode)
        if problem is not None:
            raise ModelFileError(f"{where}: is {problem}; a model file must be a regular file")
        too_large = f"{where}: larger than {limit:,} bytes, the most a model file may have"
        if status.st_size > limit:
            raise ModelFileError(f"{too_large} ({status.st_size:,} bytes)")
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise ModelFileError(too_large)
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_json(
    path: str | os.PathLike[str],
    file_format: str,
    version: int,
    older: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """The JSON object in `path`, after checking its "format", "version" and checksum.

    `older` maps the names of earlier formats that are still read to their one version.

    Raises ModelFileError for anything but a well-formed object of that format and
    version, whose checksum matches (see the module docstring); a missing or
    unreadable file raises the usual OSError.
    """
    where = os.fspath(path)
    raw = read_capped(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ModelFileError(
            f"{where}: not a text file (byte {error.start} is not UTF-8)"
        ) from None
    if not text.strip():
        raise ModelFileError(f"{where}: the file is empty (truncated?)")
    try:
        document = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        # An unterminated string runs to the end of the file, so both mean it stops early.
        ends_early = error.msg.startswith("Unterminated string") or not text[error.pos :].strip()
        hint = " (the file ends early: truncated?)" if ends_early else ""
        raise ModelFileError(f"{where}: not valid JSON: {error}{hint}") from None
    except RecursionError:
        raise ModelFileError(f"{where}: not valid JSON: nested too deeply") from None
    except ValueError as error:  # our hooks, or an integer with too many digits
        raise ModelFileError(f"{where}: not valid JSON: {error}") from None
    accepted = {file_format: version, **(older or {})}
    if not isinstance(document, dict):
        raise ModelFileError(f'{where}: not a {file_format} file (no "format": "{file_format}")')
    checked: dict[str, Any] = document
    found_format = checked.get("format")
    if not isinstance(found_format, str) or found_format not in accepted:
        raise ModelFileError(f'{where}: not a {file_format} file (no "format": "{file_format}")')
    found = checked.get("version")
    wanted = accepted[found_format]
    if found != wanted or isinstance(found, bool):
        raise ModelFileError(
            f"{where}: {found_format} version {found!r} cannot be read; this version of "
            f"glassgrad reads version {wanted}"
        )
    _check_sum(checked, where)
    return checked


def _check_sum(document: dict[str, Any], where: str) -> None:
    stored = document.get(CHECKSUM)
    if stored is None:
        warnings.warn(
            f"{where}: no {CHECKSUM} checksum (a file from glassgrad 0.2.0 or earlier), so "
            "it is loaded unchecked; save it again to add one",
            ModelFileWarning,
            stacklevel=4,
        )
        return
    try:
        expected = checksum(document)
    except ValueError:  # a number such as 1e999, which parses as inf
        raise ModelFileError(f"{where}: holds a number that is not finite") from None
    if stored != expected:
        raise ModelFileError(
            f"{where}: the {CHECKSUM} checksum does not match the contents: the file was "
            "changed or damaged after it was saved"
        )
