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
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from .. import __version__
from ..files import HardLinkSplitWarning
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
    args = parser.parse_args(_expressions_kept(list(sys.argv[1:] if argv is None else argv)))
    if args.command is None:  # no command: say what there is
        parser.print_help()
        return 0
    try:
        code: int = args.handler(args)
    except UsageError as error:
        print(f"{parser.prog} {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: any Graphviz child is already ended; no traceback
        print(f"{parser.prog} {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`draw ... | head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 128 + 13  # what a shell reports for a death by SIGPIPE
    return code


# Options of the commands that read an expression; anything else that starts with one
# dash (such as "-x*2" or "-log(p)") is the expression, not an unknown option.
_EXPRESSION_COMMANDS = {"draw": {"-h", "-o"}, "step": {"-h"}}


def _expressions_kept(argv: list[str]) -> list[str]:
    """argv, with a negated expression marked so that argparse takes it for a value.

    argparse reads "-x*2" as an option; a leading space makes it a value, and the
    expression parser strips it again.
    """
    command = next((a for a in argv if not a.startswith("-")), None)
    if command not in _EXPRESSION_COMMANDS:
        return argv
    short = _EXPRESSION_COMMANDS[command]
    start = argv.index(command) + 1
    kept = argv[:start]
    for i, arg in enumerate(argv[start:], start):
        if argv[i - 1] == "--":
            kept.extend(argv[i:])
            break
        negated = arg.startswith("-") and not arg.startswith("--") and arg not in short
        kept.append(" " + arg if negated and len(arg) > 1 else arg)
    return kept


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
    parser.add_argument(
        "--epochs",
        type=_positive_int,
        help="default: the dataset's recipe; no upper bound: Ctrl-C stops a run cleanly, "
        "saying the epoch it reached (and saves nothing)",
    )
    parser.add_argument("--lr", type=_learning_rate, help="learning rate (default: the recipe's)")
    parser.add_argument(
        "--hidden", type=_widths, metavar="W[,W...]", help="hidden layer widths, e.g. 16,16"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for data and weights (0)")
    parser.add_argument("--every", type=_positive_int, metavar="N", help="print every N epochs")
    parser.add_argument("--save", metavar="PATH", help="write the trained model to a JSON file")
    parser.add_argument(
        "--html",
        metavar="PATH",
        help="write a page that plays the run back: loss and accuracy; for the toy "
        "datasets the decision boundary, gradient size per layer, one sample's gradient "
        "flow; for digits test digits with their predictions and the learned filters; for "
        "echo test sequences with their predictions",
    )
    parser.add_argument(
        "--backend",
        choices=["scalar", "tape"],
        default="scalar",
        help="scalar: the engine, one graph of Values per epoch (default); tape: the model "
        "compiled once and replayed on the whole batch with NumPy",
    )
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
    _check_writable(args.html)
    if args.save is not None and args.html is not None and _same_path(args.save, args.html):
        raise UsageError(
            f"--save and --html both name {args.save}: the page would replace the model"
        )
    if args.dataset in tasks.TASKS:
        return _train_task(args)
    run = train.prepare(
        args.dataset, epochs=args.epochs, lr=args.lr, hidden=args.hidden, seed=args.seed
    )
    backend = _backend(args)
    print(f"{args.dataset} (seed {args.seed}): {run.describe()}")
    if args.backend != "scalar":
        print(f"backend: {args.backend}")
    reached = [0]
    report = train.progress_printer(run.epochs, args.every)
    recorder = None
    if args.html is not None:
        from ..viz.training_page import TrainingRecorder

        recorder = TrainingRecorder.for_run(run)

    def on_epoch(record: train.Epoch) -> None:
        reached[0] = record.epoch
        report(record)
        if recorder is not None:
            recorder(record)

    try:
        run.fit(on_epoch=on_epoch, backend=backend)
    except ValueError as error:  # a model the tape cannot replay
        raise UsageError(str(error)) from None
    except KeyboardInterrupt:
        # --epochs has no upper bound: Ctrl-C is the way to stop a long run.
        print(
            f"\ninterrupted after epoch {reached[0]} of {run.epochs}"
            + ("; nothing saved" if args.save is not None else ""),
            file=sys.stderr,
        )
        return 130
    loss, accuracy = run.evaluate()
    right = round(accuracy * len(run.y))
    # The epoch lines measure each epoch before its update; this is after the last one.
    print(
        f"after the last update: loss {loss:.4f}, training accuracy {accuracy:.1%} "
        f"({right}/{len(run.y)})"
    )
    if args.save is not None:
        _save(run.model, args.save)
    if recorder is not None:
        return _write_page(args, lambda: recorder.save_html(args.html))
    return 0


def _backend(args: argparse.Namespace) -> str | train.Backend:
    if args.backend != "tape":
        return "scalar"
    try:
        from ..accel import TapeBackend
    except ImportError as error:
        raise UsageError(
            f"--backend tape needs the package {error.name!r}: pip install 'glassgrad[batch]'"
        ) from None
    return TapeBackend()


def _same_path(a: str, b: str) -> bool:
    """Whether two paths name one file (through links too), or will once written."""
    if os.path.exists(a) and os.path.exists(b):
        return os.path.samefile(a, b)
    return os.path.realpath(a) == os.path.realpath(b)


def _save(model: Any, path: str) -> None:
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", HardLinkSplitWarning)
            model.save(path)
    except OSError as error:
        raise UsageError(f"cannot save to {path}: {error.strerror or error}") from None
    print(f"saved to {path}")
    for warning in caught:  # a plain line, not Python's file:line warning format
        print(f"note: {warning.message}", file=sys.stderr)


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
    backend = _backend(args)
    print(f"{args.dataset}{what} (seed {args.seed}): {run.describe()}")
    report = train.progress_printer(run.epochs, args.every)
    recorder = None
    if args.html is not None:
        from ..viz.task_page import TaskRecorder

        recorder = TaskRecorder.for_task(run)

    def on_epoch(record: train.Epoch) -> None:
        report(record)
        if recorder is not None:
            recorder(record)

    if args.backend != "scalar":
        print(f"backend: {args.backend}")
    try:
        run.fit(on_epoch=on_epoch, backend=backend)
    except ValueError as error:  # a model the tape cannot replay
        raise UsageError(str(error)) from None
    if args.save is not None:
        _save(run.model, args.save)
    accuracy = run.test_accuracy()
    right = round(accuracy * len(run.y_test))
    print(f"test accuracy {accuracy:.1%} ({right}/{len(run.y_test)})")
    if recorder is not None:
        return _write_page(args, lambda: recorder.save_html(args.html), graphviz=False)
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
    parser.add_argument(
        "expression",
        metavar="EXPR",
        nargs="?",
        help='e.g. "sigmoid(x*w + b)" or "-log(p)"; before or after --set',
    )
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
    """The expression's graph, as a Value; mistakes become UsageError.

    --set takes any number of NAME=VALUE, so when it comes before the expression it
    takes the expression too: an item without "=" is the expression, if none was given.
    """
    from ..viz.naming import check_format
    from .parser import build

    values: dict[str, float] = {}
    for item in args.set:
        name, equals, number = item.partition("=")
        if not equals and args.expression is None:
            args.expression = item.strip()
            continue
        if not equals or not name.strip().isidentifier():
            raise UsageError(f"--set expects NAME=VALUE, got {item.strip()!r}")
        if name.strip() in values:
            raise UsageError(f"--set gives {name.strip()} twice: give each variable one value")
        try:
            values[name.strip()] = float(number)
        except ValueError:
            raise UsageError(f"--set {item!r}: {number!r} is not a number") from None
    if args.expression is None:
        raise UsageError('no expression: give one, as in  step "x*w" --set x=0.6 w=0.8')
    args.expression = args.expression.strip()
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
    parser.add_argument(
        "--timeout",
        type=_positive_float,
        default=60.0,
        metavar="SECONDS",
        help="stop Graphviz if the layout takes longer (60)",
    )
    parser.set_defaults(handler=_draw)


def _positive_float(text: str) -> float:
    number: float = _parse(text, float, "a number")
    if not (math.isfinite(number) and number > 0):
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text}")
    return number


def _draw(args: argparse.Namespace) -> int:
    root = _built(args)
    if not args.no_grad:
        root.backward()
    try:
        from .. import viz
    except ImportError as error:
        return _cannot(args, str(error))
    from ..viz import drawing

    picture = viz.draw(
        root,
        rankdir=args.rankdir,
        show_grad=not args.no_grad,
        fmt=args.fmt,
        timeout=args.timeout,
    )
    if args.output is None:
        print(picture.source)
        return 0
    try:
        path = picture.save(args.output)
    except ValueError as error:  # an extension that says neither picture nor DOT
        raise UsageError(str(error)) from None
    except (drawing.GraphvizNotFound, drawing.DotTimeout, drawing.DotFailed) as error:
        return _cannot(args, str(error))
    except OSError as error:
        return _cannot(args, f"cannot write {args.output}: {error.strerror or error}")
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
    parser.add_argument(
        "--html",
        metavar="PATH",
        help="also write a page that plays the pass step by step in a browser, offline",
    )
    parser.set_defaults(handler=_step)


def _step(args: argparse.Namespace) -> int:
    from ..engine import topological_order
    from ..viz.naming import number
    from ..viz.stepper import Stepper
    from .parser import variables

    root = _built(args)
    _check_writable(args.html)
    stepper = Stepper(root, fmt=args.fmt)
    print(f"{args.expression} = {number(root.data, args.fmt)}")
    print(stepper)
    for step in stepper:
        print(step)
    leaves = {n.label: n for n in topological_order([root]) if not n.parents and n.label}
    d_root = f"d{stepper.root_name}"
    grads = [
        f"{d_root}/d{name} = {number(leaves[name].grad, args.fmt)}"
        for name in variables(args.expression)
    ]
    print("gradients: " + ", ".join(grads))
    if args.html is not None:
        stepper.goto(0)  # the page opens at the start of the pass
        return _write_page(args, lambda: stepper.save_html(args.html))
    return 0


def _check_writable(path: str | None) -> None:
    """A usage error at once, before any work, when `path` cannot be a new file."""
    if path is None:
        return
    if os.path.isdir(path):
        raise UsageError(f"cannot write {path}: it is a directory")
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise UsageError(f"cannot write {path}: there is no directory {directory}")


def _write_page(args: argparse.Namespace, write: Callable[[], str], graphviz: bool = True) -> int:
    """Write a page; what this machine lacks (graphviz, for a page laid out by Graphviz)
    exits 1, a bad path 2."""
    missing: tuple[type[Exception], ...] = ()
    if graphviz:
        try:
            from ..viz import drawing  # the page is laid out by Graphviz
        except ImportError as error:
            return _cannot(args, str(error))
        missing = (drawing.GraphvizNotFound,)
    try:
        path = write()
    except missing as error:
        return _cannot(args, str(error))
    except OSError as error:  # a PageError: it names the path and says why
        raise UsageError(str(error)) from None
    print(f"wrote {path} ({os.path.getsize(path) / 1024:,.0f} KB): open it in any browser")
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
    parser.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        raise UsageError(f"--out {args.out}: it exists and is not a folder")
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as error:
        raise UsageError(f"--out {args.out}: cannot make the folder: {error.strerror}") from None
    if not os.access(args.out, os.W_OK):
        raise UsageError(f"--out {args.out}: cannot write into this folder")
    try:
        return demo.run(args.out, args.seed)
    except OSError as error:
        return _cannot(args, f"cannot write the drawings into {args.out}: {error.strerror}")


COMMANDS.append(_add_demo)

# --- export ---


def _add_export(commands: Subparsers) -> None:
    parser = commands.add_parser(
        "export",
        help="export a saved MLP or CNN to ONNX",
        description="Write a model saved by `train --save` (an MLP, or the digits CNN) as an "
        "ONNX file that onnxruntime and other runtimes execute, and check it against the "
        "engine when onnxruntime is installed.",
    )
    parser.add_argument("model", metavar="MODEL.json", help="a model file written by train --save")
    parser.add_argument("-o", "--output", required=True, metavar="MODEL.onnx")
    parser.add_argument(
        "--dtype", choices=["float32", "float64"], default="float32", help="(default: float32)"
    )
    parser.add_argument(
        "--image",
        nargs=3,
        type=_positive_int,
        default=[1, 8, 8],  # the digits of `train digits`
        metavar=("C", "H", "W"),
        help="a CNN's input: channels, height, width (default: the digits, 1 8 8)",
    )
    parser.set_defaults(handler=_export)


COMMANDS.append(_add_export)


def _missing_extra(args: argparse.Namespace, error: ImportError) -> UsageError:
    return UsageError(
        f"{args.command} needs the package {error.name!r}: pip install 'glassgrad[export]'"
    )


def _load_model(path: str) -> Any:
    """The model saved in `path`, of whatever type; a bad or unreadable file becomes
    UsageError."""
    from ..nn.modules import Module
    from ..nn.saving import ModelFileError

    try:
        return Module.load(path)
    except ModelFileError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from None


def _export(args: argparse.Namespace) -> int:
    try:
        from ..accel import export
    except ImportError as error:
        raise _missing_extra(args, error) from None
    from ..nn.modules import MLP
    from ..nn.sequential import Sequential

    if _same_path(args.model, args.output):
        raise UsageError(f"{args.output} is the model file itself: choose another output path")
    model = _load_model(args.model)
    if not isinstance(model, (MLP, Sequential)):
        raise UsageError(
            f"{args.model}: export takes an MLP or a CNN, not a {type(model).__name__}"
        )
    try:
        if isinstance(model, MLP):
            onnx_model = export.mlp_to_onnx(model, args.dtype)
        else:
            onnx_model = export.sequential_to_onnx(model, args.image, args.dtype)
    except ValueError as error:  # a recurrent layer, or an image the layers do not take
        raise UsageError(f"{args.model}: {error}") from None
    try:
        export.save(onnx_model, args.output)
    except OSError as error:
        raise UsageError(f"cannot write {args.output}: {error.strerror}") from None
    print(f"wrote {args.output}: {model}, ONNX opset {export.OPSET}, {args.dtype}")
    try:
        if isinstance(model, MLP):
            difference = export.check_with_onnxruntime(onnx_model, model)
        else:
            import numpy as np  # present: the export extra needs it

            images = np.random.default_rng(0).uniform(size=(100, *args.image))
            difference = export.check_cnn_with_onnxruntime(onnx_model, model, images)
    except ImportError:
        print("onnxruntime is not installed: the file was not run")
        return 0
    print(f"onnxruntime agrees with the engine on 100 random inputs: max |diff| {difference:.2g}")
    return 0


# --- deploy ---


def _fraction(text: str) -> float:
    value: float = _parse(text, float, "a number")
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"must be in [0, 1) (a fraction of weights), got {text}")
    return value


def _add_deploy(commands: Subparsers) -> None:
    parser = commands.add_parser(
        "deploy",
        help="export, optimize, quantize, prune and measure a saved MLP or CNN",
        description="Take a model saved by `train --save` (an MLP, or the digits CNN) down "
        "the deploy road: ONNX in "
        "float32, onnxruntime's graph optimizations, onnxruntime's static INT8 (QDQ) "
        "quantization, FP16, the project's own INT8, magnitude pruning; measure each on "
        "held-out data (accuracy, size, latency, throughput, MACs) and write a report.",
    )
    parser.add_argument("model", metavar="MODEL.json", help="a model file written by train --save")
    parser.add_argument(
        "--out", default="deploy-output", metavar="DIR", help="folder for models and report"
    )
    parser.add_argument(
        "--dataset",
        choices=sorted([*train.RECIPES, "digits"]),
        help="the dataset the model was trained on (default: moons for an MLP, digits for a CNN)",
    )
    parser.add_argument("--seed", type=int, default=0, help="the training run's seed (0)")
    parser.add_argument(
        "--sparsity",
        type=_fraction,
        default=0.5,
        metavar="S",
        help="fraction of each layer's weights pruned, in [0, 1) (default: 0.5)",
    )
    parser.add_argument(
        "--calibrate",
        type=_positive_int,
        metavar="N",
        help="training samples that calibrate INT8 (default: all)",
    )
    parser.add_argument(
        "--batch", type=_positive_int, default=1024, metavar="B", help="throughput batch (1024)"
    )
    parser.add_argument(
        "--runs", type=_positive_int, default=200, metavar="R", help="latency runs (200)"
    )
    parser.set_defaults(handler=_deploy)


COMMANDS.append(_add_deploy)


def _deploy(args: argparse.Namespace) -> int:
    try:
        from ..accel import deploy, report
    except ImportError as error:
        raise _missing_extra(args, error) from None
    try:
        model = deploy.check_deployable(_load_model(args.model))
    except TypeError as error:  # a recurrent model
        raise UsageError(f"{args.model}: {error}") from None
    args.dataset = args.dataset or deploy.default_dataset(model)
    split = deploy.dataset_split(args.dataset, args.seed)
    try:
        deploy.check_options(
            sparsity=args.sparsity,
            calibrate=args.calibrate,
            batch=args.batch,
            runs=args.runs,
            train_samples=len(split.X_train),
        )
        deploy.check_model_fits(model, split)
    except ValueError as error:
        raise UsageError(f"{error} (--dataset {args.dataset})") from None
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        raise UsageError(f"cannot write into {args.out}: it is not a folder")
    print(f"deploying {deploy.describe(model)}: {split.description}", flush=True)
    try:
        result = deploy.deploy(
            model,
            split,
            args.out,
            sparsity=args.sparsity,
            calibrate=args.calibrate,
            batch=args.batch,
            runs=args.runs,
            progress=lambda line: print(line, flush=True),
        )
    except OSError as error:
        raise UsageError(f"cannot write into {args.out}: {error.strerror or error}") from None
    print()
    print(report.format_table(result))
    print(f"\nwrote {', '.join(report.FILES)} and the models into {args.out}")
    return 0
