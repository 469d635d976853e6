# %% [markdown] en
# # 12. Why accelerators
#
# The study notes end with hardware. Their argument: the work of a neural network is
# multiply-accumulate operations (MACs: `sum += w * x`) in enormous numbers. One hidden
# layer of 1000 neurons, each with 1000 inputs, is a million multiply-adds per sample;
# add dozens of layers, thousands of samples and hundreds of epochs, and a CPU working
# step by step cannot keep up. GPUs run the same instruction on many numbers at once
# (SIMD); NPUs go further with arrays of MAC units, a fixed graph of operations compiled
# ahead of time, and small number formats (INT8, FP16).
#
# Each part of that argument is something we can measure with this project: count the
# MACs, time the scalar engine against one vectorised pass of the same computation, and
# round a trained network to INT8 and FP16.
# %% [markdown] ko
# # 12. 가속기는 왜 필요한가
#
# 학습 노트는 하드웨어 이야기로 끝나요. 노트의 논리는 이래요. 신경망이 하는 일은
# 곱셈-누산(MAC, multiply-accumulate: `sum += w * x`)이고, 그 수가 엄청나요. 뉴런
# 1000개가 각각 입력 1000개를 받는 은닉층 하나만으로도 샘플 하나당 곱셈과 덧셈이 100만
# 번이에요. 층이 수십 개, 샘플이 수천 개, 에포크(epoch)가 수백 번이면 한 단계씩
# 처리하는 CPU로는 감당이 안 돼요. GPU는 같은 명령을 여러 숫자에 한꺼번에
# 실행하고(SIMD), NPU는 한발 더 나아가 MAC 유닛 배열(MAC array), 미리 컴파일된 고정된
# 연산 그래프, 작은 숫자 형식(INT8, FP16)을 써요.
#
# 이 논리의 각 부분을 이 프로젝트로 직접 재 볼 수 있어요. MAC 수를 세고, 스칼라
# 엔진과 같은 계산을 한 번에 벡터화해서 처리하는 방식의 시간을 비교하고, 학습된
# 신경망을 INT8과 FP16으로 반올림해 볼 거예요.

# %% [markdown] en
# ## Counting multiply-accumulates
#
# `graph_stats` walks a graph and counts its nodes, its operations and its MACs: every
# product that feeds a sum. First the notes' neuron (inputs [0.6, 0.2, 0.9], weights
# [0.8, 0.1, 0.3], bias 0.2): three MACs.
# %% [markdown] ko
# ## 곱셈-누산 세기
#
# `graph_stats`는 그래프를 훑어서 노드, 연산, 그리고 MAC(합으로 들어가는 모든 곱셈)의
# 수를 세요. 먼저 노트의 뉴런(입력 [0.6, 0.2, 0.9], 가중치 [0.8, 0.1, 0.3], 편향
# 0.2)이에요. MAC은 세 번이에요.

# %%
import time

import numpy as np

from autograd import Value, accel, graph_stats, no_grad
from autograd.accel import export
from autograd.accel.precision import (
    format_report,
    int8_scale,
    layer_weights,
    precision_report,
    to_int8,
)
from autograd.nn import Layer, Neuron
from autograd.nn.data import moons
from autograd.nn.train import prepare

neuron = Neuron(3, "sigmoid")
neuron.load_state_dict({"w1": 0.8, "w2": 0.1, "w3": 0.3, "b": 0.2})
inputs = [Value(0.6, label="x1"), Value(0.2, label="x2"), Value(0.9, label="x3")]
out = neuron(inputs)
print(f"output {out.data:.4f}")
print(graph_stats(out, neuron))

# %% [markdown] en
# A layer of n neurons with n inputs each does n x n MACs per sample. We build square
# layers for one sample and count:
# %% [markdown] ko
# 입력이 n개인 뉴런 n개로 된 층은 샘플 하나당 n x n 번의 MAC을 해요. 정사각형 층을
# 만들어서 샘플 하나를 넣고 세어 볼게요.

# %%
for n in (10, 100, 300):
    layer = Layer(n, n, "linear", seed=0)
    stats = graph_stats(layer([Value(0.5) for _ in range(n)]), layer)
    print(
        f"{n:4} x {n:<4}: {stats.macs:>9,} MACs, {stats.nodes:>9,} nodes in the graph, "
        f"{stats.parameters:,} parameters"
    )

# %% [markdown] en
# The count grows as n²: at the notes' 1000 x 1000 it is 1,000,000 MACs for one sample
# through one layer. (You can build it: `Layer(1000, 1000, "linear")` with one sample
# makes a graph of about 2 million nodes; on our machine that takes about 7 seconds and
# half a gigabyte of memory. A scalar engine pays for every one of those numbers as a
# Python object, which is the problem this lesson is about.)
# %% [markdown] ko
# 개수는 n²으로 늘어나요. 노트에 나온 1000 x 1000이면 샘플 하나가 층 하나를 지나는
# 데만 MAC이 1,000,000번이에요. (직접 만들어 볼 수도 있어요. `Layer(1000, 1000,
# "linear")`에 샘플 하나를 넣으면 노드가 약 200만 개인 그래프가 생기는데, 우리
# 컴퓨터에서 7초쯤, 메모리는 0.5GB쯤 들었어요. 스칼라 엔진은 그 숫자 하나하나를 파이썬
# 객체로 만들어야 해요. 이번 강의가 다루는 문제가 바로 이거예요.)

# %% [markdown] en
# ## A trained network, three ways
#
# Take the moons classifier of lesson 8 (2-16-16-1, 304 MACs per sample) and train it
# again (about 8 seconds). We then compute its output for 10,000 points in three ways:
#
# 1. **the scalar engine**: one graph of Values per sample, one Python step per operation;
# 2. **a compiled tape**: the graph recorded *once*, turned by `accel.compile` into a
#    fixed program of numbered instructions, each run on all 10,000 samples at once with
#    NumPy. One instruction, many data: this is what SIMD means;
# 3. **one matrix product per layer**: all the MACs of a layer as `X @ W.T + b`, the
#    shape of work a MAC array (or a GPU's tensor cores) is built for.
# %% [markdown] ko
# ## 학습된 신경망을 세 가지 방식으로 계산하기
#
# 8강의 moons 분류기(2-16-16-1, 샘플당 MAC 304번)를 다시 학습시켜요(8초쯤 걸려요). 그런
# 다음 점 10,000개에 대한 출력을 세 가지 방식으로 계산해요.
#
# 1. **스칼라 엔진**: 샘플마다 Value 그래프를 따로 만들고, 연산 하나하나를 파이썬이 한
#    단계씩 처리해요.
# 2. **컴파일된 테이프**(tape): 그래프를 *한 번만* 기록한 다음, `accel.compile`로 번호
#    붙은 명령이 늘어선 고정된 프로그램으로 바꿔요. 명령 하나가 NumPy로 샘플 10,000개
#    전체를 한꺼번에 처리해요. 명령 하나로 데이터 여러 개를 처리하는 것, 이것이 SIMD예요.
# 3. **층마다 행렬 곱 한 번**: 한 층의 MAC을 모두 `X @ W.T + b` 한 번으로 계산해요. MAC
#    배열(이나 GPU의 텐서 코어)이 처리하도록 만들어진 바로 그 모양의 일이에요.

# %%
run = prepare("moons", seed=0)
run.fit()
model = run.model
print(model)
x1, x2 = Value(0.0, label="x1"), Value(0.0, label="x2")
print(f"MACs per sample: {graph_stats(model([x1, x2])).macs}")

# %% [markdown] en
# First, what a compiled program looks like, for the small neuron above. The inputs
# become `input` slots, the weights and bias `const` slots (compiling freezes them), and
# each operation one instruction.
# %% [markdown] ko
# 먼저 컴파일된 프로그램이 어떻게 생겼는지 위의 작은 뉴런으로 볼게요. 입력은
# `input` 슬롯, 가중치와 편향은 `const` 슬롯이 되고(컴파일하면 값이 고정돼요), 연산
# 하나가 명령 하나가 돼요.

# %%
print(accel.compile(out, inputs))

# %% [markdown] en
# The moons network's program is the same thing, longer: 337 constants (its weights) and
# one instruction per multiply, sum and ReLU.
# %% [markdown] ko
# moons 신경망의 프로그램도 같은 모양이고 더 길 뿐이에요. 상수 337개(가중치)와 곱셈,
# 합, ReLU마다 명령 하나씩이에요.

# %%
tape = accel.compile(model([x1, x2]), [x1, x2])
lines = str(tape).splitlines()
first_instruction = 1 + len(tape.input_names) + len(tape.constants)  # after header and slots
excerpt = [*lines[:5], "  ...", *lines[first_instruction : first_instruction + 5], "  ..."]
print("\n".join(excerpt + lines[-3:]))

# %% [markdown] en
# Now the race. The timings depend on the machine and on what else it is doing, so they
# change from run to run; the ratios are the point.
# %% [markdown] ko
# 이제 시간을 재 볼게요. 시간은 컴퓨터와 그때 돌고 있는 다른 작업에 따라 달라져서
# 실행할 때마다 바뀌어요. 중요한 건 비율이에요.

# %%
points = np.array(moons(10_000, noise=0.1, seed=1)[0])
macs = graph_stats(model([x1, x2])).macs


def seconds_per_sample(compute, samples, repeats=3):
    """The fastest of `repeats` runs (the least disturbed by other work), per sample."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        result = compute()
        best = min(best, time.perf_counter() - start)
    return best / samples, result


def scalar(rows):
    with no_grad():
        return np.array([model([float(a), float(b)]).data for a, b in rows])


weights = [layer_weights(layer) for layer in model.layers]


def matrices(rows):
    a = rows
    for k, w in enumerate(weights):
        a = a @ w.W.T + w.b
        if k < len(weights) - 1:
            a = np.maximum(a, 0.0)  # ReLU in the hidden layers
    return a[:, 0]


few = points[:1000]  # the scalar engine gets 1000 samples, or we would wait
t_scalar, y_scalar = seconds_per_sample(lambda: scalar(few), len(few), repeats=1)
t_tape, y_tape = seconds_per_sample(lambda: tape(points[:, 0], points[:, 1]), len(points))
t_matrix, y_matrix = seconds_per_sample(lambda: matrices(points), len(points))

print("same outputs:", np.allclose(y_tape[:1000], y_scalar), np.allclose(y_matrix, y_tape))
for name, t in (("scalar engine", t_scalar), ("compiled tape", t_tape), ("matrix/layer", t_matrix)):
    print(
        f"{name:14} ~{t * 1e6:8.2f} µs per sample  ~{t_scalar / t:7.0f}x  "
        f"~{macs / t / 1e6:8.1f} million MACs per second"
    )

# %% [markdown] en
# The same 304 MACs per sample, the same answers, and the scalar engine hundreds of times
# slower than the other two, or more (how many hundreds depends on the machine and its
# load). (A MAC is two floating-point operations, so twice these rates is the FLOPS of the
# notes.) The scalar engine pays Python's overhead (build a Value, look up the operation,
# record its parents) for every single multiply. The tape pays it once per instruction for
# the whole batch. The matrix version hands whole layers to optimised machine code. A GPU
# does the tape's trick across thousands of cores; an NPU does the matrix version in
# silicon.
# %% [markdown] ko
# 샘플당 MAC은 똑같이 304번이고 답도 같아요. 그런데 스칼라 엔진은 나머지 두 방식보다 수백
# 배 이상 느려요(정확히 몇 배인지는 컴퓨터와 그때의 부하에 따라 달라요). (MAC 하나는
# 부동소수점 연산 두 번이라서, 이 속도에 2를 곱하면 노트가 말하는 FLOPS가 돼요.) 스칼라
# 엔진은 곱셈을 한 번 할 때마다 파이썬이 치르는 비용(Value 만들기, 연산 찾기, 부모
# 기록하기)을 물어요. 테이프는 그 비용을 명령 하나에 한 번, 배치 전체를 통틀어 한 번만
# 물어요. 행렬 방식은 층 하나를 통째로 최적화된 기계어 코드에 맡겨요. GPU는 테이프가 하는
# 일을 코어 수천 개에 나눠서 하고, NPU는 행렬 방식을 아예 회로로 만들어 둔 셈이에요.

# %% [markdown] en
# Scale that up to the notes' picture: ten 1000 x 1000 layers, 1000 samples, 100 epochs,
# and a backward pass costing about twice the forward one. At the rates just measured:
# %% [markdown] ko
# 이걸 노트가 말한 규모로 키워 볼게요. 1000 x 1000 층 10개, 샘플 1000개, 100 에포크,
# 그리고 역전파가 순전파의 두 배쯤 든다고 하면, 방금 잰 속도로는 이만큼 걸려요.

# %%
work = (1000 * 1000) * 10 * 1000 * 100 * 3  # MACs per layer, layers, samples, epochs, fwd+bwd
print(f"{work:.1e} MACs")


def readable(seconds):
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.1f} seconds"


for name, t in (("scalar engine", t_scalar), ("compiled tape", t_tape), ("matrix/layer", t_matrix)):
    print(f"{name:14} ~{readable(work / (macs / t))}")

# %% [markdown] en
# Weeks to months for the scalar engine, depending on the machine and its load; hours
# with one matrix product per layer here, because the moons network's layers are only 16
# wide and each NumPy call pays more in overhead than it computes. On the notes' 1000-wide
# layers each call does a million MACs for the same overhead, and the ladder below
# measures what a CPU then manages: the whole workload in minutes. A data-centre
# GPU does on the order of 10^14 low-precision MACs per second:
# 3 x 10^12 / 10^14 = 0.03 seconds.
#
# Two of the note's sentences deserve a closer look. It says the total is "billions of
# FLOPS or more". FLOPS is a rate (operations per second), while this is a count of
# work: 3 x 10^12 MACs, 6 x 10^12 floating-point operations, about a thousand times more
# than billions. The note undersold its own point. It also says a CPU cannot realistically
# do this. That holds for a CPU working one number at a time, as our scalar engine does,
# and it is the reason accelerators exist; a CPU running optimised matrix code does
# manage it, in minutes, as the ladder shows below. Large models today take millions of
# times this work or more, and there minutes become years.
# %% [markdown] ko
# 스칼라 엔진으로는 컴퓨터와 그때의 부하에 따라 몇 주에서 몇 달이 걸려요. 층마다 행렬
# 곱 한 번으로 해도 여기서는 몇 시간이 걸리는데, moons 신경망의 층은 폭이 16밖에 안
# 돼서 NumPy 호출 하나가 계산보다 부담(overhead)에 더 많은 시간을 쓰기 때문이에요.
# 노트처럼 한 층에 뉴런이 1000개씩 있으면 같은 부담으로 호출 한 번에 MAC을 100만 번
# 하니까, CPU 하나로도 전체 작업이 몇 분이면 끝나요. 아래 사다리에서 실제로 재 볼 거예요.
# 데이터 센터용 GPU는 낮은 정밀도로 초당 10^14번 정도의 MAC을 하니까
# 3 x 10^12 / 10^14 = 0.03초예요.
#
# 노트의 두 문장은 조금 짚고 넘어갈게요. 노트는 전체 연산량이 "수십억 FLOPS 이상"이라고
# 해요. 그런데 FLOPS는 초당 연산 횟수, 곧 속도이고, 여기서 센 것은 일의 양이에요.
# MAC 3 x 10^12번, 부동소수점 연산으로는 6 x 10^12번이니 수십억의 천 배쯤이에요. 노트가
# 오히려 자기 주장을 줄여서 말한 셈이에요. 또 노트는 이 정도 연산은 CPU로는 현실적으로
# 불가능하다고 해요. 우리 스칼라 엔진처럼 숫자를 하나씩 처리하는 CPU라면 맞는 말이고,
# 바로 그래서 가속기가 필요해요. 하지만 최적화된 행렬 코드를 돌리는 CPU는 아래
# 사다리에서 보듯 몇 분이면 해내요. 요즘의 큰 모델은 이보다 수백만 배 이상 많은 일을
# 해야 해서, 그때는 몇 분이 몇 년이 돼요.

# %% [markdown] en
# ## What an NPU adds: a static graph and small numbers
#
# The tape is a *static graph*: the operations and their order are fixed before any
# data arrives, so the hardware can plan where every number lives. Real toolchains
# receive it in a standard format; ONNX is the common one. `export.mlp_to_onnx` writes
# each layer as one `Gemm` (general matrix multiply: all of the layer's MACs) and its
# activation; `check_with_onnxruntime` runs it in onnxruntime and compares with the engine.
# %% [markdown] ko
# ## NPU가 더하는 것: 정적 그래프와 작은 숫자
#
# 테이프는 *정적 그래프*(static graph)예요. 데이터가 들어오기 전에 연산과 순서가 정해져
# 있어서, 하드웨어가 숫자 하나하나를 어디에 둘지 미리 계획할 수 있어요. 실제 도구들은
# 이런 그래프를 표준 형식으로 받는데, 가장 흔한 것이 ONNX예요. `export.mlp_to_onnx`는
# 각 층을 `Gemm`(일반 행렬 곱: 그 층의 모든 MAC) 하나와 활성화 함수로 써요.
# `check_with_onnxruntime`은 그것을 onnxruntime으로 실행해서 엔진과 비교해요.

# %%
onnx_model = export.mlp_to_onnx(model)  # float32, as runtimes prefer
print("ONNX nodes:", [node.op_type for node in onnx_model.graph.node])
difference = export.check_with_onnxruntime(onnx_model, model)
print(f"largest difference from the engine below 1e-4 (float32 rounding): {difference < 1e-4}")

# %% [markdown] en
# NPUs also compute with fewer bits. An INT8 weight is a whole number from -127 to 127
# times one scale per layer, `s = max|w| / 127`. Here are the first layer's first four
# weights:
# %% [markdown] ko
# NPU는 더 적은 비트로 계산하기도 해요. INT8 가중치는 -127에서 127 사이의 정수에 층마다
# 하나인 배율(scale) `s = max|w| / 127`을 곱한 값이에요. 첫 번째 층의 처음 네 가중치를
# 볼게요.

# %%
W = weights[0].W
scale = int8_scale(W)
q = to_int8(W, scale)
print(f"scale s = {scale:.5f}")
print("float64 :", np.round(W.ravel()[:4], 5))
print("int8 q  :", q.ravel()[:4])
print("q * s   :", np.round(q.ravel()[:4] * scale, 5))

# %% [markdown] en
# Each weight moves by at most half a step `s`. Does the classifier notice?
# `quantize.precision_report` runs the network at each precision on 1000 fresh points
# (the int8 version measures its activation scales on the training points, as NPU
# toolchains calibrate on sample data) and reports the size of the weights, the accuracy
# and the largest change in the output score.
# %% [markdown] ko
# 각 가중치는 최대 반 칸(`s`의 절반)만큼 움직여요. 분류기가 이 차이를 알아챌까요?
# `quantize.precision_report`는 새로 뽑은 점 1000개로 정밀도(precision)마다 신경망을
# 실행하고, 가중치의 크기, 정확도, 출력 점수의 최대 변화를 보여 줘요(int8은 NPU
# 도구들이 샘플 데이터로 보정(calibration)하듯 학습 데이터로 활성화 배율을 재요).

# %%
X_test, y_test = moons(1000, noise=0.1, seed=1)
print(format_report(precision_report(model, X_test, y_test, calibration=run.X)))

# %% [markdown] en
# INT8 stores the network in about a sixth of the bytes (each weight in one byte instead
# of eight; the 32-bit biases and the scales are the rest) and classifies exactly as well.
# The scores do move, by up to about 0.8 on a scale of roughly ±10, but the decisions
# do not. That is why NPUs, built mostly for inference, use INT8 and FP16: smaller
# multipliers, less memory traffic, more MACs per watt, for answers that barely change.
# %% [markdown] ko
# INT8은 신경망을 약 6분의 1 크기로 저장하고(가중치 하나가 8바이트 대신 1바이트이고,
# 나머지는 32비트 편향과 배율이에요) 분류 정확도는 똑같아요. 점수는 대략 ±10 범위에서
# 최대 0.8 정도 움직이지만 판단은 바뀌지 않아요. 주로 추론(inference)에 쓰이는 NPU가
# INT8과 FP16을 쓰는 이유가 이거예요. 곱셈기는 작아지고, 메모리 이동은 줄고, 전력당
# MAC은 늘어나는데, 답은 거의 바뀌지 않아요.

# %% [markdown] en
# ## The ladder: the same work on every rung
#
# `benchmarks/ladder.py` runs two workloads (the notes' one 1000 x 1000 layer, a million
# MACs per sample, and the moons network) on every rung a machine has: the scalar engine,
# the compiled tape, NumPy's matrix product, onnxruntime, PyTorch on the CPU, and PyTorch
# on a CUDA GPU in fp32, tf32, bf16, fp16 and int8, where `nvidia-smi` also samples the
# power draw to give MACs per joule. Its table is committed in `benchmarks/LADDER.md`
# with the machine and its load. We read that table as data: this lesson never re-runs it,
# and the GPU rows say "not measured yet" until someone runs the script on a GPU.
# %% [markdown] ko
# ## 사다리: 같은 일을 모든 칸에서
#
# `benchmarks/ladder.py`는 두 가지 작업(노트의 1000 x 1000 층 하나, 즉 샘플당 MAC
# 100만 번과 moons 신경망)을 컴퓨터에 있는 모든 칸(rung)에서 실행해요. 스칼라 엔진,
# 컴파일된 테이프, NumPy 행렬 곱, onnxruntime, CPU의 PyTorch, 그리고 CUDA GPU의
# PyTorch(fp32, tf32, bf16, fp16, int8)예요. GPU에서는 `nvidia-smi`로 전력도 재서
# 줄(J)당 MAC을 계산해요. 결과 표는 컴퓨터 이름과 그때의 부하(load)와 함께
# `benchmarks/LADDER.md`에 커밋되어 있어요. 이 강의는 그 표를 데이터로 읽기만 하고
# 다시 실행하지 않아요. GPU에서 스크립트를 아직 아무도 돌리지 않았다면 GPU 행에는
# "not measured yet"(아직 측정 안 함)이라고 적혀 있어요.

# %%
from pathlib import Path

import matplotlib.pyplot as plt

import autograd

ladder_text = (
    Path(autograd.__file__).resolve().parent.parent / "benchmarks" / "LADDER.md"
).read_text(encoding="utf-8")
columns = ["workload", "rung", "precision", "batch", "µs/sample", "MACs/s", "W", "MACs/J", "note"]
ladder = [
    dict(zip(columns, [cell.strip() for cell in line.strip().strip("|").split("|")]))
    for line in ladder_text.splitlines()
    if line.startswith("| ") and not line.startswith("| workload")
]
for line in ladder_text.splitlines():
    if line.startswith(("- date", "- machine", "- GPU", "- load before")):
        print(line)
for row in ladder:
    print(
        f"{row['workload']:6} {row['rung']:12} {row['precision']:8} "
        f"{row['µs/sample']:>17} µs/sample {row['MACs/s']:>9} MACs/s  {row['note']}"
    )

# %% [markdown] en
# As a chart, MACs per second on a logarithmic scale (each step of the grid is ten times
# more work per second):
# %% [markdown] ko
# 차트로 그려 볼게요. 초당 MAC을 로그 눈금으로 그렸어요(눈금이 한 칸 오를 때마다 초당
# 처리하는 일이 10배예요).

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
for ax, workload in zip(axes, ["layer", "moons"]):
    rows = [r for r in ladder if r["workload"] == workload]
    labels = [f"{r['rung']} {r['precision']}" for r in rows]
    rates = [float(r["MACs/s"]) if r["MACs/s"] != "-" else 0.0 for r in rows]
    ax.barh(labels, rates, color=["tab:blue" if x else "white" for x in rates])
    for k, rate in enumerate(rates):
        if not rate:
            ax.text(
                1e5,
                k,
                label("not measured yet", "아직 측정 안 함"),
                va="center",
                fontsize=8,
                color="grey",
            )
    ax.set_xscale("log")
    ax.set_xlim(1e5, 1e15)
    ax.invert_yaxis()
    ax.set_xlabel(label("MACs per second (measured; log scale)", "초당 MAC (측정값, 로그 눈금)"))
    if workload == "layer":
        ax.set_title(label("one 1000x1000 layer", "1000x1000 층 하나"))
    else:
        ax.set_title(label("the moons MLP", "moons MLP"))
plt.tight_layout()
plt.show()

numpy_layer = next(r for r in ladder if r["workload"] == "layer" and r["rung"] == "numpy")
rate = float(numpy_layer["MACs/s"])
print(f"the notes' workload ({work:.1e} MACs) at the ladder's NumPy rate on one")
print(f"1000x1000 layer ({rate:.2e} MACs per second): {readable(work / rate)}")

# %% [markdown] en
# On the CPU the ladder climbs four to five powers of ten from the scalar engine to one
# matrix product per layer, on the notes' million-MAC layer as on the moons network. The
# last line answers the note's "a CPU cannot": at the NumPy rung's measured rate, the
# whole 3 x 10^12-MAC workload takes minutes on this CPU, not weeks.
# The machine that made this table was shared and busy (its load is in the header), so
# read the orders of magnitude, not the digits.
#
# **Datasheet figures, not measured here.** Vendors publish peak rates and power limits.
# They are ceilings under ideal conditions, not measurements, and they do not belong in
# the measured table:
#
# | device (datasheet) | peak dense rate | power (TDP) |
# |---|---|---|
# | NVIDIA A100 SXM | fp32 19.5, TF32 156, fp16/bf16 312 TFLOPS; int8 624 TOPS | 400 W |
# | NVIDIA A100 PCIe | the same | 250-300 W |
# | Google Coral Edge TPU (an NPU) | 4 TOPS int8 | about 2 TOPS per watt |
#
# An operation here is half a MAC, so 624 int8 TOPS at 400 W is at most about
# 0.8 x 10^12 MACs per joule for the A100, and the Edge TPU's 2 TOPS/W is 10^12 MACs per
# joule in a few watts. The ladder's GPU rows, once measured, say how close real code
# gets to such ceilings.
# %% [markdown] ko
# CPU에서 사다리는 스칼라 엔진부터 층마다 행렬 곱 한 번까지 10의 4제곱에서 5제곱만큼
# 올라가요. 노트의 MAC 100만 번짜리 층에서도, moons 신경망에서도 그래요. 마지막 줄은
# "CPU로는 불가능하다"는 노트의 말에 대한 답이에요. NumPy 칸에서 잰 속도라면 MAC
# 3 x 10^12번짜리 전체 작업이 이 CPU에서 몇 주가 아니라 몇 분이면 끝나요. 이 표를
# 만든 컴퓨터는 다른 작업도 함께 돌리느라 바빴어요(부하는 머리말에 있어요). 그러니
# 자릿수를 보고, 숫자 하나하나는 너무 믿지 마세요.
#
# **데이터시트 수치예요. 여기서 잰 값이 아니에요.** 제조사는 최대 속도와 전력 한도를
# 공개해요. 이상적인 조건에서의 상한이지 측정값이 아니라서, 측정한 표와 섞지 않아요.
#
# | 장치(데이터시트) | 최대 밀집(dense) 연산 속도 | 전력(TDP) |
# |---|---|---|
# | NVIDIA A100 SXM | fp32 19.5, TF32 156, fp16/bf16 312 TFLOPS; int8 624 TOPS | 400 W |
# | NVIDIA A100 PCIe | 같음 | 250-300 W |
# | Google Coral Edge TPU (NPU) | int8 4 TOPS | 와트당 약 2 TOPS |
#
# 연산(operation) 하나는 MAC의 절반이니까, A100의 int8 624 TOPS를 400 W로 나누면 줄당
# 최대 약 0.8 x 10^12 MAC이에요. Edge TPU는 와트당 2 TOPS, 즉 줄당 10^12 MAC을 몇
# 와트 안에서 내요. 사다리의 GPU 행을 측정하고 나면 실제 코드가 이 상한에 얼마나
# 다가가는지 알 수 있어요.

# %% [markdown] en
# ## The deploy road, in one step
#
# The notes' roadmap ends with a pipeline: train, compress and optimize, convert to ONNX,
# run and measure, tabulate. `accel.deploy` (the command line's
# `python -m autograd deploy MODEL.json`) does all of it for the network trained above:
#
# - exports it to ONNX in float32;
# - runs onnxruntime's graph optimizations and saves the optimized model;
# - quantizes it to INT8 with onnxruntime's own static quantization: QDQ format, with
#   MinMax calibration on the training points (each activation's range is the smallest
#   and largest value seen there);
# - writes an FP16 model, keeps our own per-layer INT8 beside onnxruntime's, and prunes
#   half of each layer's weights (the smallest in magnitude);
# - measures every version on 1000 fresh points and writes `report.md` and
#   `report.html` (with charts) into `deploy-output/`.
# %% [markdown] ko
# ## 배포(deploy) 과정을 한 번에
#
# 노트의 로드맵은 하나의 파이프라인으로 끝나요. 학습하고, 압축하고 최적화하고, ONNX로
# 바꾸고, 실행해서 재고, 표로 정리하는 거예요. `accel.deploy`(명령줄에서는
# `python -m autograd deploy MODEL.json`)는 위에서 학습한 신경망으로 이 모든 단계를
# 해요.
#
# - float32 ONNX로 내보내요.
# - onnxruntime의 그래프 최적화를 실행하고, 최적화된 모델을 저장해요.
# - onnxruntime 자체의 정적 양자화(static quantization)로 INT8을 만들어요. QDQ
#   형식이고, 학습 데이터로 MinMax 보정을 해요(각 활성값의 범위를 거기서 본 최솟값과
#   최댓값으로 정해요).
# - FP16 모델을 쓰고, 우리가 만든 층별 INT8도 onnxruntime 것 옆에 두고, 층마다 크기가
#   작은 가중치 절반을 잘라내요(가지치기, pruning).
# - 모든 버전을 새로운 점 1000개로 재고, `deploy-output/`에 `report.md`와 차트가 있는
#   `report.html`을 써요.

# %%
from autograd.accel import deploy, report

split = deploy.dataset_split("moons", seed=0)  # the points `run` trained on, and 1000 new ones
result = deploy.deploy(model, split, "deploy-output")
print(split.description)
for row in result.rows:
    size = f"{row.size_bytes:>6,} bytes" + ("" if row.size_is_file else " (weights only)")
    print(
        f"{row.version:12} {row.precision:8} {size:30} accuracy {row.accuracy:6.1%}, "
        f"same class as float32 for {row.agreement:6.1%}"
    )
print(report.int8_verdict(result))

# %% [markdown] en
# The timings (microseconds per sample at batch 1, p50 and p99 of 200 runs after a
# warm-up, one thread; and throughput at batch 1024). They change with every run and
# every machine:
# %% [markdown] ko
# 시간도 볼게요(배치 1에서 샘플당 마이크로초, 워밍업 후 200번 실행의 p50과 p99, 스레드
# 하나, 그리고 배치 1024에서의 처리량이에요). 실행할 때마다, 컴퓨터마다 달라져요.

# %%
for row in result.rows:
    print(
        f"{row.version:12} ~ p50 {row.latency_p50_us:9.1f} µs  p99 {row.latency_p99_us:9.1f} µs"
        f"  {row.throughput:14,.0f} samples/s"
    )

# %% [markdown] en
# ## What was fused, and where the bytes went
#
# onnxruntime's optimizer rewrote the float32 graph: each Gemm followed by a Relu became
# one `FusedGemm` node, so the activation is applied while the product's results are
# still in registers instead of making another pass over memory. The INT8 model shows
# the QDQ pattern instead: `QuantizeLinear`/`DequantizeLinear` pairs around each Gemm,
# which onnxruntime turns into integer kernels when it loads the model.
# %% [markdown] ko
# ## 무엇이 합쳐졌고, 바이트는 어디에 쓰였나
#
# onnxruntime의 최적화기는 float32 그래프를 고쳐 써요. Relu가 뒤따르는 Gemm은 각각
# `FusedGemm` 노드 하나가 돼요. 그래서 곱의 결과가 아직 레지스터에 있을 때 활성화
# 함수를 적용하고, 메모리를 한 번 더 훑지 않아요. INT8 모델에는 대신 QDQ 패턴이
# 보여요. Gemm마다 `QuantizeLinear`/`DequantizeLinear` 쌍이 둘러싸고 있고,
# onnxruntime은 모델을 불러올 때 이것을 정수 연산 커널로 바꿔요.

# %%
import onnx
from onnx import numpy_helper

print(report.fusion_summary(result))
print("int8 QDQ nodes:", result.int8_nodes)
for name in ("model_float32.onnx", "model_float16.onnx", "model_int8_qdq.onnx"):
    weights_by_type = {}
    for tensor in onnx.load(f"deploy-output/{name}").graph.initializer:
        array = numpy_helper.to_array(tensor)
        weights_by_type[array.dtype.name] = weights_by_type.get(array.dtype.name, 0) + array.nbytes
    print(f"{name:22} initializer bytes by type: {weights_by_type}")

# %% [markdown] en
# INT8 against FP16 against float32, in short. The weights shrink as promised: 1348
# bytes of float32 become 674 of float16 and about a quarter in int8 (plus int32 biases
# and the scales). The int8 *file* is still larger than the float32 one, because a network
# of 337 parameters is mostly graph: names, shapes, and the scale and zero point of every
# QDQ pair. On the million-weight layer of the ladder the weights dominate and the file
# shrinks about four times. Accuracy does not move for INT8 or FP16. At batch 1 the three
# latencies are of the same order, around ten microseconds on our machine: with 304 MACs,
# the time goes to calling the runtime, not to arithmetic. Lower precision pays when the
# matrices are large and the hardware has units for it.
# %% [markdown] ko
# INT8, FP16, float32을 짧게 비교해 볼게요. 가중치는 약속대로 줄어요. float32 1348바이트가
# float16에서는 674바이트, int8에서는 약 4분의 1이 돼요(여기에 int32 편향과 배율이
# 더해져요). 그런데 int8 *파일*은 float32 파일보다 오히려 커요. 매개변수 337개짜리
# 신경망은 대부분이 그래프(이름, 모양, 그리고 QDQ 쌍마다의 배율과 영점)이기 때문이에요.
# 사다리의 가중치 100만 개짜리 층이라면 가중치가 대부분이라 파일이 약 4분의 1로
# 줄어요. 정확도는 INT8에서도 FP16에서도 그대로예요. 배치 1의 지연 시간은 세 가지가
# 비슷한 수준이고, 우리 컴퓨터에서는 10마이크로초 안팎이었어요. MAC이 304번뿐이라
# 시간은 계산이 아니라 런타임을 부르는 데 들어요. 낮은 정밀도는 행렬이 크고
# 하드웨어에 그 정밀도용 연산 장치가 있을 때 효과가 나요.

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
for row in result.rows:
    left.scatter(row.size_bytes, row.accuracy * 100)
    left.annotate(row.version, (row.size_bytes, row.accuracy * 100), fontsize=8)
left.set_xlabel(
    label("size (bytes; the int8 engine: weights only)", "크기 (바이트, int8 엔진은 가중치만)")
)
left.set_ylabel(label("test accuracy (%)", "테스트 정확도 (%)"))
left.set_title(label("accuracy against size", "크기에 따른 정확도"))
names = [f"{row.version} ({row.precision})" for row in result.rows]
right.barh(names, [row.latency_p50_us for row in result.rows])
right.set_xscale("log")
right.invert_yaxis()
right.set_xlabel(
    label(
        "latency at batch 1, p50 (µs, log scale; this run)",
        "배치 1의 지연 시간, p50 (µs, 로그 눈금, 이번 실행)",
    )
)
right.set_title(label("latency against precision", "정밀도에 따른 지연 시간"))
plt.tight_layout()
plt.show()

# %% [markdown] en
# Pruning is the exception: setting half the weights to zero cost this network many
# points. Magnitude pruning is usually followed by more training (fine-tuning) so that the
# remaining weights take over; without it, a small network has little to spare. How the
# accuracy falls with the fraction pruned:
# %% [markdown] ko
# 가지치기는 예외예요. 가중치 절반을 0으로 만들었더니 이 신경망은 정확도를 꽤 많이
# 잃었어요. 크기 기준 가지치기(magnitude pruning) 뒤에는 보통 학습을 더 해서(미세
# 조정, fine-tuning) 남은 가중치가 일을 넘겨받게 해요. 미세 조정 없이는, 가중치가
# 몇 개 안 되는 작은 신경망에서 빼도 괜찮은 가중치가 별로 없어요. 잘라낸 비율에 따라
# 정확도가 어떻게 떨어지는지 볼게요.

# %%
from autograd.accel.precision import predict_classes, quantize

for sparsity in (0.0, 0.1, 0.25, 0.5, 0.75):
    outputs = quantize(deploy.prune(model, sparsity), "float64")(split.X_test)
    accuracy = np.mean(predict_classes(outputs, model.output_activation) == split.y_test)
    print(f"sparsity {sparsity:4.0%}: test accuracy {accuracy:.1%}")

# %% [markdown] en
# **What to take away.** The notes' "a million multiply-adds per layer" is a count you
# can make; the same computation runs hundreds to thousands of times faster once it is
# grouped the way hardware wants it (one instruction over many samples, one matrix per
# layer, a fixed graph), and the ladder measures each step of that climb. A real runtime's
# deploy road (graph fusion, static INT8 with calibration, FP16) keeps a trained
# classifier's answers, while pruning needs retraining to be free. And a datasheet's
# watts and TOPS are ceilings to compare against, never measurements.
# %% [markdown] ko
# **정리.** 노트의 "층 하나에 곱셈-누산(MAC) 100만 번"은 직접 셀 수 있는 숫자예요. 같은
# 계산도 하드웨어가 원하는 방식(명령 하나로 여러 샘플, 층마다 행렬 하나, 고정된
# 그래프)으로 묶으면 수백에서 수천 배 빨라지고, 사다리는 그 오름폭을 한 칸씩 재요.
# 실제 런타임의 배포 과정(그래프 융합, 보정을 거친 정적 INT8, FP16)은 학습된 분류기의
# 답을 그대로 지켜요. 가지치기는 다시 학습해야 손해가 없어요. 그리고 데이터시트의
# 와트와 TOPS는 비교할 상한이지 측정값이 아니에요.
