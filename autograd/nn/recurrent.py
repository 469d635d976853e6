"""Recurrent layers: one cell unrolled through time, RNN and LSTM.

A sequence is a nested list `[time][features]` of Values or plain numbers, one sample.
The same weights are used at every step, so (as with a convolution filter) each
weight's gradient is the sum of what every time step sends back; and the gradient
that reaches step t from the loss at the end passes through every step after it. In
an RNN it is multiplied by tanh' * weight_hh at each step and fades; in an LSTM the
cell state `c` is carried by a product with the forget gate alone, which keeps it.

PyTorch's names, layouts and numbers (`torch.nn.RNN` / `torch.nn.LSTM` with one layer,
batch_first=False, one unbatched sample): `weight_ih[j][k]`, `weight_hh[j][k]`,
`bias_ih[j]`, `bias_hh[j]`, the LSTM's rows in PyTorch's gate order i, f, g, o (rows
0..H-1 the input gate, H..2H-1 the forget gate, then the cell candidate, then the
output gate). Every weight starts as PyTorch's do: uniform in +-1/sqrt(hidden_size).

Labels: in a layer named "rnn", weights "rnn.weight_ih[j,k]", the hidden state at step
t "rnn.t3.h[j]" (and for an LSTM its cell "lstm.t3.c[j]" and gates "lstm.t3.i[j]",
".f", ".g", ".o"); steps and units count from 0, as list indices do.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .. import functional as F
from ..engine import Operand, Value
from .modules import Module, Seed, _check_count, _check_keys, make_rng
from .shapes import format_shape, shape_of

Sequence2 = Sequence[Sequence[Operand]]
NONLINEARITIES: dict[str, Callable[[Value], Value]] = {"tanh": Value.tanh, "relu": Value.relu}


def _matrix(rows: int, columns: int, bound: float, rng: Any) -> list[list[Value]]:
    return [[Value(rng.uniform(-bound, bound)) for _ in range(columns)] for _ in range(rows)]


class _Recurrent(Module):
    """What RNN and LSTM share: the four weight tensors, their labels, the shape checks."""

    gates = 1  # rows of weight_ih per hidden unit: 4 in an LSTM

    def __init__(self, input_size: int, hidden_size: int, seed: Seed, name: str) -> None:
        self.input_size = _check_count(input_size, "input_size")
        self.hidden_size = _check_count(hidden_size, "hidden_size")
        rng = make_rng(seed)
        rows = self.gates * hidden_size
        bound = 1.0 / math.sqrt(hidden_size)
        self.weight_ih = _matrix(rows, input_size, bound, rng)
        self.weight_hh = _matrix(rows, hidden_size, bound, rng)
        self.bias_ih = [Value(rng.uniform(-bound, bound)) for _ in range(rows)]
        self.bias_hh = [Value(rng.uniform(-bound, bound)) for _ in range(rows)]
        self.rename(name)

    def rename(self, name: str) -> None:
        """Label every weight with `name`: "rnn.weight_ih[2,0]", "rnn.bias_hh[1]"."""
        self.name = name
        for tensor in ("weight_ih", "weight_hh"):
            for j, row in enumerate(getattr(self, tensor)):
                for k, w in enumerate(row):
                    w.label = f"{name}.{tensor}[{j},{k}]"
        for tensor in ("bias_ih", "bias_hh"):
            for j, b in enumerate(getattr(self, tensor)):
                b.label = f"{name}.{tensor}[{j}]"

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for matrix in (self.weight_ih, self.weight_hh):
            for row in matrix:
                for w in row:
                    yield w.label or "", w
        for vector in (self.bias_ih, self.bias_hh):
            for b in vector:
                yield b.label or "", b

    def _check_sequence(self, x: object) -> int:
        steps, features = shape_of(x, 2, repr(self), f"a sequence [time][{self.input_size}]")
        if features != self.input_size:
            raise ValueError(
                f"{self!r} expects a sequence [time][{self.input_size}], got "
                f"{format_shape((steps, features))}"
            )
        return steps

    def _check_state(self, state: object, what: str) -> list[Operand]:
        (size,) = shape_of(state, 1, repr(self), f"{what} [{self.hidden_size}]")
        if size != self.hidden_size:
            raise ValueError(f"{self!r} expects {what} [{self.hidden_size}], got [{size}]")
        assert isinstance(state, Sequence)  # checked by shape_of
        return list(state)

    def _affine(self, row: int, x: Sequence[Operand], h: Sequence[Operand] | None) -> Value:
        """W_ih[row] . x + b_ih[row] + W_hh[row] . h + b_hh[row], as ONE sum node.

        With no state (h is None: the zeros PyTorch starts from) the W_hh products are
        left out: they are 0."""
        terms: list[Operand] = [w * v for w, v in zip(self.weight_ih[row], x)]
        if h is not None:
            terms += [w * v for w, v in zip(self.weight_hh[row], h)]
        terms += [self.bias_ih[row], self.bias_hh[row]]
        return F.sum(terms)

    def architecture(self) -> dict[str, Any]:
        return {"input_size": self.input_size, "hidden_size": self.hidden_size}

    @classmethod
    def parameters_in(cls, architecture: dict[str, Any]) -> int:
        _check_keys(architecture, {"input_size", "hidden_size"})
        n_in = _check_count(architecture["input_size"], "input_size")
        hidden = _check_count(architecture["hidden_size"], "hidden_size")
        return cls.gates * hidden * (n_in + hidden + 2)


class RNN(_Recurrent):
    """An Elman RNN: h_t = tanh(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh), h_(-1) = 0.

    `nonlinearity` is "tanh" (default) or "relu", as in PyTorch. Calling it on a
    sequence returns `(outputs, h_n)`: the hidden state at every step and the last one
    (PyTorch's output and h_n, without its layer axis). `h0` starts from a given state.

    Shape:
        - Input: `[T][input_size]`, and optionally h0 `[hidden_size]`
        - Output: outputs `[T][hidden_size]`, h_n `[hidden_size]`
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        nonlinearity: str = "tanh",
        seed: Seed = 0,
        *,
        name: str = "rnn",
    ) -> None:
        if nonlinearity not in NONLINEARITIES:
            raise ValueError(f"nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, seed, name)

    def __call__(
        self, x: Sequence2, h0: Sequence[Operand] | None = None
    ) -> tuple[list[list[Value]], list[Value]]:
        steps = self._check_sequence(x)
        h: Sequence[Operand] | None = None if h0 is None else self._check_state(h0, "h0")
        activate = NONLINEARITIES[self.nonlinearity]
        outputs: list[list[Value]] = []
        for t in range(steps):
            state = []
            for j in range(self.hidden_size):
                out = activate(self._affine(j, x[t], h))
                out.label = f"{self.name}.t{t}.h[{j}]"
                state.append(out)
            outputs.append(state)
            h = state
        return outputs, outputs[-1]

    def architecture(self) -> dict[str, Any]:
        return {**super().architecture(), "nonlinearity": self.nonlinearity}

    @classmethod
    def parameters_in(cls, architecture: dict[str, Any]) -> int:
        rest = {k: v for k, v in architecture.items() if k != "nonlinearity"}
        if architecture.get("nonlinearity") not in NONLINEARITIES:
            raise ValueError("nonlinearity must be 'tanh' or 'relu'")
        return super().parameters_in(rest)

    def __repr__(self) -> str:
        extra = "" if self.nonlinearity == "tanh" else f", nonlinearity={self.nonlinearity!r}"
        return f"RNN({self.input_size}, {self.hidden_size}{extra})"


class LSTM(_Recurrent):
    """A long short-term memory layer, as torch.nn.LSTM (one layer, no projection):

        i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)      input gate
        f = sigmoid(W_if x + b_if + W_hf h + b_hf)      forget gate
        g = tanh(W_ig x + b_ig + W_hg h + b_hg)         cell candidate
        o = sigmoid(W_io x + b_io + W_ho h + b_ho)      output gate
        c_t = f * c_(t-1) + i * g,   h_t = o * tanh(c_t)

    with h and c starting at 0 (or `state=(h0, c0)`). Returns `(outputs, (h_n, c_n))`:
    the hidden state at every step, and the last hidden and cell states.

    Shape:
        - Input: `[T][input_size]`, and optionally state `([hidden_size], [hidden_size])`
        - Output: outputs `[T][hidden_size]`, h_n and c_n `[hidden_size]` each
    """

    gates = 4

    def __init__(
        self, input_size: int, hidden_size: int, seed: Seed = 0, *, name: str = "lstm"
    ) -> None:
        super().__init__(input_size, hidden_size, seed, name)

    def __call__(
        self,
        x: Sequence2,
        state: tuple[Sequence[Operand], Sequence[Operand]] | None = None,
    ) -> tuple[list[list[Value]], tuple[list[Value], list[Value]]]:
        steps = self._check_sequence(x)
        hidden = self.hidden_size
        h: Sequence[Operand] | None = None
        c: Sequence[Operand] | None = None
        if state is not None:
            h, c = self._check_state(state[0], "h0"), self._check_state(state[1], "c0")
        outputs: list[list[Value]] = []
        cells: list[Value] = []
        for t in range(steps):
            hs, cells = [], []
            for j in range(hidden):
                i, f, g, o = (
                    activate(self._affine(gate * hidden + j, x[t], h))
                    for gate, activate in enumerate(
                        (Value.sigmoid, Value.sigmoid, Value.tanh, Value.sigmoid)
                    )
                )
                for gate_value, letter in zip((i, f, g, o), "ifgo"):
                    gate_value.label = f"{self.name}.t{t}.{letter}[{j}]"
                # With no previous cell (the zeros PyTorch starts from) f * c is 0: left out.
                cell = i * g if c is None else F.sum([f * c[j], i * g])
                cell.label = f"{self.name}.t{t}.c[{j}]"
                out = o * cell.tanh()
                out.label = f"{self.name}.t{t}.h[{j}]"
                cells.append(cell)
                hs.append(out)
            outputs.append(hs)
            h, c = hs, cells
        return outputs, (outputs[-1], cells)

    def __repr__(self) -> str:
        return f"LSTM({self.input_size}, {self.hidden_size})"
