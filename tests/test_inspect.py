"""inspect: node and operation counts, multiply-accumulates, depth, parameters; by hand."""

from __future__ import annotations

import random

import pytest
from networks import (
    NEURON_BIAS,
    NEURON_INPUTS,
    NEURON_WEIGHTS,
    make_layer,
    make_mlp_231,
    make_neuron,
    mlp_forward,
)

from autograd import Value
from autograd.viz.inspect import graph_stats, summary


@pytest.mark.slow
def test_one_1000_by_1000_layer_is_a_million_multiply_adds_per_sample() -> None:
    rng = random.Random(0)
    layer = make_layer(1000, 1000)
    x = [Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(1000)]
    outputs = layer(x)
    stats = graph_stats(outputs, parameters=layer)
    assert stats.macs == 1000 * 1000
    assert stats.op_counts == {"mul": 1000 * 1000, "sum": 1000, "relu": 1000}
    assert stats.parameters == 1000 * 1000 + 1000  # weights and biases
    assert stats.depth == 3  # product, sum (bias included), relu
    assert "multiply-accumulates  1,000,000" in stats.summary()


def test_the_source_neuron_counted_by_hand() -> None:
    x = [Value(v, label=f"x{i}") for i, v in enumerate(NEURON_INPUTS, 1)]
    neuron = make_neuron(NEURON_WEIGHTS, NEURON_BIAS, "n1", "sigmoid")
    y = neuron(x)
    stats = graph_stats(y, parameters=neuron)
    # leaves: 3 inputs, 3 weights, the bias; operations: 3 products, the sum (+b), sigmoid
    assert (stats.nodes, stats.leaves, stats.operations) == (12, 7, 5)
    assert stats.edges == 3 * 2 + 4 + 1
    assert stats.op_counts == {"mul": 3, "sum": 1, "sigmoid": 1}
    assert (stats.macs, stats.depth, stats.parameters) == (3, 3, 4)


def test_the_2_3_1_network_counted_by_hand() -> None:
    network = make_mlp_231(seed=0)
    out = mlp_forward([Value(1.0), Value(0.0)], network)
    stats = graph_stats(out, parameters=network)
    assert stats.macs == 2 * 3 + 3 * 1
    assert stats.parameters == (2 + 1) * 3 + (3 + 1) * 1
    assert stats.op_counts == {"mul": 9, "sum": 4, "sigmoid": 4}
    assert stats.depth == 6  # two neurons deep, three operations each


@pytest.mark.parametrize(
    ("build", "macs", "depth", "counts"),
    [
        # a chain of additions, micrograd style: the first adds two products, the next one
        (lambda a, b, c: (a * b + b * c) + c * a, 3, 3, {"mul": 3, "add": 2}),
        # a product that is not added up is no MAC
        (lambda a, b, c: (a * b).exp(), 0, 2, {"mul": 1, "exp": 1}),
        # products with a constant, added to a constant, subtracted: still MACs
        (
            lambda a, b, c: a * 2.0 + 1.0 - b * c,
            2,
            3,
            {"mul_const": 1, "add_const": 1, "mul": 1, "sub": 1},
        ),
        # the longest path counts, not the shortest: a -> exp -> sin -> add
        (lambda a, b, c: a + a.exp().sin(), 0, 3, {"add": 1, "exp": 1, "sin": 1}),
        # division and powers are not multiply-accumulates
        (lambda a, b, c: a / b + c**2, 0, 2, {"div": 1, "pow_const": 1, "add": 1}),
    ],
    ids=["chain", "lone-product", "constants", "longest-path", "no-mac-ops"],
)
def test_small_graphs_counted_by_hand(build, macs: int, depth: int, counts: dict) -> None:
    a, b, c = Value(1.5), Value(2.0), Value(0.5)
    stats = graph_stats(build(a, b, c))
    assert (stats.macs, stats.depth) == (macs, depth)
    assert stats.op_counts == counts
    assert stats.parameters is None


def test_a_leaf_alone() -> None:
    stats = graph_stats(Value(1.0))
    assert (stats.nodes, stats.leaves, stats.edges, stats.depth, stats.macs) == (1, 1, 0, 0, 0)
    assert "operations            none" in stats.summary()


class Model:
    def __init__(self, params: list[Value]) -> None:
        self.params = params

    def parameters(self) -> list[Value]:
        return self.params


def test_parameters_from_a_model_and_unused_ones() -> None:
    w, unused = Value(0.5, label="w"), Value(0.1, label="u")
    x = Value(2.0)
    stats = graph_stats(w * x + w, parameters=Model([w, unused, w]))
    assert (stats.parameters, stats.unused_parameters) == (1, 1)
    assert "parameters            1 (1 given but not used here)" in stats.summary()
    with pytest.raises(TypeError, match="float"):
        graph_stats(w * x, parameters=[0.5])  # type: ignore[list-item]


def test_the_summary_table() -> None:
    a, b = Value(1.0), Value(2.0)
    text = summary(a * b + b, parameters=[a])
    assert text.splitlines() == [
        "nodes                 4 (2 leaves, 2 operations)",
        "edges                 4",
        "depth                 2 operations on the longest path",
        "multiply-accumulates  1",
        "parameters            1",
        "operations            mul 1, add 1",
    ]
