"""Neuron, Layer, MLP: the source's worked neuron, shapes, names, seeds, initialisation."""

from __future__ import annotations

import math
import random

import mpmath as mp
import pytest

from autograd import Value, topological_order
from autograd.nn import MLP, Layer, Neuron, count_parameters, init_bound


def source_neuron(activation: str) -> Neuron:
    """The first source document's neuron: weights [0.8, 0.1, 0.3], bias 0.2."""
    neuron = Neuron(3, activation)
    neuron.load_state_dict({"w1": 0.8, "w2": 0.1, "w3": 0.3, "b": 0.2})
    return neuron


INPUTS = [0.6, 0.2, 0.9]


def test_source_neuron_weighted_sum_is_097() -> None:
    # 0.6*0.8 + 0.2*0.1 + 0.9*0.3 + 0.2 = 0.48 + 0.02 + 0.27 + 0.2
    assert source_neuron("linear")(INPUTS).data == pytest.approx(0.97, abs=1e-15)


def test_source_neuron_relu_and_sigmoid() -> None:
    assert source_neuron("relu")(INPUTS).data == pytest.approx(0.97, abs=1e-15)
    sigmoid_097 = float(1 / (1 + mp.exp(-mp.mpf("0.97"))))
    assert sigmoid_097 == pytest.approx(0.7251, abs=1e-4)
    assert source_neuron("sigmoid")(INPUTS).data == pytest.approx(sigmoid_097, rel=1e-14)


def test_source_neuron_backward_gives_the_inputs_times_sigmoid_slope() -> None:
    neuron = source_neuron("sigmoid")
    out = neuron([Value(x) for x in INPUTS])
    out.backward()
    slope = out.data * (1 - out.data)
    for w, x in zip(neuron.w, INPUTS):
        assert w.grad == pytest.approx(slope * x, rel=1e-12)
    assert neuron.b.grad == pytest.approx(slope, rel=1e-12)


def test_neuron_graph_is_one_product_per_input_and_one_sum() -> None:
    out = Neuron(5, "tanh")([1.0, 2.0, 3.0, 4.0, 5.0])
    ops = [node.op.name for node in topological_order([out]) if node.op is not None]
    assert sorted(ops) == sorted(["mul_const"] * 5 + ["sum", "tanh"])
    (total,) = out.parents
    assert len(total.parents) == 6  # five products and the bias


def test_linear_neuron_output_is_the_sum_node() -> None:
    out = Neuron(2, "linear")([1.0, 1.0])
    assert out.op is not None and out.op.name == "sum"


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
def test_weighted_sum_is_the_sum_before_the_activation(activation: str) -> None:
    neuron = source_neuron(activation)
    z = neuron.weighted_sum(INPUTS)
    assert z.data == pytest.approx(0.97, abs=1e-15)  # 0.48 + 0.02 + 0.27 + 0.2
    z.backward()  # a graph of its own: dz/dw_i = x_i, dz/db = 1
    assert [w.grad for w in neuron.w] == INPUTS and neuron.b.grad == 1.0
    expected = {"sigmoid": 1 / (1 + math.exp(-z.data)), "tanh": math.tanh(z.data)}
    assert neuron(INPUTS).data == pytest.approx(expected.get(activation, z.data), rel=1e-15)
    with pytest.raises(ValueError, match="expects 3 inputs, got 2"):
        neuron.weighted_sum([1.0, 2.0])


def test_layer_and_mlp_shapes() -> None:
    layer = Layer(3, 4, "relu")
    outs = layer([1.0, 2.0, 3.0])
    assert isinstance(outs, list) and len(outs) == 4
    assert all(isinstance(o, Value) for o in outs)
    assert isinstance(MLP(2, [3, 1])([1.0, 2.0]), Value)
    many = MLP(2, [3, 2])([Value(1.0), 2.0])
    assert isinstance(many, list) and len(many) == 2


def test_wrong_number_of_inputs_is_an_error() -> None:
    with pytest.raises(ValueError, match="expects 2 inputs, got 3"):
        MLP(2, [3, 1])([1.0, 2.0, 3.0])


def test_mlp_labels_follow_the_naming_contract() -> None:
    model = MLP(2, [3, 1], "sigmoid", "sigmoid")
    names = [name for name, _ in model.named_parameters()]
    assert names[:4] == ["L1.n1.w1", "L1.n1.w2", "L1.n1.b", "L1.n2.w1"]
    assert names[-4:] == ["L2.n1.w1", "L2.n1.w2", "L2.n1.w3", "L2.n1.b"]
    assert all(p.label == name for name, p in model.named_parameters())
    assert model.layers[0].neurons[1].w[2 - 1].label == "L1.n2.w2"
    out = model([0.0, 1.0])
    assert isinstance(out, Value) and out.label == "L2.n1"
    labels = {node.label for node in topological_order([out])}
    assert {"L1.n1", "L1.n2", "L1.n3"} <= labels


def test_standalone_layer_and_neuron_labels() -> None:
    layer = Layer(2, 2)
    assert [name for name, _ in layer.named_parameters()][:3] == ["n1.w1", "n1.w2", "n1.b"]
    assert [o.label for o in layer([1.0, 1.0])] == ["n1", "n2"]
    neuron = Neuron(2)
    assert [p.label for p in neuron.parameters()] == ["w1", "w2", "b"]
    assert neuron([1.0, 1.0]).label == "neuron"


def test_parameter_count_and_repr() -> None:
    model = MLP(2, [16, 16, 1])
    assert model.num_parameters() == 3 * 16 + 17 * 16 + 17 == 337
    assert count_parameters(2, [16, 16, 1]) == 337
    assert repr(model) == "MLP(2 -> 16 relu -> 16 relu -> 1 linear; 337 parameters)"
    assert repr(Layer(2, 3, "tanh")) == "Layer(2 -> 3 tanh; 9 parameters)"
    assert repr(Neuron(3, "sigmoid")) == "Neuron(3 -> 1 sigmoid; 4 parameters)"


def test_same_seed_same_weights_and_other_seed_other_weights() -> None:
    a, b, c = MLP(2, [4, 1], seed=7), MLP(2, [4, 1], seed=7), MLP(2, [4, 1], seed=8)
    assert a.state_dict() == b.state_dict()
    assert a.state_dict() != c.state_dict()
    assert MLP(2, [4, 1]).state_dict() == MLP(2, [4, 1], seed=0).state_dict()  # default 0


def test_a_random_instance_is_drawn_from() -> None:
    rng = random.Random(3)
    first, second = Neuron(3, seed=rng), Neuron(3, seed=rng)
    assert first.state_dict() != second.state_dict()  # the generator moved on
    replay = random.Random(3)
    assert [w.data for w in Neuron(3, seed=replay).w] == [w.data for w in first.w]


def test_layers_of_an_mlp_differ() -> None:
    model = MLP(2, [2, 2])
    assert [w.data for w in model.layers[0].neurons[0].w] != [
        w.data for w in model.layers[1].neurons[0].w
    ]


@pytest.mark.parametrize(
    ("activation", "fan_in", "fan_out", "expected"),
    [
        ("relu", 16, 4, math.sqrt(6 / 16)),  # He uniform
        ("leaky_relu", 2, 16, math.sqrt(3)),
        ("tanh", 3, 5, math.sqrt(6 / 8)),  # Glorot uniform
        ("linear", 16, 1, math.sqrt(6 / 17)),
        ("sigmoid", 2, 3, 2 * math.sqrt(6 / 5)),  # twice Glorot
    ],
)
def test_init_bounds(activation: str, fan_in: int, fan_out: int, expected: float) -> None:
    assert init_bound(activation, fan_in, fan_out) == pytest.approx(expected, rel=1e-15)


def test_weights_fill_their_range_and_biases_start_at_zero() -> None:
    layer = Layer(50, 40, "tanh", seed=1)
    bound = math.sqrt(6 / 90)
    weights = [w.data for n in layer.neurons for w in n.w]
    assert max(abs(w) for w in weights) <= bound
    assert max(weights) > 0.95 * bound and min(weights) < -0.95 * bound
    assert abs(sum(weights) / len(weights)) < 0.05 * bound
    assert all(n.b.data == 0.0 for n in layer.neurons)


def test_zero_grad_resets_parameters() -> None:
    model = MLP(2, [2, 1])
    out = model([1.0, -1.0])
    assert isinstance(out, Value)
    (out * out + 1.0).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())


def test_load_state_dict_rejects_wrong_names_without_changing_anything() -> None:
    model = MLP(2, [2, 1])
    before = model.state_dict()
    state = dict(before)
    del state["L1.n1.w1"]
    state["L9.n1.w1"] = 1.0
    with pytest.raises(ValueError, match=r"missing \['L1.n1.w1'\], unexpected \['L9.n1.w1'\]"):
        model.load_state_dict(state)
    bad_value = {name: 1.0 for name in before} | {"L2.n1.b": "0.5"}
    with pytest.raises(TypeError, match=r"L2\.n1\.b"):
        model.load_state_dict(bad_value)  # type: ignore[arg-type]
    assert model.state_dict() == before


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: MLP(0, [1]), ValueError),
        (lambda: MLP(2, []), TypeError),
        (lambda: MLP(2, [3, 0]), ValueError),
        (lambda: MLP(2.0, [1]), TypeError),
        (lambda: MLP(2, [1], activation="swish"), ValueError),
        (lambda: Layer(2, 2, "Relu"), ValueError),
        (lambda: Neuron(2, seed="1"), TypeError),
        (lambda: Neuron(True), TypeError),
    ],
)
def test_bad_arguments_raise_clear_errors(make: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        make()  # type: ignore[operator]


def test_unknown_activation_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match="linear, relu, leaky_relu, sigmoid, tanh, softplus"):
        Neuron(2, "gelu")


def test_pytorch_init_draws_weights_and_biases_within_one_over_sqrt_fan_in() -> None:
    model = MLP(4, [16, 3], activation="sigmoid", seed=5, init="pytorch")
    for layer, fan_in in zip(model.layers, (4, 16)):
        bound = 1 / math.sqrt(fan_in)
        params = [p.data for n in layer.neurons for p in n.parameters()]
        assert all(-bound <= v <= bound for v in params)
        assert max(abs(v) for v in params) > 0.8 * bound  # spread over the whole range
        assert all(n.b.data != 0.0 for n in layer.neurons)  # biases are drawn too
    scaled = MLP(4, [16, 3], activation="sigmoid", seed=5)
    assert all(n.b.data == 0.0 for layer in scaled.layers for n in layer.neurons)
    with pytest.raises(ValueError, match="unknown init 'xavier'"):
        Neuron(3, init="xavier")
