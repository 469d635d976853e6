"""Tables keyed by op name, outside `ops.OPS`, agree with it: adding an op to the table
and forgetting one of these fails here.

The ONNX operator map is held against the table in test_export.py.
"""

from __future__ import annotations

import itertools
import math

import pytest
from optional import require

from autograd import OPS
from autograd.cli.parser import FUNCTIONS
from autograd.testing.expression import APPLY

np = require("numpy")
tape = require("autograd.accel.tape")  # after numpy: it needs numpy

POINTS = (-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0)
CONSTANTS = (-1.5, -1.0, 0.0, 0.5, 2.0, 3.0)


def test_every_op_has_an_array_forward_and_a_public_spelling() -> None:
    assert set(tape.ARRAY_FORWARD) == set(OPS)
    assert set(APPLY) == set(OPS)


def test_the_parser_knows_every_op_written_as_a_function_call() -> None:
    called = {name for name, op in OPS.items() if op.template.startswith(name + "(")}
    assert set(FUNCTIONS) == called


def _operand_tuples(name: str) -> list[tuple[float, ...]]:
    op = OPS[name]
    inputs = [POINTS] * op.arity + ([CONSTANTS] if op.has_const else [])
    return list(itertools.product(*inputs))


def _raises(name: str, args: tuple[float, ...]) -> bool:
    try:
        OPS[name].forward(*args)
    except (ValueError, ZeroDivisionError):
        return True
    return False


def _domain_cases(name: str) -> list[tuple[list[tuple[float, ...]], float | None]]:
    """(operand tuples, constant) groups: a tape holds each node's constant as a number, and
    a constant no input accepts (x / 0) is refused when the graph is recorded."""
    op = OPS[name]
    points = list(itertools.product(*[POINTS] * op.arity))
    if not op.has_const:
        return [(points, None)]
    cases = []
    for c in CONSTANTS:
        if not all(_raises(name, (*p, c)) for p in points):
            cases.append(([(*p, c) for p in points], c))
    return cases


@pytest.mark.parametrize("name", [name for name, op in OPS.items() if op.arity > 0])
def test_the_array_domain_masks_match_where_the_float_forward_raises(name: str) -> None:
    in_domain = tape.IN_DOMAIN.get(name)
    for operands, const in _domain_cases(name):
        raises = [_raises(name, args) for args in operands]
        arity = OPS[name].arity
        columns = [np.array(column) for column in zip(*operands)][:arity]
        arguments = [*columns] if const is None else [*columns, const]
        mask = np.broadcast_to(True if in_domain is None else in_domain(*arguments), len(operands))
        outside = [args for args, r, m in zip(operands, raises, mask) if r == bool(m)]
        assert not outside, f"{name}: mask and float forward disagree at {outside[:5]}"


@pytest.mark.parametrize("name", [name for name, op in OPS.items() if op.arity > 0])
def test_the_array_forward_equals_the_float_forward_inside_the_domain(name: str) -> None:
    op = OPS[name]
    for args in _operand_tuples(name):
        try:
            expected = op.forward(*args)
        except (ValueError, ZeroDivisionError):
            continue
        with np.errstate(all="ignore"):
            got = float(tape.ARRAY_FORWARD[name](*(np.float64(a) for a in args)))
        assert (
            got == expected
            or (math.isnan(got) and math.isnan(expected))
            or math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-300)
        ), f"{name}{args}: array {got!r}, float {expected!r}"
