"""Values, gradients and second derivatives against PyTorch in float64, when it is installed.

Each generated expression is built in the engine, then its recorded graph is replayed
node by node with torch operations (found by the op's name) and differentiated by
torch.autograd. PyTorch is never required: without it these tests are skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import assume, given
from scales import tolerances, value_scale

from autograd import OPS, Value, grad, topological_order
from autograd.testing import Expression, expressions

torch = pytest.importorskip("torch")
F = torch.nn.functional

# torch's softplus returns x itself above `threshold` (20 by default): an approximation
# off by e^-20 = 2e-9. At 40 the difference is e^-40 = 4e-18, below float64 resolution.
TORCH: dict[str, Callable[..., Any]] = {
    "add": torch.add,
    "sub": torch.sub,
    "mul": torch.mul,
    "div": torch.div,
    "pow": torch.pow,
    "add_const": lambda x, c: x + c,
    "sub_const": lambda x, c: x - c,
    "rsub_const": lambda x, c: c - x,
    "mul_const": lambda x, c: x * c,
    "div_const": lambda x, c: x / c,
    "rdiv_const": lambda x, c: c / x,
    "pow_const": lambda x, c: torch.pow(x, c),
    "rpow_const": lambda x, c: torch.pow(torch.tensor(c, dtype=torch.float64), x),
    "neg": torch.neg,
    "abs": torch.abs,
    "exp": torch.exp,
    "log": torch.log,
    "sqrt": torch.sqrt,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "softplus": lambda x: F.softplus(x, threshold=40.0),
    "sin": torch.sin,
    "cos": torch.cos,
    "relu": torch.relu,
    "leaky_relu": lambda x, c: F.leaky_relu(x, c),
    "sum": lambda *xs: torch.stack(xs).sum(),
    "max": lambda *xs: torch.stack(xs).max(),  # expressions keep away from ties
}


def test_torch_knows_every_operation() -> None:
    assert set(TORCH) == set(OPS)


def replay(output: Value, leaves: Sequence[Value], inputs: Sequence[Any]) -> Any:
    """The graph of output, recomputed in torch from tensors standing for the leaves."""
    known: dict[Value, Any] = dict(zip(leaves, inputs))
    for node in topological_order([output]):
        if node in known:
            continue
        if node.op is None:
            known[node] = torch.tensor(node.data, dtype=torch.float64)
            continue
        args = [known[parent] for parent in node.parents]
        if node.const is not None:
            args.append(node.const)
        known[node] = TORCH[node.op.name](*args)
    return known[output]


def torch_leaves(e: Expression) -> list[Any]:
    return [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in e.inputs]


@given(expressions(variables=3, max_depth=5))
def test_values_and_gradients_match_torch(e: Expression) -> None:
    out, leaves = e.build()
    xs = torch_leaves(e)
    theirs = replay(out, leaves, xs)
    assert abs(out.data - theirs.item()) <= 1e-13 * value_scale(out), e
    their_grads = torch.autograd.grad(theirs, xs, allow_unused=True)
    for ours, their, allowed in zip(
        grad(out, leaves), their_grads, tolerances(out, leaves, 1e-11, 1e-13)
    ):
        assert abs(ours - (0.0 if their is None else their.item())) <= allowed, e


def torch_cuts_the_graph(out: Value) -> bool:
    """Whether out uses a ** b with b == 0, where PyTorch's second derivatives are wrong.

    PyTorch (2.13) returns a constant 0 for d(a ** b)/da when b == 0, so the mixed
    second derivative d2(a ** b)/(da db) = 1/a is lost: for (exp(x) + x) ** x at x = 0
    it gives 2 where the answer is 4. The engine agrees with mpmath there (see
    test_derivatives.py), so such points are left out of the comparison.
    """
    pow_nodes = [n for n in topological_order([out]) if n.op is OPS["pow"]]
    return any(n.parents[1].data == 0 for n in pow_nodes)


@given(expressions(variables=2, max_depth=3))
def test_second_derivatives_match_torch(e: Expression) -> None:
    out, leaves = e.build()
    assume(not torch_cuts_the_graph(out))
    xs = torch_leaves(e)
    their_firsts = torch.autograd.grad(
        replay(out, leaves, xs), xs, create_graph=True, allow_unused=True
    )
    for first, their_first in zip(grad(out, leaves, create_graph=True), their_firsts):
        if their_first is None or not their_first.requires_grad:
            their_seconds = [None] * len(xs)  # constant in every input
        else:
            their_seconds = torch.autograd.grad(
                their_first, xs, allow_unused=True, retain_graph=True
            )
        allowed = tolerances(first, leaves, 1e-11, 1e-13)
        for ours, their, tol in zip(grad(first, leaves), their_seconds, allowed):
            assert abs(ours - (0.0 if their is None else their.item())) <= tol, e
