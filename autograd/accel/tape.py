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
from typing import Any, ClassVar

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
# Operations made with define_op bring their own (see array_forward below).


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


def _elementwise(forward: Callable[..., float]) -> Callable[..., Any]:
    """A float forward applied to every sample of broadcast arrays (constants stay numbers)."""

    def on_arrays(*args: Any) -> Any:
        columns = np.broadcast(*args)
        out = np.empty(columns.shape)
        for index, sample in zip(np.ndindex(columns.shape), columns):
            out[index] = forward(*(float(a) for a in sample))
        return out

    return on_arrays


def array_forward(op: Op) -> Callable[..., Any]:
    """The op's forward on arrays: from ARRAY_FORWARD for a built-in; for an operation made
    with define_op, its `array_forward`, else its float forward element by element."""
    if op.builtin:
        return ARRAY_FORWARD[op.name]
    return op.array_forward or _elementwise(op.forward)


def in_domain(op: Op) -> Callable[..., Any] | None:
    """The op's domain as a mask (True inside), or None where every operand is fine."""
    if op.builtin:
        return IN_DOMAIN.get(op.name)
    domain = op.domain
    if domain is None:
        return None
    return lambda *args: np.vectorize(lambda *xs: bool(domain(*xs)), otypes=[bool])(*args)


class UnsupportedOperationError(ValueError):
    """The graph uses an operation the tape has no array version of."""


# --- the tape ---


def _number(x: Any) -> str:
    if np.ndim(x):  # a number per sample (see accel.train)
        return f"[{x.size} numbers, one per sample]"
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

    # A step that reads its parameters from the vector of them (a fused matrix product),
    # not from their slots.
    parameters_as_vector: ClassVar[bool] = False

    @property
    def macs(self) -> int:
        """1 for a product of two varying values (a multiply-accumulate), else 0."""
        return 1 if self.op.name == "mul" else 0

    @property
    def outs(self) -> tuple[int, ...]:
        return (self.out,)

    # A fused step (a subclass: see accel.fusion) runs itself through these two.
    def run(self, slots: list[Any], fused: FusedRun) -> None:
        raise NotImplementedError

    def backward(self, slots: list[Any], adjoint: list[Any], fused: FusedRun) -> None:
        raise NotImplementedError

    def __str__(self) -> str:
        operands = [f"%{a}" for a in self.args]
        if self.const is not None:
            operands.append(_number(self.const))
        return f"%{self.out} = {self.op.name} {', '.join(operands)}"


def _cut(lines: list[str], head: int, tail: int, what: str) -> list[str]:
    """`lines` with all but the first `head` and last `tail` left out, and a line saying
    how many; whole when that would leave out fewer than two."""
    left_out = len(lines) - head - tail
    if left_out < 2:
        return lines
    return [*lines[:head], f"... {left_out} more {what}", *lines[len(lines) - tail :]]


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
    instructions: tuple[Instruction, ...]  # fused steps are Instructions too
    outputs: tuple[int, ...]
    single_output: bool
    parameters: int = 0  # the last inputs are a model's parameters, the same for every sample

    def __str__(self) -> str:
        header, slots, instructions, end = self._listing()
        return "\n  ".join([header, *slots, *instructions, end])

    def excerpt(self, first: int = 5, last: int = 2) -> str:
        """`str(tape)` shortened for a long tape: the header, the first `first` slots
        (inputs, then constants) and instructions, the last `last` instructions and the
        return line, with a line saying how many were left out at each cut.

        >>> x = Value(0.0, label="x")
        >>> print(compile(((x * 2.0).exp() + 1.0).log(), [x]).excerpt(first=1, last=1))
        tape: 1 input, 0 constants, 4 instructions, 1 output
          %0 = input x
          %1 = mul_const %0, 2
          ... 2 more instructions
          %4 = log %3
          return %4
        """
        for name, count in (("first", first), ("last", last)):
            if isinstance(count, bool) or not isinstance(count, int):
                raise TypeError(f"excerpt(): {name} must be an int, got {type(count).__name__}")
            if count < 0:
                raise ValueError(f"excerpt(): {name} must be 0 or more, got {count}")
        header, slots, instructions, end = self._listing()
        kept = [
            *_cut(slots, first, 0, "slots"),
            *_cut(instructions, first, last, "instructions"),
        ]
        return "\n  ".join([header, *kept, end])

    def _listing(self) -> tuple[str, list[str], list[str], str]:
        """The lines of the listing: header, slots, instructions, return."""
        n_in = len(self.input_names)
        first_parameter = n_in - self.parameters
        inputs = _plural(first_parameter, "input")
        if self.parameters:
            inputs += f", {_plural(self.parameters, 'parameter')}"
        header = (
            f"tape: {inputs}, {_plural(len(self.constants), 'constant')}, "
            f"{_plural(len(self.instructions), 'instruction')}, "
            f"{_plural(len(self.outputs), 'output')}"
            + (f", {_plural(self.macs, 'MAC')}" if self.macs else "")
        )
        slots = [
            f"%{i} = {'input' if i < first_parameter else 'parameter'} {name}"
            for i, name in enumerate(self.input_names)
        ]
        for j, (value, label) in enumerate(self.constants):
            comment = f"  ; {label}" if label else ""
            slots.append(f"%{n_in + j} = const {_number(value)}{comment}")
        instructions = [str(instruction) for instruction in self.instructions]
        end = "return " + ", ".join(f"%{slot}" for slot in self.outputs)
        return header, slots, instructions, end

    def __call__(self, *inputs: npt.ArrayLike) -> Any:
        """The outputs for every sample: one array (or a list, one per output)."""
        slots, shape = self._forward(inputs)
        return self._pack([np.array(np.broadcast_to(slots[o], shape)) for o in self.outputs])

    @property
    def macs(self) -> int:
        """Multiply-accumulates: one per product of two varying values (a `mul`), or per
        weight of a fused matrix product. Fusing moves them; it never adds or drops one."""
        return sum(ins.macs for ins in self.instructions)

    def value_and_grad(
        self,
        *inputs: npt.ArrayLike,
        params: npt.ArrayLike | None = None,
        output: int | None = None,
        summed: bool = False,
    ) -> tuple[Any, list[Array]]:
        """(outputs, [d(sum of outputs)/d(input) for each input]), every sample at once.

        `params`: the tape's parameters as one vector, instead of one argument each;
        then the last gradient is theirs, as one vector, summed over the batch.
        `output` differentiates that output alone (the others are still returned).
        With `summed`, each gradient is that of the output summed over the batch, with
        respect to the array as given: an array broadcast along the batch (a parameter,
        given once) gets the sum over the batch, in its own shape. Without it, each
        gradient has the batch's shape (sample by sample).

        The backward pass runs the derivative rules of `ops.OPS` on arrays, exactly as
        `engine.grad` runs them on floats; an input the outputs do not use gets zeros.
        """
        values, pullback = self.vjp(*inputs, params=params, summed=summed)
        chosen = range(len(self.outputs)) if output is None else [output]
        return values, pullback([1.0 if k in chosen else None for k in range(len(self.outputs))])

    def vjp(
        self,
        *inputs: npt.ArrayLike,
        params: npt.ArrayLike | None = None,
        summed: bool = False,
        wrt_inputs: bool = True,
    ) -> tuple[Any, Callable[[Sequence[npt.ArrayLike | None]], list[Array]]]:
        """(outputs, pullback): the forward pass now, the backward pass when asked.

        `pullback(cotangents)`, one per output (a number, an array over the batch, or
        None for an output that does not count), gives the gradients of
        sum(cotangent * output), summed over the outputs, as `value_and_grad` gives those
        of the outputs themselves (same `params` and `summed`). So a loss computed
        elsewhere (on the scalar engine, one sample at a time) sends its gradient with
        respect to the outputs back through the whole batch at once.

        With `wrt_inputs=False` (and `params` given) the backward pass skips the inputs,
        whose gradients a training step does not need: the pullback returns the
        parameters' gradient alone, as a list of that one vector.
        """
        if not wrt_inputs and params is None:
            raise ValueError("wrt_inputs=False needs the parameters as one vector: pass params")
        given = [np.shape(x) for x in inputs]
        slots, shape = self._forward(inputs, params)
        first_wanted = 0 if wrt_inputs else len(self.input_names) - self.parameters
        values = self._pack([np.array(np.broadcast_to(slots[o], shape)) for o in self.outputs])

        def pullback(cotangents: Sequence[npt.ArrayLike | None]) -> list[Array]:
            if len(cotangents) != len(self.outputs):
                raise ValueError(
                    f"pullback takes one cotangent per output ({len(self.outputs)}), "
                    f"got {len(cotangents)}"
                )
            grads = self._backward(
                slots, shape, given, cotangents, params is not None, summed, first_wanted
            )
            return grads if wrt_inputs else grads[-1:]

        return values, pullback

    def _backward(
        self,
        slots: list[Any],
        shape: tuple[int, ...],
        given: list[tuple[int, ...]],
        cotangents: Sequence[npt.ArrayLike | None],
        params_as_vector: bool,
        summed: bool,
        first_wanted: int = 0,
    ) -> list[Array]:
        """The gradients (see `vjp`); slots below `first_wanted` (the inputs) get none."""
        run = slots[-1]
        if run is not None:  # the tape has fused steps
            if not summed and not params_as_vector:
                raise ValueError(
                    "a fused tape gives the gradients of parameters summed over the batch: "
                    "pass summed=True"
                )
            run.param_grads = np.zeros(run.params.shape)
            run.first_wanted = first_wanted
        adjoint: list[Any] = [None] * len(slots)
        for o, cotangent in zip(self.outputs, cotangents):
            if cotangent is None:
                continue
            seed = np.array(np.broadcast_to(np.asarray(cotangent, dtype=np.float64), shape))
            adjoint[o] = seed if adjoint[o] is None else adjoint[o] + seed
        first_constant, first_step = len(self.input_names), self._first_step
        with np.errstate(all="ignore"):
            for ins in reversed(self.instructions):
                if type(ins) is not Instruction:
                    ins.backward(slots, adjoint, run)
                    continue
                upstream = adjoint[ins.out]
                if upstream is None:
                    continue
                local_gradients = ins.op.derivative(NUMPY, slots[ins.out], *self._args(ins, slots))
                for slot, local in zip(ins.args, local_gradients):
                    if first_constant <= slot < first_step or slot < first_wanted:
                        continue  # a constant, or an input: nobody asked for its gradient
                    contribution = local * upstream
                    previous = adjoint[slot]
                    adjoint[slot] = contribution if previous is None else previous + contribution
        first_parameter = first_constant - self.parameters
        if params_as_vector:
            vector = np.zeros(self.parameters)
            for slot in self._parameters_read:
                if adjoint[slot] is not None:
                    vector[slot - first_parameter] = np.sum(adjoint[slot])
            if run is not None:
                vector += run.param_grads
            first_constant = first_parameter
        if summed:
            grads = [_sum_to(g, own) for g, own in zip(adjoint[:first_constant], given)]
            if run is not None and not params_as_vector:
                for i, g in enumerate(run.param_grads):
                    grads[first_parameter + i] = grads[first_parameter + i] + g
        else:
            grads = [
                np.zeros(shape) if g is None else np.array(np.broadcast_to(g, shape))
                for g in adjoint[:first_constant]
            ]
        if params_as_vector:
            grads.append(vector)
        return grads

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

    @functools.cached_property
    def _fused(self) -> bool:
        return any(type(ins) is not Instruction for ins in self.instructions)

    @functools.cached_property
    def _parameters_read(self) -> list[int]:
        """The parameter slots that instructions or outputs read (a fused matrix product
        reads the parameter vector)."""
        first_parameter = len(self.input_names) - self.parameters
        read = [a for ins in self.instructions if not ins.parameters_as_vector for a in ins.args]
        return sorted(
            {a for a in [*read, *self.outputs] if first_parameter <= a < len(self.input_names)}
        )

    @functools.cached_property
    def slot_count(self) -> int:
        """Inputs, constants, then one slot per value computed (a fused tape leaves the
        slots of the instructions it removed unused)."""
        outs = [out for ins in self.instructions for out in ins.outs]
        return int(max([self._first_step - 1, *outs])) + 1

    def _forward(
        self, inputs: Sequence[npt.ArrayLike], params: npt.ArrayLike | None = None
    ) -> tuple[list[Any], tuple[int, ...]]:
        """The slots after a forward pass; the last slot holds the FusedRun (or None)."""
        first_parameter = len(self.input_names) - self.parameters
        vector: Array | None = None
        if params is None:
            arrays: list[Any] = _as_arrays(inputs, self.input_names)
        else:
            arrays = list(_as_arrays(inputs, self.input_names[:first_parameter]))
            vector = _parameter_vector(params, self.parameters)
            arrays += [None] * self.parameters
            for slot in self._parameters_read:  # the parameters that instructions read
                arrays[slot] = vector[slot - first_parameter]
        shape = arrays[0].shape if first_parameter or (params is None and arrays) else ()
        slots: list[Any] = [*arrays, *(value for value, _ in self.constants)]
        slots += [None] * (self.slot_count - len(slots) + 1)
        if self._fused:
            if vector is None:
                vector = _parameter_vector(inputs[first_parameter:], self.parameters)
            slots[-1] = FusedRun(shape, vector)
        with np.errstate(all="ignore"):  # overflow saturates to inf, as in the engine
            for ins in self.instructions:
                if type(ins) is not Instruction:
                    ins.run(slots, slots[-1])
                    continue
                args = self._args(ins, slots)
                if ins.in_domain is not None:
                    check_domain(ins, args, np.broadcast_to(ins.in_domain(*args), shape))
                slots[ins.out] = ins.forward(*args)
        return slots, shape


@dataclass
class FusedRun:
    """What a fused step needs beside the slots: the batch's shape, the parameters as
    one vector (gathered once per pass), and the vector of their gradients."""

    shape: tuple[int, ...]
    params: Array
    param_grads: Array = field(default_factory=lambda: np.zeros(0))
    saved: dict[int, Any] = field(default_factory=dict)  # a step's own, for its backward
    first_wanted: int = 0  # the slots below it (the inputs) need no gradient


def _parameter_vector(params: Any, count: int) -> Array:
    vector = np.array(params, dtype=np.float64)
    if vector.shape != (count,):
        raise ValueError(
            "a fused tape takes each parameter as one number, the same for every sample"
        )
    return vector


def _sum_to(gradient: Any, shape: tuple[int, ...]) -> Array:
    """A gradient summed over the axes along which an input of `shape` was broadcast."""
    if gradient is None:
        return np.zeros(shape)
    gradient = np.asarray(gradient)
    extra = gradient.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, n in enumerate(shape) if n == 1 and gradient.shape[extra + i] != 1
    )
    return np.array(np.sum(gradient, axis=axes).reshape(shape) if axes else gradient)


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


def check_domain(ins: Instruction, args: list[Any], in_domain: Any) -> None:
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
    outputs: Value | Sequence[Value],
    inputs: Value | Sequence[Value],
    params: Sequence[Value] = (),
) -> Tape:
    """Flatten the graph behind `outputs` into a Tape that takes `inputs` as arrays.

    `params` (a model's parameters) become inputs too, after `inputs`: the program
    takes them as arrays (one value each, shared by every sample) instead of baking
    them in, so one tape serves every step of training, and
    `value_and_grad(..., summed=True)` gives their gradients over a whole batch.
    Every other leaf (and every node that does not depend on an input) is baked in
    as a constant with its current value. Each input cuts the graph: what lies
    behind it is not replayed. Raises UnsupportedOperationError naming any operation
    the tape cannot run.
    """
    out_list = _values(outputs, "outputs")
    in_list = [*_values(inputs, "inputs"), *_values(params, "params")]
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
        parameters=len(params),
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
    missing = sorted(
        {n.op.name for n in steps if n.op is not None and n.op.builtin} - set(ARRAY_FORWARD)
    )
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
        forward=array_forward(op),
        in_domain=in_domain(op),
    )
