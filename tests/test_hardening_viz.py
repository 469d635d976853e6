"""Regression tests of issue 13 for pictures and text that mislead a learner."""

from __future__ import annotations

import re

import pytest
from optional import require

from autograd import Value, graph_stats
from autograd.cli import main
from autograd.nn import train
from autograd.testing import gradcheck
from autograd.viz.naming import number
from autograd.viz.stepper import Stepper

require("graphviz")
from autograd.viz import draw  # noqa: E402


def neuron() -> Value:
    x, w = Value(0.6, label="x"), Value(-0.8, label="w")
    return (x * w + 0.1).relu() + (x * 2.0).tanh()


def test_before_any_backward_the_drawing_says_so_and_shows_values_only() -> None:
    source = draw(neuron()).source
    assert "no backward pass yet" in source
    assert "<td>grad" not in source and "dashed" not in source and "no gradient" not in source


def test_the_stepper_shows_unreached_nodes_as_not_yet_computed() -> None:
    y = neuron()
    steps = Stepper(y)
    start = steps.draw().source
    assert "grad not yet" in start and "no backward pass yet" not in start
    steps.run()
    end = steps.draw().source
    assert "grad not yet" not in end
    assert "<td>grad 0</td>" in end  # the dead relu's true zero, still written as 0


def test_the_legend_uses_the_graph_font_and_a_small_size() -> None:
    y = neuron()
    y.backward()
    legend = draw(y).source.split("subgraph cluster_legend", 1)[1]
    assert "fontname=Helvetica" in legend and "fontsize=8" in legend


def edge_colours(source: str) -> dict[tuple[str, str], str]:
    found = re.findall(r"\t(\w+) -> (\w+) \[[^\]]*?color=\"(#[0-9a-f]{6})\"", source)
    return {(a, b): colour for a, b, colour in found if not a.startswith("legend")}


def test_a_stepper_keeps_one_colour_scale_across_steps() -> None:
    y = neuron()
    steps = Stepper(y)
    next(steps)
    early = edge_colours(steps.draw().source)
    steps.run()
    late = edge_colours(steps.draw().source)
    reached_early = {edge for edge, colour in early.items() if colour != "#c8c8c8"}
    shared = reached_early & set(late)
    assert shared and all(early[edge] == late[edge] for edge in shared)


def test_a_zero_is_never_written_with_a_minus_sign() -> None:
    assert number(-0.0, ".4g") == "0" and number(-1e-9, ".3f") == "0.000"
    assert number(-1.5, ".3f") == "-1.500" and number(float("-inf"), ".3g") == "-inf"
    y = Value(-0.0, label="z") * 1.0
    y.backward()
    assert "data -0<" not in draw(y).source


def test_the_root_step_names_the_seed() -> None:
    x = Value(0.5, label="x")
    first = next(Stepper(x.tanh()))
    assert "dL/dx = seed * dL/dx = 1 * " in str(first)


def test_one_derivative_is_singular() -> None:
    assert "1 derivative of f" in gradcheck(lambda x: x * x, [1.0]).title()


def test_the_derivative_summary_lists_columns_in_natural_order() -> None:
    import conftest

    kinds = {"2nd in expressions", "first", "gradcheck", "second", "in expressions"}
    assert conftest._natural(kinds, conftest.NATURAL_KINDS) == [
        "first",
        "second",
        "in expressions",
        "2nd in expressions",
        "gradcheck",
    ]


def test_moons_names_its_l2_term_and_the_final_line_says_when_it_was_measured(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert "hinge loss + 0.0001 * L2" in train.prepare("moons").describe()
    assert main(["train", "xor", "--epochs", "3"]) == 0
    out = capsys.readouterr().out
    assert "after the last update: loss" in out and "final:" not in out


def test_stepper_and_graph_stats_read_well_at_a_prompt() -> None:
    y = neuron()
    steps = Stepper(y)
    assert repr(steps).startswith("Stepper: backward of L in 6 steps, at the start")
    assert "object at 0x" not in repr(steps)
    assert repr(graph_stats(y)).startswith("nodes ") and "GraphStats(" not in repr(graph_stats(y))
