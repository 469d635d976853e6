# %% [markdown] en
# # Appendix. Property-testing derivatives
#
# This appendix is a side trip, for people who check derivatives: their own operations,
# or an engine they wrote. It is software testing rather than deep learning, so it comes
# after the last lesson (12, accelerators), and no lesson depends on it.
#
# The study notes say that frameworks compute gradients automatically ("autograd"), and
# since lesson 4 we have trusted the engine's gradients to train networks. But how would
# you know if a derivative were wrong? A wrong gradient does not crash anything: training
# just goes worse, quietly. This appendix checks derivatives two ways:
#
# - **gradcheck**: compare the engine's derivative with an independent estimate, the
#   slope measured by finite differences, and print a table;
# - **property-based testing** with hypothesis: instead of a few inputs you picked,
#   generate hundreds of inputs and whole formulas, and when something fails, shrink it
#   to the simplest failing case.
#
# We apply both to a function of our own, then break one of the engine's derivative rules
# on purpose and watch both catch it.
# %% [markdown] ko
# # 부록. 도함수 속성 기반 테스트
#
# 이 부록은 도함수를 검사하는 사람을 위한 곁가지예요. 직접 정의한 연산이나 직접 만든
# 엔진의 도함수를 확인하고 싶은 사람 말이에요. 딥러닝보다는 소프트웨어 테스트에 가까운
# 내용이라서 마지막 강의인 12강(가속기) 뒤에 두었어요. 이 부록을 건너뛰어도 다른 강의를
# 따라가는 데는 지장이 없어요.
#
# 학습 노트는 프레임워크가 기울기를 자동으로 계산해 준다고(자동 미분, autograd)
# 말해요. 4강부터 우리도 엔진이 계산한 기울기를 믿고 신경망을 학습시켜 왔어요.
# 그런데 도함수(derivative)가 틀렸다면 어떻게 알 수 있을까요? 틀린 기울기는 프로그램을
# 멈추게 하지 않아요. 학습이 조용히 덜 될 뿐이에요. 이 부록에서는 도함수를 두 가지
# 방법으로 확인해요.
#
# - **gradcheck**: 엔진의 도함수를 독립적인 추정값, 즉 유한 차분(finite difference)으로
#   잰 기울기와 비교해서 표로 보여 줘요.
# - hypothesis를 이용한 **속성 기반 테스트**(property-based testing): 직접 고른 몇 개의
#   입력 대신 입력과 수식을 수백 개 만들어 시험하고, 실패하면 가장 간단한 실패
#   사례로 줄여(shrink) 줘요.
#
# 우리가 직접 만든 함수에 두 방법을 적용해 본 다음, 엔진의 미분 규칙 하나를 일부러
# 망가뜨리고 두 방법이 그걸 잡아내는 걸 볼 거예요.

# %% [markdown] en
# ## Our own function: swish
#
# `swish(x) = x * sigmoid(x)` is an activation function used in modern networks (PyTorch
# calls it SiLU). We build it from Value operations, so the engine differentiates it. Its
# derivative by hand is `sigmoid(x) + x * sigmoid(x) * (1 - sigmoid(x))`, and the finite
# difference `(f(x + h) - f(x - h)) / 2h` estimates it without any calculus. At x = 1.5:
# %% [markdown] ko
# ## 직접 만든 함수: swish
#
# `swish(x) = x * sigmoid(x)`는 요즘 신경망에서 쓰이는 활성화 함수예요(PyTorch에서는
# SiLU라고 불러요). Value 연산으로 만들었으니 엔진이 미분할 수 있어요. 손으로 구한
# 도함수는 `sigmoid(x) + x * sigmoid(x) * (1 - sigmoid(x))`이고, 유한 차분
# `(f(x + h) - f(x - h)) / 2h`는 미적분 없이 그 값을 추정해요. x = 1.5에서 비교해
# 볼게요.

# %%
import math

from hypothesis import given, settings

from autograd import Value, grad
from autograd.testing import GradcheckError, expressions, gradcheck, replace_rule, values


def swish(x):
    return x * x.sigmoid()


x = Value(1.5, label="x")
swish(x).backward()
s = 1 / (1 + math.exp(-1.5))
h = 1e-6
numeric = (swish(Value(1.5 + h)).data - swish(Value(1.5 - h)).data) / (2 * h)
print(f"engine (backward):   {x.grad:.8f}")
print(f"by hand:             {s + 1.5 * s * (1 - s):.8f}")
print(f"finite difference:   {numeric:.8f}")

# %% [markdown] en
# ## gradcheck
#
# `gradcheck(f, inputs)` does that comparison for every input of `f`, with step sizes and
# tolerances chosen with care (PyTorch's: a derivative passes when
# `|analytic - numeric| <= 1e-5 + 1e-3 * |numeric|`). It returns a table, which Jupyter
# shows with the worst row in bold. `second_order=True` checks the second derivatives too.
# Here is the notes' neuron with swish as its activation, in two of its inputs:
# %% [markdown] ko
# ## gradcheck
#
# `gradcheck(f, inputs)`는 `f`의 모든 입력에 대해 이 비교를 해 줘요. 차분 간격과
# 허용 오차(tolerance)는 신중하게 골라 두었어요(PyTorch와 같아요. 도함수는
# `|analytic - numeric| <= 1e-5 + 1e-3 * |numeric|`이면 통과예요). 결과는 표로 나오고,
# Jupyter에서는 가장 아슬아슬한 행이 굵게 표시돼요. `second_order=True`를 주면 이계
# 도함수(second derivative)도 확인해요. 노트의 뉴런에 활성화 함수로 swish를 쓰고,
# 입력 두 개에 대해 확인해 볼게요.


# %%
def neuron(x1, w1):
    return swish(x1 * w1 + 0.2 * 0.1 + 0.9 * 0.3 + 0.2)  # the notes' other inputs fixed


result = gradcheck(neuron, [0.6, 0.8], second_order=True)
print(f"passed: {result.passed}, {len(result.checks)} derivatives compared")
result

# %% [markdown] en
# Six derivatives: d/dx1, d/dw1, and the four second derivatives ("x1, w1" means
# d²f/dx1 dw1). The engine and the finite differences agree to about ten digits.
#
# ## A wrong derivative, caught
#
# Now suppose the engine had a bug: the derivative rule of sigmoid forgot its `(1 - out)`,
# a classic slip. `replace_rule` swaps one rule in the engine's table for the length of a
# `with` block. A rule takes the math functions `m`, the node's output and its inputs,
# and returns one local derivative per input.
# %% [markdown] ko
# 도함수 여섯 개예요. d/dx1, d/dw1, 그리고 이계 도함수 네 개("x1, w1"은 d²f/dx1 dw1)예요.
# 엔진과 유한 차분이 열 자리 정도까지 일치해요.
#
# ## 틀린 도함수 잡아내기
#
# 이제 엔진에 버그가 있다고 해 볼게요. 시그모이드의 미분 규칙에서 `(1 - out)`을 빠뜨린,
# 흔한 실수예요. `replace_rule`은 `with` 블록 안에서만 엔진의 규칙표에 있는 규칙 하나를
# 바꿔치기해요. 규칙은 수학 함수 모음 `m`, 노드의 출력, 입력을 받아서 입력마다 국소
# 도함수(local derivative)를 하나씩 돌려줘요.


# %%
def forgot_one_minus_out(m, out, x):
    return (out,)  # right: (out * (1.0 - out),)


with replace_rule("sigmoid", forgot_one_minus_out):
    try:
        gradcheck(neuron, [0.6, 0.8])
    except GradcheckError as error:
        caught = error.result
print("GradcheckError raised; failing:", [check.input for check in caught.failures])
caught

# %% [markdown] en
# Both first derivatives are off, and the table shows by how much; gradcheck raised
# `GradcheckError`, whose message is this same table, so inside a test it fails the test.
# After the `with` block the correct rule is back.
#
# ## Property-based testing with hypothesis
#
# One point proves little: a wrong rule can look right at the point you happened to
# pick. This bug's error is `x * sigmoid(x)²`, below gradcheck's tolerance where sigmoid
# is tiny, so at x = -10 the buggy engine passes (first line below). So let hypothesis
# pick the inputs: `values()` draws numbers in [-5, 5], and `@given` runs the test on
# each. We fix hypothesis's random choices (`derandomize=True`, no example database) so
# that this notebook prints the same thing every time; in your own test suite you would
# let it explore.
# %% [markdown] ko
# 1계 도함수 두 개가 모두 틀렸고, 표에 얼마나 틀렸는지 나와요. gradcheck는
# `GradcheckError`를 일으키고 그 메시지가 바로 이 표라서, 테스트 안에서라면 테스트가
# 실패해요. `with` 블록이 끝나면 올바른 규칙이 돌아와요.
#
# ## hypothesis로 속성 기반 테스트하기
#
# 점 하나로는 증명되는 게 별로 없어요. 틀린 규칙도 우연히 고른 점에서는 맞아 보일
# 수 있거든요. 이번 버그의 오차는 `x * sigmoid(x)²`라서, 시그모이드가 아주 작은
# 곳에서는 gradcheck의 허용 오차보다 작아요. 그래서 x = -10에서는 버그 있는 엔진도
# 통과해요(아래 첫 줄). 그러니 입력은 hypothesis가 고르게 해요. `values()`는 [-5, 5]에서
# 수를 뽑고, `@given`은 뽑힌 값마다 테스트를 실행해요. 이 노트북이 매번 같은 내용을
# 출력하도록 hypothesis의 무작위 선택을 고정했어요(`derandomize=True`, 예제
# 데이터베이스 없음). 실제 테스트 코드에서는 자유롭게 탐색하게 두면 돼요.

# %%
with replace_rule("sigmoid", forgot_one_minus_out):
    print("the sigmoid bug at x = -10 passes gradcheck:", gradcheck(swish, [-10.0]).passed)

repeatable = settings(derandomize=True, database=None, max_examples=100, deadline=None)
tried = []


@repeatable
@given(values())
def test_swish_matches_finite_differences(x):
    tried.append(x)
    gradcheck(swish, [x])


test_swish_matches_finite_differences()
print(f"passed at {len(tried)} inputs, from {min(tried):.2f} to {max(tried):.2f}")
with replace_rule("sigmoid", forgot_one_minus_out):
    try:
        test_swish_matches_finite_differences()
    except GradcheckError as error:
        print("with the sigmoid bug:", error.__notes__[0])  # the shrunk failing input

# %% [markdown] en
# Our function has been checked at single points. But `swish` will be used inside other
# formulas, and the chain rule through it must work whatever surrounds it. The strategy
# `expressions(variables=2)` generates random formulas over every operation of the engine,
# each with a point to evaluate it at, always inside each operation's domain (no log of a
# negative number, no division by almost 0). Feeding them into `swish` tests the
# composition:
# %% [markdown] ko
# 우리 함수를 점 하나하나에서 확인했어요. 그런데 `swish`는 다른 수식 안에서도 쓰일
# 테고, 무엇으로 둘러싸이든 연쇄 법칙(chain rule)이 제대로 동작해야 해요.
# `expressions(variables=2)` 전략(strategy)은 엔진의 모든 연산으로 무작위 수식을
# 만들고, 수식마다 계산할 점도 함께 뽑아요. 이때 항상 각 연산의 정의역(domain) 안에
# 머물러요(음수의 로그나 0에 가까운 수로 나누기는 없어요). 그 수식을 `swish`에 넣어서
# 합성된 함수를 시험해요.

# %%
formulas = []


@repeatable
@given(expressions(variables=2))
def test_swish_of_any_expression(e):
    formulas.append(e)
    gradcheck(lambda x, y: swish(e(x, y)), e.inputs)


test_swish_of_any_expression()
operations = {name for e in formulas for name in e.operations}
print(f"passed on {len(formulas)} formulas using {len(operations)} different operations")
examples = {str(e): e for e in formulas if 3 <= len(e.operations) <= 5}  # a few, mid-sized
for e in list(examples.values())[:5]:
    x, y = e.inputs
    print(f"  swish({e})  at x={x:.3g}, y={y:.3g}")

# %% [markdown] en
# Now break a rule the formulas use: say exp's derivative came out as `2 * exp(x)`
# instead of `exp(x)`. We run the very same test. Hypothesis finds a failing formula,
# then shrinks it: it tries simpler formulas and simpler numbers until nothing simpler
# still fails, and reports that case.
# %% [markdown] ko
# 이제 수식에 쓰이는 규칙 하나를 망가뜨려 볼게요. exp의 도함수가 `exp(x)` 대신
# `2 * exp(x)`로 나온다고 해 보죠. 똑같은 테스트를 다시 실행해요. hypothesis는 실패하는
# 수식을 찾은 다음 줄여 나가요. 더 간단한 수식과 더 간단한 숫자를 시도하다가, 더
# 간단하게는 실패하지 않을 때 그 사례를 보고해요.

# %%
with replace_rule("exp", lambda m, out, x: (2 * out,)):
    try:
        test_swish_of_any_expression()
    except GradcheckError as error:
        caught = error.result
        print(error.__notes__[0])  # hypothesis's report: the shrunk failing case
caught

# %% [markdown] en
# Out of a hundred random formulas, the failure comes back as a short formula around
# `exp`, at x = 0 and y = 0: the bug, named. The table shows the engine's answer at
# exactly twice the true slope.
#
# ## Properties of your own
#
# gradcheck compares with an oracle. Property-based testing can also check laws that your
# function must obey. For swish, `swish(x) - swish(-x) = x` for every x (because
# `sigmoid(-x) = 1 - sigmoid(x)`), so its derivatives satisfy
# `swish'(x) + swish'(-x) = 1`. We test that with `grad`, first with the correct engine,
# then with the sigmoid bug from before:
# %% [markdown] ko
# 무작위 수식 100개를 시험했더니, 실패 사례가 x = 0, y = 0에서 `exp`가 들어간 짧은
# 수식으로 줄어들어 돌아왔어요. 버그가 어디 있는지 콕 집어 준 셈이에요. 표를 보면 엔진이
# 낸 답이 실제 기울기의 정확히 두 배예요.
#
# ## 직접 정하는 속성
#
# gradcheck는 기준값(oracle)과 비교해요. 속성 기반 테스트로는 함수가 지켜야 하는 법칙도
# 확인할 수 있어요. swish는 모든 x에서 `swish(x) - swish(-x) = x`를 만족해요(`sigmoid(-x)
# = 1 - sigmoid(x)`이니까요). 따라서 도함수는 `swish'(x) + swish'(-x) = 1`을 만족해야
# 해요. 이 법칙을 `grad`로 시험해 볼게요. 먼저 올바른 엔진으로, 그다음에는 앞에서 본
# 시그모이드 버그가 있는 엔진으로요.


# %%
@repeatable
@given(values())
def test_swish_derivative_is_symmetric(x):
    a, b = Value(x), Value(-x)
    (da,) = grad(swish(a), [a])
    (db,) = grad(swish(b), [b])
    total = da + db
    assert math.isclose(total, 1.0, abs_tol=1e-12), f"swish'(x) + swish'(-x) = {total:.6f}"


test_swish_derivative_is_symmetric()
print("the correct engine satisfies it")
with replace_rule("sigmoid", forgot_one_minus_out):
    try:
        test_swish_derivative_is_symmetric()
    except AssertionError as error:
        print("with the sigmoid bug:", error)
        print(error.__notes__[0])

# %% [markdown] en
# No finite differences this time, and no hand-computed answers: a law about the function
# was enough to catch the bug, and hypothesis again shrank it to a simple input.
#
# ## Your own operation, with your own derivative
#
# So far we composed the engine's operations, and their rules were already right. Often
# you want the opposite: a new operation whose derivative *you* wrote by hand. `define_op`
# adds one to the engine's table of rules. Here is softsign, `x / (1 + |x|)`, whose
# derivative is `1 / (1 + |x|)²`. The rule is written in the same small language as the
# built-in ones: it receives the math functions `m`, the output and the input, and
# returns one local derivative per input. Because it only uses arithmetic, `abs` and
# `m.div`, the same rule runs on floats (`backward()`), on Values (so second derivatives
# work) and on NumPy arrays (the tape).
#
# `check_rule` then tests that rule the way Julia's ChainRulesTestUtils does: at points
# hypothesis draws, with random cotangent seeds, against high-order finite differences
# (Richardson extrapolation, with an error estimate), first and second derivatives, on
# floats, Values and NumPy, and checks that a node used twice adds up both uses.
# %% [markdown] ko
# 이번에는 유한 차분도, 손으로 계산한 답도 쓰지 않았어요. 함수에 대한 법칙 하나만으로
# 버그를 잡았고, hypothesis는 이번에도 간단한 입력으로 줄여 줬어요.
#
# ## 직접 만든 연산과 직접 구한 도함수
#
# 지금까지는 엔진의 연산을 조합했고, 그 규칙들은 이미 맞는 것이었어요. 그런데 반대로
# 도함수를 *직접* 손으로 구한 새 연산을 쓰고 싶을 때가 많아요. `define_op`는 엔진의
# 규칙표에 연산을 하나 추가해요. softsign `x / (1 + |x|)`를 예로 들어 볼게요. 도함수는
# `1 / (1 + |x|)²`이에요. 규칙은 내장 규칙과 같은 작은 언어로 써요. 수학 함수 모음
# `m`, 출력, 입력을 받아서 입력마다 국소 도함수를 하나씩 돌려줘요. 사칙연산과 `abs`,
# `m.div`만 쓰니까, 같은 규칙이 실수(`backward()`)에서도, Value에서도(그래서 이계
# 도함수도 구할 수 있어요), NumPy 배열(테이프)에서도 돌아가요.
#
# 그다음 `check_rule`이 그 규칙을 Julia의 ChainRulesTestUtils처럼 시험해요.
# hypothesis가 뽑은 점에서, 무작위 코탄젠트(cotangent) 시드로, 고차 유한 차분(오차
# 추정을 곁들인 리처드슨 외삽, Richardson extrapolation)과 비교해요. 1계와 2계 도함수를
# 실수, Value, NumPy에서 모두 확인하고, 두 번 쓰인 노드가 두 기여를 제대로 더하는지도
# 확인해요.

# %%
from autograd import define_op
from autograd.testing import RuleCheckError, check_rule

softsign = define_op(
    "softsign",
    forward=lambda x: x / (1 + abs(x)),
    derivative=lambda m, out, x: (m.div(1.0, (1 + abs(x)) ** 2),),
)
checked = check_rule(softsign)
print(checked.title().splitlines()[0])
print("kinds of checks:", sorted({row.check.split(" (")[0] for row in checked.checks}))

# %% [markdown] en
# Now plant a classic slip: the square is forgotten, `1 / (1 + |x|)`. `check_rule`
# raises `RuleCheckError`, a table naming the operation, the seed, the point (shrunk
# by hypothesis to a simple one), the rule's number, the differences' number and their
# error estimate. And when the wrong operation hides inside a bigger function,
# `gradcheck` does not stop at "the gradient of f is wrong": it checks every node's own
# rule at the point where the node was recorded, and blames the one that disagrees.
# %% [markdown] ko
# 이제 흔한 실수를 하나 심어 볼게요. 제곱을 빠뜨린 `1 / (1 + |x|)`예요. `check_rule`은
# `RuleCheckError`를 일으키는데, 그 표에는 연산 이름, 시드, (hypothesis가 간단하게 줄인)
# 점, 규칙이 낸 값, 유한 차분이 낸 값과 그 오차 추정이 나와요. 틀린 연산이 더 큰 함수
# 안에 숨어 있어도 `gradcheck`는 "f의 기울기가 틀렸다"에서 멈추지 않아요. 노드마다
# 기록된 점에서 그 노드의 규칙을 확인하고, 어긋나는 연산을 지목(blame)해요.

# %%
forgot_the_square = lambda m, out, x: (m.div(1.0, 1 + abs(x)),)

with replace_rule("softsign", forgot_the_square):
    try:
        check_rule(softsign)
    except RuleCheckError as error:
        wrong = error.result.failures[-1]  # the point hypothesis shrank the failure to
        print(error.result.title().splitlines()[0])
        print(f"at {wrong.at}: the rule gives {wrong.rule:.6g}, differences {wrong.expected:.6g}")


def f(x, y):
    return softsign(x * y).tanh() + softsign(x).exp()


with replace_rule("softsign", forgot_the_square):
    try:
        gradcheck(f, [0.3, 0.7])
    except GradcheckError as error:
        for line in error.result.blame_lines():
            print(line)

# %% [markdown] en
# The blame line reads like a diagnosis: which rule, at which input, what it gave, what
# it should give, and how often f uses that operation. (`draw(result.graph,
# highlight=result.blamed_nodes)` marks the node in a drawing.) Since `define_op` put
# softsign in the table, `expressions()` now draws it too, inside random formulas.
#
# ## A kink is reported, not flaked
#
# A rule for a piecewise function has a point where the derivative jumps: relu at 0.
# There finite differences from the left and from the right disagree, and a naive check
# passes or fails depending on the step. `check_rule` measures both one-sided
# derivatives and says which one the rule picked:
# %% [markdown] ko
# blame 줄은 진단서처럼 읽혀요. 어떤 규칙이, 어떤 입력에서, 무엇을 냈고, 무엇을 내야
# 했는지, 그리고 f가 그 연산을 몇 번 쓰는지 알려 줘요. (`draw(result.graph,
# highlight=result.blamed_nodes)`로 그림에서 그 노드를 표시할 수도 있어요.) `define_op`가
# softsign을 규칙표에 넣었으니, 이제 `expressions()`도 무작위 수식 안에 softsign을 넣어요.
#
# ## 꺾이는 점은 들쭉날쭉 대신 보고로
#
# 구간별로 정의된 함수의 규칙에는 도함수가 뛰는 점이 있어요. 0에서의 relu처럼요.
# 거기서는 왼쪽과 오른쪽에서 잰 유한 차분이 서로 달라서, 단순한 검사는 차분 간격에
# 따라 통과하기도 하고 실패하기도 해요. `check_rule`은 한쪽 도함수(one-sided
# derivative)를 양쪽 다 재고, 규칙이 어느 쪽을 골랐는지 알려 줘요.

# %%
ramp = define_op(
    "ramp",
    forward=lambda x: x if x > 0 else 0.0,
    derivative=lambda m, out, x: (m.step(x),),
    smooth=False,
)
at_zero = check_rule(ramp, points=[0.0], samples=10)
print("passed:", at_zero.passed)
for row in at_zero.kinks[:1]:
    print(f"kink at {row.at}: {row.note}")

# %% [markdown] en
# With a cotangent seed g, the one-sided derivatives are 0 and g (0 and 1 per unit of
# seed); the rule picked the left one, as relu does in PyTorch. That is a report, not a
# failure. A rule that picked a number outside the two, say 2, would fail.
#
# **What to take away.** Trust derivatives you have checked. gradcheck compares the
# engine with finite differences and shows the comparison as a table; hypothesis runs
# such checks (and laws your function must obey) on hundreds of generated inputs and
# formulas and shrinks any failure to the simplest case. The tests of this project check
# every operation's derivatives this way, and against 50-digit arithmetic (mpmath); your
# own code can use the same tools: `from autograd.testing import gradcheck, expressions`.
# For a rule you wrote yourself, `define_op` puts it in the table and `check_rule` tests
# it; a failing gradcheck then names the operation whose rule is wrong.
# %% [markdown] ko
# 코탄젠트 시드 g가 있으면 한쪽 도함수는 0과 g예요(시드 1당 0과 1이에요). 규칙은 PyTorch의
# relu처럼 왼쪽 값을 골랐어요. 이건 실패가 아니라 보고예요. 두 값 밖의 수, 예를 들어
# 2를 고른 규칙이라면 실패해요.
#
# **정리.** 확인한 도함수만 믿으세요. gradcheck는 엔진을 유한 차분과 비교해서 표로
# 보여 주고, hypothesis는 그런 확인(과 함수가 지켜야 할 법칙)을 수백 개의 입력과
# 수식에서 실행하고 실패를 가장 간단한 사례로 줄여 줘요. 이 프로젝트의 테스트도 모든
# 연산의 도함수를 이런 방식으로, 그리고 50자리 정밀도의 계산(mpmath)과 비교해서
# 확인해요. 여러분의 코드에서도 같은 도구를 쓸 수 있어요:
# `from autograd.testing import gradcheck, expressions`. 직접 쓴 규칙은 `define_op`로
# 규칙표에 넣고 `check_rule`로 시험하세요. 그러면 실패한 gradcheck가 어느 연산의 규칙이
# 틀렸는지 이름을 알려 줘요.
