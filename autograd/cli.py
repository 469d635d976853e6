"""The command line: `python -m autograd COMMAND ...`.

Each command adds its arguments in a `_add_<command>` function listed in COMMANDS and
sets `handler`; a handler returns the exit code. User mistakes raise `UsageError`,
which prints `error: ...` and exits with 2, never a traceback.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import train


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


# --- train ---


def _parse(text: str, kind: Callable[[str], Any], what: str) -> Any:
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None


def _positive_int(text: str) -> int:
    number: int = _parse(text, int, "a whole number")
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def _learning_rate(text: str) -> float:
    rate: float = _parse(text, float, "a number")
    if not (math.isfinite(rate) and rate > 0):
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text}")
    return rate


def _widths(text: str) -> list[int]:
    return [_positive_int(part) for part in text.split(",")]


def _add_train(commands: Subparsers) -> None:
    parser = commands.add_parser(
        "train",
        help="train a small network on a toy dataset",
        description="Train an MLP on a toy dataset, printing the loss as it falls.",
    )
    parser.add_argument("dataset", choices=sorted(train.RECIPES))
    parser.add_argument("--epochs", type=_positive_int, help="default: the dataset's recipe")
    parser.add_argument("--lr", type=_learning_rate, help="learning rate (default: the recipe's)")
    parser.add_argument(
        "--hidden", type=_widths, metavar="W[,W...]", help="hidden layer widths, e.g. 16,16"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for data and weights (0)")
    parser.add_argument("--every", type=_positive_int, metavar="N", help="print every N epochs")
    parser.add_argument("--save", metavar="PATH", help="write the trained model to a JSON file")
    parser.set_defaults(handler=_train)


def _train(args: argparse.Namespace) -> int:
    if args.save is not None:
        directory = os.path.dirname(os.path.abspath(args.save))
        if os.path.isdir(args.save):
            raise UsageError(f"cannot save to {args.save}: it is a directory")
        if not os.path.isdir(directory):
            raise UsageError(f"cannot save to {args.save}: no directory {directory}")
    run = train.prepare(
        args.dataset, epochs=args.epochs, lr=args.lr, hidden=args.hidden, seed=args.seed
    )
    epochs = run.epochs
    every = args.every or max(1, epochs // 10)
    print(f"{args.dataset} (seed {args.seed}): {run.describe()}")
    # On a terminal a live epoch counter runs on stderr; the loss lines go to stdout.
    live = sys.stderr.isatty()

    def report(record: train.Epoch) -> None:
        if record.epoch % every == 0 or record.epoch in (1, epochs):
            if live:
                print("\r\033[K", end="", file=sys.stderr)
            print(
                f"epoch {record.epoch:>{len(str(epochs))}}  loss {record.loss:.4f}  "
                f"accuracy {record.accuracy:.1%}",
                flush=True,
            )
        elif live:
            print(f"\repoch {record.epoch}/{epochs}", end="", file=sys.stderr, flush=True)

    run.fit(on_epoch=report)
    loss, accuracy = run.evaluate()
    right = round(accuracy * len(run.y))
    print(f"final: loss {loss:.4f}, training accuracy {accuracy:.1%} ({right}/{len(run.y)})")
    if args.save is not None:
        try:
            run.model.save(args.save)
        except OSError as error:
            raise UsageError(f"cannot save to {args.save}: {error.strerror or error}") from None
        print(f"saved to {args.save}")
    return 0


COMMANDS.append(_add_train)
