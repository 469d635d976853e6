"""Numbers the lessons' prose quotes equal what their code prints (in the built notebooks).

Each fact names a lesson, where its prose quotes a number (one pattern per language) and
where the executed notebook prints it. The quoted number must be the printed one, rounded
to the digits the prose gives, in both languages. A rebuild that changes what the code
prints, or an edit that changes the prose, without the other, fails here.
"""

from __future__ import annotations

import re

import pytest
from lessons import all_outputs, load, markdown_cells

# (lesson, {language: pattern in the prose}, pattern in the outputs); each pattern has one
# group, the number.
FACTS = [
    (
        "00_ai_ml_dl",
        {"en": r"The rules get \*\*(\d+\.\d)%\*\*", "ko": r"규칙은 새 점의 \*\*(\d+\.\d)\*\*%"},
        r"rules: (\d+\.\d)% of 500 new points",
    ),
    (
        "00_ai_ml_dl",
        {
            "en": r"the network gets \*\*(\d+\.\d)%\*\*",
            "ko": r"신경망은 새 점의 \*\*(\d+\.\d)\*\*%",
        },
        r"network: (\d+\.\d)% of 500 new points",
    ),
    (
        "00_ai_ml_dl",
        {"en": r"Both give w = \*\*(\d\.\d+)\*\*", "ko": r"두 방법 모두 w = \*\*(\d\.\d+)\*\*"},
        r"least squares: +w = (\d\.\d+)",
    ),
    (
        "01_neuron_forward",
        {
            "en": r"it takes an x3 above \*\*(\d\.\d+)\*\*",
            "ko": r"b = -1\.5면 x3가 \*\*(\d\.\d+)\*\*",
        },
        r"b = -1\.5: .*fires once x3 > (-?\d\.\d+)",
    ),
    (
        "01_neuron_forward",
        {
            "en": r"weighted sum is \*\*(\d\.\d+)\*\*",
            "ko": r"가중합은 노트와 같이 \*\*(\d\.\d+)\*\*",
        },
        r"z = 0\.48 \+ 0\.02 \+ 0\.27 \+ 0\.2 = (\d\.\d+)",
    ),
    (
        "02_activations",
        {"en": r"bias -1\.5\s+\(z = (-\d\.\d+)\)", "ko": r"-1\.5\(z = (-\d\.\d+)\)"},
        r"dead: z = ([-+]\d\.\d+)",
    ),
    (
        "02_activations",
        {"en": r"bias 0\.2\s+\(z = (\d\.\d+)\)", "ko": r"0\.2\(z = (\d\.\d+)\)"},
        r"alive: z = ([-+]\d\.\d+)",
    ),
    (
        "02_activations",
        {"en": r"about (0\.\d+) at the input", "ko": r"입력에 이르면 (0\.\d+) 정도"},
        r"d\(a4\)/dx = (\d\.\d+)",
    ),
    (
        "02_activations",
        {"en": r"Through tanh it stays near (0\.\d+)", "ko": r"tanh를\s+지나면 (0\.\d+) 정도"},
        r"d\(t4\)/dx = (\d\.\d+)",
    ),
    (
        "06_xor",
        {"en": r"The loss started at (0\.\d+)", "ko": r"손실은 노트 말대로 (0\.\d+)에서"},
        r"before training: loss (\d\.\d+)",
    ),
    (
        "06_xor",
        {"en": r"after epoch 1000 it was (0\.\d+)", "ko": r"마친 뒤에는 (0\.\d+)\(노트: 0\.14\)"},
        r"after epoch 1000: loss (\d\.\d+)",
    ),
    (
        "06_xor",
        {"en": r"after epoch 5000 it was\s+(0\.\d+)", "ko": r"마친 뒤에는 (0\.\d+)\(노트: 0\.01\)"},
        r"after epoch 5000: loss (\d\.\d+)",
    ),
    (
        "07_xor_failures",
        {"en": r"PyTorch's scale: (\d+) right", "ko": r"맞힌 것 (\d+)개, 멈춘"},
        r"all four on the right side of 0\.5: (\d+)/20",
    ),
    (
        "07_xor_failures",
        {"en": r"(\d+)\s+stalled, as above", "ko": r"멈춘 것 (\d+)개\)"},
        r"stalled near ln 2 = 0\.693: +(\d+)/20",
    ),
    (
        "07_xor_failures",
        {
            "en": r"our initialisation is at (0\.\d+)",
            "ko": r"우리\s+초기화는 5000 에포크 뒤에 (0\.\d+)",
        },
        r"our init    : loss (\d\.\d+)",
    ),
    (
        "08_moons",
        {"en": r"and (\d+\.\d)% of the new ones", "ko": r"새 점은 (\d+\.\d)%를"},
        r"cross-entropy: training accuracy \d+%, 500 new points (\d+\.\d)%",
    ),
    (
        "09_features_overfitting",
        {"en": r"a dark hole \((\+\d\.\d+)\)", "ko": r"어두운 구멍이에요\s+\((\+\d\.\d+)\)"},
        r"L2\.n2: correlation with x\^2 \+ y\^2 ([-+]\d\.\d+)",
    ),
    (
        "09_features_overfitting",
        {"en": r"but only (\d+\.\d)% of the test points", "ko": r"시험 데이터는 (\d+\.\d)%만"},
        r"last epoch, epoch 1000: .* test (\d+\.\d)%",
    ),
    (
        "09_features_overfitting",
        {
            "en": r"gap all but closes \((\d+\.\d)%\)",
            "ko": r"격차가 거의\s+없어지고\((\d+\.\d)%\)",
        },
        r"300 points, epoch 1000: .* gap\s+(\d+\.\d)%",
    ),
    (
        "12_accelerators",
        {"en": r"The same (\d+) MACs per sample", "ko": r"샘플당 MAC은 똑같이 (\d+)번"},
        r"MACs per sample: (\d+)",
    ),
    (
        "12_accelerators",
        {
            "en": r"Training this small network took (\d\.\d+)\s+million\s+MACs",
            "ko": r"학습하는\s+데\s+MAC이\s+(\d\.\d+) x 10\^6번",
        },
        r"= (\d\.\d+) million MACs",
    ),
    (
        "12_accelerators",
        {"en": r"(\d+)%\s+over\s+the\s+whole\s+run", "ko": r"학습\s+전체로는\s+(\d+)%"},
        r"over all \d+ epochs: (\d+)%",
    ),
]


def prose(nb: dict) -> str:  # type: ignore[type-arg]
    return "\n".join(markdown_cells(nb))


def decimals(number: str) -> int:
    return len(number.split(".")[1]) if "." in number else 0


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize(("lesson", "quoted", "shown"), FACTS)
def test_the_prose_quotes_what_the_code_prints(
    lesson: str, quoted: dict[str, str], shown: str, language: str
) -> None:
    nb = load(language, lesson)
    in_prose = re.findall(quoted[language], prose(nb))
    in_output = re.findall(shown, all_outputs(nb))
    assert in_prose, f"{language}/{lesson}: the prose no longer quotes {quoted[language]!r}"
    assert len(in_output) == 1, f"{language}/{lesson}: {shown!r} printed {len(in_output)} times"
    value = float(in_output[0])
    for number in in_prose:
        assert float(number) == round(value, decimals(number)), (
            f"{language}/{lesson}: the prose says {number}, the code prints {in_output[0]}"
        )


@pytest.mark.parametrize("language", ["en", "ko"])
def test_lesson_2_no_longer_quotes_the_wrong_sum(language: str) -> None:
    """Bias -1.5 on the notes' neuron gives z = 0.48 + 0.02 + 0.27 - 1.5 = -0.73 (lesson 1
    prints -0.7300); an earlier text said -0.53, in the prose and in the code."""
    nb = load(language, "02_activations")
    cells = "\n".join("".join(c["source"]) for c in nb["cells"])
    assert "0.53" not in cells
    assert "z          = -0.7300" in all_outputs(load(language, "01_neuron_forward"))
