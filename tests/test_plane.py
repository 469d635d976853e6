"""over_plane: a function of (x, y) over a grid, rows by y, no graph recorded."""

from __future__ import annotations

import doctest

import pytest

from autograd import Value
from autograd.nn import MLP, Neuron
from autograd.viz import over_plane, plane


def test_the_module_example_runs() -> None:
    result = doctest.testmod(plane)
    assert result.attempted > 0
    assert result.failed == 0


def test_rows_follow_y_and_columns_follow_x() -> None:
    rows = over_plane(lambda p: 10 * p[0] + p[1], xs=[1, 2, 3], ys=[0.5, -0.5])
    assert rows == [[10.5, 20.5, 30.5], [9.5, 19.5, 29.5]]


def test_a_model_over_the_plane_gives_what_it_gives_point_by_point() -> None:
    model = MLP(2, [3, 1], "tanh", seed=1)
    xs, ys = [-1.0, 0.25, 2.0], [0.0, 1.5]
    rows = over_plane(model, xs, ys)
    for i, y in enumerate(ys):
        for j, x in enumerate(xs):
            assert rows[i][j] == model.output([x, y]).data


def test_one_neuron_of_a_layer_is_picked_with_a_lambda() -> None:
    model = MLP(2, [4, 1], "relu", seed=0)
    hidden = model.layers[0]
    rows = over_plane(lambda p: hidden(p)[2], [0.5], [-0.25])
    z = sum(w.data * v for w, v in zip(hidden.neurons[2].w, [0.5, -0.25]))
    assert rows == [[max(0.0, z + hidden.neurons[2].b.data)]]


def test_no_graph_is_recorded_and_no_gradient_touched() -> None:
    neuron = Neuron(2, "sigmoid", seed=0)
    seen = []

    def f(point: list[float]) -> Value:
        out = neuron(point)
        seen.append(out)
        return out

    over_plane(f, [0.0, 1.0], [0.0, 1.0])
    assert len(seen) == 4
    assert all(out.parents == () for out in seen)
    assert all(p.grad == 0.0 for p in neuron.parameters())


def test_numpy_numbers_become_plain_floats() -> None:
    np = pytest.importorskip("numpy")
    points: list[list[float]] = []

    def f(point: list[float]) -> float:
        points.append(point)
        return 0.0

    over_plane(f, np.linspace(0, 1, 2), np.array([3.0]))
    assert points == [[0.0, 3.0], [1.0, 3.0]]
    assert all(type(c) is float for p in points for c in p)


def test_several_outputs_are_refused_saying_how_to_pick_one() -> None:
    model = MLP(2, [3], "relu", seed=0)  # three outputs: a list
    with pytest.raises(TypeError, match=r"list of 3.*lambda p: layer\(p\)\[0\]"):
        over_plane(model, [0.0], [0.0])


@pytest.mark.parametrize(
    ("f", "xs", "ys", "message"),
    [
        (lambda p: "high", [0.0], [0.0], "what f returns must be a real number, got str"),
        (lambda p: 0.0, ["1"], [0.0], "each x must be a real number, got str"),
        (lambda p: 0.0, [0.0], [None], "each y must be a real number, got NoneType"),
    ],
)
def test_what_is_not_a_number_is_named(f: object, xs: list, ys: list, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(TypeError, match=message):
        over_plane(f, xs, ys)  # type: ignore[arg-type]
