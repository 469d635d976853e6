"""Drawing CNNs and recurrent layers: boxes by layer, channel and time step; a shared
filter weight and the places that use it; the Stepper on these graphs, collapsed."""

from __future__ import annotations

import pytest
from optional import require

from autograd import sum as vsum
from autograd import topological_order
from autograd.nn import LSTM, RNN, Conv2d, Flatten, Linear, Sequential, losses, tasks
from autograd.nn.images import digits
from autograd.viz import Stepper, uses

require("graphviz")
drawing = require("autograd.viz.drawing")


def cnn_loss() -> tuple[Sequential, object]:
    model = tasks.digits_cnn(seed=0, channels=2)
    X, y = digits(1)
    loss = losses.cross_entropy(model(X[0]), y[0])
    loss.backward()
    return model, loss


def boxes(loss: object, collapse: str) -> dict[str, drawing.Box]:
    order = topological_order([loss])  # type: ignore[list-item]
    found = drawing.layer_boxes(order)
    claimed = {node for box in found for node in box.members}
    found += drawing.grid_boxes(order, collapse, claimed)
    return {box.title: box for box in found}


def test_a_cnn_collapses_by_layer_and_by_channel() -> None:
    _, loss = cnn_loss()
    by_layer = boxes(loss, "layer")
    assert sorted(by_layer) == ["L1", "L2", "L3", "L5"]  # Flatten makes no nodes
    assert len(by_layer["L1"].outputs) == 2 * 8 * 8 and len(by_layer["L3"].outputs) == 2 * 16
    by_channel = boxes(loss, "channel")
    assert {"L1 channel 0", "L1 channel 1", "L3 channel 1", "L5"} <= set(by_channel)
    conv = by_channel["L1 channel 1"]
    assert all((node.label or "").startswith("L1") for node in conv.members if not node.parents)
    picture = drawing.draw(loss, collapse="channel", max_nodes=40)
    assert "L1 channel 0" in picture.source and "64 outputs" in picture.source


def test_an_lstm_collapses_by_time_step_with_its_weights_outside() -> None:
    model = Sequential(LSTM(1, 2, seed=1), tasks.LastStep(), Linear(2, 2, seed=2))
    loss = losses.cross_entropy(model([[1.0], [-1.0], [1.0]]), 1)
    loss.backward()
    by_step = boxes(loss, "step")
    assert {"L1 t0", "L1 t1", "L1 t2"} <= set(by_step)
    assert len(by_step["L1 t1"].outputs) == 4  # h and c of two units; the gates inside
    inside = {node for box in by_step.values() for node in box.members}
    weight = model[0].weight_hh[0][0]  # type: ignore[attr-defined]
    assert weight not in inside  # shared by the steps: drawn once, outside
    source = drawing.draw(loss, collapse="step").source
    assert "L1 t2" in source and "step · 4 units" in source


def test_a_shared_filter_weight_gets_the_sum_of_its_uses() -> None:
    model, loss = cnn_loss()
    w = model[0].weight[1][0][1][1]  # type: ignore[attr-defined]
    found = uses(w, loss)
    assert len(found) == 64  # the centre of a 3x3 kernel, padding 1: every position
    assert sum(u.contribution for u in found) == pytest.approx(w.grad, rel=1e-12, abs=1e-15)

    # Highlighted, a filter weight of a small convolution shows each place it is used.
    conv = Conv2d(1, 1, 2, seed=0)
    total = vsum(Flatten()(conv([[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]]])))
    total.backward()
    shared = conv.weight[0][0][0][1]
    places = [u.consumer for u in uses(shared, total)]
    assert len(places) == 4 and shared.grad == pytest.approx(0.2 + 0.3 + 0.5 + 0.6)
    source = drawing.draw(total, highlight=[shared, *places]).source
    assert source.count(f'fillcolor="{drawing.HIGHLIGHT}"') == 4  # the four products
    assert source.count(f'bgcolor="{drawing.HIGHLIGHT}"') == 5  # the weight, four results


def test_the_stepper_walks_a_collapsed_rnn() -> None:
    model = Sequential(RNN(1, 2, seed=3), tasks.LastStep(), Linear(2, 2, seed=4))
    loss = losses.cross_entropy(model([[0.5], [-1.0]]), 0)
    expected = {p: 0.0 for p in model.parameters()}
    loss.backward()
    expected = {p: p.grad for p in model.parameters()}
    model.zero_grad()
    stepper = Stepper(loss)
    stepper.goto(len(stepper) // 2)
    assert "L1 t1" in stepper.draw(collapse="step").source
    stepper.run()
    assert {p: p.grad for p in model.parameters()} == expected
