"""A scalar reverse-mode automatic differentiation engine, for learning and for checking.

>>> from autograd import Value
>>> x = Value(0.6, label="x")
>>> y = (x * 0.8 + 0.2).sigmoid()
>>> y.backward()
>>> round(x.grad, 6)
0.178552
"""

from .engine import Value, detect_anomaly, grad, no_grad, topological_order
from .functional import dot, log_softmax, logsumexp, softmax, sum
from .inspect import graph_stats
from .nn import MLP, Layer, Module, Neuron
from .ops import OPS, Op
from .saving import ModelFileError
from .stepper import Stepper

__version__ = "0.1.0"

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
    "no_grad",
    "softmax",
    "sum",
    "topological_order",
]
