# %% [markdown] en
# # 11. Recurrence: remembering through time
#
# A sequence (a sentence, a sound, a sensor's readings) comes one step at a time. A
# recurrent network (RNN) reads it with **one cell used at every step**: the cell takes
# the input of this step and its own state from the step before, and gives a new state,
#
#     h_t = tanh(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh).
#
# Unrolled through time it is one long graph, the same weights at every step, so (as a
# filter's weight in lesson 10) each weight's gradient is the sum over the steps. And the
# gradient that reaches an early step has crossed every later one: at each, it is
# multiplied by tanh' and by W_hh, and it fades. The LSTM adds a **cell state** c carried
# from step to step through a forget gate alone, c_t = f * c_(t-1) + i * g, so the gradient
# can travel back along it without fading.
#
# The task, **echo**: read a sequence of random +1/-1 inputs, and at the end say which
# sign came first, `delay` steps before the last. Everything in between is noise to ignore.
# %% [markdown] ko
# # 11. 순환: 시간을 건너 기억하기
#
# 시퀀스(문장, 소리, 센서 값)는 한 단계씩 들어와요. 순환 신경망(RNN)은 **모든 단계에서
# 같은 셀 하나**로 시퀀스를 읽어요. 셀은 이번 단계의 입력과 바로 전 단계의 자기 상태를
# 받아서 새 상태를 내놓아요.
#
#     h_t = tanh(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh)
#
# 시간 축으로 펼치면(unroll) 모든 단계에서 같은 가중치를 쓰는 긴 그래프 하나가 돼요.
# 그래서 10강의 필터 가중치처럼 각 가중치의 기울기는 모든 단계의 합이에요. 그리고 앞쪽
# 단계에 닿는 기울기는 그 뒤의 모든 단계를 지나와야 해요. 단계마다 tanh'와 W_hh가
# 곱해져서 점점 사라져요. LSTM은 여기에 **셀 상태**(cell state) c를 더해요. c는 망각
# 게이트(forget gate)만 곱해지며 다음 단계로 넘어가요(c_t = f * c_(t-1) + i * g). 그래서
# 기울기가 이 길을 따라 사라지지 않고 거꾸로 갈 수 있어요.
#
# 과제는 **echo**예요. +1/-1이 무작위로 섞인 시퀀스를 읽고, 마지막에 맨 처음(마지막에서
# `delay` 단계 전) 부호가 무엇이었는지 말해요. 그 사이의 값은 모두 무시해야 하는 잡음이에요.

# %%
import time

import matplotlib.pyplot as plt

from autograd import Value
from autograd.nn import RNN, Linear, Sequential, losses, tasks
from autograd.viz import draw

X, y = tasks.echo_data(3, delay=5, seed=0)
for sequence, target in zip(X, y):
    print(" ".join(f"{x[0]:+.0f}" for x in sequence), "-> label", target)

# %% [markdown] en
# ## The unrolled graph
#
# A tiny RNN (2 hidden units) on 3 steps, drawn with one box per time step
# (`collapse="step"`). The weights are outside the boxes: each is drawn once, with one edge
# into every step that uses it, and the gradient it gets back from each.
# %% [markdown] ko
# ## 펼쳐진 그래프
#
# 은닉 유닛 2개짜리 작은 RNN을 3 단계 동안 돌리고, 시간 단계마다 상자 하나로
# (`collapse="step"`) 그려요. 가중치는 상자 밖에 있어요. 가중치마다 한 번만 그려지고,
# 그 가중치를 쓰는 모든 단계로 간선이 하나씩 이어지며, 각 단계에서 돌아오는 기울기를
# 실어요.

# %%
tiny = Sequential(RNN(1, 2, seed=0), tasks.LastStep(), Linear(2, 2, seed=1))
loss = losses.cross_entropy(tiny([[1.0], [-1.0], [1.0]]), 1)
loss.backward()
draw(loss, collapse="step", max_nodes=40)

# %% [markdown] en
# ## The gradient at each time step, measured
#
# A fresh RNN and a fresh LSTM (4 units each) read one sequence of 13 steps (delay 12).
# After backward, the size of the gradient of the loss with respect to the hidden state
# h_t at each step (the largest |dL/dh_t[j]|) says how much the loss can still learn from
# what happened at step t. The LSTM starts with its forget gate open (bias +2, as Keras
# does), so that its cell carries what it stores.
# %% [markdown] ko
# ## 시간 단계마다 기울기 재 보기
#
# 새로 만든 RNN과 LSTM(둘 다 유닛 4개)이 13 단계짜리 시퀀스(delay 12) 하나를 읽어요.
# 역전파 뒤에 각 단계 은닉 상태 h_t에 대한 손실의 기울기 크기(가장 큰 |dL/dh_t[j]|)를
# 보면, t 단계에서 일어난 일로부터 손실이 아직 얼마나 배울 수 있는지 알 수 있어요. LSTM은
# Keras처럼 망각 게이트를 열어 두고(편향 +2) 시작해서, 셀이 저장한 것을 실어 나를 수 있어요.

# %%
X12, y12 = tasks.echo_data(1, delay=12, seed=3)
sizes = {}
for cell in ("rnn", "lstm"):
    model = tasks.echo_model(cell, hidden=4, seed=0)
    inputs = [[Value(x[0])] for x in X12[0]]
    outputs, _ = model[0](inputs)
    loss = losses.cross_entropy(model[2](outputs[-1]), y12[0])
    loss.backward()
    sizes[cell] = [max(abs(h.grad) for h in step) for step in outputs]
    print(cell, " ".join(f"{g:.1e}" for g in sizes[cell]))
plt.figure(figsize=(6, 3))
for cell, marker in (("rnn", "o"), ("lstm", "s")):
    plt.semilogy(range(13), sizes[cell], marker=marker, label=cell.upper())
plt.xlabel(label("time step t (12 = the last)", "시간 단계 t (12 = 마지막)"))
plt.ylabel("max |dL/dh_t|")  # a formula: the same in both languages
plt.title(
    label(
        "how much gradient reaches each step, before training",
        "학습 전, 각 단계에 닿는 기울기의 크기",
    )
)
plt.legend()
plt.show()

# %% [markdown] en
# ## The delay at which the RNN stops learning
#
# Now both are trained on 256 sequences (Adam, learning rate 0.01, 10 epochs, mini-batches
# of 16) and tested on 200 new ones, at a short delay and a long one. 50% is chance.
# This is `python -m autograd train echo --cell rnn|lstm --delay K`.
# %% [markdown] ko
# ## RNN이 더 이상 배우지 못하는 지연
#
# 이제 둘 다 시퀀스 256개로 학습하고(Adam, 학습률 0.01, 10 에포크, 미니배치 16), 새 시퀀스
# 200개로 시험해요. 짧은 지연과 긴 지연 두 가지로 해 볼게요. 50%가 찍어서 맞히는 수준이에요.
# 명령줄에서는 `python -m autograd train echo --cell rnn|lstm --delay K`예요.

# %%
results = {}
for delay in (4, 12):
    for cell in ("rnn", "lstm"):
        start = time.perf_counter()
        run = tasks.prepare_task("echo", cell=cell, delay=delay)
        run.fit()
        results[cell, delay] = run.test_accuracy()
        print(f"~ {cell} delay {delay}: {time.perf_counter() - start:.1f} s")
print(f"{'delay':>5}{'RNN':>8}{'LSTM':>8}")
for delay in (4, 12):
    print(f"{delay:>5}{results['rnn', delay]:>8.1%}{results['lstm', delay]:>8.1%}")

# %% [markdown] en
# At a delay of 4 both remember; at 12 the RNN stays at chance while the LSTM, whose
# gradient still reaches the first step, has learned to keep the sign in its cell.
# %% [markdown] ko
# 지연이 4일 때는 둘 다 기억해요. 12가 되면 RNN은 찍는 수준에 머무르지만, 첫 단계까지
# 기울기가 닿는 LSTM은 부호를 셀에 담아 두는 법을 배웠어요.
