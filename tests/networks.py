"""The networks the drawing and counting tests look at, built with autograd.nn.

nn labels parameters "L1.n2.w3" and "L1.n2.b" (layers, neurons and weights numbered from
1) and each neuron's output "L1.n2"; a Neuron given name="n1" uses "n1.w3", "n1.b", "n1".
Each neuron is `activation(sum(w1*x1, ..., wn*xn, b))`: one product per input, ONE sum
node (bias included), the activation.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd import MLP, Layer, Neuron, Value

# The source notes' neuron: three inputs, weights, a bias, sigmoid (weighted sum 0.97).
NEURON_INPUTS = (0.6, 0.2, 0.9)
NEURON_WEIGHTS = (0.8, 0.1, 0.3)
NEURON_BIAS = 0.2


def make_neuron(weights: Sequence[float], bias: float, name: str, activation: str) -> Neuron:
    """A Neuron with the given weights and bias instead of random ones."""
    neuron = Neuron(len(weights), activation, name=name)
    for w, value in zip(neuron.w, weights):
        w.data = value
    neuron.b.data = bias
    return neuron


def make_mlp_231(seed: int = 0) -> MLP:
    """The XOR network of the source notes: 2 inputs, 3 hidden, 1 output, all sigmoid."""
    return MLP(2, [3, 1], activation="sigmoid", output_activation="sigmoid", seed=seed)


def mlp_forward(inputs: Sequence[Value | float], model: MLP) -> Value:
    out = model(inputs)
    assert isinstance(out, Value)
    return out


def make_layer(nin: int, nout: int, seed: int = 0) -> Layer:
    return Layer(nin, nout, activation="relu", seed=seed)
