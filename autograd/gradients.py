"""grad(): gradients returned instead of stored, and create_graph for higher derivatives.

Under `create_graph=True` the derivative rules of the table run on Values (the
namespace `ValueMath`), so each gradient is itself a node of a new graph and can be
differentiated again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .engine import Number, Value, _record, _to_float, topological_order
from .modes import anomaly_sites, check_gradient
from .ops import OPS, Op, ieee_div, ieee_pow, one_hot, sign, step


def _ieee_node(pair: Op, const_op: Op, rconst_op: Op, forward: Any, a: Any, b: Any) -> Any:
    """a <op> b as a node whose data is computed the IEEE way (inf, not an exception).

    Derivatives never raise (see ops.py): at sqrt's 0 the derivative 0.5 / 0 is inf
    under create_graph too, so the node is recorded with the forward domain check off.
    """
    if isinstance(a, Value) and isinstance(b, Value):
        return _record(pair, forward(a.data, b.data), (a, b))
    if isinstance(a, Value):
        return _record(const_op, forward(a.data, float(b)), (a,), float(b))
    if isinstance(b, Value):
        return _record(rconst_op, forward(float(a), b.data), (b,), float(a))
    return forward(float(a), float(b))


class ValueMath:
    """The namespace `m` that derivative rules see under create_graph: Value operations."""

    @staticmethod
    def div(a: Any, b: Any) -> Any:
        return _ieee_node(OPS["div"], OPS["div_const"], OPS["rdiv_const"], ieee_div, a, b)

    @staticmethod
    def pow(a: Any, b: Any) -> Any:
        return _ieee_node(OPS["pow"], OPS["pow_const"], OPS["rpow_const"], ieee_pow, a, b)

    exp = staticmethod(Value.exp)
    log = staticmethod(Value.log)
    sin = staticmethod(Value.sin)
    cos = staticmethod(Value.cos)
    sigmoid = staticmethod(Value.sigmoid)

    # Piecewise-constant derivatives (relu, abs) are constants: their own derivative is 0.
    @staticmethod
    def step(x: Value) -> float:
        return step(x.data)

    @staticmethod
    def sign(x: Value) -> float:
        return sign(x.data)

    one_hot = staticmethod(one_hot)  # max's derivative: floats read from the Values' data


VALUE = ValueMath()


def _symbolic_local_gradients(node: Value) -> tuple[Any, ...]:
    assert node.op is not None
    args: list[Any] = list(node.parents)
    if node.const is not None:
        args.append(node.const)
    return node.op.derivative(VALUE, node, *args)


def grad(
    outputs: Value | Sequence[Value],
    inputs: Value | Sequence[Value],
    seeds: Number | Sequence[Number] | None = None,
    create_graph: bool = False,
) -> Any:
    """d(outputs)/d(inputs), returned instead of stored: no `.grad` is read or written.

    With several outputs, the result is the gradient of their sum (each weighted by
    its seed, default 1). An input the outputs do not depend on gets 0.
    Returns a float per input (a list if `inputs` is a sequence); with
    `create_graph=True` it returns Values in a new graph, so you can differentiate
    them again for second and higher derivatives.
    """
    out_list = [outputs] if isinstance(outputs, Value) else list(outputs)
    in_list = [inputs] if isinstance(inputs, Value) else list(inputs)
    for x in in_list:
        if not isinstance(x, Value):
            raise TypeError(f"grad() inputs must be Values, got {type(x).__name__}")
    if seeds is None:
        seed_list = [1.0] * len(out_list)
    else:
        # One rule with backward(gradient=): any real number (NumPy's too) is one seed.
        raw = list(seeds) if isinstance(seeds, Iterable) else [seeds]
        seed_list = [_to_float(s, "grad() seed") for s in raw]
        if len(seed_list) != len(out_list):
            raise ValueError(f"grad() got {len(seed_list)} seeds for {len(out_list)} outputs")
    order = topological_order(out_list)
    sites = anomaly_sites()

    adjoint: dict[Value, Any] = {}
    for out, seed in zip(out_list, seed_list):
        adjoint[out] = adjoint.get(out, 0.0) + seed
    for node in reversed(order):
        upstream = adjoint.get(node)
        if upstream is None or not node.parents:
            continue
        if create_graph:
            local_gradients = _symbolic_local_gradients(node)
        else:
            local_gradients = node.local_gradients()
        for i, (parent, local) in enumerate(zip(node.parents, local_gradients)):
            contribution = local * upstream
            if sites is not None:
                check_gradient(node, i, float(local), float(upstream), float(contribution), sites)
            previous = adjoint.get(parent)
            adjoint[parent] = contribution if previous is None else previous + contribution

    results: list[Any] = []
    for x in in_list:
        g = adjoint.get(x, 0.0)
        if create_graph:
            results.append(g if isinstance(g, Value) else Value(g))
        else:
            results.append(float(g))
    return results[0] if isinstance(inputs, Value) else results
