"""check_rule: test one operation's derivative rule the way ChainRulesTestUtils does.

    from autograd import define_op
    from autograd.testing import check_rule

    softsign = define_op("softsign", lambda x: x / (1 + abs(x)),
                         lambda m, out, x: (m.div(1.0, (1 + abs(x)) ** 2),))
    check_rule(softsign)          # a table; RuleCheckError (the same table) on failure

At points drawn inside the operation's domain (by hypothesis when it is installed, so
that a failure shrinks to a simple point; by a seeded `random.Random` otherwise), and at
any `points=` you choose, it checks:

- the forward against your `reference=` function, when given;
- the rule on floats, through `backward()` with a random cotangent seed, against
  differences of the forward (slopes.py: central differences, Richardson-extrapolated,
  with an error estimate, in float64);
- that the rule gives the same numbers on Values (`grad(create_graph=True)`) and on
  NumPy arrays (the tape, when NumPy is installed) as on floats;
- second derivatives through `create_graph` against differences of the rule, for
  operations declared smooth;
- that a node used twice, and (for two inputs) one Value passed as both inputs,
  accumulates both contributions.
Where the one-sided derivatives differ (a kink: relu at 0) it reports both and the
value the rule picked, instead of failing or skipping the point: the rule passes there
when it picks a value between them (a one-sided derivative or a subgradient).
"""

from __future__ import annotations

import html
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..engine import Value, apply_op
from ..gradients import grad
from ..ops import FLOAT, Op, op_named
from .slopes import OutsideDomain, Slope, slope

BOUNDS = (-5.0, 5.0)
CONSTANTS = (2.0, 0.5, -1.0, 3.0)
COTANGENTS = (0.25, 2.0)  # |g| drawn in this range, either sign
SAMPLES = 25
ERROR_WEIGHT = 3.0  # how many error estimates of the differences a rule may be off by
UNCERTAIN = 1e-3  # an error estimate above this, relative: no verdict on that row
AGREE_RTOL = 1e-12  # floats, Values and NumPy run the same rule: they agree to rounding

Point = tuple[tuple[float, ...], float | None, float]  # inputs, constant, cotangent


@dataclass(frozen=True)
class RuleCheck:
    """One comparison: what the rule gave against what it should give, at a point."""

    check: str
    at: str
    rule: float
    expected: float
    error: float  # the error estimate of `expected` (0 where it is exact)
    # "ok", "FAIL", "kink", "outside the domain", "edge" (no differences on both sides)
    # or "uncertain" (differences too imprecise to judge): only "FAIL" fails.
    status: str
    note: str = ""
    excess: float = 0.0  # |rule - expected| / allowed

    @property
    def passed(self) -> bool:
        return self.status != "FAIL"


_COLUMNS = ("check", "at", "rule", "expected", "err est", "status")


@dataclass(frozen=True)
class RuleCheckResult:
    """Every comparison check_rule made; prints (and shows in Jupyter) as a table.

    Truthy when none failed. The table shows every failure, kink and point outside
    the domain, and for the rest the worst row of each kind of check.
    """

    op: str
    seed: int
    sampler: str
    points: int
    rtol: float
    atol: float
    checks: tuple[RuleCheck, ...]

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def failures(self) -> list[RuleCheck]:
        return [check for check in self.checks if not check.passed]

    @property
    def kinks(self) -> list[RuleCheck]:
        return [check for check in self.checks if check.status == "kink"]

    def __bool__(self) -> bool:
        return self.passed

    def title(self) -> str:
        count = len(self.checks)
        if self.passed:
            verdict = f"check_rule passed: {self.op}, {count} checks at {self.points} points"
        else:
            verdict = (
                f"check_rule FAILED: {self.op}, {len(self.failures)} of {count} checks "
                f"failed, at {self.points} points"
            )
        return "\n".join(
            [
                f"{verdict} (seed {self.seed}, points drawn by {self.sampler})",
                "expected: differences (central, Richardson-extrapolated, float64) with "
                "their error estimate, or the rule on floats",
                f"pass if |rule - expected| <= atol + rtol * |expected| + "
                f"{ERROR_WEIGHT:g} * err est, atol={self.atol:g}, rtol={self.rtol:g} "
                f"(floats, Values and NumPy agree to rtol={AGREE_RTOL:g})",
            ]
        )

    def shown(self) -> list[tuple[RuleCheck, str]]:
        """The rows the table shows, each with a remark."""
        rows = [(check, "") for check in self.checks if check.status != "ok"]
        kinds: dict[str, list[RuleCheck]] = {}
        for check in self.checks:
            if check.status == "ok":
                kinds.setdefault(check.check, []).append(check)
        for same in kinds.values():
            worst = max(same, key=lambda check: check.excess)
            rows.append((worst, f"worst of {len(same)}" if len(same) > 1 else ""))
        return rows

    def rows(self) -> list[tuple[str, ...]]:
        """The table's cells as text."""
        return [
            (
                check.check,
                check.at,
                f"{check.rule:.12g}",
                f"{check.expected:.12g}",
                f"{check.error:.1e}",
                "  ".join(part for part in (check.status, remark, check.note) if part),
            )
            for check, remark in self.shown()
        ]

    def __str__(self) -> str:
        rows = [_COLUMNS, *self.rows()]
        widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
        lines = [self.title()]
        for row in rows:
            cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
            cells += [cell.rjust(width) for cell, width in zip(row[2:-1], widths[2:-1])]
            lines.append("  ".join([*cells, row[-1]]).rstrip())
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        """Jupyter shows the same table: failures in red, kinks in amber."""
        colours = {"FAIL": "color:#b00020;font-weight:bold;", "kink": "color:#a15c00;"}
        head = "".join(f"<th>{html.escape(name)}</th>" for name in _COLUMNS)
        body = []
        for (check, _), cells in zip(self.shown(), self.rows()):
            tds = "".join(f"<td>{html.escape(cell)}</td>" for cell in cells)
            body.append(f'<tr style="{colours.get(check.status, "")}">{tds}</tr>')
        caption = html.escape(self.title()).replace("\n", "<br>")
        return f"<table><caption>{caption}</caption><tr>{head}</tr>{''.join(body)}</table>"


class RuleCheckError(AssertionError):
    """check_rule found a rule that disagrees; the message is the result's table."""

    def __init__(self, result: RuleCheckResult) -> None:
        super().__init__(str(result))
        self.result = result


# --- one point ---


def operand_names(op: Op) -> list[str]:
    return ["x"] if op.arity == 1 else ["a", "b"]


def at_text(op: Op, inputs: Sequence[float], const: float | None) -> str:
    parts = [f"{name}={x!r}" for name, x in zip(operand_names(op), inputs)]
    if const is not None:
        parts.append(f"c={const!r}")
    return ", ".join(parts)


def _args(inputs: Sequence[float], const: float | None) -> list[float]:
    return [*inputs] if const is None else [*inputs, const]


def _local(op: Op, inputs: Sequence[float], const: float | None) -> tuple[float, ...]:
    """The rule on floats: d(out)/d(input) for each input."""
    args = _args(inputs, const)
    return tuple(float(d) for d in op.derivative(FLOAT, op.forward(*args), *args))


def _along(fn: Callable[[list[float]], float], inputs: Sequence[float], j: int) -> Slope:
    """The slope of fn along input j."""

    def moved(t: float) -> float:
        point = list(inputs)
        point[j] = t
        return fn(point)

    return slope(moved, inputs[j])


@dataclass(frozen=True)
class Tolerance:
    rtol: float
    atol: float

    def compare(
        self, check: str, at: str, rule: float, expected: float, error: float, note: str = ""
    ) -> RuleCheck:
        allowed = self.atol + self.rtol * abs(expected) + ERROR_WEIGHT * error
        return _verdict(check, at, rule, expected, error, allowed, note)

    def agree(self, check: str, at: str, rule: float, expected: float) -> RuleCheck:
        allowed = AGREE_RTOL * max(1.0, abs(expected))
        return _verdict(check, at, rule, expected, 0.0, allowed, "")


def _verdict(
    check: str, at: str, rule: float, expected: float, error: float, allowed: float, note: str
) -> RuleCheck:
    gap = 0.0 if rule == expected else abs(rule - expected)
    excess = gap / allowed if allowed > 0 else (0.0 if gap == 0 else math.inf)
    status = "ok" if excess <= 1.0 else "FAIL"  # NaN fails
    return RuleCheck(check, at, rule, expected, error, status, note, excess)


def _against(
    tol: Tolerance, check: str, at: str, rule: float, measured: Slope, scale: float = 1.0
) -> RuleCheck:
    """The rule against a measured slope (times `scale`, a cotangent), kinks included.

    A clear kink (one-sided slopes far apart) is always reported. A slight one (within
    the stencil of a kink of a higher derivative, as softsign'' has at 0) is reported
    only when the rule disagrees with the central difference.
    """
    best = measured.best
    smooth = tol.compare(check, at, rule, scale * best.value, abs(scale) * best.error)
    if not measured.clear_kink and (smooth.passed or not measured.kink):
        if not smooth.passed and best.error > UNCERTAIN * (tol.atol + abs(best.value)):
            note = "the differences are too uncertain here to judge (near a singularity?)"
            return RuleCheck(check, at, rule, smooth.expected, smooth.error, "uncertain", note)
        return smooth
    left, right = scale * measured.left.value, scale * measured.right.value
    error = abs(scale) * max(measured.left.error, measured.right.error)
    slack = tol.atol + tol.rtol * max(abs(left), abs(right)) + ERROR_WEIGHT * error
    if abs(rule - left) <= slack:
        picked = "the left derivative"
    elif abs(rule - right) <= slack:
        picked = "the right derivative"
    elif min(left, right) - slack <= rule <= max(left, right) + slack:
        picked = "a value between them"
    else:
        picked = "NEITHER: outside the one-sided derivatives"
    note = f"one-sided derivatives: left {left:.6g}, right {right:.6g}; the rule picked {picked}"
    status = "FAIL" if picked.startswith("NEITHER") else "kink"
    return RuleCheck(check, at, rule, left, error, status, note, 0.0)


def _check_point(
    op: Op,
    point: Point,
    reference: Callable[..., Any] | None,
    second_order: bool,
    tol: Tolerance,
    extra: tuple[float, float],
) -> list[RuleCheck]:
    inputs, const, g = point
    at = at_text(op, inputs, const)
    args = _args(inputs, const)
    try:
        out = op.forward(*args)
    except (ArithmeticError, ValueError) as error:
        return [RuleCheck("forward", at, math.nan, math.nan, 0.0, "outside the domain", str(error))]
    rows: list[RuleCheck] = []
    if reference is not None:
        rows.append(tol.compare("forward = reference", at, out, float(reference(*args)), 0.0))
    names = operand_names(op)
    parts: list[Callable[[], list[RuleCheck]]] = [
        lambda: first_order_rows(op, inputs, const, g, tol, at, names),
        lambda: _paths_agree(op, inputs, const, g, tol, at, names),
        lambda: _accumulates(op, inputs, const, extra, tol, at, names),
    ]
    if second_order:
        parts.insert(1, lambda: second_order_rows(op, inputs, const, g, tol, at, names))
    for part in parts:  # each on its own, so that one rule that raises hides no other check
        try:
            rows += part()
        except OutsideDomain as error:
            note = f"differences need both sides inside the domain: {error}"
            rows.append(RuleCheck("differences", at, math.nan, math.nan, 0.0, "edge", note))
        except (ArithmeticError, ValueError, TypeError) as error:  # a rule that raised
            rows.append(RuleCheck("rule", at, math.nan, math.nan, 0.0, "FAIL", str(error)))
    return rows


def _node(op: Op, inputs: Sequence[float], const: float | None) -> tuple[Value, list[Value]]:
    leaves = [Value(x) for x in inputs]
    return apply_op(op, leaves, const), leaves


def first_order_rows(
    op: Op,
    inputs: Sequence[float],
    const: float | None,
    g: float,
    tol: Tolerance,
    at: str,
    names: list[str],
) -> list[RuleCheck]:
    out, leaves = _node(op, inputs, const)
    out.backward(g)
    rows = []
    for j, leaf in enumerate(leaves):
        measured = _along(lambda p: op.forward(*_args(p, const)), inputs, j)
        check = f"d/d{names[j]} (backward, seed {g:.3g})"
        rows.append(_against(tol, check, at, leaf.grad, measured, g))
    return rows


def _paths_agree(
    op: Op,
    inputs: Sequence[float],
    const: float | None,
    g: float,
    tol: Tolerance,
    at: str,
    names: list[str],
) -> list[RuleCheck]:
    floats = [g * d for d in _local(op, inputs, const)]
    out, leaves = _node(op, inputs, const)
    on_values = grad(out, leaves, seeds=g, create_graph=True)
    rows = [
        tol.agree(f"d/d{names[j]} on Values = on floats", at, on_values[j].data, floats[j])
        for j in range(op.arity)
    ]
    tape = _tape()
    if tape is None:
        return rows
    compiled = tape.compile(out, leaves)
    value, grads = compiled.value_and_grad(*([x] for x in inputs))
    rows.append(tol.agree("forward on NumPy = on floats", at, float(value[0]), out.data))
    rows += [
        tol.agree(f"d/d{names[j]} on NumPy = on floats", at, g * float(grads[j][0]), floats[j])
        for j in range(op.arity)
    ]
    return rows


def _tape() -> Any:
    """The tape (autograd.accel.tape), or None without NumPy: the rule's NumPy run."""
    try:
        from ..accel import tape
    except ImportError:
        return None
    return tape


def second_order_rows(
    op: Op,
    inputs: Sequence[float],
    const: float | None,
    g: float,
    tol: Tolerance,
    at: str,
    names: list[str],
) -> list[RuleCheck]:
    out, leaves = _node(op, inputs, const)
    firsts = grad(out, leaves, seeds=g, create_graph=True)
    rows = []
    for i, first in enumerate(firsts):
        seconds = grad(first, leaves)

        def entry(p: list[float], i: int = i) -> float:
            return _local(op, p, const)[i]

        for j in range(op.arity):
            measured = _along(entry, inputs, j)
            check = f"d2/d{names[i]}d{names[j]} (create_graph, seed {g:.3g})"
            rows.append(_against(tol, check, at, seconds[j], measured, g))
    return rows


def _accumulates(
    op: Op,
    inputs: Sequence[float],
    const: float | None,
    extra: tuple[float, float],
    tol: Tolerance,
    at: str,
    names: list[str],
) -> list[RuleCheck]:
    a, b = extra
    local = _local(op, inputs, const)
    node, leaves = _node(op, inputs, const)
    (node * a + node * b).backward()
    rows = [
        tol.agree(f"d/d{names[j]}, node used twice", at, leaf.grad, (a + b) * local[j])
        for j, leaf in enumerate(leaves)
    ]
    if op.arity == 2:
        x = inputs[0]
        try:
            same = _local(op, (x, x), const)
        except (ArithmeticError, ValueError):
            return rows  # (x, x) is outside the domain
        leaf = Value(x)
        apply_op(op, [leaf, leaf], const).backward()
        rows.append(
            tol.agree("d/dx of op(x, x): both inputs add", f"x={x!r}", leaf.grad, sum(same))
        )
    return rows


# --- drawing points ---


def _fits(op: Op, inputs: Sequence[float], const: float | None) -> bool:
    """Inside the domain: the forward and the rule on floats finite (a rule that raises
    stays in, to be reported)."""
    try:
        out = op.forward(*_args(inputs, const))
    except (ArithmeticError, ValueError):
        return False
    try:
        local = _local(op, inputs, const)
    except (ArithmeticError, ValueError, TypeError):
        return True
    return math.isfinite(out) and all(math.isfinite(d) for d in local)


def _resolve(op: Op | str | Callable[..., Any]) -> Op:
    if isinstance(op, Op):
        return op
    if isinstance(op, str):
        return op_named(op)
    found = getattr(op, "op", None)
    if isinstance(found, Op):
        return found
    raise TypeError(
        f"check_rule takes an operation's name, its Op, or the function define_op returned; "
        f"got {op!r}"
    )


def _drawn_randomly(
    op: Op, count: int, seed: int, bounds: tuple[float, float], constants: Sequence[float]
) -> list[Point]:
    rng = random.Random(seed)
    points: list[Point] = []
    for _ in range(100 * count):
        if len(points) == count:
            break
        inputs = tuple(rng.uniform(*bounds) for _ in range(op.arity))
        const = rng.choice(constants) if op.has_const else None
        g = rng.uniform(*COTANGENTS) * rng.choice((-1.0, 1.0))
        if _fits(op, inputs, const):
            points.append((inputs, const, g))
    return points


def check_rule(
    op: Op | str | Callable[..., Any],
    *,
    points: Sequence[float | Sequence[float]] = (),
    samples: int = SAMPLES,
    seed: int = 0,
    reference: Callable[..., Any] | None = None,
    constants: Sequence[float] = CONSTANTS,
    bounds: tuple[float, float] = BOUNDS,
    second_order: bool | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    use_hypothesis: bool | None = None,
    raise_on_failure: bool = True,
) -> RuleCheckResult:
    """Check an operation's derivative rule at drawn and chosen points (module docstring).

    op:           its name, its Op, or the function define_op returned.
    points:       points to check besides the drawn ones: numbers for a one-input
                  operation, pairs for two inputs. The op's declared `kinks` are
                  always added. A point where the forward raises is reported as outside
                  the domain, not raised.
    samples:      how many points to draw inside the domain, within `bounds`.
    seed:         seeds hypothesis (or random.Random), the points and the cotangents.
    reference:    your own forward (floats or mpmath numbers in, a number out),
                  compared with the op's forward.
    constants:    the constants to try, for an operation with one.
    second_order: check second derivatives; default: for operations declared smooth.
    use_hypothesis: default: when hypothesis is installed. With it, a failing point is
                  shrunk to a simple one, which the table shows.

    Returns a RuleCheckResult (a table); raises RuleCheckError, whose message is that
    table, when a check fails, unless `raise_on_failure=False`.
    """
    rule_op = _resolve(op)
    if rule_op.arity not in (1, 2):
        raise ValueError(f"check_rule checks operations of 1 or 2 inputs, not {rule_op.name!r}")
    if not (isinstance(samples, int) and samples >= 0):
        raise ValueError(f"samples must be an integer >= 0, got {samples!r}")
    lo, hi = (float(b) for b in bounds)
    if not lo < hi:
        raise ValueError(f"bounds must be (low, high) with low < high, got {bounds!r}")
    if rule_op.has_const and not constants:
        raise ValueError(f"{rule_op.name} takes a constant: give constants to try")
    tol = Tolerance(rtol, atol)
    smooth = rule_op.smooth if second_order is None else second_order
    rng = random.Random(seed)
    extra = (rng.uniform(0.5, 1.5), rng.uniform(-1.5, -0.5))

    checked: dict[Point, list[RuleCheck]] = {}

    def run(point: Point) -> list[RuleCheck]:
        if point not in checked:
            checked[point] = _check_point(rule_op, point, reference, smooth, tol, extra)
        return checked[point]

    chosen = _chosen(rule_op, points, constants, rng)
    for point in chosen:
        run(point)
    hypothesis = _hypothesis() if use_hypothesis is not False else None
    if use_hypothesis and hypothesis is None:
        raise ImportError(
            "check_rule(use_hypothesis=True) needs hypothesis: pip install hypothesis"
        )
    shown = list(chosen)
    if hypothesis is not None:
        sampler = "hypothesis"
        shown += _drawn_by_hypothesis(hypothesis, rule_op, samples, seed, (lo, hi), constants, run)
    else:
        sampler = "random.Random"
        drawn = _drawn_randomly(rule_op, samples, seed, (lo, hi), constants)
        for point in drawn:
            run(point)
        shown += drawn
    unique = list(dict.fromkeys(shown))
    rows = tuple(row for point in unique for row in checked[point])
    result = RuleCheckResult(rule_op.name, seed, sampler, len(unique), rtol, atol, rows)
    if raise_on_failure and not result.passed:
        raise RuleCheckError(result)
    return result


def _chosen(
    op: Op,
    points: Sequence[float | Sequence[float]],
    constants: Sequence[float],
    rng: random.Random,
) -> list[Point]:
    """The chosen points and the op's kinks, each with every constant and a cotangent."""
    wanted: list[tuple[float, ...]] = [(k,) for k in op.kinks]
    for p in points:
        inputs = (float(p),) if isinstance(p, (int, float)) else tuple(float(x) for x in p)
        if len(inputs) != op.arity or not all(math.isfinite(x) for x in inputs):
            raise ValueError(
                f"points for {op.name} need {op.arity} finite number(s) each, got {p!r}"
            )
        wanted.append(inputs)
    consts: Sequence[float | None] = constants if op.has_const else (None,)
    return [
        (inputs, c, rng.uniform(*COTANGENTS) * rng.choice((-1.0, 1.0)))
        for inputs in dict.fromkeys(wanted)
        for c in consts
    ]


def _hypothesis() -> Any:
    try:
        import hypothesis
    except ImportError:
        return None
    return hypothesis


def _drawn_by_hypothesis(
    hypothesis: Any,
    op: Op,
    samples: int,
    seed: int,
    bounds: tuple[float, float],
    constants: Sequence[float],
    run: Callable[[Point], list[RuleCheck]],
) -> list[Point]:
    """Points drawn by hypothesis: the first `samples` examples, and if any fails, the
    failing point hypothesis shrank it to."""
    st = hypothesis.strategies
    number = st.floats(*bounds, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    cotangent = st.tuples(st.floats(*COTANGENTS), st.sampled_from((1.0, -1.0)))
    strategy = st.tuples(
        st.tuples(*[number] * op.arity),
        st.sampled_from(list(constants)) if op.has_const else st.none(),
        cotangent.map(lambda t: t[0] * t[1]),
    ).filter(lambda p: _fits(op, p[0], p[1]))
    drawn: list[Point] = []

    def fails(point: Point) -> bool:
        if len(drawn) < samples:
            drawn.append(point)
        return not all(row.passed for row in run(point))

    settings = hypothesis.settings(
        max_examples=max(samples, 1),
        database=None,
        deadline=None,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    try:
        shrunk = hypothesis.find(strategy, fails, settings=settings, random=random.Random(seed))
    except (hypothesis.errors.NoSuchExample, hypothesis.errors.Unsatisfiable):
        return drawn
    return [*drawn, shrunk]
