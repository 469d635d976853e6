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


# --- export ---


def _add_export(commands: Subparsers) -> None:
    parser = commands.add_parser(
        "export",
        help="export a saved MLP to ONNX",
        description="Write a model saved by `train --save` as an ONNX file that onnxruntime "
        "and other runtimes execute, and check it against the engine when onnxruntime is "
        "installed.",
    )
    parser.add_argument("model", metavar="MODEL.json", help="a model file written by train --save")
    parser.add_argument("-o", "--output", required=True, metavar="MODEL.onnx")
    parser.add_argument(
        "--dtype", choices=["float32", "float64"], default="float32", help="(default: float32)"
    )
    parser.set_defaults(handler=_export)


COMMANDS.append(_add_export)


def _export(args: argparse.Namespace) -> int:
    try:
        from . import export
    except ImportError as error:
        raise UsageError(
            f"export needs the package {error.name!r}: pip install 'scalargrad[export]'"
        ) from None
    from .nn import MLP
    from .saving import ModelFileError

    try:
        model = MLP.load(args.model)
    except ModelFileError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"cannot read {args.model}: {error.strerror}") from None
    onnx_model = export.mlp_to_onnx(model, args.dtype)
    try:
        export.save(onnx_model, args.output)
    except OSError as error:
        raise UsageError(f"cannot write {args.output}: {error.strerror}") from None
    print(f"wrote {args.output}: {model}, ONNX opset {export.OPSET}, {args.dtype}")
    try:
        difference = export.check_with_onnxruntime(onnx_model, model)
    except ImportError:
        print("onnxruntime is not installed: the file was not run")
        return 0
    print(f"onnxruntime agrees with the engine on 100 random inputs: max |diff| {difference:.2g}")
    return 0
