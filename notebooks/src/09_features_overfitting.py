# %% [markdown] en
# # 9. Features: made by hand or learned, and overfitting
#
# The fifth study note sets two ways of recognising a face side by side. The traditional
# way (*manual feature engineering*): a person decides what to measure, "the distance
# between the eyes, the width of the nose, the width of the mouth", and a classifier (an
# SVM, a decision tree) decides from those numbers. Its weakness, in the note's words: "a
# person has to define every feature one by one, so it is hard to generalise, and it has
# limits". The deep-learning way (*automatic feature learning*): the layers find the
# features themselves, "layer 1: lines and edges; layer 2: middle-level features such as
# eyes, nose, mouth; layer 3: the whole face".
#
# We try both on a problem small enough to draw: two rings of points, one inside the
# other. A straight line on the raw coordinates fails; the same straight line on one
# feature made by hand, x² + y², succeeds; and a small network given only the raw
# coordinates builds features like x² + y² by itself, which we can look at.
#
# Then the note's word *generalise*, in the sense it has in machine learning: doing well
# on new data, not only on the data a model was trained on. A network that learns its
# training points too well, noise included, does worse on new ones. That is
# **overfitting**: we make it happen, measure it, and cure it.
# %% [markdown] ko
# # 9. 특징: 사람이 만들까, 신경망이 배울까, 그리고 과적합
#
# 다섯 번째 학습 노트는 얼굴을 알아보는 두 가지 방법을 나란히 놓고 비교해요. 전통적
# 방법(Manual Feature Engineering)에서는 사람이 무엇을 잴지 정해요. "눈과 눈 사이
# 거리, 코의 넓이, 입의 너비 등"을 재고, 분류기(SVM, Decision Tree 등)가 그 숫자로
# 판단해요. 노트가 꼽는 단점은 "사람이 일일이 특징을 정의해야 하므로 일반화가 어렵고
# 한계 존재"예요. 딥러닝 방법(Automatic Feature Learning)에서는 층이 특징을 스스로
# 찾아요. "1층: 선과 경계 감지, 2층: 눈/코/입 같은 중간 특징 감지, 3층: 얼굴 전체
# 감지"라고 노트는 적어요.
#
# 그림으로 그릴 수 있을 만큼 작은 문제로 두 방법을 다 해 볼게요. 점들이 고리 두 개를
# 이루고, 한 고리가 다른 고리 안에 들어 있어요. 날것의 좌표 위에 그은 직선은 실패해요.
# 같은 직선이라도 사람이 만든 특징 하나, x² + y² 위에 그으면 성공해요. 그리고 날것의
# 좌표만 받은 작은 신경망은 x² + y²를 닮은 특징을 스스로 만들어 내요. 그 특징을 직접
# 들여다볼 거예요.
#
# 그다음은 노트에 나온 **일반화**(generalization)라는 말을 머신러닝에서 쓰는 뜻으로
# 살펴봐요. 학습한 데이터뿐 아니라 새 데이터에서도 잘 맞히는 것이 일반화예요. 학습
# 데이터를 잡음까지 너무 잘 외운 신경망은 새 데이터에서 오히려 더 못해요. 이것이
# **과적합**(overfitting)이에요. 과적합을 일부러 일으키고, 재 보고, 고쳐 볼게요.

# %% [markdown] en
# ## Two rings
#
# `circles` draws 50 points on a circle of radius 1 (class 0) and 50 on a circle of
# radius 0.5 (class 1), with noise. 500 more points from the same rings (another seed)
# are kept aside as *test* points: the models never train on them, so they show how a
# model does on data it has not seen.
# %% [markdown] ko
# ## 고리 두 개
#
# `circles`는 반지름 1인 원 위에 점 50개(클래스 0), 반지름 0.5인 원 위에 점
# 50개(클래스 1)를 잡음을 섞어 뽑아요. 같은 고리에서 (다른 시드로) 뽑은 점 500개는
# *시험* 데이터(test data)로 따로 떼어 둬요. 모델이 이 점들로는 학습하지 않으니, 본 적
# 없는 데이터에서 모델이 얼마나 잘하는지 보여 줘요.

# %%
import matplotlib.pyplot as plt
import numpy as np

from autograd.accel import TapeBackend
from autograd.nn import MLP, Adam, Neuron
from autograd.nn.data import circles, moons
from autograd.nn.train import BCE_WITH_LOGITS, evaluate, fit
from autograd.viz import over_plane

X, y = circles(100, noise=0.1, seed=0)
X_test, y_test = circles(500, noise=0.1, seed=1)
points, labels = np.array(X), np.array(y)
plt.figure(figsize=(4, 4))
plt.scatter(*points.T, c=labels, cmap="coolwarm", edgecolors="black")
plt.gca().set_aspect("equal")
plt.title(label("class 0 (blue) around class 1 (red)", "클래스 1(빨강)을 둘러싼 클래스 0(파랑)"))
plt.show()

# %% [markdown] en
# ## A straight line on the raw inputs
#
# A linear model is classic machine learning (logistic regression): a score
# `w1*x + w2*y + b`, and class 1 where the score is above 0, on one side of a straight
# line. It is one neuron with no activation, `Neuron(2, "linear")`. We train every model
# of this lesson the same way: binary cross-entropy on the score (`BCE_WITH_LOGITS`, which
# applies the sigmoid inside the loss), Adam with learning rate 0.05, all points at once,
# 200 epochs. Accuracy is the share of points on their class's side.
# %% [markdown] ko
# ## 날것의 입력 위에 그은 직선
#
# 선형 모델은 고전적인 머신러닝(로지스틱 회귀, logistic regression)이에요. 점수
# `w1*x + w2*y + b`를 계산해서, 점수가 0보다 크면, 즉 어떤 직선의 한쪽에 있으면
# 클래스 1이라고 답해요. 활성화 함수가 없는 뉴런 하나, `Neuron(2, "linear")`예요. 이
# 레슨의 모델은 모두 같은 방법으로 학습시켜요. 점수에 이진 교차 엔트로피를 쓰고
# (`BCE_WITH_LOGITS`는 시그모이드를 손실 안에서 적용해요), 학습률 0.05의 Adam으로 점
# 전체를 한 번에 200 에포크 동안 학습해요. 정확도는 자기 클래스 쪽에 놓인 점의
# 비율이에요.


# %%
def train(model, inputs, targets, epochs=200, lr=0.05, **options):
    """Binary cross-entropy on the model's score (its sign is the class), Adam, all points."""
    optimizer = Adam(model.parameters(), lr=lr)
    return fit(model, inputs, targets, BCE_WITH_LOGITS, optimizer, epochs, **options)


def accuracy(model, inputs, targets):
    return evaluate(model, inputs, targets, BCE_WITH_LOGITS)[1]


def report(name, model, inputs, targets, test_inputs, test_targets):
    print(
        f"{name}: training accuracy {accuracy(model, inputs, targets):.0%}, "
        f"test accuracy {accuracy(model, test_inputs, test_targets):.1%}"
    )


line = Neuron(2, "linear", seed=0)  # score = w1*x + w2*y + b
train(line, X, y)
report("a line on (x, y)", line, X, y, X_test, y_test)
print("its weights:", {name: f"{value:.4f}" for name, value in line.state_dict().items()})

# %% [markdown] en
# Half right: a coin would do as well. The rings share their centre, so no straight line
# has the inner ring on one side and the whole outer ring on the other. Training ends
# with both weights and the bias near 0: a score near 0 for every point, a 50/50 answer
# everywhere, as the lone neuron on XOR in lesson 6 ended. Nothing is wrong with the
# training; the model cannot express the answer.
# %% [markdown] ko
# 절반만 맞혔어요. 동전을 던져도 이만큼은 맞혀요. 두 고리는 중심이 같아서, 안쪽
# 고리를 한쪽에 두고 바깥 고리 전체를 반대쪽에 두는 직선은 없어요. 학습이 끝났을 때 가중치
# 두 개와 편향이 모두 0에 가까워요. 모든 점의 점수가 0 근처이고, 어디서나 "반반"이라고 답하는
# 거예요. 6강에서 XOR을 배우던 뉴런 하나도 이렇게 끝났어요. 학습이 잘못된 게 아니라,
# 이 모델로는 답을 나타낼 수 없는 거예요.
# %% [markdown] en
# ## A feature made by hand: x² + y²
#
# Now we play the person of the note's traditional method. The picture shows that the
# classes differ in one thing only: the distance from the centre. So for every point we
# compute one feature, x² + y² (the squared distance), and give the linear model that
# one number instead of (x, y). The model is as simple as before, a weight, a bias and a
# sign; only its input changed.
# %% [markdown] ko
# ## 사람이 만든 특징: x² + y²
#
# 이제 노트의 전통적 방법에 나오는 사람이 되어 볼게요. 그림을 보면 두 클래스는 딱
# 하나, 중심에서 떨어진 거리만 달라요. 그래서 점마다 특징 하나, x² + y²(거리의
# 제곱)를 계산해서 (x, y) 대신 이 숫자 하나를 선형 모델에 넣어요. 모델은 앞과
# 똑같이 가중치 하나, 편향 하나, 부호뿐이에요. 입력만 바뀌었어요.


# %%
def squared_radius(point):
    """The feature a person makes, seeing that the classes are rings: x^2 + y^2."""
    return [point[0] ** 2 + point[1] ** 2]


features = [squared_radius(p) for p in X]
test_features = [squared_radius(p) for p in X_test]
threshold = Neuron(1, "linear", seed=0)  # score = w1 * (x^2 + y^2) + b
train(threshold, features, y)
report("a line on x^2 + y^2", threshold, features, y, test_features, y_test)
weights = threshold.state_dict()
radius = (-weights["b"] / weights["w1"]) ** 0.5
print(f"score = {weights['w1']:.2f} * (x^2 + y^2) + {weights['b']:.2f}")
print(f"class 1 where the score is above 0: inside the circle of radius {radius:.2f}")

# %% [markdown] en
# 100% of the training points and 99.2% of the new ones. In the plane, "score above 0"
# now means "inside a circle" of radius 0.79, between the inner ring (0.5) and the outer
# one (1): a straight line on x² + y² is a circle on (x, y). The hard part was done by
# the person who chose the feature. A person who had not looked at the picture, or whose
# data had a thousand numbers per point instead of two, could not choose it so easily:
# that is the note's "limits".
# %% [markdown] ko
# 학습 데이터는 100%, 새 점은 99.2%를 맞혔어요. 평면에서 보면 "점수가 0보다 크다"는
# 이제 "반지름 0.79인 원 안에 있다"는 뜻이에요. 안쪽 고리(0.5)와 바깥 고리(1)
# 사이에 있는 원이에요. x² + y² 위의 직선이 (x, y) 위에서는 원이 된 거예요. 어려운
# 일은 특징을 고른 사람이 다 했어요. 그림을 보지 못했거나, 점 하나가 숫자 두 개가
# 아니라 천 개로 이루어진 데이터였다면 이 특징을 이렇게 쉽게 고르지 못했을 거예요.
# 노트가 말한 "한계"가 이거예요.
# %% [markdown] en
# ## A network on the raw inputs
#
# The deep-learning way: give a network the raw (x, y) and nothing else. A 2-4-4-1
# network with tanh in its two hidden layers, trained exactly as the line was.
# %% [markdown] ko
# ## 날것의 입력을 받는 신경망
#
# 이번에는 딥러닝 방법이에요. 신경망에 날것의 (x, y)만 주고 다른 것은 주지 않아요.
# 은닉층 두 개에 tanh를 쓰는 2-4-4-1 신경망을 직선과 똑같은 방법으로 학습시켜요.

# %%
mlp = MLP(2, [4, 4, 1], "tanh", "linear", seed=0)
print(mlp)
train(mlp, X, y)
report("MLP on (x, y)", mlp, X, y, X_test, y_test)

# %% [markdown] en
# No feature was given, and it gets all the training points and 98.6% of the new ones.
# Here are the three models over the plane. The colour is the probability
# sigmoid(score) (red: class 1, blue: class 0, pale: near 0.5), the black line is where
# it crosses 0.5: the decision boundary. `viz.over_plane(f, xs, ys)` computes `f` at
# every point of a grid, here each model's score.
# %% [markdown] ko
# 특징을 하나도 주지 않았는데 학습 데이터는 전부, 새 점은 98.6%를 맞혔어요. 세
# 모델을 평면 위에 그려 볼게요. 색은 확률 sigmoid(점수)예요(빨강은 클래스 1, 파랑은
# 클래스 0, 옅은 색은 0.5 근처). 검은 선은 확률이 0.5를 지나는 곳, 즉 결정
# 경계(decision boundary)예요. `viz.over_plane(f, xs, ys)`은 격자의 모든 점에서 `f`를
# 계산해요. 여기서는 각 모델의 점수를 계산해요.

# %%
SQUARE = np.linspace(-1.5, 1.5, 41)  # the grid of the pictures, x and y alike


def plot_scores(ax, score, points, labels, title, grid=SQUARE):
    """The probability sigmoid(score) over the plane, its 0.5 line, and the points."""
    probability = 1 / (1 + np.exp(-np.array(over_plane(score, grid, grid))))
    ax.contourf(grid, grid, probability, levels=np.linspace(0, 1, 11), cmap="coolwarm", alpha=0.8)
    if (
        probability.min() < 0.45 and probability.max() > 0.55
    ):  # a line only where it means something
        ax.contour(grid, grid, probability, levels=[0.5], colors="black")
    ax.scatter(*points.T, c=labels, cmap="coolwarm", edgecolors="black", s=25)
    ax.set(title=title, aspect="equal", xticks=[], yticks=[])


fig, axes = plt.subplots(1, 3, figsize=(12, 4))
plot_scores(axes[0], line, points, labels, label("a line on (x, y)", "(x, y) 위의 직선"))
plot_scores(
    axes[1],
    lambda p: threshold(squared_radius(p)),
    points,
    labels,
    label("a line on x² + y²", "x² + y² 위의 직선"),
)
plot_scores(axes[2], mlp, points, labels, label("MLP 2-4-4-1 on (x, y)", "(x, y) 위의 MLP 2-4-4-1"))
plt.show()

# %% [markdown] en
# The line on (x, y) is barely a line: its probability stays close to 0.5 over the whole
# square, so both of its sides are pale and no point is clearly on either. The
# hand-made feature draws a circle. The network draws a rounded shape of its own that
# does the same job where the points are.
#
# ## What the hidden neurons learned
#
# Where is the network's x² + y²? We draw what each hidden neuron outputs over the plane
# (bright: large, dark: small), next to the hand-made feature, and measure how alike
# each picture is to x² + y²: their correlation over the square (+1 or -1: the same
# picture up to scale and sign; near 0: unrelated).
# %% [markdown] ko
# (x, y) 위의 직선은 직선이라고 하기도 어려워요. 정사각형 전체에서 확률이 0.5 근처에
# 머물러서 양쪽이 다 옅은 색이고, 어느 쪽에도 확실히 놓인 점이 없어요. 사람이 만든
# 특징은 원을 그려요. 신경망은 자기 나름의 둥근 모양을 그리는데, 점이 있는 곳에서는
# 원과 똑같은 일을 해요.
#
# ## 은닉 뉴런이 배운 것
#
# 신경망의 x² + y²는 어디에 있을까요? 은닉 뉴런마다 평면 위에서 내는 출력을 그려서
# (밝으면 크고, 어두우면 작아요) 사람이 만든 특징 옆에 놓고, 각 그림이 x² + y²와
# 얼마나 닮았는지 재 볼게요. 정사각형 위에서의 상관계수(correlation)로 재요. +1이나
# -1이면 크기와 부호만 다를 뿐 같은 그림이고, 0에 가까우면 서로 관계가 없어요.

# %%
first, second = mlp.layers[0], mlp.layers[1]  # the two hidden layers
pictures = {"x² + y²": over_plane(lambda p: squared_radius(p)[0], SQUARE, SQUARE)}
for j in range(4):
    pictures[f"L1.n{j + 1}"] = over_plane(lambda p, j=j: first(p)[j], SQUARE, SQUARE)
for j in range(4):
    pictures[f"L2.n{j + 1}"] = over_plane(lambda p, j=j: second(first(p))[j], SQUARE, SQUARE)
pictures["output"] = over_plane(mlp, SQUARE, SQUARE)
hand_made = np.ravel(pictures["x² + y²"])
correlation = {
    name: np.corrcoef(hand_made, np.ravel(picture))[0, 1] for name, picture in pictures.items()
}
for name in pictures:
    print(f"{name:>7}: correlation with x^2 + y^2 {correlation[name]:+.2f}")

fig, axes = plt.subplots(2, 5, figsize=(14, 6))
top = ["x² + y²", "L1.n1", "L1.n2", "L1.n3", "L1.n4"]  # the hand-made feature, layer 1
bottom = ["output", "L2.n1", "L2.n2", "L2.n3", "L2.n4"]  # the network's output, layer 2
for ax, name in zip(axes.flat, top + bottom):
    ax.contourf(SQUARE, SQUARE, pictures[name], levels=20, cmap="viridis")
    shown = label("output", "출력") if name == "output" else name
    ax.set(title=f"{shown} ({correlation[name]:+.2f})", aspect="equal", xticks=[], yticks=[])
plt.tight_layout()
plt.show()

# %% [markdown] en
# The first layer (top row, after x² + y²) can only draw lines: each of its neurons is
# tanh(w1·x + w2·y + b), a soft step across a straight line, and none is much like
# x² + y² (correlations of at most 0.20 in size). The second layer (bottom row) adds
# those steps up, and its sums bend: L2.n1 is a bright disc in the middle, large where
# x² + y² is small (-0.64), and L2.n2 is the opposite, a dark hole (+0.70). Out of lines
# the network built two features that carve the plane the way x² + y² does, and its
# output combines them. Nobody told it to: training only asked it to classify. It is the
# note's "layer 1: lines and edges" leading to "layer 2: middle-level features such as
# eyes, nose, mouth", on a small scale.
# %% [markdown] ko
# 첫 번째 층(윗줄, x² + y² 다음)은 직선밖에 그리지 못해요. 뉴런 하나하나가
# tanh(w1·x + w2·y + b), 즉 직선 하나를 경계로 부드럽게 올라가는 계단이라서, 어느
# 것도 x² + y²와 별로 닮지 않았어요(상관계수의 크기가 많아야 0.20). 두 번째 층(아랫줄)은
# 그 계단들을 더하는데, 더한 결과는 휘어 있어요. L2.n1은 가운데가 밝은 원판이라
# x² + y²가 작은 곳에서 커요(-0.64). L2.n2는 그 반대로 가운데가 어두운 구멍이에요
# (+0.70). 신경망이 직선들로 x² + y²처럼 평면을 나누는 특징 두 개를 만들어 냈고, 출력은
# 그 둘을 조합해요. 아무도 그렇게 하라고 시키지 않았어요. 학습은 분류만 요구했을
# 뿐이에요. 노트의 "1층: 선과 경계 감지"에서 "2층: 눈/코/입 같은 중간 특징 감지"로
# 넘어가는 과정을 작게 본 셈이에요.

# %% [markdown] en
# ## Overfitting
#
# A model learns from some points and is used on others. Here the training points are
# few, 30 moons, and noisy: three times the noise of lesson 8, so the classes overlap
# and some points sit on the other class's side. The network is large for them: 2-32-1,
# 129 parameters for 30 points. The test points are 300 new ones from the same
# distribution.
# %% [markdown] ko
# ## 과적합
#
# 모델은 어떤 점들로 배우고, 다른 점들에 쓰여요. 이번 학습 데이터는 moons 30개로
# 적고, 잡음도 많아요. 8강의 세 배라서 두 클래스가 겹치고, 어떤 점은 상대 클래스 쪽에
# 가 있어요. 신경망은 이 데이터에 비해 커요. 2-32-1이라서, 점 30개에 파라미터가
# 129개예요. 시험 데이터는 같은 분포에서 새로 뽑은 점 300개예요.

# %%
X, y = moons(30, noise=0.3, seed=0)
X_test, y_test = moons(300, noise=0.3, seed=100)
points, labels = np.array(X), np.array(y)
plt.figure(figsize=(5, 3.5))
plt.scatter(*np.array(X_test).T, c=y_test, cmap="coolwarm", s=8, alpha=0.3)
plt.scatter(*points.T, c=labels, cmap="coolwarm", edgecolors="black", s=50)
plt.title(
    label(
        "30 training points (ringed), 300 test points (faint)",
        "학습 점 30개(테두리), 시험 점 300개(흐린 점)",
    )
)
plt.show()

# %% [markdown] en
# We train for 1000 epochs (Adam, learning rate 0.02), and at 35 epochs spread evenly on
# a log scale we measure the loss and the accuracy on both sets of points. A thousand
# epochs take a while on the scalar engine, so the training runs on the *tape*
# (`TapeBackend`): the same graph recorded once and replayed on NumPy arrays, with the
# same arithmetic (lesson 12 shows how). The measurements run on the scalar engine
# (`evaluate`).
# %% [markdown] ko
# 1000 에포크 동안 학습시키면서(Adam, 학습률 0.02), 로그 눈금에서 고르게 퍼진 35개
# 에포크마다 두 데이터의 손실과 정확도를 재요. 스칼라 엔진으로 1000 에포크를 돌리면
# 시간이 꽤 걸려서, 학습은 *테이프*(tape, `TapeBackend`)로 돌려요. 같은 그래프를 한
# 번 기록해 두고 NumPy 배열 위에서 다시 실행하는 방식이라 계산은 똑같아요(12강에서
# 자세히 봐요). 정확도와 손실을 재는 것은 스칼라 엔진(`evaluate`)이 해요.

# %%
MEASURED = set(np.geomspace(1, 1000, 40).round().astype(int).tolist())  # log-spaced epochs
print(f"{len(MEASURED)} epochs measured, from {min(MEASURED)} to {max(MEASURED)}")


def train_and_watch(X, y, X_test, y_test, l2=0.0, seed=0, measured=MEASURED):
    """A 2-32-1 tanh network trained 1000 epochs on (X, y). At each epoch in `measured`:
    the epoch, the loss on the training and on the test points, and the two accuracies."""
    model = MLP(2, [32, 1], "tanh", "linear", seed=seed)
    curve = []

    def measure(record):
        if record.epoch in measured:
            train_loss, train_accuracy = evaluate(model, X, y, BCE_WITH_LOGITS)
            test_loss, test_accuracy = evaluate(model, X_test, y_test, BCE_WITH_LOGITS)
            curve.append((record.epoch, train_loss, test_loss, train_accuracy, test_accuracy))

    train(model, X, y, 1000, lr=0.02, l2=l2, on_epoch=measure, backend=TapeBackend())
    return model, np.array(curve)


def describe(name, row):
    epoch, train_loss, test_loss, train_accuracy, test_accuracy = row
    print(
        f"{name:>18}, epoch {epoch:4.0f}: training {train_accuracy:4.0%} (loss {train_loss:.3f})"
        f"  test {test_accuracy:.1%} (loss {test_loss:.3f})"
        f"  gap {train_accuracy - test_accuracy:5.1%}"
    )


overfit, curve = train_and_watch(X, y, X_test, y_test)
print(overfit)
describe("best test accuracy", curve[np.argmax(curve[:, 4])])
describe("last epoch", curve[-1])

# %% [markdown] en
# At epoch 143 the network was at its best on new points: 86.7% of the test points
# right, and 90% of the training points. By epoch 1000 it gets every training point right
# (100%, loss 0.003) but only 78.3% of the test points, and its test loss has grown from
# 0.331 to 1.207. This is **overfitting**: the network has learned the training points,
# noise and all, instead of the shape they come from. The difference between the
# accuracy on the training points and on new ones is the **generalization gap**: 3.3% at
# epoch 143, 21.7% at the end.
# %% [markdown] ko
# 143 에포크에서 신경망은 새 점을 가장 잘 맞혔어요. 시험 데이터의 86.7%, 학습 데이터의
# 90%를 맞혔어요. 1000 에포크가 되자 학습 데이터는 전부 맞히지만(100%, 손실 0.003),
# 시험 데이터는 78.3%만 맞히고 시험 손실은 0.331에서 1.207로 커졌어요. 이것이
# **과적합**이에요. 신경망이 데이터를 만들어 낸 모양을 배우는 대신 학습 점들을 잡음까지
# 통째로 외워 버린 거예요. 학습 데이터 정확도와 새 데이터 정확도의 차이를 **일반화
# 격차**(generalization gap)라고 해요. 143 에포크에서는 3.3%, 마지막에는 21.7%예요.


# %%
def plot_curves(axes, curve, style="-", name=""):
    """Accuracy (left) and loss (right) on the training and the test points, by epoch."""
    sets = ((3, "tab:blue", label("training", "학습")), (4, "tab:red", label("test", "시험")))
    for column, color, which in sets:
        axes[0].plot(curve[:, 0], curve[:, column], style, color=color, label=which + name)
        axes[1].plot(curve[:, 0], curve[:, column - 2], style, color=color, label=which + name)
    epoch = label("epoch (log scale)", "에포크(로그 눈금)")
    axes[0].set(xlabel=epoch, ylabel=label("accuracy", "정확도"), xscale="log", ylim=(0.6, 1.01))
    axes[1].set(xlabel=epoch, ylabel=label("loss", "손실"), xscale="log")


fig, axes = plt.subplots(1, 2, figsize=(11, 4))
plot_curves(axes, curve)
gap = label("generalization gap", "일반화 격차")
axes[0].fill_between(curve[:, 0], curve[:, 4], curve[:, 3], color="gray", alpha=0.2, label=gap)
axes[0].legend()
axes[1].legend()
plt.show()

# %% [markdown] en
# Left: the training accuracy (blue) keeps rising, while the test accuracy (red) peaks
# and then falls; the grey band between them is the gap. Right: the training loss falls
# toward 0, while the test loss turns and climbs. A network that is *sure* of a wrong
# answer pays a lot of cross-entropy, so the test loss shows overfitting more clearly
# than the test accuracy.
#
# ## Two remedies, measured: L2 regularization and more data
#
# - **L2 regularization**: add 0.001 times the sum of every squared parameter (weights
#   and biases) to the loss (`fit`'s `l2=`; lesson 8's recipe has it too). Large weights
#   now cost something, and the sharp turns around single points need large weights.
# - **More data**: 300 training points instead of 30, from the same distribution. A
#   network of 129 parameters has a harder time bending around each of 300 noisy points.
#
# A third remedy, **early stopping**, keeps the weights of the epoch where the accuracy
# on held-out points was best. It needs a third set of points, a *validation* set, to
# choose that epoch: choosing it by the test points would make the test score flatter
# the model.
# %% [markdown] ko
# 왼쪽을 보면 학습 정확도(파랑)는 계속 오르는데, 시험 정확도(빨강)는 꼭대기를 찍고
# 내려가요. 둘 사이의 회색 띠가 격차예요. 오른쪽을 보면 학습 손실은 0을 향해
# 내려가는데, 시험 손실은 방향을 틀어 올라가요. 틀린 답을 *확신하는* 신경망은 교차
# 엔트로피를 크게 물어야 해서, 시험 손실이 시험 정확도보다 과적합을 더 뚜렷하게
# 보여 줘요.
#
# ## 두 가지 처방을 재 보기: L2 규제와 더 많은 데이터
#
# - **L2 규제**(regularization): 모든 파라미터(가중치와 편향)의 제곱합에 0.001을 곱해
#   손실에 더해요(`fit`의 `l2=`예요. 8강의 레시피에도 들어 있어요). 이제 가중치가
#   크면 그만큼 손해인데, 점 하나하나를 감싸며 급하게 꺾이려면 큰 가중치가 필요해요.
# - **더 많은 데이터**: 같은 분포에서 뽑은 학습 점을 30개가 아니라 300개 써요.
#   파라미터 129개로 잡음 섞인 점 300개를 하나하나 감싸기는 훨씬 어려워요.
#
# 세 번째 처방인 **조기 종료**(early stopping)는 따로 떼어 둔 점들에서 정확도가 가장
# 높았던 에포크의 가중치를 남겨요. 그 에포크를 고르려면 세 번째 데이터, 즉 *검증*
# 데이터(validation set)가 있어야 해요. 시험 데이터로 고르면 시험 점수가 모델을 실제보다
# 좋아 보이게 만들거든요.

# %%
regularized, regularized_curve = train_and_watch(X, y, X_test, y_test, l2=1e-3)
X_more, y_more = moons(300, noise=0.3, seed=0)
more_data, more_data_curve = train_and_watch(X_more, y_more, X_test, y_test)
describe("no remedy", curve[-1])
describe("L2 0.001", regularized_curve[-1])
describe("300 points", more_data_curve[-1])

fig, axes = plt.subplots(1, 2, figsize=(11, 4))
plot_curves(axes, curve)
plot_curves(axes, regularized_curve, "--", " (L2)")
plot_curves(axes, more_data_curve, ":", label(" (300 points)", " (점 300개)"))
axes[1].legend(fontsize=8)
plt.show()

WIDE = np.linspace(-2.0, 3.0, 41)  # the moons reach further than the rings
fig, axes = plt.subplots(1, 3, figsize=(15, 4))
plot_scores(axes[0], overfit, points, labels, label("no remedy", "처방 없음"), WIDE)
plot_scores(axes[1], regularized, points, labels, "L2 0.001", WIDE)
more_points, more_labels = np.array(X_more), np.array(y_more)
title = label("300 training points", "학습 점 300개")
plot_scores(axes[2], more_data, more_points, more_labels, title, WIDE)
plt.show()

# %% [markdown] en
# With L2 the network stops at 90% of the training points and gets 86.3% of the test
# points (78.3% without), and the gap shrinks from 21.7% to 3.7%. With 300 points the
# gap all but closes (0.3%) and the test accuracy is the best of the three, 92.0%: more
# data is the strongest remedy, when you can get it. The pictures show why. Without a
# remedy, the boundary wraps itself around single training points; with L2 it turns
# less sharply; with 300 points it follows the moons.
#
# One seed proves little (lesson 7 showed how much a seed can change). Four more, each
# with its own training points, starting weights and test points:
# %% [markdown] ko
# L2 규제를 쓰면 학습 데이터는 90%에서 멈추고 시험 데이터는 86.3%를 맞혀요(규제 없이는
# 78.3%). 격차는 21.7%에서 3.7%로 줄어요. 점 300개로 학습하면 격차가 거의
# 없어지고(0.3%), 시험 정확도도 셋 중 가장 높은 92.0%예요. 데이터를 더 구할 수만
# 있다면 그게 가장 강한 처방이에요. 그림을 보면 이유가 보여요. 처방이 없으면 경계가
# 학습 점 하나하나를 감싸고 돌아요. L2 규제를 쓰면 경계가 덜 급하게 꺾이고, 점이
# 300개면 경계가 moons의 모양을 따라가요.
#
# 시드 하나로는 증명되는 게 별로 없어요(시드에 따라 결과가 얼마나 달라지는지 7강에서
# 봤어요).
# 시드 네 개로 더 해 볼게요. 시드마다 학습 점, 처음 가중치, 시험 점이 다 달라요.

# %%
print("seed  run          training   test  test loss")
for seed in range(1, 5):
    few, many = moons(30, noise=0.3, seed=seed), moons(300, noise=0.3, seed=seed)
    test = moons(300, noise=0.3, seed=100 + seed)
    for name, data, l2 in (
        ("no remedy", few, 0.0),
        ("L2 0.001", few, 1e-3),
        ("300 points", many, 0.0),
    ):
        _, rows = train_and_watch(*data, *test, l2, seed, measured={1000})
        epoch, train_loss, test_loss, train_accuracy, test_accuracy = rows[-1]
        print(f"{seed:4}  {name:<10} {train_accuracy:10.0%} {test_accuracy:6.1%} {test_loss:10.3f}")

# %% [markdown] en
# In every seed the network without a remedy ends with all of its training points right
# and a test loss between 0.84 and 1.12; with either remedy the test loss ends between
# 0.23 and 0.44. The test accuracy tells the same story less steadily. In seeds 1 to 3
# both remedies raise it, L2 by 1.3 to 4.6 points and 300 points by 6.0 to 9.3. Seed 4
# is the exception: its 30 points gave 92.0% even overfitted, L2 kept 92.0%, and the
# network trained on 300 points got 88.7%. An accuracy measured on 300 points can move by
# a few points from one draw to the next, so one seed's accuracy is a weak witness; the
# loss, which also counts how sure each answer was, is a steadier one.
#
# **What to take away.** A model can only separate what its inputs make separable: a
# line fails on the raw rings and succeeds on the feature x² + y² that a person chose. A
# network with hidden layers makes such features itself, from lines in its first layer to
# bent shapes in its second: the note's "automatic feature learning". The same freedom
# lets it learn the noise of a small training set: the training accuracy keeps rising
# while the accuracy on new data falls, and the difference is the generalization gap.
# Measure a model on data it did not train on; regularization (L2), more data, and early
# stopping on a validation set keep the gap small.
# %% [markdown] ko
# 시드마다 처방 없는 신경망은 학습 점을 전부 맞히고, 시험 손실은 0.84에서 1.12
# 사이로 끝나요. 두 처방 중 어느 쪽을 써도 시험 손실은 0.23에서 0.44 사이로 끝나요. 시험
# 정확도도 같은 이야기를 하지만 덜 꾸준해요. 시드 1에서 3까지는 두 처방 모두 시험
# 정확도를 올려요. L2 규제는 1.3에서 4.6 포인트, 점 300개는 6.0에서 9.3 포인트를
# 올려요. 시드 4는 예외예요. 이 시드의 점 30개로는 과적합된 채로도 92.0%가 나왔고, L2
# 규제를 써도 92.0%였고, 점 300개로 학습한 신경망은 88.7%였어요. 점 300개로 잰
# 정확도는 데이터를 새로 뽑을 때마다 몇 포인트씩 움직이니, 시드 하나의 정확도는 약한
# 증거예요. 답마다 얼마나 확신했는지까지 세는 손실이 더 믿을 만한 증거예요.
#
# **정리.** 모델은 입력이 나눌 수 있게 해 주는 것만 나눌 수 있어요. 직선은 날것의
# 고리 위에서는 실패하고, 사람이 고른 특징 x² + y² 위에서는 성공해요. 은닉층이 있는
# 신경망은 그런 특징을 스스로 만들어요. 첫 번째 층의 직선에서 두 번째 층의 휜 모양까지
# 만들어 내는데, 노트가 말하는 "특징 자동 학습"이 바로 이거예요. 같은
# 자유 때문에 신경망은 작은 학습 데이터의 잡음까지 배울 수 있어요. 학습 정확도는
# 계속 오르는데 새 데이터의 정확도는 떨어지고, 그 차이가 일반화 격차예요. 모델은
# 학습하지 않은 데이터로 재야 하고, L2 규제, 더 많은 데이터, 검증 데이터를 쓴 조기
# 종료가 격차를 작게 지켜 줘요.
