"""Conv2d, the pools, Flatten, Sequential, RNN and LSTM without PyTorch: gradcheck, the
max rule and its ties, shapes and their errors, initialisation, saving and loading."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any

import pytest
from layer_cases import as_function, flat, values

from autograd import Value, graph_stats
from autograd import max as vmax
from autograd.nn import (
    LSTM,
    MLP,
    RNN,
    AvgPool2d,
    Conv2d,
    Flatten,
    Linear,
    MaxPool2d,
    ModelFileError,
    Module,
    ReLU,
    Sequential,
    Tanh,
    saving,
)
from autograd.testing import gradcheck

# --- gradcheck: every weight and every input, central differences, no torch ---

LAYERS: dict[str, tuple[Any, tuple[int, ...]]] = {
    "conv stride 1 padding 0": (Conv2d(2, 2, 2, seed=1), (2, 3, 3)),
    "conv stride 2 padding 1": (Conv2d(1, 2, 3, stride=2, padding=1, seed=2), (1, 4, 4)),
    "max pool": (MaxPool2d(2), (2, 4, 4)),
    "max pool, overlapping windows": (MaxPool2d(2, 1), (1, 3, 3)),
    "avg pool": (AvgPool2d(2, 1), (2, 3, 3)),
    "rnn": (RNN(2, 3, seed=3), (4, 2)),
    "rnn relu": (RNN(2, 2, "relu", seed=4), (3, 2)),
    "lstm": (LSTM(2, 2, seed=5), (3, 2)),
    "small cnn": (
        Sequential(
            Conv2d(1, 2, 3, padding=1, seed=6), Tanh(), MaxPool2d(2), Flatten(), Linear(8, 2)
        ),
        (1, 4, 4),
    ),
}


@pytest.mark.parametrize("case", list(LAYERS))
def test_gradcheck_passes_on_every_weight_and_input(case: str) -> None:
    layer, shape = LAYERS[case]
    x = values(shape, random.Random(11))
    call = (lambda m, v: m(v)[0]) if isinstance(layer, (RNN, LSTM)) else None
    f, point = as_function(layer, x, call)
    assert gradcheck(f, point).passed


# --- the max operation and its tie rule ---


def test_max_sends_the_whole_gradient_to_the_winner() -> None:
    xs = [Value(0.3), Value(2.5), Value(-1.0)]
    m = vmax(xs)
    (m * 3.0).backward()
    assert m.data == 2.5
    assert [x.grad for x in xs] == [0.0, 3.0, 0.0]


def test_ties_go_to_the_first_largest_input_as_in_pytorch_max_pool() -> None:
    xs = [Value(1.0), Value(4.0), Value(4.0), Value(4.0)]
    vmax(xs).backward()
    assert [x.grad for x in xs] == [0.0, 1.0, 0.0, 0.0]
    # In a pooling window the order is row-major: the top-left of the tied values wins.
    image = [[[Value(0.0), Value(5.0)], [Value(5.0), Value(5.0)]]]
    (out,) = MaxPool2d(2)(image)[0][0]
    out.backward()
    assert [v.grad for v in flat(image)] == [0.0, 1.0, 0.0, 0.0]


def test_a_nan_in_the_window_wins_as_in_pytorch() -> None:
    xs = [Value(1.0), Value(math.nan), Value(9.0), Value(math.nan)]
    m = vmax(xs)
    m.backward()
    assert math.isnan(m.data)
    assert [x.grad for x in xs] == [0.0, 0.0, 0.0, 1.0]  # the last NaN, as PyTorch's kernel


def test_max_of_plain_numbers_and_of_nothing() -> None:
    assert vmax([1, 3.5, Value(2.0)]).data == 3.5
    with pytest.raises(ValueError, match="empty"):
        vmax([])


# --- shapes ---


def test_output_shapes_follow_pytorch() -> None:
    image = values((3, 7, 9), random.Random(0))
    out = Conv2d(3, 5, 3, stride=2, padding=1)(image)
    assert (len(out), len(out[0]), len(out[0][0])) == (5, 4, 5)
    pooled = MaxPool2d(3, 2)(image)
    assert (len(pooled), len(pooled[0]), len(pooled[0][0])) == (3, 3, 4)
    assert len(Flatten()(image)) == 3 * 7 * 9
    outputs, h_n = RNN(9, 4)(image[0])
    assert (len(outputs), len(outputs[0]), len(h_n)) == (7, 4, 4)
    outputs, (h_n, c_n) = LSTM(9, 2)(image[0])
    assert (len(outputs), len(outputs[0]), len(h_n), len(c_n)) == (7, 2, 2, 2)


def test_flatten_is_row_major_and_makes_no_nodes() -> None:
    image = values((2, 2, 3), random.Random(0))
    flat_list = Flatten()(image)
    assert flat_list == [v for channel in image for row in channel for v in row]


BAD_SHAPES = {
    "channels": (
        Conv2d(3, 2, 3),
        (2, 5, 5),
        r"Conv2d\(3, 2, kernel_size=3\) expects an image "
        r"\[3\]\[height\]\[width\], got \[2\]\[5\]\[5\]",
    ),
    "kernel larger than the padded input": (
        Conv2d(1, 1, 5, padding=1),
        (1, 2, 2),
        r"padded size is at least the kernel 5x5, got "
        r"\[1\]\[2\]\[2\] \(padded to 4x4\)",
    ),
    "pool larger than the input": (
        MaxPool2d(3),
        (1, 2, 2),
        r"MaxPool2d\(kernel_size=3\).*"
        r"kernel 3x3, got \[1\]\[2\]\[2\]",
    ),
    "rnn features": (
        RNN(3, 2),
        (4, 2),
        r"RNN\(3, 2\) expects a sequence \[time\]\[3\], got "
        r"\[4\]\[2\]",
    ),
    "lstm flat list": (
        LSTM(3, 2),
        (3,),
        r"LSTM\(3, 2\) expects a sequence \[time\]\[3\], got "
        r"a list of shape \[3\]",
    ),
    "linear": (
        Linear(4, 2),
        (3,),
        r"Linear\(in_features=4, out_features=2\) expects a list "
        r"\[4\], got \[3\]",
    ),
}


@pytest.mark.parametrize("case", list(BAD_SHAPES))
def test_wrong_shapes_name_the_layer_and_both_shapes(case: str) -> None:
    layer, shape, message = BAD_SHAPES[case]
    with pytest.raises(ValueError, match=message):
        layer(values(shape, random.Random(0)))


@pytest.mark.parametrize(
    "layer", [Conv2d(1, 1, 2), MaxPool2d(2), AvgPool2d(2)], ids=["conv", "max", "avg"]
)
def test_a_ragged_image_is_a_value_error_not_an_index_error(layer: Any) -> None:
    ragged = [[[1.0, 2.0, 3.0], [4.0, 5.0]]]
    with pytest.raises(
        ValueError,
        match=r"expects an image .*ragged list: lists at depth 2 have "
        r"lengths \[2, 3\]",
    ):
        layer(ragged)
    with pytest.raises(ValueError, match=r"got str items"):
        layer([[["a", "b"], ["c", "d"]]])


def test_a_ragged_sequence_and_a_wrong_state_are_value_errors() -> None:
    with pytest.raises(ValueError, match=r"RNN\(2, 3\) expects a sequence .*ragged"):
        RNN(2, 3)([[1.0, 2.0], [3.0]])
    with pytest.raises(ValueError, match=r"RNN\(2, 3\) expects h0 \[3\], got \[2\]"):
        RNN(2, 3)([[1.0, 2.0]], [0.0, 0.0])
    with pytest.raises(ValueError, match=r"LSTM\(2, 3\) expects c0 \[3\], got \[4\]"):
        LSTM(2, 3)([[1.0, 2.0]], ([0.0] * 3, [0.0] * 4))


def test_bad_constructor_arguments() -> None:
    with pytest.raises(ValueError, match="kernel_size must be at least 1"):
        Conv2d(1, 1, 0)
    with pytest.raises(TypeError, match="kernel_size must be an int or a pair"):
        Conv2d(1, 1, 2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="nonlinearity must be"):
        RNN(1, 1, "sigmoid")
    with pytest.raises(ValueError, match="at least one module"):
        Sequential()


# --- initialisation, names, counts ---


def test_initialisation_is_pytorchs_default_bound_and_seeded() -> None:
    conv = Conv2d(2, 3, 3, seed=0)
    bound = 1 / math.sqrt(2 * 3 * 3)
    assert all(abs(p.data) <= bound for p in conv.parameters())
    assert max(abs(p.data) for p in conv.parameters()) > 0.9 * bound
    lstm = LSTM(4, 5, seed=0)
    assert all(abs(p.data) <= 1 / math.sqrt(5) for p in lstm.parameters())
    assert Conv2d(2, 3, 3, seed=0).state_dict() == conv.state_dict()
    assert Conv2d(2, 3, 3, seed=1).state_dict() != conv.state_dict()


def test_parameters_are_laid_out_and_named_as_in_pytorch() -> None:
    lstm = LSTM(3, 2)
    assert len(lstm.weight_ih) == 8 and len(lstm.weight_ih[0]) == 3  # (4 * hidden, input)
    assert len(lstm.weight_hh) == 8 and len(lstm.weight_hh[0]) == 2
    assert lstm.num_parameters() == 4 * 2 * (3 + 2 + 2)
    model = Sequential(Conv2d(1, 2, 3), ReLU(), Flatten(), Linear(2, 1))
    names = [name for name, _ in model.named_parameters()]
    assert names[0] == "L1.weight[0,0,0,0]" and names[18] == "L1.bias[0]"
    assert names[-1] == "L4.n1.b"
    assert all(p.label == name for name, p in model.named_parameters())


def test_conv_macs_are_counted_by_hand() -> None:
    # A 2x2 kernel on a 3x3 image: 4 outputs of 4 products each; padding 1 gives a 4x4
    # output whose corners see 1 pixel, edges 2 and the middle 4: 4*1 + 8*2 + 4*4 = 36.
    image = values((1, 3, 3), random.Random(0))
    assert graph_stats(Conv2d(1, 1, 2)(image)[0][0][0]).macs == 4
    assert graph_stats(Flatten()(Conv2d(1, 1, 2)(image))).macs == 16
    assert graph_stats(Flatten()(Conv2d(1, 1, 2, padding=1)(image))).macs == 36
    # Two input channels, three filters: every product counted once.
    image2 = values((2, 3, 3), random.Random(1))
    assert graph_stats(Flatten()(Conv2d(2, 3, 2)(image2))).macs == 3 * 4 * (2 * 4)


def test_a_filter_weight_is_one_leaf_whose_gradient_sums_every_position() -> None:
    conv = Conv2d(1, 1, 2, seed=0)
    image = values((1, 3, 3), random.Random(2))
    out = Flatten()(conv(image))
    total = out[0] + out[1] + out[2] + out[3]
    total.backward()
    w = conv.weight[0][0][1][0]  # the kernel's bottom-left weight
    # d(total)/dw: the pixel under it at each of the 4 positions.
    expected = sum(image[0][y + 1][x].data for y in range(2) for x in range(2))
    assert w.grad == pytest.approx(expected, rel=1e-15)


# --- saving and loading ---


MODELS = {
    "cnn": lambda: Sequential(
        Conv2d(1, 2, 3, padding=1, seed=1), ReLU(), MaxPool2d(2), Flatten(), Linear(8, 3, seed=2)
    ),
    "rnn": lambda: RNN(2, 3, "relu", seed=3),
    "lstm": lambda: LSTM(2, 3, seed=4),
    "conv": lambda: Conv2d(2, 1, (2, 3), stride=(1, 2), padding=1, seed=5),
}


@pytest.mark.parametrize("kind", list(MODELS))
def test_every_model_saves_and_loads_exactly(kind: str, tmp_path: Path) -> None:
    model = MODELS[kind]()
    for p in model.parameters():
        p.data += 0.125  # not what a fresh model with this seed holds
    model.save(tmp_path / "m.json")
    loaded = type(model).load(tmp_path / "m.json")
    assert repr(loaded) == repr(model)
    assert loaded.state_dict() == model.state_dict()
    assert Module.load(tmp_path / "m.json").state_dict() == model.state_dict()
    document = json.loads((tmp_path / "m.json").read_text())
    assert (document["format"], document["version"], document["type"]) == (
        "glassgrad-model",
        2,
        type(model).__name__,
    )


def test_a_file_of_another_layer_type_is_a_model_file_error(tmp_path: Path) -> None:
    LSTM(2, 3).save(tmp_path / "lstm.json")
    with pytest.raises(ModelFileError, match=r"lstm.json: the file holds a LSTM, not a RNN"):
        RNN.load(tmp_path / "lstm.json")
    with pytest.raises(ModelFileError, match="holds a LSTM, not a MLP"):
        MLP.load(tmp_path / "lstm.json")
    MLP(2, [1]).save(tmp_path / "mlp.json")
    with pytest.raises(ModelFileError, match="holds a MLP, not a Sequential"):
        Sequential.load(tmp_path / "mlp.json")


def test_bad_architectures_in_a_file_are_model_file_errors(tmp_path: Path) -> None:
    MODELS["cnn"]().save(tmp_path / "m.json")
    document = json.loads((tmp_path / "m.json").read_text())
    cases = {
        "unknown module type 'Exec'": {"modules": [{"type": "Exec", "architecture": {}}]},
        "exactly the keys": {"modules": [{"type": "Flatten", "architecture": {"x": 1}}]},
        "the architecture has 100000000010000000000 parameters": {
            "modules": [
                {
                    "type": "Conv2d",
                    "architecture": {
                        "in_channels": 10**10,
                        "out_channels": 10**10,
                        "kernel_size": 1,
                        "stride": 1,
                        "padding": 0,
                    },
                }
            ]
        },
    }

    def signed(changed: dict[str, Any]) -> str:
        """The changed document with a matching checksum: a deliberate, not a damaged, file."""
        return json.dumps(changed | {"sha256": saving.checksum(changed)})

    for message, architecture in cases.items():
        (tmp_path / "bad.json").write_text(signed(document | {"architecture": architecture}))
        with pytest.raises(ModelFileError, match=message):
            Sequential.load(tmp_path / "bad.json")
    (tmp_path / "bad.json").write_text(signed(document | {"type": "Nothing"}))
    with pytest.raises(ModelFileError, match="unknown model type 'Nothing'"):
        Module.load(tmp_path / "bad.json")
