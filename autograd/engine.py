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

Beside it in the core: `modes` (no_grad, detect_anomaly), `gradients` (grad(), and
create_graph for higher derivatives), `functional` (helpers over lists of Values).
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Callable, Iterable, Sequence
from typing import Union

from . import modes
from .modes import apply_mode, check_gradient
from .ops import FLOAT, OPS, Op

Number = int | float
Operand = Union["Value", int, float]  # a forward reference: needs Union on 3.10

_ADD, _SUB, _MUL, _DIV, _POW = (OPS[n] for n in ("add", "sub", "mul", "div", "pow"))
_ADD_C, _SUB_C, _RSUB_C, _MUL_C, _DIV_C, _RDIV_C, _POW_C, _RPOW_C = (
    OPS[n + "_const"] for n in ("add", "sub", "rsub", "mul", "div", "rdiv", "pow", "rpow")
)


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
    return apply_mode(node) if modes.open_blocks else node


def apply_op(op: Op, inputs: Sequence[Value], const: float | None = None) -> Value:
    """A node of `op` on `inputs` (and its constant), as every operation records one."""
    datas = [x.data for x in inputs]
    data = op.forward(*datas) if const is None else op.forward(*datas, const)
    return _record(op, data, tuple(inputs), const)


def _constant(x: object) -> float | None:
    """A plain number as a float, or None when x is not a real number.

    A real number too large for a float (an int such as 10**400, a Fraction) saturates
    to +-inf, as float arithmetic overflows to inf. A bool raises TypeError: in this
    engine True is almost always a mistake, not the number 1.
    """
    kind = type(x)
    if kind is float:
        return x  # type: ignore[return-value]
    if kind is bool:
        raise TypeError("a bool is not a number here: write 1.0 or 0.0 if you mean one")
    if kind is int or isinstance(x, numbers.Real):
        try:
            return float(x)  # type: ignore[arg-type]
        except OverflowError:
            return math.inf if x > 0 else -math.inf  # type: ignore[operator]
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
        return apply_mode(node) if modes.open_blocks else node

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

    Comparisons: `<`, `<=`, `>`, `>=` compare `data` (with a Value or a real number) and
    return a plain bool, so `if loss < 0.01:` works. `==` and `hash` are identity, not
    data: nodes live in sets and dicts, and two nodes with equal data are still two
    nodes. Compare data explicitly with `a.data == b.data`.
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

    # --- comparisons of data (== stays identity: see the class docstring) ---

    def __lt__(self, other: Operand) -> bool:
        o = _compared(other)
        return NotImplemented if o is None else self.data < o

    def __le__(self, other: Operand) -> bool:
        o = _compared(other)
        return NotImplemented if o is None else self.data <= o

    def __gt__(self, other: Operand) -> bool:
        o = _compared(other)
        return NotImplemented if o is None else self.data > o

    def __ge__(self, other: Operand) -> bool:
        o = _compared(other)
        return NotImplemented if o is None else self.data >= o

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
        module docstring). On any exception all grads are restored. While it runs, the
        graph's grads hold the traversal's marks: read them (from another thread) after.
        """
        seed = _to_float(gradient, "backward gradient")
        sites = modes.anomaly_sites()
        # Every node the traversal reaches is listed with its grad of before the call,
        # as it is reached and before it is touched: that is all a restore needs.
        inner: list[Value] = []
        inner_grads: list[float] = []
        leaves: list[Value] = []
        leaf_grads: list[float] = []
        try:
            order = _marked_order(self, inner, inner_grads, leaves, leaf_grads)
            for leaf, old in zip(leaves, leaf_grads):  # leaves accumulate: their grads back
                leaf.grad = old
            self.grad += seed
            order.reverse()
            if sites is None:
                _propagate(order)
            else:
                _propagate_checked(order, sites)
        except BaseException:
            for node, old in zip(inner, inner_grads):
                node.grad = old
            for leaf, old in zip(leaves, leaf_grads):
                leaf.grad = old
            raise

    def zero_grad(self) -> None:
        """Set `.grad` to 0 on every node of this graph, leaves included."""
        for node in topological_order([self]):
            node.grad = 0.0


_new_value = Value.__new__


def _compared(other: object) -> float | None:
    """What a Value is compared with: another Value's data, or a real number."""
    return other.data if isinstance(other, Value) else _constant(other)


# The rules of the commonest operations, as the table defines them. While an op still
# has its table rule, _propagate applies it written out, without calling it; an op whose
# rule was replaced (as `autograd.testing` does to show a wrong rule being caught) goes
# through its rule like every other op.
_ADD_RULE, _MUL_RULE, _SUM_RULE = _ADD.derivative, _MUL.derivative, OPS["sum"].derivative
_ADD_C_RULE, _MUL_C_RULE = _ADD_C.derivative, _MUL_C.derivative


def _propagate(nodes: Iterable[Value]) -> None:
    """The chain rule over nodes given consumers-first: parent.grad += local * node.grad."""
    # The hot loop of the engine. Unpacking one and two parents by hand, rather than
    # through local_gradients(), makes a backward about twice as fast; writing out the
    # rules of add, mul, sum and their constant forms saves a call and a tuple per node.
    m = FLOAT
    for node in nodes:
        parents = node.parents
        if not parents:
            continue
        upstream = node.grad
        rule = node.op.derivative  # type: ignore[union-attr]
        if rule is _ADD_RULE:  # (1, 1)
            a, b = parents
            a.grad += upstream
            b.grad += upstream
        elif rule is _MUL_RULE:  # (b, a)
            a, b = parents
            a.grad += b.data * upstream
            b.grad += a.data * upstream
        elif rule is _MUL_C_RULE:  # (c,)
            (x,) = parents
            x.grad += node.const * upstream  # type: ignore[operator]
        elif rule is _ADD_C_RULE:  # (1,)
            (x,) = parents
            x.grad += upstream
        elif rule is _SUM_RULE:  # (1, 1, ...)
            for x in parents:
                x.grad += upstream
        elif len(parents) == 1:
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
            check_gradient(node, i, local, upstream, contribution, sites)
            parent.grad += contribution


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


# --- the order backward() uses: marks in the grad slot instead of sets ---


class _Mark:
    """A traversal state, held in a node's grad slot during backward's traversal."""

    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state = state

    def __repr__(self) -> str:
        return f"<backward traversal: {self.state}>"


_SEEN = _Mark("seen, not yet expanded")
_OPEN = _Mark("expanded, parents not yet all ordered")
# "Ordered" is a float equal to 0.0 and told apart by identity: it is also the reset
# value of a non-leaf grad, so the traversal resets every node as it orders it. Only
# the traversal stores this object; every `+=` of a backward replaces it with a new float.
_ORDERED = float("0.0")


def _marked_order(
    root: Value,
    inner: list[Value],
    inner_grads: list[float],
    leaves: list[Value],
    leaf_grads: list[float],
) -> list[Value]:
    """The nodes of root's graph that have parents, each after its parents (inputs first).

    The same iterative depth-first search as topological_order, with each node's state
    kept in its own grad slot rather than in two sets: a plain float (not yet reached),
    _SEEN, _OPEN, then _ORDERED. A node whose parents are all ordered when it is expanded
    is ordered at once, without a second visit. Every node reached is appended, with its
    grad of before, to (inner, inner_grads) or (leaves, leaf_grads) BEFORE it is marked,
    so whatever interrupts the traversal, those lists restore every grad it changed.
    On return non-leaf grads are reset (_ORDERED is 0.0) and leaves hold _ORDERED.
    """
    order: list[Value] = []
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value, got {type(root).__name__}")
    if not root.parents:
        leaf_grads.append(root.grad)
        leaves.append(root)
        root.grad = _ORDERED
        return order
    inner_grads.append(root.grad)
    inner.append(root)
    root.grad = _SEEN  # type: ignore[assignment]  # a mark, for the traversal's duration
    stack = [root]
    # Bound methods in locals: this loop runs once per node and edge.
    push, pop, emit = stack.append, stack.pop, order.append
    save_inner_grad, save_inner, save_leaf_grad, save_leaf = (
        inner_grads.append,
        inner.append,
        leaf_grads.append,
        leaves.append,
    )
    seen: object = _SEEN
    open_: object = _OPEN
    ordered = _ORDERED
    state: object
    grad: object
    while stack:
        node = pop()
        state = node.grad
        if state is seen:  # first visit: expand
            waiting = False  # has a parent still to be ordered: come back to this node
            for parent in node.parents:
                grad = parent.grad
                if grad is ordered:
                    continue
                if grad is seen:  # reached before, not expanded yet: expand it above us
                    pass
                elif grad is open_:  # only where `parents` were rewritten by hand
                    raise ValueError("the graph has a cycle: a node is its own ancestor")
                elif parent.parents:  # reached for the first time
                    save_inner_grad(grad)
                    save_inner(parent)
                    parent.grad = seen
                else:  # a leaf: nothing to expand
                    save_leaf_grad(grad)
                    save_leaf(parent)
                    parent.grad = ordered
                    continue
                if not waiting:
                    waiting = True
                    node.grad = open_  # type: ignore[assignment]
                    push(node)
                push(parent)
            if not waiting:
                node.grad = ordered
                emit(node)
        elif state is open_:  # second visit: every parent is ordered by now
            node.grad = ordered
            emit(node)
        # else: ordered already (a copy pushed before the node was expanded)
    return order
