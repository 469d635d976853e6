"""Convolution and pooling on nested lists of Values: Conv2d, MaxPool2d, AvgPool2d, Flatten.

An image is a nested list `[channels][height][width]` of Values or plain numbers, one
sample at a time. The layers take PyTorch's names and arguments and give PyTorch's
numbers (`torch.nn.functional.conv2d`, `max_pool2d`, `avg_pool2d` on the same weights),
but every multiply and every sum is a node of the graph:

- a filter weight is ONE leaf used at every position of the image, so its gradient is
  the sum of what each position sends back (the "several paths" rule);
- each output of a convolution is one sum node over its products and the bias;
- each output of a max pool is one `max` node over its window: the gradient goes to
  the window's winner only (ties: the first largest, in row-major order, as PyTorch).

Labels, for drawings (`viz.draw(..., collapse="channel")`): in a layer named "L1" the
weight `weight[o][i][ky][kx]` is labelled "L1.weight[o,i,ky,kx]", the bias "L1.bias[o]"
and the output at channel c, row y, column x "L1[c,y,x]". Indices count from 0, as
list indices do. A standalone layer is named after its kind ("conv", "maxpool", ...);
`Sequential` renames its layers "L1", "L2", ...
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .. import functional as F
from ..engine import Operand, Value
from .modules import Module, Seed, _check_count, _check_keys, _ParameterFree, make_rng
from .shapes import format_shape, shape_of

Image = Sequence[Sequence[Sequence[Operand]]]
Pair = tuple[int, int]


def _pair(value: object, what: str, least: int = 1) -> Pair:
    """An int or a pair of ints (height, width), as PyTorch's kernel_size and stride."""
    items: list[object] = list(value) if isinstance(value, (tuple, list)) else [value, value]
    if len(items) != 2:
        raise ValueError(f"{what} must be an int or a pair of ints, got {value!r}")
    numbers: list[int] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, int):
            raise TypeError(f"{what} must be an int or a pair of ints, got {value!r}")
        if item < least:
            raise ValueError(f"{what} must be at least {least}, got {value!r}")
        numbers.append(item)
    return numbers[0], numbers[1]


def _plain(pair: Pair) -> int | list[int]:
    """How a pair is written in a model file: one int when both are equal."""
    return pair[0] if pair[0] == pair[1] else list(pair)


def _image_shape(x: object, layer: str, channels: int | None) -> tuple[int, int, int]:
    expected = "an image [channels][height][width]"
    if channels is not None:
        expected = f"an image [{channels}][height][width]"
    c, h, w = shape_of(x, 3, layer, expected)
    if channels is not None and c != channels:
        raise ValueError(
            f"{layer} expects an image [{channels}][height][width], got {format_shape((c, h, w))}"
            f" ({c} channels where {channels} were expected)"
        )
    return c, h, w


def _output_size(
    layer: str, size: tuple[int, int, int], kernel: Pair, stride: Pair, padding: Pair
) -> Pair:
    """(height, width) of the output; a ValueError when the kernel does not fit."""
    _, h, w = size
    padded = (h + 2 * padding[0], w + 2 * padding[1])
    if kernel[0] > padded[0] or kernel[1] > padded[1]:
        raise ValueError(
            f"{layer} expects an image whose padded size is at least the kernel "
            f"{kernel[0]}x{kernel[1]}, got {format_shape(size)} (padded to "
            f"{padded[0]}x{padded[1]})"
        )
    return (padded[0] - kernel[0]) // stride[0] + 1, (padded[1] - kernel[1]) // stride[1] + 1


def _grid(
    channels: int, height: int, width: int, name: str, output: Callable[[int, int, int], Value]
) -> list[list[list[Value]]]:
    """[channels][height][width] of output(c, y, x), each labelled "name[c,y,x]"."""
    grid = []
    for c in range(channels):
        plane = []
        for y in range(height):
            row = []
            for x in range(width):
                value = output(c, y, x)
                value.label = f"{name}[{c},{y},{x}]"
                row.append(value)
            plane.append(row)
        grid.append(plane)
    return grid


_Gather = Callable[[Sequence[Any]], Sequence[Any]]


def _gather(indices: list[int]) -> _Gather:
    """A function picking items at `indices` from a list, as a tuple (operator.itemgetter,
    which returns a bare item for one index)."""
    if len(indices) == 1:
        (k,) = indices
        return lambda items: (items[k],)
    getter: _Gather = operator.itemgetter(*indices)
    return getter


class Conv2d(Module):
    """A 2-D convolution (cross-correlation, as in PyTorch) with `out_channels` filters.

    `weight[o][i][ky][kx]` and `bias[o]` are nested lists of leaf Values laid out as
    PyTorch's `Conv2d.weight` and `.bias`. They start as PyTorch's defaults do: uniform
    in +-1/sqrt(fan_in), fan_in = in_channels * kernel height * kernel width (Kaiming
    uniform with a = sqrt(5)), drawn from `seed` (not from PyTorch's generator).

    Output [o][y][x] = bias[o] + sum over i, ky, kx of
    weight[o][i][ky][kx] * input[i][y * stride + ky - padding][x * stride + kx - padding];
    positions in the zero padding are left out of the sum (they add 0).

    Shape:
        - Input: `[in_channels][H][W]`
        - Output: `[out_channels][H_out][W_out]` with
          H_out = (H + 2 * padding - kernel_height) // stride + 1 (W_out the same way)
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | Sequence[int],
        stride: int | Sequence[int] = 1,
        padding: int | Sequence[int] = 0,
        seed: Seed = 0,
        *,
        name: str = "conv",
    ) -> None:
        self.in_channels = _check_count(in_channels, "in_channels")
        self.out_channels = _check_count(out_channels, "out_channels")
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = _pair(stride, "stride")
        self.padding = _pair(padding, "padding", least=0)
        rng = make_rng(seed)
        kh, kw = self.kernel_size
        bound = 1.0 / math.sqrt(in_channels * kh * kw)
        self.weight = [
            [
                [[Value(rng.uniform(-bound, bound)) for _ in range(kw)] for _ in range(kh)]
                for _ in range(in_channels)
            ]
            for _ in range(out_channels)
        ]
        self.bias = [Value(rng.uniform(-bound, bound)) for _ in range(out_channels)]
        self._plans: dict[tuple[int, int], list[tuple[_Gather, _Gather]]] = {}
        self.rename(name)

    def rename(self, name: str) -> None:
        """Label the parameters (and later outputs) with `name`: "L1.weight[0,0,1,2]"."""
        self.name = name
        for o, filters in enumerate(self.weight):
            for i, rows in enumerate(filters):
                for ky, row in enumerate(rows):
                    for kx, w in enumerate(row):
                        w.label = f"{name}.weight[{o},{i},{ky},{kx}]"
            self.bias[o].label = f"{name}.bias[{o}]"

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        for filters in self.weight:
            for rows in filters:
                for row in rows:
                    for w in row:
                        yield w.label or "", w
        for b in self.bias:
            yield b.label or "", b

    def __call__(self, x: Image) -> list[list[list[Value]]]:
        size = _image_shape(x, repr(self), self.in_channels)
        out_h, out_w = _output_size(repr(self), size, self.kernel_size, self.stride, self.padding)
        pixels = [v for channel in x for row in channel for v in row]
        plan = self._plan(size[1], size[2], out_h, out_w)
        sum_node, mul = F.sum, operator.mul
        out = []
        for o, filters in enumerate(self.weight):
            weights = [w for rows in filters for row in rows for w in row]
            bias = self.bias[o]
            plane = []
            for y in range(out_h):
                row_out = []
                for x_out in range(out_w):
                    taps, inputs = plan[y * out_w + x_out]
                    # One product per weight over the image (padding left out), ONE sum node.
                    total = sum_node([*map(mul, taps(weights), inputs(pixels)), bias])
                    total.label = f"{self.name}[{o},{y},{x_out}]"
                    row_out.append(total)
                plane.append(row_out)
            out.append(plane)
        return out

    def _plan(self, h: int, w: int, out_h: int, out_w: int) -> list[tuple[_Gather, _Gather]]:
        """For each output position: which weights (of one filter, flattened) meet which
        pixels (of the flattened image). Computed once per image size."""
        key = (h, w)
        if key not in self._plans:
            (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
            plan = []
            for y in range(out_h):
                for x in range(out_w):
                    taps, pixels = [], []
                    for i in range(self.in_channels):
                        for ky in range(kh):
                            for kx in range(kw):
                                iy, ix = y * sh + ky - ph, x * sw + kx - pw
                                if 0 <= iy < h and 0 <= ix < w:
                                    taps.append((i * kh + ky) * kw + kx)
                                    pixels.append((i * h + iy) * w + ix)
                    plan.append((_gather(taps), _gather(pixels)))
            self._plans[key] = plan
        return self._plans[key]

    def architecture(self) -> dict[str, Any]:
        return {
            "in_channels": self.in_channels,
            "out_channels": self.out_channels,
            "kernel_size": _plain(self.kernel_size),
            "stride": _plain(self.stride),
            "padding": _plain(self.padding),
        }

    @classmethod
    def parameters_in(cls, architecture: dict[str, Any]) -> int:
        _check_keys(
            architecture, {"in_channels", "out_channels", "kernel_size", "stride", "padding"}
        )
        c_in = _check_count(architecture["in_channels"], "in_channels")
        c_out = _check_count(architecture["out_channels"], "out_channels")
        kh, kw = _pair(architecture["kernel_size"], "kernel_size")
        _pair(architecture["stride"], "stride")
        _pair(architecture["padding"], "padding", least=0)
        return c_out * (c_in * kh * kw + 1)

    def __repr__(self) -> str:
        extra = "" if self.stride == (1, 1) else f", stride={_plain(self.stride)}"
        extra += "" if self.padding == (0, 0) else f", padding={_plain(self.padding)}"
        return (
            f"Conv2d({self.in_channels}, {self.out_channels}, "
            f"kernel_size={_plain(self.kernel_size)}{extra})"
        )


class _Pool(_ParameterFree):
    """What MaxPool2d and AvgPool2d share: windows over each channel, no parameters."""

    kind = "pool"

    def __init__(
        self,
        kernel_size: int | Sequence[int],
        stride: int | Sequence[int] | None = None,
        *,
        name: str = "",
    ) -> None:
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = self.kernel_size if stride is None else _pair(stride, "stride")
        super().__init__(name=name)

    def _reduce(self, window: list[Operand]) -> Value:
        raise NotImplementedError

    def __call__(self, x: Image) -> list[list[list[Value]]]:
        size = _image_shape(x, repr(self), None)
        out_h, out_w = _output_size(repr(self), size, self.kernel_size, self.stride, (0, 0))
        (kh, kw), (sh, sw) = self.kernel_size, self.stride

        def output(c: int, oy: int, ox: int) -> Value:
            rows = x[c][oy * sh : oy * sh + kh]
            # Row-major: the order that decides ties in a max.
            return self._reduce([v for row in rows for v in row[ox * sw : ox * sw + kw]])

        return _grid(len(x), out_h, out_w, self.name, output)

    def architecture(self) -> dict[str, Any]:
        return {"kernel_size": _plain(self.kernel_size), "stride": _plain(self.stride)}

    @classmethod
    def parameters_in(cls, architecture: dict[str, Any]) -> int:
        _check_keys(architecture, {"kernel_size", "stride"})
        _pair(architecture["kernel_size"], "kernel_size")
        _pair(architecture["stride"], "stride")
        return 0

    def __repr__(self) -> str:
        stride = "" if self.stride == self.kernel_size else f", stride={_plain(self.stride)}"
        return f"{type(self).__name__}(kernel_size={_plain(self.kernel_size)}{stride})"


class MaxPool2d(_Pool):
    """The largest value in each window, per channel: one `max` node per output.

    The gradient goes to the winner of each window only. Ties follow PyTorch's
    max_pool2d: the first largest value in row-major order wins (see `functional.max`).
    `stride` defaults to `kernel_size` (windows side by side), as in PyTorch.

    Shape:
        - Input: `[C][H][W]`
        - Output: `[C][H_out][W_out]` with H_out = (H - kernel_height) // stride + 1
    """

    kind = "maxpool"

    def _reduce(self, window: list[Operand]) -> Value:
        return F.max(window)


class AvgPool2d(_Pool):
    """The mean of each window, per channel: a sum node, then a division by its size.

    `stride` defaults to `kernel_size`, as in PyTorch.

    Shape:
        - Input: `[C][H][W]`
        - Output: `[C][H_out][W_out]` with H_out = (H - kernel_height) // stride + 1
    """

    kind = "avgpool"

    def _reduce(self, window: list[Operand]) -> Value:
        return F.sum(window) / float(len(window))


class Flatten(_ParameterFree):
    """A nested list of any depth as one flat list, in row-major order (as torch.flatten).

    It makes no nodes: the Values are the same objects, only the list is new.

    Shape:
        - Input: `[C][H][W]` (or any nesting)
        - Output: `[C * H * W]`
    """

    kind = "flatten"

    def __call__(self, x: Sequence[Any]) -> list[Value]:
        flat: list[Any] = []
        stack: list[Any] = [x]
        while stack:
            item = stack.pop()
            if isinstance(item, (list, tuple)):
                stack.extend(reversed(item))
            else:
                flat.append(item)
        return flat

    def __repr__(self) -> str:
        return "Flatten()"
