# %% [markdown] en
# # 9. Why accelerators
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
# # 9. 가속기는 왜 필요한가
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
# "linear")`에 샘플 하나를 넣으면 노드가 약 200만 개인 그래프가 생기는데, 저희
# 컴퓨터에서 7초쯤, 메모리는 0.5GB쯤 들었어요. 스칼라 엔진은 그 숫자 하나하나를 파이썬
# 객체로 만들어야 해요. 이번 강의가 다루는 문제가 바로 이거예요.)

# %% [markdown] en
# ## A trained network, three ways
#
# Take the moons classifier of lesson 7 (2-16-16-1, 304 MACs per sample) and train it
# again (about 8 seconds). We then compute its output for 10,000 points in three ways:
#
# 1. **the scalar engine**: one graph of Values per sample, one Python step per operation;
# 2. **a compiled tape**: the graph recorded *once*, turned by `accel.compile` into a
#    fixed program of numbered instructions, each run on all 10,000 samples at once with
#    NumPy. One instruction, many data: this is what SIMD means;
# 3. **one matrix product per layer**: all the MACs of a layer as `X @ W.T + b`, the
#    shape of work a MAC array (or a GPU's tensor cores) is built for.
# %% [markdown] ko
# ## 학습된 신경망, 세 가지 방식
#
# 7강의 moons 분류기(2-16-16-1, 샘플당 MAC 304번)를 다시 학습시켜요(8초쯤 걸려요).
# 그다음 점 10,000개에 대한 출력을 세 가지 방식으로 계산해요.
#
# 1. **스칼라 엔진**: 샘플마다 Value 그래프를 하나씩 만들고, 연산마다 파이썬이 한
#    단계씩 처리해요.
# 2. **컴파일된 테이프(tape)**: 그래프를 *한 번만* 기록하고, `accel.compile`로 번호가
#    붙은 명령들로 된 고정된 프로그램으로 바꿔요. 명령 하나하나가 NumPy로 샘플
#    10,000개 전체에 한 번에 실행돼요. 명령 하나에 데이터 여러 개, 이것이 SIMD예요.
# 3. **층마다 행렬 곱 한 번**: 한 층의 모든 MAC을 `X @ W.T + b` 한 번으로 계산해요.
#    MAC 배열(이나 GPU의 텐서 코어)이 하도록 만들어진 일의 모양이에요.

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
# The same 304 MACs per sample, the same answers, and a difference of hundreds of times
# between the first two and thousands between the first and the last. (A MAC is two
# floating-point operations, so twice these rates is the FLOPS of the notes.) The scalar engine
# pays Python's overhead (build a Value, look up the operation, record its parents) for
# every single multiply. The tape pays it once per instruction for the whole batch. The
# matrix version hands whole layers to optimised machine code. A GPU does the tape's
# trick across thousands of cores; an NPU does the matrix version in silicon.
# %% [markdown] ko
# 샘플당 MAC 304번도 같고 답도 같은데, 앞의 두 방식은 수백 배, 처음과 마지막은 수천
# 배 차이가 나요. (MAC 하나는 부동소수점 연산 두 번이니, 이 속도의 두 배가 노트에
# 나온 FLOPS예요.) 스칼라 엔진은 곱셈 하나하나마다 파이썬의 부담(Value 만들기, 연산 찾기,
# 부모 기록하기)을 져요. 테이프는 그 부담을 명령마다 배치 전체에 한 번만 져요. 행렬
# 방식은 층 전체를 최적화된 기계어 코드에 넘겨요. GPU는 테이프의 방식을 수천 개의
# 코어로 하고, NPU는 행렬 방식을 아예 실리콘(회로)으로 만들어 둔 셈이에요.

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
# About three weeks for the scalar engine; minutes with one matrix product per layer on
# one CPU core (less with 1000-wide layers, where each NumPy call does more work for its
# overhead). A data-centre GPU does on the order of 10^14 low-precision MACs per second:
# 3 x 10^12 / 10^14 = 0.03 seconds.
# %% [markdown] ko
# 스칼라 엔진으로는 3주쯤 걸리고, CPU 코어 하나에서 층마다 행렬 곱 한 번으로 하면
# 몇 분이에요(층이 1000개 폭이면 NumPy 호출 하나가 부담에 비해 더 많은 일을 하니까 더
# 줄어요). 데이터 센터용 GPU는 낮은 정밀도로 초당 10^14번 정도의 MAC을 하니까
# 3 x 10^12 / 10^14 = 0.03초예요.

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
# 테이프는 *정적 그래프(static graph)*예요. 데이터가 들어오기 전에 연산과 순서가 정해져
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
#
# **What to take away.** The notes' "a million multiply-adds per layer" is a count you
# can make; the same computation runs hundreds to thousands of times faster once it is
# grouped the way hardware wants it (one instruction over many samples, one matrix per
# layer, a fixed graph); and small number formats cost a trained classifier almost
# nothing.
# %% [markdown] ko
# INT8은 신경망을 약 6분의 1 크기로 저장하고(가중치 하나가 8바이트 대신 1바이트이고,
# 나머지는 32비트 편향과 배율이에요) 분류 정확도는 똑같아요. 점수는 대략 ±10 범위에서
# 최대 0.8 정도 움직이지만 판단은 바뀌지 않아요. 주로 추론(inference)에 쓰이는 NPU가
# INT8과 FP16을 쓰는 이유가 이거예요. 곱셈기는 작아지고, 메모리 이동은 줄고, 전력당
# MAC은 늘어나는데, 답은 거의 바뀌지 않아요.
#
# **정리.** 노트의 "층 하나에 곱셈-덧셈 100만 번"은 직접 셀 수 있는 숫자예요. 같은
# 계산도 하드웨어가 원하는 방식(명령 하나로 여러 샘플, 층마다 행렬 하나, 고정된
# 그래프)으로 묶으면 수백에서 수천 배 빨라져요. 그리고 작은 숫자 형식은 학습된
# 분류기에 거의 손해를 주지 않아요.
