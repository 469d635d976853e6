"""Toward an accelerator: a recorded graph as a static program, low precision, ONNX.

- `tape`: `compile(root, inputs)` turns a recorded graph into a tape replayed on whole
  NumPy batches (`value_and_grad` too);
- `precision`: `quantize(model, precision)`, an MLP at float32, float16 or int8, and
  the precision report;
- `export`: an MLP or a tape as an ONNX model that real runtimes execute.

Needs NumPy (`pip install "glassgrad[batch]"`); ONNX export also needs onnx and
onnxruntime (`pip install "glassgrad[export]"`), imported only when `export` is.
"""

from .precision import LowPrecisionMLP, precision_report, quantize
from .tape import Tape, UnsupportedOperationError, compile

__all__ = [
    "LowPrecisionMLP",
    "Tape",
    "UnsupportedOperationError",
    "compile",
    "precision_report",
    "quantize",
]
