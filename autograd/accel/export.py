"""The way out to real runtimes: a trained MLP (or a compiled tape) as an ONNX model.

ONNX is the exchange format that onnxruntime, TensorRT, OpenVINO and most NPU
toolchains read. `mlp_to_onnx` writes each layer as the tensor operation a runtime
wants: one Gemm (all the layer's multiply-accumulates and biases at once) and one
activation. `tape_to_onnx` writes one ONNX node per tape instruction, on 1-D tensors
holding a whole batch. Every model is checked with `onnx.checker` before it is
returned. Exported models follow IEEE arithmetic (log of a negative number is NaN)
where the engine raises: a runtime has no way to name the sample.

Agreement with the engine (tests/test_export.py): float64 models match to 1e-12;
float32 models to about 1e-6 relative, the rounding of float32 itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from ..engine import Value
from ..files import write_atomically
from ..modes import no_grad
from ..nn.modules import MLP, Layer
from .quantize import layer_weights
from .tape import Tape, UnsupportedOperationError

OPSET = 17  # onnxruntime >= 1.14 runs it; IR version 8 goes with it
IR_VERSION = 8
DTYPES = {"float32": TensorProto.FLOAT, "float64": TensorProto.DOUBLE}

# op name -> (ONNX operator, where the node's constant goes: None, "first", "last", "alpha")
ONNX_OPS: dict[str, tuple[str, str | None]] = {
    "add": ("Add", None),
    "sub": ("Sub", None),
    "mul": ("Mul", None),
    "div": ("Div", None),
    "pow": ("Pow", None),
    "add_const": ("Add", "last"),
    "sub_const": ("Sub", "last"),
    "rsub_const": ("Sub", "first"),
    "mul_const": ("Mul", "last"),
    "div_const": ("Div", "last"),
    "rdiv_const": ("Div", "first"),
    "pow_const": ("Pow", "last"),
    "rpow_const": ("Pow", "first"),
    "neg": ("Neg", None),
    "abs": ("Abs", None),
    "exp": ("Exp", None),
    "log": ("Log", None),
    "sqrt": ("Sqrt", None),
    "tanh": ("Tanh", None),
    "sigmoid": ("Sigmoid", None),
    "softplus": ("Softplus", None),  # onnxruntime has it for float32 only
    "sin": ("Sin", None),  # float64 Sin and Cos: not in onnxruntime 1.23, in 1.32
    "cos": ("Cos", None),
    "relu": ("Relu", None),
    "leaky_relu": ("LeakyRelu", "alpha"),
    "sum": ("Sum", None),
    "max": ("Max", None),
}


def _elem_type(dtype: str) -> int:
    if dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
    return DTYPES[dtype]


class _Constants:
    """Scalar initializers, one per distinct number."""

    def __init__(self, dtype: str) -> None:
        self.dtype = dtype
        self.names: dict[str, str] = {}  # keyed by float.hex: 0.0 and -0.0 stay apart
        self.tensors: list[TensorProto] = []

    def __call__(self, value: float) -> str:
        key = float(value).hex()
        if key not in self.names:
            name = f"_k{len(self.names)}"
            self.names[key] = name
            self.tensors.append(numpy_helper.from_array(np.array(value, self.dtype), name))
        return self.names[key]


def tape_to_onnx(tape: Tape, dtype: str = "float32") -> onnx.ModelProto:
    """An ONNX model computing the tape: one 1-D input per tape input, same length N.

    Raises UnsupportedOperationError naming any instruction ONNX has no operator for,
    and ValueError for an output that does not depend on any input.
    """
    elem_type = _elem_type(dtype)
    missing = sorted({ins.op.name for ins in tape.instructions} - set(ONNX_OPS))
    if missing:
        raise UnsupportedOperationError(
            f"no ONNX operator for {', '.join(map(repr, missing))} (see export.ONNX_OPS)"
        )
    n_in = len(tape.input_names)
    first_step = n_in + len(tape.constants)
    output_names = ["y"] if tape.single_output else [f"y{i}" for i in range(len(tape.outputs))]
    input_names = _input_names(tape.input_names, reserved=set(output_names))
    constants = _Constants(dtype)
    slot_names = input_names + [constants(value) for value, _ in tape.constants]
    slot_names += [f"_v{ins.out}" for ins in tape.instructions]

    nodes = [
        _node(
            ins.op.name,
            [slot_names[a] for a in ins.args],
            ins.const,
            slot_names[ins.out],
            constants,
        )
        for ins in tape.instructions
    ]
    for name, slot in zip(output_names, tape.outputs):
        if n_in <= slot < first_step:
            raise ValueError(f"output {name} does not depend on any input: nothing to compute")
        nodes.append(helper.make_node("Identity", [slot_names[slot]], [name]))
    graph = helper.make_graph(
        nodes,
        "tape",
        [helper.make_tensor_value_info(name, elem_type, ["N"]) for name in input_names],
        [helper.make_tensor_value_info(name, elem_type, ["N"]) for name in output_names],
        initializer=constants.tensors,
    )
    return _finish(graph, doc=str(tape))


def _input_names(labels: tuple[str, ...], reserved: set[str]) -> list[str]:
    """The tape's labels when they make distinct plain names, else x0, x1, ..."""
    usable = all(n.isidentifier() and not n.startswith("_") and n not in reserved for n in labels)
    if usable and len(set(labels)) == len(labels):
        return list(labels)
    return [f"x{i}" for i in range(len(labels))]


def _node(
    name: str, args: list[str], const: float | None, out: str, constants: _Constants | None
) -> onnx.NodeProto:
    op_type, place = ONNX_OPS[name]
    if place is None or const is None:
        return helper.make_node(op_type, args, [out])
    if place == "alpha":
        return helper.make_node(op_type, args, [out], alpha=const)
    assert constants is not None  # only activations (no constant operand) pass None
    c = constants(const)
    return helper.make_node(op_type, [c, *args] if place == "first" else [*args, c], [out])


def _finish(graph: onnx.GraphProto, doc: str) -> onnx.ModelProto:
    model = helper.make_model(
        graph,
        producer_name="glassgrad",
        opset_imports=[helper.make_opsetid("", OPSET)],
        doc_string=doc,
    )
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model, full_check=True)
    return model


def mlp_to_onnx(model: MLP, dtype: str = "float32") -> onnx.ModelProto:
    """The network as ONNX: input "x" of shape (N, nin), output "y" of shape (N, outputs).

    Each layer becomes Gemm (y = x W^T + b, W stored as in PyTorch's Linear: one row
    per neuron) then its activation. Raises UnsupportedOperationError for an
    activation ONNX has no operator for.
    """
    elem_type = _elem_type(dtype)
    nodes, initializers = [], []
    previous = "x"
    for k, layer in enumerate(model.layers, start=1):
        weights = layer_weights(layer)
        name = f"L{k}"
        initializers += [
            numpy_helper.from_array(weights.W.astype(dtype), f"{name}.W"),
            numpy_helper.from_array(weights.b.astype(dtype), f"{name}.b"),
        ]
        activation = _activation(layer, name)
        last = k == len(model.layers)
        affine = "y" if last and activation is None else f"{name}.z"
        nodes.append(
            helper.make_node("Gemm", [previous, f"{name}.W", f"{name}.b"], [affine], transB=1)
        )
        previous = affine
        if activation is not None:
            previous = "y" if last else name
            nodes.append(_node(activation.name, [affine], activation.const, previous, None))
    graph = helper.make_graph(
        nodes,
        "mlp",
        [helper.make_tensor_value_info("x", elem_type, ["N", model.nin])],
        [helper.make_tensor_value_info("y", elem_type, ["N", model.layers[-1].nout])],
        initializer=initializers,
    )
    return _finish(graph, doc=repr(model))


@dataclass(frozen=True)
class _Activation:
    name: str
    const: float | None


def _activation(layer: Layer, where: str) -> _Activation | None:
    """The operation a neuron applies after its sum (None for linear), read from its graph."""
    out = layer.neurons[0]([Value(0.0) for _ in range(layer.nin)])
    assert out.op is not None  # a neuron always ends in its sum or an activation
    if out.op.name == "sum":
        return None
    if out.op.name not in ONNX_OPS or out.op.arity != 1:
        raise UnsupportedOperationError(
            f"{where}: no ONNX operator for the activation {out.op.name!r} (see export.ONNX_OPS)"
        )
    return _Activation(out.op.name, out.const)


def check_with_onnxruntime(
    onnx_model: onnx.ModelProto, model: MLP, samples: int = 100, seed: int = 0
) -> float:
    """Run an exported MLP in onnxruntime on random inputs (standard normal): the largest
    |difference| from the engine's outputs on the same inputs. Needs onnxruntime."""
    import onnxruntime  # type: ignore[import-untyped]  # here: exporting does not need it

    elem_type = onnx_model.graph.input[0].type.tensor_type.elem_type
    dtype = helper.tensor_dtype_to_np_dtype(elem_type)
    X = np.random.default_rng(seed).normal(size=(samples, model.nin)).astype(dtype)
    session = onnxruntime.InferenceSession(
        onnx_model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    (outputs,) = session.run(None, {"x": X})
    with no_grad():
        reference = [model([float(v) for v in row]) for row in X]
    expected = np.array([[v.data for v in (r if isinstance(r, list) else [r])] for r in reference])
    return float(np.max(np.abs(outputs - expected)))


def save(model: onnx.ModelProto, path: str | os.PathLike[str]) -> None:
    """Write the model to `path` through a temporary file, so a failure leaves no half file."""
    write_atomically(path, model.SerializeToString())
