# %% [markdown] en
# # 0. AI, machine learning and deep learning
#
# "Is AI the same as deep learning?" The second study note answers with three nested
# circles:
#
# - **Artificial intelligence (AI)** is the widest field: making computers learn and
#   think the way people do. It includes programs whose rules a person wrote by hand
#   ("if X, do Y"), the *expert systems* of the past.
# - **Machine learning (ML)** is the part of AI that finds the rules from data instead:
#   linear regression, decision trees, support vector machines (SVMs), random forests.
# - **Deep learning (DL)** is the part of machine learning that uses artificial neural
#   networks with several hidden layers, and learns even complex patterns by itself.
#
# The note sums it up as AI > ML > DL, and adds that calling a deep learning model "AI"
# is not wrong, only less exact: deep learning is one field of AI.
#
# In this lesson we do each of the three on the same small task, measure them, and look
# for where each one fails.
# %% [markdown] ko
# # 0. 인공지능, 머신러닝, 딥러닝
#
# "AI가 곧 딥러닝인가요?" 두 번째 학습 노트는 세 개의 원이 겹겹이 들어 있는 그림으로
# 답해요.
#
# - **인공지능**(AI, artificial intelligence)은 가장 넓은 분야예요. 컴퓨터가 사람처럼
#   학습하고 사고하게 만들려는 시도 전부를 말해요. 사람이 규칙("만약 X라면 Y를 해라")을
#   하나하나 써 넣은 프로그램, 즉 예전의 *전문가 시스템*(expert system)도 여기에 들어가요.
# - **머신러닝**(ML, machine learning)은 AI 가운데 규칙을 사람 대신 데이터에서 찾아내는
#   분야예요. 선형 회귀, 의사결정 트리, 서포트 벡터 머신(SVM), 랜덤 포레스트가 대표적이에요.
# - **딥러닝**(DL, deep learning)은 머신러닝 가운데 은닉층이 여러 겹인 인공 신경망을 쓰는
#   분야예요. 복잡한 패턴까지 스스로 학습해요.
#
# 노트는 이 관계를 AI > ML > DL로 정리하고, 딥러닝 모델을 "AI"라고 불러도 완전히 틀린
# 말은 아니지만 정확히는 딥러닝이 AI의 한 분야라는 점을 기억하라고 해요.
#
# 이번 레슨에서는 같은 작은 문제를 세 가지 방법으로 각각 풀어 보고, 정확도를 재고,
# 저마다 어디에서 실패하는지 찾아봐요.

# %%
import matplotlib.pyplot as plt
from matplotlib.patches import Ellipse

figure, ax = plt.subplots(figsize=(8, 5))
circles = [  # (centre height, width, height, colour, name, examples)
    (
        0.0,
        10.0,
        6.4,
        "#dbe9f6",
        label("Artificial intelligence (AI)", "인공지능(AI)"),
        label("rules written by people: expert systems", "사람이 쓴 규칙: 전문가 시스템"),
    ),
    (
        -0.75,
        7.4,
        4.6,
        "#a9cce3",
        label("Machine learning (ML)", "머신러닝(ML)"),
        label(
            "rules found from data: linear regression,\ndecision trees, SVMs, random forests",
            "데이터에서 찾은 규칙: 선형 회귀,\n의사결정 트리, SVM, 랜덤 포레스트",
        ),
    ),
    (
        -1.45,
        4.6,
        2.6,
        "#5dade2",
        label("Deep learning (DL)", "딥러닝(DL)"),
        label("neural networks with\nseveral hidden layers", "은닉층이 여러 겹인\n인공 신경망"),
    ),
]
for centre, width, height, colour, name, examples in circles:
    ax.add_patch(Ellipse((0, centre), width, height, facecolor=colour, edgecolor="#1b4f72"))
    top = centre + height / 2
    ax.text(0, top - 0.45, name, ha="center", fontsize=14)
    ax.text(0, top - 0.6, examples, ha="center", va="top", fontsize=9.5)
ax.set_xlim(-5.2, 5.2)
ax.set_ylim(-3.4, 3.4)
ax.set_aspect("equal")
ax.axis("off")
ax.set_title(label("AI ⊃ ML ⊃ DL (the second note)", "AI ⊃ ML ⊃ DL (두 번째 노트)"))
plt.show()

# %% [markdown] en
# ## One task for all three
#
# Two kinds of points in a plane, the "moons" of `autograd.nn.data`: two interleaving
# half circles, blue (class 0) and red (class 1), with some noise. A program gets a point
# and must say which kind it is. We have 100 points to look at or learn from, and we
# score every method on 500 new points from the same source (another seed), which no
# method has seen.
# %% [markdown] ko
# ## 세 방법에 같은 문제 하나
#
# 평면 위에 두 종류의 점이 있어요. `autograd.nn.data`의 "moons"로, 서로 맞물린 반원
# 두 개에 잡음(noise)이 조금 섞여 있어요. 파란 점이 클래스 0, 빨간 점이 클래스 1이에요.
# 프로그램은 점 하나를 받아서 어느 쪽 점인지 답해야 해요. 보고 배울 수 있는 점은
# 100개이고, 모든 방법을 같은 곳에서 새로 뽑은(다른 시드(seed)의) 점 500개로 채점해요.
# 어떤 방법도 본 적 없는 점들이에요.

# %%
import numpy as np

from autograd.nn.data import moons

X_train, y_train = moons(100, noise=0.1, seed=0)
X_new, y_new = moons(500, noise=0.1, seed=1)

points = np.array(X_train)
plt.figure(figsize=(5, 3.5))
plt.scatter(*points.T, c=y_train, cmap="coolwarm", edgecolors="black")
plt.xlabel("x1")
plt.ylabel("x2")
plt.title(label("The 100 points to learn from", "보고 배울 점 100개"))
plt.show()

# %% [markdown] en
# ## AI without learning: rules a person wrote
#
# An expert system is knowledge written down as rules. Here the "expert" is us, looking at
# the picture above: blue reaches further left, red further right, and in the middle blue
# arcs over the top while red dips below. Three rules say that.
# %% [markdown] ko
# ## 학습하지 않는 AI: 사람이 쓴 규칙
#
# 전문가 시스템은 지식을 규칙으로 적어 둔 프로그램이에요. 여기서는 위 그림을 보는
# 우리가 "전문가"예요. 파란 점은 왼쪽으로 더 멀리, 빨간 점은 오른쪽으로 더 멀리
# 뻗어 있고, 가운데에서는 파란 점이 위로 둥글게 지나가고 빨간 점은 아래로 처져요.
# 이 관찰을 규칙 세 개로 적어요.


# %%
def rules(point):
    """A tiny expert system: three rules a person wrote after looking at the picture."""
    x1, x2 = point
    if x1 < 0.0:  # only the blue moon reaches this far left
        return 0
    if x1 > 1.0:  # only the red moon reaches this far right
        return 1
    return 0 if x2 > 0.75 - x1 else 1  # in between: blue above a slanted line, red below


def accuracy(predict, X, y):
    """The fraction of the points whose class `predict` gets right."""
    return sum(predict(x) == c for x, c in zip(X, y)) / len(y)


print(f"rules: {accuracy(rules, X_train, y_train):.1%} of the 100 points we looked at")
print(f"rules: {accuracy(rules, X_new, y_new):.1%} of 500 new points")

# %% [markdown] en
# No data was needed, and every decision can be explained: "it is red because x1 > 1".
# The rules get **92.2%** of the new points right. The other 7.8% are cases we did not
# foresee: the tips of each moon, where noise pushes a point across one of our lines. To
# do better, a person has to look at the mistakes and write more rules.
#
# ## Machine learning: the rule found from data
#
# Machine learning turns this around: the program chooses the rule itself, by measuring
# which one fits the data. The smallest **decision tree** (one of the note's classic
# algorithms) asks one question, "is coordinate x_i above t?". Which coordinate and which
# threshold t are not written by anyone: `learn_one_question` tries every coordinate and
# every threshold the 100 points suggest, and keeps the question that classifies the most
# of them right.
# %% [markdown] ko
# 데이터는 하나도 필요 없었고, 모든 판단을 설명할 수 있어요. "x1 > 1이니까 빨강이에요."
# 규칙은 새 점의 **92.2**%를 맞혀요. 나머지 7.8%는 우리가 미처 예상하지 못한 경우예요.
# 반원의 양 끝에서 잡음 때문에 점이 우리가 그은 선을 넘어간 거죠. 더 잘하려면 사람이
# 틀린 점을 보고 규칙을 더 써야 해요.
#
# ## 머신러닝: 데이터에서 찾은 규칙
#
# 머신러닝은 방향을 뒤집어요. 어떤 규칙이 데이터에 잘 맞는지 재서 프로그램이 직접 규칙을
# 골라요. 가장 작은 **의사결정 트리**(decision tree, 노트가 꼽은 대표 알고리즘 중
# 하나)는 질문 하나, "좌표 x_i가 t보다 큰가?"만 던져요. 어느 좌표를 볼지, 문턱값 t를
# 얼마로 할지는 아무도 적어 주지 않아요. `learn_one_question`이 모든 좌표와, 점 100개에서
# 나오는 모든 문턱값을 시험해 보고 가장 많은 점을 맞히는 질문을 남겨요.


# %%
def learn_one_question(X, y):
    """A one-question decision tree, learned: the (coordinate, threshold, class above)
    that classifies the most training points right."""
    best, best_right = None, -1
    for i in range(len(X[0])):
        for threshold in sorted(x[i] for x in X):
            for above in (0, 1):
                right = sum((above if x[i] > threshold else 1 - above) == c for x, c in zip(X, y))
                if right > best_right:
                    best, best_right = (i, threshold, above), right
    return best


i, threshold, above = learn_one_question(X_train, y_train)


def learned_question(point):
    return above if point[i] > threshold else 1 - above


print(f"learned: class {above} if x{i + 1} > {threshold:.3f}, else class {1 - above}")
print(f"learned question: {accuracy(learned_question, X_new, y_new):.1%} of 500 new points")

# %% [markdown] en
# The data chose "x2 above about 0.22 means blue", a horizontal line through the middle.
# One question is too little for moons, so it scores below our three hand-written rules;
# a real decision tree keeps asking questions on each side, and a random forest (also in
# the note) votes over many such trees. The point here is who wrote the rule: not a
# person, but a measurement of how well each candidate fits the data.
#
# ## Deep learning: a neural network learns the boundary
#
# Now a network of the kind lessons 1 to 8 build up: 2 inputs, two hidden layers of 8 ReLU
# neurons, one sigmoid output read as "the probability of red". Training (forward, loss,
# backward, update, repeated 100 times: lesson 5) adjusts its 105 weights and biases to
# the 100 points, in a few seconds.
# %% [markdown] ko
# 데이터가 고른 규칙은 "x2가 0.22쯤보다 크면 파랑", 즉 가운데를 지나는 가로선이에요.
# moons에는 질문 하나로는 부족해서 우리가 손으로 쓴 규칙 세 개보다 점수가 낮아요.
# 진짜 의사결정 트리는 나뉜 양쪽에서 계속 질문을 던지고, 랜덤 포레스트(이것도 노트에
# 있어요)는 그런 트리 여러 개의 투표로 답해요. 여기서 중요한 건 규칙을 누가 썼느냐예요.
# 사람이 아니라, 데이터에 대어 본 결과가 규칙을 골랐어요.
#
# ## 딥러닝: 신경망이 경계를 배우기
#
# 이제 1강부터 8강까지 차근차근 만들어 갈 종류의 신경망이에요. 입력 2개, ReLU 뉴런
# 8개짜리 은닉층 2개, 그리고 "빨강일 확률"로 읽는 시그모이드 출력 1개예요. 학습(순전파,
# 손실, 역전파, 갱신을 100번 반복: 5강)이 가중치와 편향 105개를 점 100개에 맞춰 조정해요.
# 몇 초면 끝나요.

# %%
from autograd import MLP, no_grad
from autograd.nn import Adam, fit
from autograd.nn.train import BCE


def train_network(X, y):
    """A 2-8-8-1 network trained on (X, y): binary cross-entropy, Adam, 100 epochs."""
    model = MLP(2, [8, 8, 1], activation="relu", output_activation="sigmoid", seed=0)
    fit(model, X, y, BCE, Adam(model.parameters(), lr=0.05), epochs=100)
    return model


def classifier(model):
    """The class a network predicts for a point: red (1) when its output is above 0.5."""

    def predict(point):
        with no_grad():  # answering only: record no graph for backward
            return int(model.output(point).data > 0.5)

    return predict


network = train_network(X_train, y_train)
print(network)
print(f"network: {accuracy(classifier(network), X_train, y_train):.1%} of the 100 points")
print(f"network: {accuracy(classifier(network), X_new, y_new):.1%} of 500 new points")

# %% [markdown] en
# Nobody wrote a rule, and the network gets **99.8%** of the new points right. Here are
# the three answers over the whole plane (blue and red regions), with the 500 new points;
# a ring marks each point a method gets wrong.
# %% [markdown] ko
# 아무도 규칙을 쓰지 않았는데, 신경망은 새 점의 **99.8**%를 맞혀요. 세 방법의 답을
# 평면 전체에 칠해 보면 이래요(파란 영역과 빨간 영역). 점은 새 점 500개이고, 각 방법이
# 틀린 점에는 고리를 둘렀어요.

# %%
grid1 = np.linspace(-1.5, 2.5, 81)
grid2 = np.linspace(-1.0, 1.5, 51)
new_points = np.array(X_new)
methods = [
    (label("hand-written rules", "사람이 쓴 규칙"), rules),
    (label("learned question", "학습한 질문 하나"), learned_question),
    (label("neural network", "신경망"), classifier(network)),
]
figure, axes = plt.subplots(1, 3, figsize=(13, 3.6), sharey=True)
for ax, (name, predict) in zip(axes, methods):
    regions = [[predict([a, b]) for a in grid1] for b in grid2]
    ax.contourf(grid1, grid2, regions, levels=[-0.5, 0.5, 1.5], colors=["#aec7e8", "#f4b6b6"])
    ax.scatter(*new_points.T, c=y_new, cmap="coolwarm", s=8)
    wrong = np.array([x for x, c in zip(X_new, y_new) if predict(x) != c]).reshape(-1, 2)
    ax.scatter(*wrong.T, s=70, facecolors="none", edgecolors="black")
    ax.set_title(f"{name}: {accuracy(predict, X_new, y_new):.1%}")
    ax.set_xlabel("x1")
    ax.set_xticks([-1, 0, 1, 2])
axes[0].set_ylabel("x2")
plt.tight_layout()
plt.show()

# %% [markdown] en
# The rules' mistakes sit where our lines cut through the moons' tips; the one learned
# question cuts both moons with a single line; the network's boundary bends around the
# moons, because nobody told it to be straight.
#
# ## Where the rules fail, and where learning fails
#
# A score on points like the ones the method was built from is the easy case. Three
# harder ones:
#
# 1. **Few examples.** The rules needed none. How many does the network need? We train
#    it on the first 5, 10, 20 and 50 of the 100 points.
# 2. **Outside the data.** We train the network only on the points with x1 < 0.5 (the
#    left part of the picture) and ask it about new points with x1 >= 0.5.
# 3. **The world changes**, in a way the rules' author did not foresee: say the sensor
#    is recalibrated, and every point now reads 0.5 higher and 0.5 further right. The
#    rules and the network stay as they were; then the network is trained again on 100
#    labelled points of the new kind.
# %% [markdown] ko
# 규칙이 틀린 점은 우리가 그은 선이 반원의 끝을 가로지르는 곳에 모여 있어요. 학습한 질문
# 하나는 직선 하나로 두 반원을 모두 잘라요. 신경망의 경계는 반원을 따라 휘어 있어요.
# 곧아야 한다고 아무도 정해 주지 않았으니까요.
#
# ## 규칙이 실패하는 곳, 학습이 실패하는 곳
#
# 방법을 만들 때 쓴 점과 비슷한 점으로 채점하는 건 쉬운 경우예요. 더 어려운 경우 세
# 가지를 볼게요.
#
# 1. **예시가 적을 때.** 규칙은 예시가 하나도 필요 없었어요. 신경망은 몇 개나 있어야
#    할까요? 점 100개 중 앞의 5, 10, 20, 50개로만 학습시켜 봐요.
# 2. **데이터 바깥.** 신경망을 x1 < 0.5인 점(그림의 왼쪽 부분)으로만 학습시키고,
#    x1 >= 0.5인 새 점에 대해 물어봐요.
# 3. **세상이 바뀔 때.** 규칙을 쓴 사람이 예상하지 못한 방식으로요. 센서를 다시 맞췄더니
#    모든 점이 0.5만큼 위로, 0.5만큼 오른쪽으로 읽힌다고 해 봐요. 규칙과 신경망은 그대로
#    두고 채점한 다음, 새로운 점 100개에 정답을 달아 신경망을 다시 학습시켜요.

# %%
few = {n: train_network(X_train[:n], y_train[:n]) for n in [5, 10, 20, 50]}
few[100] = network
few_scores = {n: accuracy(classifier(model), X_new, y_new) for n, model in few.items()}
for n, score in few_scores.items():
    print(f"network trained on {n:3} points: {score:.1%}")

left = [(x, c) for x, c in zip(X_train, y_train) if x[0] < 0.5]
left_network = train_network([x for x, _ in left], [c for _, c in left])
right = [(x, c) for x, c in zip(X_new, y_new) if x[0] >= 0.5]
X_right, y_right = [x for x, _ in right], [c for _, c in right]
print(f"\ntrained on the {len(left)} points with x1 < 0.5,", end=" ")
print(f"asked about the {len(right)} new points with x1 >= 0.5:")
print(f"  rules   {accuracy(rules, X_right, y_right):.1%}")
print(f"  network {accuracy(classifier(left_network), X_right, y_right):.1%}")


def recalibrated(X):
    return [[x1 + 0.5, x2 + 0.5] for x1, x2 in X]


X_moved, X_new_moved = recalibrated(X_train), recalibrated(X_new)
print("\nafter the recalibration, on 500 new points:")
print(f"  rules                   {accuracy(rules, X_new_moved, y_new):.1%}")
print(f"  network, as it was      {accuracy(classifier(network), X_new_moved, y_new):.1%}")
retrained = train_network(X_moved, y_train)
print(f"  network, trained again  {accuracy(classifier(retrained), X_new_moved, y_new):.1%}")

# %%
plt.figure(figsize=(5.5, 3.5))
plt.plot(list(few_scores), list(few_scores.values()), "o-", label=label("neural network", "신경망"))
plt.axhline(
    accuracy(rules, X_new, y_new),
    color="grey",
    ls="--",
    label=label("rules (no data)", "규칙(데이터 없음)"),
)
plt.xscale("log")
plt.xticks(list(few_scores), [str(n) for n in few_scores])
plt.xlabel(label("training points", "학습에 쓴 점의 수"))
plt.ylabel(label("accuracy on 500 new points", "새 점 500개 정확도"))
plt.legend()
plt.show()

# %% [markdown] en
# What the numbers say:
#
# - **Learning needs data.** With 5 or 10 examples the network is below the rules (and
#   not steadily better with 10 than with 5: a handful of points leaves much to chance);
#   from about 20 points it passes them.
# - **A learned model knows only its data.** Trained on the left part, the network
#   guesses on the right part, where it never saw a point, and gets far fewer right than
#   the rules, which their author wrote knowing the whole picture.
# - **Rules break when the world changes their author did not foresee.** After the
#   recalibration the rules fall to about two thirds, and they stay there until a person
#   rewrites them. The network fails too, but the fix is data, not a person: trained
#   again on 100 new labelled points, it is back near 100%.
#
# Because of this trade-off, finding patterns from data (machine learning, deep learning) has
# become the mainstream in place of hand-written rules, as the note says, wherever data
# can be collected; and collecting it became as important as writing code.
#
# ## Linear regression: classic machine learning
#
# The first algorithm in the note's list predicts a number, not a class: **linear
# regression** models how y depends on x with a straight line, y = w x + b. We make 20
# points that lie near the line y = 2x + 1 (noise added, from a seed), and fit w and b
# two ways:
#
# - with the engine: a neuron with one input and no activation *is* the line w x + b;
#   the loss is the mean squared error (MSE, lesson 3); gradient descent (lesson 5)
#   moves w and b against their gradients, 500 times;
# - with the closed-form least-squares answer, in plain Python:
#   w = sum((x - mean x)(y - mean y)) / sum((x - mean x)^2), b = mean y - w mean x.
# %% [markdown] ko
# 숫자가 말해 주는 것:
#
# - **학습에는 데이터가 필요해요.** 예시가 5개나 10개일 때 신경망은 규칙보다 못해요.
#   10개가 5개보다 꼭 나은 것도 아니에요. 점이 몇 개뿐이면 운이 크게 작용하거든요.
#   20개쯤부터 규칙을 앞서요.
# - **학습한 모델은 자기가 본 데이터만 알아요.** 왼쪽 부분으로 학습한 신경망은 점을 한
#   번도 보지 못한 오른쪽에서 짐작으로 답하고, 전체 그림을 알고 쓴 규칙보다 훨씬 적게
#   맞혀요.
# - **규칙은 만든 사람이 예상하지 못한 변화에 깨져요.** 센서를 다시 맞춘 뒤 규칙의 정확도는
#   3분의 2 정도로 떨어지고, 사람이 규칙을 다시 쓰기 전까지 그대로예요. 신경망도
#   틀리지만, 고치는 데 필요한 건 사람이 아니라 데이터예요. 정답을 단 새 점 100개로
#   다시 학습시키면 거의 100%로 돌아와요.
#
# 이런 장단점이 있기에, 노트 말대로 요즘은 데이터를 모을 수 있는 곳이라면 규칙 대신
# 데이터에서 패턴을 찾는 쪽(머신러닝, 딥러닝)이 주류가 됐어요. 데이터를 모으는 일도 코드를
# 쓰는 일만큼 중요해졌고요.
#
# ## 선형 회귀: 고전적인 머신러닝
#
# 노트가 꼽은 첫 번째 알고리즘은 클래스가 아니라 숫자를 예측해요. **선형 회귀**(linear
# regression)는 y가 x에 따라 어떻게 변하는지를 직선 y = w x + b로 나타내요. 직선
# y = 2x + 1 근처에 있는 점 20개를 (시드로 잡음을 더해) 만들고, w와 b를 두 가지 방법으로
# 맞춰 봐요.
#
# - 엔진으로: 입력이 하나이고 활성화 함수가 없는 뉴런이 *바로* 직선 w x + b예요. 손실은
#   평균 제곱 오차(MSE, 3강)이고, 경사 하강법(5강)이 w와 b를 기울기의 반대 방향으로
#   500번 옮겨요.
# - 닫힌 형태(closed form)의 최소 제곱 해로, 평범한 파이썬으로:
#   w = sum((x - x의 평균)(y - y의 평균)) / sum((x - x의 평균)^2), b = y의 평균 - w x의 평균.

# %%
import random

from autograd import Neuron
from autograd.nn import SGD, losses

noise = random.Random(0)
xs = [i / 10 for i in range(20)]
ys = [2.0 * x + 1.0 + noise.gauss(0.0, 0.3) for x in xs]

line = Neuron(1, "linear")  # w1 * x + b: one input, no activation
optimizer = SGD(line.parameters(), lr=0.2)
for step in range(1, 501):
    optimizer.zero_grad()
    loss = losses.mse([line([x]) for x in xs], ys)
    loss.backward()
    optimizer.step()
    if step in (1, 10, 100, 500):
        print(f"step {step:3}: MSE {loss.data:.5f}, w {line.w[0].data:.4f}, b {line.b.data:.4f}")

mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum(
    (x - mean_x) ** 2 for x in xs
)
intercept = mean_y - slope * mean_x
print(f"\ngradient descent: w = {line.w[0].data:.4f}, b = {line.b.data:.4f}")
print(f"least squares:    w = {slope:.4f}, b = {intercept:.4f}")

plt.figure(figsize=(5, 3.5))
plt.scatter(xs, ys, color="black", s=15, label=label("data", "데이터"))
fitted = [line.w[0].data * x + line.b.data for x in xs]
plt.plot(xs, fitted, lw=4, alpha=0.4, label=label("gradient descent", "경사 하강법"))
plt.plot(xs, [slope * x + intercept for x in xs], "k--", label=label("least squares", "최소 제곱"))
plt.xlabel("x")
plt.ylabel("y")
plt.legend()
plt.show()

# %% [markdown] en
# Both give w = **2.0263** and b = 0.9245 (not exactly 2 and 1: those are the line the
# noise was added to, and 20 noisy points do not pin it down). Gradient descent gets
# there by repeating small steps; for a line there is also a formula. For a network
# there is none, and the same small steps are all we have: that is why the rest of the
# lessons are about forward passes, gradients and updates.
#
# ## Why "deep"?
#
# The second note says deep learning uses *several hidden layers* "connected deeply" (a
# deep neural network), and that more layers can learn more complex patterns. The fifth
# note is more precise: "deep" means **3 or more hidden layers**, between the input layer
# and the output layer. We count them in three networks:
# %% [markdown] ko
# 두 방법 모두 w = **2.0263**, b = 0.9245가 나와요(정확히 2와 1은 아니에요. 2와 1은 잡음을
# 더하기 전의 직선이고, 잡음 섞인 점 20개로는 그 직선을 정확히 알아낼 수 없어요). 경사
# 하강법은 작은 걸음을 되풀이해서 거기에 도착해요. 직선이라면 공식도 있지만, 신경망에는
# 그런 공식이 없어서 이 작은 걸음이 우리가 가진 전부예요. 그래서 나머지 레슨은 순전파,
# 기울기, 갱신에 관한 이야기예요.
#
# ## 왜 "딥"일까?
#
# 두 번째 노트는 딥러닝이 *여러 은닉층이 깊게 연결된 구조*(심층 신경망, deep neural
# network)를 쓰고, 층이 많을수록 더 복잡한 패턴을 학습할 수 있다고 해요. 다섯 번째 노트는
# 더 구체적이에요. "딥(deep)"은 입력층과 출력층 사이에 **은닉층이 3개 이상** 있는 구조를
# 뜻한다고 해요. 신경망 세 개의 은닉층을 세어 봐요.

# %%
from autograd.viz import draw

networks = {
    "shallow": MLP(2, [16, 1]),
    "ours": network,
    "deep": MLP(2, [8, 8, 8, 1]),
}
for name, model in networks.items():
    hidden = len(model.layers) - 1  # every layer but the output layer
    print(
        f"{name:7}: {model}\n"
        f"         {hidden} hidden layer(s); deep by the fifth note (3 or more): {hidden >= 3}"
    )

deep = networks["deep"]
draw(deep.output([0.5, 0.5]), collapse="layer", show_grad=False)

# %% [markdown] en
# By the fifth note's count our moons network, with two hidden layers, is not yet deep;
# the 2-8-8-8-1 network is. The line is a convention, not a law: other texts call any
# network with more than one hidden layer deep. What the notes mean by it is the
# picture above: layers in a row, each reading the one before. The fifth note says what
# the depth buys: the first layer detects lines and edges, the second middle features
# (eyes, a nose, a mouth), the third whole faces, so the network builds complex features
# from simple ones by itself, where classic machine learning needs a person to design
# the features (the distance between the eyes, the width of the nose). Lesson 1 shows the
# first step of this (a second layer's neurons already bend where the first layer's are
# straight), lesson 9 puts hand-made features against learned ones, and lesson 10 the
# filters of an image network.
#
# The note also names what made deep learning possible: large amounts of data, large
# amounts of computation on GPUs, TPUs and NPUs, and better algorithms. Lesson 12 counts
# that computation.
#
# ## Summary
#
# - **Expert system** (AI without learning): a person writes the rules. It needs a person
#   who understands the task, and fails on the cases that person did not foresee.
# - **Classic machine learning**: the rule is chosen from data, by a formula or a search.
#   It needs data, and features a person chose (here x1 and x2); it fails where the data
#   is too little or does not cover the case.
# - **Deep learning**: a network with several hidden layers learns the rule, features
#   included. It needs more data and much more computation, and it too knows only its
#   data.
#
# Besides these, the note names recommendation systems and reinforcement learning (agents
# such as AlphaGo that learn by playing). They need users or an environment to learn
# from, which a notebook of this size does not have, so they stay names here. The note
# then continues with a 12-week road to NPUs: lesson 12 and the deploy road of the guide
# follow it.
#
# The next lesson starts where deep learning starts: one artificial neuron.
# %% [markdown] ko
# 다섯 번째 노트의 기준으로는 은닉층이 2개인 우리 moons 신경망은 아직 "딥"이 아니고,
# 2-8-8-8-1 신경망은 "딥"이에요. 이 기준은 약속일 뿐 법칙은 아니에요. 은닉층이 2개
# 이상이면 깊다고 부르는 글도 있어요. 노트가 말하는 핵심은 위 그림처럼 층이 줄지어 서서
# 저마다 앞 층의 출력을 읽는 구조예요. 다섯 번째 노트는 깊이가 주는 것도 말해요. 1층은
# 선과 경계를, 2층은 눈, 코, 입 같은 중간 특징을, 3층은 얼굴 전체를 감지해요. 신경망이
# 단순한 특징에서 복잡한 특징을 스스로 쌓아 올리는 거죠. 고전적인 머신러닝에서는 사람이
# 특징(눈 사이의 거리, 코의 너비 같은)을 설계해야 했고요. 1강에서 그 첫걸음을 봐요(첫
# 번째 층의 뉴런은 경계가 곧은데, 두 번째 층의 뉴런은 벌써 꺾여요). 9강에서는 사람이 만든 특징과
# 학습한 특징을 맞대 보고, 10강에서는 이미지 신경망의 필터를 봐요.
#
# 노트는 딥러닝을 가능하게 한 것도 꼽아요. 방대한 데이터, GPU, TPU, NPU로 하는 대규모
# 연산, 그리고 새로운 알고리즘이에요. 그 연산량은 12강에서 세어 봐요.
#
# ## 정리
#
# - **전문가 시스템**(학습하지 않는 AI): 사람이 규칙을 써요. 문제를 잘 아는 사람이
#   있어야 하고, 그 사람이 예상하지 못한 경우에 실패해요.
# - **고전적인 머신러닝**: 공식이나 탐색으로 데이터에서 규칙을 골라요. 데이터와, 사람이
#   고른 특징(여기서는 x1과 x2)이 있어야 하고, 데이터가 너무 적거나 그 경우를 담고 있지
#   않으면 실패해요.
# - **딥러닝**: 은닉층이 여러 겹인 신경망이 특징까지 포함해 규칙을 학습해요. 더 많은
#   데이터와 훨씬 많은 연산이 필요하고, 역시 자기가 본 데이터만 알아요.
#
# 이 밖에도 노트는 추천 시스템과 강화학습(알파고처럼 직접 두어 보며 배우는 에이전트)을
# 꼽아요. 이런 방법은 배울 사용자나 환경이 있어야 하는데 이만한 노트북에는 그런 게 없어서,
# 여기서는 이름만 소개해요. 노트는 이어서 NPU까지 가는 12주 로드맵을 제시하는데, 12강과
# 가이드의 배포 과정(deploy road)이 그 길을 따라가요.
#
# 다음 레슨에서는 딥러닝의 출발점인 인공 뉴런 하나를 살펴봐요.
