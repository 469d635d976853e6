"""backward()'s traversal keeps its marks in the grad slots: the guarantees, checked at
every point an interrupt can land, and its rule shortcuts against the table's rules."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import pytest

from autograd import OPS, Value, topological_order
from autograd import engine as engine_module
from autograd import sum as vsum

ENGINE_FILE = engine_module.__file__


def network(seed: int, width: int = 3) -> tuple[Value, list[Value]]:
    """A small graph with every kind of node the traversal treats apart: leaves used
    many times, shared inner nodes, binary add chains, n-ary sums, constants, x * x."""
    rng = random.Random(seed)
    weights = [Value(rng.uniform(-1, 1), label=f"w{i}") for i in range(2 * width)]
    inputs = [Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(2)]
    hidden = [
        sum((w * x for w, x in zip(weights[2 * i : 2 * i + 2], inputs)), weights[i]).relu()
        for i in range(width)
    ]
    shared = hidden[0] * hidden[-1] + 0.5
    out = vsum([h.tanh() * shared for h in hidden]) + shared * shared
    return out * 0.3 - 1.0, [*weights, *inputs]


def reference_gradients(root: Value) -> dict[Value, float]:
    """d(root)/d(node) by the textbook algorithm: sets, and every rule called from the table."""
    order = topological_order([root])
    grads = {node: 0.0 for node in order}
    grads[root] = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_gradients()):
            grads[parent] += local * grads[node]
    return grads


@pytest.mark.parametrize("seed", range(5))
def test_backward_gives_the_textbook_gradients_and_semantics(seed: int) -> None:
    root, leaves = network(seed)
    for leaf in leaves:
        leaf.grad = 0.25  # leaves accumulate onto what they hold
    order = topological_order([root])
    for node in order:
        if node.parents:
            node.grad = 7.0  # stale grads of inner nodes are reset
    expected = reference_gradients(root)
    root.backward()
    for node in order:
        want = expected[node] + (0.25 if node in leaves else 0.0)
        assert node.grad == pytest.approx(want, rel=1e-14, abs=1e-15)
        assert type(node.grad) is float


def test_no_mark_is_left_in_any_grad() -> None:
    root, _ = network(0)
    root.backward()
    root.backward()
    marks = (engine_module._OPEN, engine_module._ORDERED)
    assert not any(node.grad is mark for node in topological_order([root]) for mark in marks)


def test_backward_of_a_leaf_and_of_a_node_with_a_repeated_parent() -> None:
    x = Value(3.0)
    x.backward()
    x.backward(2.0)
    assert x.grad == 3.0
    h = x * 1.0
    y = h * h  # the same parent twice
    y.backward()
    assert h.grad == 6.0 and x.grad == 3.0 + 6.0


class Interrupt(BaseException):
    """Raised from the tracer: like KeyboardInterrupt, not an Exception."""


@contextmanager
def interrupt_at(event: int, opcodes: bool) -> Iterator[list[int]]:
    """Raise Interrupt at the `event`-th line (or opcode) run in engine.py; yields a counter."""
    seen = [0]

    def local(frame: FrameType, kind: str, arg: Any) -> Any:
        if kind in ("line", "opcode"):
            seen[0] += 1
            if seen[0] == event:
                raise Interrupt
        return local

    def tracer(frame: FrameType, kind: str, arg: Any) -> Any:
        if frame.f_code.co_filename != ENGINE_FILE:
            return None
        frame.f_trace_opcodes = opcodes
        return local

    sys.settrace(tracer)
    try:
        yield seen
    finally:
        sys.settrace(None)


MARKS = (engine_module._OPEN, engine_module._ORDERED)


def grads(root: Value) -> list[object]:
    """Every grad of root's graph; a traversal's mark left behind shows as "mark", not as
    a number (_ORDERED equals 0.0, so only its identity tells it from a fresh grad)."""
    return [
        "mark" if any(node.grad is mark for mark in MARKS) else node.grad
        for node in topological_order([root])
    ]


def interrupt_everywhere(build: Callable[[], Value], opcodes: bool, earlier_pass: bool) -> int:
    """Interrupt backward at each line (or opcode) in turn; each time, every grad is back.

    earlier_pass: the graph had a backward before (its inner grads are its own, kept
    for a restore), else it is fresh (its inner grads are the 0.0 every node is made with).
    An interrupt on the last opcodes, once the work is done, leaves the finished result.
    """
    finished = build()
    if earlier_pass:
        finished.backward()
    finished.backward(0.5)
    after = grads(finished)
    event, finished_at = 1, 0
    while True:
        root = build()
        if earlier_pass:
            root.backward()  # grads from a pass that completed
        before = grads(root)
        with interrupt_at(event, opcodes) as seen:
            try:
                root.backward(0.5)
            except Interrupt:
                pass
            else:
                assert seen[0] < event  # ran to the end before the event: all points covered
                # only the last opcodes, past the try block, may leave the finished result
                assert not finished_at or event - finished_at <= 8
                return event - 1
        now = grads(root)
        if now != before:
            assert now == after, f"neither restored nor finished: interrupt at event {event}"
            finished_at = finished_at or event
        else:
            assert not finished_at, f"finished at {finished_at}, not at {event}"
        event += 1


@pytest.mark.parametrize("earlier_pass", [True, False])
def test_an_interrupt_at_any_line_of_backward_restores_every_grad(earlier_pass: bool) -> None:
    points = interrupt_everywhere(lambda: network(1, width=3)[0], False, earlier_pass)
    assert points > 300  # the traversal and the chain rule were both interrupted


@pytest.mark.parametrize("earlier_pass", [True, False])
def test_an_interrupt_at_any_opcode_of_backward_restores_every_grad(earlier_pass: bool) -> None:
    def tiny() -> Value:
        a, b = Value(0.3), Value(-0.7)
        h = (a * b + a).relu()
        return vsum([h * h, h, b * 2.0]) + h

    points = interrupt_everywhere(tiny, True, earlier_pass)
    assert points > 500


@pytest.mark.parametrize("name", ["add", "mul", "relu", "add_const", "mul_const", "sum"])
def test_the_written_out_rules_equal_the_table_rules(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, leaves = network(2)
    root.backward()
    shortcut = [(node.grad) for node in topological_order([root])]
    op = OPS[name]
    rule = op.derivative
    assert any(node.op is op for node in topological_order([root]))
    # The same rule behind another function object: backward must call it.
    calls = [0]

    def wrapped(*args: Any) -> Any:
        calls[0] += 1
        return rule(*args)

    monkeypatch.setattr(op, "derivative", wrapped)
    for leaf in leaves:
        leaf.grad = 0.0
    root.backward()
    assert calls[0] > 0
    assert [node.grad for node in topological_order([root])] == shortcut


def test_a_replaced_rule_takes_effect_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    x = Value(2.0)
    y = x * x + x
    monkeypatch.setattr(OPS["mul"], "derivative", lambda m, out, a, b: (0.0, 0.0))
    y.backward()
    assert x.grad == 1.0


def test_a_cycle_made_by_hand_is_an_error_and_changes_nothing() -> None:
    x = Value(1.0)
    a = x * 2.0
    b = a * 3.0
    b.backward()
    a.parents = (b,)  # parents are set when a node is made; rewriting them can close a loop
    before = [x.grad, a.grad, b.grad]
    with pytest.raises(ValueError, match="cycle"):
        b.backward()
    assert [x.grad, a.grad, b.grad] == before


def _chain_rewired(
    new_parents: Callable[[Value, Value, Value, Value], tuple[Value, ...]],
) -> Callable[[], tuple[Value, list[Value]]]:
    """c = (x*y + y) * x, with a's parents (a = x*y) rewritten to close a loop through c."""

    def build() -> tuple[Value, list[Value]]:
        x, y, w = Value(1.0), Value(2.0), Value(3.0)
        a = x * y
        b = a + y
        c = b * x
        a.parents = new_parents(x, y, w, c)
        return c, [x, y, w, a, b, c]

    return build


def _through_a_sum_of_three() -> tuple[Value, list[Value]]:
    x, y = Value(1.0), Value(2.0)
    a = x * y
    s = vsum([a, x, y])
    a.parents = (x, s)
    return s, [x, y, a, s]


TWO_PARENT_LOOPS = [
    # a's first parent is now its own descendant
    pytest.param(_chain_rewired(lambda x, y, w, c: (c, y)), id="first parent"),
    # w not yet ordered: a is pushed back with c above it
    pytest.param(_chain_rewired(lambda x, y, w, c: (c, w)), id="first parent, second unordered"),
    # the parent the traversal walks into first
    pytest.param(_chain_rewired(lambda x, y, w, c: (x, c)), id="second parent"),
    pytest.param(_through_a_sum_of_three, id="sum of three"),
]


@pytest.mark.parametrize("after_a_backward", [False, True])
@pytest.mark.parametrize("build", TWO_PARENT_LOOPS)
def test_a_loop_through_any_parent_is_an_error_and_changes_nothing(
    build: Callable[[], tuple[Value, list[Value]]], after_a_backward: bool
) -> None:
    root, nodes = build()
    if after_a_backward:  # grads of an earlier pass, to be kept; else every grad fresh
        for node in nodes:
            node.grad = 0.5
    before = [node.grad for node in nodes]
    with pytest.raises(ValueError, match="cycle"):
        root.backward()
    assert [node.grad for node in nodes] == before
