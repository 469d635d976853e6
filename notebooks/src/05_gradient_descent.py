# %% [markdown] en
# # 5. Gradient descent and the training loop
#
# Lesson 4 gave us dL/dw for every weight: which way, and how steeply, the loss rises.
# **Gradient descent** steps the other way, a little at a time:
#
# $$w \leftarrow w - \eta \cdot \frac{\partial L}{\partial w}$$
#
# The **learning rate** η sets the size of the step. The notes describe the rest as a
# loop: data in → forward → loss → backward (gradients) → update the weights → forward
# again, repeated hundreds or thousands of times. One pass over the whole dataset is an
# **epoch**. We do it by hand first, then with an optimizer, and then see what the
# learning rate does.
# %% [markdown] ko
# # 5. 경사 하강법과 학습 루프
#
# 4강에서 모든 가중치에 대해 dL/dw를 구했어요. 손실이 어느 방향으로 얼마나 가파르게
# 올라가는지 알려 주는 값이죠. **경사 하강법**(gradient descent)은 그 반대 방향으로
# 조금씩 움직여요.
#
# $$w \leftarrow w - \eta \cdot \frac{\partial L}{\partial w}$$
#
# **학습률**(learning rate) η가 한 걸음의 크기를 정해요. 노트는 나머지를 반복
# 루프로 설명해요. 데이터를 넣고 → 순전파 → 손실 계산 → 역전파(기울기) → 가중치
# 조정 → 다시 순전파, 이것을 수백, 수천 번 반복해요. 데이터셋 전체를 한 번 훑는
# 것을 **에포크**(epoch)라고 해요. 먼저 손으로 해 보고, 그다음 옵티마이저로 해 본 뒤,
# 학습률이 무슨 일을 하는지 살펴봐요.

# %% [markdown] en
# ## One weight, by hand
#
# The smallest problem: a neuron with one weight w and no bias should turn x = 2 into
# y = 6. The loss is L(w) = (2w - 6)², smallest at w = 3. Start at w = 0.5 with learning
# rate 0.05 and follow the gradient.
# %% [markdown] ko
# ## 가중치 하나를 손으로
#
# 가장 작은 문제부터 볼게요. 가중치 w 하나에 편향이 없는 뉴런이 x = 2를 y = 6으로
# 바꿔야 해요. 손실은 L(w) = (2w - 6)²이고, w = 3에서 가장 작아요. w = 0.5에서
# 학습률 0.05로 시작해서 기울기를 따라가 봐요.

# %%
import random

import matplotlib.pyplot as plt

from autograd import Neuron, Value, no_grad
from autograd.nn import losses
from autograd.nn.optim import SGD

w = Value(0.5, label="w")
learning_rate = 0.05
for step in range(1, 9):
    loss = (w * 2.0 - 6.0) ** 2  # forward and loss
    w.grad = 0.0  # a leaf adds up gradients over backward passes: start from 0
    loss.backward()  # dL/dw
    print(f"step {step}: w = {w.data:.4f}   L = {loss.data:8.4f}   dL/dw = {w.grad:+8.4f}")
    w.data -= learning_rate * w.grad  # the update: a step against the gradient

# %% [markdown] en
# Each step moves w towards 3 and the loss falls. The steps shrink by themselves:
# near the minimum the slope is small, so η·dL/dw is small too. (The update changes
# `w.data` directly, so it is not recorded in any graph.)
#
# ## The learning rate: too small, about right, too large
#
# Same problem, ten steps each from w = 0.5, three learning rates. The curve is L(w);
# the dots are where gradient descent goes.
# %% [markdown] ko
# 한 걸음마다 w가 3에 가까워지고 손실이 줄어요. 걸음은 저절로 작아져요. 최솟값
# 근처에서는 기울기가 작으니 η·dL/dw도 작아지거든요. (갱신은 `w.data`를 직접 바꾸기
# 때문에 어떤 그래프에도 기록되지 않아요.)
#
# ## 학습률: 너무 작게, 적당하게, 너무 크게
#
# 같은 문제를 w = 0.5에서 열 걸음씩, 학습률 세 가지로 풀어 봐요. 곡선은 L(w)이고,
# 점은 경사 하강법이 지나간 자리예요.


# %%
def descend(learning_rate, steps=10, start=0.5):
    """The weights visited by gradient descent on L(w) = (2w - 6)^2."""
    w = Value(start)
    visited = [w.data]
    for _ in range(steps):
        loss = (w * 2.0 - 6.0) ** 2
        w.grad = 0.0
        loss.backward()
        w.data -= learning_rate * w.grad
        visited.append(w.data)
    return visited


rates = {
    label("too small: 0.01", "너무 작음: 0.01"): 0.01,
    label("about right: 0.1", "적당함: 0.1"): 0.1,
    label("too large: 0.26", "너무 큼: 0.26"): 0.26,
}
curve_w = [-3.0 + 12.0 * i / 200 for i in range(201)]
figure, axes = plt.subplots(1, 3, figsize=(10, 2.8), sharey=True)
for ax, (title, rate) in zip(axes, rates.items()):
    visited = descend(rate)
    ax.plot(curve_w, [(2 * v - 6) ** 2 for v in curve_w], color="lightgrey")
    ax.plot(visited, [(2 * v - 6) ** 2 for v in visited], "o-", markersize=3)
    ax.set_title(title)
    ax.set_xlabel("w")
    print(f"lr {rate}: w after 10 steps = {visited[-1]:.4f}")
axes[0].set_ylabel("L(w)")
plt.tight_layout()
plt.show()

# %% [markdown] en
# - **Too small**: every step is safe but tiny; after ten steps w is still far from 3.
# - **About right**: w reaches 3 in a few steps.
# - **Too large**: each step jumps over the minimum and lands *higher* on the other
#   side, so the jumps grow: the weights **diverge**. Here the slope is 8(w - 3), so a
#   step multiplies the distance to 3 by (1 - 8η): any η above 2/8 = 0.25 makes it grow.
#
# ## The training loop, with an optimizer
#
# Now a real dataset: 20 points (x, y) on the line y = 2x + 1, with a little noise. The
# model is one linear neuron, y = w1·x + b, starting from random weights. `SGD` does
# the update for every parameter (`optimizer.step()`) and resets their gradients
# (`optimizer.zero_grad()`), the shape PyTorch uses.
# %% [markdown] ko
# - **너무 작으면**: 걸음은 안전하지만 아주 작아요. 열 걸음 뒤에도 w는 3에서 멀어요.
# - **적당하면**: 몇 걸음 만에 w가 3에 도착해요.
# - **너무 크면**: 걸음마다 최솟값을 뛰어넘어 반대편의 *더 높은* 곳에 떨어지고,
#   점프가 점점 커져요. 가중치가 **발산**(diverge)해요. 이 문제에서 기울기는
#   8(w - 3)이라서, 한 걸음마다 3까지의 거리에 (1 - 8η)를 곱하게 돼요. η가
#   2/8 = 0.25보다 크면 거리가 커지는 거예요.
#
# ## 옵티마이저로 돌리는 학습 루프
#
# 이제 진짜 데이터셋을 써 봐요. 직선 y = 2x + 1 위에 약간의 잡음을 섞은 점
# (x, y) 20개예요. 모델은 선형 뉴런 하나, y = w1·x + b이고, 무작위 가중치에서
# 시작해요. `SGD`가 모든 파라미터를 갱신하고(`optimizer.step()`) 기울기를
# 초기화해요(`optimizer.zero_grad()`). PyTorch와 같은 모양이에요.

# %%
data = random.Random(0)
X = [data.uniform(-1.0, 1.0) for _ in range(20)]
Y = [2.0 * x + 1.0 + data.gauss(0.0, 0.1) for x in X]


def mean_loss(model):
    """The MSE over the whole dataset, without recording a graph."""
    with no_grad():
        return losses.mse([model([x]) for x in X], Y).data


def train(learning_rate, epochs=40, batch_size=None):
    """Fit a new linear neuron to (X, Y) with SGD; return it and the loss after each epoch.

    batch_size: how many points each update uses (all of them if None).
    """
    batch_size = batch_size or len(X)
    model = Neuron(1, "linear", seed=0)
    optimizer = SGD(model.parameters(), lr=learning_rate)
    order = list(range(len(X)))
    shuffle = random.Random(1)
    history = []
    for _ in range(epochs):
        shuffle.shuffle(order)  # mini-batches see the data in a new order each epoch
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            predictions = [model([X[i]]) for i in batch]  # 1. forward
            loss = losses.mse(predictions, [Y[i] for i in batch])  # 2. loss
            optimizer.zero_grad()
            loss.backward()  # 3. backward: the gradients
            optimizer.step()  # 4. update: w <- w - lr * dL/dw
        history.append(mean_loss(model))  # 5. repeat, epoch after epoch
    return model, history


def weights(model):
    return ", ".join(f"{name} = {value:.3f}" for name, value in model.state_dict().items())


untrained = Neuron(1, "linear", seed=0)  # the same start as every model train() makes
print(f"before training: {weights(untrained)}, loss {mean_loss(untrained):.4f}")
model, history = train(learning_rate=0.3)
for epoch in [1, 5, 10, 20, 40]:
    print(f"after epoch {epoch:2}: loss {history[epoch - 1]:.4f}")
print(f"learned: {weights(model)}")

# %% [markdown] en
# The loss falls from 1.5 to about 0.01, and the neuron learns w1 ≈ 1.94 and b ≈ 1.01,
# close to the line the data came from (2 and 1; the noise keeps it from being exact).
# Each epoch here is one update, because every update uses all 20 points (a full batch).
# %% [markdown] ko
# 손실이 1.5에서 0.01 정도로 줄고, 뉴런은 w1 ≈ 1.94, b ≈ 1.01을 배워요. 데이터를
# 만든 직선(2와 1)에 가까워요(잡음 때문에 정확히 같지는 않아요). 여기서는 갱신할
# 때마다 점 20개를 모두 쓰기 때문에(전체 배치, full batch) 에포크 하나가 갱신
# 한 번이에요.

# %%
plt.figure(figsize=(4, 2.8))
plt.scatter(X, Y, s=12, label=label("data", "데이터"))
line_x = [min(X), max(X)]
with no_grad():
    plt.plot(
        line_x,
        [model([x]).data for x in line_x],
        color="C1",
        label=label("learned neuron", "학습된 뉴런"),
    )
plt.xlabel("x")
plt.ylabel("y")
plt.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown] en
# ## Learning rates on the dataset
#
# The same training with three learning rates, loss after each epoch (log scale):
# %% [markdown] ko
# ## 데이터셋에서 학습률 비교
#
# 같은 학습을 학습률 세 가지로 돌리고, 에포크마다 손실을 그려 봐요(로그 눈금).

# %%
figure, axes = plt.subplots(1, 3, figsize=(10, 2.8), sharey=True)
sizes = [
    label("too small", "너무 작음"),
    label("about right", "적당함"),
    label("too large", "너무 큼"),
]
for ax, title, rate in zip(axes, sizes, [0.02, 0.3, 1.0]):
    _, history = train(rate)
    ax.plot(range(1, len(history) + 1), history)
    ax.set_yscale("log")
    ax.set_title(f"{title}: lr {rate}")
    ax.set_xlabel(label("epoch", "에포크"))
    print(f"lr {rate:4}: loss after 40 epochs {history[-1]:.4g}")
axes[0].set_ylabel(label("loss", "손실"))
plt.tight_layout()
plt.show()

# %% [markdown] en
# With lr 0.02 the loss is still falling after 40 epochs: it would get there, slowly.
# With 0.3 it flattens at the noise level within about 10 epochs. With 1.0 it climbs
# epoch after epoch: the steps overshoot, as on the parabola above. There is no single
# right value: it depends on the problem (on how curved the loss is), which is why the
# learning rate is the first setting people tune.
#
# ## Epochs and mini-batches
#
# An epoch is one pass over the data, but it need not be one update. With mini-batches
# of 5 points, each epoch makes 4 smaller, noisier updates:
# %% [markdown] ko
# 학습률 0.02에서는 40 에포크 뒤에도 손실이 아직 내려가는 중이에요. 언젠가는
# 도착하겠지만 느려요. 0.3에서는 10 에포크쯤 만에 잡음 수준에서 평평해져요. 1.0에서는
# 에포크마다 손실이 올라가요. 위의 포물선처럼 걸음이 최솟값을 지나쳐 버리는 거예요.
# 어디에나 맞는 값은 없어요. 문제(손실이 얼마나 휘어 있는지)에 따라 달라서, 학습률은
# 사람들이 가장 먼저 조정하는 설정이에요.
#
# ## 에포크와 미니배치
#
# 에포크는 데이터를 한 번 훑는 것이지만, 꼭 갱신 한 번일 필요는 없어요. 점 5개씩
# 미니배치(mini-batch)로 나누면, 에포크마다 더 작고 더 들쭉날쭉한 갱신을 네 번 해요.

# %%
plt.figure(figsize=(5, 2.8))
for batch_size, name in [
    (20, label("full batch: 1 update per epoch", "전체 배치: 에포크마다 갱신 1번")),
    (5, label("mini-batches of 5: 4 updates per epoch", "5개씩 미니배치: 에포크마다 갱신 4번")),
]:
    _, history = train(0.1, epochs=20, batch_size=batch_size)
    plt.plot(range(1, 21), history, label=name)
    print(f"batches of {batch_size:2}: loss after epoch 5 {history[4]:.4f}, 20 {history[-1]:.4f}")
plt.yscale("log")
plt.xlabel(label("epoch", "에포크"))
plt.ylabel(label("loss", "손실"))
plt.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown] en
# Per epoch, mini-batches get further (four steps instead of one, for the same amount of
# computation), which is why almost all training uses them. The notes do not mention
# mini-batches; they are this lesson's addition. The notes' loop itself (forward, loss,
# backward, update, repeat) is complete. Lesson 6 runs it on XOR with a hidden layer,
# and lesson 7 shows why it does not always succeed there.
# %% [markdown] ko
# 에포크 수로 보면 미니배치 쪽이 더 멀리 가요(같은 계산량으로 한 걸음 대신 네
# 걸음을 가니까요). 그래서 실제 학습은 거의 다 미니배치를 써요. 미니배치는 노트에
# 나오지 않고, 이 강의에서 덧붙인 내용이에요. 노트가 말하는 학습 루프(순전파, 손실,
# 역전파, 갱신, 반복)는 여기까지로 다 갖췄어요. 6강에서는 은닉층이 있는 신경망으로
# XOR 문제에 이 루프를 돌려 보고, 7강에서는 그게 왜 늘 성공하지는 않는지 알아봐요.
