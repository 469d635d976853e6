"""A backward pass one chain-rule step at a time, for notebooks and the command line.

>>> from autograd import Value
>>> from autograd.viz import Stepper
>>> x, w = Value(0.6, label="x"), Value(0.8, label="w")
>>> z = (x * w).relu()
>>> steps = Stepper(z)
>>> print(next(steps))
step 1/2: L = relu(v1) = 0.48
  dL/dv1 = seed * dL/dv1 = 1 * 1 = 1
>>> print(next(steps))
step 2/2: v1 = x * w = 0.48
  dL/dx = dL/dv1 * dv1/dx = 1 * 0.8 = 0.8
  dL/dw = dL/dv1 * dv1/dw = 1 * 0.6 = 0.6

Creating a `Stepper` begins a backward pass exactly as `Value.backward()` does: every
non-leaf `.grad` is reset to 0 and the root's is seeded. Each `next()` then applies one
node's chain rule to the real `.grad` attributes, in the same order and with the same
arithmetic as `backward()`, so running every step leaves exactly (==) the gradients
`backward()` gives: leaves accumulate, a node reached along several paths gets the sum.
`back()` undoes a step exactly. Do not call `backward()` on the graph while stepping.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..engine import Number, Value, _to_float, topological_order
from .naming import check_format, derivative_operand, formula, node_names, number

WIDGETS_HINT = "pip install 'glassgrad[widgets]' for a slider and buttons"


@dataclass(frozen=True)
class Term:
    """What one input of the node receives in a step: `contribution = upstream * local`."""

    parent: Value
    name: str
    local: float  # d(node)/d(parent)
    contribution: float
    grad_before: float
    grad_after: float
    accumulates: bool  # the parent already had a gradient: this step adds to it


@dataclass(frozen=True)
class Step:
    """One node's chain rule: its upstream gradient and what each input receives."""

    index: int  # 1-based
    total: int
    node: Value
    name: str
    formula: str
    root_name: str
    upstream: float
    terms: tuple[Term, ...]
    fmt: str
    is_root: bool = False  # the root's step: its upstream gradient is the seed

    def lines(self) -> list[str]:
        """The step as text: a header, then one chain-rule line per input.

        At the root, the upstream gradient is the seed of the pass (1 unless
        `gradient=` says otherwise), and the line says so instead of "dL/dL".
        """
        n = self.fmt
        data = number(self.node.data, n)
        header = f"step {self.index}/{self.total}: {self.name} = {self.formula} = {data}"
        d_root = f"d{self.root_name}"
        d_node = f"d{derivative_operand(self.name)}"
        upstream = "seed" if self.is_root else f"{d_root}/{d_node}"
        lines = [header]
        for term in self.terms:
            d_parent = f"d{derivative_operand(term.name)}"
            assign = "+=" if term.accumulates else "="
            numbers = [number(x, n) for x in (self.upstream, term.local, term.contribution)]
            line = (
                f"  {d_root}/{d_parent} {assign} {upstream} * {d_node}/{d_parent} "
                f"= {numbers[0]} * {numbers[1]} = {numbers[2]}"
            )
            if term.accumulates:
                line += f"  (now {number(term.grad_after, n)})"
            lines.append(line)
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def _repr_html_(self) -> str:
        """A small table: one row per input of the node."""
        n = self.fmt
        d_root, d_node = f"d{self.root_name}", f"d{derivative_operand(self.name)}"
        head = ["input", "data", f"local {d_node}/d·", f"upstream {d_root}/{d_node}"]
        head += ["contribution", "its grad now"]
        rows = [
            [
                term.name,
                f"{number(term.parent.data, n)}",
                f"{number(term.local, n)}",
                f"{number(self.upstream, n)}",
                f"{number(term.contribution, n)}",
                f"{number(term.grad_after, n)}",
            ]
            for term in self.terms
        ]
        title = f"step {self.index}/{self.total}: {self.name} = {self.formula}"
        return _html_table(title, head, rows)


def _html_table(title: str, head: list[str], rows: list[list[str]]) -> str:
    def cells(tag: str, texts: list[str]) -> str:
        return "".join(f"<{tag}>{html.escape(t)}</{tag}>" for t in texts)

    body = "".join(f"<tr>{cells('td', row)}</tr>" for row in rows)
    return (
        f"<div><b>{html.escape(title)}</b><table><tr>{cells('th', head)}</tr>{body}</table></div>"
    )


class Stepper:
    """Walk a backward pass of `root` one node at a time: `next()`, `back()`, `run()`.

    Also an iterator (`for step in Stepper(loss): print(step)`). `position` counts the
    steps applied; `current` is the last one applied (None at the start).
    """

    def __init__(self, root: Value, gradient: Number = 1.0, fmt: str = ".4g") -> None:
        if not isinstance(root, Value):
            raise TypeError(f"Stepper needs a Value, got {type(root).__name__}")
        seed = _to_float(gradient, "backward gradient")
        self.root = root
        self.fmt = check_format(fmt)
        order = topological_order([root])
        saved = [node.grad for node in order]
        try:
            self._begin(root, seed, order)
        except BaseException:
            # All or nothing, as backward(): an error or Ctrl-C leaves every grad as it was.
            for node, old in zip(order, saved):
                node.grad = old
            raise

    def _begin(self, root: Value, seed: float, order: list[Value]) -> None:
        """Plan every step on a dict, then begin the pass on the real grads."""
        names = node_names([root])
        # Begin as backward() begins; then simulate it on a dict, with its arithmetic.
        grads = {node: 0.0 if node.parents else node.grad for node in order}
        grads[root] += seed
        start = dict(grads)
        total = sum(1 for node in order if node.parents)
        steps: list[Step] = []
        received: set[Value] = set()
        for node in reversed(order):
            if not node.parents:
                continue
            upstream = grads[node]
            terms = []
            for parent, local in zip(node.parents, node.local_gradients()):
                before = grads[parent]
                contribution = local * upstream
                grads[parent] = after = before + contribution
                accumulates = parent in received or before != 0.0
                received.add(parent)
                terms.append(
                    Term(parent, names[parent], local, contribution, before, after, accumulates)
                )
            steps.append(
                Step(
                    len(steps) + 1,
                    total,
                    node,
                    names[node],
                    formula(node, names, self.fmt),
                    derivative_operand(names[root]),
                    upstream,
                    tuple(terms),
                    self.fmt,
                    node is root,
                )
            )
        self.steps: tuple[Step, ...] = tuple(steps)
        self.position = 0
        for node in order:
            node.grad = start[node]

    def __len__(self) -> int:
        return len(self.steps)

    def __iter__(self) -> Iterator[Step]:
        return self

    @property
    def current(self) -> Step | None:
        """The step applied last, or None before the first."""
        return self.steps[self.position - 1] if self.position else None

    @property
    def done(self) -> bool:
        return self.position == len(self.steps)

    @property
    def applied(self) -> tuple[Step, ...]:
        """The steps applied so far, in order (every step after `run()`): each records
        its node, its upstream gradient and, for each input, the local derivative and the
        contribution, so the whole pass can be read back without stepping it again."""
        return self.steps[: self.position]

    def next(self) -> Step:
        """Apply the next step and return it; StopIteration when all are applied."""
        if self.done:
            raise StopIteration
        step = self.steps[self.position]
        for term in step.terms:
            term.parent.grad = term.grad_after
        self.position += 1
        return step

    def __next__(self) -> Step:
        return self.next()

    def back(self) -> Step:
        """Undo the last applied step exactly and return it; IndexError at the start."""
        if self.position == 0:
            raise IndexError("back(): at the start of the backward pass, nothing to undo")
        step = self.steps[self.position - 1]
        for term in reversed(step.terms):
            term.parent.grad = term.grad_before
        self.position -= 1
        return step

    def run(self) -> list[Step]:
        """Apply every remaining step; afterwards the grads are those of backward()."""
        return list(self)

    def goto(self, position: int) -> None:
        """Step forward or back until `position` steps are applied."""
        if not 0 <= position <= len(self.steps):
            raise IndexError(f"goto(): position must be 0..{len(self.steps)}, got {position}")
        while self.position < position:
            self.next()
        while self.position > position:
            self.back()

    def pending(self) -> set[Value]:
        """The nodes whose step has not been applied yet."""
        return {step.node for step in self.steps[self.position :]}

    def draw(self, **options: Any) -> Any:
        """viz.draw of the graph with the current step's node highlighted and the edges
        not yet reached by the backward pass drawn dotted (needs the graphviz package)."""
        from . import drawing

        focus = self.current.node if self.current else self.root
        options.setdefault("scale", self.flow_scale())
        return drawing.draw(self.root, highlight=[focus], pending=self.pending(), **options)

    def save_html(self, path: str | os.PathLike[str], **options: Any) -> str:
        """Write the backward page to `path`: one self-contained HTML file that plays
        this pass step by step in any browser, offline (see autograd.viz.page, whose
        `backward_page` takes the options). Returns the path; a clear OSError when the
        file cannot be written. Needs the graphviz package and Graphviz's `dot`."""
        from . import page

        return page.save_html(self, path, **options)

    def show(self, **options: Any) -> Any:
        """The backward page for Jupyter to display, in an iframe (no extra package)."""
        from . import page

        return page.show(self, **options)

    def flow_scale(self) -> Any:
        """One gradient-flow scale for every step's drawing (viz.drawing.FlowScale, or None
        when no gradient flows), so a gradient keeps its colour from step to step."""
        from .drawing import FlowScale

        flows = [step.upstream for step in self.steps]
        flows += [term.contribution for step in self.steps for term in step.terms]
        return FlowScale.of(flows)

    def __str__(self) -> str:
        if self.current is None:
            return (
                f"start: d{self.root_name}/d{self.root_name} = {number(self.root.grad, self.fmt)}"
            )
        return str(self.current)

    def __repr__(self) -> str:
        """Where the walk stands, then the current step: readable at a prompt."""
        where = f"after step {self.position}" if self.position else "at the start"
        head = (
            f"Stepper: backward of {self.root_name} in {len(self.steps)} steps, {where} "
            "(next(), back(), goto(n), run())"
        )
        return f"{head}\n{self}"

    @property
    def root_name(self) -> str:
        return self.steps[0].root_name if self.steps else "L"

    def _repr_html_(self) -> str:
        """The current step as a table, with the drawing below it when Graphviz is there."""
        return self.view().html

    def view(self, **options: Any) -> StepView:
        """What Jupyter shows for the stepper (the current step as a table, the drawing
        below it), drawn with `draw`'s options, such as `rankdir="BT"`. The view is
        made now: stepping on later does not change it."""
        step = self.current
        table = step._repr_html_() if step else f"<div><b>{html.escape(str(self))}</b></div>"
        return StepView(str(self), table + _drawing_html(self, options))

    def widget(self) -> Any:
        """A slider and buttons to walk the steps in Jupyter (needs ipywidgets); without
        ipywidgets, an object that shows every step at once, with a note on installing it."""
        try:
            import ipywidgets
        except ImportError:
            return AllSteps(self, note=WIDGETS_HINT)
        return _stepper_widget(self, ipywidgets)


@dataclass(frozen=True)
class StepView:
    """One moment of a stepper, for Jupyter: `html` (the step's table and the drawing)
    and `text` (the step as `print` shows it), which is what plain-text outputs get."""

    text: str
    html: str

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return self.html


def _drawing_html(stepper: Stepper, options: dict[str, Any]) -> str:
    """The drawing as inline SVG, or a one-line note saying why it is missing."""
    try:
        from . import drawing
    except ImportError as error:  # the graphviz package is not installed
        return _note(str(error))
    try:
        svg: str = stepper.draw(**options).pipe(format="svg", encoding="utf-8")
    except drawing.GraphvizNotFound as error:
        return _note(str(error))
    return svg[svg.find("<svg") :]


def _note(text: str) -> str:
    return f"<p><i>{html.escape(text)}</i></p>" if text else ""


class AllSteps:
    """Every step of a stepper as text and as HTML tables (what `widget()` degrades to)."""

    def __init__(self, stepper: Stepper, note: str = "") -> None:
        self.stepper = stepper
        self.note = note

    def __str__(self) -> str:
        return "\n".join(str(step) for step in self.stepper.steps)

    def _repr_html_(self) -> str:
        return _note(self.note) + "".join(step._repr_html_() for step in self.stepper.steps)


def _stepper_widget(stepper: Stepper, widgets: Any) -> Any:
    slider = widgets.IntSlider(value=stepper.position, min=0, max=len(stepper), description="step")
    back = widgets.Button(description="◀ back")
    forward = widgets.Button(description="next ▶")
    view = widgets.HTML(value=stepper._repr_html_())

    def show(change: Any) -> None:
        stepper.goto(slider.value)
        view.value = stepper._repr_html_()

    def move(by: int) -> None:
        slider.value = min(max(slider.value + by, 0), len(stepper))

    slider.observe(show, names="value")
    back.on_click(lambda _: move(-1))
    forward.on_click(lambda _: move(+1))
    return widgets.VBox([widgets.HBox([back, slider, forward]), view])
