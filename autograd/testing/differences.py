"""gradcheck: the engine's derivatives against central finite differences, as a table.

Import it from `autograd.testing`. It needs no third-party package.

Why these defaults (eps=1e-6, atol=1e-5, rtol=1e-3, the numbers of PyTorch's float64
gradcheck): a central difference (f(x+h) - f(x-h)) / 2h is off by about
h^2 |f'''| / 6 (truncation) plus 1e-16 |f| / h (rounding). With h = 1e-6 both terms
are near 1e-10 for a function of moderate size, so the tolerances leave a wide margin:
on 20,000 generated expressions the worst correct first derivative used 0.35% of its
allowance and the worst second derivative 0.5%, while a wrong rule is typically off by
far more than 0.1% (a 1% error in any operation's rule is always caught).

Where PyTorch takes one fixed step, the step here adapts (see _central_difference):
relative for large inputs (1e-6 added to 1e10 is lost in rounding), eps * |x| near a
singularity at 0 (log at 2e-5), and refined by Richardson extrapolation.
"""

from __future__ import annotations

import html
import inspect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from ..engine import Number, Value, _constant, _to_float, topological_order
from ..gradients import grad
from ..modes import no_grad
from .expression import _ATOM, _precedence
from .rule_check import (
    RuleCheck,
    Tolerance,
    at_text,
    first_order_rows,
    operand_names,
    second_order_rows,
)


@dataclass(frozen=True)
class Check:
    """One derivative compared: df/d(input), or d2f/(d a d b) when `input` is "a, b"."""

    input: str
    analytic: float
    numeric: float
    abs_err: float
    rel_err: float
    excess: float  # abs_err / (atol + rtol * |numeric|): above 1 it fails

    @property
    def passed(self) -> bool:
        return self.excess <= 1.0


_COLUMNS = ("input", "analytic", "numeric", "abs err", "rel err", "")


@dataclass(frozen=True)
class Blame:
    """A node of f whose operation's own rule disagrees with differences at its point."""

    op: str
    check: str  # which derivative: "d/dx", "d2/dxdx"
    at: str  # the node's operands: "x=0.3"
    rule: float
    differences: float
    uses: int  # nodes of this operation in f
    place: str  # where in the graph: "softsign(x * y), operation 2 of 5"
    node: Value = field(repr=False, compare=False)

    def __str__(self) -> str:
        at = self.at.replace("=", " = ")
        times = "1 time" if self.uses == 1 else f"{self.uses} times"
        what = "" if self.check.startswith("d/") else f" ({self.check.split(' ')[0]})"
        return (
            f"the rule of {self.op}{what} at {at} gives {self.rule:.6g}, differences give "
            f"{self.differences:.6g}; used {times} in f (at {self.place})"
        )


@dataclass(frozen=True)
class GradcheckResult:
    """Every derivative gradcheck compared; prints (and shows in Jupyter) as a table.

    Truthy when all passed. `worst` is the check closest to (or furthest past) its
    tolerance; the table marks it.
    """

    point: tuple[tuple[str, float], ...]
    checks: tuple[Check, ...]
    eps: float
    atol: float
    rtol: float
    blame: tuple[Blame, ...] = ()  # on failure: the operations whose own rule is wrong
    graph: Value | None = field(default=None, repr=False)  # on failure: f at the point

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def blamed_nodes(self) -> list[Value]:
        """The nodes of `graph` blamed, to highlight: draw(r.graph, highlight=r.blamed_nodes)."""
        return [b.node for b in self.blame]

    def blame_lines(self) -> list[str]:
        """Below the table of a failure: which operation's rule disagrees, and where."""
        if self.passed:
            return []
        if not self.blame:
            return [
                "blame: every operation's own rule agrees with differences at its node; "
                "the disagreement is in how they combine, or in the differences of f"
            ]
        return [f"blame: {b}" for b in self.blame]

    @property
    def failures(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]

    @property
    def worst(self) -> Check:
        return max(self.checks, key=lambda check: check.excess)

    def __bool__(self) -> bool:
        return self.passed

    def title(self) -> str:
        """What was compared and the verdict: the lines above the table."""
        at = ", ".join(f"{name}={x!r}" for name, x in self.point)
        count = len(self.checks)
        derivatives = f"{count} derivative{'' if count == 1 else 's'}"
        verdict = (
            f"gradcheck passed: {derivatives} of f at {at}"
            if self.passed
            else f"gradcheck FAILED: {len(self.failures)} of {derivatives} of f at {at}"
        )
        lines = [
            verdict,
            f"analytic: the engine; numeric: central differences, eps={self.eps:g}",
            f"pass if abs err <= atol + rtol * |numeric|, atol={self.atol:g}, rtol={self.rtol:g}",
        ]
        if any(", " in check.input for check in self.checks):
            lines.append('input "a, b": the second derivative d2f/(da db)')
        return "\n".join(lines)

    def rows(self) -> list[tuple[str, ...]]:
        """The table's cells as text, one tuple per check."""
        worst = self.worst
        return [
            (
                check.input,
                f"{check.analytic:.12g}",
                f"{check.numeric:.12g}",
                f"{check.abs_err:.2e}",
                f"{check.rel_err:.2e}",
                ("ok" if check.passed else "FAIL") + ("  <- worst" if check is worst else ""),
            )
            for check in self.checks
        ]

    def __str__(self) -> str:
        rows = [_COLUMNS, *self.rows()]
        widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
        lines = [self.title()]
        for row in rows:
            cells = [row[0].ljust(widths[0])]
            cells += [cell.rjust(width) for cell, width in zip(row[1:-1], widths[1:-1])]
            lines.append("  ".join([*cells, row[-1]]).rstrip())
        return "\n".join(lines + self.blame_lines())

    __repr__ = __str__

    def _repr_html_(self) -> str:
        """Jupyter shows the same table, the worst row in bold, failures in red."""
        head = "".join(f"<th>{html.escape(name)}</th>" for name in _COLUMNS)
        body = []
        worst = self.worst
        for check, cells in zip(self.checks, self.rows()):
            style = "" if check.passed else "color:#b00020;"
            style += "font-weight:bold;" if check is worst else ""
            tds = "".join(f"<td>{html.escape(cell)}</td>" for cell in cells)
            body.append(f'<tr style="{style}">{tds}</tr>')
        caption = f"<caption>{html.escape(self.title())}</caption>"
        blame = "".join(f"<p>{html.escape(line)}</p>" for line in self.blame_lines())
        return f"<table>{caption}<tr>{head}</tr>{''.join(body)}</table>{blame}"


class GradcheckError(AssertionError):
    """gradcheck found a derivative outside its tolerance; the message is the table."""

    def __init__(self, result: GradcheckResult) -> None:
        super().__init__(str(result))
        self.result = result


Function = Callable[..., Value | Number]


def gradcheck(
    f: Function,
    inputs: Sequence[Number | Value] | Number | Value,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    second_order: bool = False,
    raise_on_failure: bool = True,
) -> GradcheckResult:
    """Compare f's gradient from the engine with central finite differences.

    f takes one Value per input and returns a Value. `inputs` are numbers (or Values,
    whose data and labels are used). Each derivative passes when
    |analytic - numeric| <= atol + rtol * |numeric|. With `second_order=True` it also
    compares every second derivative d2f/(da db), built through
    `grad(create_graph=True)`, with central differences of the gradient.

    Returns a GradcheckResult (a table); raises GradcheckError, whose message is that
    table, when a check fails, unless `raise_on_failure=False`. See the module
    docstring for why the defaults are what they are.
    """
    for name, given, least in (("eps", eps, "> 0"), ("atol", atol, ">= 0"), ("rtol", rtol, ">= 0")):
        x = _to_float(given, f"gradcheck: {name}")  # a huge int saturates, refused below
        if not (math.isfinite(x) and x >= 0) or (name == "eps" and x == 0):
            raise ValueError(f"gradcheck: {name} must be a finite number {least}, got {x!r}")
    point, names = _point(f, inputs)

    def value_at(xs: list[float]) -> list[float]:
        with no_grad():
            return [_output(f, [Value(x) for x in xs]).data]

    analytic = _gradient(f, point)
    numeric = [_central_difference(value_at, point, j, eps, names)[0] for j in range(len(point))]
    checks = [_compare(name, a, n, atol, rtol) for name, a, n in zip(names, analytic, numeric)]
    if second_order:
        hessian = _hessian(f, point)
        columns = [
            _central_difference(lambda xs: _gradient(f, xs), point, j, eps, names)
            for j in range(len(point))
        ]
        checks += [
            _compare(f"{names[i]}, {names[j]}", hessian[i][j], columns[j][i], atol, rtol)
            for i in range(len(point))
            for j in range(len(point))
        ]
    result = GradcheckResult(tuple(zip(names, point)), tuple(checks), eps, atol, rtol)
    if not result.passed:
        graph, blame = _blame(f, point, names, second_order)
        result = replace(result, blame=blame, graph=graph)
    if raise_on_failure and not result.passed:
        raise GradcheckError(result)
    return result


def _point(
    f: Function, inputs: Sequence[Number | Value] | Number | Value
) -> tuple[list[float], list[str]]:
    """The input numbers and their names: Value labels, else f's parameter names, else x0..."""
    items = [inputs] if isinstance(inputs, (Value, int, float)) else list(inputs)
    if not items:
        raise ValueError("gradcheck needs at least one input")
    point: list[float] = []
    for i, item in enumerate(items):
        raw = item.data if isinstance(item, Value) else item
        x = None if isinstance(raw, bool) else _constant(raw)  # a huge int saturates to inf
        if x is None or not math.isfinite(x):
            raise TypeError(f"gradcheck: input {i} must be a finite real number, got {item!r}")
        point.append(x)
    params = _parameter_names(f)
    names = [
        item.label
        if isinstance(item, Value) and item.label
        else params[i]
        if len(params) == len(items)
        else f"x{i}"
        for i, item in enumerate(items)
    ]
    return point, names


def _parameter_names(f: Function) -> list[str]:
    try:
        parameters = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):  # builtins without a signature
        return []
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in parameters if p.kind in positional]


def _output(f: Function, leaves: list[Value]) -> Value:
    out = f(*leaves)
    if isinstance(out, Value):
        return out
    if isinstance(out, (int, float)) and not isinstance(out, bool):
        return Value(out)  # a constant function: every derivative is 0
    raise TypeError(f"gradcheck: f must return a Value, got {type(out).__name__}")


def _gradient(f: Function, point: list[float]) -> list[float]:
    leaves = [Value(x) for x in point]
    result: list[float] = grad(_output(f, leaves), leaves)
    return result


def _hessian(f: Function, point: list[float]) -> list[list[float]]:
    """Second derivatives from the engine: differentiate the create_graph gradient again."""
    leaves = [Value(x) for x in point]
    firsts = grad(_output(f, leaves), leaves, create_graph=True)
    return [grad(first, leaves) for first in firsts]


def _central_difference(
    fn: Callable[[list[float]], list[float]],
    point: list[float],
    j: int,
    eps: float,
    names: list[str],
) -> list[float]:
    """d fn / d point[j] for every component of fn, by central differences.

    The step is h = eps * max(1, |x|). Within 1000 steps of 0, where a singularity at 0
    would be felt (log at 2e-5), the step eps * |x| is tried too. Each is refined by
    Richardson extrapolation over h and h/2, and the one with the smaller estimated
    error wins: the disagreement between h and h/2 (truncation) plus 1e-16 |f| / h
    (rounding). A step too small to move f at all is no evidence, only a last resort.
    """
    x = point[j]
    steps = [eps * max(1.0, abs(x))]
    if 0 < abs(x) < 1000 * steps[0]:
        steps.append(eps * abs(x))
    best: tuple[float, list[float]] | None = None
    failure: Exception | None = None
    for h in steps:
        try:
            coarse, _ = _difference(fn, point, j, h)
            fine, size = _difference(fn, point, j, h / 2)
        except (ValueError, ZeroDivisionError) as outside:  # x +- h is outside f's domain
            failure = outside
            continue
        moved = any(coarse) or any(fine)
        spread = max(abs(a - b) for a, b in zip(coarse, fine))
        estimated = spread + 2.3e-16 * size / h if moved else math.inf
        if best is None or estimated < best[0]:
            # Richardson: the h^2 terms of the error cancel, leaving h^4.
            best = estimated, [(4 * b - a) / 3 for a, b in zip(coarse, fine)]
    if best is None:
        raise ValueError(
            f"gradcheck: f is not defined on both sides of {names[j]}={x!r} "
            f"(step {steps[-1]:g}): {failure}"
        )
    return best[1]


def _difference(
    fn: Callable[[list[float]], list[float]], point: list[float], j: int, h: float
) -> tuple[list[float], float]:
    """Central differences with step h, and the largest |fn| they saw."""
    up, down = list(point), list(point)
    up[j], down[j] = point[j] + h, point[j] - h
    width = up[j] - down[j]  # the step actually taken, after rounding
    above, below = fn(up), fn(down)
    size = max(abs(v) for v in [*above, *below])
    return [(a - b) / width for a, b in zip(above, below)], size


def _compare(name: str, analytic: float, numeric: float, atol: float, rtol: float) -> Check:
    abs_err = 0.0 if analytic == numeric else abs(analytic - numeric)  # equal infinities agree
    rel_err = abs_err / abs(numeric) if numeric != 0 else (0.0 if abs_err == 0 else math.inf)
    allowed = atol + rtol * abs(numeric)
    if abs_err == 0:
        excess = 0.0
    elif math.isfinite(abs_err) and 0 < allowed < math.inf:
        excess = abs_err / allowed
    else:  # NaN, an infinity on one side only, or no tolerance at all
        excess = math.inf
    return Check(name, analytic, numeric, abs_err, rel_err, excess)


# --- blame: which node's own rule is wrong ---

# The local rule of one node is compared as check_rule compares it: much tighter than
# gradcheck's tolerance for f, since a correct rule agrees with the differences to ~1e-9.
BLAME_TOLERANCE = Tolerance(rtol=1e-6, atol=1e-9)


def _blame(
    f: Function, point: list[float], names: list[str], second: bool
) -> tuple[Value, tuple[Blame, ...]]:
    """Check every node's own rule at the point it was recorded at; blame those that
    disagree with differences (first derivatives, then second ones)."""
    leaves = [Value(x, label=name) for x, name in zip(point, names)]
    graph = _output(f, leaves)
    operations = [node for node in topological_order([graph]) if node.op is not None]
    uses: dict[str, int] = {}
    for node in operations:
        name = node.op.name  # type: ignore[union-attr]
        uses[name] = uses.get(name, 0) + 1
    formulas = {leaf: (name, _ATOM) for leaf, name in zip(leaves, names)}
    for node in operations:  # inputs first, so every parent has its formula already
        formulas.setdefault(node, _formula(node, formulas))
    blamed: dict[str, Blame] = {}
    for check in (first_order_rows, second_order_rows) if second else (first_order_rows,):
        for i, node in enumerate(operations, 1):
            op = node.op
            assert op is not None
            if op.arity not in (1, 2) or op.name in blamed:
                continue  # a sum's rule is 1 for each input; one line per operation
            inputs = tuple(p.data for p in node.parents)
            at = at_text(op, inputs, node.const)
            try:
                rows = check(op, inputs, node.const, 1.0, BLAME_TOLERANCE, at, operand_names(op))
            except (ArithmeticError, ValueError, TypeError):
                continue  # no differences around this node: it cannot be judged
            wrong: RuleCheck | None = next((row for row in rows if not row.passed), None)
            if wrong is not None:
                place = f"{formulas[node][0]}, operation {i} of {len(operations)}"
                blamed[op.name] = Blame(
                    op.name, wrong.check, at, wrong.rule, wrong.expected, uses[op.name], place, node
                )
        if blamed:
            break  # a wrong first derivative explains wrong second ones too
    return graph, tuple(blamed.values())


LONGEST_FORMULA = 60


def _formula(node: Value, formulas: dict[Value, tuple[str, int]]) -> tuple[str, int]:
    """The node as a formula of f's inputs, `softsign(x * y)`, and its precedence (as in
    expression.py); a part that would make it longer than LONGEST_FORMULA is `…`."""
    op = node.op
    assert op is not None
    precedence = _precedence(op)
    parts = []
    for parent in node.parents:
        text, inner = formulas.get(parent, (parent.label or "…", _ATOM))
        parts.append(f"({text})" if inner <= precedence < _ATOM else text)
    text = op.format(parts, node.const)
    if len(text) > LONGEST_FORMULA:
        text = op.format(["…"] * len(parts), node.const)
    return text, precedence
