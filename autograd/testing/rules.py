"""Swap a derivative rule of the table for a while: to watch a checker catch a wrong one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..ops import Op, Rule, op_named


@contextmanager
def replace_rule(name: str, derivative: Rule) -> Iterator[Op]:
    """Use `derivative` as the rule of operation `name` inside the block, everywhere.

    Every node refers to its operation's one Op object, so the swap reaches graphs
    built before the block too. The original rule is back when the block ends, even on
    an error. Not thread safe: it changes the shared table.

        with replace_rule("sin", lambda m, out, x: (m.sin(x),)):  # wrong: sin' = cos
            gradcheck(lambda x: x.sin(), [0.5])  # raises GradcheckError
    """
    op = op_named(name)
    original = op.derivative
    op.derivative = derivative
    try:
        yield op
    finally:
        op.derivative = original
