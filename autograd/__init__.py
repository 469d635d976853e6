"""A scalar reverse-mode automatic differentiation engine, for learning and for checking.

The package is built in layers, and imports run one way only, downward:

    cli                              the command line
    nn   viz   testing   accel       networks, seeing, checking, the accelerator road
    ops  engine  modes  gradients  functional  files      the core

- the core (the modules at the top of the package) imports nothing from a subpackage
  and no third-party package;
- nn, viz, testing and accel import the core; accel also reads nn's models, to
  compile, quantize and export them; none of them imports cli;
- cli may import everything.
This file, the public face, re-exports the names most people need. The rule is
checked by tests/test_layers.py.

>>> from autograd import Value
>>> x = Value(0.6, label="x")
>>> y = (x * 0.8 + 0.2).sigmoid()
>>> y.backward()
>>> round(x.grad, 6)
0.178552
"""

from .engine import Value, topological_order
from .functional import dot, log_softmax, logsumexp, max, softmax, sum
from .gradients import grad
from .modes import detect_anomaly, no_grad
from .nn.modules import MLP, Layer, Module, Neuron
from .nn.saving import ModelFileError
from .ops import OPS, Op
from .viz.inspect import graph_stats
from .viz.stepper import Stepper

__version__ = "0.2.0"

__all__ = [
    "MLP",
    "OPS",
    "Layer",
    "ModelFileError",
    "Module",
    "Neuron",
    "Op",
    "Stepper",
    "Value",
    "detect_anomaly",
    "dot",
    "grad",
    "graph_stats",
    "log_softmax",
    "logsumexp",
    "max",
    "no_grad",
    "softmax",
    "sum",
    "topological_order",
]
