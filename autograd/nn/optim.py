"""Optimizers with PyTorch's shape: `opt.zero_grad()`, `loss.backward()`, `opt.step()`.

Both follow torch.optim's update rules, so the same settings give the same numbers.

- `SGD`: p <- p - lr * g, with g = grad + weight_decay * p; with momentum the step
  follows a running velocity v <- momentum * v + g (v starts as the first g), and
  Nesterov momentum looks ahead: the step is g + momentum * v.
- `Adam`: running means of the gradient (m) and its square (s), corrected for
  starting at 0: p <- p - lr * m_hat / (sqrt(s_hat) + eps).

`lr` may be changed between steps (a decaying learning rate); it is checked on
every assignment, like every other setting at construction.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ..engine import Value, _to_float


def _real(value: object, what: str) -> float:
    number = _to_float(value, what)  # a huge int saturates to inf, refused below
    if not math.isfinite(number):
        raise ValueError(f"{what} must be finite, got {number}")
    return number


def _at_least_zero(value: object, what: str) -> float:
    number = _real(value, what)
    if number < 0:
        raise ValueError(f"{what} must be >= 0, got {number}")
    return number


def _fraction(value: object, what: str) -> float:
    number = _at_least_zero(value, what)
    if number >= 1:
        raise ValueError(f"{what} must be in [0, 1), got {number}")
    return number


class Optimizer:
    """Holds the parameters and the learning rate; subclasses define `step`."""

    def __init__(self, params: Iterable[Value], lr: float, weight_decay: float = 0.0) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("the optimizer got an empty list of parameters")
        for p in self.params:
            if not isinstance(p, Value):
                raise TypeError(f"parameters must be Values, got {type(p).__name__}")
        self.lr = lr
        self.weight_decay = _at_least_zero(weight_decay, "weight_decay")
        self.steps = 0

    @property
    def lr(self) -> float:
        """The learning rate: a finite number > 0."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        lr = _real(value, "the learning rate")
        if lr <= 0:
            raise ValueError(f"the learning rate must be > 0, got {lr}")
        self._lr = lr

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (leaves accumulate across backward calls)."""
        for p in self.params:
            p.grad = 0.0

    def _gradients(self) -> list[float]:
        decay = self.weight_decay
        return [p.grad + decay * p.data if decay else p.grad for p in self.params]

    def step(self) -> None:
        """Move every parameter one step, using its current `.grad`."""
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum, Nesterov momentum, weight decay."""

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        momentum: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        self.momentum = _fraction(momentum, "momentum")
        if nesterov and self.momentum == 0:
            raise ValueError("nesterov=True needs a momentum > 0")
        self.nesterov = nesterov
        self.velocities = [0.0] * len(self.params)

    def step(self) -> None:
        momentum, lr = self.momentum, self.lr
        first = self.steps == 0
        for i, (p, g) in enumerate(zip(self.params, self._gradients())):
            if momentum:
                v = g if first else momentum * self.velocities[i] + g
                self.velocities[i] = v
                g = g + momentum * v if self.nesterov else v
            p.data -= lr * g
        self.steps += 1


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2015): per-parameter steps scaled by gradient statistics."""

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr, weight_decay)
        beta1, beta2 = betas
        self.betas = (_fraction(beta1, "beta1"), _fraction(beta2, "beta2"))
        self.eps = _real(eps, "eps")
        if self.eps <= 0:
            raise ValueError(f"eps must be > 0, got {self.eps}")
        self.means = [0.0] * len(self.params)
        self.squares = [0.0] * len(self.params)

    def step(self) -> None:
        beta1, beta2 = self.betas
        self.steps += 1
        correction1 = 1.0 - beta1**self.steps
        correction2 = 1.0 - beta2**self.steps
        for i, (p, g) in enumerate(zip(self.params, self._gradients())):
            m = self.means[i] = beta1 * self.means[i] + (1.0 - beta1) * g
            s = self.squares[i] = beta2 * self.squares[i] + (1.0 - beta2) * g * g
            p.data -= self.lr * (m / correction1) / (math.sqrt(s / correction2) + self.eps)
