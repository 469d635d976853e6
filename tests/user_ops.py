"""Operations the tests define with define_op (conftest takes them out after each test)."""

from __future__ import annotations

import math
from typing import Any

from autograd import define_op
from autograd.ops import DefinedOp


def softsign(derivative: Any = None) -> DefinedOp:
    """x / (1 + |x|), with its right rule unless another is planted."""
    return define_op(
        "softsign",
        forward=lambda x: x / (1 + abs(x)),
        derivative=derivative or (lambda m, out, x: (m.div(1.0, (1 + abs(x)) ** 2),)),
    )


def swish(derivative: Any = None) -> DefinedOp:
    """x * sigmoid(x), with its right rule unless another is planted."""
    return define_op(
        "swish",
        forward=lambda x: x / (1 + math.exp(-x)) if x > -700 else 0.0 * x,
        derivative=derivative
        or (lambda m, out, x: (m.sigmoid(x) * (1.0 + x * (1.0 - m.sigmoid(x))),)),
    )


def mylog(**options: Any) -> DefinedOp:
    """math.log as an operation of one's own, defined for x > 0."""
    return define_op(
        "mylog",
        math.log,
        lambda m, out, x: (m.div(1.0, x),),
        arity=1,
        domain=lambda x: x > 0,
        **options,
    )
