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
        if isinstance(other, Value):  # the commonest case first: a node of two Values
            node_op, parents, const = op, (self, other), None
            data = op.forward(self.data, other.data)
        elif type(other) is float:  # the commonest constant: it skips the checks below
            node_op, parents, const = const_op, (self,), other
            data = const_op.forward(self.data, other)
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
        # What a restore needs, filled by the traversal before it touches a grad: the
        # leaves with their grads, and the inner nodes whose grad was not a fresh node's.
        order: list[Value] = []
        leaves: list[Value] = []
        leaf_grads: list[float] = []
        kept: list[Value] = []
        kept_grads: list[float] = []
        ordered = False
        try:
            _marked_order(self, order, leaves, leaf_grads, kept, kept_grads)
            ordered = True
            for leaf, old in zip(leaves, leaf_grads):  # leaves accumulate: their grads back
                leaf.grad = old
            self.grad += seed
            if sites is None:
                _propagate(order)
            else:
                _propagate_checked(reversed(order), sites)
        except BaseException:
            # Every inner node the traversal changed back to a fresh node's 0.0: once the
            # order is complete, those in it; before, those holding a mark (reached by a
            # search of their own, since an interrupt can land where the traversal holds a
            # marked node in no list). Then the grads that were not 0.0, then the leaves'.
            if ordered:
                changed = order
            else:
                changed = [
                    node
                    for node in topological_order([self])
                    if node.grad is _OPEN or node.grad is _ORDERED
                ]
            for node in changed:
                node.grad = _FRESH
            for node, old in zip(kept, kept_grads):
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
_WRITTEN_OUT = tuple(
    (OPS[name], OPS[name].derivative)
    for name in ("mul", "add", "relu", "mul_const", "add_const", "sum")
)
_NOT_AN_OP = object()  # stands for a written-out op whose rule was replaced: no node has it


def _propagate(order: list[Value]) -> None:
    """The chain rule over inner nodes given inputs first: parent.grad += local * node.grad."""
    # The hot loop of the engine, once per node. On micrograd's graph almost every node is
    # a product or a sum of two, so those come first and their rules are written out: no
    # call and no tuple per node. Which ops are written out is decided once per backward
    # (an op's rule replaced during a backward in another thread takes effect next time).
    mul, add, relu, mul_c, add_c, sum_ = (
        op if op.derivative is rule else _NOT_AN_OP for op, rule in _WRITTEN_OUT
    )
    m = FLOAT
    for node in reversed(order):
        op = node.op
        upstream = node.grad
        if op is mul:  # (b, a)
            a, b = node.parents
            a.grad += b.data * upstream
            b.grad += a.data * upstream
        elif op is add:  # (1, 1)
            a, b = node.parents
            a.grad += upstream
            b.grad += upstream
        elif op is relu:  # (step(x),): 1 * upstream is upstream, exactly
            (x,) = node.parents
            x.grad += upstream if x.data > 0.0 else 0.0 * upstream
        elif op is mul_c:  # (c,)
            (x,) = node.parents
            x.grad += node.const * upstream  # type: ignore[operator]
        elif op is add_c:  # (1,)
            (x,) = node.parents
            x.grad += upstream
        elif op is sum_:  # (1, 1, ...)
            for x in node.parents:
                x.grad += upstream
        elif len(node.parents) == 1:  # any other op: its rule, parents unpacked by hand
            (x,) = node.parents
            const = node.const
            if const is None:
                (local,) = op.derivative(m, node.data, x.data)  # type: ignore[union-attr]
            else:
                (local,) = op.derivative(m, node.data, x.data, const)  # type: ignore[union-attr]
            x.grad += local * upstream
        elif len(node.parents) == 2:
            a, b = node.parents
            local_a, local_b = op.derivative(m, node.data, a.data, b.data)  # type: ignore[union-attr]
            a.grad += local_a * upstream
            b.grad += local_b * upstream
        else:
            for parent, local in zip(node.parents, node.local_gradients()):
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


_OPEN: object = _Mark("expanded, parents not yet all ordered")
# "Ordered" is a float equal to 0.0 and told apart by identity: it is also the reset
# value of a non-leaf grad, so the traversal resets every node as it orders it. Only
# the traversal stores this object; every `+=` of a backward replaces it with a new float.
_ORDERED = float("0.0")
# The 0.0 every node is made with: CPython compiles each `0.0` of this module to this
# one object, so `grad is _FRESH` says cheaply that a node's grad needs no saving for a
# restore. (Where the literals are distinct objects, every grad is saved: slower, same result.)
_FRESH = 0.0


def _marked_order(
    root: Value,
    order: list[Value],
    leaves: list[Value],
    leaf_grads: list[float],
    kept: list[Value],
    kept_grads: list[float],
) -> None:
    """Fill `order` with the inner nodes of root's graph, each after its parents.

    An iterative depth-first search with each node's state in its own grad slot rather
    than in sets: a number (not reached yet), _OPEN (its parents are being ordered, it
    is on the stack below them), then _ORDERED. A node whose parents are all ordered
    when it is first visited is ordered at once. Any other goes back on the stack, and
    the walk goes on at once into a parent not yet ordered (the others are pushed above
    it); popped again, once those are ordered, it is ordered. (A node just popped or
    walked into may hold a mark and be in no list: an interrupt there is why a restore
    looks for the marks by a search of its own.) Leaves are listed with their grads in
    (leaves, leaf_grads), inner nodes whose grad is not the fresh 0.0 in (kept,
    kept_grads), each BEFORE its grad is changed. On return every inner node's grad is
    reset (_ORDERED is 0.0) and every leaf holds _ORDERED.
    """
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value, got {type(root).__name__}")
    # The marks and the stack in locals, each state tested once on the commonest paths,
    # and nodes of two parents written out: this loop runs once per node and per edge.
    open_ = _OPEN
    ordered = _ORDERED
    fresh = _FRESH
    stack = [root]
    while True:
        try:  # cheaper than testing the stack each time round
            node = stack.pop()
        except IndexError:
            return
        state = node.grad
        if state is open_:  # second visit: every parent is ordered by now
            node.grad = ordered
            order.append(node)
            continue
        if state is ordered:  # a copy pushed before the node was first visited
            continue
        while True:  # node's first visit; each round walks on into one of its parents
            if state is not fresh:
                if state is open_:  # walked into from its own descendant
                    raise _cycle_error()
                if node.parents:  # a grad of its own (an earlier backward's): keep it
                    kept_grads.append(state)
                    kept.append(node)
            parents = node.parents
            if len(parents) == 2:  # most nodes: a product or a sum of two
                a, b = parents
                if b.grad is not ordered:
                    node.grad = open_  # type: ignore[assignment]  # a mark, for the traversal
                    stack.append(node)
                    if a.grad is not ordered:
                        if a.grad is open_:
                            raise _cycle_error()
                        stack.append(a)
                    node = b
                elif a.grad is not ordered:
                    node.grad = open_  # type: ignore[assignment]
                    stack.append(node)
                    node = a
                else:
                    node.grad = ordered
                    order.append(node)
                    break
                state = node.grad
                continue
            if not parents:  # a leaf: ordered at once, its grad kept to be put back
                leaf_grads.append(state)
                leaves.append(node)
                node.grad = ordered
                break
            node.grad = open_  # type: ignore[assignment]
            waiting = False  # has a parent still to be ordered: back on the stack, under it
            for parent in parents:
                if parent.grad is not ordered:
                    if parent.grad is open_:
                        raise _cycle_error()
                    if not waiting:
                        waiting = True
                        stack.append(node)
                    stack.append(parent)
            if not waiting:
                node.grad = ordered
                order.append(node)
            break


def _cycle_error() -> ValueError:
    """What the traversal raises on a node that is its own ancestor."""
    # Only where `parents` were rewritten by hand: an operation cannot make a loop.
    return ValueError("the graph has a cycle: a node is its own ancestor")
