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

from .. import __version__
from ..nn import tasks, train
from . import demo


class UsageError(Exception):
    """A mistake in what the user asked for; shown as one line, exit code 2."""


Subparsers = Any  # argparse's _SubParsersAction is private


COMMANDS: list[Callable[[Subparsers], None]] = []


def _program_name() -> str:
    """How the user called us: the console script, or the module."""
    return "glassgrad" if os.path.basename(sys.argv[0]) == "glassgrad" else "python -m autograd"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_program_name(),
        description="A scalar autodiff engine: train small networks, draw their graphs, "
        "step through backward.",
    )
    parser.add_argument("--version", action="version", version=f"glassgrad {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add_command in COMMANDS:
        add_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # no command: say what there is
        parser.print_help()
        return 0
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


def _natural(text: str) -> int:
    number: int = _parse(text, int, "a whole number")
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, got {number}")
    return number


def _widths(text: str) -> list[int]:
    return [_positive_int(part) for part in text.split(",")]


def _add_train(commands: Subparsers) -> None:
    parser = commands.add_parser(
        "train",
        help="train a small network on a toy dataset",
        description="Train an MLP on a toy dataset, a small CNN on generated digits (digits) "
        "or an RNN/LSTM on the echo task (echo), printing the loss as it falls.",
    )
    parser.add_argument("dataset", choices=sorted([*train.RECIPES, *tasks.TASKS]))
    parser.add_argument("--epochs", type=_positive_int, help="default: the dataset's recipe")
    parser.add_argument("--lr", type=_learning_rate, help="learning rate (default: the recipe's)")
    parser.add_argument(
        "--hidden", type=_widths, metavar="W[,W...]", help="hidden layer widths, e.g. 16,16"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for data and weights (0)")
    parser.add_argument("--every", type=_positive_int, metavar="N", help="print every N epochs")
    parser.add_argument("--save", metavar="PATH", help="write the trained model to a JSON file")
    sequences = parser.add_argument_group("echo (an RNN or LSTM remembers a sign)")
    sequences.add_argument("--cell", choices=["rnn", "lstm"], default="lstm", help="(lstm)")
    sequences.add_argument(
        "--delay", type=_natural, default=12, metavar="K", help="steps to remember (12)"
    )
    parser.add_argument(
        "--batch-size", type=_positive_int, default=16, metavar="N", help="digits, echo (16)"
    )
    parser.set_defaults(handler=_train)


def _train(args: argparse.Namespace) -> int:
    if args.save is not None:
        directory = os.path.dirname(os.path.abspath(args.save))
        if os.path.isdir(args.save):
            raise UsageError(f"cannot save to {args.save}: it is a directory")
        if not os.path.isdir(directory):
            raise UsageError(f"cannot save to {args.save}: no directory {directory}")
    if args.dataset in tasks.TASKS:
        return _train_task(args)
    run = train.prepare(
        args.dataset, epochs=args.epochs, lr=args.lr, hidden=args.hidden, seed=args.seed
    )
    print(f"{args.dataset} (seed {args.seed}): {run.describe()}")
    run.fit(on_epoch=train.progress_printer(run.epochs, args.every))
    loss, accuracy = run.evaluate()
    right = round(accuracy * len(run.y))
    print(f"final: loss {loss:.4f}, training accuracy {accuracy:.1%} ({right}/{len(run.y)})")
    if args.save is not None:
        _save(run.model, args.save)
    return 0


def _save(model: Any, path: str) -> None:
    try:
        model.save(path)
    except OSError as error:
        raise UsageError(f"cannot save to {path}: {error.strerror or error}") from None
    print(f"saved to {path}")


def _train_task(args: argparse.Namespace) -> int:
    """digits or echo: mini-batches, then the accuracy on the held-out test set."""
    hidden = args.hidden or [4]
    if len(hidden) != 1 or (args.dataset == "digits" and args.hidden):
        raise UsageError("--hidden: echo takes one width (its hidden units); digits none")
    run = tasks.prepare_task(
        args.dataset,
        epochs=args.epochs,
        lr=args.lr,
        seed=args.seed,
        cell=args.cell,
        delay=args.delay,
        hidden=hidden[0],
        batch_size=args.batch_size,
    )
    what = f" {args.cell}, delay {args.delay}" if args.dataset == "echo" else ""
    print(f"{args.dataset}{what} (seed {args.seed}): {run.describe()}")
    run.fit(on_epoch=train.progress_printer(run.epochs, args.every))
    if args.save is not None:
        _save(run.model, args.save)
    accuracy = run.test_accuracy()
    right = round(accuracy * len(run.y_test))
    print(f"test accuracy {accuracy:.1%} ({right}/{len(run.y_test)})")
    return 0


COMMANDS.append(_add_train)

# --- draw and step: an expression typed by the user (parsed safely, never eval'd) ---


def _expression_command(
    commands: Subparsers, name: str, summary: str, description: str
) -> argparse.ArgumentParser:
    """A command reading EXPR, --set and --format."""
    parser: argparse.ArgumentParser = commands.add_parser(
        name, help=summary, description=description
    )
    parser.add_argument("expression", metavar="EXPR", help='e.g. "sigmoid(x*w + b)"')
    parser.add_argument(
        "--set",
        nargs="+",
        action="extend",
        default=[],
        metavar="NAME=VALUE",
        help="the value of each variable, e.g. --set x=0.6 w=0.8 b=0.2",
    )
    parser.add_argument("--format", default=".4g", dest="fmt", help="number format (.4g)")
    return parser


def _built(args: argparse.Namespace) -> Any:
    """The expression's graph, as a Value; mistakes become UsageError."""
    from ..viz.naming import check_format
    from .parser import build

    values: dict[str, float] = {}
    for item in args.set:
        name, equals, number = item.partition("=")
        if not equals or not name.strip().isidentifier():
            raise UsageError(f"--set expects NAME=VALUE, got {item!r}")
        try:
            values[name.strip()] = float(number)
        except ValueError:
            raise UsageError(f"--set {item!r}: {number!r} is not a number") from None
    try:
        check_format(args.fmt)
        return build(args.expression, values)
    except ValueError as error:  # an ExpressionError, or a bad --format
        raise UsageError(str(error)) from None


def _add_draw(commands: Subparsers) -> None:
    parser = _expression_command(
        commands,
        "draw",
        "draw an expression's graph with its gradients",
        "Compute EXPR, run backward, and draw the graph with the gradient flow.",
    )
    parser.add_argument(
        "-o",
        "--output",
        help="write a picture (.svg, .png, .pdf) or DOT text (.dot, .gv); default: print DOT",
    )
    parser.add_argument("--rankdir", choices=["LR", "TB", "RL", "BT"], default="LR")
    parser.add_argument("--no-grad", action="store_true", help="values only, no backward")
    parser.set_defaults(handler=_draw)


def _draw(args: argparse.Namespace) -> int:
    root = _built(args)
    if not args.no_grad:
        root.backward()
    try:
        from .. import viz
    except ImportError as error:
        return _cannot(args, str(error))
    picture = viz.draw(root, rankdir=args.rankdir, show_grad=not args.no_grad, fmt=args.fmt)
    if args.output is None:
        print(picture.source)
        return 0
    try:
        path = picture.save(args.output)
    except viz.GraphvizNotFound as error:
        return _cannot(args, str(error))
    except OSError as error:
        return _cannot(args, f"cannot write {args.output}: {error}")
    print(f"wrote {path}")
    return 0


def _cannot(args: argparse.Namespace, message: str) -> int:
    """Something missing on this machine (not a usage mistake): exit code 1."""
    print(f"python -m autograd {args.command}: error: {message}", file=sys.stderr)
    return 1


def _add_step(commands: Subparsers) -> None:
    parser = _expression_command(
        commands,
        "step",
        "print a backward pass one chain-rule step at a time",
        "Compute EXPR and print each step of its backward pass, with numbers.",
    )
    parser.set_defaults(handler=_step)


def _step(args: argparse.Namespace) -> int:
    from ..engine import topological_order
    from ..viz.stepper import Stepper
    from .parser import variables

    root = _built(args)
    stepper = Stepper(root, fmt=args.fmt)
    print(f"{args.expression} = {root.data:{args.fmt}}")
    print(stepper)
    for step in stepper:
        print(step)
    leaves = {n.label: n for n in topological_order([root]) if not n.parents and n.label}
    d_root = f"d{stepper.root_name}"
    grads = [
        f"{d_root}/d{name} = {leaves[name].grad:{args.fmt}}" for name in variables(args.expression)
    ]
    print("gradients: " + ", ".join(grads))
    return 0


COMMANDS += [_add_draw, _add_step]

# --- demo ---


def _add_demo(commands: Subparsers) -> None:
    parser = commands.add_parser(
        "demo",
        help="train XOR, draw its graph, step through a backward pass",
        description="The source notes' XOR network trained, drawn with its gradients, and "
        "one backward pass walked one chain-rule step at a time.",
    )
    parser.add_argument("--out", default="demo-output", help="folder for the drawings")
    parser.add_argument("--seed", type=int, default=0, help="seed for data and weights (0)")
    parser.set_defaults(handler=lambda args: demo.run(args.out, args.seed))


COMMANDS.append(_add_demo)

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
        from ..accel import export
    except ImportError as error:
        raise UsageError(
            f"export needs the package {error.name!r}: pip install 'glassgrad[export]'"
        ) from None
    from ..nn.modules import MLP
    from ..nn.saving import ModelFileError

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
