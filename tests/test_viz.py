"""draw(): every value with its data and grad, edges scaled by the gradient flowing back."""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from networks import (
    NEURON_BIAS,
    NEURON_INPUTS,
    NEURON_WEIGHTS,
    make_mlp_231,
    make_neuron,
    mlp_forward,
)
from optional import require, require_program

from autograd import Value, topological_order

require("graphviz")
from autograd.viz import drawing  # noqa: E402
from autograd.viz.naming import number  # noqa: E402

VALUE_NODE = re.compile(
    r"^\t(node\d+) \[label=<<table[^>]*><tr><td>(.*?)</td><td>data (\S+)</td>"
    r"(?:<td>grad (\S+)</td>)?</tr></table>>",
    re.MULTILINE,
)
EDGE = re.compile(r"^\t(\w+) -> (\w+) \[(.*)\]$", re.MULTILINE)
ATTRIBUTE = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)')


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def source_neuron() -> tuple[Value, list[Value]]:
    """The source notes' neuron, with every intermediate labelled, after backward."""
    inputs = [Value(x, label=f"x{i}") for i, x in enumerate(NEURON_INPUTS, 1)]
    neuron = make_neuron(NEURON_WEIGHTS, NEURON_BIAS, "n1", "sigmoid")
    y = neuron(inputs)
    y.backward()
    return y, [*inputs, *neuron.parameters()]


def xor_network() -> Value:
    inputs = [Value(1.0, label="x1"), Value(0.0, label="x2")]
    out = mlp_forward(inputs, make_mlp_231(seed=3))
    loss = (out - 1.0) ** 2
    loss.label = "loss"
    loss.backward()
    return loss


def edges(source: str) -> list[tuple[str, str, dict[str, str]]]:
    """(tail, head, attributes) of every edge outside the legend."""
    found = []
    for tail, head, attributes in EDGE.findall(source):
        if not tail.startswith("legend"):
            found.append((tail, head, {k: v.strip('"') for k, v in ATTRIBUTE.findall(attributes)}))
    return found


def flow(attributes: dict[str, str]) -> float:
    return float(attributes["tooltip"].split(": ")[1].split(" ")[0])


def strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)


@pytest.mark.parametrize("build", [lambda: source_neuron()[0], xor_network], ids=["neuron", "mlp"])
def test_every_value_node_shows_its_data_and_grad(build) -> None:
    root = build()
    source = drawing.draw(root).source
    drawn = Counter(
        (strip_tags(name), data, grad) for _, name, data, grad in VALUE_NODE.findall(source)
    )
    order = topological_order([root])
    # numbers as drawn: "-0" is written 0 (issue 13)
    expected_numbers = Counter((number(v.data, ".4g"), number(v.grad, ".4g")) for v in order)
    assert Counter((data, grad) for _, data, grad in drawn.elements()) == expected_numbers
    for v in order:
        if v.label is not None:
            assert drawn[(v.label, number(v.data, ".4g"), number(v.grad, ".4g"))] == 1, v.label


def test_the_neuron_drawing_shows_the_chain_rule_numbers() -> None:
    # Independent of the engine: sigmoid(0.97) and its derivative by hand.
    y, _ = source_neuron()
    source = drawing.draw(y).source
    s = sigmoid(0.97)
    assert f"<b>n1</b></td><td>data {s:.4g}</td><td>grad 1</td>" in source
    for i, x in enumerate(NEURON_INPUTS, 1):
        assert f"<b>n1.w{i}</b></td><td>data {NEURON_WEIGHTS[i - 1]:.4g}</td>" in source
        assert f"grad {s * (1 - s) * x:.4g}</td>" in source
    flows = sorted(flow(a) for _, _, a in edges(source))
    by_hand = sorted(
        [1.0]  # sigmoid -> y
        + [s * (1 - s)] * 9  # into sigmoid, out of the sum, bias in, products in and out
        + [s * (1 - s) * x for x in NEURON_INPUTS]  # each weight into its product
        + [s * (1 - s) * w for w in NEURON_WEIGHTS]  # each input into its product
    )
    assert len(flows) == len(by_hand)
    assert all(math.isclose(a, b, rel_tol=1e-12) for a, b in zip(flows, by_hand))


def assert_widths_monotone(source: str) -> None:
    pairs = sorted(
        (abs(flow(a)), float(a["penwidth"]))
        for _, _, a in edges(source)
        if flow(a) != 0 and math.isfinite(flow(a))
    )
    widths = [width for _, width in pairs]
    assert widths == sorted(widths)
    if pairs[-1][0] > 10 * pairs[0][0]:
        assert widths[-1] > widths[0]


@pytest.mark.parametrize("build", [lambda: source_neuron()[0], xor_network], ids=["neuron", "mlp"])
def test_edge_widths_grow_with_the_gradient_flowing_back(build) -> None:
    assert_widths_monotone(drawing.draw(build()).source)


@given(st.lists(st.floats(1e-12, 1e6), min_size=2, max_size=20))
def test_the_scale_is_monotone_in_magnitude(magnitudes: list[float]) -> None:
    scale = drawing.FlowScale.of(magnitudes)
    assert scale is not None
    ordered = sorted(magnitudes)
    widths = [scale.width(m) for m in ordered]
    assert widths == sorted(widths)
    assert widths[0] >= drawing.THINNEST
    assert widths[-1] <= drawing.THICKEST
    if scale.high > scale.low:
        assert scale.colour(ordered[0]) == drawing.PALETTE[0]
        assert scale.colour(ordered[-1]) == drawing.PALETTE[-1]


def test_an_edge_with_zero_gradient_is_dashed_grey() -> None:
    x, w = Value(0.6, label="x"), Value(-0.8, label="w")
    y = (x * w).relu() + x
    y.backward()
    found = edges(drawing.draw(y).source)
    dead = [a for _, _, a in found if flow(a) == 0]
    alive = [a for _, _, a in found if flow(a) != 0]
    assert len(dead) == 4  # relu's input, the product, and both factors of it
    assert all(a["style"] == "dashed" and a["color"] == drawing.DEAD for a in dead)
    assert all(a.get("style") != "dashed" and a["color"] != drawing.DEAD for a in alive)
    assert "dead ReLU" in drawing.draw(y).source  # in the legend


def test_options_direction_highlight_hidden_grads_and_number_format() -> None:
    y, values = source_neuron()
    assert "rankdir=TB" in drawing.draw(y, rankdir="TB").source
    x1 = values[0]
    marked = drawing.draw(y, highlight=x1).source
    (line,) = [line for line in marked.splitlines() if "<b>x1</b>" in line]
    assert drawing.HIGHLIGHT in line
    assert marked.count(drawing.HIGHLIGHT) == 1  # x1 is a leaf: no operation to mark
    plain = drawing.draw(y, show_grad=False).source
    assert "<td>grad" not in plain and "penwidth" not in plain and "legend" not in plain
    assert "data 0.600</td>" in drawing.draw(y, fmt=".3f").source


@pytest.mark.parametrize(
    ("option", "value"),
    [("rankdir", "XY"), ("collapse", "network"), ("max_nodes", 0), ("fmt", "q")],
)
def test_bad_options_are_named(option: str, value: object) -> None:
    with pytest.raises(ValueError, match=option if option != "fmt" else "format"):
        drawing.draw(Value(1.0), **{option: value})


def test_neurons_collapse_into_one_box_each() -> None:
    loss = xor_network()
    source = drawing.draw(loss, collapse="neuron").source
    titles = re.findall(r"<b>(L\d\.n\d)</b>", source)
    assert sorted(titles) == ["L1.n1", "L1.n2", "L1.n3", "L2.n1"]
    assert "L1.n1.w1" not in source  # parameters are inside their neuron's box
    assert "<b>x1</b>" in source and "<b>loss</b>" in source
    # a hidden neuron: 2 weights, a bias, 2 products, the sum, the sigmoid
    assert source.count("neuron · 7 nodes") == 3
    box_of = dict(re.findall(r"^\t(box\d+) \[label=<.*?<b>(L\d\.n\d)</b>", source, re.MULTILINE))
    hidden = {box for box, title in box_of.items() if title.startswith("L1")}
    (out_box,) = set(box_of) - hidden
    between = [(tail, a) for tail, head, a in edges(source) if tail in hidden and head == out_box]
    assert len(between) == 3
    # the flows merged into one box-to-box edge add up to the hidden output's gradient
    grads = {v.label: v.grad for v in topological_order([loss]) if v.label}
    for tail, a in between:
        assert math.isclose(flow(a), grads[box_of[tail]], rel_tol=1e-12)


def test_layers_collapse_into_one_box_each() -> None:
    source = drawing.draw(xor_network(), collapse="layer").source
    assert re.findall(r"<b>(L\d)</b>", source) == ["L1", "L2"]
    assert "layer · 3 neurons · 21 nodes" in source
    assert "layer · 1 neuron · 9 nodes" in source


def test_parameters_shared_by_several_forward_passes_stay_outside_the_boxes() -> None:
    network = make_mlp_231(seed=1)
    first = mlp_forward([Value(0.0, label="a1"), Value(1.0, label="a2")], network)
    second = mlp_forward([Value(1.0, label="b1"), Value(1.0, label="b2")], network)
    loss = first + second
    loss.backward()
    source = drawing.draw(loss, collapse="neuron").source
    assert len(re.findall(r"<b>L\d\.n\d</b>", source)) == 8
    for p in network.parameters():
        assert source.count(f"<b>{p.label}</b>") == 1
    by_layer = drawing.draw(loss, collapse="layer").source
    assert len(re.findall(r"<b>L\d</b>", by_layer)) == 4  # two layers, two passes
    assert by_layer.count("layer · 3 neurons") == 2


def test_a_large_graph_is_capped_with_a_note() -> None:
    x = Value(0.5, label="x")
    y = x
    for _ in range(1000):
        y = y.sin()
    y.backward()
    source = drawing.draw(y, max_nodes=50).source
    assert len(VALUE_NODE.findall(source)) == 50
    assert "951 more nodes not drawn" in source
    assert "showing the 50 nearest the output, of 1,001" in source
    assert "<b>x</b>" not in source  # the input is the farthest from the output
    assert any(tail == drawing.REST for tail, _, _ in edges(source))


def test_several_roots_and_a_leaf_alone() -> None:
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    source = drawing.draw([a * b, a + b]).source
    assert source.count("<b>a</b>") == 1 and source.count("· * ·") == 1
    assert "<b>c</b>" in drawing.draw(Value(1.0, label="c")).source


def test_rendering_with_dot_gives_svg_png_and_pdf(tmp_path) -> None:
    require_program("dot")
    y, _ = source_neuron()
    picture = drawing.draw(y)
    svg = picture.pipe(format="svg", encoding="utf-8")
    assert "<svg" in svg and ">n1.w1<" in svg
    assert "<svg" in picture._repr_mimebundle_()["image/svg+xml"]
    magic = {"svg": b"<?xml", "png": b"\x89PNG", "pdf": b"%PDF"}
    for suffix, start in magic.items():
        path = picture.save(tmp_path / f"neuron.{suffix}")
        assert Path(path).read_bytes().startswith(start)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neuron.pdf", "neuron.png", "neuron.svg"]
    assert Path(picture.save(tmp_path / "neuron.dot")).read_text() == picture.source
    mlp = drawing.draw(xor_network(), collapse="neuron").pipe(format="svg", encoding="utf-8")
    assert "L2.n1" in mlp


def test_without_dot_rendering_says_how_to_install_it(tmp_path, monkeypatch) -> None:
    y, _ = source_neuron()
    picture = drawing.draw(y)
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no `dot` on it
    with pytest.raises(drawing.GraphvizNotFound, match="apt-get install graphviz"):
        picture.pipe(format="svg")
    with pytest.raises(drawing.GraphvizNotFound, match="brew install graphviz"):
        picture._repr_mimebundle_()
    with pytest.raises(drawing.GraphvizNotFound, match=r"\.source"):
        picture.save(tmp_path / "out.svg")
    assert list(tmp_path.iterdir()) == []  # nothing half-written
    assert "n1.w1" in picture.source  # the DOT text is still there
    import graphviz

    assert issubclass(drawing.GraphvizNotFound, graphviz.ExecutableNotFound)
