"""Sequential: modules in a row, so that a small CNN reads as it does in PyTorch.

    model = Sequential(
        Conv2d(1, 4, 3, padding=1, seed=0),
        ReLU(),
        MaxPool2d(2),
        Flatten(),
        Linear(64, 10, seed=1),
    )

Also the element-wise activations as modules (`ReLU`, `Tanh`, `Sigmoid`) and `Linear`
(a Layer without activation, started as PyTorch's nn.Linear). Sequential names its
modules "L1", "L2", ... (PyTorch counts "0", "1", ...), so a parameter is labelled
"L1.weight[0,0,1,1]" or "L5.n3.w7" and a drawing can box each layer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from ..engine import Operand, Value
from .modules import (
    MODEL_TYPES,
    Layer,
    Module,
    Seed,
    _check_count,
    _check_keys,
    _join,
    _ParameterFree,
)
from .shapes import shape_of


def _elementwise(function: Callable[[Value], Value], x: Any, name: str, index: str = "") -> Any:
    """function applied to every item of a nested list; each result labelled name[i,j,...]."""
    if isinstance(x, (list, tuple)):
        return [
            _elementwise(function, item, name, f"{index},{i}" if index else str(i))
            for i, item in enumerate(x)
        ]
    out = function(x if isinstance(x, Value) else Value(x))
    out.label = f"{name}[{index}]"
    return out


class _Activation(_ParameterFree):
    """An activation applied to every element of a nested list; no parameters."""

    function: Callable[[Value], Value] = staticmethod(Value.relu)
    kind = "relu"

    def __call__(self, x: Any) -> Any:
        return _elementwise(type(self).function, x, self.name)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class ReLU(_Activation):
    """max(0, x) for every element. Shape: any nested list, the same shape out."""

    function = staticmethod(Value.relu)
    kind = "relu"


class Tanh(_Activation):
    """tanh(x) for every element. Shape: any nested list, the same shape out."""

    function = staticmethod(Value.tanh)
    kind = "tanh"


class Sigmoid(_Activation):
    """sigmoid(x) for every element. Shape: any nested list, the same shape out."""

    function = staticmethod(Value.sigmoid)
    kind = "sigmoid"


class Linear(Layer):
    """y = W x + b without activation, started as PyTorch's nn.Linear (uniform in
    +-1/sqrt(in_features), weights and biases). Neuron j's weights are row j of W.

    Shape:
        - Input: `[in_features]`
        - Output: `[out_features]`
    """

    def __init__(
        self, in_features: int, out_features: int, seed: Seed = 0, *, name: str = "linear"
    ) -> None:
        super().__init__(in_features, out_features, "linear", seed, name=name, init="pytorch")

    def rename(self, name: str) -> None:
        """Relabel every parameter and output: "L5.n3.w7", "L5.n3.b", "L5.n3"."""
        self.name = name
        for j, neuron in enumerate(self.neurons, start=1):
            neuron.name = _join(name, f"n{j}")
            neuron._output_label = neuron.name
            for i, w in enumerate(neuron.w, start=1):
                w.label = _join(neuron.name, f"w{i}")
            neuron.b.label = _join(neuron.name, "b")

    def __call__(self, x: Sequence[Operand]) -> list[Value]:
        shape_of(x, 1, repr(self), f"a list [{self.nin}]")
        if len(x) != self.nin:
            raise ValueError(f"{self!r} expects a list [{self.nin}], got [{len(x)}]")
        return super().__call__(x)

    def architecture(self) -> dict[str, Any]:
        return {"in_features": self.nin, "out_features": self.nout}

    @classmethod
    def parameters_in(cls, architecture: dict[str, Any]) -> int:
        _check_keys(architecture, {"in_features", "out_features"})
        nin = _check_count(architecture["in_features"], "in_features")
        return (nin + 1) * _check_count(architecture["out_features"], "out_features")

    def __repr__(self) -> str:
        return f"Linear(in_features={self.nin}, out_features={self.nout})"


class Sequential(Module):
    """Modules in a row: the output of each is the input of the next.

    The modules are renamed "L1", "L2", ... (their parameters relabelled to match), so
    build each module for one Sequential only.

    Shape: the input shape of the first module; the output shape of the last.
    """

    def __init__(self, *modules: Module) -> None:
        if not modules:
            raise ValueError("Sequential needs at least one module")
        for module in modules:
            if not isinstance(module, Module) or not callable(module):
                raise TypeError(f"Sequential takes modules, got {type(module).__name__}")
        self.modules = list(modules)
        for k, module in enumerate(self.modules, start=1):
            rename = getattr(module, "rename", None)
            if rename is None:
                raise TypeError(f"{type(module).__name__} cannot be named inside a Sequential")
            rename(f"L{k}")

    def __call__(self, x: Any) -> Any:
        for module in self.modules:
            x = module(x)  # type: ignore[operator]  # checked callable in __init__
        return x

    def __getitem__(self, k: int) -> Module:
        return self.modules[k]

    def __len__(self) -> int:
        return len(self.modules)

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for module in self.modules:
            yield from module.named_parameters()

    def architecture(self) -> dict[str, Any]:
        return {
            "modules": [
                {"type": type(module).__name__, "architecture": module.architecture()}
                for module in self.modules
            ]
        }

    @staticmethod
    def _parts(architecture: dict[str, Any]) -> list[tuple[type[Module], dict[str, Any]]]:
        _check_keys(architecture, {"modules"})
        modules = architecture["modules"]
        if not isinstance(modules, list) or not modules:
            raise ValueError("'modules' must be a non-empty list")
        parts = []
        for k, part in enumerate(modules, start=1):
            if not isinstance(part, dict) or set(part) != {"type", "architecture"}:
                raise ValueError(f"module {k} must be an object with a type and an architecture")
            kind, inner = part["type"], part["architecture"]
            if not isinstance(kind, str) or kind not in MODEL_TYPES or kind == "Sequential":
                raise ValueError(f"module {k}: unknown module type {kind!r}")
            if not isinstance(inner, dict):
                raise ValueError(f"module {k}: the architecture must be an object")
            parts.append((MODEL_TYPES[kind], inner))
        return parts

    @classmethod
    def parameters_in(cls, architecture: dict[str, Any]) -> int:
        return sum(kind.parameters_in(inner) for kind, inner in cls._parts(architecture))

    @classmethod
    def from_architecture(cls, architecture: dict[str, Any]) -> Module:
        return cls(*(kind.from_architecture(inner) for kind, inner in cls._parts(architecture)))

    def __repr__(self) -> str:
        lines = [f"  ({k}): {module!r}" for k, module in enumerate(self.modules, start=1)]
        return "Sequential(\n" + "\n".join(lines) + "\n)"

    def summary(self) -> str:
        """One line per module: its name, what it is, and its parameter count."""
        rows = [
            f"L{k}  {module!r}  {module.num_parameters():,} parameters"
            for k, module in enumerate(self.modules, start=1)
        ]
        return "\n".join([*rows, f"total  {self.num_parameters():,} parameters"])
