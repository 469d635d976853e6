"""Toward an accelerator: a recorded graph as a static program, low precision, ONNX.

- `tape`: `compile(root, inputs)` turns a recorded graph into a tape replayed on whole
  NumPy batches (`value_and_grad` too);
- `precision`: `quantize(model, precision)`, an MLP or a Sequential CNN at float32,
  float16 or int8, and the precision report;
- `export`: an MLP or a tape as an ONNX model that real runtimes execute;
- `deploy`: the whole road for a trained MLP or the digits CNN (ONNX, onnxruntime's
  optimizations and static INT8, FP16, pruning, measured), and `report`, its table,
  Markdown and HTML;
- `fusion`: `fuse(tape)`, a layer's scalar sums of products (a convolution's at every
  position too) lowered to one matrix product; `vectorize(tape)`, the alike steps of
  one depth as one array operation;
- `train`: training through the tape (`TapeBackend`, the backend "tape" of
  `nn.train.fit` and of the mini-batch tasks' `fit_batches`, registered when this
  package is imported).

Needs NumPy (`pip install "glassgrad[batch]"`); ONNX export also needs onnx and
onnxruntime (`pip install "glassgrad[export]"`), imported only when `export` or
`deploy` is.
"""

from .fusion import fuse
from .precision import LowPrecisionMLP, LowPrecisionSequential, precision_report, quantize
from .tape import Tape, UnsupportedOperationError, compile
from .train import TapeBackend, UnreplayableModelError

__all__ = [
    "LowPrecisionMLP",
    "LowPrecisionSequential",
    "Tape",
    "TapeBackend",
    "UnreplayableModelError",
    "UnsupportedOperationError",
    "compile",
    "fuse",
    "precision_report",
    "quantize",
]
