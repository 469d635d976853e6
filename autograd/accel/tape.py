"""A recorded graph compiled to a static tape, replayed on whole NumPy batches at once.

The scalar engine records one graph per sample: every number is a `Value`, every
operation a node. An accelerator works the other way round: it receives a fixed
program (a static graph of operations) once, and runs it over many samples in
parallel. `compile(root, inputs)` turns a graph you recorded into such a program,
a *tape*: numbered slots and instructions like `%5 = mul %3, %4`, in topological
order. Calling the tape runs each instruction once on whole arrays, so one pass
evaluates a batch; `value_and_grad` replays it backward with the engine's own
derivative rules (`ops.OPS`), given a NumPy math namespace instead of floats.

>>> from autograd import Value
>>> x = Value(0.0, label="x")
>>> tape = compile((x * 0.8 + 0.2).sigmoid(), [x])
>>> print(tape)
tape: 1 input, 0 constants, 3 instructions, 1 output
  %0 = input x
  %1 = mul_const %0, 0.8
  %2 = add_const %1, 0.2
  %3 = sigmoid %2
  return %3
>>> tape(np.array([0.6, 0.0])).round(4)
array([0.6637, 0.5498])

What compiling freezes:
- a leaf that is not among `inputs` (a weight, a bias) becomes a constant holding
  the value it has now; so does any node that does not depend on an input;
- decisions Python made while recording (an `if` on a value, softmax's max
  shift) are baked in: the tape replays the operations of that one trace.
Inputs outside an operation's domain raise the engine's error, naming the sample.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from ..engine import Value, topological_order
from ..ops import Op

Array = npt.NDArray[np.float64]


# --- the math namespace the derivative rules see: the same functions as ops.FloatMath ---


def _sigmoid(x: Any) -> Any:
    # Only ever exponentiate a non-positive number, so nothing overflows.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _step(x: Any) -> Any:
    return np.where(x > 0, 1.0, 0.0)


def _one_hot(xs: Sequence[Any]) -> tuple[Any, ...]:
    # ops.one_hot on arrays: per sample, the first largest input, or the last NaN.
    stacked = np.stack(np.broadcast_arrays(*(np.asarray(x, dtype=np.float64) for x in xs)))
    nan = np.isnan(stacked)
    last_nan = len(xs) - 1 - np.argmax(nan[::-1], axis=0)
    won = np.where(nan.any(axis=0), last_nan, np.argmax(stacked, axis=0))
    return tuple(np.where(won == i, 1.0, 0.0) for i in range(len(xs)))


class NumpyMath:
    """The namespace `m` that derivative rules see when they run on arrays."""

    div = staticmethod(np.divide)
    pow = staticmethod(np.power)
    exp = staticmethod(np.exp)
    log = staticmethod(np.log)
    sin = staticmethod(np.sin)
    cos = staticmethod(np.cos)
    sigmoid = staticmethod(_sigmoid)
    step = staticmethod(_step)
    sign = staticmethod(np.sign)
    one_hot = staticmethod(_one_hot)


NUMPY = NumpyMath()


# --- forwards on arrays, keyed by op name (ops.Op.forward works on floats only) ---


def _softplus(x: Any) -> Any:
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


ARRAY_FORWARD: dict[str, Callable[..., Any]] = {
    "add": np.add,
    "sub": np.subtract,
    "mul": np.multiply,
    "div": np.divide,
    "pow": np.power,
    "add_const": np.add,
    "sub_const": np.subtract,
    "rsub_const": lambda x, c: c - x,
    "mul_const": np.multiply,
    "div_const": np.divide,
    "rdiv_const": lambda x, c: c / x,
    "pow_const": np.power,
    "rpow_const": lambda x, c: np.power(c, x),
    "neg": np.negative,
    "abs": np.abs,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "softplus": _softplus,
    "sin": np.sin,
    "cos": np.cos,
    "relu": lambda x: np.where(x <= 0, 0.0, x),  # NaN passes through, as in ops._relu
    "leaky_relu": lambda x, c: np.where(x <= 0, c * x, x),
    "sum": lambda *xs: functools.reduce(np.add, xs),
    "max": lambda *xs: functools.reduce(np.maximum, xs),  # NaN wins, as in ops._max
}


def _pow_const_in_domain(x: Any, c: float) -> Any:
    fractional = math.isfinite(c) and not c.is_integer()
    return ~(((x == 0) & (c < 0)) | ((x < 0) & fractional))


# Where the float forward would raise, as a mask that is True inside the domain.
# Only the mask lives here: the error itself comes from ops.Op.forward.
IN_DOMAIN: dict[str, Callable[..., Any]] = {
    "div": lambda a, b: b != 0,
    "rdiv_const": lambda x, c: x != 0,
    "log": lambda x: (x > 0) | np.isnan(x),
    "sqrt": lambda x: ~(x < 0),
    "pow": lambda a, b: a > 0,
    "pow_const": _pow_const_in_domain,
    "rpow_const": lambda x, c: c > 0,
}


class UnsupportedOperationError(ValueError):
    """The graph uses an operation the tape has no array version of."""


# --- the tape ---


def _number(x: float) -> str:
    return f"{x:.6g}"


@dataclass(frozen=True)
class Instruction:
    """`%out = op %args..., const`: one node of the graph, run on whole arrays."""

    op: Op
    out: int
    args: tuple[int, ...]
    const: float | None
    forward: Callable[..., Any] = field(repr=False)
    in_domain: Callable[..., Any] | None = field(repr=False)

    def __str__(self) -> str:
        operands = [f"%{a}" for a in self.args]
        if self.const is not None:
            operands.append(_number(self.const))
        return f"%{self.out} = {self.op.name} {', '.join(operands)}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass(frozen=True)
class Tape:
    """A compiled graph: slots 0.. hold the inputs, then the constants, then one slot
    per instruction. Call it on arrays (one per input, broadcast together) to get the
    outputs for every sample at once; `value_and_grad` adds the gradients.
    """

    input_names: tuple[str, ...]
    constants: tuple[tuple[float, str | None], ...]  # (value, label)
    instructions: tuple[Instruction, ...]
    outputs: tuple[int, ...]
    single_output: bool

    def __str__(self) -> str:
        n_in = len(self.input_names)
        lines = [
            f"tape: {_plural(n_in, 'input')}, {_plural(len(self.constants), 'constant')}, "
            f"{_plural(len(self.instructions), 'instruction')}, "
            f"{_plural(len(self.outputs), 'output')}"
        ]
        lines += [f"%{i} = input {name}" for i, name in enumerate(self.input_names)]
        for j, (value, label) in enumerate(self.constants):
            comment = f"  ; {label}" if label else ""
            lines.append(f"%{n_in + j} = const {_number(value)}{comment}")
        lines += [str(instruction) for instruction in self.instructions]
        lines.append("return " + ", ".join(f"%{slot}" for slot in self.outputs))
        return "\n  ".join(lines)

    def __call__(self, *inputs: npt.ArrayLike) -> Any:
        """The outputs for every sample: one array (or a list, one per output)."""
        slots, shape = self._forward(inputs)
        return self._pack([np.array(np.broadcast_to(slots[o], shape)) for o in self.outputs])

    def value_and_grad(self, *inputs: npt.ArrayLike) -> tuple[Any, list[Array]]:
        """(outputs, [d(sum of outputs)/d(input) for each input]), every sample at once.

        The backward pass runs the derivative rules of `ops.OPS` on arrays, exactly as
        `engine.grad` runs them on floats; an input the outputs do not use gets zeros.
        """
        slots, shape = self._forward(inputs)
        adjoint: list[Any] = [None] * len(slots)
        for o in self.outputs:
            adjoint[o] = np.ones(shape) if adjoint[o] is None else adjoint[o] + 1.0
        first_constant, first_step = len(self.input_names), self._first_step
        with np.errstate(all="ignore"):
            for ins in reversed(self.instructions):
                upstream = adjoint[ins.out]
                if upstream is None:
                    continue
                local_gradients = ins.op.derivative(NUMPY, slots[ins.out], *self._args(ins, slots))
                for slot, local in zip(ins.args, local_gradients):
                    if first_constant <= slot < first_step:
                        continue  # a constant: nobody asked for its gradient
                    contribution = local * upstream
                    previous = adjoint[slot]
                    adjoint[slot] = contribution if previous is None else previous + contribution
        values = self._pack([np.array(np.broadcast_to(slots[o], shape)) for o in self.outputs])
        grads = [
            np.zeros(shape) if g is None else np.array(np.broadcast_to(g, shape))
            for g in adjoint[:first_constant]
        ]
        return values, grads

    @property
    def _first_step(self) -> int:
        return len(self.input_names) + len(self.constants)

    def _pack(self, arrays: list[Array]) -> Any:
        return arrays[0] if self.single_output else arrays

    @staticmethod
    def _args(ins: Instruction, slots: list[Any]) -> list[Any]:
        args = [slots[a] for a in ins.args]
        if ins.const is not None:
            args.append(ins.const)
        return args

    def _forward(self, inputs: Sequence[npt.ArrayLike]) -> tuple[list[Any], tuple[int, ...]]:
        arrays = _as_arrays(inputs, self.input_names)
        shape = arrays[0].shape if arrays else ()
        slots: list[Any] = [*arrays, *(value for value, _ in self.constants)]
        slots += [None] * len(self.instructions)
        with np.errstate(all="ignore"):  # overflow saturates to inf, as in the engine
            for ins in self.instructions:
                args = self._args(ins, slots)
                if ins.in_domain is not None:
                    _check_domain(ins, args, np.broadcast_to(ins.in_domain(*args), shape))
                slots[ins.out] = ins.forward(*args)
        return slots, shape


def _as_arrays(inputs: Sequence[npt.ArrayLike], names: tuple[str, ...]) -> list[Array]:
    if len(inputs) != len(names):
        raise TypeError(
            f"the tape takes {_plural(len(names), 'input')} ({', '.join(names)}), got {len(inputs)}"
        )
    arrays = []
    for name, x in zip(names, inputs):
        a = np.asarray(x)
        if a.dtype.kind not in "biuf":
            raise TypeError(f"input {name!r} must hold real numbers, got dtype {a.dtype}")
        arrays.append(a.astype(np.float64))
    try:
        return list(np.broadcast_arrays(*arrays))
    except ValueError:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in zip(names, arrays))
        raise ValueError(f"the input shapes do not broadcast together: {shapes}") from None


def _check_domain(ins: Instruction, args: list[Any], in_domain: Any) -> None:
    if in_domain.all():
        return
    index = np.unravel_index(np.argmin(in_domain), in_domain.shape)
    sample = [float(np.broadcast_to(a, in_domain.shape)[index]) for a in args]
    where = index[0] if len(index) == 1 else index
    try:
        ins.op.forward(*sample)  # the engine's own check, with its own message
    except (ArithmeticError, ValueError) as error:
        raise type(error)(f"{error} (batch sample {where})") from None
    raise ValueError(f"{ins.op.name}: {sample} is outside the domain (batch sample {where})")


# --- compiling ---


def compile(  # noqa: A001  # the name says what it does; batch.compile, never bare
    outputs: Value | Sequence[Value], inputs: Value | Sequence[Value]
) -> Tape:
    """Flatten the graph behind `outputs` into a Tape that takes `inputs` as arrays.

    Every other leaf (and every node that does not depend on an input) is baked in
    as a constant with its current value. Each input cuts the graph: what lies
    behind it is not replayed. Raises UnsupportedOperationError naming any operation
    the tape cannot run.
    """
    out_list = _values(outputs, "outputs")
    in_list = _values(inputs, "inputs")
    if not out_list:
        raise ValueError("compile() needs at least one output")
    if len(set(in_list)) != len(in_list):
        raise ValueError("compile() inputs must be distinct Values")
    is_input = set(in_list)
    order = topological_order(out_list)

    # Only what the outputs need, without looking behind an input.
    needed = set(out_list)
    for node in reversed(order):
        if node in needed and node not in is_input:
            needed.update(node.parents)
    varies = set(in_list)
    steps: list[Value] = []
    constants: dict[Value, None] = {}  # an ordered set: slots in order of first use
    for node in order:
        if node not in needed or node in is_input:
            continue
        if any(p in varies for p in node.parents):
            varies.add(node)
            steps.append(node)
            constants.update((p, None) for p in node.parents if p not in varies)
    constants.update((o, None) for o in out_list if o not in varies)
    _reject_unsupported(steps)

    slot = {node: i for i, node in enumerate([*in_list, *constants, *steps])}
    first_step = len(in_list) + len(constants)
    return Tape(
        input_names=tuple(x.label or f"x{i}" for i, x in enumerate(in_list)),
        constants=tuple((c.data, c.label) for c in constants),
        instructions=tuple(
            _instruction(node, first_step + i, slot) for i, node in enumerate(steps)
        ),
        outputs=tuple(slot[o] for o in out_list),
        single_output=isinstance(outputs, Value),
    )


def _values(x: Value | Sequence[Value], what: str) -> list[Value]:
    items = [x] if isinstance(x, Value) else list(x)
    for item in items:
        if not isinstance(item, Value):
            raise TypeError(f"compile() {what} must be Values, got {type(item).__name__}")
    return items


def _reject_unsupported(steps: list[Value]) -> None:
    missing = sorted({n.op.name for n in steps if n.op is not None} - set(ARRAY_FORWARD))
    if missing:
        raise UnsupportedOperationError(
            f"the tape cannot run operation(s) {', '.join(map(repr, missing))}: "
            f"no array version in autograd.batch.ARRAY_FORWARD "
            f"(supported: {', '.join(sorted(ARRAY_FORWARD))})"
        )


def _instruction(node: Value, out: int, slot: dict[Value, int]) -> Instruction:
    op = node.op
    assert op is not None  # a step depends on an input, so it has parents and an op
    return Instruction(
        op=op,
        out=out,
        args=tuple(slot[p] for p in node.parents),
        const=node.const,
        forward=ARRAY_FORWARD[op.name],
        in_domain=IN_DOMAIN.get(op.name),
    )
