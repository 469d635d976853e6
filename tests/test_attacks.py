"""Generated attacks (issue 13): hostile inputs by the thousand, each handled as documented.

- every truncation and every single-byte change of a saved model: refused with
  ModelFileError, or loads a model identical to the saved one;
- random kinds of operand on both sides of every operator: the result is what the same
  numbers as floats give, or the documented error, and no operand's grad changes;
- a KeyboardInterrupt injected at every line the package runs during backward() and
  Stepper construction: every .grad is as it was before the call; and during a save:
  the old file, its mode, and no temporary file left.

Fast under the hypothesis profile `ci` (a few seconds); HYPOTHESIS_PROFILE=thorough
tries all 256 values of every byte and many more graphs and operands.
"""

from __future__ import annotations

import math
import operator
import os
import stat
import warnings
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from conftest import PROFILE
from hypothesis import given, settings
from hypothesis import strategies as st
from interrupts import interrupt_at, line_count

from autograd import Value, topological_order
from autograd import sum as add_up
from autograd.nn import MLP
from autograd.nn.saving import ModelFileError, ModelFileWarning
from autograd.viz.stepper import Stepper

THOROUGH = PROFILE == "thorough"

# --- saved models: every offset ---


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, MLP]:
    model = MLP(2, [2, 1], "tanh", seed=3)
    path = tmp_path_factory.mktemp("model") / "m.json"
    model.save(path)
    return path.read_bytes(), model


def loads_identical_or_refused(content: bytes, model: MLP, path: Path) -> str:
    """'refused' or 'identical'; anything else fails the test."""
    path.write_bytes(content)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ModelFileWarning)  # a damaged checksum key
            loaded = MLP.load(path)
    except ModelFileError:
        return "refused"
    assert loaded.architecture() == model.architecture(), content
    same = [
        math.copysign(1, a) == math.copysign(1, b) and a == b
        for a, b in zip(loaded.state_dict().values(), model.state_dict().values())
    ]
    assert list(loaded.state_dict()) == list(model.state_dict()) and all(same), content
    return "identical"


def test_every_truncation_is_refused(saved_model: tuple[bytes, MLP], tmp_path: Path) -> None:
    content, model = saved_model
    outcomes = [
        loads_identical_or_refused(content[:end], model, tmp_path / "t.json")
        for end in range(len(content))
    ]
    # Only the final newline may go: the JSON object is complete without it.
    assert outcomes[:-1] == ["refused"] * (len(content) - 1)


def replacements(byte: int) -> list[int]:
    if THOROUGH:
        return [b for b in range(256) if b != byte]
    # One bit flipped (a digit one off, a letter's case) or a character JSON reads.
    significant = b'0"-e ,:'[byte % 7]
    return [byte ^ 1 if byte % 2 else significant if significant != byte else byte ^ 2]


def test_every_single_byte_change_is_refused_or_harmless(
    saved_model: tuple[bytes, MLP], tmp_path: Path
) -> None:
    content, model = saved_model
    counts = {"refused": 0, "identical": 0}
    for offset, byte in enumerate(content):
        for new in replacements(byte):
            changed = content[:offset] + bytes([new]) + content[offset + 1 :]
            counts[loads_identical_or_refused(changed, model, tmp_path / "c.json")] += 1
    assert counts["refused"] > 5 * counts["identical"]


# --- operands of every kind on both sides of every operator ---

BINARY = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": operator.pow,
}
COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}

FLOATS = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, 1.0, -2.0])
REALS = st.one_of(
    FLOATS,
    st.integers(-(10**400), 10**400),
    st.integers(-5, 5),
    st.fractions(max_denominator=10**30),
    st.builds(Fraction, st.integers(10**300, 10**400), st.integers(1, 3)),
)
NOT_NUMBERS = st.sampled_from([True, False, "1", None, Decimal("1.5"), 1j, [1.0], b"2"])


def as_float(x: Any) -> float:
    """The float the engine makes of a real number: saturated to +-inf when too large."""
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or (
        a == b and math.copysign(1, a) == math.copysign(1, b)
    )


def outcome(action: Any) -> tuple[str, Any]:
    try:
        return "ok", action()
    except (ValueError, ZeroDivisionError, TypeError) as error:
        return type(error).__name__, None


@given(
    st.sampled_from(sorted(BINARY) + sorted(COMPARE)),
    FLOATS,
    REALS | NOT_NUMBERS,
    st.booleans(),
)
def test_any_operand_kind_on_either_side(
    symbol: str, value: float, other: Any, value_on_left: bool
) -> None:
    function = BINARY.get(symbol) or COMPARE[symbol]
    node = Value(value)
    node.grad = 0.25
    # Fraction.__pow__ turns itself into a float before Value is asked, so a Fraction
    # too large for a float raises OverflowError in the fractions module (Python's
    # behaviour, out of the engine's reach; documented in docs/guide/numbers.md).
    huge_fraction = isinstance(other, Fraction) and math.isinf(as_float(other))
    if symbol == "**" and not value_on_left and huge_fraction:
        return
    left, right = (node, other) if value_on_left else (other, node)
    kind, result = outcome(lambda: function(left, right))
    assert (node.grad == 0.25 and node.data == value) or math.isnan(value)
    if isinstance(other, bool) or not isinstance(other, (int, float, Fraction)):
        assert kind == "TypeError", (symbol, other)
        return
    # Any real number behaves exactly as the float the engine makes of it.
    plain = as_float(other)
    left_f, right_f = (node, plain) if value_on_left else (plain, node)
    expected_kind, expected = outcome(lambda: function(left_f, right_f))
    assert kind == expected_kind != "TypeError", (symbol, value, other, kind)
    if kind != "ok":
        return
    if symbol in COMPARE:
        assert type(result) is bool and result == expected
    else:
        assert isinstance(result, Value) and same(result.data, expected.data)


@given(FLOATS, REALS | NOT_NUMBERS)
def test_any_operand_kind_where_one_number_is_taken(value: float, other: Any) -> None:
    node = Value(value)
    node.grad = 0.5
    for action in (
        lambda: Value(other),
        lambda: node.leaky_relu(other),
        lambda: (node * 1.0).backward(gradient=other),
    ):
        kind, _ = outcome(action)
        bad = isinstance(other, bool) or not isinstance(other, (int, float, Fraction))
        assert kind == ("TypeError" if bad else "ok")
    if isinstance(other, bool) or not isinstance(other, (int, float, Fraction)):
        assert node.grad == 0.5


# --- interrupts at every line of backward() and of Stepper construction ---

NUMBERS = st.floats(-2.0, 2.0, allow_nan=False)
GRAPHS = settings(max_examples=500 if THOROUGH else 8)  # each graph: hundreds of injections


@st.composite
def graphs(draw: st.DrawFn) -> tuple[Value, list[Value]]:
    """A small graph with shared nodes; leaves start with accumulated grads."""
    leaves = [Value(draw(NUMBERS), label=f"x{i}") for i in range(draw(st.integers(1, 3)))]
    for leaf in leaves:
        leaf.grad = draw(NUMBERS)
    pool = list(leaves)
    for _ in range(draw(st.integers(1, 5 if not THOROUGH else 12))):
        a, b = draw(st.sampled_from(pool)), draw(st.sampled_from(pool))
        pool.append(
            draw(
                st.sampled_from(
                    [a * b, a + 2.0, a.tanh(), (a * a + 1.0).sqrt(), add_up([a, b, a]), a / 3.0]
                )
            )
        )
    root = pool[-1]
    return root, topological_order([root])


def every_injection_restores(root: Value, nodes: list[Value], action: Any) -> int:
    before = [n.grad for n in nodes]
    points = line_count(action)
    for n, old in zip(nodes, before):
        n.grad = old
    for k in range(1, points + 1):
        assert interrupt_at(k, action), k
        assert [n.grad for n in nodes] == before, f"grads changed by an interrupt at line {k}"
    return points


@GRAPHS
@given(graphs())
def test_an_interrupt_anywhere_in_backward_changes_no_grad(
    graph: tuple[Value, list[Value]],
) -> None:
    root, nodes = graph
    root.backward()  # non-leaf grads of a finished pass, which an interrupt must keep
    assert every_injection_restores(root, nodes, root.backward) > 0


@GRAPHS
@given(graphs())
def test_an_interrupt_anywhere_in_stepper_construction_changes_no_grad(
    graph: tuple[Value, list[Value]],
) -> None:
    root, nodes = graph
    root.backward()
    assert every_injection_restores(root, nodes, lambda: Stepper(root)) > 0


def test_an_interrupt_anywhere_in_a_save_leaves_the_old_file_and_no_temporary(
    tmp_path: Path,
) -> None:
    path = tmp_path / "m.json"
    old, new = MLP(2, [3, 1], seed=1), MLP(2, [3, 1], seed=2)
    old.save(path)
    path.chmod(0o600)
    points = line_count(lambda: new.save(path))
    old.save(path)
    for k in range(1, points + 1):
        assert interrupt_at(k, lambda: new.save(path)), k
        assert os.listdir(tmp_path) == ["m.json"], f"a temporary file left at line {k}"
        assert MLP.load(path).state_dict() in (old.state_dict(), new.state_dict())
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        old.save(path)


def test_an_interrupt_anywhere_in_load_state_dict_changes_all_or_nothing() -> None:
    model = MLP(2, [3, 1], seed=1)
    before, after = model.state_dict(), MLP(2, [3, 1], seed=2).state_dict()
    points = line_count(lambda: model.load_state_dict(after))
    model.load_state_dict(before)
    for k in range(1, points + 1):
        interrupted = interrupt_at(k, lambda: model.load_state_dict(after))
        assert model.state_dict() == (before if interrupted else after), k
        model.load_state_dict(before)
