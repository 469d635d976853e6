"""The training loop (forward -> loss -> backward -> update -> repeat) and one recipe per
toy dataset, as used by `python -m autograd train`.

>>> from autograd.nn.train import prepare
>>> run = prepare("xor", epochs=3000)
>>> history = run.fit()
>>> round(history[0].loss, 2), history[-1].accuracy
(0.73, 1.0)

Each epoch's forward and backward run on a *backend*: "scalar" (the default: the
engine the lessons teach, one graph of Values per epoch) or "tape", registered by
`autograd.accel` (needs NumPy): the model recorded once as a program, with its
parameters as inputs, replayed on the whole batch at once. The same rules give the
same numbers (to rounding): `run.fit(backend="tape")` after `import autograd.accel`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ..engine import Value
from ..modes import no_grad
from . import data, losses
from .modules import MLP
from .optim import SGD, Adam, Optimizer

Output = Value | list[Value]  # what an MLP returns: one Value, or one per class


def _argmax(scores: Output) -> int:
    values = scores if isinstance(scores, list) else [scores]
    return max(range(len(values)), key=lambda i: values[i].data)


def _single(output: Output) -> Value:
    if isinstance(output, list):
        raise ValueError("this objective needs a network with one output")
    return output


@dataclass(frozen=True)
class Objective:
    """What a network's output means: the loss to minimise and the class it predicts."""

    name: str
    loss: Callable[[Sequence[Output], Sequence[int]], Value]
    predict: Callable[[Output], int]


BCE = Objective(
    "binary cross-entropy",
    lambda outputs, labels: losses.binary_cross_entropy([_single(o) for o in outputs], labels),
    lambda output: int(_single(output).data > 0.5),
)
BCE_WITH_LOGITS = Objective(
    "binary cross-entropy on logits",
    lambda outputs, labels: losses.binary_cross_entropy_with_logits(
        [_single(o) for o in outputs], labels
    ),
    lambda output: int(_single(output).data > 0.0),
)
HINGE = Objective(
    "hinge",
    lambda outputs, labels: losses.hinge(
        [_single(o) for o in outputs], [2 * c - 1 for c in labels]
    ),
    lambda output: int(_single(output).data > 0.0),
)
CROSS_ENTROPY = Objective(
    "cross-entropy",
    lambda outputs, labels: losses.cross_entropy(outputs, labels),  # type: ignore[arg-type]
    _argmax,
)


@dataclass(frozen=True)
class Recipe:
    """How one dataset is learned by default: data, network, loss, optimizer, schedule."""

    dataset: Callable[[int], tuple[data.Points, data.Labels]]  # seed -> (X, y)
    hidden: tuple[int, ...]
    activation: str
    output_activation: str
    outputs: int
    objective: Objective
    optimizer: type[Optimizer]
    lr: float
    epochs: int
    l2: float = 0.0  # add l2 * sum(p^2) to the loss (micrograd's regularisation)
    decay_lr: bool = False  # micrograd's schedule: lr * (1 - 0.9 * epoch / epochs)

    def network(self, hidden: Sequence[int] | None = None, seed: int = 0) -> MLP:
        sizes = [*(self.hidden if hidden is None else hidden), self.outputs]
        return MLP(2, sizes, self.activation, self.output_activation, seed=seed)


RECIPES: dict[str, Recipe] = {
    # The last source document: 2-3-1, sigmoid everywhere, BCE, SGD lr 0.1, 5000 epochs.
    "xor": Recipe(lambda seed: data.xor(), (3,), "sigmoid", "sigmoid", 1, BCE, SGD, 0.1, 5000),
    # micrograd's demo: 100 moons, 2-16-16-1 relu, hinge + 1e-4 L2, SGD with decaying lr.
    "moons": Recipe(
        lambda seed: data.moons(100, 0.1, seed),
        (16, 16),
        "relu",
        "linear",
        1,
        HINGE,
        SGD,
        1.0,
        100,
        l2=1e-4,
        decay_lr=True,
    ),
    "circles": Recipe(
        lambda seed: data.circles(100, 0.05, 0.5, seed),
        (8, 8),
        "tanh",
        "linear",
        1,
        BCE_WITH_LOGITS,
        Adam,
        0.05,
        100,
    ),
    "spiral": Recipe(
        lambda seed: data.spiral(40, 3, 0.2, seed),
        (16, 16),
        "relu",
        "linear",
        3,
        CROSS_ENTROPY,
        Adam,
        0.05,
        100,
    ),
}


@dataclass(frozen=True)
class Epoch:
    """What one epoch measured, before its update: the loss and the training accuracy."""

    epoch: int  # from 1
    epochs: int
    loss: float
    accuracy: float


def _loss(
    model: MLP, outputs: Sequence[Output], y: Sequence[int], objective: Objective, l2: float
) -> Value:
    loss = objective.loss(outputs, y)
    return loss + penalty(model.parameters(), l2) if l2 else loss


def penalty(params: Sequence[Value], l2: float) -> Value:
    """The weight penalty a recipe adds to its loss: l2 * sum(p^2) over the parameters."""
    return l2 * losses.l2(params)


def _accuracy(objective: Objective, outputs: Sequence[Output], y: Sequence[int]) -> float:
    return sum(objective.predict(o) == c for o, c in zip(outputs, y)) / len(y)


class Backend(Protocol):
    """What runs an epoch's forward and backward (see the module docstring)."""

    name: str

    def step(
        self,
        model: MLP,
        X: Sequence[Sequence[float]],
        y: Sequence[int],
        objective: Objective,
        l2: float,
    ) -> tuple[float, float]:
        """(loss, accuracy) of the model as it is; adds d(loss)/d(p) to each p.grad."""
        ...

    def step_batch(
        self, model: Callable[[Any], Any], X: Sequence[Any], y: Sequence[int], rows: Sequence[int]
    ) -> tuple[float, int]:
        """One mini-batch of `nn.tasks`: the samples X[k] for k in rows. Returns their mean
        softmax cross-entropy and how many the model (as it is) predicts right; adds
        d(loss)/d(p) to each p.grad."""
        ...


class ScalarBackend:
    """The scalar engine: one graph of Values for the whole batch, then backward()."""

    name = "scalar"

    def step(
        self,
        model: MLP,
        X: Sequence[Sequence[float]],
        y: Sequence[int],
        objective: Objective,
        l2: float,
    ) -> tuple[float, float]:
        outputs = [model(x) for x in X]
        loss = _loss(model, outputs, y, objective, l2)
        loss.backward()
        return loss.data, _accuracy(objective, outputs, y)

    def step_batch(
        self, model: Callable[[Any], Any], X: Sequence[Any], y: Sequence[int], rows: Sequence[int]
    ) -> tuple[float, int]:
        outputs = [model(X[k]) for k in rows]
        labels = [y[k] for k in rows]
        loss = losses.cross_entropy(outputs, labels)
        loss.backward()
        return loss.data, sum(_argmax(o) == c for o, c in zip(outputs, labels))


# Backends by name. "tape" is added by `autograd.accel` (it needs NumPy), when imported.
BACKENDS: dict[str, Callable[[], Backend]] = {"scalar": ScalarBackend}


def backend_named(name: str) -> Backend:
    """A new backend of that name; a ValueError saying how to get it otherwise."""
    if name not in BACKENDS:
        hint = " (import autograd.accel first: it needs NumPy)" if name == "tape" else ""
        raise ValueError(f"unknown backend {name!r}{hint}; known: {', '.join(BACKENDS)}")
    return BACKENDS[name]()


def fit(
    model: MLP,
    X: Sequence[Sequence[float]],
    y: Sequence[int],
    objective: Objective,
    optimizer: Optimizer,
    epochs: int,
    *,
    l2: float = 0.0,
    lr_schedule: Callable[[int], float] | None = None,
    on_epoch: Callable[[Epoch], None] | None = None,
    backend: str | Backend = "scalar",
) -> list[Epoch]:
    """Full-batch training: each epoch runs forward, loss, backward and one optimizer step.

    `lr_schedule(epoch)` (from 0) sets the learning rate before each step; `on_epoch`
    sees each epoch's record as it finishes; `backend` runs forward and backward
    ("scalar" or "tape", or a Backend). Returns all the records.
    """
    runner = backend_named(backend) if isinstance(backend, str) else backend
    history = []
    for epoch in range(epochs):
        if lr_schedule is not None:
            optimizer.lr = lr_schedule(epoch)
        optimizer.zero_grad()
        loss, accuracy = runner.step(model, X, y, objective, l2)
        optimizer.step()
        record = Epoch(epoch + 1, epochs, loss, accuracy)
        history.append(record)
        if on_epoch is not None:
            on_epoch(record)
    return history


def evaluate(
    model: MLP,
    X: Sequence[Sequence[float]],
    y: Sequence[int],
    objective: Objective,
    *,
    l2: float = 0.0,
) -> tuple[float, float]:
    """(loss, accuracy) of the model as it is now, without recording a graph for backward."""
    with no_grad():
        outputs = [model(x) for x in X]
        return _loss(model, outputs, y, objective, l2).data, _accuracy(objective, outputs, y)


@dataclass
class Run:
    """One training run set up from a recipe: the data, a fresh network and its optimizer."""

    recipe: Recipe
    X: data.Points
    y: data.Labels
    model: MLP
    optimizer: Optimizer
    epochs: int

    def describe(self) -> str:
        """Two lines: the network and data, then the loss and optimizer settings."""
        recipe = self.recipe
        return (
            f"{self.model}, {len(self.X)} samples\n"
            f"{recipe.objective.name} loss{f' + {recipe.l2:g} * L2' if recipe.l2 else ''}, "
            f"{type(self.optimizer).__name__} "
            f"lr {self.optimizer.lr:g}{' decaying' if recipe.decay_lr else ''}, "
            f"{self.epochs} epoch{'s' if self.epochs != 1 else ''}"
        )

    def fit(
        self,
        on_epoch: Callable[[Epoch], None] | None = None,
        backend: str | Backend = "scalar",
    ) -> list[Epoch]:
        """Train for `epochs` epochs (see `fit`)."""
        base_lr, epochs = self.optimizer.lr, self.epochs

        def decaying(k: int) -> float:
            return base_lr * (1.0 - 0.9 * k / epochs)

        return fit(
            self.model,
            self.X,
            self.y,
            self.recipe.objective,
            self.optimizer,
            epochs,
            l2=self.recipe.l2,
            lr_schedule=decaying if self.recipe.decay_lr else None,
            on_epoch=on_epoch,
            backend=backend,
        )

    def evaluate(self) -> tuple[float, float]:
        """(loss, training accuracy) of the network as it is now."""
        return evaluate(self.model, self.X, self.y, self.recipe.objective, l2=self.recipe.l2)


def prepare(
    recipe: Recipe | str,
    *,
    epochs: int | None = None,
    lr: float | None = None,
    hidden: Sequence[int] | None = None,
    seed: int = 0,
) -> Run:
    """A run of `recipe` (or its name in RECIPES), overriding epochs, lr or hidden widths.

    `seed` seeds both the data and the initial weights.
    """
    chosen = RECIPES[recipe] if isinstance(recipe, str) else recipe
    X, y = chosen.dataset(seed)
    model = chosen.network(hidden, seed)
    optimizer = chosen.optimizer(model.parameters(), lr=chosen.lr if lr is None else lr)
    return Run(chosen, X, y, model, optimizer, chosen.epochs if epochs is None else epochs)


def progress_printer(epochs: int, every: int | None = None) -> Callable[[Epoch], None]:
    """An `on_epoch` callback printing the loss every `every` epochs (default: 10 lines).

    On a terminal a live epoch counter also runs on stderr; the loss lines go to stdout.
    """
    every = every or max(1, epochs // 10)
    live = sys.stderr.isatty()

    def report(record: Epoch) -> None:
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

    return report
