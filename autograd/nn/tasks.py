"""Images and sequences: the digits CNN and the echo task, trained in mini-batches.

    python -m autograd train digits
    python -m autograd train echo --cell lstm --delay 12

`digits`: a small CNN (conv 3x3 x 8 -> relu -> max pool 2 -> linear 10), softmax
cross-entropy, Adam lr 0.01, mini-batches of 16, 3 epochs on 1000 generated 8x8 digits;
500 more are the test set. `echo`: an RNN or LSTM (4 units; Adam lr 0.01, 10 epochs
of 256 sequences) reads a sequence of random +-1 inputs and, at the end, says which
sign it saw `delay` steps before the last one (the first input).

Each step of `fit_batches` builds the graph of one mini-batch (one forward pass per
sample, sharing the weights), runs backward once and takes one optimizer step; with
`backend="tape"` (after `import autograd.accel`) the model is recorded once as a
program and each batch replays it on all its samples at once, to the same numbers.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..engine import Value
from ..modes import no_grad
from .conv import Conv2d, Flatten, MaxPool2d
from .images import digits
from .modules import Module, Seed, _ParameterFree, make_rng
from .optim import Adam, Optimizer
from .recurrent import LSTM, RNN
from .sequential import Linear, ReLU, Sequential
from .train import Backend, Epoch, backend_named


class LastStep(_ParameterFree):
    """The last output of a recurrent layer: `outputs[-1]` of its `(outputs, state)`.

    So that `Sequential(LSTM(1, 4), LastStep(), Linear(4, 2))` reads a sequence and
    classifies it from the final hidden state, as `fc(out[-1])` does in PyTorch.

    Shape:
        - Input: `(outputs [T][H], state)` as RNN and LSTM return it
        - Output: `[H]`
    """

    kind = "last"

    def __call__(self, x: tuple[list[list[Value]], Any]) -> list[Value]:
        outputs, _ = x
        return outputs[-1]

    def __repr__(self) -> str:
        return "LastStep()"


def digits_cnn(seed: Seed = 0, channels: int = 8) -> Sequential:
    """conv 3x3 x channels (padding 1) -> relu -> max pool 2 -> flatten -> linear 10."""
    rng = make_rng(seed)
    return Sequential(
        Conv2d(1, channels, 3, padding=1, seed=rng),
        ReLU(),
        MaxPool2d(2),
        Flatten(),
        Linear(channels * 16, 10, seed=rng),
    )


def digits_linear(seed: Seed = 0) -> Sequential:
    """The baseline: one linear layer on the 64 raw pixels (softmax regression)."""
    return Sequential(Flatten(), Linear(64, 10, seed=seed))


def echo_data(n: int, delay: int, seed: Seed = 0) -> tuple[list[list[list[float]]], list[int]]:
    """`n` sequences of delay + 1 random inputs, each -1 or +1 ([time][1] lists); the
    label is 1 when the first input was +1: what was seen `delay` steps before the end."""
    if isinstance(delay, bool) or not isinstance(delay, int) or delay < 0:
        raise ValueError(f"delay must be an int >= 0, got {delay!r}")
    rng = make_rng(seed)
    X = [[[rng.choice((-1.0, 1.0))] for _ in range(delay + 1)] for _ in range(n)]
    return X, [int(x[0][0] > 0) for x in X]


def echo_model(cell: str, hidden: int = 4, seed: Seed = 0, forget_bias: float = 2.0) -> Sequential:
    """cell (RNN or LSTM, `hidden` units) -> last step -> linear 2.

    The LSTM's forget gate starts open: `forget_bias` is added to its bias_ih rows (as
    Keras's unit_forget_bias and Jozefowicz et al. 2015 do; PyTorch starts at 0), so
    that the cell carries what it stored before training has taught it to."""
    rng = make_rng(seed)
    if cell == "rnn":
        recurrent: Module = RNN(1, hidden, seed=rng)
    elif cell == "lstm":
        lstm = LSTM(1, hidden, seed=rng)
        for b in lstm.bias_ih[hidden : 2 * hidden]:
            b.data += forget_bias
        recurrent = lstm
    else:
        raise ValueError(f"cell must be 'rnn' or 'lstm', got {cell!r}")
    return Sequential(recurrent, LastStep(), Linear(hidden, 2, seed=rng))


def predict(scores: Sequence[Value]) -> int:
    return max(range(len(scores)), key=lambda k: scores[k].data)


def fit_batches(
    model: Callable[[Any], Any],
    X: Sequence[Any],
    y: Sequence[int],
    optimizer: Optimizer,
    epochs: int,
    batch_size: int = 16,
    seed: Seed = 0,
    on_epoch: Callable[[Epoch], None] | None = None,
    backend: str | Backend = "scalar",
) -> list[Epoch]:
    """Mini-batch training with softmax cross-entropy: shuffle, then one step per batch.

    Each epoch's record holds the mean loss over its batches and the training accuracy
    of the predictions made on the way (before each batch's update). `backend` runs
    each batch's forward and backward: "scalar" (one graph of Values per batch) or
    "tape" (`autograd.accel`: the model recorded once, replayed on each batch), or a
    Backend."""
    runner = backend_named(backend) if isinstance(backend, str) else backend
    rng = make_rng(seed)
    order = list(range(len(X)))
    history = []
    for epoch in range(epochs):
        rng.shuffle(order)
        total_loss, right = 0.0, 0
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            optimizer.zero_grad()
            loss, batch_right = runner.step_batch(model, X, y, batch)
            optimizer.step()
            total_loss += loss * len(batch)
            right += batch_right
        record = Epoch(epoch + 1, epochs, total_loss / len(X), right / len(X))
        history.append(record)
        if on_epoch is not None:
            on_epoch(record)
    return history


def accuracy(model: Callable[[Any], Any], X: Sequence[Any], y: Sequence[int]) -> float:
    """The fraction of samples whose highest score is the label (no graph is kept)."""
    with no_grad():
        return sum(predict(model(x)) == c for x, c in zip(X, y)) / len(y)


@dataclass
class TaskRun:
    """A training run of `digits` or `echo`: data, model, optimizer and schedule."""

    name: str
    model: Sequential
    X: list[Any]
    y: list[int]
    X_test: list[Any]
    y_test: list[int]
    optimizer: Optimizer
    epochs: int
    batch_size: int
    seed: int

    def describe(self) -> str:
        layers = " -> ".join(repr(m) for m in self.model.modules)
        return (
            f"{layers}; {self.model.num_parameters()} parameters\n"
            f"{len(self.X)} training and {len(self.X_test)} test samples, cross-entropy loss, "
            f"{type(self.optimizer).__name__} lr {self.optimizer.lr:g}, mini-batches of "
            f"{self.batch_size}, {self.epochs} epoch{'s' if self.epochs != 1 else ''}"
        )

    def fit(
        self,
        on_epoch: Callable[[Epoch], None] | None = None,
        backend: str | Backend = "scalar",
    ) -> list[Epoch]:
        """Train for `epochs` epochs (see `fit_batches`)."""
        return fit_batches(
            self.model,
            self.X,
            self.y,
            self.optimizer,
            self.epochs,
            self.batch_size,
            random.Random(self.seed),
            on_epoch,
            backend,
        )

    def test_accuracy(self) -> float:
        return accuracy(self.model, self.X_test, self.y_test)


TASKS = ("digits", "echo")


def prepare_task(
    name: str,
    *,
    epochs: int | None = None,
    lr: float | None = None,
    seed: int = 0,
    cell: str = "lstm",
    delay: int = 12,
    hidden: int = 4,
    batch_size: int = 16,
    samples: int | None = None,
) -> TaskRun:
    """A run of task `name` ("digits" or "echo"), with its defaults unless overridden."""
    if name == "digits":
        n_train = 1000 if samples is None else samples
        images, labels = digits(n_train + 500, seed=seed)
        model = digits_cnn(seed)
        optimizer: Optimizer = Adam(model.parameters(), lr=0.01 if lr is None else lr)
        return TaskRun(
            name,
            model,
            images[:n_train],
            labels[:n_train],
            images[n_train:],
            labels[n_train:],
            optimizer,
            3 if epochs is None else epochs,
            batch_size,
            seed,
        )
    if name == "echo":
        n_train = 256 if samples is None else samples
        X, y = echo_data(n_train, delay, seed)
        X_test, y_test = echo_data(200, delay, seed + 1)
        model = echo_model(cell, hidden, seed)
        optimizer = Adam(model.parameters(), lr=0.01 if lr is None else lr)
        return TaskRun(
            name,
            model,
            X,
            y,
            X_test,
            y_test,
            optimizer,
            10 if epochs is None else epochs,
            batch_size,
            seed,
        )
    raise ValueError(f"unknown task {name!r}; the tasks are {', '.join(TASKS)}")
