# %% [markdown] en
# # 4. The chain rule, step by step
#
# Training needs dL/dW for every weight W: how the loss changes when W changes. A
# network is a chain of small functions, and the notes put it in one formula, for the
# first weight of a two-layer network:
#
# $$\frac{\partial L}{\partial W_1} = \frac{\partial L}{\partial a_2} \cdot
# \frac{\partial a_2}{\partial z_2} \cdot \frac{\partial z_2}{\partial a_1} \cdot
# \frac{\partial a_1}{\partial z_1} \cdot \frac{\partial z_1}{\partial W_1}$$
#
# This is the **chain rule**: each step passes back the gradient it received
# (upstream) times its own local derivative. **Backpropagation** applies it from the
# loss back to the inputs, and frameworks do it automatically ("autograd"). Here we
# watch our autograd do it one step at a time, with real numbers.
# %% [markdown] ko
# # 4. 연쇄 법칙, 한 단계씩
#
# 학습하려면 가중치 W마다 dL/dW, 즉 W가 변할 때 손실이 얼마나 변하는지 알아야 해요.
# 신경망은 작은 함수들이 사슬처럼 이어진 것이고, 노트는 두 층짜리 신경망의 첫 번째
# 가중치에 대해 이것을 식 하나로 정리해요.
#
# $$\frac{\partial L}{\partial W_1} = \frac{\partial L}{\partial a_2} \cdot
# \frac{\partial a_2}{\partial z_2} \cdot \frac{\partial z_2}{\partial a_1} \cdot
# \frac{\partial a_1}{\partial z_1} \cdot \frac{\partial z_1}{\partial W_1}$$
#
# 이것이 **연쇄 법칙**(chain rule)이에요. 각 단계는 출력 쪽에서 받은
# 기울기(upstream)에 자기의 국소 도함수(local derivative)를 곱해서 입력 쪽으로
# 넘겨요. **역전파**(backpropagation)는 이 규칙을 손실에서 입력 쪽으로 차례로
# 적용하는 것이고, 프레임워크는 이를 자동으로 해 줘요(자동 미분, autograd).
# 여기서는 우리 엔진이 그 일을 한 단계씩, 실제 숫자로 하는 모습을 지켜봐요.

# %% [markdown] en
# ## A tiny network: one input, one hidden neuron, one output
#
# x → z1 = W1·x → a1 = sigmoid(z1) → z2 = W2·a1 → a2 = sigmoid(z2) → L = (a2 - 1)².
# The target is 1. To keep the chain as short as the formula we leave out the biases (a
# bias would be one more input of z1 or z2, with local derivative 1). Every node gets
# the name the formula uses; e = a2 - 1 is the error.
# %% [markdown] ko
# ## 아주 작은 신경망: 입력 하나, 은닉 뉴런 하나, 출력 하나
#
# x → z1 = W1·x → a1 = sigmoid(z1) → z2 = W2·a1 → a2 = sigmoid(z2) → L = (a2 - 1)².
# 정답은 1이에요. 사슬을 식만큼 짧게 유지하려고 편향은 뺐어요(편향은 z1이나 z2에
# 들어가는 입력이 하나 더 생기는 것이고, 국소 도함수는 1이에요). 노드마다 식에
# 나오는 이름을 붙였고, e = a2 - 1은 오차예요.

# %%
from autograd import Stepper, Value
from autograd.viz import draw

x = Value(0.6, label="x")
W1 = Value(0.8, label="W1")
W2 = Value(0.3, label="W2")

z1 = W1 * x
z1.label = "z1"
a1 = z1.sigmoid()
a1.label = "a1"
z2 = W2 * a1
z2.label = "z2"
a2 = z2.sigmoid()
a2.label = "a2"
e = a2 - 1.0
e.label = "e"
L = e**2
L.label = "L"

for node in [z1, a1, z2, a2, e, L]:
    print(f"{node.label:2} = {node.data:.4f}")
draw(L, show_grad=False, rankdir="BT")

# %% [markdown] en
# That was the forward pass, drawn from the bottom up (`rankdir="BT"`): the input at the
# bottom, the loss on top, as in the notes' diagram. Now the backward pass, from the top
# down, one node at a time. `Stepper(L)` begins it exactly as `L.backward()` would:
# dL/dL = 1, every other gradient still unknown. In the drawing, dotted grey edges have
# not been reached yet and the current node is yellow. Each cell below calls
# `show_next_step()`: one `next(steps)`, printed as text, then shown as the stepper's
# view, `steps.view()`: the step as a table (each input's value, local derivative,
# upstream gradient, contribution and gradient so far) above the drawing.
# %% [markdown] ko
# 여기까지가 순전파예요. 그림은 아래에서 위로 그렸어요(`rankdir="BT"`). 노트의
# 그림처럼 입력이 맨 아래, 손실이 맨 위에 있어요. 이제 역전파를 위에서 아래로,
# 노드 하나씩 진행해요. `Stepper(L)`은 `L.backward()`와 똑같이 시작해요.
# dL/dL = 1이고 나머지 기울기는 아직 몰라요. 그림에서 회색 점선은 아직 도달하지
# 않은 화살표이고, 노란색이 현재 노드예요. 아래 셀마다 `show_next_step()`을
# 호출해요. `next(steps)`로 한 단계를 진행해서 글로 출력한 다음, 스테퍼의 화면
# `steps.view()`로 보여 줘요. 그 단계를 표로(입력마다 값, 국소 도함수, 출력 쪽에서 받은
# 기울기, 기여분, 지금까지의 기울기) 보여 주고, 그 아래에 그림을 그려요.

# %%
steps = Stepper(L)


def show_next_step():
    """Apply the next chain-rule step, print it, and show the stepper's view: the step as
    a table above the graph as it is now."""
    print(next(steps))
    return steps.view(rankdir="BT")


print(steps)
steps.view(rankdir="BT")

# %% [markdown] en
# **Step 1.** L = e²: the local derivative is dL/de = 2e.
# %% [markdown] ko
# **1단계.** L = e²이니 국소 도함수는 dL/de = 2e예요.

# %%
show_next_step()

# %% [markdown] en
# **Step 2.** e = a2 - 1: the local derivative de/da2 is 1, so dL/da2 = dL/de. Together,
# steps 1 and 2 are the formula's first factor, dL/da2 = 2(a2 - 1).
# %% [markdown] ko
# **2단계.** e = a2 - 1이니 국소 도함수 de/da2는 1이고, dL/da2 = dL/de예요. 1단계와
# 2단계를 합치면 식의 첫 번째 인수 dL/da2 = 2(a2 - 1)이 돼요.

# %%
show_next_step()

# %% [markdown] en
# **Step 3.** a2 = sigmoid(z2): the local derivative is sigmoid's slope, a2(1 - a2).
# %% [markdown] ko
# **3단계.** a2 = sigmoid(z2)이니 국소 도함수는 시그모이드의 기울기 a2(1 - a2)예요.

# %%
view = show_next_step()
print(f"check: a2 * (1 - a2) = {a2.data * (1 - a2.data):.4f}")
view

# %% [markdown] en
# **Step 4.** z2 = W2·a1 has two inputs, so the gradient splits: W2 gets
# dL/dz2 · a1 (its gradient is complete: W2 can now be updated), and a1 gets
# dL/dz2 · W2, which travels on. dz2/da1 = W2 is the formula's third factor.
# %% [markdown] ko
# **4단계.** z2 = W2·a1은 입력이 두 개라서 기울기가 갈라져요. W2는 dL/dz2 · a1을
# 받고(W2의 기울기는 이제 완성돼서 바로 갱신할 수 있어요), a1은 dL/dz2 · W2를 받아
# 입력 쪽으로 계속 전달해요. dz2/da1 = W2가 식의 세 번째 인수예요.

# %%
show_next_step()

# %% [markdown] en
# **Step 5.** a1 = sigmoid(z1): another sigmoid slope, a1(1 - a1).
# %% [markdown] ko
# **5단계.** a1 = sigmoid(z1): 또 한 번 시그모이드의 기울기 a1(1 - a1)이에요.

# %%
show_next_step()

# %% [markdown] en
# **Step 6.** z1 = W1·x: dz1/dW1 = x, the last factor. W1's gradient is done (and x gets
# one too: how the loss would change if the input changed).
# %% [markdown] ko
# **6단계.** z1 = W1·x: dz1/dW1 = x가 마지막 인수예요. 이제 W1의 기울기가 완성됐어요
# (x도 기울기를 받아요. 입력이 바뀌면 손실이 어떻게 바뀌는지를 나타내요).

# %%
show_next_step()

# %% [markdown] en
# ## The formula, with the stepper's numbers
#
# Every step recorded its local derivatives, and `steps.applied` lists the steps done so
# far (here all six). Multiply the five factors of the notes' formula and compare with
# what the stepper left in `W1.grad`:
# %% [markdown] ko
# ## 스테퍼가 구한 숫자로 식을 다시 계산하기
#
# 각 단계는 자기 국소 도함수를 기록해 뒀고, `steps.applied`에는 지금까지 진행한
# 단계가 들어 있어요(여기서는 여섯 단계 전부). 노트 식의 다섯 인수를 곱해서 스테퍼가
# `W1.grad`에 남긴 값과 비교해 봐요.

# %%
local = {}  # (node, input) -> d(node)/d(input), as the stepper recorded it
for step in steps.applied:
    for term in step.terms:
        local[step.name, term.name] = term.local

factors = {
    "dL/da2": local["L", "e"] * local["e", "a2"],
    "da2/dz2": local["a2", "z2"],
    "dz2/da1": local["z2", "a1"],
    "da1/dz1": local["a1", "z1"],
    "dz1/dW1": local["z1", "W1"],
}
product = 1.0
for factor in factors.values():
    product *= factor
print("dL/dW1 = " + " * ".join(factors))
print("       = " + " * ".join(f"({value:.4f})" for value in factors.values()))
print(f"       = {product:.6f}")
print(f"W1.grad  {W1.grad:.6f}")

# %% [markdown] en
# The same number: backpropagation *is* this product, computed from the loss backwards
# so that each factor is used once and shared by every weight behind it (W2 needed the
# first two factors; W1 reuses them).
#
# ## The stepper and `backward()` agree exactly
#
# The stepper uses the same order and the same arithmetic as `backward()`. To compare,
# save the stepper's gradients, reset them all, and run `backward()`. (Resetting
# matters: a leaf such as W1 *adds* each new backward pass to its gradient, as in
# PyTorch.)
# %% [markdown] ko
# 같은 숫자가 나와요. 역전파가 곧 이 곱이에요. 다만 손실 쪽부터 거꾸로 곱해 나가기 때문에,
# 인수 하나는 한 번만 계산하고 그보다 입력 쪽에 있는 가중치들이 모두 그 값을 같이 써요.
# W2에는 앞의 두 인수가 필요했는데, W1은 그 두 인수를 다시 계산하지 않고 그대로 가져다
# 써요.
#
# ## 스테퍼와 `backward()`의 결과는 정확히 같아요
#
# 스테퍼는 `backward()`와 같은 순서로 같은 연산을 해요. 둘을 비교하려면 스테퍼가 구한
# 기울기를 저장해 두고, 기울기를 모두 0으로 되돌린 다음 `backward()`를 실행해요. (되돌리는
# 단계를 빼먹으면 안 돼요. W1 같은 리프(leaf)는 PyTorch에서처럼 역전파를 한 번 할 때마다
# 새 기울기를 원래 기울기에 *더하기* 때문이에요.)

# %%
nodes = [x, W1, W2, z1, a1, z2, a2, e, L]
stepped = {node.label: node.grad for node in nodes}
L.zero_grad()
L.backward()
for node in nodes:
    print(f"{node.label:2}  stepper {stepped[node.label]:+.6f}   backward {node.grad:+.6f}")
print("all exactly equal:", all(stepped[node.label] == node.grad for node in nodes))

# %% [markdown] en
# ## Play the whole pass in a browser
#
# In Jupyter, `steps.widget()` gives a slider and back/next buttons to walk the same
# steps, and `steps.back()` undoes one. `save_html` goes further: it writes the pass as
# one web page that plays in any browser, offline and without Python. It has next, back
# and play buttons, a slider, and the arrow keys. The node being processed turns yellow,
# each gradient appears when the pass reaches it (a `?` until then, never a 0), edges
# thicken and change colour as gradient flows back along them, and hovering a node shows
# its derivative rule. `show()` puts the same page right here in the notebook. (A fresh
# pass starts with `L.zero_grad()`: the leaves still hold what `backward()` gave them,
# and a new pass would add to it.)
# %% [markdown] ko
# ## 브라우저에서 역전파 전체를 재생해 보기
#
# Jupyter에서 `steps.widget()`을 쓰면 슬라이더와 이전/다음 버튼으로 같은 단계를 오갈
# 수 있고, `steps.back()`은 한 단계를 되돌려요. `save_html`은 한 걸음 더 나아가요.
# 역전파 과정을 웹 페이지 하나로 저장하는데, 이 페이지는 인터넷 연결도 파이썬도 없이
# 어느 브라우저에서나 재생돼요. 다음, 이전, 재생 버튼과 슬라이더, 방향키로 움직일 수
# 있어요. 지금 처리하는 노드는 노란색이 되고, 각 기울기는 역전파가 그 노드에 도달할
# 때 나타나요(그 전에는 0이 아니라 `?`로 보여요). 기울기가 흘러간 화살표는 그 크기에
# 따라 굵어지고 색이 바뀌어요. 노드 위에 마우스를 올리면 그 노드의 미분 규칙이 보여요.
# `show()`는 같은 페이지를 이 노트북 안에 바로 보여 줘요. (새로 역전파를 시작하기 전에
# `L.zero_grad()`를 불러요. 리프에는 `backward()`가 남긴 기울기가 아직 있어서, 그대로
# 두면 새 역전파가 그 위에 더해지거든요.)

# %%
L.zero_grad()
replay = Stepper(L)
print(replay.save_html("chain_rule_backward.html", rankdir="BT"))
replay.show(rankdir="BT")

# %% [markdown] en
# ## A node used twice gets the sum
#
# In a real network one value feeds many others: an input goes to every neuron of the
# first layer. The chain rule then **adds** the gradients coming back along each path.
# The smallest example: b = a + a, c = b · b, so c = 4a² and dc/da = 8a = 24 at a = 3.
# %% [markdown] ko
# ## 두 번 쓰인 노드는 기울기를 합해서 받아요
#
# 실제 신경망에서는 값 하나가 여러 곳에 쓰여요. 입력 하나가 첫 번째 층의 모든
# 뉴런으로 들어가니까요. 이때 연쇄 법칙은 각 경로로 돌아오는 기울기를 **더해요**.
# 가장 작은 예: b = a + a, c = b · b이면 c = 4a²이고, a = 3에서 dc/da = 8a = 24예요.

# %%
a = Value(3.0, label="a")
b = a + a
b.label = "b"
c = b * b
c.label = "c"
twice = Stepper(c)
for step in twice.run():
    print(step)
twice.view()

# %% [markdown] en
# Read the `+=` lines. In step 1 both inputs of b · b are b itself, so b receives
# 1 · 6 twice: 6, then += 6 makes 12. In step 2 both inputs of a + a are a: 12, then
# += 12 makes **24** = 8a. If gradients were overwritten instead of added, b would keep
# 6 and a would get 6, a quarter of the truth. A measurement that knows nothing of the
# chain rule agrees: nudge a by a tiny h either way.
# %% [markdown] ko
# `+=`가 붙은 줄을 보세요. 1단계에서 b · b는 두 입력이 모두 b 자신이라서, b는 1 · 6을 두
# 번 받아요. 처음에 6이 되고, += 6으로 12가 돼요. 2단계에서 a + a도 두 입력이 모두 a라서,
# a는 12를 받고 다시 += 12로 **24** = 8a가 돼요. 기울기를 더하지 않고 덮어썼다면 b는 6에
# 머물고 a도 6만 받았을 거예요. 참값의 4분의 1이에요. 연쇄 법칙을 전혀 모르는 측정으로도
# 같은 답이 나와요. a를 아주 작은 h만큼 양쪽으로 움직여 볼게요.


# %%
def c_of(a_value):
    b = a_value + a_value
    return b * b


h = 1e-6
measured = (c_of(3.0 + h) - c_of(3.0 - h)) / (2 * h)
print(f"stepper: dc/da = {a.grad}")
print(f"measured slope: {measured:.6f}")
