"""Regression tests of issue 13 for model files: integrity, bounded reading, write-through.

Every device node, FIFO and symbolic link here is made inside tmp_path: the tests run as
root on some machines, and a save over a system device would replace it.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from autograd.cli import main
from autograd.files import HardLinkSplitWarning, NotARegularFileError, write_atomically
from autograd.nn import MLP, saving
from autograd.nn.saving import ModelFileError

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file kinds and modes")


def saved(tmp_path: Path, seed: int = 0, name: str = "m.json") -> Path:
    path = tmp_path / name
    MLP(2, [3, 1], seed=seed).save(path)
    return path


def test_a_changed_digit_is_refused_by_the_checksum(tmp_path: Path) -> None:
    path = saved(tmp_path)
    document = json.loads(path.read_text())
    name, value = next(iter(document["parameters"].items()))
    text = path.read_text()
    old = json.dumps(value)
    digit = next(i for i, c in enumerate(old) if c in "123456789")
    new = old[:digit] + ("1" if old[digit] != "1" else "2") + old[digit + 1 :]
    path.write_text(text.replace(f'"{name}": {old}', f'"{name}": {new}', 1))
    with pytest.raises(ModelFileError, match="checksum does not match"):
        MLP.load(path)


def test_the_checksum_ignores_layout(tmp_path: Path) -> None:
    path = saved(tmp_path)
    document = json.loads(path.read_text())
    path.write_text(json.dumps(document, indent=4))
    assert MLP.load(path).state_dict() == MLP(2, [3, 1]).state_dict()


def test_a_file_larger_than_the_cap_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with open(path, "wb") as file:  # sparse: costs no disk and no time
        file.truncate(saving.MAX_FILE_BYTES + 1)
    with pytest.raises(ModelFileError, match="larger than 67,108,864 bytes"):
        MLP.load(path)


@POSIX
def test_a_device_is_refused_unread(tmp_path: Path) -> None:
    zero = tmp_path / "zero"
    os.mknod(zero, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # our own /dev/zero
    with pytest.raises(ModelFileError, match="is a character device"):
        MLP.load(zero)


@POSIX
def test_a_fifo_without_a_writer_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    # In a child, so that the old behaviour (blocking forever) fails instead of hanging.
    code = f"from autograd.nn import MLP\nMLP.load({str(fifo)!r})"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert "is a FIFO (named pipe); a model file must be a regular file" in done.stderr


def test_a_directory_is_refused_for_loading_and_saving(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="is a directory"):
        MLP.load(tmp_path)
    with pytest.raises(NotARegularFileError, match="refusing to write over a directory"):
        MLP(2, [1]).save(tmp_path)


@POSIX
def test_saving_over_a_device_or_fifo_is_refused_and_leaves_it(tmp_path: Path) -> None:
    full = tmp_path / "full"
    os.mknod(full, stat.S_IFCHR | 0o600, os.makedev(1, 7))  # our own /dev/full
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path, kind in ((full, "a character device"), (fifo, "a FIFO")):
        with pytest.raises(NotARegularFileError, match=f"refusing to write over {kind}"):
            MLP(2, [1]).save(path)
    assert stat.S_ISCHR(full.lstat().st_mode) and stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(os.listdir(tmp_path)) == ["fifo", "full"]


@POSIX
def test_saving_through_a_symlink_replaces_its_target(tmp_path: Path) -> None:
    target = saved(tmp_path, seed=1, name="real.json")
    link = tmp_path / "link.json"
    link.symlink_to("real.json")
    MLP(2, [3, 1], seed=2).save(link)
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert MLP.load(target).state_dict() == MLP(2, [3, 1], seed=2).state_dict()


@POSIX
def test_saving_keeps_the_mode_of_the_file(tmp_path: Path) -> None:
    path = saved(tmp_path)
    path.chmod(0o600)
    MLP(2, [3, 1], seed=3).save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_missing_directory_is_named_not_a_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "m.json"
    with pytest.raises(FileNotFoundError) as caught:
        write_atomically(path, "x")
    assert caught.value.filename == str(path) and ".tmp" not in str(caught.value)


def test_a_huge_integer_parameter_is_a_model_file_error(tmp_path: Path) -> None:
    path = saved(tmp_path)
    document = json.loads(path.read_text())
    name = next(iter(document["parameters"]))
    document["parameters"][name] = 10**400
    document["sha256"] = saving.checksum(document)
    path.write_text(json.dumps(document))
    with pytest.raises(ModelFileError, match="too large for a float"):
        MLP.load(path)


SAVER = textwrap.dedent(
    """
    import sys
    from autograd.nn import MLP
    models = [MLP(2, [64, 64, 1], seed=s) for s in (1, 2)]
    k = 0
    while True:
        models[k % 2].save(sys.argv[1])
        k += 1
        if k == 3:
            print("saving", flush=True)
    """
)


@POSIX
@pytest.mark.parametrize("kill", range(4))
def test_a_kill_during_saves_leaves_the_old_or_new_file_and_no_temporary(
    tmp_path: Path, kill: int
) -> None:
    path = tmp_path / "m.json"
    child = subprocess.Popen(
        [sys.executable, "-c", SAVER, str(path)],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert child.stdout is not None
    assert child.stdout.readline() == b"saving\n"
    for _ in range(kill * 50):  # a different moment of the save loop each time
        os.stat(path)
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert os.listdir(tmp_path) == ["m.json"]
    loaded = MLP.load(path).state_dict()
    assert loaded in (MLP(2, [64, 64, 1], seed=s).state_dict() for s in (1, 2))


@POSIX
def test_saving_over_a_hard_link_splits_it_and_says_so(tmp_path: Path) -> None:
    path = saved(tmp_path, seed=0)
    other = tmp_path / "other-name.json"
    os.link(path, other)
    with pytest.warns(HardLinkSplitWarning, match="1 other hard link: .* keeps the old"):
        MLP(2, [3, 1], seed=1).save(path)
    assert MLP.load(path).state_dict() == MLP(2, [3, 1], seed=1).state_dict()
    assert MLP.load(other).state_dict() == MLP(2, [3, 1], seed=0).state_dict()


@POSIX
def test_the_command_line_notes_a_split_hard_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = saved(tmp_path)
    os.link(path, tmp_path / "other-name.json")
    assert main(["train", "xor", "--epochs", "1", "--save", str(path)]) == 0
    assert "other hard link: it now names the new file" in capsys.readouterr().err
    assert os.stat(path).st_nlink == 1
