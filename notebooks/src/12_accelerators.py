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
#
# The third note goes further. It names what holds GPUs back (power and heat, latency,
# circuits deep learning does not use), says an NPU keeps its data in on-chip memory
# where a GPU relies on caches, and splits the work: training on server GPUs, inference
# on NPUs in phones, cars and cameras ("edge AI", for privacy and to skip the network's
# delay), in INT8 and FP16. We measure each of these where this machine allows, and say
# where it does not: a number from a vendor's datasheet is marked as one, and no GPU has
# been measured yet.
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
#
# 세 번째 노트는 한 걸음 더 들어가요. GPU의 발목을 잡는 것(전력과 발열, 응답 지연,
# 딥러닝에는 쓰이지 않는 회로)을 짚고, GPU가 캐시에 기대는 데 비해 NPU는 데이터를 온칩
# 메모리에 둔다고 말해요. 그리고 일을 나눠요. 학습은 서버의 GPU가, 추론은 스마트폰과
# 자동차와 카메라 안의 NPU가 INT8과 FP16으로 맡아요(개인정보를 지키고 네트워크 지연을
# 피하는 "엣지 AI"예요). 이 컴퓨터로 잴 수 있는 것은 모두 재고, 잴 수 없는 것은 그렇다고
# 밝힐게요. 제조사 데이터시트에서 가져온 숫자는 따로 표시하고, GPU는 아직 재지 못했어요.

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
model = run.model
steps = []  # each epoch's weights and their update, kept for "Training and inference" below


def keep_step(record):
    """After each training step, per layer: the weights, and the update the step made."""
    lr = run.optimizer.lr
    steps.append(
        [
            (layer_weights(layer).W, lr * np.array([[w.grad for w in n.w] for n in layer.neurons]))
            for layer in model.layers
        ]
    )


started = time.perf_counter()
run.fit(on_epoch=keep_step)
training_seconds = time.perf_counter() - started
print(model)
print(f"~{training_seconds:.0f} seconds to train ({run.epochs} epochs, {len(run.X)} points)")
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
# Weeks to months for the scalar engine, depending on the machine and its load. With one
# matrix product per layer, from tens of minutes to hours here (this rung swings most
# with the load), because the moons network's layers are only 16 wide and each NumPy
# call pays more in overhead than it computes. On the notes' 1000-wide
# layers each call does a million MACs for the same overhead, and the ladder below
# measures what a CPU then manages: the whole workload in minutes. A data-centre
# GPU's datasheet promises on the order of 10^14 low-precision MACs per second (a peak,
# not a measurement; see "power and heat" below): 3 x 10^12 / 10^14 = 0.03 seconds.
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
# 곱 한 번으로 해도 여기서는 수십 분에서 몇 시간이 걸려요(이 방식이 부하에 따라 가장
# 크게 흔들려요). moons 신경망의 층은 폭이 16밖에 안 돼서 NumPy 호출 하나가 계산보다
# 부담(overhead)에 더 많은 시간을 쓰기 때문이에요.
# 노트처럼 한 층에 뉴런이 1000개씩 있으면 같은 부담으로 호출 한 번에 MAC을 100만 번
# 하니까, CPU 하나로도 전체 작업이 몇 분이면 끝나요. 아래 사다리에서 실제로 재 볼 거예요.
# 데이터 센터용 GPU의 데이터시트는 낮은 정밀도에서 초당 10^14번 정도의 MAC을
# 약속해요(잰 값이 아니라 최댓값이에요. 아래 "전력과 발열"에서 다시 봐요). 그러면
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
# As a chart: on the left the time per sample (shorter is faster), on the right the same
# measurement as MACs per second. Both axes are logarithmic: each step of the grid is ten
# times more. The GPU rungs have no bars, because no GPU has run the script yet.
# %% [markdown] ko
# 차트로 그려 볼게요. 왼쪽은 샘플 하나에 걸린 시간(짧을수록 빨라요), 오른쪽은 같은
# 측정을 초당 MAC으로 바꾼 값이에요. 두 축 모두 로그 눈금이라 눈금이 한 칸 오를 때마다
# 10배예요. GPU 칸에는 막대가 없어요. 아직 GPU에서 스크립트를 돌린 사람이 없거든요.


# %%
def ladder_panel(ax, rows, column, xlabel):
    """One bar per rung on a log scale; a rung that was not measured says so instead."""
    names = [f"{r['rung']} {r['precision']}" for r in rows]
    measured = [r[column] not in ("-", "not measured yet") for r in rows]
    values = [float(r[column]) if ok else 0.0 for r, ok in zip(rows, measured)]
    smallest = min(v for v in values if v)
    ax.barh(names, values, color="tab:blue")
    ax.set_xscale("log")
    ax.set_xlim(smallest / 10, max(values) * 1000)
    for k, ok in enumerate(measured):
        if not ok:
            not_yet = label("not measured yet (no GPU)", "아직 측정 안 함 (GPU 없음)")
            ax.text(smallest / 5, k, not_yet, va="center", fontsize=8, color="grey")
    if not ax.yaxis_inverted():  # the rows share one axis: turn it over once
        ax.invert_yaxis()
    ax.set_xlabel(xlabel)


fig, axes = plt.subplots(2, 2, figsize=(12, 8), sharey="row")
for (left, right), workload in zip(axes, ["layer", "moons"]):
    rows = [r for r in ladder if r["workload"] == workload]
    ladder_panel(
        left,
        rows,
        "µs/sample",
        label(
            "microseconds per sample (measured; log scale)", "샘플당 마이크로초 (측정값, 로그 눈금)"
        ),
    )
    ladder_panel(
        right,
        rows,
        "MACs/s",
        label("MACs per second (measured; log scale)", "초당 MAC (측정값, 로그 눈금)"),
    )
    if workload == "layer":
        left.set_title(label("one 1000x1000 layer: time", "1000x1000 층 하나: 시간"))
        right.set_title(label("one 1000x1000 layer: rate", "1000x1000 층 하나: 속도"))
    else:
        left.set_title(label("the moons MLP: time", "moons MLP: 시간"))
        right.set_title(label("the moons MLP: rate", "moons MLP: 속도"))
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
# %% [markdown] ko
# CPU에서 사다리는 스칼라 엔진부터 층마다 행렬 곱 한 번까지 10의 4제곱에서 5제곱만큼
# 올라가요. 노트의 MAC 100만 번짜리 층에서도, moons 신경망에서도 그래요. 마지막 줄은
# "CPU로는 불가능하다"는 노트의 말에 대한 답이에요. NumPy 칸에서 잰 속도라면 MAC
# 3 x 10^12번짜리 전체 작업이 이 CPU에서 몇 주가 아니라 몇 분이면 끝나요. 이 표를
# 만든 컴퓨터는 다른 작업도 함께 돌리느라 바빴어요(부하는 머리말에 있어요). 그러니
# 자릿수를 보고, 숫자 하나하나는 너무 믿지 마세요.

# %% [markdown] en
# ## Memory: caches against on-chip memory
#
# The note's table also compares how the two reach their data: a GPU through *caches*,
# an NPU through *on-chip memory*, "to keep latency to a minimum". Both are small, fast
# memories on the chip, next to the arithmetic; main memory (DRAM, or the HBM stacks
# beside a GPU) is large and much slower to reach. The difference is who decides what
# stays on the chip. A cache decides by itself, from the accesses it has just seen: it
# guesses. An NPU's on-chip memory is filled by its compiler, which knows the whole
# fixed graph in advance: every weight and every intermediate value, when it is made and
# when it is last used. Our tape is such a graph: 337 constants and 369 instructions,
# all known before the first sample arrives.
#
# What a wrong guess costs can be measured on this machine. We read arrays of growing
# size once (a dot product of the array with itself) and count the bytes read per
# second, from 64 KiB to 256 MiB:
# %% [markdown] ko
# ## 메모리: 캐시와 온칩 메모리
#
# 노트의 표는 둘이 데이터를 가져오는 방식도 비교해요. GPU는 *캐시*(cache)를 거치고,
# NPU는 "지연을 최소화하려고" *온칩 메모리*(on-chip memory)를 써요. 둘 다 칩 위,
# 연산 장치 바로 옆에 있는 작고 빠른 메모리예요. 주 메모리(DRAM, GPU라면 옆에 붙은
# HBM)는 크지만 데이터를 가져오는 데 훨씬 오래 걸려요. 차이는 칩 위에 무엇을 둘지
# 누가 정하느냐예요. 캐시는 방금 본 접근 패턴을 보고 스스로 정해요. 말하자면 짐작이에요.
# NPU의 온칩 메모리는 컴파일러가 채워요. 컴파일러는 고정된 그래프 전체를 미리 알아요.
# 가중치와 중간값 하나하나가 언제 만들어지고 언제 마지막으로 쓰이는지까지요. 우리
# 테이프가 바로 그런 그래프예요. 상수 337개와 명령 369개가 첫 샘플이 들어오기 전에
# 모두 정해져 있어요.
#
# 짐작이 빗나가면 얼마나 손해인지 이 컴퓨터에서 재 볼 수 있어요. 64 KiB부터 256 MiB까지
# 점점 큰 배열을 한 번씩 읽고(배열과 자기 자신의 내적), 초당 읽은 바이트를 세요.


# %%
def cache_sizes():
    """The data caches Linux reports for CPU 0, as {"L1": bytes, ...}; empty elsewhere."""
    sizes = {}
    for index in sorted(Path("/sys/devices/system/cpu/cpu0/cache").glob("index*")):
        if (index / "type").read_text().strip() in ("Data", "Unified"):
            text = (index / "size").read_text().strip()  # such as "48K" or "2048K"
            unit = {"K": 1024, "M": 1024**2}.get(text[-1], 1)
            sizes[f"L{(index / 'level').read_text().strip()}"] = int(text.rstrip("KM")) * unit
    return sizes


def bytes_per_second(nbytes):
    """Reading an array of `nbytes` once, the best of several tries (about 0.1 GB read)."""
    array = np.ones(nbytes // 4, dtype=np.float32)
    tries = min(1000, max(5, 10**8 // nbytes))
    seconds, _ = seconds_per_sample(lambda: np.dot(array, array), 1, repeats=tries)
    return nbytes / seconds


sizes = [2**k for k in range(16, 29)]  # 64 KiB to 256 MiB
rates = np.array([bytes_per_second(n) for n in sizes]) / 1e9
caches = cache_sizes()
print(
    "~caches of one core:", ", ".join(f"{level} {n // 1024:,} KiB" for level, n in caches.items())
)
print(
    f"~fastest: {rates.max():.0f} GB/s; arrays of 32 MiB and more: {np.median(rates[-4:]):.0f} GB/s"
)

fig, ax = plt.subplots(figsize=(9, 4))
ax.plot(sizes, rates, "o-", color="tab:blue")
ax.set_xscale("log", base=2)
ax.set_xticks(
    sizes[::2], [f"{n // 1024} KiB" if n < 2**20 else f"{n // 2**20} MiB" for n in sizes[::2]]
)
ax.set_xlim(sizes[0] / 2, sizes[-1] * 2)
for level, n in caches.items():
    ax.axvline(n, color="grey", linestyle=":")
    ax.text(n, rates.max(), f" {level}", color="grey", va="top")
ax.set_ylim(0, rates.max() * 1.1)
ax.set_xlabel(label("size of the array read (log scale)", "읽은 배열의 크기 (로그 눈금)"))
ax.set_ylabel(label("GB read per second", "초당 읽은 GB"))
ax.set_title(
    label(
        "reading memory on this machine (measured, this run)",
        "이 컴퓨터의 메모리 읽기 (측정값, 이번 실행)",
    )
)
plt.tight_layout()
plt.show()

print(f"moons network, float32 weights: {4 * 337:>9,} bytes")
print(f"1000x1000 layer, float32:       {4 * 1000 * 1000:>9,} bytes")
print(f"1000x1000 layer, int8:          {1000 * 1000:>9,} bytes")

# %% [markdown] en
# While the array fits in the caches next to the core (the dotted lines mark the sizes
# the system reports), the core reads it many times faster than once it does not and
# every byte has to come from main memory: the rate falls off a cliff. The largest
# cache (L3) is shared with every other core of the processor, and on a shared machine
# like ours with other work too, so the cliff can come before its size; the large sizes
# are also the noisiest. The cliff itself is there on every run. A multiply-accumulate
# cannot start before its weight arrives, and fetching a weight from DRAM takes longer,
# and costs more energy, than the multiply itself.
#
# Our models in those terms: the moons network's weights fit in any cache. The notes'
# 1000 x 1000 layer is 4 MB of float32 weights, more than the L2 cache of one core on
# many CPUs (this one's is in the chart); in INT8 it is 1 MB. That is the other half of
# why NPUs use small numbers: a quarter of the bytes to move, so more of the model stays
# on the chip.
# %% [markdown] ko
# 배열이 코어 옆 캐시에 들어가는 동안에는(점선이 시스템이 알려 준 캐시 크기예요), 캐시에
# 들어가지 않아 모든 바이트를 주 메모리에서 가져와야 할 때보다 여러 배 빨리 읽어요.
# 속도가 절벽처럼 뚝 떨어지죠. 가장 큰 캐시(L3)는 프로세서의 다른 코어들과 함께 쓰고,
# 우리 컴퓨터처럼 여럿이 나눠 쓰는 컴퓨터라면 다른 작업과도 나눠 써요. 그래서 절벽이 L3
# 크기보다 먼저 나타날 수 있고, 큰 배열 쪽 값이 가장 들쭉날쭉해요. 그래도 절벽 자체는
# 실행할 때마다 나타나요. 곱셈-누산은 가중치가 도착해야 시작할 수 있는데, DRAM에서
# 가중치 하나를 가져오는 데는 곱셈 자체보다 시간도 에너지도 더 들어요.
#
# 이 기준으로 우리 모델을 보면, moons 신경망의 가중치는 어떤 캐시에도 들어가요. 노트의
# 1000 x 1000 층은 float32 가중치만 4 MB라서 많은 CPU에서 코어 하나의 L2 캐시보다 커요(이
# 컴퓨터의 L2 크기는 차트에 있어요). INT8이면 1 MB예요. NPU가 작은 숫자를 쓰는 또 하나의
# 이유가 이거예요. 옮길 바이트가 4분의 1로 줄어서, 모델의 더 많은 부분이 칩 위에 머물러요.

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
# matrices are large and the hardware has units for it. (Our own `int8 engine` is slower
# still: it is the teaching version, which replays our tape one NumPy call per
# instruction, so at batch 1 it pays Python's overhead hundreds of times per sample.)
#
# In the charts: accuracy against size on the left; on the right each version's latency
# at batch 1 (bar: p50, tick: p99) and, as an orange dot, one sample's share of the time
# a batch of 1024 takes.
# %% [markdown] ko
# INT8, FP16, float32을 짧게 비교해 볼게요. 가중치는 약속대로 줄어요. float32 1348바이트가
# float16에서는 674바이트, int8에서는 약 4분의 1이 돼요(여기에 int32 편향과 배율이
# 더해져요). 그런데 int8 *파일*은 float32 파일보다 오히려 커요. 매개변수 337개짜리
# 신경망은 대부분이 그래프(이름, 모양, 그리고 QDQ 쌍마다의 배율과 영점)이기 때문이에요.
# 사다리의 가중치 100만 개짜리 층이라면 가중치가 대부분이라 파일이 약 4분의 1로
# 줄어요. 정확도는 INT8에서도 FP16에서도 그대로예요. 배치 1의 지연 시간은 세 가지가
# 비슷한 수준이고, 우리 컴퓨터에서는 10마이크로초 안팎이었어요. MAC이 304번뿐이라
# 시간은 계산이 아니라 런타임을 부르는 데 들어요. 낮은 정밀도는 행렬이 크고
# 하드웨어에 그 정밀도용 연산 장치가 있을 때 효과가 나요. (우리가 만든 `int8 engine`은
# 더 느려요. 설명용 구현이라 테이프를 명령 하나에 NumPy 호출 한 번씩 재생하기 때문에,
# 배치 1에서는 샘플 하나에 파이썬 부담을 수백 번 물어요.)
#
# 차트의 왼쪽은 크기에 따른 정확도예요. 오른쪽은 버전마다 배치 1의 지연 시간(막대는 p50,
# 세로 눈금은 p99)과, 주황색 점으로 배치 1024를 처리하는 시간 중 샘플 하나의 몫을
# 보여 줘요.


# %%
def legend_below(ax):
    """The legend under the axes, where it hides no bar."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, fontsize=8, frameon=False)


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
batch = result.rows[0].throughput_batch
right.barh(
    names, [row.latency_p50_us for row in result.rows], label=label("batch 1, p50", "배치 1, p50")
)
right.scatter(
    [row.latency_p99_us for row in result.rows],
    names,
    marker="|",
    s=300,
    color="black",
    label=label("batch 1, p99", "배치 1, p99"),
)
right.scatter(
    [1e6 / row.throughput for row in result.rows],
    names,
    color="tab:orange",
    label=label(f"one sample's share of a batch of {batch}", f"배치 {batch}에서 샘플 하나의 몫"),
)
right.set_xscale("log")
right.invert_yaxis()
legend_below(right)
right.set_xlabel(label("microseconds (log scale; this run)", "마이크로초 (로그 눈금, 이번 실행)"))
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
# ## Why not simply a bigger GPU? The note's three limits
#
# The note names three reasons a GPU is not the end of the road.
#
# 1. **Circuits deep learning does not use.** A GPU is built for games, video encoding,
#    3D rendering and simulation as well, and carries hardware for them (the note's
#    examples: texture caches, pixel shaders). An NPU leaves them out. That is a fact
#    about the layout of chips, which no program on this machine can measure, so we only
#    name it.
# 2. **Power and heat.** "A server-class GPU such as the A100 consumes 300-500 W, and is
#    hard to fit in an ordinary laptop or mobile device." Every watt a chip draws leaves
#    it as heat, so a 400 W card needs a server's fans or liquid cooling, while a phone
#    has to shed its few watts through its case. These figures come from vendors'
#    datasheets, not from us; they are below, apart from every measured number.
# 3. **Latency in real time.** Recognising speech on a phone, faces on a CCTV camera, or
#    deciding in a self-driving car needs an answer in milliseconds, one request at a
#    time. That part we can measure.
#
# ### Power and heat: datasheet figures, not measured here
#
# Vendors publish peak rates and power limits: ceilings under ideal conditions, not
# measurements. They never enter our measured tables and charts:
#
# | device (datasheet) | int8 peak | fp16/bf16 peak | maximum power (TDP) |
# |---|---|---|---|
# | NVIDIA A100 SXM | 624 TOPS | 312 TFLOPS | 400 W; up to 500 W with custom cooling |
# | NVIDIA A100 PCIe | 624 TOPS | 312 TFLOPS | 250 W (40 GB), 300 W (80 GB) |
# | Google Coral Edge TPU (an NPU) | 4 TOPS | - | about 2 W (0.5 W per TOPS) |
# %% [markdown] ko
# ## 그냥 더 큰 GPU를 쓰면 안 될까? 노트가 꼽은 세 가지 한계
#
# 노트는 GPU로 끝이 아닌 이유를 세 가지 들어요.
#
# 1. **딥러닝에 쓰이지 않는 회로.** GPU는 게임, 영상 인코딩, 3D 렌더링, 과학
#    시뮬레이션에도 쓰이도록 만들어져서 그런 일을 위한 회로를 품고 있어요(노트의 예는
#    텍스처 캐시와 픽셀 셰이더예요). NPU는 이런 회로를 덜어 내요. 이건 칩 설계도에
#    관한 사실이라 이 컴퓨터의 어떤 프로그램으로도 잴 수 없어요. 그래서 이름만 짚고
#    넘어갈게요.
# 2. **전력과 발열.** 노트는 "서버급 A100 같은 GPU는 300~500W 전력을 소비하며, 일반
#    노트북이나 모바일 기기에 탑재하기 어렵다"고 해요. 칩이 쓰는 전력은 모두 열이 되어 빠져나와요.
#    그래서 400 W짜리 카드는 서버의 팬이나 수랭 장치가 있어야 하고, 스마트폰은 몇 와트의
#    열을 케이스만으로 내보내야 해요. 이 수치는 우리가 잰 게 아니라 제조사
#    데이터시트에서 왔어요. 아래에 측정값과 떼어서 따로 보여 줄게요.
# 3. **실시간 응답 지연.** 스마트폰 음성 인식, CCTV 얼굴 인식, 자율주행차의 판단은
#    요청이 하나씩 들어오고, 답은 밀리초 안에 나와야 해요. 이건 우리가 잴 수 있어요.
#
# ### 전력과 발열: 데이터시트 수치예요. 여기서 잰 값이 아니에요
#
# 제조사는 최대 속도와 전력 한도를 공개해요. 이상적인 조건에서의 상한이지 측정값이
# 아니라서, 우리가 잰 표나 차트에는 절대 섞지 않아요.
#
# | 장치(데이터시트) | int8 최댓값 | fp16/bf16 최댓값 | 최대 전력(TDP) |
# |---|---|---|---|
# | NVIDIA A100 SXM | 624 TOPS | 312 TFLOPS | 400 W, 특수 냉각이면 최대 500 W |
# | NVIDIA A100 PCIe | 624 TOPS | 312 TFLOPS | 250 W (40 GB), 300 W (80 GB) |
# | Google Coral Edge TPU (NPU) | 4 TOPS | - | 약 2 W (TOPS당 0.5 W) |

# %%
# Vendor datasheets, not measured here: each device's maximum power, in watts.
datasheet_watts = {
    "Coral Edge TPU (NPU)": 2,  # 4 TOPS at 0.5 W per TOPS
    "A100 PCIe 40GB": 250,
    "A100 PCIe 80GB": 300,
    "A100 SXM": 400,
    label("A100 SXM, custom cooling", "A100 SXM, 특수 냉각"): 500,
}


def unmeasured_bars(ax, values, color, legend):
    """Bars for numbers this machine did not measure: hollow and hatched, never solid."""
    ax.barh(
        list(values),
        list(values.values()),
        color="white",
        edgecolor=color,
        hatch="//",
        label=legend,
    )


fig, ax = plt.subplots(figsize=(9, 3.5))
unmeasured_bars(
    ax,
    datasheet_watts,
    "grey",
    label("datasheet maximum (not measured)", "데이터시트 최댓값 (측정값 아님)"),
)
ax.axvspan(
    300,
    500,
    color="tab:orange",
    alpha=0.2,
    zorder=0,
    label=label("the note: 300-500 W", "노트: 300~500 W"),
)
ax.set_xscale("log")
ax.set_xlim(1, 2000)
ax.invert_yaxis()
legend_below(ax)
ax.set_xlabel(label("watts (log scale)", "와트 (로그 눈금)"))
ax.set_title(
    label("vendor datasheets, not measured here", "제조사 데이터시트 (여기서 잰 값이 아님)")
)
plt.tight_layout()
plt.show()

for device, tops, watts in (("A100 SXM, int8", 624, 400), ("Coral Edge TPU, int8", 4, 2)):
    print(f"{device:21} {tops / watts:4.2f} TOPS per watt (datasheet peak / datasheet power)")

# %% [markdown] en
# The note's range is the datasheet's: 300 W for the PCIe card with 80 GB, 400 W for
# the SXM module in its standard form, and up to 500 W for the SXM module with custom
# cooling (a footnote of the datasheet). The Edge TPU, an NPU for small devices, works in
# about 2 W, two hundred times less.
#
# Per watt, the peak figures are closer than the note suggests: 1.6 int8 TOPS per watt
# for the A100 against 2 for the Edge TPU. (An operation here is half a MAC, so that is
# at most about 0.8 x 10^12 and 10^12 MACs per joule.) The note's "ten times the
# performance per watt" does not follow from these two datasheets. It is a claim about
# real work, which rarely keeps a GPU at its peak (the next part shows one reason), and
# checking it takes a GPU and an NPU with power meters, which we did not have. The
# ladder's GPU rows will report MACs per joule from `nvidia-smi` once someone runs the
# script on a GPU. What the datasheets do show is the scale: hundreds of watts against
# two.
#
# ### Latency: one request at a time
#
# The deploy road measured every version twice: one sample at a time (batch 1, the
# latency), and in batches of 1024 (the throughput). Per sample:
# %% [markdown] ko
# 노트의 범위는 데이터시트와 같아요. 80 GB PCIe 카드는 300 W, 표준 구성의 SXM 모듈은
# 400 W, 특수 냉각을 한 SXM 모듈은 최대 500 W예요(데이터시트의 각주예요). 작은 기기용
# NPU인 Edge TPU는 약 2 W로 돌아가요. 200분의 1이에요.
#
# 와트당으로 보면 최대 성능은 노트가 말하는 것보다 가까워요. A100은 와트당 int8 1.6
# TOPS, Edge TPU는 2 TOPS예요. (여기서 연산 하나는 MAC의 절반이니까, 줄당 MAC으로는
# 각각 최대 약 0.8 x 10^12번과 10^12번이에요.) 노트의 "1W당 성능이 GPU 대비 10배 이상"은
# 이 두 데이터시트만으로는 나오지 않아요. 실제 작업에 관한 주장인데, 실제 작업은 GPU를
# 최대 성능으로 돌리는 일이 드물어요(바로 다음에 그 이유 하나를 봐요). 이 주장을
# 확인하려면 GPU와 NPU, 그리고 전력계가 있어야 하는데 우리에게는 없었어요. 누군가
# GPU에서 사다리 스크립트를 돌리면 GPU 행에 `nvidia-smi`로 잰 줄당 MAC이 채워져요.
# 데이터시트가 분명히 보여 주는 건 규모예요. 수백 와트 대 2와트예요.
#
# ### 응답 지연: 요청은 하나씩 들어와요
#
# 배포 과정은 버전마다 두 번 쟀어요. 샘플을 하나씩 넣었을 때(배치 1, 지연 시간)와
# 1024개씩 묶어 넣었을 때(처리량)예요. 샘플 하나당 시간으로 바꿔 볼게요.

# %%
for row in result.rows:
    in_a_batch = 1e6 / row.throughput  # microseconds per sample
    print(
        f"{row.version:12} ~ batch 1: {row.latency_p50_us:8.1f} µs   "
        f"batch {row.throughput_batch}: {in_a_batch:7.3f} µs per sample   "
        f"{row.latency_p50_us / in_a_batch:5.0f}x"
    )

# %% [markdown] en
# One sample at a time costs each version around a hundred times more per sample, or
# more, than the same work done in a batch (the orange dots of the latency chart above).
# Throughput comes from batching: the more parallel units a chip has, the larger the
# batch it needs to keep them all busy, and a data-centre GPU has thousands. A voice
# command, a camera frame or a car's decision arrives alone and needs its answer now;
# waiting to fill a batch is not an option. A GPU also adds costs of its own to every
# request, launching its kernels and copying the input across the PCIe bus, which we
# could not measure here. An inference NPU is built for batch 1: small, always ready,
# its weights already on the chip.
# %% [markdown] ko
# 샘플을 하나씩 넣으면, 어느 버전이든 같은 일을 배치로 할 때보다 샘플 하나당 100배
# 안팎, 또는 그 이상이 들어요(위 지연 시간 차트의 주황색 점이에요). 처리량은 배치에서
# 나와요. 칩에 병렬 연산 장치가 많을수록 모두에게 일을 주려면 배치가 커야 하는데,
# 데이터 센터용 GPU에는 그런 장치가 수천 개예요. 그런데 음성 명령, 카메라 프레임,
# 자동차의 판단은 하나씩 들어오고 답은 바로 나와야 해요. 배치가 찰 때까지 기다릴 수
# 없어요. GPU는 요청마다 자기 나름의 비용도 더해요. 커널을 띄우고 입력을 PCIe 버스로
# 복사하는 시간인데, 여기서는 잴 수 없었어요. 추론용 NPU는 배치 1을 위해 만들어져요.
# 작고, 늘 준비되어 있고, 가중치는 이미 칩 위에 있어요.

# %% [markdown] en
# ## Training on GPUs, inference on NPUs
#
# The note's table splits the work: **training** (tens to hundreds of gigabytes of data,
# thousands of passes) on server GPUs; **inference** (a trained model answering in real
# time) on NPUs in phones and other devices, often at low precision. Two measurements
# show why the line falls there.
#
# First, the amount of work. Training runs forward and backward (about twice the
# forward's MACs, as above) over every point in every epoch; a prediction runs the
# forward pass once:
# %% [markdown] ko
# ## 학습은 GPU에서, 추론은 NPU에서
#
# 노트의 표는 일을 나눠요. **학습**(training, 수십~수백 GB의 데이터를 수천 번 반복)은
# 서버의 GPU가, **추론**(inference, 학습된 모델로 실시간 판단)은 스마트폰 같은 기기의
# NPU가 맡고, 추론은 낮은 정밀도로 할 때가 많아요. 왜 그렇게 나뉘는지 두 가지를 재
# 볼게요.
#
# 첫째, 일의 양이에요. 학습은 에포크마다 모든 점에 대해 순전파와 역전파(앞에서처럼
# 순전파 MAC의 두 배쯤)를 해요. 예측 하나는 순전파 한 번이면 돼요.

# %%
forward = graph_stats(model([x1, x2])).macs
training = run.epochs * len(run.X) * 3 * forward  # epochs, points, forward + backward
print(f"one prediction: {forward} MACs")
print(
    f"training: {run.epochs} epochs x {len(run.X)} points x 3 x {forward} MACs "
    f"= {training / 1e6:.2f} million MACs, as much as {training // forward:,} predictions"
)
seconds = f"training {training_seconds:.0f} s, one prediction {t_scalar * 1e6:.0f} µs"
print(f"~on the scalar engine: {seconds}")

# %% [markdown] en
# Training this small network took 9.12 million MACs, the work of 30,000 predictions,
# and it is done once, on whatever machine is fastest; the predictions then happen one
# by one wherever the data is. At the notes' scale the training side is the 3 x 10^12
# MACs from the start of this lesson.
#
# Second, precision. INT8 was free for inference above: the same accuracy. Training is
# different. Each step moves a weight by the learning rate times its gradient, and as
# training settles those moves become tiny. A weight stored in INT8 can only move in
# steps of its layer's scale `s`; a move smaller than half a step rounds back to the
# weight it came from, and is lost. While training we kept every step's weights and
# updates (`keep_step` above); here is how many an INT8 weight would have lost:
# %% [markdown] ko
# 이 작은 신경망을 학습하는 데 MAC이 9.12 x 10^6번, 예측 30,000번만큼의 일이 들었어요.
# 학습은 가장 빠른 컴퓨터에서 한 번 하면 끝이고, 예측은 그 뒤로 데이터가 있는 곳에서
# 하나씩 일어나요. 노트의 규모라면 학습 쪽은 이 강의 앞부분에서 계산한 MAC 3 x 10^12번이에요.
#
# 둘째, 정밀도예요. 앞에서 INT8은 추론에 아무 손해가 없었어요. 정확도가 그대로였죠.
# 학습은 달라요. 한 단계마다 가중치는 학습률 곱하기 기울기만큼 움직이는데, 학습이
# 자리를 잡아 갈수록 이 움직임이 아주 작아져요. INT8로 저장한 가중치는 그 층의 배율
# `s` 단위로만 움직일 수 있어서, 반 칸보다 작은 움직임은 반올림하면 원래 가중치로
# 돌아가 사라져요. 학습하는 동안 단계마다 가중치와 갱신량을 모아 두었으니(위의
# `keep_step`), INT8 가중치였다면 몇 개를 잃었을지 세어 볼게요.

# %%
lost = []  # per epoch: the fraction of weight updates smaller than half an INT8 step
for layers in steps:
    small = sum(np.sum(np.abs(update) < int8_scale(W) / 2) for W, update in layers)
    lost.append(small / sum(update.size for _, update in layers))
print(f"epoch 1: {lost[0]:.0%} of the weight updates are smaller than half an INT8 step")
print(f"epoch {len(lost)}: {lost[-1]:.0%}")
print(f"over all {len(lost)} epochs: {np.mean(lost):.0%}")

fig, ax = plt.subplots(figsize=(8, 3.5))
ax.plot(range(1, len(lost) + 1), 100 * np.array(lost), color="tab:blue")
ax.set(
    ylim=(0, 105),
    xlabel=label("epoch", "에포크"),
    ylabel=label("updates lost (%)", "사라지는 갱신 (%)"),
    title=label(
        "weight updates INT8 weights would round away (measured, this training)",
        "INT8 가중치라면 반올림으로 사라질 갱신 (측정값, 이번 학습)",
    ),
)
plt.tight_layout()
plt.show()

# %% [markdown] en
# From about a third of the updates in the first epoch to all of them at the end, 86%
# over the whole run: a network whose weights were stored in INT8 would stop learning
# early. So training stays in floating point, on hardware with the memory to keep every
# intermediate value for the backward pass: GPUs. They train in 16-bit formats too, but
# keep a float32 copy of the weights to collect the small updates ("mixed precision").
# Once training is over the weights are frozen, and a frozen network can go to INT8 for
# inference, as the deploy road did above.
# %% [markdown] ko
# 첫 에포크에는 갱신의 3분의 1쯤, 끝에서는 전부, 학습 전체로는 86%가 사라져요. 가중치를
# INT8로 저장한 신경망이라면 일찍 학습을 멈춰 버렸을 거예요. 그래서 학습은 부동소수점으로
# 하고, 역전파를 위해 중간값을 모두 담아 둘 메모리가 있는 하드웨어, 곧 GPU에서 해요.
# GPU도 16비트 형식으로 학습하지만, 작은 갱신을 모으려고 가중치의 float32 사본을 따로
# 둬요("혼합 정밀도", mixed precision). 학습이 끝나면 가중치는 고정되고, 고정된 신경망은
# 위의 배포 과정처럼 INT8로 바꿔 추론할 수 있어요.

# %% [markdown] en
# ## Edge AI: the model goes to the data
#
# The note's last argument: the days of sending everything to the cloud are over, because
# of privacy, network delay and the need to answer in real time, so the device has to
# decide by itself. Hence NPUs in smartphones, self-driving cars and IoT devices.
#
# Privacy is about where the data goes, and no number measures it. The deploy road
# shows the other direction: instead of sending the inputs to a server, it ships the
# model to the device. Our whole classifier is a float32 file of 1,738 bytes; the voice
# or the face it would judge never has to leave the phone.
#
# Network delay has a floor set by physics. Light in glass fibre covers about 200,000 km
# a second, two thirds of its speed in vacuum, and a question to a server has to go
# there and back. Against that floor, the answer measured on this machine:
# %% [markdown] ko
# ## 엣지 AI: 모델이 데이터 곁으로 가요
#
# 노트의 마지막 주장은 이래요. 데이터를 모두 클라우드로 보내 분석하는 시대는 지났어요.
# 개인정보 문제, 네트워크 지연, 실시간 응답이 필요하니 기기 안에서 판단해야 해요. 그래서
# 스마트폰, 자율주행차, IoT 기기에 NPU가 들어가요.
#
# 개인정보는 데이터가 어디로 가느냐의 문제라서 숫자로 잴 수는 없어요. 배포 과정은
# 방향을 거꾸로 보여 줘요. 입력을 서버로 보내는 대신 모델을 기기로 보내요. 우리 분류기는
# 통째로 1,738바이트짜리 float32 파일이에요. 판단할 목소리나 얼굴은 스마트폰 밖으로 나갈
# 필요가 없어요.
#
# 네트워크 지연에는 물리 법칙이 정한 바닥이 있어요. 유리 광섬유 속의 빛은 1초에 약
# 200,000 km를 가요. 진공에서의 3분의 2예요. 서버에 묻는 질문은 갔다가 돌아와야 하고요.
# 그 바닥과 이 컴퓨터에서 잰 응답 시간을 나란히 놓아 볼게요.

# %%
light_in_fibre = 2.0e8  # metres per second, about two thirds of the speed of light
on_device = result.row("float32")
measured = {
    label("this machine, batch 1, p50", "이 컴퓨터, 배치 1, p50"): on_device.latency_p50_us,
    label("this machine, batch 1, p99", "이 컴퓨터, 배치 1, p99"): on_device.latency_p99_us,
}
computed = {}
for km in (10, 100, 1000):
    there_and_back = 2 * km * 1000 / light_in_fibre * 1e6  # microseconds
    print(f"light to a server {km:>5,} km away and back: {there_and_back:>6,.0f} µs")
    computed[label(f"light to {km:,} km and back", f"빛이 {km:,} km를 왕복")] = there_and_back
print(f"~the float32 model on this machine: p50 {on_device.latency_p50_us:.0f} µs")

fig, ax = plt.subplots(figsize=(9, 3.5))
ax.barh(
    list(measured),
    list(measured.values()),
    color="tab:blue",
    label=label("measured, this run", "측정값, 이번 실행"),
)
unmeasured_bars(
    ax,
    computed,
    "tab:orange",
    label(
        "computed: the physical floor, no router or server yet",
        "계산값: 물리적 하한, 라우터나 서버 시간은 빼고",
    ),
)
ax.set_xscale("log")
ax.invert_yaxis()
legend_below(ax)
ax.set_xlabel(label("microseconds (log scale)", "마이크로초 (로그 눈금)"))
ax.set_title(
    label("answering on the device against asking a server", "기기에서 답하기 대 서버에 묻기")
)
plt.tight_layout()
plt.show()

# %% [markdown] en
# A server 100 km away costs 1,000 µs, a millisecond, there and back before any router,
# queue or server has done anything, and real networks add all of those. The model on
# this machine answers within tens of microseconds. For a car, a phone or a camera, the
# fastest network is no network.
# %% [markdown] ko
# 100 km 떨어진 서버라면 라우터도, 대기열도, 서버도 아직 아무 일을 안 했는데 왕복만으로
# 1,000 µs, 곧 1밀리초가 들어요. 실제 네트워크에는 그 모든 시간이 더해지고요. 이
# 컴퓨터의 모델은 수십 마이크로초 안에 답해요. 자동차와 스마트폰과 카메라에게 가장 빠른
# 네트워크는 아예 네트워크를 거치지 않는 거예요.

# %% [markdown] en
# **What to take away.** The notes' "a million multiply-adds per layer" is a count you
# can make; the same computation runs hundreds to thousands of times faster once it is
# grouped the way hardware wants it (one instruction over many samples, one matrix per
# layer, a fixed graph), and the ladder measures each step of that climb. A real runtime's
# deploy road (graph fusion, static INT8 with calibration, FP16) keeps a trained
# classifier's answers, while pruning needs retraining to be free. The third note's
# reasons for NPUs show up in measurements too: data that leaves the chip's caches is
# read many times more slowly; one request at a time leaves a parallel machine
# waiting; training needs the fine steps of floating point while a frozen network runs
# in INT8; and an answer on the device beats the round trip of any network. And a
# datasheet's watts and TOPS are ceilings to compare against, never measurements.
# %% [markdown] ko
# **정리.** 노트의 "층 하나에 곱셈-누산(MAC) 100만 번"은 직접 셀 수 있는 숫자예요. 같은
# 계산도 하드웨어가 원하는 방식(명령 하나로 여러 샘플, 층마다 행렬 하나, 고정된
# 그래프)으로 묶으면 수백에서 수천 배 빨라지고, 사다리는 그 오름폭을 한 칸씩 재요.
# 실제 런타임의 배포 과정(그래프 융합, 보정을 거친 정적 INT8, FP16)은 학습된 분류기의
# 답을 그대로 지켜요. 가지치기는 다시 학습해야 손해가 없어요. 세 번째 노트가 드는 NPU의
# 이유들도 측정으로 확인돼요. 칩의 캐시를 벗어난 데이터는 여러 배 느리게 읽히고, 요청을
# 하나씩 받으면 병렬 기계가 놀고, 학습에는 부동소수점의 잘게 움직이는 걸음이 필요하지만
# 고정된 신경망은 INT8로 돌아가고, 기기 안에서 답하면 어떤 네트워크의 왕복보다도
# 빨라요. 그리고 데이터시트의 와트와 TOPS는 비교할 상한이지 측정값이 아니에요.
