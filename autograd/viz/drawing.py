"""draw(): a picture of a computation graph, its values, its gradients and the gradient flow.

Every value is a box with its name, data and grad; every operation an ellipse between its
inputs and its result. An edge is drawn in the direction the data flows, and its width and
colour show how much gradient flows back along it (log scale, explained by a legend): for
the edge from input `a` into the operation that makes `z`, that is the contribution
`dL/dz * dz/da`, the term the chain rule adds to `a.grad`. An edge that carries exactly
zero gradient (a dead ReLU) is dashed grey.

    >>> from autograd import Value
    >>> from autograd.viz import draw
    >>> y = (Value(0.6, label="x") * Value(0.8, label="w")).sigmoid()
    >>> y.backward()
    >>> picture = draw(y)          # a graphviz.Digraph: Jupyter shows it as SVG
    >>> path = picture.save("y.svg")   # or .png, .pdf            # doctest: +SKIP

Rendering needs Graphviz's `dot` program; without it, rendering raises `GraphvizNotFound`
saying how to install it, and the DOT text is still in `picture.source`.
"""

from __future__ import annotations

import html
import math
import os
import re
from collections import Counter, deque
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..engine import Value, topological_order
from ..files import write_atomically
from .naming import check_format, derivative_operand, node_names, operation_text

try:
    import graphviz
except ImportError as _missing:
    raise ImportError(
        "autograd.viz draws with the graphviz Python package: pip install 'glassgrad[viz]'"
    ) from _missing

INSTALL_GRAPHVIZ = (
    "Graphviz's `dot` program is not on PATH, so the drawing cannot be rendered (its DOT "
    "text is still in `.source`). Install Graphviz: `sudo apt-get install graphviz` on "
    "Debian/Ubuntu, `brew install graphviz` on macOS, `conda install -c conda-forge "
    "graphviz`, or see https://graphviz.org/download/ (on Windows, add its bin folder to PATH)."
)
PICTURE_FORMATS = frozenset({"svg", "png", "pdf", "jpg", "jpeg", "gif"})
RANKDIRS = ("LR", "TB", "RL", "BT")
COLLAPSE = (None, "neuron", "layer", "channel", "step")

# Small gradients cool and thin, large ones hot and thick.
PALETTE = ("#9ecae1", "#3182bd", "#756bb1", "#de2d26", "#a50f15")
THINNEST, THICKEST = 0.8, 6.0
DEAD = "#9e9e9e"
NON_FINITE = "#7a0177"
WAITING = "#c8c8c8"
HIGHLIGHT = "#fff3b0"
REST = "rest"  # the id of the note standing for the nodes left out by max_nodes


class GraphvizNotFound(graphviz.ExecutableNotFound):  # type: ignore[misc]
    """Rendering needs Graphviz's `dot` program, which is not on PATH."""

    def __init__(self) -> None:
        RuntimeError.__init__(self, INSTALL_GRAPHVIZ)


@contextmanager
def _dot_needed() -> Iterator[None]:
    try:
        yield
    except GraphvizNotFound:
        raise
    except graphviz.ExecutableNotFound as error:
        raise GraphvizNotFound() from error


class Drawing(graphviz.Digraph):  # type: ignore[misc]
    """A graphviz.Digraph that explains how to install Graphviz when `dot` is missing,
    and whose `save()` writes pictures."""

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        with _dot_needed():
            return super().pipe(*args, **kwargs)

    def render(self, *args: Any, **kwargs: Any) -> Any:
        with _dot_needed():
            return super().render(*args, **kwargs)

    def save(
        self,
        filename: str | os.PathLike[str] | None = None,
        directory: str | os.PathLike[str] | None = None,
        **kwargs: Any,
    ) -> str:
        """Write the picture to `filename` if it ends in .svg, .png, .pdf (or .jpg, .gif);
        otherwise the DOT text, as graphviz.Digraph.save does. Returns the path written.

        A picture is written to a temporary file and then renamed, so a failure never
        leaves a half-written file behind.
        """
        suffix = os.path.splitext(os.fspath(filename))[1][1:].lower() if filename else ""
        if suffix not in PICTURE_FORMATS:
            path: str = super().save(filename=filename, directory=directory, **kwargs)
            return path
        assert filename is not None
        target = os.path.join(os.fspath(directory or ""), os.fspath(filename))
        write_atomically(target, self.pipe(format=suffix))
        return target


# --- the gradient-flow scale ---


@dataclass(frozen=True)
class FlowScale:
    """Maps a gradient magnitude to a width and a colour, on a log scale between the
    smallest and the largest nonzero finite magnitude in the drawing."""

    low: float  # log10 of the smallest magnitude
    high: float  # log10 of the largest

    @classmethod
    def of(cls, flows: Iterable[float | None]) -> FlowScale | None:
        logs = [math.log10(abs(f)) for f in flows if f and math.isfinite(f)]
        return cls(min(logs), max(logs)) if logs else None

    def fraction(self, magnitude: float) -> float:
        """0 for the smallest magnitude, 1 for the largest, log-linear between."""
        if self.high == self.low:
            return 0.5
        where = (math.log10(magnitude) - self.low) / (self.high - self.low)
        return min(max(where, 0.0), 1.0)

    def width(self, magnitude: float) -> float:
        return THINNEST + self.fraction(magnitude) * (THICKEST - THINNEST)

    def colour(self, magnitude: float) -> str:
        position = self.fraction(magnitude) * (len(PALETTE) - 1)
        i = min(int(position), len(PALETTE) - 2)
        start, end = _rgb(PALETTE[i]), _rgb(PALETTE[i + 1])
        t = position - i
        return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(start, end))

    def ticks(self) -> list[float]:
        """Magnitudes for the legend: the extremes and the geometric middle."""
        if self.high == self.low:
            return [10**self.low]
        return [10**self.low, 10 ** ((self.low + self.high) / 2), 10**self.high]


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def flow_style(flow: float, scale: FlowScale | None, fmt: str) -> dict[str, str]:
    """Edge attributes for a gradient `flow`: width and colour by its magnitude, a label,
    and the exact number as a tooltip."""
    style = {"label": f"{flow:{fmt}}", "tooltip": f"gradient flowing back: {flow!r}"}
    if flow == 0:
        style.update(style="dashed", color=DEAD, fontcolor=DEAD, penwidth="1")
        style["tooltip"] += " (no gradient passes: a dead ReLU, or a zero factor)"
    elif not math.isfinite(flow) or scale is None:
        style.update(style="bold", color=NON_FINITE, fontcolor=NON_FINITE)
        style["penwidth"] = f"{THICKEST:.2f}"
    else:
        magnitude = abs(flow)
        style.update(color=scale.colour(magnitude), penwidth=f"{scale.width(magnitude):.2f}")
    return style


# --- collapsing a network's neurons and layers ---

_PARAMETER = re.compile(r"((?:L\d+\.)?n\d+)\.(?:w\d+|b)")  # L1.n2.w3, L1.n2.b, n2.w3
_NEURON_OUTPUT = re.compile(r"(?:L\d+\.)?n\d+")  # L1.n2, n2


@dataclass
class Box:
    """Nodes drawn as one box: a neuron or a layer of one forward pass, a channel of a
    convolution, a time step of a recurrent layer."""

    title: str
    kind: str
    members: list[Value]
    outputs: list[Value]
    unit: str = "neuron"  # what its outputs are called in its label


def _is_neuron_output(node: Value) -> bool:
    return bool(node.parents) and _NEURON_OUTPUT.fullmatch(node.label or "") is not None


def _is_parameter(node: Value) -> bool:
    return not node.parents and _PARAMETER.fullmatch(node.label or "") is not None


def neuron_boxes(order: Sequence[Value]) -> list[Box]:
    """One box per labelled neuron output: the nodes on paths from that neuron's parameters
    (labelled "L1.n2.w3", "L1.n2.b") to its output (labelled "L1.n2").

    Parameters shared by several forward passes belong to several outputs; such nodes
    stay outside every box, drawn once, with edges into each pass's box.
    """
    position = {node: i for i, node in enumerate(order)}
    parameters: dict[str, set[Value]] = {}
    for node in order:
        match = None if node.parents else _PARAMETER.fullmatch(node.label or "")
        if match:
            parameters.setdefault(match.group(1), set()).add(node)
    boxes = []
    for node in order:
        if _is_neuron_output(node) and node.label in parameters:
            assert node.label is not None
            members = _paths_from(parameters[node.label], node, position)
            boxes.append(Box(node.label, "neuron", members, [node]))
    claims = Counter(node for box in boxes for node in box.members)
    for box in boxes:
        box.members = [node for node in box.members if claims[node] == 1]
    return sorted(boxes, key=lambda box: _natural(box.title))


def _paths_from(sources: set[Value], output: Value, position: dict[Value, int]) -> list[Value]:
    """The nodes on paths from `sources` to `output`, not looking past other neurons."""
    region, stack = {output}, [output]
    while stack:
        node = stack.pop()
        if node is not output and _is_neuron_output(node):
            continue  # an earlier neuron: its own box
        for parent in node.parents:
            if parent not in region:
                region.add(parent)
                stack.append(parent)
    members: set[Value] = set()
    for node in sorted(region, key=position.__getitem__):
        if node in sources or any(parent in members for parent in node.parents):
            members.add(node)
    return sorted(members, key=position.__getitem__)


def layer_boxes(order: Sequence[Value]) -> list[Box]:
    """Neuron boxes merged by layer ("L1" of "L1.n2") and forward pass: the neurons of one
    pass of a layer read the same inputs (Values, or plain numbers as constants)."""
    layers: dict[tuple[str, frozenset[Value], tuple[float, ...]], Box] = {}
    for neuron in neuron_boxes(order):
        inside = set(neuron.members)
        inputs = frozenset(
            parent
            for node in neuron.members
            for parent in node.parents
            if parent not in inside and not _is_parameter(parent)
        )
        constants = tuple(sorted(node.const for node in neuron.members if node.const is not None))
        layer = _layer_of(neuron.title)
        box = layers.setdefault((layer, inputs, constants), Box(layer, "layer", [], []))
        box.members += neuron.members
        box.outputs += neuron.outputs
    return list(layers.values())


# Outputs of the layers of nn.conv, nn.sequential and nn.recurrent: "L1[2,3,4]" (channel 2,
# row 3, column 4 of layer L1) and "rnn.t3.h[1]" (unit 1 of the hidden state at step 3).
_GRID_OUTPUT = re.compile(r"(?P<layer>[A-Za-z_]\w*)\[(?P<channel>\d+)(?:,\d+)*\]")
_STEP_OUTPUT = re.compile(r"(?P<layer>[A-Za-z_]\w*)\.t(?P<step>\d+)\.[a-z]\[\d+\]")


def _grid_key(node: Value, collapse: str) -> str | None:
    """The box a labelled output of a conv, pool, activation or recurrent layer opens."""
    if not node.parents or node.label is None:
        return None
    step = _STEP_OUTPUT.fullmatch(node.label)
    if step:
        return f"{step['layer']} t{step['step']}" if collapse != "layer" else step["layer"]
    grid = _GRID_OUTPUT.fullmatch(node.label)
    if grid:
        return (
            f"{grid['layer']} channel {grid['channel']}" if collapse == "channel" else grid["layer"]
        )
    return None


def grid_boxes(order: Sequence[Value], collapse: str, claimed: Collection[Value]) -> list[Box]:
    """Boxes for the layers of nn.conv and nn.recurrent, recognised by their labels: by
    layer, by channel (collapse="channel") or by time step (collapse="step").

    A labelled output ("L1[2,3,4]", "rnn.t3.h[1]") belongs to its box; any other node
    joins the box of its consumers when they all lie in one box (the products inside a
    convolution's sum, an LSTM's gates); a parameter used by several boxes (a filter
    weight across positions, a recurrent weight across time steps) stays outside, drawn
    once with an edge into each box that uses it. Nodes in `claimed` (neuron boxes) are
    left alone."""
    consumers: dict[Value, set[str | None]] = {}
    key: dict[Value, str] = {}
    for node in order:
        for parent in node.parents:
            consumers.setdefault(parent, set())
    for node in reversed(order):  # consumers before their parents
        if node in claimed:
            continue
        own = _grid_key(node, collapse)
        if own is None:
            seen = consumers.get(node, set())
            if len(seen) == 1 and None not in seen:
                (own,) = seen
        if own is not None:
            key[node] = own
        for parent in node.parents:
            consumers[parent].add(own)
    boxes: dict[str, Box] = {}
    for node in order:
        if node in key:
            title = key[node]
            kind = "step" if " t" in title else "channel" if " channel " in title else "layer"
            unit = "unit" if kind == "step" else "output"
            box = boxes.setdefault(title, Box(title, kind, [], [], unit))
            box.members.append(node)
            gate = unit == "unit" and not re.search(r"\.[hc]\[\d+\]$", node.label or "")
            if _grid_key(node, collapse) is not None and not gate:
                box.outputs.append(node)
    return sorted(boxes.values(), key=lambda box: _natural(box.title))


def _natural(title: str) -> list[int]:
    """L1.n10 after L1.n9."""
    return [int(number) for number in re.findall(r"\d+", title)]


def _layer_of(neuron: str) -> str:
    return neuron.rpartition(".")[0] or "layer"


# --- the drawing ---


@dataclass
class Edge:
    source: str
    target: str
    flow: float | None  # None: no gradient shown, or not reached yet (waiting)
    waiting: bool = False


def draw(
    root: Value | Sequence[Value],
    *,
    rankdir: str = "LR",
    highlight: Value | Iterable[Value] = (),
    show_grad: bool = True,
    fmt: str = ".4g",
    collapse: str | None = None,
    max_nodes: int = 250,
    legend: bool = True,
    pending: Collection[Value] = (),
) -> Drawing:
    """A graphviz.Digraph of the graph that computes `root` (a Value or several).

    rankdir:   "LR" (inputs left, output right) or "TB" (top to bottom); also RL, BT.
    highlight: Values to draw on a yellow background.
    show_grad: show grads and the gradient flow (turn off before calling backward()).
    fmt:       how numbers are written (a float format spec: ".4g", ".3f", ".2e").
    collapse:  "neuron" or "layer" draws each neuron or layer of a network (recognised by
               its labels "L1.n2", "L1.n2.w3", "L1.n2.b") as one box; "channel" draws each
               channel of a convolution or pool ("L1[2,3,4]") as one box, "step" each time
               step of an RNN or LSTM ("rnn.t3.h[1]"). A shared weight (a filter weight,
               a recurrent weight) stays outside the boxes, one edge into each box that
               uses it carrying the gradient it gets back from there.
    max_nodes: draw at most this many value nodes and boxes, those nearest the output;
               a note stands for the rest and says how many were left out.
    legend:    add the key to edge widths and colours.
    pending:   nodes whose backward step has not run yet (used by the Stepper): the
               edges into them are drawn dotted grey, their gradient not yet known.
    """
    roots = [root] if isinstance(root, Value) else list(root)
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    if collapse not in COLLAPSE:
        raise ValueError(
            f"collapse must be None, 'neuron', 'layer', 'channel' or 'step', got {collapse!r}"
        )
    if not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive integer, got {max_nodes!r}")
    check_format(fmt)
    order = topological_order(roots)
    names = node_names(roots)
    marked = {highlight} if isinstance(highlight, Value) else set(highlight)
    waiting = set(pending)

    boxes = []
    if collapse:
        boxes = (neuron_boxes if collapse == "neuron" else layer_boxes)(order)
        claimed = {node for box in boxes for node in box.members}
        boxes += grid_boxes(order, collapse, claimed) if collapse != "neuron" else []
    unit = {node: f"node{i}" for i, node in enumerate(order)}
    for k, box in enumerate(boxes):
        for node in box.members:
            unit[node] = f"box{k}"
    kept, total = _nearest_units(roots, unit, max_nodes)
    edges = _edges(order, unit, kept, waiting if show_grad else set(), show_grad)
    scale = FlowScale.of(edge.flow for edge in edges)

    picture = Drawing(name="autograd")
    picture.attr(rankdir=rankdir)
    picture.attr("node", fontname="Helvetica", fontsize="11")
    picture.attr("edge", fontname="Helvetica", fontsize="9", arrowsize="0.6")
    for i, node in enumerate(order):
        if unit[node] != f"node{i}" or unit[node] not in kept:
            continue
        is_marked = node in marked
        picture.node(
            f"node{i}", _value_label(names[node], node, fmt, show_grad, is_marked), shape="plain"
        )
        if node.parents:
            picture.node(
                f"op{i}",
                operation_text(node, fmt),
                shape="ellipse",
                style="filled",
                fillcolor=HIGHLIGHT if is_marked else "#eeeeee",
                fontsize="10",
            )
    for k, box in enumerate(boxes):
        if f"box{k}" in kept:
            is_marked = any(node in marked for node in box.members)
            picture.node(f"box{k}", _box_label(box, names, fmt, show_grad), **_box_style(is_marked))
    if total > len(kept):
        picture.node(
            REST, _rest_label(total, len(kept)), shape="note", style="filled", fillcolor="#fff7e6"
        )
    for edge in edges:
        style = _edge_style(edge, scale, fmt) if show_grad else {}
        picture.edge(edge.source, edge.target, **style)
    if show_grad and legend and edges:
        root_name = derivative_operand(names[roots[0]]) if len(roots) == 1 else "out"
        _add_legend(picture, scale, [edge.flow for edge in edges], fmt, root_name)
    return picture


def _nearest_units(roots: list[Value], unit: dict[Value, str], limit: int) -> tuple[set[str], int]:
    """The `limit` units (value nodes or boxes) nearest the roots, and how many there are."""
    seen = set(roots)
    queue = deque(roots)
    ordered: dict[str, None] = {}
    while queue:
        node = queue.popleft()
        ordered.setdefault(unit[node], None)
        for parent in node.parents:
            if parent not in seen:
                seen.add(parent)
                queue.append(parent)
    units = list(ordered)
    return set(units[:limit]), len(units)


def _edges(
    order: list[Value],
    unit: dict[Value, str],
    kept: set[str],
    waiting: set[Value],
    show_grad: bool,
) -> list[Edge]:
    """Every edge drawn: input -> operation -> result, with the gradient flowing back.
    Where a box hides operations, the edges from one input node into it are merged into
    one, their flows summed: the part of that input's gradient that comes back through
    the box. All edges from nodes left out (the note) into one target are merged too."""
    single: list[Edge] = []
    merged: dict[tuple[Value | None, str], Edge] = {}
    for i, node in enumerate(order):
        here = unit[node]
        if not node.parents or here not in kept:
            continue
        is_waiting = node in waiting
        known = show_grad and not is_waiting
        upstream = node.grad
        flows = [local * upstream for local in node.local_gradients()] if known else None
        boxed = here != f"node{i}"
        target = here if boxed else f"op{i}"
        if not boxed:
            single.append(Edge(target, here, upstream if known else None, is_waiting))
        for j, parent in enumerate(node.parents):
            source = unit[parent] if unit[parent] in kept else REST
            if source == here:
                continue  # inside one box
            flow = flows[j] if flows is not None else None
            if not boxed and source.startswith("node"):
                single.append(Edge(source, target, flow, is_waiting))
                continue
            key = (None if source == REST else parent, target)  # one edge from the note
            edge = merged.setdefault(key, Edge(source, target, 0.0))
            edge.waiting = edge.waiting or is_waiting
            edge.flow = None if edge.flow is None or flow is None else edge.flow + flow
    return single + list(merged.values())


def _edge_style(edge: Edge, scale: FlowScale | None, fmt: str) -> dict[str, str]:
    if edge.waiting or edge.flow is None:
        return {"style": "dotted", "color": WAITING, "tooltip": "not reached yet by backward"}
    return flow_style(edge.flow, scale, fmt)


def _value_label(name: str, node: Value, fmt: str, show_grad: bool, marked: bool) -> str:
    if node.label is None:  # a generated name: quieter than the user's own
        title = f'<font color="#888888"><i>{html.escape(name)}</i></font>'
    else:
        title = f"<b>{html.escape(name)}</b>"
    cells = [title, f"data {node.data:{fmt}}"]
    if show_grad:
        cells.append(f"grad {node.grad:{fmt}}")
    background = f' bgcolor="{HIGHLIGHT}"' if marked else ""
    row = "".join(f"<td>{cell}</td>" for cell in cells)
    return (
        f'<<table border="0" cellborder="1" cellspacing="0" cellpadding="4"{background}>'
        f"<tr>{row}</tr></table>>"
    )


MOST_OUTPUT_ROWS = 6


def _box_label(box: Box, names: dict[Value, str], fmt: str, show_grad: bool) -> str:
    count = len(box.outputs)
    neurons = f" · {count} {box.unit}{'s' if count != 1 else ''}" if box.kind != "neuron" else ""
    rows = [
        f"<b>{html.escape(box.title)}</b>",
        f"{box.kind}{neurons} · {len(box.members):,} nodes",
    ]
    for output in box.outputs[:MOST_OUTPUT_ROWS]:
        values = f"data {output.data:{fmt}}"
        if show_grad:
            values += f"  grad {output.grad:{fmt}}"
        rows.append(f"{html.escape(names[output])}: {values}")
    if len(box.outputs) > MOST_OUTPUT_ROWS:
        rows.append(f"… {len(box.outputs) - MOST_OUTPUT_ROWS:,} more outputs")
    body = "".join(f"<tr><td>{row}</td></tr>" for row in rows)
    return f'<<table border="0" cellspacing="0" cellpadding="2">{body}</table>>'


def _box_style(marked: bool) -> dict[str, str]:
    return {
        "shape": "box",
        "style": "rounded,filled",
        "fillcolor": HIGHLIGHT if marked else "#e8f0fe",
        "color": "#4a6fa5",
    }


def _rest_label(total: int, kept: int) -> str:
    return (
        f"<<b>… {total - kept:,} more nodes not drawn</b><br/>"
        f"showing the {kept:,} nearest the output, of {total:,}<br/>"
        f"use collapse='neuron' or 'layer', or a larger max_nodes>"
    )


def _add_legend(
    picture: Drawing,
    scale: FlowScale | None,
    flows: list[float | None],
    fmt: str,
    root_name: str,
) -> None:
    samples = (
        [(f"|flow| {m:{fmt}}", flow_style(m, scale, fmt)) for m in scale.ticks()] if scale else []
    )
    if any(flow == 0 for flow in flows):
        samples.append(("0: no gradient (dead ReLU)", flow_style(0.0, scale, fmt)))
    if any(flow is not None and not math.isfinite(flow) for flow in flows):
        samples.append(("inf or nan", flow_style(math.inf, scale, fmt)))
    if not samples:  # no gradient known yet (the start of a Stepper)
        return
    with picture.subgraph(name="cluster_legend") as key:
        key.attr(
            label=f"gradient flowing back along each edge, d{root_name}/d(result) * local "
            "derivative (width and colour: log scale)",
            fontsize="9",
            color="#cccccc",
        )
        for k, (text, style) in enumerate(samples):
            style.update(label=text, tooltip=text)
            key.node(f"legend{k}a", "", shape="point", width="0.04")
            key.node(f"legend{k}b", "", shape="point", width="0.04")
            key.edge(f"legend{k}a", f"legend{k}b", **style)
