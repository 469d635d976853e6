"""Neural networks made of Values: modules, losses, optimizers, data, training, saving.

    from autograd.nn import MLP, SGD, losses, data
    from autograd.nn import Sequential, Conv2d, ReLU, MaxPool2d, Flatten, Linear, LSTM

`modules` holds Module, Neuron, Layer and MLP; `conv` Conv2d, MaxPool2d, AvgPool2d and
Flatten; `recurrent` RNN and LSTM; `sequential` Sequential, Linear and the activations
as modules (ReLU, Tanh, Sigmoid); `losses` the loss functions; `optim`
the optimizers (PyTorch's shapes: `opt.step()`, `opt.zero_grad()`); `data` small
datasets generated from a seed; `train` the training loop (`fit`) and its recipes;
`saving` the versioned JSON model files.
"""

from . import data, images, losses, optim, saving, tasks, train
from .conv import AvgPool2d, Conv2d, Flatten, MaxPool2d
from .modules import (
    ACTIVATIONS,
    INITS,
    MLP,
    Layer,
    Module,
    Neuron,
    count_parameters,
    init_bound,
)
from .optim import SGD, Adam, Optimizer
from .recurrent import LSTM, RNN
from .saving import ModelFileError
from .sequential import Linear, ReLU, Sequential, Sigmoid, Tanh
from .train import fit

__all__ = [
    "ACTIVATIONS",
    "INITS",
    "LSTM",
    "MLP",
    "RNN",
    "SGD",
    "Adam",
    "AvgPool2d",
    "Conv2d",
    "Flatten",
    "Layer",
    "Linear",
    "MaxPool2d",
    "ModelFileError",
    "Module",
    "Neuron",
    "Optimizer",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "count_parameters",
    "data",
    "fit",
    "images",
    "init_bound",
    "losses",
    "optim",
    "saving",
    "tasks",
    "train",
]
