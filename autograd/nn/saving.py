"""Model files: versioned JSON, written so that a crash never leaves half a file.

`write_json` serialises first, writes a temporary file next to the target, flushes it
to disk and renames it over the target (`os.replace` is atomic), so at every moment
the target is either the old file or the complete new one.

`read_json` accepts only a JSON object with the expected "format" and "version";
anything else (truncated, not UTF-8, not JSON, NaN or Infinity, duplicate keys,
absurd nesting, another format or version) raises `ModelFileError` naming the file
and the problem. JSON is data: nothing in a file is executed, and there is no pickle.
Python writes every float as its shortest round-tripping decimal, so floats come
back bit for bit.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from ..files import write_atomically


class ModelFileError(ValueError):
    """A file that is not a valid model file; the message names the file and the problem."""


def write_json(path: str | os.PathLike[str], document: dict[str, Any]) -> None:
    """Write `document` to `path` atomically (temporary file, fsync, rename)."""
    write_atomically(path, json.dumps(document, indent=1, allow_nan=False) + "\n")


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not a finite number")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise ValueError(f"the key {key!r} appears twice")
        document[key] = value
    return document


def read_json(
    path: str | os.PathLike[str],
    file_format: str,
    version: int,
    older: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """The JSON object in `path`, after checking its "format" and "version" fields.

    `older` maps the names of earlier formats that are still read to their one version.

    Raises ModelFileError for anything but a well-formed object of that format and
    version; a missing or unreadable file raises the usual OSError.
    """
    where = os.fspath(path)
    with open(path, "rb") as file:
        raw = file.read()
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
    return checked
