# %% [markdown] en
# # 2. Activation functions
#
# Lesson 1 ended every neuron with an activation function. Without one, a stack of layers
# would be one big weighted sum: a straight line, however deep. The notes name four:
# **ReLU** (negative → 0, positive unchanged), **sigmoid** (squeezes into 0..1), **tanh**
# (squeezes into -1..1) and **softmax** (turns a list of scores into probabilities). The
# choice matters for learning, because learning runs on their *derivatives*: every
# gradient that flows back through a neuron is multiplied by its activation's slope.
# Here the engine computes each function and its derivative, and we look at where the
# slope becomes tiny or zero.
# %% [markdown] ko
# # 2. 활성화 함수
#
# 1강에서 뉴런은 모두 활성화 함수로 끝났어요. 활성화 함수가 없다면 층을 아무리
# 쌓아도 결국 큰 가중합 하나, 즉 직선일 뿐이에요. 노트가 소개하는 함수는 네
# 가지예요. **ReLU**(음수 → 0, 양수는 그대로), **시그모이드**(0~1로 압축),
# **tanh**(-1~1로 압축), **소프트맥스**(softmax, 점수 목록을 확률로 바꿈).
# 어떤 함수를 고르느냐가 학습에 중요한 이유는, 학습이 이 함수들의
# *도함수*(derivative)로 움직이기 때문이에요. 뉴런을 거슬러 흐르는 기울기는
# 모두 활성화 함수의 기울기와 곱해져요. 이번 강의에서는 엔진으로 각 함수와
# 도함수를 계산하고, 기울기가 아주 작아지거나 0이 되는 곳을 살펴봐요.

# %% [markdown] en
# ## Each function and its derivative, computed by the engine
#
# For each point `z` we make a `Value`, apply the function, and ask `grad(y, z)` for the
# derivative dy/dz. No formula for the derivative is typed in here: the engine applies
# its own rule for each operation.
# %% [markdown] ko
# ## 엔진이 계산한 함수와 도함수
#
# 점 `z`마다 `Value`를 만들고 함수를 적용한 다음, `grad(y, z)`로 도함수 dy/dz를
# 구해요. 여기서는 도함수 공식을 하나도 직접 쓰지 않아요. 엔진이 연산마다 가진
# 규칙을 적용해 줄 뿐이에요.

# %%
import matplotlib.pyplot as plt

import autograd as ag
from autograd import Value, grad
from autograd.viz import draw

zs = [-6.0 + 12.0 * i / 240 for i in range(241)]
activations = {"relu": Value.relu, "sigmoid": Value.sigmoid, "tanh": Value.tanh}
curves = {}  # name -> (values, derivatives)
for name, f in activations.items():
    values, slopes = [], []
    for z0 in zs:
        z = Value(z0)
        y = f(z)
        values.append(y.data)
        slopes.append(grad(y, z))
    curves[name] = (values, slopes)

figure, axes = plt.subplots(1, 3, figsize=(10, 2.8), sharey=True)
for ax, (name, (values, slopes)) in zip(axes, curves.items()):
    ax.plot(zs, values, label=name)
    ax.plot(zs, slopes, "--", label=label("derivative", "도함수"))
    ax.set_title(name)
    ax.set_xlabel("z")
    ax.set_ylim(-1.2, 2.2)
    ax.axhline(0, color="grey", linewidth=0.5)
    ax.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown] en
# What to notice:
# - **ReLU**: slope exactly 1 for z > 0 and exactly 0 for z < 0 (at z = 0 the engine,
#   like PyTorch, uses 0).
# - **sigmoid**: its slope is at most 0.25 (at z = 0) and is almost 0 for large |z|.
# - **tanh**: the same S shape centred on 0, with slope 1 at z = 0, but also flat far out.
#
# Are the engine's slopes right? Measure them independently: nudge z by a tiny h either
# side and divide the change in the output by 2h (a central difference).
# %% [markdown] ko
# 눈여겨볼 점:
# - **ReLU**: z > 0에서 기울기는 정확히 1, z < 0에서는 정확히 0이에요(z = 0에서는
#   PyTorch처럼 0을 써요).
# - **시그모이드**: 기울기가 가장 큰 곳(z = 0)에서도 0.25이고, |z|가 크면 거의
#   0이에요.
# - **tanh**: 0을 중심으로 한 같은 S자 모양이고 z = 0에서 기울기가 1이지만,
#   멀리 가면 역시 평평해져요.
#
# 엔진이 구한 기울기가 맞을까요? 따로 재 봐요. z를 아주 작은 h만큼 양쪽으로
# 움직여서, 출력의 변화를 2h로 나누면 돼요(중앙 차분, central difference).

# %%
h = 1e-6
for name in ["sigmoid", "tanh"]:
    f = activations[name]
    measured = [(f(Value(z0 + h)).data - f(Value(z0 - h)).data) / (2 * h) for z0 in zs]
    worst = max(abs(a - b) for a, b in zip(measured, curves[name][1]))
    print(f"{name}: engine and measured slopes differ by less than 1e-8: {worst < 1e-8}")
print(f"largest slope: sigmoid {max(curves['sigmoid'][1]):.4f}, tanh {max(curves['tanh'][1]):.4f}")

# %% [markdown] en
# ## Why sigmoid's gradient vanishes
#
# Look at sigmoid's slope as z grows:
# %% [markdown] ko
# ## 시그모이드의 기울기는 왜 사라질까
#
# z가 커질 때 시그모이드의 기울기를 보세요.

# %%
for z0 in [0.0, 2.0, 5.0, 10.0]:
    z = Value(z0)
    y = z.sigmoid()
    y.backward()
    print(f"z = {z0:4}: sigmoid = {y.data:.5f}, slope = {z.grad:.2e}")

# %% [markdown] en
# At z = 10 the output is 0.99995 and the slope 4.5e-05: a weight feeding this neuron
# gets almost no gradient, so it barely learns, even if the answer is wrong. The
# drawing shows it. Two sigmoid neurons with the same input x = 1, one with weight 0.97
# (the notes' weighted sum), one with weight 8. Each edge's width and colour show how
# much gradient flows back along it (log scale, key at the top); the exact number is
# written on it.
# %% [markdown] ko
# z = 10이면 출력은 0.99995이고 기울기는 4.5e-05예요. 이 뉴런으로 들어가는 가중치는 답이
# 틀렸어도 기울기를 거의 받지 못해서, 학습이 거의 되지 않아요. 그림으로 보면 분명해요.
# 입력이 똑같이 x = 1인 시그모이드 뉴런 두 개를 그렸어요. 하나는 가중치가 0.97(노트의
# 가중합)이고 다른 하나는 8이에요. 화살표의 굵기와 색은 그 화살표를 거슬러 흐르는 기울기의
# 크기예요(로그 눈금이고, 범례는 위쪽에 있어요). 정확한 값은 화살표 위에 적혀 있어요.


# %%
def sigmoid_neuron(weight, name):
    """sigmoid(w * x) for x = 1, with labelled nodes, after backward()."""
    x, w = Value(1.0, label=f"x_{name}"), Value(weight, label=f"w_{name}")
    z = x * w
    z.label = f"z_{name}"
    y = z.sigmoid()
    y.label = f"y_{name}"
    y.backward()
    return y


draw([sigmoid_neuron(0.97, "small"), sigmoid_neuron(8.0, "large")])

# %% [markdown] en
# Both outputs start with gradient 1. Behind the sigmoid, the neuron with the small weight
# still passes 0.2 back, the one with the large weight 0.0003: its edges are thin and
# pale. The sigmoid is **saturated**.
#
# Stacking makes it worse: every sigmoid on the way multiplies the gradient by its slope,
# at most 0.25. Four sigmoids in a row (a1 ... a4), next to four tanh (t1 ... t4):
# %% [markdown] ko
# 두 출력 모두 기울기 1에서 시작해요. 시그모이드를 지나고 나면 가중치가 작은 뉴런은 여전히
# 0.2를 뒤로 보내지만, 가중치가 큰 뉴런은 0.0003밖에 못 보내요. 그래서 화살표가 가늘고
# 옅어요. 시그모이드가 **포화**(saturation)된 거예요.
#
# 층을 쌓으면 더 심해져요. 시그모이드를 하나 지날 때마다 기울기에 그 시그모이드의
# 기울기(최대 0.25)가 곱해지니까요. 시그모이드 네 개를 이어 붙인 것(a1 ... a4)과 tanh 네
# 개를 이어 붙인 것(t1 ... t4)을 나란히 그려 볼게요.


# %%
def stack(f, letter, x0=0.5):
    """f applied four times to x, each result labelled; backward() from the last."""
    x = Value(x0, label=f"x_{letter}")
    out = x
    for k in range(1, 5):
        out = f(out)
        out.label = f"{letter}{k}"
    out.backward()
    return x, out


x_a, a4 = stack(Value.sigmoid, "a")
x_t, t4 = stack(Value.tanh, "t")
print(f"through 4 sigmoids: d(a4)/dx = {x_a.grad:.5f}  (0.25 ** 4 = {0.25**4:.5f})")
print(f"through 4 tanh:     d(t4)/dx = {x_t.grad:.5f}")
draw([a4, t4])

# %% [markdown] en
# Read the sigmoid row from right to left: the gradient shrinks at every sigmoid, to
# about 0.003 at the input, and the edges fade. Through tanh it stays near 0.45. This is
# the **vanishing gradient**: in a deep sigmoid network the first layers hardly learn.
# It is one reason hidden layers today use ReLU (or tanh), and sigmoid mostly appears at
# the output, where a probability is wanted.
#
# ## ReLU's dead zone
#
# ReLU does not saturate for z > 0 (slope 1), but for z < 0 its slope is exactly 0.
# Two ReLU neurons on the notes' inputs, with the notes' weights: one with bias 0.2
# (z = 0.97), one with bias -1.5 (z = -0.73). Their outputs are added.
# %% [markdown] ko
# 시그모이드 줄을 오른쪽에서 왼쪽으로 읽어 보세요. 시그모이드를 지날 때마다
# 기울기가 줄어서 입력에 이르면 0.003 정도가 되고, 화살표도 점점 옅어져요. tanh를
# 지나면 0.45 정도가 남아요. 이것이 **기울기 소실**(vanishing gradient)이에요.
# 깊은 시그모이드 신경망에서는 앞쪽 층이 거의 학습하지 못해요. 요즘 은닉층에는
# 주로 ReLU(또는 tanh)를 쓰고 시그모이드는 확률이 필요한 출력층에서나 쓰는 것도
# 이 때문이에요.
#
# ## ReLU의 죽은 영역
#
# ReLU는 z > 0에서 포화되지 않지만(기울기 1), z < 0에서는 기울기가 정확히 0이에요.
# 노트의 입력과 가중치를 쓰는 ReLU 뉴런 두 개를 만들어 볼게요. 하나는 편향이
# 0.2(z = 0.97), 다른 하나는 -1.5(z = -0.73)이고, 두 출력을 더해요.

# %%
from autograd import Neuron

inputs = [Value(0.6, label="x1"), Value(0.2, label="x2"), Value(0.9, label="x3")]
alive = Neuron(3, "relu", name="alive")
dead = Neuron(3, "relu", name="dead")
for neuron, bias in [(alive, 0.2), (dead, -1.5)]:
    for parameter, value in zip(neuron.parameters(), [0.8, 0.1, 0.3, bias]):
        parameter.data = value
for neuron in (alive, dead):
    z = sum(w.data * x.data for w, x in zip(neuron.w, inputs)) + neuron.b.data
    print(f"{neuron.name}: z = {z:+.2f}")
out = alive(inputs) + dead(inputs)
out.label = "out"
out.backward()
print("alive weights' grads:", [round(w.grad, 4) for w in alive.w])
print("dead weights' grads: ", [round(w.grad, 4) for w in dead.w])
draw(out)

# %% [markdown] en
# The dead neuron's edges are **dashed grey**: exactly zero gradient passes. Its
# weights get grad 0, so gradient descent will not change them for this input. If a
# neuron's sum is negative for *every* input, it never learns again: a "dead ReLU".
# Leaky ReLU keeps a small slope (0.01) on the negative side to avoid this:
# %% [markdown] ko
# 죽은 뉴런의 화살표는 **회색 점선**이에요. 흐르는 기울기가 정확히 0이에요. 그
# 가중치들의 기울기도 0이라서, 경사 하강법은 이 입력에 대해 가중치를 전혀 바꾸지
# 않아요. 어떤 뉴런의 가중합이 *모든* 입력에 대해 음수라면, 그 뉴런은 다시는
# 학습하지 못해요. 이것을 "죽은 ReLU(dead ReLU)"라고 해요. Leaky ReLU는 음수
# 쪽에도 작은 기울기(0.01)를 남겨서 이 문제를 피해요.

# %%
z = Value(-0.73)
for name, f in [("relu", Value.relu), ("leaky_relu", Value.leaky_relu)]:
    print(f"{name:10}: output {f(z).data:+.4f}, slope {grad(f(z), z)}")

# %% [markdown] en
# ## Softmax: many scores in, probabilities out
#
# Softmax works on a whole list: `softmax(z)_i = exp(z_i) / sum_j exp(z_j)`. Every output
# is positive and they add up to 1, so the last layer of a classifier uses it to turn
# one score per class into probabilities.
# %% [markdown] ko
# ## 소프트맥스: 점수 여러 개가 들어가서 확률이 나와요
#
# 소프트맥스는 목록 전체에 작용해요. `softmax(z)_i = exp(z_i) / sum_j exp(z_j)`.
# 모든 출력이 양수이고 합이 1이라서, 분류기의 마지막 층에서 클래스마다 하나씩 있는
# 점수를 확률로 바꾸는 데 써요.

# %%
scores = [Value(2.0, label="z1"), Value(1.0, label="z2"), Value(0.1, label="z3")]
probabilities = ag.softmax(scores)
print("probabilities:", [round(p.data, 4) for p in probabilities])
print(f"their sum:     {sum(p.data for p in probabilities):.6f}")

# %% [markdown] en
# Each output depends on *every* score, so its derivative is a table (a Jacobian): row i
# holds d(p_i)/d(z_j) for every j. The engine computes each row with `grad`; the formula
# is p_i (δ_ij - p_j), where δ_ij (the Kronecker delta) is 1 when i = j and 0 otherwise.
# %% [markdown] ko
# 출력 하나하나가 *모든* 점수에 따라 달라지니까, 도함수는 표 모양이에요. 이 표를
# 야코비안(Jacobian)이라고 해요. i번째 행에는 j마다 d(p_i)/d(z_j)가 하나씩 들어가요.
# 엔진은 `grad`로 한 행씩 계산하고, 공식으로는 p_i (δ_ij - p_j)예요. 여기서 δ_ij(크로네커
# 델타)는 i = j이면 1, 아니면 0이에요.

# %%
jacobian = [grad(p, scores) for p in probabilities]
p = [q.data for q in probabilities]
for row in jacobian:
    print("  ".join(f"{entry:+.4f}" for entry in row))
formula_gap = max(
    abs(jacobian[i][j] - p[i] * ((i == j) - p[j])) for i in range(3) for j in range(3)
)
print(f"equal to the formula (within 1e-12): {formula_gap < 1e-12}")
print(f"every row sums to 0 (within 1e-12): {all(abs(sum(row)) < 1e-12 for row in jacobian)}")

# %% [markdown] en
# The diagonal is positive (raising your own score raises your probability), the rest
# negative (raising another score takes probability away), and every row sums to 0:
# probabilities always add up to 1. As one score moves, its probability follows an S
# curve, a sigmoid in disguise (with two classes softmax *is* a sigmoid of the
# difference):
# %% [markdown] ko
# 대각선은 양수(자기 점수를 올리면 자기 확률이 오름)이고 나머지는 음수(다른 점수를
# 올리면 확률을 빼앗김)이며, 모든 행의 합이 0이에요. 확률의 합은 언제나 1이니까요.
# 점수 하나를 움직이면 그 확률은 S자 곡선을 그리는데, 사실상 시그모이드예요(클래스가
# 둘이면 소프트맥스는 정확히 두 점수 차이의 시그모이드예요).

# %%
moving = [-4.0 + 10.0 * i / 200 for i in range(201)]
probability_curves = [[], [], []]
slope_curve = []
for z0 in moving:
    z1 = Value(z0)
    ps = ag.softmax([z1, 1.0, 0.1])
    for curve, q in zip(probability_curves, ps):
        curve.append(q.data)
    slope_curve.append(grad(ps[0], z1))

plt.figure(figsize=(5, 2.8))
for k, curve in enumerate(probability_curves, start=1):
    plt.plot(moving, curve, label=f"p{k}")
plt.plot(moving, slope_curve, "--", label="d(p1)/d(z1)")
plt.xlabel(label("z1 (z2 = 1, z3 = 0.1)", "z1 (z2 = 1, z3 = 0.1로 고정)"))
plt.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown] en
# ## Summary
#
# | function | output | slope | where it is used |
# | --- | --- | --- | --- |
# | ReLU | 0 or z | 0 or 1: no vanishing, but a dead zone | hidden layers |
# | sigmoid | 0..1 | at most 0.25, vanishes for large \|z\| | output for yes/no |
# | tanh | -1..1 | at most 1, vanishes for large \|z\| | hidden layers, centred on 0 |
# | softmax | probabilities | a table; saturates like sigmoid | output for several classes |
#
# Lesson 3 puts these outputs into loss functions, and shows why the right loss undoes
# the sigmoid's saturation at the output.
# %% [markdown] ko
# ## 정리
#
# | 함수 | 출력 | 기울기 | 주로 쓰는 곳 |
# | --- | --- | --- | --- |
# | ReLU | 0 또는 z | 0 또는 1: 소실은 없지만 죽은 영역이 있음 | 은닉층 |
# | 시그모이드 | 0~1 | 최대 0.25, \|z\|가 크면 소실 | 예/아니오 출력층 |
# | tanh | -1~1 | 최대 1, \|z\|가 크면 소실 | 은닉층, 0이 중심 |
# | 소프트맥스 | 확률 | 표 모양, 시그모이드처럼 포화 | 여러 클래스 출력층 |
#
# 3강에서는 이 출력들을 손실 함수에 넣어 보고, 알맞은 손실 함수가 출력층
# 시그모이드의 포화를 어떻게 상쇄하는지 살펴봐요.
