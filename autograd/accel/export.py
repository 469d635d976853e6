"""The way out to real runtimes: a trained MLP, CNN (or a compiled tape) as an ONNX model.

ONNX is the exchange format that onnxruntime, TensorRT, OpenVINO and most NPU
toolchains read. `mlp_to_onnx` writes each layer as the tensor operation a runtime
wants: one Gemm (all the layer's multiply-accumulates and biases at once) and one
activation; `sequential_to_onnx` writes a CNN as Conv, Relu, MaxPool, Flatten and
Gemm. `tape_to_onnx` writes one ONNX node per tape instruction, on 1-D tensors
holding a whole batch. Every model is checked with `onnx.checker` before it is
returned. Exported models follow IEEE arithmetic (log of a negative number is NaN)
where the engine raises: a runtime has no way to name the sample.

Agreement with the engine (tests/test_export.py): float64 models match to 1e-12;
float32 models to about 1e-6 relative, the rounding of float32 itself.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import onnx
from onnx import TensorProto, helper, numpy_helper

from ..engine import Value
from ..files import write_atomically
from ..modes import no_grad
from ..nn.conv import AvgPool2d, Conv2d, Flatten, MaxPool2d
from ..nn.modules import MLP, Layer
from ..nn.sequential import Linear, ReLU, Sequential, Sigmoid, Tanh
from .precision import layer_weights
from .tape import Tape, UnsupportedOperationError

OPSET = 17  # onnxruntime >= 1.14 runs it; IR version 8 goes with it
IR_VERSION = 8
DTYPES = {"float32": TensorProto.FLOAT, "float64": TensorProto.DOUBLE}
# An MLP may also be written in float16: weights and arithmetic in float16, while its
# input and output stay float32 (a Cast at each end), as FP16 deployments usually keep them.
MLP_DTYPES = (*DTYPES, "float16")

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
        defined = any(not ins.op.builtin for ins in tape.instructions)
        note = "; operations made with define_op cannot be exported" if defined else ""
        raise UnsupportedOperationError(
            f"no ONNX operator for {', '.join(map(repr, missing))} (see export.ONNX_OPS{note})"
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
    per neuron) then its activation. `dtype` is one of MLP_DTYPES; for "float16" the
    weights and every operation are float16 between a Cast of the float32 input and a
    Cast of the output back to float32. Raises UnsupportedOperationError for an
    activation ONNX has no operator for.
    """
    io_type, previous, output, nodes, cast_back = _precision_ends(dtype)
    initializers = []
    for k, layer in enumerate(model.layers, start=1):
        weights = layer_weights(layer)
        name = f"L{k}"
        initializers += [
            numpy_helper.from_array(weights.W.astype(dtype), f"{name}.W"),
            numpy_helper.from_array(weights.b.astype(dtype), f"{name}.b"),
        ]
        activation = _activation(layer, name)
        last = k == len(model.layers)
        affine = output if last and activation is None else f"{name}.z"
        nodes.append(
            helper.make_node("Gemm", [previous, f"{name}.W", f"{name}.b"], [affine], transB=1)
        )
        previous = affine
        if activation is not None:
            previous = output if last else name
            nodes.append(_node(activation.name, [affine], activation.const, previous, None))
    nodes += cast_back
    graph = helper.make_graph(
        nodes,
        "mlp",
        [helper.make_tensor_value_info("x", io_type, ["N", model.nin])],
        [helper.make_tensor_value_info("y", io_type, ["N", model.layers[-1].nout])],
        initializer=initializers,
    )
    return _finish(graph, doc=repr(model))


def _precision_ends(dtype: str) -> tuple[int, str, str, list[onnx.NodeProto], list[onnx.NodeProto]]:
    """How a model's graph at `dtype` (one of MLP_DTYPES) begins and ends: its input and
    output type, the name its first layer reads, the name its last layer writes, the
    nodes before the first layer and the nodes after the last. float16 runs between a
    Cast of the float32 input "x" and a Cast of the output back to float32 "y"."""
    if dtype not in MLP_DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(MLP_DTYPES)}, got {dtype!r}")
    if dtype != "float16":
        return DTYPES[dtype], "x", "y", [], []
    return (
        TensorProto.FLOAT,
        "x16",
        "y16",
        [helper.make_node("Cast", ["x"], ["x16"], to=TensorProto.FLOAT16)],
        [helper.make_node("Cast", ["y16"], ["y"], to=TensorProto.FLOAT)],
    )


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


# --- a Sequential CNN: one ONNX operator per layer ---


def _nested_array(values: object, dtype: str) -> Any:
    """A nested list of Values (a weight tensor) as a NumPy array of their data."""

    def data(x: object) -> object:
        return [data(item) for item in x] if isinstance(x, list) else x.data  # type: ignore[attr-defined]

    return np.array(data(values), dtype=dtype)


def sequential_to_onnx(
    model: Sequential, input_shape: Sequence[int], dtype: str = "float32"
) -> onnx.ModelProto:
    """A Sequential CNN (Conv2d, ReLU, Tanh, Sigmoid, MaxPool2d, AvgPool2d, Flatten,
    Linear) as ONNX: input "x" of shape (N, *input_shape), e.g. (N, 1, 8, 8) for the
    digits; output "y" of shape (N, outputs).

    Each layer is one operator: Conv (weight and bias as PyTorch lays them out), Relu,
    Tanh, Sigmoid, MaxPool, AveragePool, Flatten (axis 1), Gemm. In float64 a Conv is
    written unfolded (Gather of the patches, MatMul by the filters, Add of the bias),
    because onnxruntime has no float64 Conv kernel; it has no float64 AveragePool either.
    `dtype` is one of MLP_DTYPES: as for an MLP, "float16" keeps the weights and every
    operation in float16 between a Cast of the float32 input and a Cast of the output.
    Raises UnsupportedOperationError naming a layer it has no operator for (RNN and
    LSTM: compile an unrolled graph with `accel.tape` and use `tape_to_onnx` instead).
    """
    elem_type, previous, output, nodes, cast_back = _precision_ends(dtype)
    initializers = []
    c, h, w = input_shape
    shape = (c, h, w)  # of the current activation, while it is an image
    features = c * h * w  # its size, flat
    for k, module in enumerate(model.modules, start=1):
        name = f"L{k}"
        out = output if k == len(model.modules) else name
        _check_fits(name, module, shape, features, input_shape)
        inputs = [previous]
        attributes: dict[str, Any] = {}
        if isinstance(module, Conv2d) and dtype == "float64":
            # onnxruntime has no float64 Conv kernel: the same sums as patches times filters.
            shape, conv_nodes, conv_initializers = _unfolded_conv(
                module, shape, name, previous, out, dtype
            )
            nodes += conv_nodes
            initializers += conv_initializers
            previous = out
            features = math.prod(shape)
            continue
        if isinstance(module, Conv2d):
            op_type = "Conv"
            initializers += [
                numpy_helper.from_array(_nested_array(module.weight, dtype), f"{name}.weight"),
                numpy_helper.from_array(_nested_array(module.bias, dtype), f"{name}.bias"),
            ]
            inputs += [f"{name}.weight", f"{name}.bias"]
            (ph, pw) = module.padding
            attributes = {
                "kernel_shape": list(module.kernel_size),
                "strides": list(module.stride),
                "pads": [ph, pw, ph, pw],
            }
            shape = conv_output_shape(module, shape)
        elif isinstance(module, (MaxPool2d, AvgPool2d)):
            op_type = "MaxPool" if isinstance(module, MaxPool2d) else "AveragePool"
            attributes = {"kernel_shape": list(module.kernel_size), "strides": list(module.stride)}
            shape = pool_output_shape(module, shape)
        elif isinstance(module, Flatten):
            op_type, attributes = "Flatten", {"axis": 1}
        elif isinstance(module, Linear):
            op_type, attributes = "Gemm", {"transB": 1}
            weights = layer_weights(module)
            initializers += [
                numpy_helper.from_array(weights.W.astype(dtype), f"{name}.W"),
                numpy_helper.from_array(weights.b.astype(dtype), f"{name}.b"),
            ]
            inputs += [f"{name}.W", f"{name}.b"]
        elif type(module) in _ELEMENTWISE:
            op_type = _ELEMENTWISE[type(module)]
        else:
            raise UnsupportedOperationError(
                f"{name}: no ONNX operator for {module!r} (RNN and LSTM export unrolled: "
                "accel.tape.compile, then tape_to_onnx)"
            )
        nodes.append(helper.make_node(op_type, inputs, [out], name=name, **attributes))
        previous = out
        if isinstance(module, Linear):
            features = module.nout
        elif isinstance(module, (Conv2d, MaxPool2d, AvgPool2d)):
            features = math.prod(shape)
    nodes += cast_back
    outputs = model.modules[-1]
    width = outputs.nout if isinstance(outputs, Linear) else None
    graph = helper.make_graph(
        nodes,
        "cnn",
        [helper.make_tensor_value_info("x", elem_type, ["N", *input_shape])],
        [helper.make_tensor_value_info("y", elem_type, ["N", width] if width else None)],
        initializer=initializers,
    )
    return _finish(graph, doc=repr(model))


_ELEMENTWISE: dict[type, str] = {ReLU: "Relu", Tanh: "Tanh", Sigmoid: "Sigmoid"}
Shape = tuple[int, int, int]


def _check_fits(
    name: str, module: object, shape: Shape, features: int, input_shape: Sequence[int]
) -> None:
    """A ValueError naming the layer that `input_shape` does not fit, before any ONNX is
    made (onnx's own check would fail later, far from the cause)."""
    problem = None
    if isinstance(module, Conv2d) and shape[0] != module.in_channels:
        problem = f"takes {module.in_channels} channels, gets {shape[0]}"
    elif isinstance(module, (Conv2d, MaxPool2d, AvgPool2d)):
        after = (
            conv_output_shape(module, shape)
            if isinstance(module, Conv2d)
            else pool_output_shape(module, shape)
        )
        if min(after[1:]) < 1:
            problem = f"gets an image of {shape[1]}x{shape[2]}, too small for its kernel"
    elif isinstance(module, Linear) and module.nin != features:
        problem = f"takes {module.nin} inputs, gets {features}"
    if problem is not None:
        raise ValueError(f"{name}: {module!r} {problem} (input shape {tuple(input_shape)})")


def conv_output_shape(conv: Conv2d, shape: Shape) -> Shape:
    (kh, kw), (sh, sw), (ph, pw) = conv.kernel_size, conv.stride, conv.padding
    _, h, w = shape
    return conv.out_channels, (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1


def pool_output_shape(pool: MaxPool2d | AvgPool2d, shape: Shape) -> Shape:
    (kh, kw), (sh, sw) = pool.kernel_size, pool.stride
    c, h, w = shape
    return c, (h - kh) // sh + 1, (w - kw) // sw + 1


def _unfolded_conv(
    conv: Conv2d, shape: Shape, name: str, source: str, out: str, dtype: str
) -> tuple[Shape, list[onnx.NodeProto], list[TensorProto]]:
    """A convolution as Reshape -> Pad (one zero for the padding) -> Gather (the patch of
    each output position) -> MatMul (by the filters) -> Add (bias) -> Transpose -> Reshape:
    the same products and sums as Conv, in operators onnxruntime runs in float64."""
    c, h, w = shape
    out_c, out_h, out_w = conv_output_shape(conv, shape)
    (kh, kw), (sh, sw), (ph, pw) = conv.kernel_size, conv.stride, conv.padding
    zero = c * h * w  # the index of the padding zero, appended after the pixels
    patches = np.full((out_h * out_w, c * kh * kw), zero, dtype=np.int64)
    for y in range(out_h):
        for x in range(out_w):
            for i in range(c):
                for ky in range(kh):
                    for kx in range(kw):
                        iy, ix = y * sh + ky - ph, x * sw + kx - pw
                        if 0 <= iy < h and 0 <= ix < w:
                            patches[y * out_w + x, (i * kh + ky) * kw + kx] = (i * h + iy) * w + ix
    filters = _nested_array(conv.weight, dtype).reshape(out_c, c * kh * kw).T
    tensors = {
        f"{name}.flat": np.array([0, c * h * w], dtype=np.int64),
        f"{name}.pads": np.array([0, 0, 0, 1], dtype=np.int64),
        f"{name}.patches": patches,
        f"{name}.filters": np.ascontiguousarray(filters),
        f"{name}.bias": _nested_array(conv.bias, dtype),
        f"{name}.shape": np.array([0, out_c, out_h, out_w], dtype=np.int64),
    }
    nodes = [
        helper.make_node("Reshape", [source, f"{name}.flat"], [f"{name}.pixels"]),
        helper.make_node("Pad", [f"{name}.pixels", f"{name}.pads"], [f"{name}.padded"]),
        helper.make_node("Gather", [f"{name}.padded", f"{name}.patches"], [f"{name}.p"], axis=1),
        helper.make_node("MatMul", [f"{name}.p", f"{name}.filters"], [f"{name}.products"]),
        helper.make_node("Add", [f"{name}.products", f"{name}.bias"], [f"{name}.sums"]),
        helper.make_node("Transpose", [f"{name}.sums"], [f"{name}.t"], perm=[0, 2, 1]),
        helper.make_node("Reshape", [f"{name}.t", f"{name}.shape"], [out]),
    ]
    return (out_c, out_h, out_w), nodes, [numpy_helper.from_array(v, k) for k, v in tensors.items()]


def check_cnn_with_onnxruntime(
    onnx_model: onnx.ModelProto, model: Sequential, images: npt.ArrayLike
) -> float:
    """Run an exported CNN in onnxruntime on `images` (n images [C][H][W], lists or an array): the
    largest |difference| from the engine's outputs on the same images."""
    import onnxruntime

    elem_type = onnx_model.graph.input[0].type.tensor_type.elem_type
    X = np.array(images, dtype=helper.tensor_dtype_to_np_dtype(elem_type))
    session = onnxruntime.InferenceSession(
        onnx_model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    (outputs,) = session.run(None, {"x": X})
    with no_grad():
        expected = np.array(
            [
                [
                    v.data
                    for v in model(
                        [[list(map(float, row)) for row in channel] for channel in image]
                    )
                ]
                for image in X
            ]
        )
    return float(np.max(np.abs(outputs - expected)))
