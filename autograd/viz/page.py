"""The backward page: a Stepper as one self-contained HTML file that plays the pass.

    >>> from autograd import Stepper, Value
    >>> x, w = Value(0.5, label="x"), Value(-1.2, label="w")
    >>> steps = Stepper((x * w).tanh())
    >>> steps.save_html("backward.html")     # doctest: +SKIP

The page needs no network, no Python and no Jupyter: its script and style are inline.
Graphviz lays the graph out once, with the numbers the pass ends with, so nothing moves
while it plays; the script only changes what is shown: the node being processed, each
node's gradient so far ("?" until the pass reaches it), the edges the gradient has flowed
along (on one log scale for the whole pass, the scale of the finished drawing), and the
chain-rule lines of the step, the same text as `print(step)`.

A graph with more than SMOOTH_UNITS boxes opens collapsed by neuron or layer (the
collapse of `draw`), or, when it has no network labels to collapse by, shows the
SMOOTH_UNITS units nearest the output with a note; a button shows the other view.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..engine import Value, topological_order
from ..files import write_atomically
from . import page_assets
from .naming import node_names, operation_text
from .rule_text import rule_lines

if TYPE_CHECKING:
    from .stepper import Stepper

# The most units (value nodes and boxes) a page draws. Measured in headless chromium by
# benchmarks/page_smoothness.py (docs/guide/watching.md): up to here a step paints within
# two frames and the page opens in about a second; past ~400 steps lag and Graphviz's
# layout takes seconds.
SMOOTH_UNITS = 300
NOT_YET = "?"
MOST_LISTED = 40  # leaves listed in the gradient table
COLLAPSES = (None, "neuron", "layer", "auto")


class PageError(OSError):
    """A page could not be written: the message names the path and why."""


def write_page(path: str | os.PathLike[str], text: str) -> str:
    """Write `text` to `path` atomically; a PageError saying why when it cannot."""
    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    if os.path.isdir(target):
        raise PageError(f"cannot write {target}: it is a directory")
    if not os.path.isdir(directory):
        raise PageError(f"cannot write {target}: there is no directory {directory}")
    try:
        write_atomically(target, text)
    except OSError as error:
        raise PageError(f"cannot write {target}: {error.strerror or error}") from error
    return target


# --- one view of the graph: laid out by Graphviz, with what the script needs ---


@dataclass
class _Edge:
    source: str
    target: str
    flow: float
    reached_at: int  # the step (from 1) after which gradient has flowed along it


@dataclass
class View:
    """One drawing of the graph (expanded, or collapsed by neuron or layer)."""

    key: str
    title: str
    note: str
    svg: str = ""
    legend: str = ""
    units: dict[int, list[str]] = field(default_factory=dict)  # node -> element ids
    grads: dict[int, tuple[str, int]] = field(default_factory=dict)  # node -> (id, k-th)
    edges: list[tuple[str, int]] = field(default_factory=list)  # (edge id, reached at)
    size: int = 0  # units drawn

    def script_data(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "units": {str(k): v for k, v in self.units.items()},
            "grads": {str(k): list(v) for k, v in self.grads.items()},
            "edges": self.edges,
        }


def _units(order: Sequence[Value], collapse: str | None) -> tuple[dict[Value, str], list[Any]]:
    from .drawing import layer_boxes, neuron_boxes

    boxes = {"neuron": neuron_boxes, "layer": layer_boxes}[collapse](order) if collapse else []
    unit = {node: f"v{i}" for i, node in enumerate(order)}
    for k, box in enumerate(boxes):
        for node in box.members:
            unit[node] = f"b{k}"
    return unit, boxes


def unit_count(root: Value, collapse: str | None) -> int:
    """How many boxes a drawing of `root` has: value nodes, or neurons and layers."""
    from .drawing import _nearest_units

    order = topological_order([root])
    return _nearest_units([root], _units(order, collapse)[0], 1)[1]


class _Pass:
    """The stepper's pass as the page shows it: every node's gradient text at each step."""

    def __init__(self, stepper: Stepper) -> None:
        self.stepper = stepper
        fmt = stepper.fmt
        self.order = topological_order([stepper.root])
        self.index = {node: i for i, node in enumerate(self.order)}
        self.names = node_names([stepper.root])
        root = stepper.root
        start = stepper.steps[0].upstream if stepper.steps else root.grad
        self.initial = {self.index[root]: format(start, fmt)}
        self.texts: dict[int, set[str]] = {i: {NOT_YET} for i in range(len(self.order))}
        self.texts[self.index[root]].add(self.initial[self.index[root]])
        self.final = dict(self.initial)
        self.moves: list[list[list[Any]]] = []  # per step: [node, before, after] per input
        for step in stepper.steps:
            moves = []
            for term in step.terms:
                i = self.index[term.parent]
                before = self.final.get(i, NOT_YET)
                after = format(term.grad_after, fmt)
                self.final[i] = after
                self.texts[i].add(after)
                moves.append([i, before, after])
            self.moves.append(moves)

    def widest(self, i: int) -> str:
        return max(self.texts[i], key=len)

    def view(self, collapse: str | None, limit: int, key: str, rankdir: str = "LR") -> View:
        from .drawing import Drawing, FlowScale, _nearest_units, flow_style

        unit, boxes = _units(self.order, collapse)
        kept, total = _nearest_units([self.stepper.root], unit, limit)
        title = f"collapsed by {collapse}" if collapse else "every node"
        note = ""
        if total > len(kept):
            note = (
                f"{total - len(kept):,} of {total:,} boxes are not drawn (the page draws at most "
                f"{limit:,}, those nearest the output); the steps and chain-rule lines "
                "cover the whole graph."
            )
        view = View(key, title, note, size=len(kept) + (1 if note else 0))
        edges = self._edges(unit, kept)
        scale = FlowScale.of(edge.flow for edge in edges)
        fmt = self.stepper.fmt
        picture = Drawing(name="backward")
        picture.attr(rankdir=rankdir, bgcolor="transparent")
        picture.attr("node", fontname="Helvetica", fontsize="11")
        picture.attr("edge", fontname="Helvetica", fontsize="9", arrowsize="0.6")
        for i, node in enumerate(self.order):
            here = unit[node]
            if here not in kept:
                continue
            view.units.setdefault(i, []).append(key + here)
            if here != f"v{i}":
                continue
            view.grads[i] = (key + here, 0)
            picture.node(key + here, self._value_label(i), shape="plain", id=key + here)
            if node.parents:
                op = f"{key}o{i}"
                view.units[i].append(op)
                picture.node(
                    op,
                    operation_text(node, fmt),
                    id=op,
                    shape="ellipse",
                    style="filled",
                    fillcolor="#eeeeee",
                    fontsize="10",
                )
        for k, box in enumerate(boxes):
            if f"b{k}" not in kept:
                continue
            for row, output in enumerate(box.outputs[: self.BOX_ROWS]):
                view.grads[self.index[output]] = (f"{key}b{k}", row)
            picture.node(f"{key}b{k}", self._box_label(box), id=f"{key}b{k}", **_BOX)
        if note:
            picture.node(
                key + "rest",
                f"… {total - len(kept):,} more\nnot drawn",
                id=key + "rest",
                shape="note",
                style="filled",
                fillcolor="#fff7e6",
            )
        for n, edge in enumerate(edges):
            style = flow_style(edge.flow, scale, fmt)
            style.pop("tooltip")
            picture.edge(key + edge.source, key + edge.target, id=f"{key}e{n}", **style)
            view.edges.append((f"{key}e{n}", edge.reached_at))
        view.svg = svg_element(picture.pipe(format="svg", encoding="utf-8"))
        view.legend = _legend(scale, [edge.flow for edge in edges], fmt)
        return view

    BOX_ROWS = 6

    def _edges(self, unit: dict[Value, str], kept: set[str]) -> list[_Edge]:
        """input -> operation -> result; into a box, or from the left-out rest, one edge
        per input and target, its flow the sum, reached when its last part is."""
        single: list[_Edge] = []
        merged: dict[tuple[Value | None, str], _Edge] = {}
        for s, step in enumerate(self.stepper.steps, 1):
            i = self.index[step.node]
            here = unit[step.node]
            if here not in kept:
                continue
            boxed = here != f"v{i}"
            target = here if boxed else f"o{i}"
            if not boxed:
                single.append(_Edge(target, here, step.upstream, s))
            for term in step.terms:
                source = unit[term.parent] if unit[term.parent] in kept else "rest"
                if source == here:
                    continue
                if not boxed and source.startswith("v"):
                    single.append(_Edge(source, target, term.contribution, s))
                    continue
                key = (None if source == "rest" else term.parent, target)
                edge = merged.setdefault(key, _Edge(source, target, 0.0, s))
                edge.flow += term.contribution
                edge.reached_at = max(edge.reached_at, s)
        return single + list(merged.values())

    def _value_label(self, i: int) -> str:
        node = self.order[i]
        name = self.names[node]
        fmt = self.stepper.fmt
        if node.label is None:
            title = f'<font color="#888888"><i>{html.escape(name)}</i></font>'
        else:
            title = f"<b>{html.escape(name)}</b>"
        cells = [title, f"data {node.data:{fmt}}", f"grad {html.escape(self.widest(i))}"]
        row = "".join(f"<td>{cell}</td>" for cell in cells)
        return (
            '<<table border="0" cellborder="1" cellspacing="0" cellpadding="4" '
            f'bgcolor="white"><tr>{row}</tr></table>>'
        )

    def _box_label(self, box: Any) -> str:
        fmt = self.stepper.fmt
        count = len(box.outputs)
        neurons = f" · {count} neurons" if box.kind == "layer" else ""
        rows = [
            f"<tr><td colspan='2'><b>{html.escape(box.title)}</b></td></tr>",
            f"<tr><td colspan='2'>{box.kind}{neurons} · {len(box.members):,} nodes</td></tr>",
        ]
        for output in box.outputs[: self.BOX_ROWS]:
            i = self.index[output]
            rows.append(
                f"<tr><td>{html.escape(self.names[output])}: data {output.data:{fmt}}</td>"
                f"<td>grad {html.escape(self.widest(i))}</td></tr>"
            )
        if count > self.BOX_ROWS:
            rows.append(f"<tr><td colspan='2'>… {count - self.BOX_ROWS:,} more outputs</td></tr>")
        return f'<<table border="0" cellspacing="0" cellpadding="2">{"".join(rows)}</table>>'

    def nodes(self, needed: set[int]) -> list[dict[str, Any]]:
        """What hovering a node shows: name, operation, data, the rule; only for the
        `needed` nodes (those drawn or listed), so a huge graph makes no huge page."""
        fmt = self.stepper.fmt
        from .naming import formula

        described: list[dict[str, Any]] = []
        for i, node in enumerate(self.order):
            if i not in needed:
                described.append({})
                continue
            entry: dict[str, Any] = {"name": self.names[node], "data": f"{node.data:{fmt}}"}
            if node.op is not None:
                entry["op"] = node.op.name
                entry["formula"] = formula(node, self.names, fmt)
                entry["rule"] = rule_lines(node, self.names)
            described.append(entry)
        return described

    def listed(self) -> list[int]:
        """The leaves listed in the gradient table: labelled ones first, at most a few."""
        leaves = [i for i, node in enumerate(self.order) if not node.parents]
        leaves.sort(key=lambda i: self.order[i].label is None)
        return leaves[:MOST_LISTED]


def svg_element(svg: str) -> str:
    """Graphviz's SVG as an element for an HTML page: no XML prolog, no comments, and no
    <title> elements (they hold Graphviz's ids, which browsers would show on hover)."""
    svg = svg[svg.find("<svg") :]
    return re.sub(r"<!--.*?-->\n?|<title>[^<]*</title>\n?", "", svg, flags=re.S)


_BOX = {"shape": "box", "style": "rounded,filled", "fillcolor": "#e8f0fe", "color": "#4a6fa5"}


def _legend(scale: Any, flows: list[float], fmt: str) -> str:
    """The key to edge widths and colours, as a few short sample lines."""
    from .drawing import WAITING, flow_style

    samples: list[tuple[str, dict[str, str]]] = []
    if scale is not None:
        samples += [(f"{m:{fmt}}", flow_style(m, scale, fmt)) for m in scale.ticks()]
    if any(flow == 0 for flow in flows):
        samples.append(("0", flow_style(0.0, scale, fmt)))
    samples.append(("not yet", {"color": WAITING, "penwidth": "1", "style": "dotted"}))
    items = []
    for text, style in samples:
        dash = {"dashed": ' stroke-dasharray="4 3"', "dotted": ' stroke-dasharray="1 3"'}.get(
            style.get("style", ""), ""
        )
        line = (
            f'<svg width="28" height="10" aria-hidden="true"><line x1="1" y1="5" x2="27" y2="5" '
            f'stroke="{style["color"]}" stroke-width="{style["penwidth"]}"{dash}/></svg>'
        )
        items.append(f"<span class='key'>{line}{html.escape(text)}</span>")
    return "<b>|gradient flowing back|</b> (log scale) " + "".join(items)


# --- the page ---


def _choose(pass_: _Pass, collapse: str | None) -> list[tuple[str | None, str]]:
    """The views, the one the page opens with first: (collapse, key)."""
    root = pass_.stepper.root
    if collapse != "auto":
        return [(collapse, "a")] + ([(None, "b")] if collapse else [])
    if unit_count(root, None) <= SMOOTH_UNITS:
        return [(None, "a")]
    chosen = "layer"
    if unit_count(root, "neuron") <= SMOOTH_UNITS:
        chosen = "neuron"
    if unit_count(root, chosen) == unit_count(root, None):  # nothing to collapse by
        return [(None, "a")]
    return [(chosen, "a"), (None, "b")]


def backward_page(
    stepper: Stepper,
    *,
    collapse: str | None = "auto",
    max_units: int = SMOOTH_UNITS,
    rankdir: str = "LR",
    title: str | None = None,
) -> str:
    """The HTML of the page playing `stepper`'s pass, opening at its current step.

    collapse:  "auto" (collapse by neuron or layer when the graph has more than
               SMOOTH_UNITS boxes), None, "neuron" or "layer".
    max_units: draw at most this many boxes per view, those nearest the output.
    rankdir:   "LR" (inputs left, output right), "TB", "BT" (output on top) or "RL".
    """
    from .drawing import RANKDIRS

    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    if collapse not in COLLAPSES:
        raise ValueError(f"collapse must be one of {COLLAPSES}, got {collapse!r}")
    if not isinstance(max_units, int) or max_units < 1:
        raise ValueError(f"max_units must be a positive integer, got {max_units!r}")
    pass_ = _Pass(stepper)
    views = [pass_.view(how, max_units, key, rankdir) for how, key in _choose(pass_, collapse)]
    if len(views) > 1:
        nodes = unit_count(stepper.root, None)
        opening = (
            f"This graph has {nodes:,} value nodes, so the page opens {views[0].title} "
            "(press expand to see every node)."
        )
        views[0].note = f"{opening} {views[0].note}".strip()
    root_name = stepper.root_name
    listed = pass_.listed()
    data = {
        "fmt": stepper.fmt,
        "position": stepper.position,
        "start": str(_at_start(stepper)),
        "steps": [
            {"node": pass_.index[step.node], "lines": step.lines(), "moves": moves}
            for step, moves in zip(stepper.steps, pass_.moves)
        ],
        "initial": {str(k): v for k, v in pass_.initial.items()},
        "nodes": pass_.nodes({i for view in views for i in view.units} | set(listed)),
        "root": pass_.index[stepper.root],
        "listed": listed,
        "views": [view.script_data() for view in views],
    }
    heading = title or f"backward pass of {root_name} = {pass_.names[stepper.root]}"
    if title is None and stepper.steps:
        heading = f"backward pass: {stepper.steps[0].name} = {stepper.steps[0].formula}"
    sections = "".join(
        f'<section class="view" data-key="{v.key}"{"" if n == 0 else " hidden"}>'
        f'<p class="note">{html.escape(v.note)}</p>'
        f'<div class="legend">{v.legend}</div><div class="graph">{v.svg}</div></section>'
        for n, v in enumerate(views)
    )
    return page_assets.BACKWARD.format(
        title=html.escape(heading),
        style=page_assets.STYLE,
        views=sections,
        total=len(stepper.steps),
        data=_script_json(data),
        script=page_assets.BACKWARD_SCRIPT,
    )


def _at_start(stepper: Stepper) -> str:
    root = stepper.root_name
    upstream = stepper.steps[0].upstream if stepper.steps else stepper.root.grad
    return f"start: d{root}/d{root} = {upstream:{stepper.fmt}}; every other gradient not yet known"


def _script_json(data: Any) -> str:
    """JSON safe inside <script>: no '</' can close the element early."""
    return json.dumps(data, separators=(",", ":"), allow_nan=True).replace("</", "<\\/")


def save_html(stepper: Stepper, path: str | os.PathLike[str], **options: Any) -> str:
    """Write the page to `path` (atomically); returns the path."""
    return write_page(path, backward_page(stepper, **options))


class PageFrame:
    """A page shown in Jupyter: an iframe holding the whole page (its script runs there)."""

    def __init__(self, page: str, height: int, description: str) -> None:
        self.page = page
        self.height = height
        self.description = description

    def __repr__(self) -> str:
        return self.description

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.page, quote=True)}" width="100%" '
            f'height="{self.height}" style="border:1px solid #ddd" '
            f'title="{html.escape(self.description)}"></iframe>'
        )


def show(stepper: Stepper, height: int = 820, **options: Any) -> PageFrame:
    """The page, for Jupyter to display (no extra package needed)."""
    text = backward_page(stepper, **options)
    return PageFrame(text, height, f"backward page: {len(stepper.steps)} steps")
