# %% [markdown] en
# # 6. XOR solved
#
# The last study note ends with the classic test of a neural network: **XOR**, which is
# 1 when exactly one of its two inputs is 1. The note makes three claims, and we check
# each one with the engine:
#
# 1. one linear neuron cannot learn XOR;
# 2. a 2-3-1 network (sigmoid everywhere, binary cross-entropy, SGD with learning rate 0.1,
#    5000 epochs on all four examples) can, with outputs near 0, 1, 1, 0;
# 3. its loss falls from about 0.73 to 0.14 at epoch 1000 and 0.01 at epoch 5000.
#
# The first two hold, and this lesson shows both. The third is optimistic: here we
# measure how far, and lesson 7 finds out why, which teaches more about training than a
# run that simply works.
# %% [markdown] ko
# # 6. XOR 문제 풀기
#
# 마지막 학습 노트는 신경망의 고전적인 시험 문제인 **XOR**로 끝나요. XOR은 두 입력 중
# 정확히 하나만 1일 때 1이 되는 연산이에요. 노트의 주장 세 가지를 엔진으로 하나씩
# 확인해 볼게요.
#
# 1. 선형 뉴런 하나로는 XOR을 배울 수 없다.
# 2. 2-3-1 신경망(모든 층에 시그모이드, 이진 교차 엔트로피(binary cross-entropy),
#    학습률(learning rate) 0.1의 SGD, 네 예제 전체로 5000 에포크(epoch))은 배울 수
#    있고, 출력은 0, 1, 1, 0에 가까워진다.
# 3. 손실은 약 0.73에서 시작해 1000 에포크에 0.14, 5000 에포크에 0.01이 된다.
#
# 앞의 두 가지는 맞고, 이번 강의에서 둘 다 직접 확인해요. 세 번째는 조금 낙관적이에요.
# 여기서는 얼마나 낙관적인지 재 보고, 왜 그런지는 7강에서 찾아봐요. 잘 되는 실행 하나를
# 볼 때보다 학습에 대해 훨씬 많이 배우게 될 거예요.

# %%
import math
import random

import matplotlib.pyplot as plt
import numpy as np

from autograd import no_grad
from autograd.nn import Neuron
from autograd.nn.data import xor
from autograd.nn.optim import SGD
from autograd.nn.train import BCE, evaluate, fit, prepare

X, y = xor()
for x, target in zip(X, y):
    print(f"{x} -> {target}")


def after(model, history, epochs):
    """(loss, accuracy) after `epochs` epochs, 0 to all of them. Epochs count from 1, as
    `fit` and `python -m autograd train` count them: history[n] is measured before epoch
    n + 1's update, that is after epoch n; after the last epoch, the model as it is now."""
    if epochs < len(history):
        return history[epochs].loss, history[epochs].accuracy
    return evaluate(model, X, y, BCE)


# %% [markdown] en
# ## One neuron draws one straight line
#
# A neuron with a sigmoid says "1" where `w1*x1 + w2*x2 + b > 0`: on one side of a straight
# line. We train one exactly as the note trains its network: binary cross-entropy, SGD,
# learning rate 0.1, 5000 epochs. `autograd.nn.train.fit` is the loop of lesson 5 as a
# function (forward, loss, backward, update, repeat, on all four examples at once); it
# returns, for each epoch, the loss and the share of the four examples on the right side
# of 0.5, both measured before that epoch's update. The helper `after` above reads them
# as "after n epochs": 0 is before training, and after the last epoch it measures the
# trained model.
# %% [markdown] ko
# ## 뉴런 하나가 긋는 직선 하나
#
# 시그모이드 뉴런은 `w1*x1 + w2*x2 + b > 0`인 곳, 즉 어떤 직선의 한쪽에서 "1"이라고
# 답해요. 노트가 신경망을 학습시킨 방법 그대로 뉴런 하나를 학습시켜 볼게요. 이진 교차
# 엔트로피, SGD, 학습률 0.1, 5000 에포크예요. `autograd.nn.train.fit`은 5강의 학습 루프를
# 함수 하나로 묶은 거예요. 네 예제 전체로 한꺼번에 순전파, 손실, 역전파, 갱신을
# 되풀이해요. 에포크마다 손실과, 네 예제 중 0.5를 기준으로 맞는 쪽에 있는 비율을 돌려줘요.
# 두 값 모두 그 에포크에서 가중치를 갱신하기 전에 잰 값이에요. 위의 도우미 함수 `after`는
# 이 값을 "에포크 n번을 마친 뒤"의 값으로 읽어 줘요. 0번은 학습 전이고, 마지막 에포크
# 뒤에는 학습된 모델을 직접 재요.

# %%
neuron = Neuron(2, "sigmoid", seed=0)
start = Neuron(2, "sigmoid", seed=0)  # an untrained copy, to draw later
history = fit(neuron, X, y, BCE, SGD(neuron.parameters(), lr=0.1), 5000)
for epochs in (0, 10, 100, 1000, 5000):
    loss, accuracy = after(neuron, history, epochs)
    print(f"after {epochs:4} epochs: loss {loss:.4f}, {accuracy:.0%} right")
print("weights now:", {name: f"{value:.1e}" for name, value in neuron.state_dict().items()})
with no_grad():
    print("outputs:", [f"{neuron(x).data:.4f}" for x in X])
print(f"ln 2 = {math.log(2):.4f}")

# %% [markdown] en
# Its random start happened to put 3 of the 4 points on the right side. Training then
# took it *away* from that: the weights shrank to almost nothing and every output became
# 0.5, a loss of ln 2 = 0.693. Answering "50/50" everywhere is the best a single line can
# do here, because no line gets all four right. Here is why, with the neuron's own numbers:
# its sum `z` at the two class-0 corners adds up to exactly its sum at the two class-1
# corners, whatever the weights are (both are `w1 + w2 + 2b`). All four right would need
# the first total below 0 and the second above 0. `neuron.weighted_sum(x)` is that `z`,
# the sum the neuron computes before its sigmoid.
# %% [markdown] ko
# 무작위로 정해진 처음 가중치가 우연히 네 점 중 3개를 맞는 쪽에 두었어요. 그런데
# 학습은 오히려 거기서 *멀어졌어요*. 가중치가 거의 0으로 줄어들고 모든 출력이 0.5가
# 되어 손실이 ln 2 = 0.693이 됐어요. 어디서든 "반반"이라고 답하는 것이 직선 하나로
# 할 수 있는 최선이에요. 어떤 직선도 네 점을 모두 맞힐 수 없기 때문이에요. 뉴런의
# 숫자로 직접 확인해 볼게요. 클래스 0인 두 꼭짓점에서의 합 `z`를 더한 값은, 가중치가
# 무엇이든 클래스 1인 두 꼭짓점에서의 합을 더한 값과 정확히 같아요(둘 다
# `w1 + w2 + 2b`). 넷 다 맞히려면 앞의 합은 0보다 작고 뒤의 합은 0보다 커야 하는데
# 말이에요. `neuron.weighted_sum(x)`가 바로 그 `z`, 뉴런이 시그모이드를 거치기 전에
# 계산하는 합이에요.

# %%
with no_grad():
    for name, model in (("start", start), ("trained", neuron)):
        class0 = model.weighted_sum([0, 0]).data + model.weighted_sum([1, 1]).data
        class1 = model.weighted_sum([0, 1]).data + model.weighted_sum([1, 0]).data
        print(f"{name:8} z(0,0) + z(1,1) = {class0:+.6g}   z(0,1) + z(1,0) = {class1:+.6g}")

rng = random.Random(0)
best = 0
for _ in range(10_000):  # random lines a*x1 + b*x2 + c = 0
    a, b, c = rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)
    best = max(best, sum((a * x1 + b * x2 + c > 0) == bool(t) for (x1, x2), t in zip(X, y)))
print(f"the best of 10,000 random lines gets {best} of 4 right")

# %% [markdown] en
# A picture of both: colour is the neuron's output (red near 1, blue near 0), the black
# line is where it crosses 0.5: the decision boundary. After training the output is 0.5
# everywhere (to within 10^-8), so the whole plane is one pale colour and there is no
# boundary to draw. (The colour bands are 1/11 wide and 0.5 sits in the middle of one, so
# differences of 10^-9 do not split the plane in two.)
# %% [markdown] ko
# 두 상태를 그림으로 보면 이래요. 색은 뉴런의 출력(1에 가까우면 빨강, 0에 가까우면
# 파랑)이고, 검은 선은 출력이 0.5가 되는 곳, 즉 결정 경계(decision boundary)예요.
# 학습한 뒤에는 출력이 어디서나 0.5예요(차이가 10^-8도 안 돼요). 그래서 평면 전체가
# 옅은 색 하나로 칠해지고, 그릴 경계선도 없어요. (색 띠 하나의 폭이 1/11이고 0.5는 그
# 한가운데에 있어서, 10^-9 정도의 차이로는 평면이 두 색으로 갈리지 않아요.)


# %%
def plot_boundary(ax, model, title):
    """The model's output over the plane, its 0.5 line, and the four XOR points."""
    grid = np.linspace(-0.5, 1.5, 41)
    with no_grad():
        out = np.array([[model([float(a), float(b)]).data for a in grid] for b in grid])
    ax.contourf(grid, grid, out, levels=np.linspace(0, 1, 12), cmap="RdBu_r", alpha=0.7)
    if out.min() < 0.45 and out.max() > 0.55:  # a 0.5 line only where it means something
        ax.contour(grid, grid, out, levels=[0.5], colors="black")
    for (x1, x2), target in zip(X, y):
        ax.scatter(x1, x2, s=120, c="red" if target else "blue", edgecolors="black")
    ax.set(title=title, xlabel="x1", ylabel="x2", aspect="equal")


fig, axes = plt.subplots(1, 2, figsize=(8, 4))
plot_boundary(
    axes[0], start, label("one neuron, at the start: 3 of 4", "뉴런 하나, 시작: 4개 중 3개")
)
plot_boundary(
    axes[1],
    neuron,
    label("one neuron, trained: 0.5 everywhere", "뉴런 하나, 학습 후: 어디서나 0.5"),
)
plt.show()

# %% [markdown] en
# ## The note's network: 2-3-1, sigmoid, binary cross-entropy, SGD 0.1, 5000 epochs
#
# Three hidden neurons draw three lines; the output neuron combines them, and the
# combination need not be a line. `autograd.nn.train` has this network as its `"xor"` recipe
# (also `python -m autograd train xor`). We print the loss every 500 epochs, as the note's
# program does, counting epochs from 1 as `python -m autograd train` does: "after epoch
# 500" is the loss once 500 updates are done. The note's code prints the loss it computed
# before epoch N+1's update as "Epoch N", so its "Epoch 0" is our "before training" and
# its "Epoch 1000" our "after epoch 1000".
# %% [markdown] ko
# ## 노트의 신경망: 2-3-1, 시그모이드, 이진 교차 엔트로피, SGD 0.1, 5000 에포크
#
# 은닉층(hidden layer)의 뉴런 세 개가 직선 세 개를 긋고, 출력 뉴런이 그것들을
# 조합해요. 조합된 경계는 직선이 아니어도 돼요. `autograd.nn.train`에는 이 신경망이
# `"xor"` 레시피로 들어 있어요(`python -m autograd train xor`도 같아요). 노트의
# 프로그램처럼 500 에포크마다 손실을 출력하는데, 에포크는 `python -m autograd train`처럼
# 1부터 세어요. "after epoch 500"은 갱신을 500번 마친 뒤의 손실이에요. 노트의 코드는 N+1번째
# 에포크의 갱신 전에 계산한 손실을 "Epoch N"으로 출력해요. 그래서 노트의 "Epoch 0"은
# 우리의 "before training"(학습 전)이고, 노트의 "Epoch 1000"은 우리의 "after epoch 1000"이에요.

# %%
run = prepare("xor", seed=0)
print(run.describe())
history = run.fit()
print(f"before training: loss {history[0].loss:.4f}")
for epochs in range(500, 5001, 500):
    loss, accuracy = after(run.model, history, epochs)
    print(f"after epoch {epochs}: loss {loss:.4f}, {accuracy:.0%} right")
with no_grad():
    for x in X:
        print(f"model({x}) = {run.model(x).data:.3f}")

# %% [markdown] en
# It learned XOR: the outputs are near 0, 1, 1, 0. The loss started at 0.73 as the note
# says, but after epoch 1000 it was 0.61 (the note: 0.14) and after epoch 5000 it was
# 0.047 (the note: 0.01). The curve shows why: a long, nearly flat stretch before the
# drop.
# %% [markdown] ko
# XOR을 배웠어요. 출력이 0, 1, 1, 0에 가까워요. 손실은 노트 말대로 0.73에서
# 시작했지만, 1000번째 에포크를 마친 뒤에는 0.61(노트: 0.14)이었고 5000번째 에포크를
# 마친 뒤에는 0.047(노트: 0.01)이었어요. 손실 곡선을 보면 이유가 보여요. 뚝 떨어지기
# 전에 거의 평평한 구간이 길게 이어져요.

# %%
fig, axes = plt.subplots(1, 2, figsize=(9, 4))
losses_after = [after(run.model, history, n)[0] for n in range(len(history) + 1)]
axes[0].plot(losses_after)
axes[0].axhline(math.log(2), color="gray", linestyle=":", label="ln 2")
axes[0].set(
    title=label("2-3-1 network, seed 0", "2-3-1 신경망, 시드 0"),
    xlabel=label("epochs done", "마친 에포크 수"),
    ylabel=label("loss", "손실"),
)
axes[0].legend()
plot_boundary(axes[1], run.model, label("2-3-1 network, trained", "2-3-1 신경망, 학습 후"))
plt.show()

# %% [markdown] en
# **What to take away.** The note is right that a hidden layer solves what one line
# cannot: the trained network's boundary is two parallel lines, with the two class-1
# corners in the band between them, which no single line can draw. Its loss figures
# (0.73, then 0.14 at epoch 1000 and 0.01 at 5000) are labelled "expected result after
# training"; they are not a measured run, and none of seeds 0-19 of the note's own
# PyTorch program reproduces them. Our seed 0 solved XOR, but slowly: a long, nearly
# flat stretch just below ln 2 = 0.693, and 0.047 at the end. Lesson 7 trains the same
# network from twenty starts: some never leave that stretch within 5000 epochs, and it
# shows why and what helps.
# %% [markdown] ko
# **정리.** 은닉층이 있으면 직선 하나로 풀 수 없는 문제를 풀 수 있다는 노트의 말은
# 맞아요. 학습된 신경망의 경계는 평행한 직선 두 개이고, 클래스 1인 두 꼭짓점이 그 사이의
# 띠 안에 들어가요. 직선 하나로는 그릴 수 없는 경계예요. 다만 노트의 손실
# 수치(0.73, 1000 에포크에 0.14, 5000 에포크에 0.01)는 "학습 후 기대 결과"라고 적힌
# 값이에요. 실제로 돌려서 잰 값이 아니고, 노트의 PyTorch 프로그램을 시드 0-19로 돌려 봐도
# 이 수치가 나오는 시드는 없어요. 우리의 시드 0은 XOR을 풀었지만 느렸어요. ln 2 = 0.693
# 바로 아래에서 거의 평평한 구간이 길게 이어졌고, 마지막 손실은 0.047이었어요. 7강에서는
# 같은 신경망을 스무 가지 시작점에서 학습시켜요.
# 5000 에포크 안에 그 구간을 끝내 벗어나지 못하는 시작점도 있는데, 왜 그런지, 무엇이
# 도움이 되는지 살펴봐요.
