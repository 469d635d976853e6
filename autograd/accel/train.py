"""Training through the compiled tape: the model recorded once, replayed on the whole batch.

An accelerator does not see Python: it receives a fixed program and runs it over the
batch. `TapeBackend` (the backend "tape" of `autograd.nn.train.fit`, and of
`python -m autograd train --backend tape`) does the same with the scalar engine's own
graph:

1. it records one sample's loss with the scalar engine, its features as inputs and the
   model's parameters as *parameters* of the program (`tape.compile(..., params=...)`);
   a label enters the loss as a number, so there is one program per class;
2. each epoch it replays each class's program on all the samples of that class at
   once, `value_and_grad(..., summed=True)`: the loss summed over the batch and its
   gradient with respect to every parameter; the batch mean is that sum over n;
3. optionally (`fuse=True`, the default) each layer's sums of products run as one
   matrix product, a convolution's too, and the alike steps of each depth (a layer's
   relus, a pooling layer's maxes) as one array operation (`accel.fusion`).

The weight penalty (the recipe's l2 term) depends on the parameters alone: it runs on
the scalar engine, once per epoch, as in the scalar backend.

What a tape cannot replay is refused, with `UnreplayableModelError`, before training:

- an operation without an array version (`UnsupportedOperationError` from compile);
- control flow that depends on the data. The check: each class's program is recorded
  on two different samples (its first and its last); the two must have the same
  instructions on the same slots, and the program recorded on the first must replay
  the second sample to the scalar engine's loss and gradients (to 1e-9). A branch
  taken differently changes the instructions; a number read off the data (`x.data`)
  changes a constant and fails the replay. Decisions that only change for samples
  the check did not see, or later in training, are not caught.

The loss of an `Objective` must be the mean of its per-sample losses (all of
`nn.train`'s are).

The mini-batch tasks of `nn.tasks` (the digits CNN, the echo RNN and LSTM: Adam on
batches of 16) go through `step_batch`: there the program is the *model*, one
sample's numbers (an image or a sequence, flattened) to its scores, recorded once and
checked the same way on two samples; each batch replays it on all its samples at once
(`Tape.vjp`), the softmax cross-entropy of the scores runs on the scalar engine (a
few dozen nodes per sample), and its gradient with respect to the scores goes back
through the program to every parameter. A `max` (a pooling window) is one instruction
whose winner each sample decides for itself, with the engine's tie rule (the first
largest; NaN: the last NaN); a relu's kink is per sample too. Neither is control flow.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..engine import Value
from ..gradients import grad
from ..nn import losses, tasks, train
from ..nn.modules import MLP
from . import tape as tapes
from .fusion import fuse as fuse_tape
from .fusion import vectorize
from .tape import Array, Tape

__all__ = ["TapeBackend", "UnreplayableModelError"]

REPLAY_TOLERANCE = 1e-9


class UnreplayableModelError(ValueError):
    """The model's graph depends on the data, so one recorded program cannot stand for it."""


@dataclass
class _Program:
    """Some samples and the program of their per-sample loss."""

    labels: list[int]  # the label of each of those samples
    features: list[Array]  # one array per feature, over those samples
    tape: Tape


class TapeBackend:
    """The "tape" backend of `nn.train.fit`: see the module docstring."""

    name = "tape"

    def __init__(self, fuse: bool = True) -> None:
        self.fuse = fuse
        self._key: tuple[int, int, int] | None = None
        self._programs: list[_Program] = []
        self._params: list[Value] = []
        self._model_key: tuple[int, int] | None = None
        self._model_program: Tape | None = None
        self._features = np.zeros((0, 0))

    def step_batch(
        self, model: Callable[[Any], Any], X: Sequence[Any], y: Sequence[int], rows: Sequence[int]
    ) -> tuple[float, int]:
        """A mini-batch of `nn.tasks` (see `nn.train.Backend`): the model's program replayed
        on the batch's samples at once; the loss on the scalar engine, from the scores.

        The model (not the loss) is the program: it maps one sample's numbers (an image,
        a sequence, flattened) to its scores. The batch's scores become Values, the
        scalar engine computes the softmax cross-entropy and its gradient with respect to
        each score, and the program carries that gradient back to every parameter
        (`Tape.vjp`): the gradient of the same loss the scalar backend differentiates.
        """
        key = (id(model), id(X))
        if key != self._model_key:
            self._model_program = self.record_model(model, X, y)
            self._params = _parameters(model)
            self._features = np.array([_flat(x) for x in X]).T
            self._model_key = key
        program = self._model_program
        assert program is not None  # recorded above
        params = self._params
        vector = np.array([p.data for p in params])
        scores, pullback = program.vjp(
            *self._features[:, rows], params=vector, summed=True, wrt_inputs=False
        )
        rows_of_scores = [[Value(s) for s in row] for row in np.array(scores).T.tolist()]
        labels = [y[k] for k in rows]
        loss = losses.cross_entropy(rows_of_scores, labels)
        loss.backward()
        cotangents = np.array([[v.grad for v in row] for row in rows_of_scores]).T
        (gradient,) = pullback(list(cotangents))
        for p, g in zip(params, gradient.tolist()):
            p.grad += g
        right = sum(tasks.predict(row) == c for row, c in zip(rows_of_scores, labels))
        return loss.data, right

    def record_model(self, model: Callable[[Any], Any], X: Sequence[Any], y: Sequence[int]) -> Tape:
        """The program of the model's scores for one sample, checked on a second sample
        (see the module docstring), fused unless `fuse=False`."""
        params = _parameters(model)
        first = 0
        other = next((k for k in reversed(range(len(X))) if _flat(X[k]) != _flat(X[0])), None)
        inputs, scores = _model_graph(model, X[first])
        tape = tapes.compile(scores, inputs, params=params)
        if other is not None:
            _check_model_replay(tape, model, X[first], X[other], y[other], params)
        return self._lowered(tape)

    def _lowered(self, tape: Tape) -> Tape:
        """With `fuse`, each layer one matrix product and each depth's alike steps one
        array operation (`fusion.fuse`, then `fusion.vectorize`)."""
        return vectorize(fuse_tape(tape)) if self.fuse else tape

    def step(
        self,
        model: MLP,
        X: Sequence[Sequence[float]],
        y: Sequence[int],
        objective: train.Objective,
        l2: float,
    ) -> tuple[float, float]:
        key = (id(model), id(X), id(objective))
        if key != self._key:
            self._programs = self.record(model, X, y, objective)
            self._params = model.parameters()
            self._key = key
        params = self._params
        values = np.array([p.data for p in params])
        n = len(y)
        total = 0.0
        gradient = np.zeros(len(params))
        right = 0
        for program in self._programs:
            outputs, grads = program.tape.value_and_grad(
                *program.features, params=values, output=0, summed=True
            )
            total += float(np.sum(outputs[0]))
            gradient += grads[-1]
            right += _right(objective, outputs[1:], program.labels)
        loss = total / n
        for p, g in zip(params, (gradient / n).tolist()):
            p.grad += g
        if l2:
            term = train.penalty(params, l2)
            term.backward()
            loss += term.data
        return loss, right / n

    def record(
        self,
        model: MLP,
        X: Sequence[Sequence[float]],
        y: Sequence[int],
        objective: train.Objective,
    ) -> list[_Program]:
        """The checked programs (see the module docstring): one per class, or one for all
        when the classes' programs differ only in numbers (the label's own constants)."""
        params = model.parameters()
        rows_of: dict[int, list[int]] = {}
        for i, label in enumerate(y):
            rows_of.setdefault(label, []).append(i)
        tapes = {}
        for label in sorted(rows_of):
            rows = rows_of[label]
            tapes[label] = _recorded(model, X[rows[0]], label, objective, params)
            if len(rows) > 1:
                _check_replay(
                    tapes[label], model, X[rows[0]], X[rows[-1]], label, objective, params
                )
        groups = [(list(range(len(y))), _merged(tapes, y))] if _mergeable(tapes) else []
        if not groups:
            groups = [(rows_of[label], tape) for label, tape in tapes.items()]
        programs = []
        for rows, tape in groups:
            features = [np.array([X[i][j] for i in rows]) for j in range(len(X[rows[0]]))]
            program = self._lowered(tape)
            programs.append(_Program([y[i] for i in rows], features, program))
        return programs


def _mergeable(tapes: dict[int, Tape]) -> bool:
    shapes = [_shape(tape) for tape in tapes.values()]
    sizes = {len(tape.constants) for tape in tapes.values()}
    return len(tapes) > 1 and all(shape == shapes[0] for shape in shapes) and len(sizes) == 1


def _merged(tapes: dict[int, Tape], y: Sequence[int]) -> Tape:
    """One tape for every sample: where the classes' programs hold different numbers
    (the label enters the loss as a constant), the number becomes an array over the
    samples, each sample's from its class's program."""
    labels = np.array(y)
    first = next(iter(tapes.values()))

    def per_sample(numbers: list[Any]) -> Any:
        if all(number == numbers[0] for number in numbers):
            return numbers[0]
        merged = np.zeros(len(labels))
        for label, number in zip(tapes, numbers):
            merged[labels == label] = number
        return merged

    instructions = tuple(
        replace(ins, const=per_sample([t.instructions[k].const for t in tapes.values()]))
        for k, ins in enumerate(first.instructions)
    )
    constants = tuple(
        (per_sample([t.constants[k][0] for t in tapes.values()]), label)
        for k, (_, label) in enumerate(first.constants)
    )
    return replace(first, instructions=instructions, constants=constants)


def _loss_graph(
    model: MLP, x: Sequence[float], label: int, objective: train.Objective
) -> tuple[list[Value], Value, list[Value]]:
    features = [Value(v, label=f"x{j + 1}") for j, v in enumerate(x)]
    output = model(features)
    outputs = output if isinstance(output, list) else [output]
    return features, objective.loss([output], [label]), outputs


def _recorded(
    model: MLP,
    x: Sequence[float],
    label: int,
    objective: train.Objective,
    params: list[Value],
) -> Tape:
    features, loss, outputs = _loss_graph(model, x, label, objective)
    return tapes.compile([loss, *outputs], features, params=params)


def _check_replay(
    tape: Tape,
    model: MLP,
    first: Sequence[float],
    other: Sequence[float],
    label: int,
    objective: train.Objective,
    params: list[Value],
) -> None:
    """Refuse the model if `other` records another program, or if `tape` (recorded on
    `first`) does not replay `other` to the scalar engine's loss and gradients."""
    features, loss, outputs = _loss_graph(model, other, label, objective)
    again = tapes.compile([loss, *outputs], features, params)
    where = f"class {label}: samples {list(first)} and {list(other)}"
    _same_program(tape, again, where)
    want = [loss.data, *grad(loss, params)]
    values, grads = tape.value_and_grad(*other, params=[p.data for p in params], output=0)
    got = [float(values[0]), *grads[-1].tolist()]
    _same_numbers(got, want, ["the loss", *_gradients_of(params)], where)


def _gradients_of(params: list[Value]) -> list[str]:
    return [f"the gradient of {p.label or i}" for i, p in enumerate(params)]


def _same_program(tape: Tape, again: Tape, where: str) -> None:
    """Refuse the model if the program recorded on another sample (`again`) differs."""
    if _shape(again) != _shape(tape):
        raise UnreplayableModelError(
            f"the model records a different program for each sample ({where}): its graph "
            "depends on the data (an if on a value?), so a tape cannot replay it; "
            "train it with backend='scalar'"
        )


def _same_numbers(got: list[float], want: list[float], names: list[str], where: str) -> None:
    """Refuse the model if the replayed numbers (`got`) are not the engine's (`want`)."""
    for what, a, b in zip(names, got, want):
        if not math.isclose(a, b, rel_tol=REPLAY_TOLERANCE, abs_tol=1e-12):
            raise UnreplayableModelError(
                f"the program recorded on one sample gives {what} = {a!r} on another, "
                f"where the engine gives {b!r} ({where}): the graph reads numbers off "
                "the data (x.data?), so a tape cannot replay it; train it with "
                "backend='scalar'"
            )


def _parameters(model: Callable[[Any], Any]) -> list[Value]:
    parameters = getattr(model, "parameters", None)
    if parameters is None:
        raise TypeError(f"the tape trains a Module, got {type(model).__name__}")
    found: list[Value] = parameters()
    return found


def _flat(sample: Any) -> list[float]:
    """A sample's numbers (an image [C][H][W], a sequence [T][F]) in row-major order."""
    if isinstance(sample, (list, tuple)):
        return [number for item in sample for number in _flat(item)]
    return [float(sample)]


def _model_graph(model: Callable[[Any], Any], sample: Any) -> tuple[list[Value], list[Value]]:
    """The model run on the sample, each of its numbers an input Value: (inputs, scores)."""
    inputs: list[Value] = []

    def as_values(item: Any) -> Any:
        if isinstance(item, (list, tuple)):
            return [as_values(part) for part in item]
        value = Value(float(item), label=f"x{len(inputs) + 1}")
        inputs.append(value)
        return value

    output = model(as_values(sample))
    return inputs, output if isinstance(output, list) else [output]


def _check_model_replay(
    tape: Tape,
    model: Callable[[Any], Any],
    first: Any,
    other: Any,
    label: int,
    params: list[Value],
) -> None:
    """Refuse the model if `other` records another program, or if `tape` (recorded on
    `first`) does not replay `other` to the scalar engine's scores and gradients."""
    inputs, scores = _model_graph(model, other)
    again = tapes.compile(scores, inputs, params=params)
    where = f"samples {_brief(first)} and {_brief(other)}"
    _same_program(tape, again, where)
    loss = losses.cross_entropy(scores, label)
    want = [s.data for s in scores] + grad(loss, params)
    values, pullback = tape.vjp(*_flat(other), params=[p.data for p in params], summed=True)
    got = np.ravel(values).tolist() + pullback(grad(loss, scores))[-1].tolist()
    names = [f"score {k}" for k in range(len(scores))] + _gradients_of(params)
    _same_numbers(got, want, names, where)


def _brief(sample: Any) -> str:
    numbers = _flat(sample)
    shown = ", ".join(f"{x:g}" for x in numbers[:4])
    return f"[{shown}{', ...' if len(numbers) > 4 else ''}]"


def _shape(tape: Tape) -> list[tuple[str, tuple[int, ...]]]:
    """The program without its numbers: each instruction's operation and operand slots."""
    return [(ins.op.name, ins.args) for ins in tape.instructions] + [("return", tape.outputs)]


def _right(objective: train.Objective, scores: list[Array], labels: list[int]) -> int:
    """How many samples the objective predicts right from their scores."""
    right = 0
    for label, *row in zip(labels, *(s.tolist() for s in scores)):
        values = [Value(v) for v in row]
        right += objective.predict(values if len(values) > 1 else values[0]) == label
    return right


train.BACKENDS["tape"] = TapeBackend
