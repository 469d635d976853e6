"""Seeing it: drawings of the gradient flow, a step-by-step backward, operation counts.

- `draw(root)`: a graphviz.Digraph of the graph with values, gradients and the flow
  (needs the graphviz package, imported only when a drawing is asked for);
- `Stepper(root)`: a backward pass one chain-rule step at a time;
- `graph_stats(root)`, `summary(...)`: counts of nodes, operations and multiply-accumulates;
- `uses(weight, root)`: every place a shared weight is read, and what each sends back;
- `over_plane(f, xs, ys)`: f over a grid of the plane, for pictures of decision boundaries
  and of what a hidden neuron responds to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .inspect import GraphStats, Use, graph_stats, summary, uses
from .plane import over_plane
from .stepper import Step, Stepper

if TYPE_CHECKING:
    from .drawing import Drawing, GraphvizNotFound, draw

# Drawing subclasses graphviz.Digraph, so it is imported on first use: the rest of
# viz (and `import autograd`) works without the graphviz package.
_DRAWING_NAMES = frozenset({"Drawing", "GraphvizNotFound", "draw"})


def __getattr__(name: str) -> Any:
    if name in _DRAWING_NAMES:
        from . import drawing

        return getattr(drawing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Drawing",
    "GraphStats",
    "GraphvizNotFound",
    "Step",
    "Stepper",
    "Use",
    "draw",
    "graph_stats",
    "over_plane",
    "summary",
    "uses",
]
