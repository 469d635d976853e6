# %% [markdown] en
# # 1. A neuron and forward propagation
#
# The study notes behind this project start with one artificial neuron. It multiplies each
# input by a weight, adds the products and a bias, and passes the sum through an
# activation function:
#
# $$y = \mathrm{activation}(w_1 x_1 + w_2 x_2 + w_3 x_3 + b)$$
#
# Their example: inputs `[0.6, 0.2, 0.9]`, weights `[0.8, 0.1, 0.3]`, bias `0.2`.
# We compute it with `Value`s (numbers that remember how they were made), draw the
# computation, and then stack neurons into layers. Running inputs through the network
# from the first layer to the last is **forward propagation**.
# %% [markdown] ko
# # 1. 뉴런 하나와 순전파
#
# 이 프로젝트의 바탕이 된 학습 노트는 인공 뉴런 하나에서 시작해요. 뉴런은
# 입력마다 가중치(weight)를 곱해서 더하고 편향(bias)을 더한 다음, 그 합을
# 활성화 함수(activation function)에 통과시켜요.
#
# $$y = \mathrm{activation}(w_1 x_1 + w_2 x_2 + w_3 x_3 + b)$$
#
# 노트의 예시는 입력 `[0.6, 0.2, 0.9]`, 가중치 `[0.8, 0.1, 0.3]`, 편향 `0.2`예요.
# 이 계산을 `Value`(자기가 어떻게 계산됐는지 기억하는 숫자)로 직접 해 보고,
# 계산 과정을 그림으로 그린 뒤, 뉴런을 층(layer)으로 쌓아 볼 거예요. 입력을 첫
# 층부터 마지막 층까지 차례로 통과시키는 과정이 바로 **순전파**(forward
# propagation)예요.

# %% [markdown] en
# ## A neuron in the brain, and in the program
#
# The notes say the artificial neuron was inspired by the biological one, and the fifth
# note sets them side by side. Its table has three rows; we add the synapse, where the
# weight lives:
#
# | biological neuron | artificial neuron |
# | --- | --- |
# | dendrites: receive the signals | the inputs x1, x2, x3 |
# | synapses: how strongly each connection passes its signal on | the weights w1, w2, w3 |
# | cell body (soma): processes the signals | the weighted sum w1 x1 + w2 x2 + w3 x3 + b |
# | axon: passes the output on when the neuron fires | the activation, and its output |
#
# The analogy helps to remember the parts. It is wrong in several ways:
#
# - A real neuron fires **spikes**: short all-or-nothing pulses, and what it says lies in
#   how often and when it fires. An artificial neuron gives one number per input, with no
#   time in it.
# - Real dendrites compute on their own; they do not just add.
# - The brain is not known to learn by backpropagation: a synapse changes by what happens
#   near it. Gradient descent (lesson 5) is an engineering method, not biology.
# - A brain has about 86 billion neurons, each with thousands of synapses, wired in
#   loops. The networks of these lessons have tens of neurons in a row of layers.
# %% [markdown] ko
# ## 뇌 속의 뉴런, 프로그램 속의 뉴런
#
# 노트는 인공 뉴런이 생물학적 뉴런에서 영감을 받았다고 하고, 다섯 번째 노트는 둘을 나란히
# 놓아요. 노트의 표는 세 줄인데, 가중치가 자리 잡은 시냅스(synapse)를 한 줄 더했어요.
#
# | 생물학적 뉴런 | 인공 뉴런 |
# | --- | --- |
# | 덴드라이트(dendrite): 신호를 받아요 | 입력 x1, x2, x3 |
# | 시냅스: 연결마다 신호를 넘겨주는 세기가 달라요 | 가중치 w1, w2, w3 |
# | 세포체(soma): 신호를 처리해요 | 가중합 w1 x1 + w2 x2 + w3 x3 + b |
# | 축삭(axon): 뉴런이 발화하면 출력을 전달해요 | 활성화 함수와 그 출력 |
#
# 이 비유는 각 부분을 기억하는 데 도움이 되지만, 여러 면에서 틀려요.
#
# - 진짜 뉴런은 **스파이크**(spike)를 보내요. 짧게 "켜짐 아니면 꺼짐"인 전기 신호이고,
#   정보는 얼마나 자주, 언제 발화하는지에 담겨요. 인공 뉴런은 입력 하나에 숫자 하나를 낼
#   뿐이고, 거기에 시간은 없어요.
# - 진짜 덴드라이트는 그냥 더하기만 하지 않고 스스로 계산도 해요.
# - 뇌가 역전파로 학습한다는 사실은 밝혀진 바 없어요. 시냅스는 그 주변에서 일어나는 일에 따라
#   바뀌어요. 경사 하강법(5강)은 공학의 방법이지 생물학이 아니에요.
# - 뇌에는 뉴런이 860억 개쯤 있고, 뉴런마다 시냅스가 수천 개씩 있으며, 고리를 이루며
#   연결돼 있어요. 이 레슨들의 신경망은 뉴런 수십 개가 층을 이뤄 한 줄로 늘어선 정도예요.

# %% [markdown] en
# ## The notes' neuron, by hand
#
# Each number is a `Value` with a label, so the drawings below can name it.
# `ag.sum` adds a list in one step, as a neuron does.
# %% [markdown] ko
# ## 노트의 뉴런을 직접 계산하기
#
# 숫자마다 이름표(label)를 단 `Value`로 만들어서, 아래 그림에 이름이 나오게
# 했어요. `ag.sum`은 뉴런처럼 여러 값을 한 번에 더해요.

# %%
import autograd as ag
from autograd import Value
from autograd.viz import draw

x = [Value(0.6, label="x1"), Value(0.2, label="x2"), Value(0.9, label="x3")]
w = [Value(0.8, label="w1"), Value(0.1, label="w2"), Value(0.3, label="w3")]
b = Value(0.2, label="b")

products = [xi * wi for xi, wi in zip(x, w)]
z = ag.sum([*products, b])
z.label = "z"
for xi, wi, p in zip(x, w, products):
    print(f"{xi.label} * {wi.label} = {xi.data} * {wi.data} = {p.data:.4g}")
print("z = " + " + ".join(f"{p.data:.4g}" for p in [*products, b]) + f" = {z.data:.4g}")

# %% [markdown] en
# The weighted sum is **0.97**, as in the notes. Now the activation. ReLU keeps a
# positive number and turns a negative one into 0; sigmoid squeezes any number into
# (0, 1), which can be read as a probability.
# %% [markdown] ko
# 가중합은 노트와 같이 **0.97**이에요. 이제 활성화 함수를 적용해요. ReLU는 양수는 그대로
# 두고 음수는 0으로 바꿔요. 시그모이드(sigmoid)는 어떤 수든 0과 1 사이의 값으로 바꿔 주기
# 때문에, 그 출력을 확률처럼 읽을 수 있어요.

# %%
print(f"relu(z)    = {z.relu().data:.4f}")
print(f"sigmoid(z) = {z.sigmoid().data:.4f}")

# %% [markdown] en
# For 0.97 ReLU changes nothing. They differ on a negative sum: give the same neuron a
# bias of -1.5 instead of 0.2.
# %% [markdown] ko
# 0.97에서는 ReLU가 아무것도 바꾸지 않아요. 둘의 차이는 합이 음수일 때
# 드러나요. 같은 뉴런의 편향을 0.2 대신 -1.5로 바꿔 볼게요.

# %%
z_negative = ag.sum([*products, Value(-1.5, label="b")])
print(f"z          = {z_negative.data:.4f}")
print(f"relu(z)    = {z_negative.relu().data:.4f}")
print(f"sigmoid(z) = {z_negative.sigmoid().data:.4f}")

# %% [markdown] en
# ReLU says "nothing" (0); sigmoid still says "a bit under one half". Lesson 2 looks at
# what this difference does to learning.
#
# ## What a weight and a bias do
#
# The notes: a weight sets **how important an input is** (the larger it is, the more that
# input moves the output), and the bias adjusts the output, and with it **whether the
# neuron fires**. We check both on the notes' neuron, changing one number at a time. First
# the weight w3 of input x3: the output when x3 is 0 and when it is 0.9. Then the bias,
# with the notes' inputs: the sum z, the outputs, and how large x3 would have to be for
# the neuron to fire (z > 0: ReLU gives more than 0, sigmoid more than one half).
# %% [markdown] ko
# ReLU는 "없음"(0)이라고 답하고, 시그모이드는 여전히 "절반보다 조금 작음"이라고
# 답해요. 이 차이가 학습에 어떤 영향을 주는지는 2강에서 살펴봐요.
#
# ## 가중치와 편향이 하는 일
#
# 노트에 따르면 가중치는 **입력이 얼마나 중요한지**를 정해요(클수록 그 입력이 출력을 더 크게
# 움직여요). 편향은 출력을 조정하고, 그래서 **뉴런이 발화할지**를 정해요. 노트의 뉴런에서
# 숫자를 하나씩만 바꾸며 둘 다 확인해 봐요. 먼저 입력 x3의 가중치 w3를 바꾸면서 x3가
# 0일 때와 0.9일 때의 출력을 봐요. 그다음 노트의 입력은 그대로 두고 편향을 바꾸면서 합 z와
# 출력, 그리고 뉴런이 발화하려면(z > 0: ReLU는 0보다 큰 값을, 시그모이드는 절반보다 큰
# 값을 내요) x3가 얼마나 커야 하는지를 봐요.

# %%
from autograd import Neuron

notes = {"w1": 0.8, "w2": 0.1, "w3": 0.3, "b": 0.2}
probe = Neuron(3, "sigmoid")


def run(x3, **change):
    """The notes' neuron on inputs [0.6, 0.2, x3], with some parameters changed:
    its weighted sum z and its output."""
    probe.load_state_dict({**notes, **change})
    inputs = [0.6, 0.2, x3]
    with ag.no_grad():  # forward only
        return (ag.dot(probe.w, inputs) + probe.b).data, probe(inputs).data


for w3 in [0.0, 0.3, 1.0, 3.0]:
    at_0, at_09 = run(0.0, w3=w3)[1], run(0.9, w3=w3)[1]
    moved = at_09 - at_0
    print(f"w3 = {w3}: output {at_0:.3f} at x3 = 0, {at_09:.3f} at x3 = 0.9 (moved {moved:+.3f})")
print()
for bias in [-3.0, -1.5, 0.2, 2.0]:
    z_sum, sigmoid = run(0.9, b=bias)
    fires_from = -(0.6 * 0.8 + 0.2 * 0.1 + bias) / 0.3  # where z = 0, solved for x3
    print(
        f"b = {bias:4}: z = {z_sum:+.2f}, relu {max(z_sum, 0.0):.2f}, sigmoid {sigmoid:.3f};"
        f" fires once x3 > {fires_from:.2f}"
    )

# %% [markdown] en
# With w3 = 0 the neuron ignores x3 entirely: the output does not move. The larger the
# weight, the more the same change of x3 moves the output: the weight is that input's
# importance. The bias moves the point where the neuron starts to fire: with b = 0.2 any
# x3 above -2.33 will do, with b = -1.5 it takes an x3 above **3.33**. A large bias makes
# the neuron fire easily, a very negative one makes it hard to wake. Drawn over a range
# of x3:
# %% [markdown] ko
# w3 = 0이면 뉴런은 x3를 아예 무시해요. 출력이 전혀 움직이지 않아요. 가중치가 클수록
# x3가 똑같이 변해도 출력이 더 크게 움직여요. 가중치가 곧 그 입력의 중요도예요. 편향은
# 뉴런이 발화하기 시작하는 지점을 옮겨요. b = 0.2면 x3가 -2.33보다 크기만 하면 되는데,
# b = -1.5면 x3가 **3.33**보다 커야 해요. 편향이 크면 뉴런이 쉽게 발화하고, 큰
# 음수면 좀처럼 깨어나지 않아요. x3의 범위 전체에 걸쳐 그려 보면 이래요.

# %%
import matplotlib.pyplot as plt

x3_range = [-10 + 0.1 * k for k in range(201)]
figure, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
for w3 in [0.0, 0.3, 1.0, 3.0]:
    left.plot(x3_range, [run(x3, w3=w3)[1] for x3 in x3_range], label=f"w3 = {w3}")
for bias in [-3.0, -1.5, 0.2, 2.0]:
    right.plot(x3_range, [run(x3, b=bias)[1] for x3 in x3_range], label=f"b = {bias}")
left.set_title(label("changing the weight w3 (b = 0.2)", "가중치 w3 바꾸기 (b = 0.2)"))
right.set_title(label("changing the bias b (w3 = 0.3)", "편향 b 바꾸기 (w3 = 0.3)"))
left.set_ylabel(label("sigmoid output", "시그모이드 출력"))
for ax in (left, right):
    ax.axhline(0.5, color="grey", lw=0.8, ls=":")
    ax.set_xlabel("x3")
    ax.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown] en
# Left: the weight sets the slope, how strongly x3 matters (flat at w3 = 0). Right: the
# bias slides the same curve sideways, and with it the point where the output crosses one
# half, where the neuron "fires".
#
# ## The computation, drawn
#
# Every operation recorded a node. `draw` shows them: boxes are values (name and data),
# ellipses are the operations between them, and arrows point the way the data flows.
# (`show_grad=False`: there are no gradients yet; they come in lesson 4.)
# %% [markdown] ko
# 왼쪽: 가중치는 기울기, 즉 x3가 얼마나 중요한지를 정해요(w3 = 0이면 평평해요). 오른쪽:
# 편향은 같은 곡선을 옆으로 밀어서, 출력이 절반을 넘는 지점, 곧 뉴런이 "발화하는" 지점을
# 옮겨요.
#
# ## 계산 과정을 그림으로
#
# 연산을 할 때마다 노드가 하나씩 기록돼요. `draw`로 그려 보면, 상자는 값(이름과
# 데이터)이고, 타원은 그 사이의 연산이며, 화살표는 데이터가 흐르는 방향이에요.
# (`show_grad=False`: 아직 기울기가 없어요. 기울기는 4강에서 다뤄요.)

# %%
y = z.sigmoid()
y.label = "y"
draw(y, show_grad=False)

# %% [markdown] en
# Read it from left to right: three products (`· * ·`), one sum of four terms, then the
# sigmoid. Forward propagation is exactly this walk from the inputs to the output.
#
# ## The same neuron from `autograd.nn`
#
# `Neuron(3, "sigmoid")` builds this computation for you. Load the notes' weights into it
# and it gives the same numbers; its weights are `neuron.w` and its bias `neuron.b`.
# %% [markdown] ko
# 왼쪽에서 오른쪽으로 읽어 보세요. 곱셈 세 번(`· * ·`), 네 항의 합 한 번, 그리고
# 시그모이드예요. 순전파는 바로 이렇게 입력에서 출력까지 걸어가는 과정이에요.
#
# ## `autograd.nn`의 뉴런으로 다시
#
# `Neuron(3, "sigmoid")`가 이 계산을 대신 만들어 줘요. 노트의 가중치를 넣으면 같은
# 숫자가 나와요. 가중치는 `neuron.w`, 편향은 `neuron.b`로 꺼내 볼 수 있어요.

# %%
from autograd import Neuron

neuron = Neuron(3, "sigmoid")
neuron.load_state_dict({"w1": 0.8, "w2": 0.1, "w3": 0.3, "b": 0.2})
print(neuron)
out = neuron(x)
# The neuron's weights are public: its weighted sum, as a Value of its own.
weighted_sum = ag.dot(neuron.w, x) + neuron.b
print(f"weighted sum {weighted_sum.data:.4g}, output {out.data:.4f}")

# %% [markdown] en
# ## Layers: neurons side by side
#
# A **layer** is several neurons reading the same inputs, each with its own weights. A
# new layer starts from random weights; `seed=0` makes them the same on every run.
# %% [markdown] ko
# ## 층: 나란히 선 뉴런들
#
# **층**(layer)은 같은 입력을 받는 뉴런 여러 개를 묶은 것이고, 뉴런마다 자기 가중치가
# 있어요. 새로 만든 층의 가중치는 무작위 값으로 시작하는데, `seed=0`을 주면 실행할 때마다
# 같은 값이 나와요.

# %%
from autograd import Layer

layer = Layer(3, 4, "relu", seed=0)
print(layer)
for neuron_out in layer(x):
    print(f"{neuron_out.label}: {neuron_out.data:.4f}")

# %% [markdown] en
# Four numbers out for three in. `n2` gives 0: its weighted sum was negative, and ReLU
# cut it off.
#
# ## A network: layers in a row
#
# The notes' picture of a deep network is input → hidden layer 1 → hidden layer 2 → ...
# → output. An `MLP` (multi-layer perceptron) is exactly that: each layer reads the
# previous layer's outputs. Here: 3 inputs → 4 ReLU neurons → 4 ReLU neurons → 1 sigmoid
# output. Let us follow one forward pass layer by layer.
# %% [markdown] ko
# 입력 세 개가 들어가서 숫자 네 개가 나왔어요. `n2`가 0인 건 가중합이 음수여서
# ReLU가 잘라냈기 때문이에요.
#
# ## 신경망: 줄지어 선 층들
#
# 노트가 그리는 깊은 신경망은 입력층 → 은닉층1 → 은닉층2 → ... → 출력층이에요.
# `MLP`(다층 퍼셉트론, multi-layer perceptron)가 바로 그 구조로, 각 층이 앞 층의
# 출력을 입력으로 읽어요. 여기서는 입력 3개 → ReLU 뉴런 4개 → ReLU 뉴런 4개 →
# 시그모이드 출력 1개예요. 순전파 한 번을 층별로 따라가 볼게요.

# %%
from autograd import MLP

model = MLP(3, [4, 4, 1], activation="relu", output_activation="sigmoid", seed=0)
print(model)
values = x
for number, layer in enumerate(model.layers, start=1):
    values = layer(values)
    print(f"layer {number}: " + ", ".join(f"{v.data:.4f}" for v in values))
prediction = values[0]

# %% [markdown] en
# Each layer turns a list of numbers into another list; the last one holds the
# prediction. Calling `model(x)` does the same loop. The whole graph is already large
# for so small a network:
# %% [markdown] ko
# 층마다 숫자 목록을 받아서 새 목록을 내놓고, 마지막 목록에 예측값이 들어 있어요.
# `model(x)`를 호출해도 같은 반복을 해요. 이렇게 작은 신경망인데도 계산 그래프는
# 벌써 꽤 커요.

# %%
print(ag.graph_stats(prediction, parameters=model))

# %% [markdown] en
# About a hundred nodes, and each multiply-accumulate is one product feeding a sum
# (lesson 12 counts them for big networks). Drawn node by node that is a lot to read, so
# `draw` can **collapse** each neuron into one box (`collapse="neuron"`)...
# %% [markdown] ko
# 노드가 백 개 가까이 돼요. 곱셈-누산(MAC, multiply-accumulate) 하나는 합으로
# 들어가는 곱셈 하나예요(12강에서 큰 신경망의 MAC 수를 세어 봐요). 노드 하나하나를
# 그리면 읽기 힘드니까, `draw`는 뉴런 하나를 상자 하나로 **접어서** 그릴 수
# 있어요(`collapse="neuron"`)...

# %%
draw(prediction, collapse="neuron", show_grad=False)

# %% [markdown] en
# ...or each layer (`collapse="layer"`), which is the notes' picture: input → hidden →
# hidden → output.
# %% [markdown] ko
# ...층 하나를 상자 하나로 접을 수도 있어요(`collapse="layer"`). 노트가 그린
# 입력 → 은닉 → 은닉 → 출력 그림 그대로예요.

# %%
draw(prediction, collapse="layer", show_grad=False)

# %% [markdown] en
# ## What do the layers compute?
#
# The notes say early layers find simple features and later ones combine them. We can
# look at that directly with two inputs, where every point of a plane is one input. Below,
# each small picture shows one neuron's output over the square [-2, 2] x [-2, 2] (dark is
# 0, bright is large). A new network has biases 0, which would put every edge through the
# centre, so we give the biases random values to see a typical picture. Nothing is
# trained yet.
# %% [markdown] ko
# ## 층들은 무엇을 계산할까?
#
# 노트는 앞쪽 층이 단순한 특징을 찾고 뒤쪽 층이 그것을 조합한다고 해요. 입력이
# 두 개라면 평면의 점 하나하나가 입력 하나가 되니까, 이를 직접 볼 수 있어요.
# 아래 작은 그림 하나하나는 뉴런 하나의 출력을 [-2, 2] x [-2, 2] 영역에 걸쳐
# 보여 줘요(어두우면 0, 밝으면 큰 값). 새 신경망은 편향이 0이라 모든 경계가
# 한가운데를 지나게 되므로, 편향에 무작위 값을 줘서 흔한 모습을 보기로 해요.
# 아직 학습은 전혀 하지 않았어요.

# %%
import random

import matplotlib.pyplot as plt
import numpy as np

net = MLP(2, [4, 4, 1], activation="relu", seed=1)
rng = random.Random(1)
for name, parameter in net.named_parameters():
    if name.endswith(".b"):
        parameter.data = rng.uniform(-1.0, 1.0)

grid = [-2.0 + 4.0 * i / 60 for i in range(61)]
outputs = {}  # neuron name -> its output at every point, row by row
with ag.no_grad():  # forward passes only: record no graph
    for x2 in reversed(grid):  # the top row of a picture is the largest x2
        for x1 in grid:
            hidden1 = net.layers[0]([x1, x2])
            hidden2 = net.layers[1](hidden1)
            for v in hidden1 + hidden2:
                outputs.setdefault(v.label, []).append(v.data)

figure, axes = plt.subplots(2, 4, figsize=(9, 4.6))
for ax, (name, picture) in zip(axes.flat, outputs.items()):
    ax.imshow(np.reshape(picture, (61, 61)), extent=(-2, 2, -2, 2), cmap="magma")
    ax.set_title(name, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
axes[0, 0].set_ylabel(label("layer 1", "1층"))
axes[1, 0].set_ylabel(label("layer 2", "2층"))
plt.tight_layout()
plt.show()

# %% [markdown] en
# Row 1: each first-layer neuron is a ramp with **one straight edge**: it only asks
# "which side of this line is the point on, and how far?". Row 2: each second-layer
# neuron adds up several of those ramps, so its region has **bends and corners**, shapes
# no single neuron of layer 1 can make. Training (lessons 5 to 8) chooses the weights so
# that these shapes become useful features.
# %% [markdown] ko
# 첫째 줄: 첫 번째 층의 뉴런은 저마다 **직선 경계 하나**를 가진 경사면이에요.
# "점이 이 직선의 어느 쪽에 얼마나 떨어져 있나?"만 묻는 셈이죠. 둘째 줄: 두 번째
# 층의 뉴런은 그런 경사면 여러 개를 더하기 때문에, 영역에 **꺾임과 모서리**가
# 생겨요. 첫 번째 층의 뉴런 하나로는 만들 수 없는 모양이죠. 학습(5~8강)은 이런
# 모양이 쓸모 있는 특징이 되도록 가중치를 골라 주는 과정이에요.
