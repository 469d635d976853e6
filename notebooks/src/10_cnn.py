# %% [markdown] en
# # 10. Convolution: a network for images
#
# An MLP treats an image as a list of unrelated numbers: move a digit one pixel to the
# right and every input changes. The study notes' answer is the convolutional network:
#
# - a **filter** (a small grid of weights, here 3x3) slides over the image; at every
#   position it multiplies the pixels under it by its weights and adds them up. The same
#   weights are used at every position, so a stroke is recognised wherever it is;
# - **pooling** keeps the largest value of each 2x2 window: a little shift no longer
#   matters, and the image shrinks;
# - a **fully connected layer** (the Linear layer of an MLP) reads the pooled features
#   and gives one score per class.
#
# Everything here is built from the same scalar `Value`s as before, so we can look at
# every multiply, and at how one filter weight collects its gradient from every position.
# %% [markdown] ko
# # 10. 합성곱: 이미지를 위한 신경망
#
# MLP는 이미지를 서로 관계없는 숫자 목록으로 다뤄요. 숫자를 오른쪽으로 한 픽셀만 옮겨도
# 입력이 전부 바뀌어요. 학습 노트의 답은 합성곱 신경망(CNN)이에요.
#
# - **필터**(filter, 여기서는 3x3 가중치 격자)가 이미지 위를 미끄러지며 지나가요. 위치마다
#   아래에 있는 픽셀에 가중치를 곱해서 더해요. 모든 위치에서 같은 가중치를 쓰기 때문에,
#   획(stroke)이 어디에 있든 알아볼 수 있어요.
# - **풀링**(pooling)은 2x2 창마다 가장 큰 값만 남겨요. 조금 움직여도 상관없어지고,
#   이미지는 작아져요.
# - **완전 연결 층**(fully connected layer, MLP의 Linear 층)이 풀링된 특징을 읽고
#   클래스마다 점수를 하나씩 내요.
#
# 모두 지금까지와 같은 스칼라 `Value`로 만들어져 있어서, 곱셈 하나하나와 필터 가중치 하나가
# 모든 위치에서 기울기를 모아 오는 모습까지 볼 수 있어요.

# %%
import time

import matplotlib.pyplot as plt

from autograd import Value, graph_stats
from autograd import sum as vsum
from autograd.nn import Adam, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, losses, tasks
from autograd.nn.images import digits
from autograd.viz import draw, uses

images, labels = digits(1300, seed=0)
fig, axes = plt.subplots(2, 10, figsize=(10, 2.4))
for k, ax in enumerate(axes.flat):
    ax.imshow(images[k][0], cmap="gray_r", vmin=0, vmax=1)
    ax.set_title(labels[k], fontsize=9)
    ax.axis("off")
plt.suptitle(
    label(
        "generated 8x8 digits: each sample shifted, scaled, slanted, with noise",
        "생성한 8x8 숫자: 샘플마다 위치, 크기, 기울기를 바꾸고 잡음을 더했어요",
    )
)
plt.show()

# %% [markdown] en
# ## One filter, one weight used everywhere
#
# A 2x2 filter on a 3x3 image gives a 2x2 output: four positions, four products each.
# We make the image from Values so that we can differentiate with respect to it too.
# The filter weight `weight[0][0][0][1]` (top row, right) is **one** leaf; `uses` lists the
# four places that read it and what each sends back. Its gradient is their sum: the
# "node reached along several paths" rule of lesson 4, here at every position of an image.
# %% [markdown] ko
# ## 필터 하나, 어디서나 쓰이는 가중치 하나
#
# 3x3 이미지에 2x2 필터를 쓰면 출력은 2x2예요. 위치가 네 곳이고, 위치마다 곱셈이 네 번씩
# 있어요. 이미지도 `Value`로 만들어서 이미지에 대해서도 미분할 수 있게 해요.
# 필터 가중치 `weight[0][0][0][1]`(윗줄 오른쪽)은 잎 노드(leaf) **하나**예요. `uses`는 이
# 가중치를 읽는 네 곳과 각 곳이 돌려보내는 값을 보여 줘요. 기울기는 그 합이에요.
# 4강의 "여러 경로로 도달한 노드" 규칙이 이미지의 모든 위치에서 일어나는 거예요.

# %%
conv = Conv2d(1, 1, 2, seed=0)
image = [
    [
        [Value(p, label=f"x{r}{c}") for c, p in enumerate(row)]
        for r, row in enumerate([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]])
    ]
]
out = conv(image)
total = vsum(Flatten()(out))
total.backward()
w = conv.weight[0][0][0][1]
print("output (2x2):", [[round(v.data, 4) for v in row] for row in out[0]])
for use in uses(w, total):
    (pixel,) = use.others  # the input w multiplies here
    print(
        f"  w * {pixel.label}: local derivative {use.local:.1f}, upstream {use.upstream:.1f}"
        f", contribution {use.contribution:.1f}"
    )
print(f"sum of the four: {sum(u.contribution for u in uses(w, total)):.4f} = w.grad {w.grad:.4f}")
print(graph_stats(total))

# %%
draw(total, highlight=[w, *(u.consumer for u in uses(w, total))], rankdir="LR")

# %% [markdown] en
# The yellow nodes are the weight and the four products that use it: the four edges out of
# it carry 0.2, 0.3, 0.5 and 0.6 back, the pixels it met.
#
# ## Pooling: the gradient goes to the winner
#
# A max pool makes one `max` node per window. Its derivative is 1 for the largest input
# and 0 for the others. When two inputs tie, PyTorch's rule decides: the first largest
# one, reading the window row by row. The window below holds 0.9 twice.
# %% [markdown] ko
# 노란 노드가 가중치와 그 가중치를 쓰는 곱셈 네 개예요. 가중치에서 나가는 네 간선은 만난
# 픽셀인 0.2, 0.3, 0.5, 0.6을 거꾸로 실어 보내요.
#
# ## 풀링: 기울기는 이긴 쪽으로 가요
#
# 최대 풀링(max pooling)은 창마다 `max` 노드를 하나 만들어요. 도함수는 가장 큰 입력에는
# 1, 나머지에는 0이에요. 두 입력이 같으면 PyTorch의 규칙을 따라요. 창을 한 줄씩 읽어서
# 처음 나온 가장 큰 값이 이겨요. 아래 창에는 0.9가 두 번 있어요.

# %%
window = [
    [[Value(0.3, label="a"), Value(0.9, label="b")], [Value(0.9, label="c"), Value(0.1, label="d")]]
]
(pooled,) = MaxPool2d(2)(window)[0][0]
pooled.backward()
print("max:", pooled.data, "| gradients:", {v.label: v.grad for row in window[0] for v in row})

# %% [markdown] en
# ## Three networks on the same digits
#
# Now the comparison: a linear model on the 64 raw pixels, an MLP with one hidden layer
# of 32, and a small CNN (conv 3x3 x 8 with padding 1 -> ReLU -> max pool 2 -> linear 10).
# Each is trained the same way (softmax cross-entropy, Adam, mini-batches of 16) on 1000
# digits for one epoch, and tested on 300 others. Multiply-accumulates (MACs) are counted
# in one sample's graph. The command `python -m autograd train digits` trains the CNN
# for three epochs and passes 95%.
# %% [markdown] ko
# ## 같은 숫자 이미지로 세 신경망 비교하기
#
# 이제 비교해 볼게요. 픽셀 64개를 그대로 읽는 선형 모델, 은닉층 32개짜리 MLP, 그리고
# 작은 CNN(패딩 1의 3x3 합성곱 8채널 -> ReLU -> 2x2 최대 풀링 -> Linear 10)이에요.
# 셋 다 같은 방법(소프트맥스 교차 엔트로피, Adam, 미니배치 16)으로 숫자 1000개를 1 에포크
# 동안 학습하고, 다른 300개로 시험해요. 곱셈-누산(MAC)은 샘플 하나의 그래프에서 세요.
# `python -m autograd train digits` 명령은 CNN을 3 에포크 학습해서 95%를 넘겨요.

# %%
train_X, train_y = images[:1000], labels[:1000]
test_X, test_y = images[1000:], labels[1000:]
networks = {
    "linear": tasks.digits_linear(seed=0),
    "MLP 64-32-10": Sequential(Flatten(), Linear(64, 32, seed=0), ReLU(), Linear(32, 10, seed=1)),
    "CNN": tasks.digits_cnn(seed=0),
}
rows = []
for name, model in networks.items():
    start = time.perf_counter()
    tasks.fit_batches(model, train_X, train_y, Adam(model.parameters(), lr=0.01), 1, 16)
    seconds = time.perf_counter() - start
    macs = graph_stats(model(test_X[0])).macs
    rows.append((name, model.num_parameters(), macs, tasks.accuracy(model, test_X, test_y)))
    print(f"~ {name}: trained in {seconds:.1f} s")
print(f"{'network':<14}{'parameters':>11}{'MACs':>7}{'test accuracy':>15}")
for name, parameters, macs, accuracy in rows:
    print(f"{name:<14}{parameters:>11,}{macs:>7,}{accuracy:>15.1%}")

# %% [markdown] en
# After one epoch the CNN is clearly ahead (81% against about 66%): its filters find a
# stroke wherever the shift put it, where the linear model and the MLP must learn each
# position separately. (Three epochs on the same data take it to 98%: `train digits`.)
#
# The CNN has fewer parameters than the MLP but twice its MACs: its few filter weights
# are used at every position. That is the trade a convolution makes, and what an accelerator
# is built for (lesson 12).
#
# ## What the filters learned
#
# Each of the CNN's 8 filters is a 3x3 grid of weights. Red weights add the pixel under
# them, blue ones subtract it: most filters have become small stroke detectors (an edge
# on one side, a bar in one direction).
# %% [markdown] ko
# 1 에포크만 학습해도 CNN이 확실히 앞서요(81%, 나머지 둘은 66%쯤). 필터는 이미지가 어디로
# 움직였든 획을 찾아내지만, 선형 모델과 MLP는 위치마다 따로 배워야 하기 때문이에요.
# (같은 데이터로 3 에포크 학습하면 98%가 돼요: `train digits`.)
#
# CNN은 MLP보다 매개변수가 적지만 MAC은 두 배쯤 많아요. 적은 필터 가중치를 모든 위치에서
# 다시 쓰기 때문이에요. 합성곱이 하는 이 맞바꿈이 바로 가속기가 잘하는 일이에요(12강).
#
# ## 필터가 배운 것
#
# CNN의 필터 8개는 각각 3x3 가중치 격자예요. 빨간 가중치는 아래 픽셀을 더하고, 파란
# 가중치는 빼요. 대부분의 필터가 작은 획 검출기(한쪽의 경계, 한 방향의 막대)가 되었어요.

# %%
cnn = networks["CNN"]
filters = [[[w.data for w in row] for row in f[0]] for f in cnn[0].weight]
fig, axes = plt.subplots(1, 8, figsize=(10, 1.6))
for k, (ax, f) in enumerate(zip(axes, filters)):
    limit = max(abs(x) for row in f for x in row)
    ax.imshow(f, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_title(label(f"filter {k}", f"필터 {k}"), fontsize=9)
    ax.axis("off")
plt.show()

# %% [markdown] en
# ## The whole CNN, drawn by channel
#
# One sample's graph has thousands of nodes. `draw(..., collapse="channel")` draws each
# channel of each layer as one box, and the classifier's layer as another. The filter
# weights sit inside their channel's box (each is used by one output channel only); the
# boxes show their outputs and the gradient flowing between them. Here with two filters on
# a 6x6 crop, to keep the picture small.
# %% [markdown] ko
# ## CNN 전체를 채널별로 그리기
#
# 샘플 하나의 그래프에도 노드가 수천 개예요. `draw(..., collapse="channel")`은 층마다
# 채널 하나를 상자 하나로, 분류 층을 또 하나의 상자로 그려요. 필터 가중치는 자기 채널의
# 상자 안에 있어요(각 가중치는 출력 채널 하나만 써요). 상자에는 출력값과 상자 사이로
# 흐르는 기울기가 보여요. 그림이 작도록 필터 두 개, 6x6으로 자른 이미지로 그려 볼게요.

# %%
small = Sequential(
    Conv2d(1, 2, 3, padding=1, seed=1), ReLU(), MaxPool2d(2), Flatten(), Linear(18, 10, seed=2)
)
crop = [[row[1:7] for row in images[3][0][1:7]]]
loss = losses.cross_entropy(small(crop), labels[3])
loss.backward()
draw(loss, collapse="channel", max_nodes=30)
