"""The floor: the leanest node CPython allows for the same graph, to measure how close we are.

A `Node` records exactly what a Value records for the benchmark's operations (its
data, grad, parents, an operation and the constant of ops such as x * 2), with no
label, no table of rules, no modes and no checks beyond telling a node from a number.
Each operation writes its arithmetic inline, and each has a hand-written backward
function. Its backward uses the same traversal as `autograd.engine.topological_order`
(copied, so the floor does not depend on the engine), so the ratio to it measures the
engine's node and rule machinery, not the choice of algorithm. It does not reset or
restore gradients: it is meant for fresh graphs only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Union

Other = Union["Node", float]


class Node:
    __slots__ = ("const", "data", "grad", "op", "parents")

    data: float
    grad: float
    parents: tuple[Node, ...]
    op: Callable[[Node], None] | None
    const: float

    def __add__(self, other: Other) -> Node:
        node = _new(Node)
        node.grad = 0.0
        if type(other) is Node:
            node.data = self.data + other.data
            node.parents = (self, other)
            node.op = _add_backward
        else:
            node.data = self.data + other  # type: ignore[operator]
            node.parents = (self,)
            node.op = _add_const_backward
        return node

    def __mul__(self, other: Other) -> Node:
        node = _new(Node)
        node.grad = 0.0
        if type(other) is Node:
            node.data = self.data * other.data
            node.parents = (self, other)
            node.op = _mul_backward
        else:
            node.data = self.data * other  # type: ignore[operator]
            node.parents = (self,)
            node.op = _mul_const_backward
            node.const = other  # type: ignore[assignment]
        return node

    __radd__ = __add__
    __rmul__ = __mul__

    def tanh(self) -> Node:
        node = _new(Node)
        node.grad = 0.0
        node.data = math.tanh(self.data)
        node.parents = (self,)
        node.op = _tanh_backward
        return node


_new = Node.__new__


def leaf(x: float) -> Node:
    node = _new(Node)
    node.data = x
    node.grad = 0.0
    node.parents = ()
    node.op = None
    return node


def _add_backward(node: Node) -> None:
    a, b = node.parents
    a.grad += node.grad
    b.grad += node.grad


def _add_const_backward(node: Node) -> None:
    (x,) = node.parents
    x.grad += node.grad


def _mul_backward(node: Node) -> None:
    a, b = node.parents
    g = node.grad
    a.grad += b.data * g
    b.grad += a.data * g


def _mul_const_backward(node: Node) -> None:
    (x,) = node.parents
    x.grad += node.const * node.grad


def _tanh_backward(node: Node) -> None:
    (x,) = node.parents
    out = node.data
    x.grad += (1.0 - out * out) * node.grad


def topological_order(root: Node) -> list[Node]:
    """The engine's iterative depth-first search, the same algorithm line for line."""
    order: list[Node] = []
    expanded: set[Node] = set()
    emitted: set[Node] = set()
    stack = [root]
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


def backward(root: Node) -> None:
    """Seed the root and apply each node's own backward, consumers first."""
    order = topological_order(root)
    root.grad = 1.0
    for node in reversed(order):
        op = node.op
        if op is not None:
            op(node)
