"""The command line: `python -m autograd COMMAND ...`.

Each command adds its arguments in a `_add_<command>` function listed in COMMANDS and
sets `handler`; a handler returns the exit code. User mistakes raise `UsageError`,
which prints `error: ...` and exits with 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any


class UsageError(Exception):
    """A mistake in what the user asked for; shown as one line, exit code 2."""


Subparsers = Any  # argparse's _SubParsersAction is private


COMMANDS: list[Callable[[Subparsers], None]] = []


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m autograd",
        description="A scalar autodiff engine: train small networks, draw their graphs, "
        "step through backward.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for add_command in COMMANDS:
        add_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except UsageError as error:
        print(f"{parser.prog} {args.command}: error: {error}", file=sys.stderr)
        return 2
    return code
