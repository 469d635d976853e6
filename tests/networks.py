"""Networks built by hand, labelled the way autograd.nn labels them.

A network's parameters are "L1.n2.w3" and "L1.n2.b" (layers, neurons and weights numbered
from 1) and each neuron's output in a forward pass is "L1.n2"; a standalone layer drops the
"L1." prefix. Each neuron is `activation(dot(w, x) + b)`: one product per input, one sum
node, one addition, the activation.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from autograd import Value, dot

Input = Value | float
Neuron = tuple[list[Value], Value]  # weights, bias

# The source notes' neuron: three inputs, weights, a bias, sigmoid (weighted sum 0.97).
NEURON_INPUTS = (0.6, 0.2, 0.9)
NEURON_WEIGHTS = (0.8, 0.1, 0.3)
NEURON_BIAS = 0.2


def make_neuron(weights: Sequence[float], bias: float, name: str) -> Neuron:
    w = [Value(wi, label=f"{name}.w{i}") for i, wi in enumerate(weights, 1)]
    return w, Value(bias, label=f"{name}.b")


def fire(inputs: Sequence[Input], neuron: Neuron, name: str, activation: str) -> Value:
    """activation(dot(w, x) + b), its output labelled `name`."""
    w, b = neuron
    total = dot(w, inputs) + b
    out: Value = getattr(total, activation)() if activation != "linear" else total
    out.label = name
    return out


def make_layer(nin: int, nout: int, rng: random.Random, prefix: str = "") -> list[Neuron]:
    return [
        make_neuron([rng.uniform(-1, 1) for _ in range(nin)], rng.uniform(-1, 1), f"{prefix}n{j}")
        for j in range(1, nout + 1)
    ]


def layer_forward(
    inputs: Sequence[Input], layer: list[Neuron], prefix: str = "", activation: str = "relu"
) -> list[Value]:
    return [fire(inputs, neuron, f"{prefix}n{j}", activation) for j, neuron in enumerate(layer, 1)]


def make_mlp_231(seed: int = 0) -> list[list[Neuron]]:
    """The XOR network of the source notes: 2 inputs, 3 hidden, 1 output."""
    rng = random.Random(seed)
    return [make_layer(2, 3, rng, "L1."), make_layer(3, 1, rng, "L2.")]


def mlp_forward(inputs: Sequence[Input], layers: list[list[Neuron]]) -> Value:
    """Every layer with sigmoid, as in the source notes; returns the single output."""
    values: Sequence[Input] = inputs
    for k, layer in enumerate(layers, 1):
        values = layer_forward(values, layer, f"L{k}.", "sigmoid")
    (out,) = values
    assert isinstance(out, Value)
    return out


def parameters(layers: list[list[Neuron]]) -> list[Value]:
    return [p for layer in layers for w, b in layer for p in (*w, b)]
