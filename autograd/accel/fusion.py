"""The compiler lesson as code: fuse a layer's scalar sums of products into one matrix product.

A tape recorded from an MLP is hundreds of scalar instructions: for each neuron, one
`mul` per weight and one `sum` (the bias included). An accelerator's compiler sees the
pattern and lowers it: every neuron of a layer reads the same inputs, so the layer's
products and sums are one matrix product `W @ x + b`, run once on the whole batch.
`fuse(tape)` does exactly that and nothing else:

- a `sum` whose operands are products `parameter * x` (each used by that sum alone)
  and at most one parameter more (the bias) is one row of a layer;
- rows that read the same x's, in the same order, are one layer: one `matmul` step,
  placed where the layer's first row was;
- every other instruction (here the relus) is kept as it was.

>>> from autograd import Value
>>> from autograd.accel import compile
>>> from autograd.nn import MLP
>>> model = MLP(2, [16, 16, 1])
>>> x = [Value(0.0, label="x1"), Value(0.0, label="x2")]
>>> tape = compile(model(x), x, params=model.parameters())
>>> fused = fuse(tape)
>>> print(compare(tape, fused))
before: 369 instructions, 304 MACs
after:  35 instructions, 304 MACs (3 matrix products: 16x2, 16x16, 1x16)

The multiply-accumulates move into the matrix products; none is added or dropped.
The fused tape gives the same numbers up to rounding (a matrix product adds in
another order), and the gradients of the parameters summed over the batch
(`value_and_grad(..., summed=True)`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from ..ops import Op
from .tape import Array, FusedRun, Instruction, Tape

__all__ = ["MatMul", "compare", "fuse", "layers"]

Indices = npt.NDArray[np.intp]


def _not_on_floats(*args: Any) -> Any:
    raise TypeError("matmul is a fused step of a tape: it has no scalar version")


# Not an entry of ops.OPS: a step that only a fused tape has (ONNX export refuses it).
MATMUL = Op("matmul", -1, _not_on_floats, _not_on_floats, "matmul")


@dataclass(frozen=True)
class MatMul(Instruction):
    """`%outs = W @ x + b` for one layer: W's entries and b are parameters of the tape.

    weights[k][j] is the parameter index (0 = the tape's first parameter) of the weight
    from x[j] to out[k]; biases[k] that of out[k]'s bias (-1: none).
    """

    weights: Indices = field(default_factory=lambda: np.zeros((0, 0), dtype=np.intp))
    biases: Indices = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    xs: tuple[int, ...] = ()
    out_slots: tuple[int, ...] = ()

    @property
    def macs(self) -> int:
        return int(self.weights.size)

    @property
    def outs(self) -> tuple[int, ...]:
        return self.out_slots

    def __str__(self) -> str:
        rows, cols = self.weights.shape
        named = [f"%{out}" for out in self.out_slots]
        outs = ", ".join(named if rows <= 3 else [named[0], named[1], "...", named[-1]])
        xs = ", ".join(f"%{x}" for x in self.xs)
        bias = " + b" if (self.biases >= 0).any() else ""
        return f"{outs} = matmul W[{rows}x{cols}] @ [{xs}]{bias}"

    def _x(self, slots: list[Any], shape: tuple[int, ...]) -> Array:
        return np.stack([_full(slots[x], shape) for x in self.xs]).reshape(len(self.xs), -1)

    def run(self, slots: list[Any], fused: FusedRun) -> None:
        w = fused.params[self.weights]
        x = fused.saved[self.out] = self._x(slots, fused.shape)
        y = w @ x
        has_bias = self.biases >= 0
        if has_bias.any():
            y += np.where(has_bias, fused.params[self.biases], 0.0)[:, None]
        for k, out in enumerate(self.out_slots):
            slots[out] = y[k].reshape(fused.shape)

    def backward(self, slots: list[Any], adjoint: list[Any], fused: FusedRun) -> None:
        shape = fused.shape
        upstream = [adjoint[out] for out in self.out_slots]
        if all(u is None for u in upstream):
            return
        dy = np.stack([np.zeros(shape) if u is None else _full(u, shape) for u in upstream])
        dy = dy.reshape(len(upstream), -1)
        w = fused.params[self.weights]
        dx = w.T @ dy
        for j, x in enumerate(self.xs):
            contribution = dx[j].reshape(shape)
            previous = adjoint[x]
            adjoint[x] = contribution if previous is None else previous + contribution
        np.add.at(fused.param_grads, self.weights, dy @ fused.saved[self.out].T)
        has_bias = self.biases >= 0
        np.add.at(fused.param_grads, self.biases[has_bias], dy.sum(axis=1)[has_bias])


def _full(a: Any, shape: tuple[int, ...]) -> Any:
    return a if np.shape(a) == shape else np.broadcast_to(a, shape)


def fuse(tape: Tape) -> Tape:
    """The same program with each layer's products and sums as one matrix product.

    Only parameters (see `compile(..., params=...)`) can be fused as weights: they are
    the same for every sample, which is what makes W a matrix rather than a batch.
    """
    first_parameter = len(tape.input_names) - tape.parameters
    first_constant = len(tape.input_names)

    def parameter(slot: int) -> bool:
        return first_parameter <= slot < first_constant

    uses: dict[int, int] = {}
    for ins in tape.instructions:
        for a in ins.args:
            uses[a] = uses.get(a, 0) + 1
    for o in tape.outputs:
        uses[o] = uses.get(o, 0) + 1
    made_by = {ins.out: ins for ins in tape.instructions if type(ins) is Instruction}

    # Each candidate row: (sum instruction, x slots, weight slots, bias slot, its products).
    layers: dict[tuple[tuple[int, ...], bool], list[tuple[Instruction, list[int], int]]] = {}
    removed: set[int] = set()  # the out slots of the products fused away
    for ins in tape.instructions:
        if type(ins) is not Instruction or ins.op.name != "sum":
            continue
        row = _row(ins, made_by, uses, parameter)
        if row is None:
            continue
        xs, weights, bias, products = row
        layers.setdefault((tuple(xs), bias >= 0), []).append((ins, weights, bias))
        removed.update(products)

    steps: list[Instruction] = []
    first_rows = {rows[0][0].out: (key, rows) for key, rows in layers.items()}
    in_layers = {ins.out for rows in layers.values() for ins, _, _ in rows}
    for ins in tape.instructions:
        if ins.out in first_rows:
            (layer_xs, _), rows = first_rows[ins.out]
            steps.append(_matmul(layer_xs, rows, first_parameter))
        elif ins.out in in_layers or ins.out in removed:
            continue
        else:
            steps.append(ins)
    return replace(tape, instructions=tuple(steps))


def _row(
    ins: Instruction,
    made_by: dict[int, Instruction],
    uses: dict[int, int],
    parameter: Any,
) -> tuple[list[int], list[int], int, list[int]] | None:
    """(xs, weight slots, bias slot or -1, product slots) when `ins` sums products of
    parameters and values, plus at most one parameter; else None."""
    xs: list[int] = []
    weights: list[int] = []
    products: list[int] = []
    bias = -1
    for a in ins.args:
        product = made_by.get(a)
        if product is not None and product.op.name == "mul" and uses[a] == 1:
            left, right = product.args
            if parameter(left) and not parameter(right):
                weights.append(left)
                xs.append(right)
                products.append(a)
                continue
            if parameter(right) and not parameter(left):
                weights.append(right)
                xs.append(left)
                products.append(a)
                continue
        if parameter(a) and bias < 0:
            bias = a
            continue
        return None
    return (xs, weights, bias, products) if xs else None


def _matmul(
    xs: tuple[int, ...], rows: list[tuple[Instruction, list[int], int]], first_parameter: int
) -> MatMul:
    first = rows[0][0]
    weights = np.array([w for _, w, _ in rows], dtype=np.intp) - first_parameter
    biases = np.array([b - first_parameter if b >= 0 else -1 for _, _, b in rows], dtype=np.intp)
    return MatMul(
        op=MATMUL,
        out=first.out,
        args=(*xs, *(int(w) + first_parameter for w in weights.ravel())),
        const=None,
        forward=_not_on_floats,
        in_domain=None,
        weights=weights,
        biases=biases,
        xs=xs,
        out_slots=tuple(ins.out for ins, _, _ in rows),
    )


def compare(before: Tape, after: Tape) -> str:
    """Two lines: instruction counts and MACs of a tape and of its fused form."""
    products = [ins for ins in after.instructions if isinstance(ins, MatMul)]
    shapes = ", ".join("x".join(map(str, p.weights.shape)) for p in products)
    return (
        f"before: {len(before.instructions)} instructions, {before.macs} MACs\n"
        f"after:  {len(after.instructions)} instructions, {after.macs} MACs "
        f"({len(products)} matrix products: {shapes})"
    )


def layers(tape: Tape) -> Sequence[MatMul]:
    """The matrix products of a fused tape, in program order."""
    return [ins for ins in tape.instructions if isinstance(ins, MatMul)]
