# %% [markdown] en
# # 3. Loss functions
#
# To learn, a network first needs one number that says how wrong its prediction is: the
# **loss**. The notes name two families: **mean squared error (MSE)** for regression
# (predicting a quantity) and **cross-entropy** for classification (predicting a class),
# in a binary and a multi-class form. Their example: "the answer is 1, the prediction is
# 0.7, so the loss is 0.3". Let us compute what each loss actually gives, and, more
# important for learning, its **gradient**: which way, and how hard, it pushes the
# prediction.
# %% [markdown] ko
# # 3. 손실 함수
#
# 신경망이 학습하려면 먼저 예측이 얼마나 틀렸는지 알려 주는 숫자 하나가 필요해요. 그
# 숫자가 **손실**(loss)이에요. 노트는 두 가지를 소개해요. 수치를 맞히는 회귀에는 **평균
# 제곱 오차**(MSE, mean squared error)를, 클래스를 고르는 분류에는 **교차
# 엔트로피**(cross-entropy)를 써요. 교차 엔트로피에는 이진 분류용과 다중 분류용이 있어요.
# 노트의 예시는 "정답이 1, 예측이 0.7이면 손실은 0.3"이에요. 손실 함수마다 실제로 값이
# 얼마나 나오는지, 그리고 학습에 더 중요한 **기울기**(gradient), 곧 예측을 어느 방향으로
# 얼마나 세게 미는지를 계산해 볼게요.

# %% [markdown] en
# ## The notes' example: target 1, prediction 0.7
# %% [markdown] ko
# ## 노트의 예시: 정답 1, 예측 0.7

# %%
import math

import matplotlib.pyplot as plt

import autograd as ag
from autograd import Value, grad
from autograd.nn import losses
from autograd.viz import draw

candidates = {
    "absolute error |t - p|": lambda p, t: abs(t - p),
    "MSE (t - p)^2": losses.mse,
    "binary cross-entropy": losses.binary_cross_entropy,
}
prediction = Value(0.7, label="p")
for name, loss_function in candidates.items():
    loss = loss_function(prediction, 1.0)
    print(f"{name:24} loss {loss.data:.4f}   dL/dp {grad(loss, prediction):+.4f}")

# %% [markdown] en
# The notes' 0.3 is the plain difference, the absolute error. The losses they go on to
# name give other numbers: MSE squares the difference (0.09) and binary cross-entropy is
# -log(0.7) = 0.357. The exact value matters less than you might think; what training
# uses is the **gradient**. All three are negative (raising p lowers the loss), but they
# push with different strength: a constant -1, -2(t - p) = -0.6 for MSE, and -1/p = -1.43
# for cross-entropy.
#
# ## MSE for regression
#
# For several samples MSE takes the mean. A big miss costs much more than a small one,
# and pulls harder: the gradient of each prediction is 2(p - t)/n.
# %% [markdown] ko
# 노트의 0.3은 단순한 차이, 즉 절대 오차예요. 노트가 이어서 소개하는 손실 함수들은
# 다른 값을 내놓아요. MSE는 차이를 제곱하고(0.09), 이진 교차 엔트로피는
# -log(0.7) = 0.357이에요. 사실 손실의 정확한 값은 생각보다 덜 중요해요. 학습에
# 쓰이는 건 **기울기**니까요. 세 기울기 모두 음수예요(p를 올리면 손실이 줄어요).
# 하지만 미는 힘이 달라요. 절대 오차는 항상 -1, MSE는 -2(t - p) = -0.6, 교차
# 엔트로피는 -1/p = -1.43이에요.
#
# ## 회귀에는 MSE
#
# 샘플이 여러 개면 MSE는 평균을 내요. 크게 빗나간 예측은 조금 빗나간 예측보다
# 손실이 훨씬 크고, 더 세게 당겨져요. 예측마다 기울기는 2(p - t)/n이에요.

# %%
predictions = [Value(2.5, label="p1"), Value(0.0, label="p2"), Value(2.1, label="p3")]
targets = [3.0, -0.5, 7.0]
loss = losses.mse(predictions, targets)
print(f"MSE = {loss.data:.4f}")
for p, t, g in zip(predictions, targets, grad(loss, predictions)):
    print(f"  {p.label}: prediction {p.data}, target {t}, miss {p.data - t:+.1f}, dL/dp {g:+.4f}")

# %% [markdown] en
# p3 misses by 4.9 and gets a gradient ten times larger than the others. For a
# quantity that is what we want. For a probability it is not, as we will see.
#
# ## Through a sigmoid: the gradient the network sees
#
# A classifier does not output 0.7 directly: its last neuron computes a score z (the
# **logit**) and a sigmoid turns it into p = sigmoid(z). The weights sit before the
# sigmoid, so what matters is dL/dz. Take the z that gives p = 0.7:
# %% [markdown] ko
# p3은 4.9만큼 빗나갔고, 다른 예측보다 열 배쯤 큰 기울기를 받아요. 수치를 맞히는 회귀라면
# 바로 이렇게 동작해야 해요. 하지만 확률을 예측할 때는 그렇지 않아요. 곧 보게 될 거예요.
#
# ## 시그모이드를 거치면: 신경망이 실제로 받는 기울기
#
# 분류기는 0.7을 곧바로 내놓지 않아요. 마지막 뉴런이 점수 z(**로짓**, logit)를 계산하고,
# 시그모이드가 그것을 p = sigmoid(z)로 바꿔요. 가중치는 시그모이드 앞에 있으니, 중요한 건
# dL/dz예요. p = 0.7이 되는 z로 계산해 볼게요.

# %%
z = Value(math.log(0.7 / 0.3), label="z")
p = z.sigmoid()
print(f"z = {z.data:.4f}, p = sigmoid(z) = {p.data:.4f}")
for name in ["MSE (t - p)^2", "binary cross-entropy"]:
    loss = candidates[name](p, 1.0)
    print(f"{name:24} dL/dz {grad(loss, z):+.4f}")
with_logits = losses.binary_cross_entropy_with_logits(z, 1.0)
print(f"with_logits(z): loss {with_logits.data:.4f}   dL/dz {grad(with_logits, z):+.4f}")

# %% [markdown] en
# For cross-entropy dL/dz is exactly **p - t** = 0.7 - 1 = -0.3: the sigmoid's slope
# p(1 - p) cancels against the 1/p of the log. For MSE it does not cancel: the gradient
# is 2(p - t) times the sigmoid's slope, -0.6 * 0.21 = -0.126. (In practice, pass the
# logit to `binary_cross_entropy_with_logits`: the same loss, computed without ever
# taking log of a number that rounded to 0.)
#
# ## Several classes: softmax and cross-entropy
#
# With several classes the network gives one score per class; softmax (lesson 2) turns
# them into probabilities, and the loss is -log(probability of the right class).
# `losses.cross_entropy` takes the raw scores and the index of the right class.
# %% [markdown] ko
# 교차 엔트로피에서 dL/dz는 정확히 **p - t** = 0.7 - 1 = -0.3이에요. 시그모이드의
# 기울기 p(1 - p)가 로그의 1/p와 상쇄되기 때문이에요. MSE에서는 상쇄되지 않아요.
# 기울기는 2(p - t)에 시그모이드의 기울기를 곱한 -0.6 * 0.21 = -0.126이에요.
# (실제로는 로짓을 `binary_cross_entropy_with_logits`에 넘기세요. 같은 손실이지만,
# 반올림돼서 0이 된 수에 로그를 취하는 일이 없어요.)
#
# ## 클래스가 여러 개일 때: 소프트맥스와 교차 엔트로피
#
# 클래스가 여러 개면 신경망은 클래스마다 점수를 하나씩 내놓아요. 소프트맥스(2강)가
# 이것을 확률로 바꾸고, 손실은 -log(정답 클래스의 확률)이에요.
# `losses.cross_entropy`는 원래 점수와 정답 클래스의 번호를 받아요.

# %%
scores = [Value(2.0, label="z1"), Value(1.0, label="z2"), Value(0.1, label="z3")]
right_class = 0  # the first class is the right answer
loss = losses.cross_entropy(scores, right_class)
probabilities = [q.data for q in ag.softmax(scores)]
print("probabilities    ", [round(q, 4) for q in probabilities])
print(f"loss {loss.data:.4f} = -log({probabilities[right_class]:.4f})")
print("dL/dz            ", [round(g, 4) for g in grad(loss, scores)])
print("p - one_hot(0)   ", [round(q - (k == right_class), 4) for k, q in enumerate(probabilities)])

# %% [markdown] en
# The same pattern as the binary case: the gradient of each score is its probability
# minus the target (1 for the right class, 0 for the others). The right score is pushed
# up, the wrong ones down, each in proportion to its mistake.
#
# ## Why cross-entropy suits classification
#
# Now the case that decides it: a **confidently wrong** prediction. The target is 1 but
# the logit is very negative, so p is close to 0. Plot both losses and their gradients
# with respect to z.
# %% [markdown] ko
# 이진 분류와 같은 모양이에요. 점수마다 기울기는 자기 확률에서 정답(정답 클래스는
# 1, 나머지는 0)을 뺀 값이에요. 정답 점수는 올라가고 오답 점수는 내려가는데, 각자
# 틀린 만큼씩 움직여요.
#
# ## 교차 엔트로피가 분류에 맞는 이유
#
# 이제 결정적인 경우를 볼게요. **자신 있게 틀린** 예측이에요. 정답은 1인데 로짓이
# 아주 작아서 p가 0에 가까운 경우죠. 두 손실과, z에 대한 두 기울기를 그려 봐요.

# %%
logits = [-8.0 + 16.0 * i / 200 for i in range(201)]
curves = {"MSE": ([], []), "cross-entropy": ([], [])}
for z0 in logits:
    for name, loss_function in [
        ("MSE", lambda z: losses.mse(z.sigmoid(), 1.0)),
        ("cross-entropy", lambda z: losses.binary_cross_entropy_with_logits(z, 1.0)),
    ]:
        z = Value(z0)
        loss = loss_function(z)
        curves[name][0].append(loss.data)
        curves[name][1].append(grad(loss, z))

figure, (left, right) = plt.subplots(1, 2, figsize=(9, 3))
for name, (values, slopes) in curves.items():
    left.plot(logits, values, label=name)
    right.plot(logits, slopes, label=name)
left.set_title(label("loss (target 1)", "손실 (정답 1)"))
right.set_title("dL/dz")
for ax in (left, right):
    ax.set_xlabel(label("logit z   (p = sigmoid(z))", "로짓 z   (p = sigmoid(z))"))
    ax.axvline(0, color="grey", linewidth=0.5)
    ax.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown] en
# On the left (z < 0 is wrong, the more negative the more confident): MSE never exceeds
# 1, cross-entropy grows without limit. On the right, the decisive part: as the
# prediction gets more confidently wrong, MSE's gradient **goes back to 0** (the sigmoid
# saturates, lesson 2), while cross-entropy's tends to -1. In numbers, at z = -6
# (p = 0.0025):
# %% [markdown] ko
# 왼쪽 그림(z < 0이면 틀린 예측이고, 더 작을수록 더 자신 있게 틀림)에서 MSE는 1을
# 넘지 않지만 교차 엔트로피는 끝없이 커져요. 결정적인 건 오른쪽 그림이에요.
# 예측이 자신 있게 틀릴수록 MSE의 기울기는 **다시 0으로** 돌아가지만(시그모이드가
# 포화되니까요, 2강), 교차 엔트로피의 기울기는 -1로 다가가요. z = -6(p = 0.0025)에서
# 숫자로 보면 이래요.


# %%
def loss_at(z0, name):
    """The loss of sigmoid(z) against target 1, after backward(), with labelled nodes.

    Written out by hand, (1 - p)^2 and -log(p), so that the drawing stays short; the
    functions in `losses` give the same numbers (they also take means over samples).
    """
    z = Value(z0, label=f"z_{name}")
    p = z.sigmoid()
    p.label = f"p_{name}"
    loss = (1 - p) ** 2 if name == "mse" else -p.log()
    loss.label = f"L_{name}"
    loss.backward()
    return z, loss


z_mse, loss_mse = loss_at(-6.0, "mse")
z_bce, loss_bce = loss_at(-6.0, "bce")
print(f"MSE:           loss {loss_mse.data:.4f}, dL/dz {z_mse.grad:+.4f}")
print(f"cross-entropy: loss {loss_bce.data:.4f}, dL/dz {z_bce.grad:+.4f}")
draw([loss_mse, loss_bce])

# %% [markdown] en
# The drawing shows where MSE loses it: its gradient reaches the sigmoid's output at full
# strength (-2) and comes out of the sigmoid as -0.005, a thin pale edge. Cross-entropy's
# log sends back a huge -1/p = -404, which the sigmoid's tiny slope shrinks to exactly
# the useful -1.
#
# What this means for learning: take one logit at z = -6 and follow its gradient for 60
# steps (`z ← z - 1.0 * dL/dz`; lesson 5 is about this loop).
# %% [markdown] ko
# 그림을 보면 MSE가 어디서 힘을 잃는지 알 수 있어요. 기울기는 시그모이드의 출력까지는
# 온전히(-2) 도착하지만, 시그모이드를 지나면 -0.005가 되고 화살표도 가늘고 옅어져요. 교차
# 엔트로피에서는 로그가 -1/p = -404라는 큰 값을 돌려보내고, 시그모이드의 작은 기울기가
# 그것을 딱 쓸모 있는 -1로 줄여 줘요.
#
# 이것이 학습에 어떤 의미인지 볼게요. 로짓 하나를 z = -6에서 시작해 기울기를 따라 60번
# 움직여요(`z ← z - 1.0 * dL/dz`, 이 반복은 5강에서 다뤄요).

# %%
history = {}
for name in ["mse", "bce"]:
    z0, ps = -6.0, []  # ps[k]: the prediction p after k steps
    for _ in range(60):
        z, loss = loss_at(z0, name)
        ps.append(z.sigmoid().data)
        z0 -= 1.0 * z.grad
    ps.append(Value(z0).sigmoid().data)
    history[name] = ps
    print(f"{name}: p after 10 steps {ps[10]:.4f}, after 60 steps {ps[60]:.4f}")

plt.figure(figsize=(5, 2.8))
plt.plot(history["mse"], label="MSE")
plt.plot(history["bce"], label=label("cross-entropy", "교차 엔트로피"))
plt.xlabel(label("steps done", "마친 단계 수"))
plt.ylabel(label("p (target 1)", "p (정답 1)"))
plt.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown] en
# With cross-entropy the prediction climbs out at once; with MSE it has hardly moved
# after 60 steps, because the worse it is, the less it is told to move. That is why
# classifiers are trained with cross-entropy on a sigmoid or softmax output, and MSE is
# kept for regression, where there is no saturating output.
# %% [markdown] ko
# 교차 엔트로피에서는 예측이 곧바로 빠져나오지만, MSE에서는 60단계가 지나도 거의
# 움직이지 않아요. 틀릴수록 움직이라는 신호가 약해지기 때문이에요. 그래서 분류기는
# 시그모이드나 소프트맥스 출력에 교차 엔트로피로 학습하고, MSE는 포화되는 출력이
# 없는 회귀에 써요.
