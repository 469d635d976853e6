"""A scalar reverse-mode automatic differentiation engine, for learning and for checking.

The package is built in layers, and imports run one way only, downward:

    cli                              the command line
    nn   viz   testing   accel       networks, seeing, checking, the accelerator road
    ops  engine  modes  gradients  functional  files      the core

- the core (the modules at the top of the package) imports nothing from a subpackage
  and no third-party package;
- nn, viz, testing and accel import the core; accel also reads nn's models, to
  compile, quantize and export them; testing's check_rule replays a rule on accel's
  tape (lazily, when NumPy is installed); none of them imports cli;
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
from .functional import dot as dot
from .functional import log_softmax as log_softmax
from .functional import logsumexp as logsumexp
from .functional import max as max
from .functional import softmax as softmax
from .functional import sum as sum
from .gradients import grad
from .modes import detect_anomaly, no_grad
from .nn.modules import MLP, Layer, Module, Neuron
from .nn.saving import ModelFileError
from .ops import OPS, Op, RuleError, define_op, remove_op
from .viz.inspect import graph_stats
from .viz.stepper import Stepper

__version__ = "0.2.0"

# The helpers over lists (sum, max, dot, softmax, log_softmax, logsumexp) are here as
# autograd.sum and so on, but not in __all__: `from autograd import *` must not
# shadow the built-in sum.
__all__ = [
    "MLP",
    "OPS",
    "Layer",
    "ModelFileError",
    "Module",
    "Neuron",
    "Op",
    "RuleError",
    "Stepper",
    "Value",
    "define_op",
    "detect_anomaly",
    "grad",
    "graph_stats",
    "no_grad",
    "remove_op",
    "topological_order",
]
