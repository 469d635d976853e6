"""Neural networks made of Values: Module, Neuron, Layer, MLP.

A Neuron computes `activation(w1*x1 + ... + wn*xn + b)`: one product node per input
and one sum node (bias included), so a drawing shows each multiply-accumulate.
A Layer is neurons side by side on the same inputs; an MLP is layers in a row.

Every constructor takes `seed`: an int (default 0, so a notebook gives the same numbers
on every run), a `random.Random` to draw from (an MLP passes one to all its layers),
or None for fresh randomness. Weights start uniform in [-bound, bound] with the bound
chosen by the activation (see `init_bound`); biases start at 0. `init="pytorch"` starts
weights and biases as PyTorch's nn.Linear does instead, to compare with its runs.

Names: in an MLP, layers count from 1 (L1 is the first layer after the inputs),
neurons and weights from 1 (w3 multiplies input 3). A parameter's `.label` is its
name in `named_parameters()`, e.g. "L1.n2.w3" and "L1.n2.b", and every forward pass
labels each neuron's output "L1.n2". A standalone Layer uses "n2.w3", "n2.b", "n2";
a standalone Neuron "w3", "b" and "neuron".
"""

from __future__ import annotations

import math
import operator
import os
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from .. import functional as F
from ..engine import Operand, Value, _constant
from .saving import ModelFileError, read_json, write_json

Seed = int | random.Random | None
M = TypeVar("M", bound="Module")

ACTIVATIONS: dict[str, Callable[[Value], Value]] = {
    "linear": lambda z: z,
    "relu": Value.relu,
    "leaky_relu": Value.leaky_relu,  # slope 0.01, as in PyTorch
    "sigmoid": Value.sigmoid,
    "tanh": Value.tanh,
    "softplus": Value.softplus,
}

# "scaled": the bound of init_bound(), biases 0. "pytorch": nn.Linear's default, weights
# and biases uniform in +-1/sqrt(fan_in), to compare with the source notes' PyTorch runs.
INITS = ("scaled", "pytorch")

# Model files (see `Module.save`): version 2 holds any model and names its type; version 1
# files held an MLP, under the format name "glassgrad-mlp" (or, before the distribution was
# renamed, "scalargrad-mlp"), and still load.
FORMAT = "glassgrad-model"
VERSION = 2
OLDER_FORMATS = {"glassgrad-mlp": 1, "scalargrad-mlp": 1}

MODEL_TYPES: dict[str, type[Module]] = {}
"""Every Module subclass by its class name: the "type" a model file names."""


def init_bound(activation: str, fan_in: int, fan_out: int = 1) -> float:
    """Weights start uniform in [-bound, bound]; the bound depends on the activation.

    - relu, leaky_relu, softplus: He (Kaiming) uniform, sqrt(6 / fan_in). Relu zeroes
      half of its inputs, so the weights are larger to keep signals from shrinking.
    - tanh, linear: Glorot (Xavier) uniform, sqrt(6 / (fan_in + fan_out)).
    - sigmoid: twice Glorot. sigmoid(z) = (1 + tanh(z / 2)) / 2, so a sigmoid unit with
      weights 2w is a tanh unit with weights w, its output halved and shifted.
      Smaller weights leave every hidden unit near sigmoid(0) = 0.5 doing the same
      thing, which is how small sigmoid nets stall (see the README on XOR).
    """
    _check_activation(activation)
    if activation in ("relu", "leaky_relu", "softplus"):
        return math.sqrt(6.0 / fan_in)
    glorot = math.sqrt(6.0 / (fan_in + fan_out))
    return 2.0 * glorot if activation == "sigmoid" else glorot


def make_rng(seed: Seed) -> random.Random:
    """A random.Random from a seed: an int, a Random (used as is) or None (unseeded)."""
    if isinstance(seed, random.Random):
        return seed
    if seed is None:
        return random.Random()
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, a random.Random or None, got {type(seed).__name__}")
    return random.Random(seed)


def _check_activation(name: object) -> None:
    if not isinstance(name, str) or name not in ACTIVATIONS:
        known = ", ".join(ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}; choose one of: {known}")


def _check_init(init: object) -> str:
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of: {', '.join(INITS)}")
    return str(init)


def _check_count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{what} must be at least 1, got {value}")
    return value


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


class Module:
    """Anything with parameters: lists them, resets their gradients, saves their values.

    Saving: `save(path)` writes a versioned JSON file naming the model's type, its
    `architecture()` and every parameter, floats exactly; `Type.load(path)` rebuilds it
    (and `Module.load` any type). A subclass that can be saved defines `architecture()`
    (its constructor arguments but the seed) and `parameters_in(architecture)` (checks
    them and says how many parameters they make, before anything is built).
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__name__.startswith("_"):
            MODEL_TYPES[cls.__name__] = cls

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        """(name, parameter) pairs, in a fixed order; each name equals the parameter's label."""
        raise NotImplementedError

    def parameters(self) -> list[Value]:
        """Every parameter (a leaf Value), in the order of named_parameters()."""
        return [p for _, p in self.named_parameters()]

    def num_parameters(self) -> int:
        return len(self.parameters())

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (they accumulate across backward calls)."""
        for p in self.parameters():
            p.grad = 0.0

    def state_dict(self) -> dict[str, float]:
        """{name: value} of every parameter: a snapshot that load_state_dict restores."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, float]) -> None:
        """Set every parameter from `state`, which must name each one exactly once.

        Missing or unexpected names raise ValueError, a value that is not a real number
        TypeError; either way no parameter is changed.
        """
        if not isinstance(state, Mapping):
            raise TypeError(f"state must be a mapping of names to numbers, got {type(state)}")
        params = dict(self.named_parameters())
        missing = [name for name in params if name not in state]
        unexpected = [name for name in state if name not in params]
        if missing or unexpected:
            raise ValueError(
                f"state does not match the parameters: missing {_shorten(missing)}, "
                f"unexpected {_shorten(unexpected)}"
            )
        # Convert every value before assigning any, so that a bad one changes nothing.
        converted = {}
        for name in params:
            try:
                number = _constant(state[name])
            except TypeError:  # a bool
                number = None
            if number is None:
                raise TypeError(f"state[{name!r}] must be a real number, got {type(state[name])}")
            converted[name] = number
        before = {name: p.data for name, p in params.items()}
        try:
            for name, p in params.items():
                p.data = converted[name]
        except BaseException:  # Ctrl-C mid-way: all or nothing, as backward()
            for name, p in params.items():
                p.data = before[name]
            raise

    def architecture(self) -> dict[str, Any]:
        """The constructor arguments that rebuild this module (all but the seed)."""
        raise NotImplementedError(f"{type(self).__name__} cannot be saved")

    @classmethod
    def parameters_in(cls, architecture: dict[str, Any]) -> int:
        """How many parameters `architecture` makes; TypeError/ValueError if it is not valid."""
        raise NotImplementedError(f"{cls.__name__} cannot be loaded")

    @classmethod
    def from_architecture(cls, architecture: dict[str, Any]) -> Module:
        """A new module built from `architecture` (checked by parameters_in first)."""
        return cls(**architecture)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write type, architecture and weights to a versioned JSON file, every float exactly.

        The file is written under a temporary name and then renamed over `path`, so a
        crash leaves either the old file or the new one, never half of one. A network
        with a NaN or infinite weight is refused (ValueError): it has diverged.
        """
        state = self.state_dict()
        for name, value in state.items():
            if not math.isfinite(value):
                raise ValueError(f"cannot save: parameter {name} is {value} (training diverged)")
        document = {
            "format": FORMAT,
            "version": VERSION,
            "type": type(self).__name__,
            "architecture": self.architecture(),
            "parameters": state,
        }
        write_json(path, document)

    @classmethod
    def load(cls: type[M], path: str | os.PathLike[str]) -> M:
        """Rebuild a model saved by `save`: `MLP.load`, `Sequential.load`, ... or `Module.load`
        for whatever type the file holds.

        A file that is not a complete, valid model file (truncated, garbled, another
        format or version, a model of another type, wrong shapes or names, numbers that
        are not finite, huge sizes that its weights do not back up) raises
        ModelFileError naming the file and the problem. Nothing in the file is executed.
        """
        document = read_json(path, FORMAT, VERSION, older=OLDER_FORMATS)

        def bad(problem: str) -> ModelFileError:
            return ModelFileError(f"{os.fspath(path)}: {problem}")

        kind = document.get("type") if document["format"] == FORMAT else "MLP"
        if not isinstance(kind, str) or kind not in MODEL_TYPES:
            raise bad(f"unknown model type {kind!r}; known: {', '.join(sorted(MODEL_TYPES))}")
        target = MODEL_TYPES[kind]
        if not issubclass(target, cls):
            raise bad(
                f"the file holds a {kind}, not a {cls.__name__}: load it with {kind}.load() "
                "or Module.load()"
            )
        architecture = document.get("architecture")
        parameters = document.get("parameters")
        if not isinstance(architecture, dict) or not isinstance(parameters, dict):
            raise bad("needs an 'architecture' object and a 'parameters' object")
        # Check the size before building anything: a hostile file could ask for 10**12
        # neurons, but it cannot hold 10**12 weights.
        try:
            expected = target.parameters_in(architecture)
        except (TypeError, ValueError, NotImplementedError) as error:
            raise bad(f"bad architecture: {error}") from None
        if len(parameters) != expected:
            raise bad(f"the architecture has {expected} parameters, the file {len(parameters)}")
        for name, value in parameters.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise bad(f"parameter {name!r} is not a number: {value!r}")
            if isinstance(value, int) and not -(2**1024) < value < 2**1024:
                raise bad(f"parameter {name!r} is an integer too large for a float")
            if not math.isfinite(value):
                raise bad(f"parameter {name!r} is not finite: {value!r}")
        try:
            model = target.from_architecture(architecture)
        except (TypeError, ValueError) as error:
            raise bad(f"bad architecture: {error}") from None
        try:
            model.load_state_dict(parameters)
        except ValueError as error:
            raise bad(str(error)) from None
        assert isinstance(model, cls)
        return model


class _ParameterFree(Module):
    """A module without parameters (a pool, an activation, Flatten): its architecture is
    its constructor's arguments alone; `name` prefixes the labels of its outputs."""

    kind = "module"

    def __init__(self, *, name: str = "") -> None:
        self.name = name or self.kind

    def rename(self, name: str) -> None:
        self.name = name

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        return iter(())

    def architecture(self) -> dict[str, Any]:
        return {}

    @classmethod
    def parameters_in(cls, architecture: dict[str, Any]) -> int:
        _check_keys(architecture, set())
        return 0


def _check_keys(architecture: Mapping[str, Any], keys: set[str]) -> None:
    if set(architecture) != keys:
        raise ValueError(f"the architecture must have exactly the keys {sorted(keys)}")


def _shorten(names: list[str], most: int = 5) -> str:
    shown = ", ".join(repr(n) for n in names[:most])
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return f"[{shown}{more}]"


class Neuron(Module):
    """activation(w . x + b) for `nin` inputs.

    `fan_out` (how many neurons share these inputs: the layer's width) only sets the
    initial scale; `init` chooses it (see INITS); `name` is the prefix of the labels (a
    Layer passes "n2" or "L1.n2").
    """

    def __init__(
        self,
        nin: int,
        activation: str = "relu",
        seed: Seed = 0,
        *,
        fan_out: int = 1,
        name: str = "",
        init: str = "scaled",
    ) -> None:
        self.nin = _check_count(nin, "nin")
        _check_activation(activation)
        self.activation = activation
        self.name = name
        rng = make_rng(seed)
        if _check_init(init) == "pytorch":
            bound = 1.0 / math.sqrt(nin)
        else:
            bound = init_bound(activation, nin, _check_count(fan_out, "fan_out"))
        self.w = [
            Value(rng.uniform(-bound, bound), _join(name, f"w{i}")) for i in range(1, nin + 1)
        ]
        bias = rng.uniform(-bound, bound) if init == "pytorch" else 0.0
        self.b = Value(bias, _join(name, "b"))
        self._activate = ACTIVATIONS[activation]
        self._output_label = name or "neuron"

    def __call__(self, x: Sequence[Operand]) -> Value:
        out = self._activate(self.weighted_sum(x))
        out.label = self._output_label
        return out

    def weighted_sum(self, x: Sequence[Operand]) -> Value:
        """z = w . x + b: what the neuron computes before its activation (a new Value,
        recorded like any other, so it can be printed, drawn or differentiated).

        >>> neuron = Neuron(3, "sigmoid")
        >>> neuron.load_state_dict({"w1": 0.8, "w2": 0.1, "w3": 0.3, "b": 0.2})
        >>> round(neuron.weighted_sum([0.6, 0.2, 0.9]).data, 4)
        0.97
        """
        if len(x) != self.nin:
            raise ValueError(f"{self._output_label} expects {self.nin} inputs, got {len(x)}")
        # One product per input and ONE sum node (bias included): w . x + b.
        return F.sum([*map(operator.mul, self.w, x), self.b])

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for i, wi in enumerate(self.w, start=1):
            yield _join(self.name, f"w{i}"), wi
        yield _join(self.name, "b"), self.b

    def __repr__(self) -> str:
        return f"Neuron({self.nin} -> 1 {self.activation}; {self.num_parameters()} parameters)"


class Layer(Module):
    """`nout` neurons on the same `nin` inputs; called on a list, returns a list of Values."""

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "relu",
        seed: Seed = 0,
        *,
        name: str = "",
        init: str = "scaled",
    ) -> None:
        self.nin = _check_count(nin, "nin")
        self.nout = _check_count(nout, "nout")
        self.activation = activation
        self.name = name
        rng = make_rng(seed)
        self.neurons = [
            Neuron(nin, activation, rng, fan_out=nout, name=_join(name, f"n{j}"), init=init)
            for j in range(1, nout + 1)
        ]

    def __call__(self, x: Sequence[Operand]) -> list[Value]:
        return [neuron(x) for neuron in self.neurons]

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for neuron in self.neurons:
            yield from neuron.named_parameters()

    def __repr__(self) -> str:
        return (
            f"Layer({self.nin} -> {self.nout} {self.activation}; "
            f"{self.num_parameters()} parameters)"
        )


def count_parameters(nin: int, sizes: Sequence[int]) -> int:
    """How many parameters an MLP(nin, sizes) has: (inputs + 1 bias) per neuron."""
    fan_ins = [nin, *sizes[:-1]]
    return sum((fan_in + 1) * size for fan_in, size in zip(fan_ins, sizes))


class MLP(Module):
    """Layers in a row: MLP(2, [16, 16, 1]) has inputs 2, two hidden layers of 16, 1 output.

    Hidden layers use `activation`, the last layer `output_activation` ("linear" gives
    raw scores, "sigmoid" probabilities). `init` is "scaled" or "pytorch" (see INITS).
    Calling it returns one Value when the last layer has one neuron, else a list.
    For a precise static type, call `output(x)` (one Value: the last layer has one
    neuron) or `outputs(x)` (always a list), so `model.output(x).backward()` passes mypy.
    """

    def __init__(
        self,
        nin: int,
        sizes: Sequence[int],
        activation: str = "relu",
        output_activation: str = "linear",
        seed: Seed = 0,
        *,
        init: str = "scaled",
    ) -> None:
        _check_architecture(nin, sizes, activation, output_activation)
        self.nin = nin
        self.sizes = list(sizes)
        self.activation = activation
        self.output_activation = output_activation
        rng = make_rng(seed)
        fan_ins = [nin, *self.sizes[:-1]]
        last = len(self.sizes)
        self.layers = [
            Layer(
                fan_in,
                size,
                output_activation if k == last else activation,
                rng,
                name=f"L{k}",
                init=init,
            )
            for k, (fan_in, size) in enumerate(zip(fan_ins, self.sizes), start=1)
        ]

    def __call__(self, x: Sequence[Operand]) -> Value | list[Value]:
        out = self.outputs(x)
        return out[0] if len(out) == 1 else out

    def output(self, x: Sequence[Operand]) -> Value:
        """The network's one output; a ValueError if its last layer has several neurons."""
        if self.sizes[-1] != 1:
            raise ValueError(
                f"output() needs a network with one output, this one has {self.sizes[-1]}: "
                "use outputs()"
            )
        return self.outputs(x)[0]

    def outputs(self, x: Sequence[Operand]) -> list[Value]:
        """Every output of the network, as a list (of one Value, for a single output)."""
        values: Sequence[Operand] = x
        for layer in self.layers:
            values = layer(values)
        return list(values)  # type: ignore[arg-type]  # the loop ran at least once

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for layer in self.layers:
            yield from layer.named_parameters()

    def __repr__(self) -> str:
        shape = " -> ".join(
            [str(self.nin)] + [f"{layer.nout} {layer.activation}" for layer in self.layers]
        )
        return f"MLP({shape}; {self.num_parameters()} parameters)"

    # --- saving and loading (the file format is Module's) ---

    def architecture(self) -> dict[str, Any]:
        """The constructor arguments that rebuild this network (all but the seed)."""
        return {
            "nin": self.nin,
            "sizes": list(self.sizes),
            "activation": self.activation,
            "output_activation": self.output_activation,
        }

    @classmethod
    def parameters_in(cls, architecture: dict[str, Any]) -> int:
        _check_keys(architecture, {"nin", "sizes", "activation", "output_activation"})
        _check_architecture(**architecture)
        return count_parameters(architecture["nin"], architecture["sizes"])


def _check_architecture(
    nin: object, sizes: object, activation: object, output_activation: object
) -> None:
    _check_count(nin, "nin")
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or not sizes:
        raise TypeError(f"sizes must be a non-empty list of layer widths, got {sizes!r}")
    for k, size in enumerate(sizes, start=1):
        _check_count(size, f"the size of layer {k}")
    _check_activation(activation)
    _check_activation(output_activation)
