# %% [markdown] en
# # 8. A real classifier: moons
#
# XOR has four points. Here is a problem with a hundred: two interleaving half circles
# ("moons"), with noise, where no straight line separates the classes. It is the demo of
# micrograd, Andrej Karpathy's tiny autograd engine that this project grew from: a
# 2-16-16-1 ReLU network, trained with the loop of the study notes (forward, loss,
# backward, update, repeat), reaches 100% training accuracy in 100 epochs.
#
# Then we look inside the trained network: what its layers compute (the notes: early layers
# find simple features, later ones combine them) and how the gradient of one example's
# loss flows back through it.
# %% [markdown] ko
# # 8. 실제 분류기: moons
#
# XOR은 점이 네 개뿐이었어요. 이번에는 점 백 개짜리 문제예요. 서로 맞물린 반원 두
# 개("moons")에 잡음(noise)이 섞여 있어서, 어떤 직선으로도 두 클래스를 나눌 수
# 없어요. 이 프로젝트의 출발점인 Andrej Karpathy의 작은 자동 미분 엔진 micrograd의
# 데모예요. 2-16-16-1 ReLU 신경망을 학습 노트의 루프(순전파, 손실, 역전파, 갱신,
# 반복)로 100 에포크(epoch) 학습시키면 학습 데이터 정확도(training accuracy)가 100%가
# 돼요.
#
# 그다음 학습된 신경망 안을 들여다볼 거예요. 각 층이 무엇을 계산하는지(노트의 말로는
# 앞쪽 층은 단순한 특징을 찾고 뒤쪽 층은 그것들을 조합해요), 그리고 예제 하나의 손실에
# 대한 기울기(gradient)가 신경망을 거꾸로 어떻게 흘러가는지 볼게요.

# %%
import dataclasses

import matplotlib.pyplot as plt
import numpy as np

from autograd import graph_stats, no_grad
from autograd.nn import losses
from autograd.nn.data import moons
from autograd.nn.train import BCE_WITH_LOGITS, RECIPES, prepare
from autograd.viz import draw

X, y = moons(100, noise=0.1, seed=0)
points, labels = np.array(X), np.array(y)
plt.figure(figsize=(5, 3.5))
plt.scatter(*points.T, c=labels, cmap="coolwarm", edgecolors="black")
plt.title(
    label(
        "100 moons: class 0 (blue), class 1 (red)", "moons 100개: 클래스 0 (파랑), 클래스 1 (빨강)"
    )
)
plt.show()

# %% [markdown] en
# ## micrograd's recipe
#
# Lesson 3 trained classifiers with cross-entropy. This lesson reproduces micrograd's demo
# as it is, and that demo uses another loss, from support vector machines: a **hinge
# loss** with an **L2** term, and a learning rate that decays. Cross-entropy would work
# too; we measure it below. `autograd.nn.train` has the recipe as `"moons"` (also
# `python -m autograd train moons`):
#
# - a 2-16-16-1 network, ReLU in the hidden layers, a plain number (a *score*) at the
#   output: its sign is the class;
# - the hinge loss `relu(1 - t * score)`, with target t = +1 for class 1 and -1 for
#   class 0. A point's **margin** is `t * score`: positive when the point is on its own
#   side of the boundary, and the larger, the more confidently. The hinge loss is 0 once
#   the margin is at least 1, so points already classified with confidence stop pulling
#   on the weights, and it grows in a straight line as the margin falls below 1;
# - plus 0.0001 times the sum of the squares of all 337 parameters, weights and biases
#   (**L2 regularisation**). Its gradient, 0.0002 times each parameter, pulls every one a
#   little towards 0 at every update, so only weights that the data keeps needing stay
#   large, and the boundary stays smooth;
# - SGD on all 100 points at once, so here one epoch is one update. The learning rate
#   **decays** from 1.0 towards 0.1 over the 100 epochs: large updates early, to get
#   near a good boundary fast, then smaller ones, so that the last updates settle it
#   instead of jumping past it.
#
# We print the loss as lesson 6 does, counting epochs from 1: "after epoch 10" is after
# the tenth update, with the learning rate that update used. Training takes about 8
# seconds: every epoch builds and differentiates a graph of about 70,000 nodes.
# %% [markdown] ko
# ## micrograd의 레시피
#
# 3강에서는 분류기를 교차 엔트로피(cross-entropy)로 학습시켰어요. 이번 강의는
# micrograd의 데모를 그대로 재현하는데, 그 데모는 서포트 벡터 머신(SVM)에서 온 다른 손실을
# 써요. L2 항을 더한 **힌지 손실**(hinge loss)이고, 학습률도 점점 줄여요. 교차 엔트로피로도
# 되는데, 그건 아래에서 직접 재 볼게요. `autograd.nn.train`에 `"moons"` 레시피로 들어
# 있어요(`python -m autograd train moons`로도 돌릴 수 있어요).
#
# - 2-16-16-1 신경망이에요. 은닉층은 ReLU이고, 출력은 숫자 하나(*점수*)예요. 점수의 부호가
#   곧 클래스예요.
# - 힌지 손실 `relu(1 - t * score)`를 써요. 목표값 t는 클래스 1이면 +1, 클래스 0이면
#   -1이에요. 점의 **마진**(margin)은 `t * score`예요. 점이 경계에서 자기 쪽에 있으면
#   양수이고, 클수록 더 확실하게 맞힌 거예요. 마진이 1 이상이면 힌지 손실은 0이라서, 이미
#   확실하게 분류된 점은 더는 가중치를 끌어당기지 않아요. 마진이 1보다 작아지면 손실은
#   직선으로 커져요.
# - 여기에 매개변수 337개(가중치와 편향) 전부의 제곱합에 0.0001을 곱해 더해요. 이것을
#   L2 **규제**(regularization)라고 해요. 이 항의 기울기는 각 매개변수의 0.0002배라서,
#   갱신할 때마다 모든 매개변수를 0 쪽으로 조금씩 당겨요. 그래서 데이터가 계속 필요로 하는
#   가중치만 크게 남고, 경계는 매끄럽게 유지돼요.
# - 점 100개 전체로 한 번에 갱신하는 SGD라서, 여기서는 에포크 한 번이 갱신 한 번이에요.
#   학습률(learning rate)은 100 에포크 동안 1.0에서 0.1 쪽으로 **줄어들어요**(decay).
#   처음에는 크게 갱신해서 좋은 경계 근처로 빨리 가고, 나중에는 작게 갱신해서 마지막
#   갱신들이 경계를 지나쳐 버리지 않고 자리를 잡게 해요.
#
# 손실은 6강처럼 에포크를 1부터 세며 출력해요. "after epoch 10"은 열 번째 갱신을 마친
# 뒤이고, 괄호 안은 그 갱신에 쓴 학습률이에요. 학습에는 8초쯤 걸려요. 에포크마다 노드가
# 약 7만 개인 그래프를 만들고 미분하거든요.

# %%
run = prepare("moons", seed=0)
print(run.describe())
history = run.fit()
print(f"before training:           loss {history[0].loss:.4f}, accuracy {history[0].accuracy:.0%}")
for epoch in range(10, run.epochs + 1, 10):
    # history[n] is measured before epoch n + 1's update; after the last, measure now.
    loss, accuracy = (
        (history[epoch].loss, history[epoch].accuracy) if epoch < run.epochs else run.evaluate()
    )
    lr = run.recipe.lr * (1 - 0.9 * (epoch - 1) / run.epochs)  # the rate epoch `epoch` used
    print(f"after epoch {epoch:3} (lr {lr:.2f}): loss {loss:.4f}, accuracy {accuracy:.0%}")

# %% [markdown] en
# 100% of the training points are classified right. Training accuracy flatters a model,
# so we also score 500 fresh points from the same distribution (another seed), which the
# network never saw:
# %% [markdown] ko
# 학습 데이터의 점 100%를 맞혔어요. 학습 데이터 정확도는 모델을 실제보다 좋아 보이게
# 하니까, 같은 분포에서 새로 뽑은(다른 시드(seed)의) 점 500개로도 채점해 볼게요.
# 신경망이 한 번도 본 적 없는 점들이에요.

# %%
model = run.model
X_new, y_new = moons(500, noise=0.1, seed=1)


def accuracy_on_new_points(model):
    """The share of the 500 new points whose score has the sign of their class."""
    with no_grad():
        correct = sum((model(x).data > 0) == bool(t) for x, t in zip(X_new, y_new))
    return correct / len(X_new)


print(f"accuracy on 500 new points: {accuracy_on_new_points(model):.1%}")

# %% [markdown] en
# ## Would lesson 3's cross-entropy do?
#
# Yes. Keep everything else (the network and its start, L2, the decaying learning rate,
# 100 epochs) and change only the loss: binary cross-entropy on the score, read as a
# logit (the probability of class 1 is sigmoid(score), as in lesson 3). `Recipe` is a
# frozen dataclass, so `dataclasses.replace` makes the variant. Another 8 seconds:
# %% [markdown] ko
# ## 3강의 교차 엔트로피로도 될까?
#
# 돼요. 나머지(신경망과 그 시작 가중치, L2, 줄어드는 학습률, 100 에포크)는 그대로 두고
# 손실만 바꿔 볼게요. 점수를 로짓(logit)으로 읽는 이진 교차 엔트로피예요. 3강에서처럼
# 클래스 1일 확률이 sigmoid(점수)예요. `Recipe`는 바꿀 수 없는(frozen) 데이터 클래스라서
# `dataclasses.replace`로 변형을 만들어요. 이것도 8초쯤 걸려요.

# %%
cross_entropy = prepare(dataclasses.replace(RECIPES["moons"], objective=BCE_WITH_LOGITS))
print(cross_entropy.describe())
cross_entropy.fit()
for name, trained in (("hinge", run), ("cross-entropy", cross_entropy)):
    print(
        f"{name:13}: training accuracy {trained.evaluate()[1]:.0%}, "
        f"500 new points {accuracy_on_new_points(trained.model):.1%}"
    )

# %% [markdown] en
# Cross-entropy classifies all but one of the training points and 99.0% of the new ones,
# against the hinge's 100% on both: as good a classifier, within a point or two. The
# difference is in what each loss asks for. Cross-entropy never reaches 0: it keeps
# pushing every point further from the boundary, a little less the further it is. The
# hinge loss stops at a margin of 1, which is why, below, a point far on its own side
# sends no gradient at all.
# %% [markdown] ko
# 교차 엔트로피는 학습 데이터의 점을 하나만 빼고 다 맞히고, 새 점은 99.0%를 맞혀요.
# 힌지 손실은 둘 다 100%예요. 한두 점 차이로 거의 같은 분류기예요. 차이는 각 손실이
# 요구하는 것에 있어요. 교차 엔트로피는 0이 되지 않아요. 경계에서 멀수록 조금 덜하지만,
# 모든 점을 경계에서 계속 더 멀리 밀어내요. 힌지 손실은 마진이 1이 되면 멈춰요. 그래서
# 아래에서 보듯이, 자기 쪽에 멀리 들어가 있는 점은 기울기를 전혀 보내지 않아요.

# %% [markdown] en
# ## The decision boundary, and what each layer computes
#
# We run the network over a grid covering the plane and keep, for each grid point, the
# output of every neuron. First, four neurons of each hidden layer (bright = large output,
# dark = 0). A first-layer neuron is ReLU of a weighted sum of x1 and x2: 0 on one side of
# a straight line, a ramp on the other. A second-layer neuron adds up such ramps, so its
# region is already bent. The output neuron combines the second layer, and where its
# score changes sign is the decision boundary.
# %% [markdown] ko
# ## 결정 경계, 그리고 각 층이 계산하는 것
#
# 평면을 덮는 격자점마다 신경망을 실행하고, 모든 뉴런의 출력을 저장해요. 먼저 각
# 은닉층의 뉴런 네 개씩의 출력을 볼게요(밝을수록 크고, 어두우면 0). 첫 번째 층의
# 뉴런은 x1과 x2의 가중합에 ReLU를 씌운 것이라서, 직선 한쪽은 0이고 다른 쪽은
# 경사면이에요. 두 번째 층의 뉴런은 그런 경사면들을 더하니까 영역이 벌써 휘어 있어요.
# 출력 뉴런은 두 번째 층을 조합하고, 그 점수의 부호가 바뀌는 곳이 결정
# 경계(decision boundary)예요.

# %%
xs = np.linspace(-1.5, 2.5, 50)
ys = np.linspace(-1.0, 1.5, 50)
outputs = {}  # neuron name -> its output at every grid point
with no_grad():
    for b in ys:
        for a in xs:
            values = [float(a), float(b)]
            for k, layer in enumerate(model.layers, start=1):
                values = layer(values)
                for j, v in enumerate(values, start=1):
                    outputs.setdefault(f"L{k}.n{j}", []).append(v.data)


def grid(name):
    return np.array(outputs[name]).reshape(len(ys), len(xs))


fig, axes = plt.subplots(2, 4, figsize=(12, 4.5))
for ax, name in zip(axes.flat, [f"L{k}.n{j}" for k in (1, 2) for j in (1, 2, 3, 4)]):
    ax.contourf(xs, ys, grid(name), levels=20, cmap="viridis")
    ax.set(title=name, xticks=[], yticks=[])
plt.tight_layout()
plt.show()

score = grid("L3.n1")
plt.figure(figsize=(6, 4))
plt.contourf(xs, ys, score, levels=np.linspace(-4, 4, 17), cmap="coolwarm", extend="both")
plt.colorbar(label=label("score", "점수"))
plt.contour(xs, ys, score, levels=[0], colors="black")
plt.scatter(*points.T, c=labels, cmap="coolwarm", edgecolors="black")
plt.title(label("decision boundary: score = 0", "결정 경계: 점수 = 0"))
plt.show()

# %% [markdown] en
# ## Gradient flow through the trained network
#
# Now one example at a time. The hinge loss of one point is a graph of about 700 nodes:
# every weight, every product and sum, each ReLU. We pick the training point with the
# smallest margin and call `backward()` on its loss alone. `draw(..., collapse="layer")`
# draws each layer as one box listing its neurons' outputs and gradients. An edge's width
# and colour show how much gradient flows back along it; a dashed grey edge carries none.
# %% [markdown] ko
# ## 학습된 신경망 속의 기울기 흐름
#
# 이제 예제를 하나씩 볼게요. 점 하나의 힌지 손실은 노드가 700개쯤 되는 그래프예요. 모든
# 가중치, 곱셈과 덧셈, ReLU가 다 들어 있어요. 학습 데이터 중 마진이 가장 작은 점을
# 골라서 그 점의 손실에만 `backward()`를 호출해요. `draw(..., collapse="layer")`는
# 각 층을 상자 하나로 그리고, 그 안에 뉴런들의 출력과 기울기를 적어요. 화살표의 굵기와
# 색은 그 길을 따라 거꾸로 흐르는 기울기의 크기이고, 회색 점선은 기울기가 0인
# 길이에요.

# %%
targets = [2 * t - 1 for t in y]  # hinge targets: -1 or +1
with no_grad():
    margins = [model(x).data * t for x, t in zip(X, targets)]
print(f"points inside the margin (t * score < 1): {sum(m < 1 for m in margins)} of {len(X)}")
closest = min(range(len(X)), key=lambda i: margins[i])
print(f"closest: point {closest} at {np.round(X[closest], 3)}, margin {margins[closest]:.3f}")

loss = losses.hinge(model(X[closest]), targets[closest])
model.zero_grad()
loss.backward()
print(f"its hinge loss: {loss.data:.4f}, a graph of {graph_stats(loss).nodes} nodes")
draw(loss, collapse="layer")

# %% [markdown] en
# Read it right to left, the way the gradient travels: from the loss back through the
# output neuron L3, into the 16 neurons of L2, then into L1. A ReLU neuron whose output is
# 0 for this point (`data 0`) passes nothing further back, even when its own gradient is
# not 0: ReLU's slope is 0 there. One layer per box is too coarse to see that, so here is
# the same graph collapsed by neuron, keeping the 23 boxes nearest the loss (`max_nodes`):
# all of L2 and the first three neurons of L1. Solid edges go into the L2 neurons that are
# active for this point, dashed ones into the silent neurons.
# %% [markdown] ko
# 기울기가 흐르는 방향인 오른쪽에서 왼쪽으로 읽어 보세요. 손실에서 출력 뉴런 L3를
# 거쳐 L2의 뉴런 16개로, 다시 L1으로 가요. 이 점에서 출력이 0인(`data 0`) ReLU
# 뉴런은 자기 기울기가 0이 아니더라도 더 뒤로는 아무것도 전달하지 않아요. 그곳에서
# ReLU의 기울기가 0이기 때문이에요. 층마다 상자 하나로는 이걸 보기 어려우니, 같은
# 그래프를 뉴런 단위로 묶어서 손실에 가장 가까운 상자 23개만 그려 볼게요(`max_nodes`).
# L2 전체와 L1의 처음 세 뉴런이 들어가요. 이 점에서 활성화된 L2 뉴런으로는 실선이, 꺼진
# 뉴런으로는 점선이 들어가요.

# %%
with no_grad():
    hidden1 = model.layers[0](X[closest])
    hidden2 = model.layers[1](hidden1)
for name, hidden in (("L1", hidden1), ("L2", hidden2)):
    print(
        f"{name}: {sum(v.data > 0 for v in hidden)} of {len(hidden)} neurons active for this point"
    )
draw(loss, collapse="neuron", max_nodes=23)

# %% [markdown] en
# Finally a point far on its own side. Its hinge loss is exactly 0: the gradient reaches
# the hinge's ReLU and stops there, and every weight gets 0 from this point. After
# training, only the few points inside the margin still teach the network anything (plus
# the small pull of the L2 term on every parameter).
# %% [markdown] ko
# 마지막으로 자기 쪽에 멀리 들어가 있는 점을 볼게요. 이 점의 힌지 손실은 정확히
# 0이에요. 기울기는 힌지의 ReLU까지 왔다가 거기서 멈추고, 이 점에서 가중치로 가는
# 기울기는 전부 0이에요. 학습이 끝나면 마진 안쪽에 있는 몇 개의 점만 신경망에 무언가를
# 가르쳐요(여기에 L2 항이 모든 매개변수를 살짝 당기는 힘이 더해져요).

# %%
farthest = max(range(len(X)), key=lambda i: margins[i])
loss = losses.hinge(model(X[farthest]), targets[farthest])
model.zero_grad()
loss.backward()
print(f"point {farthest}: margin {margins[farthest]:.3f}, hinge loss {loss.data:.4f}")
print("largest weight gradient:", max(abs(p.grad) for p in model.parameters()))
draw(loss, collapse="layer")

# %% [markdown] en
# **What to take away.** The same loop that trained XOR trains a real classifier; a
# hidden layer of ReLUs cuts the plane with lines, the next one bends them, and the output
# draws the boundary. Backpropagation sends each example's gradient only through the
# neurons that were active for it, and with a hinge loss only the examples near the
# boundary send any at all.
# %% [markdown] ko
# **정리.** XOR을 학습시킨 그 루프로 실제 분류기도 학습시킬 수 있어요. ReLU 은닉층은
# 평면을 직선으로 자르고, 다음 층은 그것을 휘고, 출력이 경계를 그려요. 역전파는 각
# 예제의 기울기를 그 예제에서 활성화된 뉴런으로만 보내고, 힌지 손실에서는 경계 근처의
# 예제만 기울기를 보내요.
