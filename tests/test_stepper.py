"""The stepper: each chain-rule step with its numbers; all steps give backward()'s grads."""

from __future__ import annotations

import math
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from networks import NEURON_BIAS, NEURON_INPUTS, NEURON_WEIGHTS
from optional import require, require_program

from autograd import Value, topological_order
from autograd import sum as add_up
from autograd.viz.stepper import AllSteps, Stepper

# --- random expressions whose nodes are reused, so many are reached along several paths ---

NUMBERS = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)
UNARY = ["tanh", "sigmoid", "sin", "cos", "relu", "softplus", "exp", "__abs__", "__neg__"]


@st.composite
def expressions(draw: st.DrawFn) -> tuple[Value, list[Value]]:
    """A random graph and its nodes. Every operation picks its operands from all the nodes
    made so far, so nodes are shared; leaves start with grads already accumulated."""
    leaves = [Value(draw(NUMBERS), label=f"x{i}") for i in range(draw(st.integers(1, 4)))]
    for leaf in leaves:
        leaf.grad = draw(st.sampled_from([0.0, draw(NUMBERS)]))
    pool = list(leaves)
    for _ in range(draw(st.integers(1, 14))):
        a, b = draw(st.sampled_from(pool)), draw(st.sampled_from(pool))
        kind = draw(st.sampled_from(["unary", "binary", "constant", "sum"]))
        if kind == "unary":
            node = getattr(a, draw(st.sampled_from(UNARY)))()
        elif kind == "binary":
            node = draw(
                st.sampled_from(
                    [a + b, a - b, a * b, a / (b * b + 1.0), a.leaky_relu(0.1) * b.tanh()]
                )
            )
        elif kind == "constant":
            c = draw(st.sampled_from([-2.0, 0.5, 3.0]))
            node = draw(st.sampled_from([a * c, a + c, c - a, a**2, c / (a * a + 1.0)]))
        else:
            node = add_up(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=5)))
        pool.append(node)
    root = pool[-1] if draw(st.booleans()) else add_up(pool[-3:])
    return root, topological_order([root])


def same(a: float, b: float) -> bool:
    """== for floats, with NaN equal to NaN (a graph may overflow to inf, then nan)."""
    return a == b or (math.isnan(a) and math.isnan(b))


@given(expressions(), st.sampled_from([1.0, -0.5, 2.0]))
def test_all_steps_leave_exactly_the_grads_of_backward(
    graph: tuple[Value, list[Value]], seed: float
) -> None:
    root, nodes = graph
    before = [node.grad for node in nodes]
    root.backward(seed)
    expected = [node.grad for node in nodes]
    for node, grad in zip(nodes, before):
        node.grad = grad
    steps = Stepper(root, gradient=seed)
    start = [node.grad for node in nodes]
    # as backward() begins: non-leaves reset, the root seeded, leaves keep what they had
    assert start == [seed if n is root else g if n.is_leaf else 0.0 for n, g in zip(nodes, before)]
    steps.run()
    assert all(same(node.grad, g) for node, g in zip(nodes, expected))
    # back to the start and forward again: the same grads, exactly
    steps.goto(0)
    assert all(same(node.grad, g) for node, g in zip(nodes, start))
    steps.goto(len(steps) // 2)
    steps.run()
    assert all(same(node.grad, g) for node, g in zip(nodes, expected))


@given(expressions(), st.lists(st.booleans(), max_size=40))
def test_back_undoes_a_step_exactly(graph: tuple[Value, list[Value]], moves: list[bool]) -> None:
    root, nodes = graph
    steps = Stepper(root)
    states = {0: [node.grad for node in nodes]}
    for forward in moves:
        if forward and not steps.done:
            steps.next()
        elif not forward and steps.position:
            steps.back()
        now = [node.grad for node in nodes]
        if steps.position in states:
            assert all(same(a, b) for a, b in zip(now, states[steps.position]))
        states[steps.position] = now


def test_a_step_records_upstream_local_and_contribution() -> None:
    # z = x * w: dz/dx = w and dz/dw = x, by hand
    x, w = Value(0.6, label="x"), Value(0.8, label="w")
    z = x * w
    z.label = "z"
    y = z.tanh()
    steps = Stepper(y)
    first, second = steps.run()
    assert first.node is y and first.upstream == 1.0
    assert math.isclose(first.terms[0].local, 1 - math.tanh(0.48) ** 2, rel_tol=1e-15)
    assert second.node is z and second.upstream == first.terms[0].contribution
    (to_x, to_w) = second.terms
    assert to_x.parent is x and to_x.local == 0.8 and to_w.local == 0.6
    assert to_x.contribution == second.upstream * 0.8
    assert not to_x.accumulates


def test_chain_rule_lines_of_the_source_neuron() -> None:
    """y = sigmoid(sum(w_i x_i) + b) at the notes' numbers, every derivative by hand."""
    xs = [Value(x, label=f"x{i}") for i, x in enumerate(NEURON_INPUTS, 1)]
    ws = [Value(w, label=f"w{i}") for i, w in enumerate(NEURON_WEIGHTS, 1)]
    products = [w * x for w, x in zip(ws, xs)]
    for i, p in enumerate(products, 1):
        p.label = f"p{i}"
    s = add_up(products)
    s.label = "s"
    z = s + Value(NEURON_BIAS, label="b")
    z.label = "z"
    y = z.sigmoid()
    y.label = "y"
    text = [line for step in Stepper(y).run() for line in step.lines()]
    sig = 1 / (1 + math.exp(-0.97))
    d = sig * (1 - sig)
    assert f"step 1/6: y = sigmoid(z) = {sig:.4g}" in text
    assert f"  dy/dz = seed * dy/dz = 1 * {d:.4g} = {d:.4g}" in text
    assert "step 3/6: s = sum(p1, p2, p3) = 0.77" in text
    assert f"  dy/dp2 = dy/ds * ds/dp2 = {d:.4g} * 1 = {d:.4g}" in text
    for i, (x, w) in enumerate(zip(NEURON_INPUTS, NEURON_WEIGHTS), 1):
        assert f"  dy/dw{i} = dy/dp{i} * dp{i}/dw{i} = {d:.4g} * {x:.4g} = {d * x:.4g}" in text
        assert f"  dy/dx{i} = dy/dp{i} * dp{i}/dx{i} = {d:.4g} * {w:.4g} = {d * w:.4g}" in text


def test_a_node_reached_twice_accumulates_and_says_so() -> None:
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    c = b * b
    steps = Stepper(c)
    assert str(steps) == "start: dL/dL = 1"
    text = "\n".join(str(step) for step in steps)
    assert "  dL/da = dL/db * db/da = 12 * 1 = 12" in text
    assert "  dL/da += dL/db * db/da = 12 * 1 = 12  (now 24)" in text
    assert a.grad == 8 * 3.0  # c = 4a^2, dc/da = 8a, by hand


def test_names_leaves_accumulating_from_earlier_passes_and_the_format() -> None:
    x = Value(2.0, label="L1.n1.w1")
    x.grad = 5.0
    step = next(Stepper(x * 3.0, fmt=".2f"))
    assert step.lines() == [
        "step 1/1: L = L1.n1.w1 * 3.00 = 6.00",
        "  dL/d(L1.n1.w1) += seed * dL/d(L1.n1.w1) = 1.00 * 3.00 = 3.00  (now 8.00)",
    ]
    with pytest.raises(ValueError, match="format"):
        Stepper(x, fmt="nope")
    with pytest.raises(TypeError, match="Value"):
        Stepper(2.0)  # type: ignore[arg-type]


def test_ends_and_bounds() -> None:
    x = Value(1.0)
    steps = Stepper(x.exp())
    with pytest.raises(IndexError, match="start"):
        steps.back()
    steps.next()
    with pytest.raises(StopIteration):
        steps.next()
    with pytest.raises(IndexError, match=r"0\.\.1"):
        steps.goto(2)
    leaf = Value(4.0)
    assert len(Stepper(leaf)) == 0 and leaf.grad == 1.0  # seeded, nothing to step


def test_drawing_the_current_step() -> None:
    require("graphviz")
    from autograd.viz import drawing

    x, w = Value(0.6, label="x"), Value(0.8, label="w")
    z = x * w
    z.label = "z"
    y = z.sigmoid()
    steps = Stepper(y)
    steps.next()  # y's step done, z's not yet
    source = steps.draw().source
    (z_line,) = [line for line in source.splitlines() if "<b>z</b>" in line]
    assert drawing.HIGHLIGHT not in z_line
    (y_line,) = [line for line in source.splitlines() if "data 0.6177" in line]
    assert drawing.HIGHLIGHT in y_line
    assert source.count(f'color="{drawing.WAITING}"') == 3  # into z's operation and out of it
    at_start = Stepper(y).draw().source  # nothing known yet: every edge waits, no legend
    assert at_start.count(f'color="{drawing.WAITING}"') == 5 and "legend" not in at_start


def test_jupyter_shows_a_table_and_the_drawing() -> None:
    steps = Stepper(Value(0.5, label="x").tanh())
    steps.next()
    page = steps._repr_html_()
    assert "<table>" in page and "<th>contribution</th>" in page
    assert f"<td>{1 - math.tanh(0.5) ** 2:.4g}</td>" in page
    require("graphviz")
    require_program("dot")
    assert "<svg" in page


def test_applied_is_the_steps_done_so_far_and_follows_back() -> None:
    x, w = Value(0.6, label="x"), Value(0.8, label="w")
    steps = Stepper((x * w).sigmoid())
    assert list(steps.applied) == []
    first = steps.next()
    assert steps.applied == (first,)
    rest = steps.run()
    assert steps.applied == (first, *rest) and len(steps.applied) == len(steps) == 2
    (product,) = [step for step in steps.applied if step.formula.startswith("x * w")]
    assert {term.name: term.local for term in product.terms} == {"x": 0.8, "w": 0.6}
    steps.back()
    assert steps.applied == (first,)


def test_a_view_is_the_html_jupyter_shows_with_drawing_options() -> None:
    x = Value(0.5, label="x")
    steps = Stepper(x.tanh())
    at_start = steps.view()
    assert str(at_start) == repr(at_start) == str(steps) == "start: dL/dL = 1"
    steps.next()
    view = steps.view(rankdir="BT")
    assert str(view) == str(steps.current) and at_start.text == "start: dL/dL = 1"
    assert "<th>contribution</th>" in view._repr_html_()
    assert view.html.split("<svg")[0] == steps._repr_html_().split("<svg")[0]
    require("graphviz")
    require_program("dot")
    bottom_up = steps.draw(rankdir="BT").pipe(format="svg", encoding="utf-8")
    assert view.html.endswith(bottom_up[bottom_up.find("<svg") :])
    assert steps.view().html != view.html  # the default is left to right


def test_without_dot_the_step_still_shows_with_a_note(tmp_path, monkeypatch) -> None:
    require("graphviz")
    monkeypatch.setenv("PATH", str(tmp_path))
    page = Stepper(Value(0.5).exp())._repr_html_()
    assert "apt-get install graphviz" in page and "<svg" not in page


def test_without_the_graphviz_package_the_step_still_shows(monkeypatch) -> None:
    import autograd.viz

    monkeypatch.setitem(sys.modules, "graphviz", None)
    monkeypatch.delitem(sys.modules, "autograd.viz.drawing", raising=False)
    monkeypatch.delattr(autograd.viz, "drawing", raising=False)
    page = Stepper(Value(0.5).exp())._repr_html_()
    assert "glassgrad[viz]" in page and "<svg" not in page


def test_the_widget_walks_the_steps() -> None:
    require("ipywidgets")
    x = Value(0.5, label="x")
    steps = Stepper((x * 2.0).tanh())
    box = steps.widget()
    (back, slider, forward), view = box.children[0].children, box.children[1]
    slider.value = 2
    assert steps.position == 2
    assert math.isclose(x.grad, 2 * (1 - math.tanh(1.0) ** 2), rel_tol=1e-15)
    back.click()
    assert steps.position == 1 and slider.value == 1 and x.grad == 0.0
    forward.click()
    forward.click()  # past the end: stays at the end
    assert steps.position == 2 and "step 2/2" in view.value


def test_without_ipywidgets_the_widget_shows_every_step(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    steps = Stepper(Value(0.5, label="x").exp().sin())
    shown = steps.widget()
    assert isinstance(shown, AllSteps)
    page = shown._repr_html_()
    assert "glassgrad[widgets]" in page and "step 1/2" in page and "step 2/2" in page
    assert str(shown).count("step ") == 2


def test_unlabelled_nodes_are_named_in_reading_order() -> None:
    x1, w1, x2, w2 = (Value(v, label=n) for v, n in [(1, "x1"), (2, "w1"), (3, "x2"), (4, "w2")])
    text = "\n".join(str(step) for step in Stepper(x1 * w1 + x2 * w2))
    assert "L = v1 + v2 = 14" in text
    assert "v1 = x1 * w1 = 2" in text and "v2 = x2 * w2 = 12" in text
    taken = Value(1.0, label="v1")
    assert "L = exp(v2)" in str(next(Stepper((taken * 2.0).exp())))  # v1 is taken
