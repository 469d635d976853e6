"""The compiler lesson as code: fuse a layer's scalar sums of products into one matrix product.

A tape recorded from an MLP is hundreds of scalar instructions: for each neuron, one
`mul` per weight and one `sum` (the bias included). An accelerator's compiler sees the
pattern and lowers it: every neuron of a layer reads the same inputs, so the layer's
products and sums are one matrix product `W @ x + b`, run once on the whole batch.
`fuse(tape)` does exactly that and nothing else:

- a `sum` whose operands are products `parameter * x` (each used by that sum alone)
  and parameters added as they are (the bias; an RNN's rows add two) is one row of a
  layer;
- rows that read the same x's, in the same order, are one layer: one `matmul` step,
  placed where the layer's first row was;
- layers that apply the same weights (the same biases, overlapping columns) to other
  x's whose values are ready there are one step too: a convolution's filters at every
  position of the image are one matrix product with the image unfolded into one
  column per position (im2col); a tap that falls in the zero padding reads a zero;
- every other instruction (here the relus) is kept as it was.

`vectorize(tape)` is the second pass an accelerator's compiler makes: the steps of
one depth that run the same operation (a convolution's 512 relus, a pooling layer's
128 maxes) become one operation on an array, each still its own row: the same
numbers, one NumPy call instead of hundreds.

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

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt

from ..ops import Op
from .tape import NUMPY, Array, FusedRun, Instruction, Tape, check_domain

__all__ = ["MatMul", "Vector", "compare", "fuse", "layers", "vectorize"]

Indices = npt.NDArray[np.intp]


def _not_on_floats(*args: Any) -> Any:
    raise TypeError("matmul is a fused step of a tape: it has no scalar version")


# Not an entry of ops.OPS: a step that only a fused tape has (ONNX export refuses it).
MATMUL = Op("matmul", -1, _not_on_floats, _not_on_floats, "matmul")


@dataclass(frozen=True)
class MatMul(Instruction):
    """`%outs = W @ X + b`: one layer, W's entries and b parameters of the tape.

    X has one column per *position*: a dense layer has one position; a convolution
    applies the same W at every position of the image, so its X is the image unfolded
    into one column per output position (im2col) and its outputs are `out_slots[p][k]`.
    weights[k][j] is the parameter index (0 = the tape's first parameter) of the weight
    from column entry j to output row k; biases[k] those of row k's biases (none, one,
    or two as in an RNN: b_ih + b_hh);
    xs[p][j] the slot read at position p as entry j, or -1 where position p has no such
    entry (a tap in a convolution's zero padding): the product reads a zero there.
    """

    parameters_as_vector: ClassVar[bool] = True

    weights: Indices = field(default_factory=lambda: np.zeros((0, 0), dtype=np.intp))
    biases: Indices = field(default_factory=lambda: np.zeros((0, 0), dtype=np.intp))
    xs: Indices = field(default_factory=lambda: np.zeros((0, 0), dtype=np.intp))
    out_slots: Indices = field(default_factory=lambda: np.zeros((0, 0), dtype=np.intp))

    @property
    def macs(self) -> int:
        """The products the scalar program had: the padding's zeros are not among them."""
        return int(self.weights.shape[0] * np.count_nonzero(self.xs >= 0))

    @property
    def padding_macs(self) -> int:
        """The products by a padding zero that the matrix product computes as well."""
        return int(self.weights.shape[0] * np.count_nonzero(self.xs < 0))

    @property
    def outs(self) -> tuple[int, ...]:
        return tuple(int(out) for out in self.out_slots.ravel())

    @property
    def shape(self) -> str:
        """ "16x2" for a dense layer; "8x9 at 64 positions" for a convolution."""
        rows, cols = self.weights.shape
        positions = len(self.xs)
        return f"{rows}x{cols}" + (f" at {positions} positions" if positions > 1 else "")

    def __str__(self) -> str:
        rows, cols = self.weights.shape
        named = [f"%{out}" for out in self.outs]
        outs = ", ".join(named if len(named) <= 3 else [named[0], named[1], "...", named[-1]])
        bias = " + b" * self.biases.shape[1]
        if len(self.xs) == 1:
            named = [f"%{x}" for x in self.xs[0]]
            if len(named) > 6:
                named = [*named[:2], "...", named[-1]]
            return f"{outs} = matmul W[{rows}x{cols}] @ [{', '.join(named)}]{bias}"
        zeros = f", {self.padding_macs} padding zeros" if self.padding_macs else ""
        return (
            f"{outs} = matmul W[{rows}x{cols}] @ im2col[{cols}x{len(self.xs)}]{bias}"
            f"  ; {len(self.xs)} positions{zeros}"
        )

    @functools.cached_property
    def _gather(self) -> tuple[list[int], Indices | None, list[int]]:
        """(the slots read, once each; for each position and entry the index of its slot
        among them, or len(slots read) for a zero, or None where X is those slots in
        order (a dense layer); the out slots, position by position)."""
        read = list(dict.fromkeys(int(x) for x in self.xs.ravel() if x >= 0))
        index = {slot: i for i, slot in enumerate(read)}
        gather = np.array(
            [[index.get(int(x), len(read)) for x in row] for row in self.xs], dtype=np.intp
        )
        dense = gather.shape == (1, len(read)) and (gather[0] == np.arange(len(read))).all()
        return read, None if dense else gather, self.out_slots.ravel().tolist()

    @functools.cached_property
    def _scatter(self) -> Array:
        """[slots read, positions * entries]: which entries of X each slot read was."""
        read, gather, _ = self._gather
        assert gather is not None  # a dense layer needs no scatter
        scatter = np.zeros((len(read) + 1, gather.size))
        scatter[gather.ravel(), np.arange(gather.size)] = 1.0
        return scatter[:-1]  # the last row: the padding's zeros, which want no gradient

    @functools.cached_property
    def _distinct_weights(self) -> bool:
        return len(np.unique(self.weights)) == self.weights.size

    def run(self, slots: list[Any], fused: FusedRun) -> None:
        read, gather, outs = self._gather
        rows, entries = self.weights.shape
        values = _rows([slots[slot] for slot in read], fused.shape).reshape(len(read), -1)
        if gather is not None:
            values = np.concatenate([values, np.zeros((1, values.shape[1]))])  # the zeros
        # X: [entries, positions * samples], one column per position of every sample.
        x = values if gather is None else values[gather].transpose(1, 0, 2).reshape(entries, -1)
        fused.saved[self.out] = x
        y = fused.params[self.weights] @ x
        if self.biases.size:
            y += fused.params[self.biases].sum(axis=1)[:, None]
        by_position = y.reshape(rows, len(self.xs), -1).transpose(1, 0, 2).reshape(len(outs), -1)
        for out, row in zip(outs, by_position):
            slots[out] = row.reshape(fused.shape)

    def backward(self, slots: list[Any], adjoint: list[Any], fused: FusedRun) -> None:
        read, gather, outs = self._gather
        rows, entries = self.weights.shape
        positions = len(self.xs)
        upstream = [adjoint[out] for out in outs]
        if all(u is None for u in upstream):
            return
        by_out = _rows([0.0 if u is None else u for u in upstream], fused.shape)
        dy = by_out.reshape(positions, rows, -1).transpose(1, 0, 2).reshape(rows, -1)
        wanted = [(i, slot) for i, slot in enumerate(read) if slot >= fused.first_wanted]
        if wanted:
            dx = fused.params[self.weights].T @ dy  # [entries, positions * samples]
            if gather is not None:  # each slot read: the sum over the entries it was
                by_entry = dx.reshape(entries, positions, -1).transpose(1, 0, 2)
                dx = self._scatter @ by_entry.reshape(positions * entries, -1)
            for i, slot in wanted:
                contribution = dx[i].reshape(fused.shape)
                previous = adjoint[slot]
                adjoint[slot] = contribution if previous is None else previous + contribution
        weight_grads = dy @ fused.saved[self.out].T
        if self._distinct_weights:
            fused.param_grads[self.weights] += weight_grads
        else:  # a weight used twice (tied): both uses count
            np.add.at(fused.param_grads, self.weights, weight_grads)
        for column in self.biases.T:  # every bias of a row gets the row's gradient
            np.add.at(fused.param_grads, column, dy.sum(axis=1))


def _rows(values: list[Any], shape: tuple[int, ...]) -> Array:
    """One array [len(values), *shape]: row k is values[k] (a number or an array that
    broadcasts to the batch's shape)."""
    if shape and all(type(v) is np.ndarray and v.shape == shape for v in values):
        return np.concatenate(values).reshape(len(values), *shape)  # the fastest copy
    rows = np.empty((len(values), *shape))
    for k, value in enumerate(values):
        rows[k] = value
    return rows


@dataclass
class _Layer:
    """Rows that become one MatMul: at each position, the rows of one sum instruction each."""

    biases: tuple[tuple[int, ...], ...]  # the bias slots of each row
    columns: dict[tuple[int, ...], None]  # each column: the weight slot of every row
    positions: list[tuple[list[Instruction], dict[tuple[int, ...], int]]]  # sums, column -> x
    placed_at: int  # index in the program of its first sum: where the MatMul goes


def fuse(tape: Tape) -> Tape:
    """The same program with each layer's products and sums as one matrix product.

    Only parameters (see `compile(..., params=...)`) can be fused as weights: they are
    the same for every sample, which is what makes W a matrix rather than a batch.
    Rows that apply the same weights to other values at other positions (a
    convolution's filters sliding over the image) become one product too, when
    every value they read is ready where the first of them stands.
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
    made_at = {out: k for k, ins in enumerate(tape.instructions) for out in ins.outs}

    # Rows reading the same xs, in the same order (and adding as many biases), are one
    # layer at one position.
    at_position: dict[tuple[tuple[int, ...], int], list[_Row]] = {}
    for ins in tape.instructions:
        if type(ins) is not Instruction or ins.op.name != "sum":
            continue
        row = _row(ins, made_by, uses, parameter)
        if row is not None:
            at_position.setdefault((tuple(row.xs), len(row.biases)), []).append(row)

    layers: list[_Layer] = []
    removed: set[int] = set()  # the out slots of the products fused away
    for (xs, _), rows in at_position.items():
        columns = {tuple(row.weights[j] for row in rows): x for j, x in enumerate(xs)}
        if len(columns) < len(xs):
            continue  # one weight vector read twice: not a layer's matrix
        removed.update(product for row in rows for product in row.products)
        sums = [row.sum for row in rows]
        biases = tuple(row.biases for row in rows)
        layer = next(
            (
                layer
                for layer in layers
                if layer.biases == biases
                and not columns.keys().isdisjoint(layer.columns)
                and all(made_at.get(x, -1) < layer.placed_at for x in xs)
            ),
            None,
        )
        if layer is None:
            place = made_at[sums[0].out]
            layers.append(_Layer(biases, dict.fromkeys(columns), [(sums, columns)], place))
        else:
            layer.columns.update(dict.fromkeys(columns))
            layer.positions.append((sums, columns))

    steps: list[Instruction] = []
    placed = {layer.positions[0][0][0].out: layer for layer in layers}
    in_layers = {ins.out for layer in layers for sums, _ in layer.positions for ins in sums}
    for ins in tape.instructions:
        if ins.out in placed:
            steps.append(_matmul(placed[ins.out], first_parameter))
        elif ins.out in in_layers or ins.out in removed:
            continue
        else:
            steps.append(ins)
    return replace(tape, instructions=tuple(steps))


@dataclass(frozen=True)
class _Row:
    """A sum of products `parameter * x` and of parameters (the bias, or biases)."""

    sum: Instruction
    xs: list[int]
    weights: list[int]  # the parameter slot of each product, in the order of xs
    biases: tuple[int, ...]  # their slots
    products: list[int]  # the out slots of the products


def _row(
    ins: Instruction,
    made_by: dict[int, Instruction],
    uses: dict[int, int],
    parameter: Any,
) -> _Row | None:
    """The row that `ins` sums, when it sums products of parameters and values (each
    used by this sum alone), plus parameters (each once); else None."""
    xs: list[int] = []
    weights: list[int] = []
    products: list[int] = []
    biases: list[int] = []
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
        if parameter(a) and a not in biases:
            biases.append(a)
            continue
        return None
    return _Row(ins, xs, weights, tuple(biases), products) if xs else None


def _matmul(layer: _Layer, first_parameter: int) -> MatMul:
    columns = sorted(layer.columns)  # in the order of the first row's weights
    weights = np.array(columns, dtype=np.intp).T - first_parameter
    biases = np.array(layer.biases, dtype=np.intp) - first_parameter  # [rows, biases per row]
    xs = np.array(
        [[read.get(column, -1) for column in columns] for _, read in layer.positions],
        dtype=np.intp,
    )
    out_slots = np.array([[ins.out for ins in sums] for sums, _ in layer.positions])
    first = layer.positions[0][0][0]
    return MatMul(
        op=MATMUL,
        out=first.out,
        args=(
            *dict.fromkeys(int(x) for x in xs.ravel() if x >= 0),
            *(int(w) for w in weights.ravel() + first_parameter),
        ),
        const=None,
        forward=_not_on_floats,
        in_domain=None,
        weights=weights,
        biases=biases,
        xs=xs,
        out_slots=out_slots,
    )


def compare(before: Tape, after: Tape) -> str:
    """Two lines: instruction counts and MACs of a tape and of its fused form."""
    products = layers(after)
    shapes = ", ".join(p.shape for p in products)
    zeros = sum(p.padding_macs for p in products)
    return (
        f"before: {len(before.instructions)} instructions, {before.macs} MACs\n"
        f"after:  {len(after.instructions)} instructions, {after.macs} MACs "
        f"({len(products)} matrix products: {shapes})"
        + (f"; {zeros} more multiply the padding's zeros" if zeros else "")
    )


def layers(tape: Tape) -> Sequence[MatMul]:
    """The matrix products of a fused tape, in program order."""
    return [ins for ins in tape.instructions if isinstance(ins, MatMul)]


# --- vectorizing: the same operation at the same depth, one array operation ---


@dataclass(frozen=True)
class Vector(Instruction):
    """n instructions as one: the same operation (and constant) on n sets of operands
    that do not depend on one another, run as one NumPy call on arrays of n rows.

    operands[k] are the slots the k-th instruction read, out_slots[k] the one it wrote;
    targets[j] lists (k, slot) for each operand j that is not a constant: where the
    backward pass sends the gradient of operand j of row k.
    """

    operands: tuple[tuple[int, ...], ...] = ()
    out_slots: tuple[int, ...] = ()
    targets: tuple[tuple[tuple[int, int], ...], ...] = ()

    @property
    def macs(self) -> int:
        return len(self.out_slots) if self.op.name == "mul" else 0

    @property
    def outs(self) -> tuple[int, ...]:
        return self.out_slots

    def __str__(self) -> str:
        named = [f"%{out}" for out in self.out_slots]
        outs = ", ".join([named[0], named[1], "...", named[-1]] if len(named) > 3 else named)
        const = "" if self.const is None else f", {self.const:.6g}"
        return f"{outs} = {self.op.name} x{len(self.out_slots)}{const}  ; one array operation"

    def run(self, slots: list[Any], fused: FusedRun) -> None:
        shape = fused.shape
        args: list[Any] = [
            _rows([slots[row[j]] for row in self.operands], shape)
            for j in range(len(self.operands[0]))
        ]
        if self.const is not None:
            args.append(self.const)
        if self.in_domain is not None:
            self._check_domain(args, shape)
        out = self.forward(*args)
        fused.saved[self.out] = (args, out)
        for slot, row in zip(self.out_slots, out):
            slots[slot] = row

    def backward(self, slots: list[Any], adjoint: list[Any], fused: FusedRun) -> None:
        upstream = [adjoint[out] for out in self.out_slots]
        if all(u is None for u in upstream):
            return
        dy = _rows([0.0 if u is None else u for u in upstream], fused.shape)
        args, out = fused.saved[self.out]
        first_wanted = fused.first_wanted
        for local, targets in zip(self.op.derivative(NUMPY, out, *args), self.targets):
            by_row = list(np.broadcast_to(local * dy, dy.shape))
            for k, slot in targets:
                if slot < first_wanted:
                    continue  # an input: nobody asked for its gradient
                previous = adjoint[slot]
                adjoint[slot] = by_row[k] if previous is None else previous + by_row[k]

    def _check_domain(self, args: list[Any], shape: tuple[int, ...]) -> None:
        """The engine's own error, naming the sample, where an operand is outside the domain."""
        rows = len(self.out_slots)
        inside = np.broadcast_to(self.in_domain(*args), (rows, *shape))  # type: ignore[misc]
        if inside.all():
            return
        k = int(np.argmin(inside.reshape(rows, -1).all(axis=1)))
        member = replace(self, out=self.out_slots[k], args=self.operands[k])
        check_domain(
            member, [a[k] for a in args[: len(member.args)]] + args[len(member.args) :], inside[k]
        )


def vectorize(tape: Tape) -> Tape:
    """The same program with the instructions that run the same built-in operation (with
    the same constant) at the same depth as one array operation each.

    The depth of a step is one more than the deepest step it reads: steps of one
    depth never read one another, so they can run together. The program is reordered
    by depth, which keeps every step after what it reads. A convolution's relus (one
    per output) become one `relu` over an array; a pooling layer's `max`es one `max`.
    """
    first_constant = len(tape.input_names)
    first_step = first_constant + len(tape.constants)
    depth: dict[int, int] = {}
    groups: dict[tuple[Any, ...], list[tuple[int, Instruction]]] = {}
    for index, ins in enumerate(tape.instructions):
        level = 1 + max((depth.get(a, 0) for a in ins.args), default=0)
        for out in ins.outs:
            depth[out] = level
        alike = (
            type(ins) is Instruction and ins.op.builtin and not isinstance(ins.const, np.ndarray)
        )
        key = (level, ins.op.name, len(ins.args), ins.const) if alike else (level, index)
        groups.setdefault(key, []).append((index, ins))
    steps: list[Instruction] = []
    for key in sorted(groups, key=lambda key: (key[0], groups[key][0][0])):
        members = [ins for _, ins in groups[key]]
        steps.append(
            members[0] if len(members) == 1 else _vector(members, first_constant, first_step)
        )
    return replace(tape, instructions=tuple(steps))


def _vector(members: list[Instruction], first_constant: int, first_step: int) -> Vector:
    first = members[0]
    operands = tuple(ins.args for ins in members)
    return Vector(
        op=first.op,
        out=first.out,
        args=tuple(dict.fromkeys(a for ins in members for a in ins.args)),
        const=first.const,
        forward=first.forward,
        in_domain=first.in_domain,
        operands=operands,
        out_slots=tuple(ins.out for ins in members),
        targets=tuple(
            tuple(
                (k, row[j])
                for k, row in enumerate(operands)
                if not first_constant <= row[j] < first_step
            )
            for j in range(len(first.args))
        ),
    )
