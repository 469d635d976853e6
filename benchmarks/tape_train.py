"""Training through the compiled tape against the scalar engine and PyTorch, per epoch.

    python benchmarks/tape_train.py [--dataset moons] [--rounds 5] [--epochs 30]
    python benchmarks/tape_train.py --dataset digits --rounds 2 --epochs 2
    python benchmarks/tape_train.py --dataset echo-lstm --rounds 3 --epochs 3

One recipe of `autograd.nn.train` (default: moons, micrograd's demo: 100 points, MLP
2-16-16-1, hinge + 1e-4 L2, SGD), trained four ways, each in a fresh process, the
four interleaved in each round:
- scalar: the engine (`backend="scalar"`);
- tape: the model compiled once, replayed on the batch (`TapeBackend(fuse=False)`);
- tape, fused: the same, each layer one matrix product and each depth's alike steps
  one array operation (`TapeBackend()`);
- torch: PyTorch training the same model (same initial weights, same loss and
  schedule) eagerly on float64 batch tensors, one thread (moons only).
`digits` (the CNN), `echo-rnn` and `echo-lstm` (delay 12) are the mini-batch tasks of
`autograd.nn.tasks` with their default recipes (Adam, batches of 16), the first three
ways only.
The time of an epoch is the median over the epochs after the first (which records
and compiles the tape: reported apart), in CPU seconds; the figure is the median over
the rounds. The final losses show that all the ways trained the same numbers.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, os.environ.get("GLASSGRAD_CHECKOUT") or str(HERE.parent))

WAYS = ("scalar", "tape", "tape, fused", "torch")
TASKS: dict[str, dict[str, Any]] = {
    "digits": {},
    "echo-rnn": {"cell": "rnn"},
    "echo-lstm": {"cell": "lstm"},
}


def _epochs(fit: Any, epochs: int) -> tuple[list[float], float]:
    """Run fit with a callback that stamps each epoch; (epoch seconds, final loss)."""
    stamps = [time.process_time()]
    history = fit(lambda record: stamps.append(time.process_time()))
    return [b - a for a, b in itertools.pairwise(stamps)], history[-1].loss


def cell(way: str, dataset: str, epochs: int) -> dict[str, Any]:
    from autograd.nn.tasks import prepare_task
    from autograd.nn.train import prepare

    if dataset in TASKS:
        run: Any = prepare_task(dataset.split("-")[0], epochs=epochs, **TASKS[dataset])
    else:
        run = prepare(dataset, epochs=epochs)
    if way == "torch":
        seconds, loss = torch_epochs(run, epochs)
    else:
        from autograd.accel import TapeBackend

        backend: Any = "scalar" if way == "scalar" else TapeBackend(fuse=way == "tape, fused")
        seconds, loss = _epochs(lambda on: run.fit(on_epoch=on, backend=backend), epochs)
    return {
        "first_ms": seconds[0] * 1e3,
        "epoch_ms": statistics.median(seconds[1:]) * 1e3,
        "loss": loss,
    }


def torch_epochs(run: Any, epochs: int) -> tuple[list[float], float]:
    """The recipe's model, loss and schedule in PyTorch, eager, float64, full batch."""
    import torch

    torch.set_num_threads(1)
    recipe = run.recipe
    if recipe.objective.name != "hinge" or recipe.optimizer.__name__ != "SGD":
        raise SystemExit("the torch cell is written for moons' recipe (hinge, SGD)")
    layers = []
    for layer in run.model.layers:
        weight = [[w.data for w in neuron.w] for neuron in layer.neurons]
        bias = [neuron.b.data for neuron in layer.neurons]
        layers.append(
            (
                torch.tensor(weight, dtype=torch.float64, requires_grad=True),
                torch.tensor(bias, dtype=torch.float64, requires_grad=True),
            )
        )
    params = [t for pair in layers for t in pair]
    X = torch.tensor(run.X, dtype=torch.float64)
    targets = torch.tensor([2.0 * c - 1.0 for c in run.y], dtype=torch.float64)
    lr0, losses = run.optimizer.lr, []
    stamps = [time.process_time()]
    for epoch in range(epochs):
        h = X
        for k, (w, b) in enumerate(layers):
            h = h @ w.T + b
            if k < len(layers) - 1:
                h = torch.relu(h)
        data_loss = torch.relu(1.0 - targets * h[:, 0]).mean()
        loss = data_loss + recipe.l2 * sum((p * p).sum() for p in params)
        for p in params:
            p.grad = None
        loss.backward()
        lr = lr0 * (1.0 - 0.9 * epoch / epochs) if recipe.decay_lr else lr0
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
        losses.append(float(loss))
        stamps.append(time.process_time())
    return [b - a for a, b in itertools.pairwise(stamps)], losses[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", default="moons")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--cell", choices=WAYS, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help="write the table (markdown) here")
    args = parser.parse_args()
    if args.cell:
        print(json.dumps(cell(args.cell, args.dataset, args.epochs)))
        return
    ways = WAYS[:3] if args.dataset in TASKS else WAYS
    samples: dict[str, list[dict[str, Any]]] = {way: [] for way in ways}
    loads = []
    for _ in range(args.rounds):
        for way in ways:
            command = [sys.executable, __file__, "--cell", way, "--dataset", args.dataset]
            done = subprocess.run(
                [*command, "--epochs", str(args.epochs)], capture_output=True, text=True
            )
            if done.returncode:
                raise SystemExit(f"{way}: {done.stderr.strip().splitlines()[-1:]}")
            samples[way].append(json.loads(done.stdout.strip().splitlines()[-1]))
        loads.append(os.getloadavg()[0])
    figures = {
        way: {k: statistics.median(s[k] for s in runs) for k in ("first_ms", "epoch_ms")}
        | {"loss": runs[-1]["loss"]}
        for way, runs in samples.items()
    }
    scalar = figures["scalar"]["epoch_ms"]
    torch_ms = figures["torch"]["epoch_ms"] if "torch" in figures else None
    lines = [
        f"### training through the tape: {args.dataset}, {args.epochs} epochs",
        "",
        f"- {args.rounds} rounds, interleaved, each cell a fresh process; load average "
        f"(1 min) after each round: {', '.join(f'{x:.1f}' for x in loads)}",
        "",
        "| way | first epoch ms (records, compiles) | ms per epoch after | vs scalar | "
        + ("vs torch eager | " if torch_ms else "")
        + "final loss |",
        "|---|---|---|---|" + ("---|" if torch_ms else "") + "---|",
    ]
    for way, f in figures.items():
        versus_torch = f" {torch_ms / f['epoch_ms']:.2f}x |" if torch_ms else ""
        lines.append(
            f"| {way} | {f['first_ms']:.1f} | {f['epoch_ms']:.2f} | "
            f"{scalar / f['epoch_ms']:.1f}x |{versus_torch} {f['loss']:.12g} |"
        )
    print("\n".join(lines))
    if args.output is not None:
        args.output.write_text("\n".join([*lines, ""]))


if __name__ == "__main__":
    main()
