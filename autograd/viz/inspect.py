"""How much computation is this? Counts of nodes and operations, multiply-accumulates, depth.

The work of a neural network is multiply-accumulate operations (MACs) in enormous
numbers: a neuron multiplies each input by a weight and adds the products up, so one
1000x1000 layer is a million MACs per sample. That is what GPUs (as SIMD) and NPUs (as
MAC arrays) are built for. `graph_stats` counts them in a real graph:

>>> from autograd import Value, dot
>>> x = [Value(0.6), Value(0.2), Value(0.9)]
>>> w = [Value(0.8), Value(0.1), Value(0.3)]
>>> y = (dot(w, x) + Value(0.2)).sigmoid()
>>> stats = graph_stats(y, parameters=w)
>>> stats.macs, stats.depth, stats.op_counts["mul"]
(3, 4, 3)

A MAC is counted for each product (`a * b`, `a * 2`) that is an input of an
accumulation (`+`, `-`, `sum`): each multiply whose result is added up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ..engine import Value, topological_order

PRODUCTS = frozenset({"mul", "mul_const"})
ACCUMULATIONS = frozenset({"add", "sub", "sum", "add_const", "sub_const", "rsub_const"})


@runtime_checkable
class HasParameters(Protocol):
    """A model: anything with a `parameters()` method (nn.Module, MLP, Layer, Neuron)."""

    def parameters(self) -> Iterable[Value]: ...


@dataclass(frozen=True)
class GraphStats:
    """What `graph_stats` counts; `summary()` (or `str()`) formats it as a table."""

    nodes: int
    leaves: int
    edges: int
    op_counts: dict[str, int]  # operation name -> how many nodes it made, most first
    macs: int  # multiply-accumulates: products that feed an accumulation
    depth: int  # operations on the longest path from an input to the output
    parameters: int | None  # parameters (given) that this graph uses; None if none given
    unused_parameters: int = 0  # given parameters this graph does not use

    @property
    def operations(self) -> int:
        return self.nodes - self.leaves

    def summary(self) -> str:
        """The counts as an aligned table, numbers with thousands separators."""
        rows = [
            ("nodes", f"{self.nodes:,} ({self.leaves:,} leaves, {self.operations:,} operations)"),
            ("edges", f"{self.edges:,}"),
            ("depth", f"{self.depth:,} operations on the longest path"),
            ("multiply-accumulates", f"{self.macs:,}"),
        ]
        if self.parameters is not None:
            unused = self.unused_parameters
            unused_note = f" ({unused:,} given but not used here)" if unused else ""
            rows.append(("parameters", f"{self.parameters:,}{unused_note}"))
        counts = ", ".join(f"{name} {count:,}" for name, count in self.op_counts.items())
        rows.append(("operations", counts or "none"))
        width = max(len(name) for name, _ in rows)
        return "\n".join(f"{name:<{width}}  {text}" for name, text in rows)

    __str__ = summary

    def __repr__(self) -> str:
        """The table, as in print(): a dump of the fields reads worse at a prompt."""
        return self.summary()


def graph_stats(
    root: Value | Sequence[Value],
    parameters: Iterable[Value] | HasParameters | None = None,
) -> GraphStats:
    """Count the graph that computes `root` (a Value or several).

    `parameters` (a list of Values, or a model with `.parameters()`) lets it count how
    many parameters the graph uses.
    """
    order = topological_order([root] if isinstance(root, Value) else list(root))
    depth: dict[Value, int] = {}
    op_counts: Counter[str] = Counter()
    leaves = macs = edges = 0
    for node in order:
        parents = node.parents
        if not parents:
            depth[node] = 0
            leaves += 1
            continue
        depth[node] = 1 + max(map(depth.__getitem__, parents))
        edges += len(parents)
        name = node.op.name  # type: ignore[union-attr]
        op_counts[name] += 1
        if name in ACCUMULATIONS:
            macs += sum(1 for p in parents if p.op is not None and p.op.name in PRODUCTS)
    used, unused = _count_parameters(parameters, depth) if parameters is not None else (None, 0)
    return GraphStats(
        nodes=len(order),
        leaves=leaves,
        edges=edges,
        op_counts=dict(op_counts.most_common()),
        macs=macs,
        depth=max(depth.values()),
        parameters=used,
        unused_parameters=unused,
    )


def _count_parameters(
    parameters: Iterable[Value] | HasParameters, in_graph: dict[Value, int]
) -> tuple[int, int]:
    if isinstance(parameters, HasParameters):
        parameters = parameters.parameters()
    distinct = set()
    for p in parameters:
        if not isinstance(p, Value):
            raise TypeError(f"parameters must be Values, got {type(p).__name__}")
        distinct.add(p)
    used = sum(1 for p in distinct if p in in_graph)
    return used, len(distinct) - used


def summary(
    root: Value | Sequence[Value],
    parameters: Iterable[Value] | HasParameters | None = None,
) -> str:
    """graph_stats(root, parameters).summary(): the counts as a table."""
    return graph_stats(root, parameters).summary()


@dataclass(frozen=True)
class Use:
    """One place where a node (a shared weight) is read: the operation that reads it,
    d(that operation)/d(node) there, and the gradient d(root)/d(operation) upstream."""

    consumer: Value
    local: float
    upstream: float
    others: tuple[Value, ...] = ()  # the operation's other inputs: x where it reads w * x

    @property
    def contribution(self) -> float:
        """upstream * local: what this use adds to the node's gradient."""
        return self.upstream * self.local


def uses(node: Value, root: Value | Sequence[Value]) -> list[Use]:
    """Every operation in root's graph that reads `node`, in graph order, with what each
    sends back to it after a backward of root: a weight shared by a convolution's
    positions or a recurrent layer's time steps gets the sum of these contributions.

    >>> from autograd import Value
    >>> w = Value(0.5)
    >>> y = w * 2.0 + w * 3.0
    >>> y.backward()
    >>> sorted(u.contribution for u in uses(w, y)), w.grad
    ([2.0, 3.0], 5.0)
    >>> x = Value(4.0, label="x")
    >>> [(u.local, [o.label for o in u.others]) for u in uses(w, w * x)]
    [(4.0, ['x'])]
    """
    found = []
    for consumer in topological_order([root] if isinstance(root, Value) else list(root)):
        locals_ = consumer.local_gradients()
        for parent, local in zip(consumer.parents, locals_):
            if parent is node:
                others = tuple(p for p in consumer.parents if p is not node)
                found.append(Use(consumer, local, consumer.grad, others))
    return found
