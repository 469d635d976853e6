"""Value: a number that remembers how it was computed, and backward(): the chain rule.

Every operation on Values records a node: its result (`data`), the Values it was
computed from (`parents`), the operation (`op`, an entry of `ops.OPS`) and, for
operations with a plain-number operand such as `x * 2`, that number (`const`).
`backward()` visits the nodes from the output back to the inputs and applies the
chain rule, `parent.grad += local_derivative * node.grad`, with the local
derivatives taken from the one table of rules in `ops.py`.

Gradient semantics (as in PyTorch):
- A leaf (a Value you created, with no parents) *accumulates*: each backward adds
  to its `.grad`, until you reset it (`zero_grad()`, or an optimizer's).
- Every other node's `.grad` is reset at the start of each backward, so after a
  backward each node shows exactly d(root)/d(node) for that pass.
- A node reached along several paths gets the sum of what each path brings.
- If anything goes wrong during a backward (an error, Ctrl-C), every `.grad` is
  put back as it was before the call.

Graph building is iterative and nodes hold no closures, so a graph is freed by
reference counting alone and a chain of millions of nodes needs no recursion.
"""

from __future__ import annotations

import html
import math
import numbers
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Union

from .ops import FLOAT, OPS, Op, sign, step

Number = int | float
Operand = Union["Value", int, float]  # a forward reference: needs Union on 3.10

_ADD, _SUB, _MUL, _DIV, _POW = (OPS[n] for n in ("add", "sub", "mul", "div", "pow"))
_ADD_C, _SUB_C, _RSUB_C, _MUL_C, _DIV_C, _RDIV_C, _POW_C, _RPOW_C = (
    OPS[n + "_const"] for n in ("add", "sub", "rsub", "mul", "div", "rdiv", "pow", "rpow")
)


# --- modes: recording on/off (no_grad) and anomaly detection, per thread and task ---


@dataclass(frozen=True)
class _Mode:
    recording: bool
    anomaly_sites: dict[Value, str] | None  # where each node was created, in anomaly mode


_NORMAL = _Mode(recording=True, anomaly_sites=None)
_mode: ContextVar[_Mode] = ContextVar("autograd_mode", default=_NORMAL)

# How many no_grad()/detect_anomaly() blocks are open, in all threads together. While
# none is, recording needs no look at the context variable: one global test per node.
_open_blocks = 0
_open_blocks_lock = threading.Lock()


@contextmanager
def _in_mode(mode: _Mode) -> Iterator[None]:
    global _open_blocks
    with _open_blocks_lock:
        _open_blocks += 1
    token = _mode.set(mode)
    try:
        yield
    finally:
        with _open_blocks_lock:
            _open_blocks -= 1
        _mode.reset(token)


@contextmanager
def no_grad() -> Iterator[None]:
    """Operations inside record no parents: their results are plain leaves.

    Use it for updates and evaluation, where no gradient is wanted. It is based on
    a context variable, so it affects only the current thread (or asyncio task).
    """
    with _in_mode(_Mode(recording=False, anomaly_sites=None)):
        yield


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Stop at the first operation whose result or gradient is NaN or infinite.

    Inside this block every operation remembers the line of your code that created
    it; the first non-finite value, in a forward operation or in a backward pass,
    raises FloatingPointError naming the operation, its operands and that line.
    Slower than normal mode: use it to find where a NaN comes from.
    """
    with _in_mode(_Mode(recording=_mode.get().recording, anomaly_sites={})):
        yield


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _user_site() -> str:
    """file:line of the innermost caller outside this package."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back  # type: ignore[assignment]
    return f"{frame.f_code.co_filename}:{frame.f_lineno}" if frame is not None else "<unknown>"


# --- nodes ---


def _to_float(x: object, what: str) -> float:
    """x as a float; a TypeError naming `what` and the type when x is not a real number."""
    value = _constant(x)
    if value is None:
        raise TypeError(f"{what} must be a real number, got {type(x).__name__}")
    return value


def _record(op: Op, data: float, parents: tuple[Value, ...], const: float | None = None) -> Value:
    """A new node: `data` computed by `op` from `parents` (and `const`)."""
    # Built with __new__ and plain stores: the cheapest way CPython has to make an object.
    node = _new_value(Value)
    node.data = data
    node.grad = 0.0
    node.label = None
    node.parents = parents
    node.op = op
    node.const = const
    return _apply_mode(node) if _open_blocks else node


def _apply_mode(node: Value) -> Value:
    """The slow path of recording, taken while a no_grad or anomaly block is open somewhere."""
    mode = _mode.get()
    if not mode.recording:
        node.parents, node.op, node.const = (), None, None
    elif mode.anomaly_sites is not None:
        if not math.isfinite(node.data):
            assert node.op is not None
            operands = ", ".join(repr(p.data) for p in node.parents)
            if node.const is not None:
                operands += f", constant {node.const!r}"
            raise FloatingPointError(
                f"anomaly: {node.op.name}({operands}) produced {node.data!r} at {_user_site()}"
            )
        mode.anomaly_sites[node] = _user_site()
    return node


def _constant(x: object) -> float | None:
    """A plain number as a float, or None when x is not a real number."""
    kind = type(x)
    if kind is float:
        return x  # type: ignore[return-value]
    if kind is int or isinstance(x, numbers.Real):
        return float(x)  # type: ignore[arg-type]
    return None


# The methods of Value are made from the table by three small factories. They read
# `op.forward` at each call, so replacing a rule on an Op takes effect at once.


def _binary(op: Op, const_op: Op) -> Callable[[Value, Operand], Value]:
    """self <op> other: `op` when other is a Value, `const_op` when it is a number."""

    def method(self: Value, other: Operand) -> Value:
        parents: tuple[Value, ...]
        if type(other) is float:  # the commonest constant first: it skips the checks below
            node_op, parents, const = const_op, (self,), other
            data = const_op.forward(self.data, other)
        elif isinstance(other, Value):
            node_op, parents, const = op, (self, other), None
            data = op.forward(self.data, other.data)
        else:
            const = _constant(other)
            if const is None:
                return NotImplemented  # type: ignore[no-any-return]  # Python raises TypeError
            node_op, parents = const_op, (self,)
            data = const_op.forward(self.data, const)
        # _record(), written out: in the hottest path the call would cost a quarter of the node.
        node = _new_value(Value)
        node.data = data
        node.grad = 0.0
        node.label = None
        node.parents = parents
        node.op = node_op
        node.const = const
        return _apply_mode(node) if _open_blocks else node

    method.__doc__ = f"Records {op.format(['self', 'other'])} (a number as other: a constant)."
    return method


def _with_const(op: Op) -> Callable[[Value, Number], Value]:
    """An operation of self and a plain number, such as 2 - self."""

    def method(self: Value, other: Number) -> Value:
        const = _constant(other)
        if const is None:
            return NotImplemented  # type: ignore[no-any-return]
        return _record(op, op.forward(self.data, const), (self,), const)

    method.__doc__ = f"Records {op.template.format('self', c='other')}."
    return method


def _unary(op: Op) -> Callable[[Value], Value]:
    """A function of self alone, such as tanh(self)."""

    def method(self: Value) -> Value:
        return _record(op, op.forward(self.data), (self,))

    method.__doc__ = f"Records {op.format(['self'])}."
    return method


_leaky_relu = _with_const(OPS["leaky_relu"])


class Value:
    """A scalar in a computation graph. `Value(0.6, label="x")` makes a leaf.

    Attributes: `data` (float), `grad` (float, d(root)/d(this) after a backward),
    `parents` (the Values it was computed from), `op` (the `ops.Op` that made it,
    None for a leaf), `const` (the plain-number operand of ops such as `x * 2`),
    `label` (an optional name for drawings).
    """

    __slots__ = ("const", "data", "grad", "label", "op", "parents")

    data: float
    grad: float
    parents: tuple[Value, ...]
    op: Op | None
    const: float | None
    label: str | None

    def __init__(self, data: Number, label: str | None = None) -> None:
        self.data = _to_float(data, "Value()")
        self.grad = 0.0
        self.parents = ()
        self.op = None
        self.const = None
        if label is not None and not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}")
        self.label = label

    def __repr__(self) -> str:
        parts = [f"data={self.data!r}", f"grad={self.grad!r}"]
        if self.op is not None:
            parts.append(f"op={self.op.name!r}")
        if self.label is not None:
            parts.append(f"label={self.label!r}")
        return f"Value({', '.join(parts)})"

    def _repr_html_(self) -> str:
        """Jupyter shows a Value as one compact row: label, data, grad, op."""
        cells = [
            ("label", self.label or ""),
            ("data", f"{self.data:.6g}"),
            ("grad", f"{self.grad:.6g}"),
            ("op", self.op.name if self.op is not None else "leaf"),
        ]
        head = "".join(f"<th>{name}</th>" for name, _ in cells)
        row = "".join(f"<td>{html.escape(text)}</td>" for _, text in cells)
        return f"<table><tr>{head}</tr><tr>{row}</tr></table>"

    def __float__(self) -> float:
        return self.data

    @property
    def is_leaf(self) -> bool:
        return not self.parents

    # --- arithmetic: each one line, made from its entry in the table ---

    __add__ = __radd__ = _binary(_ADD, _ADD_C)
    __sub__ = _binary(_SUB, _SUB_C)
    __rsub__ = _with_const(_RSUB_C)
    __mul__ = __rmul__ = _binary(_MUL, _MUL_C)
    __truediv__ = _binary(_DIV, _DIV_C)
    __rtruediv__ = _with_const(_RDIV_C)
    __pow__ = _binary(_POW, _POW_C)
    __rpow__ = _with_const(_RPOW_C)
    __neg__ = _unary(OPS["neg"])
    __abs__ = _unary(OPS["abs"])

    def __pos__(self) -> Value:
        return self

    # --- functions ---

    exp = _unary(OPS["exp"])
    log = _unary(OPS["log"])
    sqrt = _unary(OPS["sqrt"])
    tanh = _unary(OPS["tanh"])
    sigmoid = _unary(OPS["sigmoid"])
    relu = _unary(OPS["relu"])
    softplus = _unary(OPS["softplus"])
    sin = _unary(OPS["sin"])
    cos = _unary(OPS["cos"])

    def leaky_relu(self, slope: float = 0.01) -> Value:
        """Records leaky_relu(self, slope): slope * self where self <= 0."""
        return _leaky_relu(self, _to_float(slope, "leaky_relu slope"))

    def detach(self) -> Value:
        """A new leaf with the same data, cut off from this graph."""
        return Value(self.data, self.label)

    # --- gradients ---

    def local_gradients(self) -> tuple[float, ...]:
        """d(self)/d(parent) for each parent, at the current data (empty for a leaf)."""
        if self.op is None:
            return ()
        args = [p.data for p in self.parents]
        if self.const is not None:
            args.append(self.const)
        return self.op.derivative(FLOAT, self.data, *args)

    def backward(self, gradient: Number = 1.0) -> None:
        """Fill `.grad` of every node in this graph with d(self)/d(node), times `gradient`.

        Leaves accumulate across calls; every other node is reset first (see the
        module docstring). On any exception all grads are restored.
        """
        seed = _to_float(gradient, "backward gradient")
        order = topological_order([self])
        saved = [node.grad for node in order]
        sites = _mode.get().anomaly_sites
        try:
            for node in order:
                if node.parents:
                    node.grad = 0.0
            self.grad += seed
            if sites is None:
                _propagate(reversed(order))
            else:
                _propagate_checked(reversed(order), sites)
        except BaseException:
            for node, old in zip(order, saved):
                node.grad = old
            raise

    def zero_grad(self) -> None:
        """Set `.grad` to 0 on every node of this graph, leaves included."""
        for node in topological_order([self]):
            node.grad = 0.0


_new_value = Value.__new__


def _propagate(nodes: Iterable[Value]) -> None:
    """The chain rule over nodes given consumers-first: parent.grad += local * node.grad."""
    # The hot loop of the engine: unpacking one and two parents by hand, rather than
    # through local_gradients(), makes a backward about twice as fast.
    m = FLOAT
    for node in nodes:
        parents = node.parents
        if not parents:
            continue
        upstream = node.grad
        rule = node.op.derivative  # type: ignore[union-attr]
        if len(parents) == 1:
            (x,) = parents
            const = node.const
            if const is None:
                (local,) = rule(m, node.data, x.data)
            else:
                (local,) = rule(m, node.data, x.data, const)
            x.grad += local * upstream
        elif len(parents) == 2:
            a, b = parents
            local_a, local_b = rule(m, node.data, a.data, b.data)
            a.grad += local_a * upstream
            b.grad += local_b * upstream
        else:
            for parent, local in zip(parents, node.local_gradients()):
                parent.grad += local * upstream


def _propagate_checked(nodes: Iterable[Value], sites: dict[Value, str]) -> None:
    """_propagate for anomaly mode: stops at the first non-finite gradient."""
    for node in nodes:
        upstream = node.grad
        for i, (parent, local) in enumerate(zip(node.parents, node.local_gradients())):
            contribution = local * upstream
            _check_gradient(node, i, local, upstream, contribution, sites)
            parent.grad += contribution


def _check_gradient(
    node: Value, index: int, local: Any, upstream: Any, contribution: Any, sites: dict[Value, str]
) -> None:
    if math.isfinite(contribution) or not math.isfinite(upstream):
        return
    assert node.op is not None
    site = sites.get(node, "a line outside the detect_anomaly() block")
    raise FloatingPointError(
        f"anomaly: the backward of {node.op.name} (created at {site}) gave "
        f"local derivative {local!r} for input {index} (data={node.parents[index].data!r}), "
        f"so its gradient became {contribution!r}"
    )


def topological_order(roots: Iterable[Value]) -> list[Value]:
    """Every node the roots depend on, each after all of its parents (inputs first).

    Iterative depth-first search: no recursion, so a chain of any depth works.
    """
    order: list[Value] = []
    expanded: set[Value] = set()
    emitted: set[Value] = set()
    stack = list(roots)
    for root in stack:
        if not isinstance(root, Value):
            raise TypeError(f"expected a Value, got {type(root).__name__}")
    # Bound methods in locals: this loop runs once per node and edge.
    push, pop, expand, emit, append = (
        stack.append,
        stack.pop,
        expanded.add,
        emitted.add,
        order.append,
    )
    while stack:
        node = pop()
        if node in expanded:
            # Second visit: every parent is in the order by now.
            if node not in emitted:
                emit(node)
                append(node)
            continue
        expand(node)
        push(node)
        for parent in node.parents:
            if parent not in expanded:
                push(parent)
    return order


# --- functional gradients ---


class ValueMath:
    """The namespace `m` that derivative rules see under create_graph: Value operations."""

    @staticmethod
    def div(a: Any, b: Any) -> Any:
        return a / b

    @staticmethod
    def pow(a: Any, b: Any) -> Any:
        return a**b

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
        raw = [seeds] if isinstance(seeds, (int, float)) else list(seeds)
        seed_list = [_to_float(s, "grad() seed") for s in raw]
        if len(seed_list) != len(out_list):
            raise ValueError(f"grad() got {len(seed_list)} seeds for {len(out_list)} outputs")
    order = topological_order(out_list)
    sites = _mode.get().anomaly_sites

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
                _check_gradient(node, i, float(local), float(upstream), float(contribution), sites)
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
