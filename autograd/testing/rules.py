"""Swap a derivative rule of the table for a while: to watch a checker catch a wrong one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..ops import Op, Rule, checked_rule, op_named


@contextmanager
def replace_rule(name: str, derivative: Rule) -> Iterator[Op]:
    """Use `derivative` as the rule of operation `name` inside the block, everywhere.

    Every node refers to its operation's one Op object, so the swap reaches graphs
    built before the block too. It works on your own operations (define_op) as well.
    The original rule is back when the block ends, even on an error. Not thread safe:
    it changes the shared table.

        with replace_rule("sin", lambda m, out, x: (m.sin(x),)):  # wrong: sin' = cos
            gradcheck(lambda x: x.sin(), [0.5])  # raises GradcheckError
    """
    op = op_named(name)
    original = op.derivative
    op.derivative = checked_rule(op, derivative)  # yours (define_op): checked as define_op does
    try:
        yield op
    finally:
        op.derivative = original
