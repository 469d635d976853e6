"""Neural networks made of Values: modules, losses, optimizers, data, training, saving.

    from autograd.nn import MLP, SGD, losses, data

`modules` holds Module, Neuron, Layer and MLP; `losses` the loss functions; `optim`
the optimizers (PyTorch's shapes: `opt.step()`, `opt.zero_grad()`); `data` small
datasets generated from a seed; `train` the training loop (`fit`) and its recipes;
`saving` the versioned JSON model files.
"""

from . import data, losses, optim, saving, train
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
from .saving import ModelFileError
from .train import fit

__all__ = [
    "ACTIVATIONS",
    "INITS",
    "MLP",
    "SGD",
    "Adam",
    "Layer",
    "ModelFileError",
    "Module",
    "Neuron",
    "Optimizer",
    "count_parameters",
    "data",
    "fit",
    "init_bound",
    "losses",
    "optim",
    "saving",
    "train",
]
