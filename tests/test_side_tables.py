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


BUILTIN = {name for name, op in OPS.items() if op.builtin}


def test_every_op_has_an_array_forward_and_a_public_spelling() -> None:
    assert set(tape.ARRAY_FORWARD) == BUILTIN
    assert set(APPLY) == BUILTIN


def test_the_parser_knows_every_op_written_as_a_function_call() -> None:
    # The command line's parser knows the built-in operations only: an operation you
    # define lives in your own process, which the command line is not.
    called = {name for name in BUILTIN if OPS[name].template.startswith(name + "(")}
    assert set(FUNCTIONS) == called


def test_user_ops_are_served_by_every_side_table_through_the_table() -> None:
    """An operation made with define_op is in none of the side tables: each reads it."""
    from user_ops import mylog

    from autograd import Value, define_op, remove_op
    from autograd.testing.expression import applier

    made = [
        mylog(),
        define_op("mix", lambda a, b: a * b + a, lambda m, out, a, b: (b + 1.0, a)),
        define_op("shift", lambda x, c: x + c, lambda m, out, x, c: (1.0,), const=True),
    ]
    try:
        for function in made:
            op = function.op
            for args in _operand_tuples(op.name):
                raises = _raises(op.name, args)
                mask = tape.in_domain(op)
                if mask is not None:
                    assert bool(mask(*(np.array([a]) for a in args))[0]) != raises, args
                if raises:
                    continue
                got = tape.array_forward(op)(*(np.array([a]) for a in args))
                assert float(got[0]) == op.forward(*args)
                leaves = [Value(a) for a in args[: op.arity]]
                node = applier(op)(*leaves, *args[op.arity :])  # type: ignore[misc]
                assert node.op is op and node.data == op.forward(*args)
    finally:
        for function in made:
            remove_op(function.op.name)


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
