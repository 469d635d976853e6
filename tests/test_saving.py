"""Saving and loading an MLP: exact round trips, every kind of bad file, interrupted saves."""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path
from typing import Any

import pytest

from autograd.nn import MLP, saving
from autograd.nn.saving import ModelFileError

INPUTS = [[0.0, 0.0], [0.3, -1.7], [2.5, 0.25], [-1e-3, 1e3]]


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


def trained_model() -> MLP:
    model = MLP(2, [4, 3, 2], "tanh", "sigmoid", seed=5)
    # Floats that print and parse awkwardly: subnormal, negative zero, huge, 0.1 + 0.2.
    tricky = [5e-324, -0.0, 1.7976931348623157e308, 0.1 + 0.2, -1 / 3, 2.0**-1022]
    for p, value in zip(model.parameters(), tricky):
        p.data = value
    return model


def predictions(model: MLP) -> list[list[float]]:
    return [[v.data for v in model(x)] for x in INPUTS]  # type: ignore[union-attr]


def test_round_trip_is_bit_exact(tmp_path: Path) -> None:
    model = MLP(2, [4, 3, 2], "tanh", "sigmoid", seed=5)
    path = tmp_path / "model.json"
    model.save(path)
    loaded = MLP.load(path)
    assert repr(loaded) == repr(model)
    assert predictions(loaded) == predictions(model)
    saved_bits = {name: bits(value) for name, value in model.state_dict().items()}
    assert {name: bits(value) for name, value in loaded.state_dict().items()} == saved_bits


def test_awkward_floats_round_trip_bit_exactly(tmp_path: Path) -> None:
    model = trained_model()
    model.save(tmp_path / "m.json")
    loaded = MLP.load(str(tmp_path / "m.json"))
    assert [bits(p.data) for p in loaded.parameters()] == [bits(p.data) for p in model.parameters()]


def test_the_file_is_readable_versioned_json(tmp_path: Path) -> None:
    MLP(2, [3, 1], "sigmoid", "sigmoid").save(tmp_path / "m.json")
    document = json.loads((tmp_path / "m.json").read_text())
    assert document["format"] == "glassgrad-model" and document["version"] == 2
    assert document["type"] == "MLP"
    assert document["architecture"] == {
        "nin": 2,
        "sizes": [3, 1],
        "activation": "sigmoid",
        "output_activation": "sigmoid",
    }
    assert list(document["parameters"])[:3] == ["L1.n1.w1", "L1.n1.w2", "L1.n1.b"]


@pytest.mark.parametrize("old_format", ["glassgrad-mlp", "scalargrad-mlp"])
def test_version_1_files_still_load(tmp_path: Path, old_format: str) -> None:
    # What 0.1.0 ("scalargrad-mlp") and 0.2.0 ("glassgrad-mlp") wrote: version 1, no type.
    model = MLP(2, [3, 1], seed=4)
    model.save(tmp_path / "m.json")
    document = json.loads((tmp_path / "m.json").read_text())
    del document["type"], document["sha256"]  # neither existed in version 1
    document.update(format=old_format, version=1)
    (tmp_path / "old.json").write_text(json.dumps(document))
    with pytest.warns(saving.ModelFileWarning, match="no sha256 checksum"):
        assert MLP.load(tmp_path / "old.json").state_dict() == model.state_dict()


def good_document() -> dict[str, Any]:
    model = MLP(2, [2, 1])
    return {
        "format": "glassgrad-mlp",
        "version": 1,
        "architecture": model.architecture(),
        "parameters": model.state_dict(),
    }


def changed(**changes: Any) -> str:
    document = good_document()
    document.update(changes)
    return json.dumps(document)


def with_parameter(name: str, value: Any) -> str:
    document = good_document()
    document["parameters"][name] = value
    return json.dumps(document)


GOOD = json.dumps(good_document(), indent=1)
ARCHITECTURE = good_document()["architecture"]

BAD_FILES: dict[str, tuple[str | bytes, str]] = {
    # kind: (content, what the error message says)
    "truncated": (GOOD[: len(GOOD) // 2], "truncated"),
    "empty": ("", "truncated"),
    "binary garbage": (bytes(range(256)), "not a text file"),
    "text garbage": ("hello, model", "not valid JSON"),
    "a JSON list": ("[1, 2, 3]", "not a glassgrad-model file"),
    "another format": (changed(format="something-else"), "not a glassgrad-model file"),
    "a newer version": (changed(version=2), "version 2 cannot be read"),
    "a version string": (changed(version="1"), "version '1' cannot be read"),
    "no parameters": (changed(parameters=None), "'parameters' object"),
    "huge sizes": (
        changed(architecture=ARCHITECTURE | {"sizes": [10**12, 1]}),
        "the architecture has 4000000000001 parameters, the file 9",
    ),
    "code as activation": (
        changed(architecture=ARCHITECTURE | {"activation": "__import__('os').system('ls')"}),
        "unknown activation",
    ),
    "extra architecture key": (
        changed(architecture=ARCHITECTURE | {"class": "os.system"}),
        "exactly the keys",
    ),
    "sizes as a string": (changed(architecture=ARCHITECTURE | {"sizes": "21"}), "sizes"),
    "NaN": (GOOD.replace('"L1.n1.w1": ', '"L1.n1.w1": NaN, "x": ', 1), "NaN is not a finite"),
    "overflowing number": (with_parameter("L1.n1.w1", 1e308).replace("1e+308", "1e999"), "finite"),
    "number as text": (with_parameter("L1.n1.w1", "0.5"), "not a number"),
    "boolean": (with_parameter("L1.n1.b", True), "not a number"),
    "renamed parameter": (
        json.dumps(good_document()).replace("L1.n1.w1", "L1.n1.w9"),
        r"missing \['L1.n1.w1'\], unexpected \['L1.n1.w9'\]",
    ),
    "duplicate key": (GOOD.replace('"L1.n1.w2"', '"L1.n1.w1"', 1), "appears twice"),
    "deep nesting": ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
    "giant integer": (changed(version=int("9" * 4000)), "cannot be read"),
}


@pytest.mark.filterwarnings("ignore::autograd.nn.saving.ModelFileWarning")  # no checksums
@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_each_bad_file_raises_model_file_error(tmp_path: Path, kind: str) -> None:
    content, message = BAD_FILES[kind]
    path = tmp_path / "bad.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelFileError, match=message) as caught:
        MLP.load(path)
    assert str(path) in str(caught.value)  # the message names the file
    assert isinstance(caught.value, ValueError)  # callers may catch ValueError


def test_a_missing_file_is_the_usual_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        MLP.load(tmp_path / "nowhere.json")


def test_a_diverged_model_is_not_saved(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    MLP(2, [2, 1]).save(path)
    before = path.read_bytes()
    model = MLP(2, [2, 1], seed=1)
    model.layers[1].neurons[0].b.data = float("nan")
    with pytest.raises(ValueError, match=r"L2\.n1\.b is nan"):
        model.save(path)
    assert path.read_bytes() == before


class Crash(BaseException):
    """Stands in for a crash or Ctrl-C in the middle of a save."""


@pytest.mark.parametrize("where", ["fsync", "replace"])
def test_an_interrupted_save_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    path = tmp_path / "model.json"
    old = MLP(2, [3, 1], seed=1)
    old.save(path)
    before = path.read_bytes()

    def crash(*args: object) -> None:
        raise Crash

    monkeypatch.setattr(saving.os, where, crash)
    with pytest.raises(Crash):
        MLP(2, [3, 1], seed=2).save(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert MLP.load(path).state_dict() == old.state_dict()
    assert os.listdir(tmp_path) == ["model.json"]  # the temporary file is gone


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_a_saved_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        MLP(2, [1]).save(tmp_path / "m.json")
    finally:
        os.umask(umask)
    assert (tmp_path / "m.json").stat().st_mode & 0o777 == 0o644
