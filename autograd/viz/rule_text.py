"""A derivative rule of the ops table written out as math, by running it on symbols.

A rule is `derivative(m, out, *inputs)`, ordinary arithmetic on its arguments and the
functions of the namespace `m`. Given symbols instead of floats, the same rule writes
itself out, so no second table of formulas is kept:

>>> from autograd import Value
>>> x, w = Value(0.5, label="x"), Value(-1.2, label="w")
>>> z = x * w
>>> z.label = "z"
>>> rule_lines(z, {z: "z", x: "x", w: "w"})
['dz/dx = w', 'dz/dw = x']
>>> y = z.tanh()
>>> rule_lines(y, {y: "y", z: "z"})
['dy/dz = 1 - y * y']

A constant operand (the 2 in `x ** 2`) is passed as its number, as the drawing shows it.
A rule the symbols cannot run (one that compares an input with a number) gives no lines.
"""

from __future__ import annotations

from collections.abc import Callable

from ..engine import Value
from .naming import MOST_TERMS, derivative_operand

# Binding strength: a sum inside a product needs brackets, a product inside a sum does not.
_SUM, _PRODUCT, _NEGATION, _POWER, _ATOM = 1, 2, 3, 4, 5


def _binary(sign: str, strength: int, swap: bool = False) -> Callable[[Symbol, object], Symbol]:
    """An operator method: brackets where the operands bind less strongly than `sign`."""

    def method(self: Symbol, other: object) -> Symbol:
        left, right = (_symbol(other), self) if swap else (self, _symbol(other))
        if sign == "**":  # right-associative
            return Symbol(f"{_wrap(left, strength + 1)} ** {_wrap(right, strength)}", strength)
        # left-associative: a - (b - c) and a / (b * c) keep their brackets
        right_strength = strength + 1 if sign in "-/" else strength
        return Symbol(f"{_wrap(left, strength)} {sign} {_wrap(right, right_strength)}", strength)

    return method


class Symbol:
    """An expression as text, with how strongly its outermost operation binds."""

    def __init__(self, text: str, strength: int = _ATOM) -> None:
        self.text = text
        self.strength = strength

    def __str__(self) -> str:
        return self.text

    def __neg__(self) -> Symbol:
        return Symbol(f"-{_wrap(self, _NEGATION)}", _NEGATION)

    __add__ = _binary("+", _SUM)
    __radd__ = _binary("+", _SUM, swap=True)
    __sub__ = _binary("-", _SUM)
    __rsub__ = _binary("-", _SUM, swap=True)
    __mul__ = _binary("*", _PRODUCT)
    __rmul__ = _binary("*", _PRODUCT, swap=True)
    __truediv__ = _binary("/", _PRODUCT)
    __rtruediv__ = _binary("/", _PRODUCT, swap=True)
    __pow__ = _binary("**", _POWER)
    __rpow__ = _binary("**", _POWER, swap=True)


def _symbol(x: object) -> Symbol:
    if isinstance(x, Symbol):
        return x
    if isinstance(x, (int, float)):
        return Symbol(f"{x:g}", _ATOM if x >= 0 else _NEGATION)
    raise TypeError(f"a rule written out can only use symbols and numbers, got {x!r}")


def _wrap(x: Symbol, strength: int) -> str:
    return x.text if x.strength >= strength else f"({x.text})"


class SymbolMath:
    """The namespace `m` for symbols: m.div and m.pow print as operators, the rest as
    function calls (exp(x), sigmoid(x), step(x))."""

    def div(self, a: object, b: object) -> Symbol:
        return _symbol(a) / _symbol(b)

    def pow(self, a: object, b: object) -> Symbol:
        return _symbol(a) ** _symbol(b)

    def __getattr__(self, name: str) -> Callable[..., Symbol]:
        return lambda *args: Symbol(f"{name}({', '.join(str(_symbol(a)) for a in args)})")


def rule_lines(node: Value, names: dict[Value, str]) -> list[str]:
    """`d(node)/d(input) = ...` for each input of `node`, written with the graph's names;
    [] for a leaf, or for a rule that cannot be written out."""
    if node.op is None:
        return []
    out = names[node]
    args: list[object] = [Symbol(derivative_operand(names[p])) for p in node.parents]
    if node.const is not None:
        args.append(node.const)
    try:
        locals_ = node.op.derivative(SymbolMath(), Symbol(derivative_operand(out)), *args)
    except (TypeError, ValueError, ArithmeticError):
        return []
    d_out = f"d{derivative_operand(out)}"
    lines = [
        f"{d_out}/d{derivative_operand(names[parent])} = {_symbol(local)}"
        for parent, local in zip(node.parents, locals_)
    ]
    if len(lines) > MOST_TERMS:
        lines = [*lines[: MOST_TERMS - 1], f"… ({len(lines)} inputs in all)"]
    return lines
