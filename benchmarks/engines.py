"""The engines under test, each spelling the benchmark's few operations its own way.

Workloads are written once, against `Engine`: arithmetic with the ordinary operators,
plus the methods below. Every engine runs its own idiomatic code: ours uses
`autograd.nn`, `losses`, `optim` and the one-node `sum`; micrograd its own `nn.MLP`
and the loss and update of its demo notebook; PyTorch 0-d float64 tensors in an MLP
written like micrograd's, with a plain SGD loop.
"""

from __future__ import annotations

import importlib
import math
import random
from collections.abc import Callable, Sequence
from typing import Any

import floor


class Unsupported(Exception):
    """The engine cannot run this workload; the message says why (a note in the table)."""


class Engine:
    """Defaults fit micrograd-like Values: `.data`, `.grad`, `.backward()`, `+ * -`."""

    name = ""
    package: str | None = None  # the import that must work, else the engine is skipped
    install = ""  # how to install it, for the note
    gradients = True  # False: forward only (plain floats)

    def version(self) -> str:
        if self.package is None:
            return ""
        module = importlib.import_module(self.package)
        return str(getattr(module, "__version__", "") or _distribution_version(self.package))

    def leaf(self, x: float) -> Any:
        """A parameter: a value that gets a gradient."""
        raise NotImplementedError

    def input(self, x: float) -> Any:
        """A data point's feature: whatever the engine's own examples pass to a model."""
        return x

    def tanh(self, v: Any) -> Any:
        return v.tanh()

    def relu(self, v: Any) -> Any:
        return v.relu()

    def total(self, values: Sequence[Any]) -> Any:
        """The sum of a list, as the engine's users write it: here a chain of additions."""
        return sum(values[1:], values[0])

    def backward(self, root: Any) -> None:
        root.backward()

    def grad(self, v: Any) -> float:
        return float(v.grad)

    def data(self, v: Any) -> float:
        return float(v.data)

    def mlp(self, nin: int, sizes: list[int], activation: str, seed: int) -> Model:
        return GenericMLP(self, nin, sizes, activation, seed)

    def hinge_loss(self, scores: list[Any], labels: list[float], params: list[Any]) -> Any:
        """micrograd's demo loss: mean max(0, 1 - y * score) + 1e-4 * sum(p * p)."""
        losses = [self.relu(1 + -y * s) for y, s in zip(labels, scores)]
        data_loss = self.total(losses) * (1.0 / len(losses))
        return data_loss + 1e-4 * self.total([p * p for p in params])

    def mse_loss(self, outputs: list[Any], targets: list[float]) -> Any:
        errors = [(o - t) * (o - t) for o, t in zip(outputs, targets)]
        return self.total(errors) * (1.0 / len(errors))

    def optimizer(self, model: Model, lr: float) -> Optimizer:
        return Optimizer(self, model.parameters(), lr)


class Optimizer:
    """Plain SGD the way micrograd's demo writes it: p.data -= lr * p.grad."""

    def __init__(self, engine: Engine, params: list[Any], lr: float) -> None:
        self.params, self.lr = params, lr

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        for p in self.params:
            p.data -= self.lr * p.grad


class Model:
    def __call__(self, x: list[Any]) -> Any:
        raise NotImplementedError

    def parameters(self) -> list[Any]:
        raise NotImplementedError


class GenericMLP(Model):
    """micrograd's MLP written against `Engine`: act(sum(w * x) + b), last layer linear."""

    def __init__(
        self, engine: Engine, nin: int, sizes: list[int], activation: str, seed: int
    ) -> None:
        rng = random.Random(seed)
        self.engine = engine
        self.activation: Callable[[Any], Any] = getattr(engine, activation)
        self.layers = [
            [
                ([engine.leaf(rng.uniform(-1, 1)) for _ in range(n_in)], engine.leaf(0.0))
                for _ in range(n_out)
            ]
            for n_in, n_out in zip([nin, *sizes], sizes)
        ]

    def __call__(self, x: list[Any]) -> Any:
        total, last = self.engine.total, len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            sums = [total([*(wi * xi for wi, xi in zip(w, x)), b]) for w, b in layer]
            x = sums if i == last else [self.activation(s) for s in sums]
        return x[0]

    def parameters(self) -> list[Any]:
        return [p for layer in self.layers for w, b in layer for p in [*w, b]]


class Ours(Engine):
    name = "ours"
    package = "autograd"

    def __init__(self) -> None:
        import autograd
        from autograd import nn
        from autograd.nn import losses, optim

        self.autograd, self.nn, self.losses, self.optim = autograd, nn, losses, optim

    def version(self) -> str:
        return str(self.autograd.__version__)

    def leaf(self, x: float) -> Any:
        return self.autograd.Value(x)

    def total(self, values: Sequence[Any]) -> Any:
        return self.autograd.sum(values)

    def mlp(self, nin: int, sizes: list[int], activation: str, seed: int) -> Model:
        return self.nn.MLP(nin, sizes, activation=activation, seed=seed)  # type: ignore[no-any-return]

    def hinge_loss(self, scores: list[Any], labels: list[float], params: list[Any]) -> Any:
        return self.losses.hinge(scores, labels) + 1e-4 * self.losses.l2(params)

    def mse_loss(self, outputs: list[Any], targets: list[float]) -> Any:
        return self.losses.mse(outputs, targets)

    def optimizer(self, model: Model, lr: float) -> Optimizer:
        return self.optim.SGD(model.parameters(), lr=lr)  # type: ignore[no-any-return]


class Floor(Engine):
    name = "floor"

    def leaf(self, x: float) -> Any:
        return floor.leaf(x)

    def relu(self, v: Any) -> Any:
        raise Unsupported("the floor has only the ops of the per-op workloads")

    def backward(self, root: Any) -> None:
        floor.backward(root)


class Micrograd(Engine):
    name = "micrograd"
    package = "micrograd"
    install = "pip install micrograd==0.1.0"

    def __init__(self) -> None:
        from micrograd import engine, nn

        self.engine, self.nn = engine, nn

    def leaf(self, x: float) -> Any:
        return self.engine.Value(x)

    def input(self, x: float) -> Any:
        return self.engine.Value(x)  # as its demo does: list(map(Value, xrow))

    def tanh(self, v: Any) -> Any:
        raise Unsupported("micrograd 0.1.0 has no tanh")

    def mlp(self, nin: int, sizes: list[int], activation: str, seed: int) -> Model:
        if activation != "relu":
            raise Unsupported(f"micrograd 0.1.0 has no {activation}")
        random.seed(seed)  # micrograd draws its weights from the global generator
        return self.nn.MLP(nin, sizes)  # type: ignore[no-any-return]

    def optimizer(self, model: Model, lr: float) -> Optimizer:
        return MicrogradSGD(self, model, lr)


class MicrogradSGD(Optimizer):
    """The demo's loop: model.zero_grad(), then p.data -= lr * p.grad."""

    def __init__(self, engine: Engine, model: Model, lr: float) -> None:
        super().__init__(engine, model.parameters(), lr)
        self.model = model

    def zero_grad(self) -> None:
        self.model.zero_grad()  # type: ignore[attr-defined]


class Torch(Engine):
    name = "torch"
    package = "torch"
    install = "pip install torch==2.13.0"

    def __init__(self) -> None:
        import torch

        torch.set_num_threads(1)  # 0-d tensors gain nothing from threads; the machine is shared
        self.torch = torch

    def leaf(self, x: float) -> Any:
        return self.torch.tensor(x, dtype=self.torch.float64, requires_grad=True)

    def grad(self, v: Any) -> float:
        return float(v.grad)

    def data(self, v: Any) -> float:
        return float(v.item())

    def optimizer(self, model: Model, lr: float) -> Optimizer:
        return TorchSGD(self, model.parameters(), lr)


class TorchSGD(Optimizer):
    """What torch.optim.SGD does for a list of 0-d tensors, without its per-call overhead."""

    def __init__(self, engine: Engine, params: list[Any], lr: float) -> None:
        super().__init__(engine, params, lr)
        self.no_grad = engine.torch.no_grad  # type: ignore[attr-defined]

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None  # as torch's own zero_grad(set_to_none=True)

    def step(self) -> None:
        with self.no_grad():
            for p in self.params:
                p -= self.lr * p.grad


class Floats(Engine):
    """Plain Python floats: the arithmetic alone, with nothing recorded (forward only)."""

    name = "floats"
    gradients = False

    def version(self) -> str:
        return ""

    def leaf(self, x: float) -> Any:
        return x

    def tanh(self, v: Any) -> Any:
        return math.tanh(v)

    def relu(self, v: Any) -> Any:
        return v if v > 0 else 0.0

    def data(self, v: Any) -> float:
        return float(v)

    def backward(self, root: Any) -> None:
        raise Unsupported("plain floats: forward only")


ENGINES: dict[str, type[Engine]] = {
    cls.name: cls for cls in (Ours, Floor, Micrograd, Torch, Floats)
}


def load(name: str) -> Engine:
    """The engine, or Unsupported saying how to install it when its package is missing."""
    cls = ENGINES[name]
    try:
        return cls()
    except ImportError as error:
        raise Unsupported(f"{name} is not installed ({cls.install}): {error}") from None


def _distribution_version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return ""
