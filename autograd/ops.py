"""The derivative rules: one table, one entry per operation.

Each `Op` says, once, how to compute an operation on floats (`forward`) and what its
local derivatives are (`derivative`). Rules are data: `derivative(m, out, *inputs)`
returns one local derivative d(out)/d(input) per input, written with ordinary
arithmetic and the functions of a math namespace `m`. The engine passes `FLOAT`
(plain floats, fast) for `backward()`, a namespace of `Value` operations for
`grad(create_graph=True)` (so the derivative is itself a graph), and the batch
evaluator passes NumPy. An operation with a constant (the 2 in `x ** 2`) receives
it after its inputs, in both `forward` and `derivative`.

Numerical policy (the same everywhere):

- inputs outside an operation's domain raise at once, naming the operation and
  the operand: `ValueError` (log of x <= 0, sqrt of x < 0, 0 to a negative
  power, a negative base to a non-integer power) or `ZeroDivisionError`;
- overflow saturates to +-inf (`exp(1000)` is inf), as in IEEE 754, NumPy and
  PyTorch; NaN and infinities then propagate silently;
- derivatives never raise: where a derivative is infinite (sqrt at 0) it is inf.
`detect_anomaly()` in the engine turns the first non-finite number into an error.

Your own operations join the same table at run time with `define_op` (see its
docstring and docs/guide/your-own-ops.md): the engine, `grad(create_graph=True)`,
drawings, the Stepper, `graph_stats` and the tape read them from here like any other.
"""

from __future__ import annotations

import inspect
import keyword
import math
import numbers
import operator
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import Value

INF = math.inf


# --- IEEE-style float helpers: they return inf or nan where Python would raise ---


def ieee_div(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        return math.nan if a == 0 or a != a else math.copysign(INF, a) * math.copysign(1.0, b)


def ieee_pow(x: float, y: float) -> float:
    odd = y.is_integer() and y % 2 == 1
    try:
        result = x**y
    except ZeroDivisionError:  # 0.0 ** negative
        return math.copysign(INF, x) if odd else INF
    except OverflowError:
        return -INF if x < 0 and odd else INF
    return math.nan if isinstance(result, complex) else result


def ieee_exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def ieee_log(x: float) -> float:
    if x > 0 or x != x:
        return math.log(x)
    return -INF if x == 0 else math.nan


def ieee_sin(x: float) -> float:
    return math.sin(x) if math.isfinite(x) else math.nan


def ieee_cos(x: float) -> float:
    return math.cos(x) if math.isfinite(x) else math.nan


def stable_sigmoid(x: float) -> float:
    # Only ever exponentiate a non-positive number, so nothing overflows.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = ieee_exp(x)
    return e / (1.0 + e)


def stable_softplus(x: float) -> float:
    # log(1 + e^x) = max(x, 0) + log1p(e^-|x|): exact for large |x|, never overflows.
    if x != x:
        return x
    return max(x, 0.0) + math.log1p(ieee_exp(-abs(x)))


def step(x: float) -> float:
    """1.0 where x > 0, else 0.0: the derivative of relu (0 at 0, as in PyTorch)."""
    return 1.0 if x > 0 else 0.0


def sign(x: float) -> float:
    """The derivative of abs: -1, 0 (at 0, as in PyTorch) or 1."""
    return 1.0 if x > 0 else -1.0 if x < 0 else 0.0 if x == 0 else math.nan


def winner(xs: Sequence[Any]) -> int:
    """Which input of max(xs) gets the gradient: PyTorch's max_pool2d rule.

    The first largest input, in the order given (a pooling window's row-major scan);
    where any input is NaN (and so the max is NaN), the last NaN, as PyTorch's kernel
    replaces its running max by each NaN it meets. Works on floats and on Values.
    """
    best, best_data = 0, float(xs[0])
    for i in range(1, len(xs)):
        data = float(xs[i])
        if data > best_data or data != data:
            best, best_data = i, data
    return best


def one_hot(xs: Sequence[Any]) -> tuple[float, ...]:
    """The local derivatives of max(xs): 1.0 for the winner (see `winner`), 0.0 elsewhere."""
    won = winner(xs)
    return tuple(1.0 if i == won else 0.0 for i in range(len(xs)))


class FloatMath:
    """The namespace `m` that derivative rules see when they run on plain floats."""

    div = staticmethod(ieee_div)
    pow = staticmethod(ieee_pow)
    exp = staticmethod(ieee_exp)
    log = staticmethod(ieee_log)
    sin = staticmethod(ieee_sin)
    cos = staticmethod(ieee_cos)
    sigmoid = staticmethod(stable_sigmoid)
    step = staticmethod(step)
    sign = staticmethod(sign)
    one_hot = staticmethod(one_hot)


FLOAT = FloatMath()


# --- forwards on floats, with the domain checks of the numerical policy ---


def _div(a: float, b: float) -> float:
    if b == 0:
        raise ZeroDivisionError(f"div: division by zero ({a!r} / {b!r})")
    return a / b


def _rdiv(x: float, c: float) -> float:
    return _div(c, x)


def _check_power(op: str, base: float, exponent: float) -> None:
    if base == 0 and exponent < 0:
        raise ValueError(f"{op}: 0 cannot be raised to a negative power ({exponent!r})")
    if base < 0 and math.isfinite(exponent) and not exponent.is_integer():
        raise ValueError(f"{op}: negative base {base!r} to the non-integer power {exponent!r}")


def _pow_const(x: float, c: float) -> float:
    _check_power("pow", x, c)
    return ieee_pow(x, c)


def _check_positive_base(op: str, base: float) -> None:
    # d(b^y)/dy = b^y * log(b) needs log(b), so a base that is a Value's exponent must be > 0.
    if not base > 0:
        raise ValueError(f"{op}: the base must be > 0 when the exponent is a Value, got {base!r}")


def _pow(a: float, b: float) -> float:
    _check_positive_base("pow", a)
    return ieee_pow(a, b)


def _rpow(x: float, c: float) -> float:
    _check_positive_base("pow", c)
    return ieee_pow(c, x)


def _log(x: float) -> float:
    if not x > 0 and x == x:
        raise ValueError(f"log: the operand must be > 0, got {x!r}")
    return math.log(x)


def _sqrt(x: float) -> float:
    if x < 0:
        raise ValueError(f"sqrt: the operand must be >= 0, got {x!r}")
    return math.sqrt(x)


def _relu(x: float) -> float:
    return 0.0 if x <= 0 else x  # written so that NaN passes through


def _leaky_relu(x: float, slope: float) -> float:
    return slope * x if x <= 0 else x


def _max(*xs: float) -> float:
    return xs[winner(xs)]


def _sum(*xs: float) -> float:
    # fsum is correctly rounded, so a sum does not depend on Python's version or order.
    try:
        return math.fsum(xs)
    except (OverflowError, ValueError):  # inf - inf, or partial sums past the float range
        return sum(xs, 0.0)


# --- the table ---

Rule = Callable[..., tuple[Any, ...]]


@dataclass(eq=False)
class Op:
    """One operation: its forward on floats and its local derivatives.

    Every node made by an operation refers to its one Op object, so replacing a rule
    on that object (as `autograd.testing` does to show a wrong rule being caught)
    changes it everywhere at once.

    name:       the key in OPS, shown in drawings and reprs.
    arity:      how many Value inputs (-1: any number).
    forward:    floats in, float out; raises on inputs outside the domain.
    derivative: (m, out, *inputs) -> one local derivative per input.
    template:   how the operation prints as math: {0}, {1} are inputs, {c} the constant.
    smooth:     infinitely differentiable inside its domain (relu, abs are not).
    has_const:  takes a constant after its inputs.

    Operations defined at run time (`define_op`) also carry:
    builtin:       False for them.
    domain:        (*inputs[, const]) -> bool, True inside the domain; None: everywhere
                   the forward does not raise.
    kinks:         points of a one-input op where it is not differentiable (relu's 0).
    array_forward: the forward on NumPy arrays, for the tape; None: the float forward,
                   element by element.
    apply:         the function define_op returned, which records the op on Values.
    """

    name: str
    arity: int
    forward: Callable[..., float]
    derivative: Rule
    template: str
    smooth: bool = True
    has_const: bool = False
    builtin: bool = True
    domain: Callable[..., bool] | None = None
    kinks: tuple[float, ...] = ()
    array_forward: Callable[..., Any] | None = None
    apply: Callable[..., Value] | None = None

    def format(self, inputs: list[str], const: float | None = None) -> str:
        if self.arity < 0:
            return f"{self.template}({', '.join(inputs)})"
        return self.template.format(*inputs, c=const)


def _const(
    name: str, forward: Callable[[float, float], float], derivative: Rule, template: str
) -> Op:
    return Op(name, 1, forward, derivative, template, has_const=True)


OPS: dict[str, Op] = {
    op.name: op
    for op in [
        # Both inputs are Values.
        Op("add", 2, operator.add, lambda m, out, a, b: (1.0, 1.0), "{0} + {1}"),
        Op("sub", 2, operator.sub, lambda m, out, a, b: (1.0, -1.0), "{0} - {1}"),
        Op("mul", 2, operator.mul, lambda m, out, a, b: (b, a), "{0} * {1}"),
        Op("div", 2, _div, lambda m, out, a, b: (m.div(1.0, b), -m.div(out, b)), "{0} / {1}"),
        Op(
            "pow",
            2,
            _pow,
            lambda m, out, a, b: (b * m.pow(a, b - 1.0), out * m.log(a)),
            "{0} ** {1}",
        ),
        # One input is a plain number, kept as the node's constant instead of a leaf node.
        _const("add_const", operator.add, lambda m, out, x, c: (1.0,), "{0} + {c}"),
        _const("sub_const", operator.sub, lambda m, out, x, c: (1.0,), "{0} - {c}"),
        _const("rsub_const", lambda x, c: c - x, lambda m, out, x, c: (-1.0,), "{c} - {0}"),
        _const("mul_const", operator.mul, lambda m, out, x, c: (c,), "{0} * {c}"),
        _const("div_const", _div, lambda m, out, x, c: (m.div(1.0, c),), "{0} / {c}"),
        _const("rdiv_const", _rdiv, lambda m, out, x, c: (-m.div(out, x),), "{c} / {0}"),
        _const(
            # x ** 0 is constant, so its derivative is 0 even at x = 0 (as in PyTorch).
            "pow_const",
            _pow_const,
            lambda m, out, x, c: (0.0 if c == 0 else c * m.pow(x, c - 1.0),),
            "{0} ** {c}",
        ),
        _const("rpow_const", _rpow, lambda m, out, x, c: (out * math.log(c),), "{c} ** {0}"),
        # One input.
        Op("neg", 1, operator.neg, lambda m, out, x: (-1.0,), "-{0}"),
        Op("abs", 1, math.fabs, lambda m, out, x: (m.sign(x),), "abs({0})", smooth=False),
        Op("exp", 1, ieee_exp, lambda m, out, x: (out,), "exp({0})"),
        Op("log", 1, _log, lambda m, out, x: (m.div(1.0, x),), "log({0})"),
        Op("sqrt", 1, _sqrt, lambda m, out, x: (m.div(0.5, out),), "sqrt({0})"),
        Op("tanh", 1, math.tanh, lambda m, out, x: (1.0 - out * out,), "tanh({0})"),
        Op("sigmoid", 1, stable_sigmoid, lambda m, out, x: (out * (1.0 - out),), "sigmoid({0})"),
        Op("softplus", 1, stable_softplus, lambda m, out, x: (m.sigmoid(x),), "softplus({0})"),
        Op("sin", 1, ieee_sin, lambda m, out, x: (m.cos(x),), "sin({0})"),
        Op("cos", 1, ieee_cos, lambda m, out, x: (-m.sin(x),), "cos({0})"),
        Op("relu", 1, _relu, lambda m, out, x: (m.step(x),), "relu({0})", smooth=False),
        Op(
            "leaky_relu",
            1,
            _leaky_relu,
            lambda m, out, x, c: (m.step(x) * (1.0 - c) + c,),
            "leaky_relu({0}, {c})",
            smooth=False,
            has_const=True,
        ),
        # Any number of inputs: one node for a whole sum, instead of a chain of adds.
        Op("sum", -1, _sum, lambda m, out, *xs: (1.0,) * len(xs), "sum"),
        # The largest input (a max-pooling window): its derivative is 1 for the winner and
        # 0 for the rest; ties go to the first largest input, as in PyTorch's max_pool2d.
        Op("max", -1, _max, lambda m, out, *xs: m.one_hot(xs), "max", smooth=False),
    ]
}


def op_named(name: str) -> Op:
    """The table's operation called `name`; a ValueError listing the names otherwise."""
    if name not in OPS:
        raise ValueError(f"unknown operation {name!r}; the operations are {', '.join(OPS)}")
    return OPS[name]


# --- operations defined at run time ---


class RuleError(ValueError):
    """A derivative rule of a defined operation broke its contract: it raised, or it did not
    return one number per input. The message names the operation and what it returned."""


# One lock for every change of the table, so that two definitions of one name can never
# both succeed. Readers (the engine) take no lock: see define_op on thread safety.
_TABLE_LOCK = threading.RLock()
# Methods define_op put on Value: only these may be replaced or removed again.
_METHODS: set[str] = set()


def _parameter_names(forward: Callable[..., Any]) -> list[str] | None:
    """The required positional parameters of `forward`, or None without a signature."""
    try:
        parameters = inspect.signature(forward).parameters.values()
    except (TypeError, ValueError):  # builtins without a signature
        return None
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in parameters if p.kind in positional and p.default is p.empty]


def _describe(names: Sequence[str], args: Sequence[Any]) -> str:
    """'x = 0.3' or 'x = 0.3, c = 2.0': operands (floats, Values or arrays) by name."""
    shown = []
    for name, arg in zip(names, args):
        data = getattr(arg, "data", arg)  # a Value's number
        if isinstance(data, (int, float)):
            text = repr(data)
        else:
            text = f"an array of shape {arg.shape}" if hasattr(arg, "shape") else repr(arg)
        shown.append(f"{name} = {text}")
    return ", ".join(shown)


def _is_entry(m: object, entry: object) -> bool:
    """Whether a rule's entry is a number for namespace `m` (on floats: a real number)."""
    if isinstance(entry, numbers.Real) and not isinstance(entry, bool):
        return True
    if m is FLOAT:
        return False
    # On Values and arrays: a Value or an array; never text, containers, complex or None.
    refused = (str, bytes, tuple, list, dict, set, complex, bool, type(None))
    return not isinstance(entry, refused) and hasattr(entry, "__mul__")


def _checked_rule(name: str, arity: int, names: Sequence[str], rule: Rule) -> Rule:
    """`rule`, with a clear RuleError when it raises or returns anything but one number
    per input."""
    count = f"{arity} local derivative{'s' if arity > 1 else ''} (one per input)"

    def derivative(m: Any, out: Any, *args: Any) -> tuple[Any, ...]:
        try:
            result = rule(m, out, *args)
        except Exception as error:
            raise RuleError(
                f"the derivative of {name} raised {type(error).__name__}: {error} "
                f"(at {_describe(names, args)}, on {type(m).__name__})"
            ) from error
        if not isinstance(result, (tuple, list)) or len(result) != arity:
            raise RuleError(
                f"the derivative of {name} must return a tuple of {count}, "
                f"like (d,); it returned {result!r} (at {_describe(names, args)})"
            )
        for i, entry in enumerate(result):
            if not _is_entry(m, entry):
                raise RuleError(
                    f"the derivative of {name} returned {entry!r} ({type(entry).__name__}) "
                    f"as entry {i}, not a number (at {_describe(names, args)}, "
                    f"on {type(m).__name__})"
                )
        return tuple(result)

    derivative.__wrapped__ = rule  # type: ignore[attr-defined]
    return derivative


def checked_rule(op: Op, rule: Rule) -> Rule:
    """`rule` as the rule of `op`: for an operation made with define_op, wrapped so that
    a rule that raises or returns junk gets a RuleError naming the op (see define_op)."""
    if op.builtin:
        return rule
    names = (["x"] if op.arity == 1 else ["a", "b"]) + (["c"] if op.has_const else [])
    return _checked_rule(op.name, op.arity, names, rule)


def _checked_forward(
    name: str,
    names: Sequence[str],
    forward: Callable[..., Any],
    domain: Callable[..., bool] | None,
) -> Callable[..., float]:
    """`forward`, refusing operands outside `domain` and naming the op in every error."""

    def checked(*args: float) -> float:
        if domain is not None and not domain(*args):
            raise ValueError(f"{name}: {_describe(names, args)} is outside its domain")
        try:
            out = forward(*args)
        except (ArithmeticError, ValueError) as error:
            raise type(error)(f"{name}: {error} (at {_describe(names, args)})") from error
        if not isinstance(out, numbers.Real) or isinstance(out, bool):
            raise TypeError(
                f"the forward of {name} must return a real number, got {out!r} "
                f"({type(out).__name__}) at {_describe(names, args)}"
            )
        return float(out)

    checked.__wrapped__ = forward  # type: ignore[attr-defined]
    return checked


def _check_name(name: object, replace: bool) -> str:
    from .engine import Value

    if not isinstance(name, str) or not name:
        raise ValueError(f"an operation's name must be a non-empty string, got {name!r}")
    if not name.isidentifier() or keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise ValueError(
            f"an operation's name must be a Python identifier and not a keyword, got {name!r}"
        )
    if name.startswith("_"):
        raise ValueError(f"an operation's name must not start with '_', got {name!r}")
    existing = OPS.get(name)
    if existing is not None and existing.builtin:
        raise ValueError(
            f"{name!r} is a built-in operation; to try another rule for it, use "
            f"autograd.testing.replace_rule({name!r}, ...)"
        )
    if existing is not None and not replace:
        raise ValueError(
            f"an operation named {name!r} exists already; pass replace=True to replace it, "
            f"or remove_op({name!r}) first"
        )
    if name not in _METHODS and hasattr(Value, name):
        raise ValueError(f"{name!r} is already an attribute of Value; choose another name")
    return name


def _arity(
    names: list[str] | None, arity: int | None, const: bool, forward: Callable[..., Any]
) -> int:
    if arity is None:
        if names is None:
            raise ValueError(f"cannot read the parameters of {forward!r}: pass arity=1 or 2")
        arity = len(names) - (1 if const else 0)
    if isinstance(arity, bool) or arity not in (1, 2):
        raise ValueError(
            f"an operation takes 1 or 2 Value inputs (and optionally a constant), "
            f"got arity {arity!r}"
        )
    return arity


class DefinedOp:
    """What define_op returns: call it on Values (`softsign(x)`) to record the operation.

    `op` is its entry in the table. Used as a context manager (`with define_op(...) as
    f:`), the definition lasts for the block: afterwards the table is as it was before.
    """

    def __init__(self, op: Op, previous: Op | None) -> None:
        self.op = op
        self._previous = previous
        self.__name__ = op.name
        self.__doc__ = f"Records {op.template.format('x', 'y', c='c')} (defined with define_op)."

    def __call__(self, *args: Any) -> Value:
        from .engine import Value, _to_float, apply_op

        op = self.op
        wanted = op.arity + (1 if op.has_const else 0)
        if len(args) != wanted:
            takes = f"{op.arity} input{'s' if op.arity > 1 else ''}"
            if op.has_const:
                takes += " and a constant"
            raise TypeError(f"{op.name}() takes {takes}, got {len(args)} argument(s)")
        inputs = [
            a if isinstance(a, Value) else Value(_to_float(a, f"{op.name}() input"))
            for a in args[: op.arity]
        ]
        const = _to_float(args[-1], f"{op.name}() constant") if op.has_const else None
        return apply_op(op, inputs, const)

    def __repr__(self) -> str:
        return f"<operation {self.op.name!r} (define_op), arity {self.op.arity}>"

    def __enter__(self) -> DefinedOp:
        return self

    def __exit__(self, *exc: object) -> None:
        with _TABLE_LOCK:
            if OPS.get(self.op.name) is not self.op:
                return  # replaced or removed meanwhile: leave the newer state alone
            if self._previous is None:
                remove_op(self.op.name)
            else:
                _install(self._previous)


def _install(op: Op) -> None:
    """Put `op` in the table and its method on Value (under the lock)."""
    from .engine import Value

    assert op.apply is not None
    apply = op.apply

    def method(self: Value, *args: Any) -> Value:
        return apply(self, *args)

    method.__name__ = method.__qualname__ = op.name
    method.__doc__ = apply.__doc__
    OPS[op.name] = op
    setattr(Value, op.name, method)
    _METHODS.add(op.name)


def define_op(
    name: str,
    forward: Callable[..., float],
    derivative: Rule,
    *,
    arity: int | None = None,
    const: bool = False,
    domain: Callable[..., bool] | None = None,
    smooth: bool = True,
    kinks: Sequence[float] = (),
    template: str | None = None,
    array_forward: Callable[..., Any] | None = None,
    replace: bool = False,
) -> DefinedOp:
    """Add an operation to the table at run time; returns a function that records it.

        softsign = define_op(
            "softsign",
            forward=lambda x: x / (1 + abs(x)),
            derivative=lambda m, out, x: (m.div(1.0, (1 + abs(x)) ** 2),),
        )
        y = softsign(Value(0.3))      # or Value(0.3).softsign(), or OPS["softsign"]

    forward:       floats in, a float out: `forward(x)`, `forward(a, b)`, or with
                   `const=True` `forward(x, c)`.
    derivative:    `derivative(m, out, *inputs[, c])` -> a tuple of one local derivative
                   per input, written with arithmetic, `abs` and the functions of the
                   namespace `m` (m.div, m.pow, m.exp, m.log, m.sin, m.cos, m.sigmoid,
                   m.step, m.sign): the same rule then runs on floats (backward), on
                   Values (grad(create_graph=True), so second derivatives work) and on
                   NumPy arrays (the tape). `out` is the node's output.
    arity:         1 or 2 Value inputs; default: read from forward's parameters.
    const:         the operation takes a plain-number constant after its inputs.
    domain:        `domain(*inputs[, c]) -> bool`; outside it the forward raises a
                   ValueError naming the operation and the operands.
    smooth:        declare whether it is infinitely differentiable inside its domain
                   (check_rule checks second derivatives of smooth operations).
    kinks:         points where a one-input operation is not differentiable (relu: 0).
                   check_rule always checks them; expressions() keeps operands away.
    template:      how it prints: default "name({0})", "name({0}, {1})", "name({0}, {c})".
    array_forward: the forward on NumPy arrays, for the tape. Default: the float forward
                   applied element by element (correct, slower).
    replace:       replace an operation defined before under this name (never a built-in:
                   for those, `autograd.testing.replace_rule`).

    The operation is also a method of Value (`x.softsign()`, `a.name(b)`, `x.name(c)`)
    and `OPS[name]`. A refused definition (a keyword, a name Value already has, an empty
    or existing name, arity other than 1 or 2) raises and leaves the table unchanged.
    `remove_op(name)` takes it out again; `with define_op(...) as f:` defines it for the
    block only, putting back what was there before.

    Thread safety: defining, replacing and removing hold a lock, so they never corrupt
    the table or let two definitions of one name both succeed. But the table is shared
    by the whole process: replacing or removing an operation while another thread builds
    or differentiates graphs with it changes what that thread sees (a graph already built
    keeps the Op object its nodes refer to). Define operations once, at start-up.
    """
    _check_name(name, replace)  # again under the lock below, where it counts
    if not callable(forward) or not callable(derivative):
        raise TypeError(f"{name}: forward and derivative must be callables")
    params = _parameter_names(forward)
    n = _arity(params, arity, const, forward)
    names = list(params) if params is not None and len(params) == n + const else []
    if not names:
        names = ["x"] if n == 1 else ["a", "b"]
        names += ["c"] if const else []
    if domain is not None and not callable(domain):
        raise TypeError(f"{name}: domain must be a callable returning a bool, got {domain!r}")
    if array_forward is not None and not callable(array_forward):
        raise TypeError(f"{name}: array_forward must be a callable, got {array_forward!r}")
    try:
        inspect.signature(derivative).bind(None, None, *names)
    except TypeError:
        raise TypeError(
            f"{name}: the derivative must take (m, out, {', '.join(names)}), "
            f"like the built-in rules"
        ) from None
    except ValueError:  # no signature to read: trust it
        pass
    points = tuple(float(k) for k in kinks)
    if points and n != 1:
        raise ValueError(f"{name}: kinks are points of a one-input operation")
    if template is None:
        template = f"{name}({', '.join(['{0}', '{1}'][:n] + (['{c}'] if const else []))})"
    try:
        template.format("x", "y", c="c")
    except (IndexError, KeyError, ValueError) as error:
        raise ValueError(f"{name}: template {template!r} does not format: {error}") from None
    with _TABLE_LOCK:
        _check_name(name, replace)
        op = Op(
            name,
            n,
            _checked_forward(name, names, forward, domain),
            _checked_rule(name, n, names, derivative),
            template,
            smooth=bool(smooth),
            has_const=bool(const),
            builtin=False,
            domain=domain,
            kinks=points,
            array_forward=array_forward,
        )
        function = DefinedOp(op, OPS.get(name))
        op.apply = function
        _install(op)
    return function


def remove_op(name: str) -> Op:
    """Take an operation defined with define_op out of the table (and off Value).

    Graphs already built keep working: their nodes refer to the Op object, returned here.
    Built-in operations cannot be removed. See define_op on thread safety.
    """
    from .engine import Value

    with _TABLE_LOCK:
        op = op_named(name)
        if op.builtin:
            raise ValueError(f"{name!r} is a built-in operation and cannot be removed")
        del OPS[name]
        delattr(Value, name)
        _METHODS.discard(name)
    return op
