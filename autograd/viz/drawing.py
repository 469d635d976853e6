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

import ctypes
import html
import math
import os
import re
import signal
import subprocess
import sys
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ..engine import Value, topological_order
from ..files import write_atomically
from .naming import check_format, derivative_operand, node_names, number, operation_text

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


DOT_TIMEOUT = 60.0  # seconds a layout may take before `dot` is stopped
DOT_FORMATS = frozenset({"dot", "gv"})  # suffixes saved as DOT text


class DotTimeout(RuntimeError):
    """Graphviz's `dot` took longer than the drawing's `timeout` and was stopped."""


class DotFailed(RuntimeError):
    """Graphviz's `dot` exited with an error; the message quotes what it said."""


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux, a function for the `dot` child to run before it starts: be killed when
    the Python process dies, whatever kills it (Ctrl-C, kill -9, a timeout), so that no
    layout keeps running orphaned. Prepared here, so the child only makes one call."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return lambda: prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def run_dot(command: list[str], source: bytes, timeout: float | None) -> bytes:
    """Run a Graphviz program on `source` and return what it writes.

    The child is always ended with the call: on a timeout (DotTimeout), an error, a
    Ctrl-C, and (on Linux) even when this process is killed outright.
    """
    try:
        child = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=_die_with_parent(),
        )
    except FileNotFoundError:
        raise GraphvizNotFound() from None
    try:
        out, err = child.communicate(source, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise DotTimeout(
            f"Graphviz's {command[0]} did not finish the layout in {timeout:g} s and was "
            "stopped. Draw less: collapse='neuron' or 'layer', a smaller max_nodes or "
            "max_edges, or allow more time (timeout=, or --timeout on the command line)."
        ) from None
    finally:
        if child.poll() is None:  # a timeout, Ctrl-C or any other exception
            child.kill()
            child.wait()
    if child.returncode != 0:
        said = err.decode("utf-8", "replace").strip().splitlines()[:5]
        raise DotFailed(f"Graphviz's {command[0]} failed: {' / '.join(said) or 'no message'}")
    return out


class Drawing(graphviz.Digraph):  # type: ignore[misc]
    """A graphviz.Digraph that explains how to install Graphviz when `dot` is missing,
    whose layout is bounded by `timeout` seconds (its `dot` child is ended with it),
    and whose `save()` writes pictures."""

    timeout: float | None = DOT_TIMEOUT

    def pipe(
        self,
        format: str | None = None,  # noqa: A002  # graphviz's name
        renderer: str | None = None,
        formatter: str | None = None,
        neato_no_op: bool | int | None = None,
        quiet: bool = False,
        *,
        engine: str | None = None,
        encoding: str | None = None,
    ) -> Any:
        if renderer or formatter or neato_no_op:  # graphviz's own, unbounded, path
            with _dot_needed():
                return super().pipe(
                    format,
                    renderer,
                    formatter,
                    neato_no_op,
                    quiet,
                    engine=engine,
                    encoding=encoding,
                )
        command = [engine or self.engine, f"-T{format or self.format}"]
        out = run_dot(command, self.source.encode(self.encoding), self.timeout)
        return out.decode(encoding) if encoding else out

    def render(self, *args: Any, **kwargs: Any) -> Any:
        with _dot_needed():
            return super().render(*args, **kwargs)

    def save(
        self,
        filename: str | os.PathLike[str] | None = None,
        directory: str | os.PathLike[str] | None = None,
        **kwargs: Any,
    ) -> str:
        """Write the picture to `filename` if it ends in .svg, .png, .pdf (or .jpg, .gif),
        the DOT text if it ends in .dot or .gv (as graphviz.Digraph.save does); any other
        extension is refused (ValueError). Returns the path written.

        Both are written with files.write_atomically: to a temporary file, then renamed,
        so a failure never leaves a half-written file behind; through symlinks; never
        over a device, FIFO or directory; never into a folder that does not exist.
        """
        suffix = os.path.splitext(os.fspath(filename))[1][1:].lower() if filename else ""
        if filename and suffix not in PICTURE_FORMATS | DOT_FORMATS:
            known = ", ".join(f".{name}" for name in sorted(PICTURE_FORMATS))
            raise ValueError(
                f"cannot tell what to write to {os.fspath(filename)!r} from its extension: "
                f"use {known} for a picture, or .dot, .gv for DOT text"
            )
        if filename is None:
            path: str = super().save(filename=filename, directory=directory, **kwargs)
            return path
        target = os.path.join(os.fspath(directory or ""), os.fspath(filename))
        write_atomically(target, self.source if suffix in DOT_FORMATS else self.pipe(format=suffix))
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
    style = {"label": number(flow, fmt), "tooltip": f"gradient flowing back: {flow!r}"}
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
    max_edges: int = 600,
    legend: bool = True,
    pending: Collection[Value] = (),
    timeout: float | None = DOT_TIMEOUT,
    scale: FlowScale | None = None,
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
    max_edges: draw at most about this many edges: fewer nodes are kept when their
               edges would be more (dense graphs take Graphviz much longer to lay out).
               A node used by more than MOST_USES operations is drawn once with its
               numbers, and once more (a small dashed copy) beside each use, so that no
               edge runs across the whole picture.
    timeout:   seconds Graphviz may take to lay the drawing out (None: no limit); past
               it, rendering stops `dot` and raises DotTimeout saying how to draw less.
    legend:    add the key to edge widths and colours.
    pending:   nodes whose backward step has not run yet (used by the Stepper): the
               edges into them are drawn dotted grey, their gradient not yet known, and
               nodes no step has reached yet show "grad not yet" (not a false 0).
    scale:     the gradient-flow scale to colour by (default: this drawing's flows); a
               Stepper passes one scale for all its steps, so colours stay comparable.

    Before any backward pass (every grad 0, nothing pending) there is no gradient to
    show: the graph is drawn with values only, and a note says so.
    """
    roots = _roots(root, "draw()")
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    if collapse not in COLLAPSE:
        raise ValueError(
            f"collapse must be None, 'neuron', 'layer', 'channel' or 'step', got {collapse!r}"
        )
    for option, limit in (("max_nodes", max_nodes), ("max_edges", max_edges)):
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"{option} must be a positive integer, got {limit!r}")
    if timeout is not None and not (isinstance(timeout, (int, float)) and timeout > 0):
        raise ValueError(f"timeout must be a number of seconds > 0 or None, got {timeout!r}")
    check_format(fmt)
    order = topological_order(roots)
    names = node_names(roots)
    marked = {highlight} if isinstance(highlight, Value) else set(highlight)
    waiting = set(pending)

    # Leaves may carry grads accumulated in other graphs: look at the nodes of this one.
    no_backward_yet = (
        show_grad
        and not waiting
        and all(node.grad == 0 for node in order if node.parents or node in roots)
    )
    if no_backward_yet:
        show_grad = False
    reached = set(roots)
    if waiting:
        reached.update(p for node in order if node not in waiting for p in node.parents)
    unreached = {node for node in order if node not in reached} if waiting else set()

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
    while len(edges) > max_edges and len(kept) > 1:  # dense: keep fewer nodes
        fewer = min(len(kept) - 1, len(kept) * max_edges // len(edges))
        kept, total = _nearest_units(roots, unit, max(fewer, 1))
        edges = _edges(order, unit, kept, waiting if show_grad else set(), show_grad)
    copies = _copies_for_many_uses(edges)
    if scale is None:
        scale = FlowScale.of(edge.flow for edge in edges)

    picture = Drawing(name="autograd")
    picture.timeout = timeout
    picture.attr(rankdir=rankdir)
    if no_backward_yet:
        picture.attr(label=NO_BACKWARD_YET, labelloc="t", fontname="Helvetica", fontsize="10")
    picture.attr("node", fontname="Helvetica", fontsize="11")
    picture.attr("edge", fontname="Helvetica", fontsize="9", arrowsize="0.6")
    for i, node in enumerate(order):
        if unit[node] != f"node{i}" or unit[node] not in kept:
            continue
        is_marked = node in marked
        label = _value_label(names[node], node, fmt, show_grad, is_marked, node not in unreached)
        picture.node(f"node{i}", label, shape="plain")
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
            text = _box_label(box, names, fmt, show_grad, unreached)
            picture.node(f"box{k}", text, **_box_style(is_marked))
    if total > len(kept):
        picture.node(
            REST, _rest_label(total, len(kept)), shape="note", style="filled", fillcolor="#fff7e6"
        )
    titles = {f"node{i}": names[node] for i, node in enumerate(order)}
    titles.update({f"box{k}": box.title for k, box in enumerate(boxes)})
    uses = Counter(edge.source for edge in edges)
    for edge in edges:
        style = _edge_style(edge, scale, fmt) if show_grad else {}
        source = copies.get(id(edge), edge.source)
        if source != edge.source:
            title = titles[edge.source]
            picture.node(
                source,
                f"<{_html(title)}>",  # an HTML-like label: the title's text, never markup
                shape="box",
                style="dashed",
                fontsize="9",
                tooltip=f"{title} again: used {uses[edge.source]} times, drawn beside each use",
            )
        picture.edge(source, edge.target, **style)
    if show_grad and legend and edges:
        root_name = derivative_operand(names[roots[0]]) if len(roots) == 1 else "out"
        _add_legend(picture, scale, [edge.flow for edge in edges], fmt, root_name)
    return picture


def _html(text: str) -> str:
    """Text for an HTML-like label: escaped, and brackets as character references too
    (Graphviz 2.43 fails with a syntax error on a label such as <b>]</b>)."""
    return html.escape(text).replace("[", "&#91;").replace("]", "&#93;")


MOST_USES = 6  # a node used by more operations gets a small copy beside each use


def _copies_for_many_uses(edges: list[Edge]) -> dict[int, str]:
    """For each edge out of a node used more than MOST_USES times: the id of a copy of
    that node to draw the edge from (keyed by id(edge)). An edge from one node to many
    places far apart makes Graphviz's layout slow (x*x*...*x of 60 factors: a minute)."""
    uses = Counter(edge.source for edge in edges)
    copies: dict[int, str] = {}
    for k, edge in enumerate(edges):
        if uses[edge.source] > MOST_USES and edge.source != REST:
            copies[id(edge)] = f"{edge.source}_use{k}"
    return copies


def _roots(root: object, what: str) -> list[Value]:
    """`root` as a list of Values; a TypeError saying what is needed otherwise."""
    if isinstance(root, Value):
        return [root]
    wanted = f"{what} needs a Value or a list of Values"
    if isinstance(root, (str, bytes)) or not isinstance(root, Iterable):
        raise TypeError(f"{wanted}, got {type(root).__name__}")
    roots = list(root)
    for item in roots:
        if not isinstance(item, Value):
            raise TypeError(f"{wanted}, got a {type(item).__name__} in the list")
    if not roots:
        raise ValueError(f"{wanted}, got an empty list")
    return roots


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


NO_BACKWARD_YET = "no backward pass yet: values only (call backward() to see the gradients)"
NOT_YET = '<font color="#888888"><i>grad not yet</i></font>'  # not reached by the pass yet


def _grad_text(node: Value, fmt: str, reached: bool) -> str:
    return _html(f"grad {number(node.grad, fmt)}") if reached else NOT_YET


def _value_label(
    name: str, node: Value, fmt: str, show_grad: bool, marked: bool, reached: bool = True
) -> str:
    if node.label is None:  # a generated name: quieter than the user's own
        title = f'<font color="#888888"><i>{_html(name)}</i></font>'
    else:
        title = f"<b>{_html(name)}</b>"
    cells = [title, _html(f"data {number(node.data, fmt)}")]
    if show_grad:
        cells.append(_grad_text(node, fmt, reached))
    background = f' bgcolor="{HIGHLIGHT}"' if marked else ""
    row = "".join(f"<td>{cell}</td>" for cell in cells)
    return (
        f'<<table border="0" cellborder="1" cellspacing="0" cellpadding="4"{background}>'
        f"<tr>{row}</tr></table>>"
    )


MOST_OUTPUT_ROWS = 6


def _box_label(
    box: Box, names: dict[Value, str], fmt: str, show_grad: bool, unreached: set[Value]
) -> str:
    count = len(box.outputs)
    neurons = f" · {count} {box.unit}{'s' if count != 1 else ''}" if box.kind != "neuron" else ""
    rows = [
        f"<b>{_html(box.title)}</b>",
        f"{box.kind}{neurons} · {len(box.members):,} nodes",
    ]
    for output in box.outputs[:MOST_OUTPUT_ROWS]:
        values = _html(f"{names[output]}: data {number(output.data, fmt)}")
        if show_grad:
            values += "  " + _grad_text(output, fmt, output not in unreached)
        rows.append(values)
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
    if all(flow is None for flow in flows):  # no gradient known yet (a Stepper's start)
        return
    samples = (
        [(f"|flow| {number(m, fmt)}", flow_style(m, scale, fmt)) for m in scale.ticks()]
        if scale
        else []
    )
    if any(flow == 0 for flow in flows):
        samples.append(("0: no gradient flows", flow_style(0.0, scale, fmt)))
    if any(flow is not None and not math.isfinite(flow) for flow in flows):
        samples.append(("inf or nan", flow_style(math.inf, scale, fmt)))
    if not samples:  # no gradient known yet (the start of a Stepper)
        return
    with picture.subgraph(name="cluster_legend") as key:
        # The graph's font and a small size: the key must not outgrow a small graph.
        key.attr(
            label=f"gradient flow: d{root_name}/d(result) * local derivative, log scale",
            fontname="Helvetica",
            fontsize="8",
            color="#cccccc",
            margin="4",
        )
        for k, (text, style) in enumerate(samples):
            style.update(
                label=text, tooltip=text, fontsize="8", penwidth=style.get("penwidth", "1")
            )
            key.node(f"legend{k}a", "", shape="point", width="0.04")
            key.node(f"legend{k}b", "", shape="point", width="0.04")
            key.edge(f"legend{k}a", f"legend{k}b", **style)
