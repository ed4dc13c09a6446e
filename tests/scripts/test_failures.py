"""What a careless or unlucky learner does to train.py and test.py: one line, exit status 2, nothing left behind.

Issue 23's inputs, each fed as a learner would type it.  The scripts run in this process
(``main(argv)``, as ``python scripts/train.py`` calls it) on small data, so each case takes a
second or two; ``COURSE_RUNS_DIR`` points at a fresh folder, so "nothing left behind" can be
checked by listing it.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
import torch

from helpers import REPO_ROOT
from scripts import test as test_py
from scripts import train as train_py
from scripts.model import build_model, load_model, make_checkpoint
from utils.data import CIFAR10_CLASSES

SAMPLE = REPO_ROOT / "sample" / "cifar10"
QUICK = ["--epochs", "1", "--device", "cpu", "--no-progress"]


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """One torch thread: these runs are tiny, and the test machine's cores are shared (spinning threads cost more)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture
def runs(tmp_path, monkeypatch) -> Path:
    """Where train.py puts a run without --out: empty, and not there yet."""
    folder = tmp_path / "runs"
    monkeypatch.setenv("COURSE_RUNS_DIR", str(folder))
    return folder


def one_line_error(capsys, prog: str, *words: str) -> str:
    """The single stderr line of a failed run (and nothing on stdout, unless ``stdout_ok``)."""
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith(f"{prog}: error: "), err
    assert "Traceback" not in err
    for word in words:
        assert word in err, err
    return err


def train(capsys, *args: str) -> tuple[int, str, str]:
    code = train_py.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def image_folder(root: Path, classes: list[str], train_images: int = 6, test_images: int = 3) -> Path:
    """A ``folder:`` data set with the given class names, made of sample images (real 32x32 PNGs)."""
    originals = sorted(p.name for p in (SAMPLE / "train").iterdir())
    for split, count in (("train", train_images), ("test", test_images)):
        for i, name in enumerate(classes):
            source = SAMPLE / split / originals[i % len(originals)]
            (root / split / name).mkdir(parents=True)
            for image in sorted(source.glob("*.png"))[:count]:
                shutil.copy(image, root / split / name / image.name)
    return root


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> str:
    """``folder:`` data of 10 classes, 8 training and 2 test images each: a run takes a second, not the sample's 600 tests."""
    return f"folder:{image_folder(tmp_path_factory.mktemp('small') / 'images', list(CIFAR10_CLASSES), 8, 2)}"


def huge_png(path: Path, width: int = 20_000, height: int = 10_000) -> Path:
    """A tiny file whose PNG header says 200 megapixels: PIL refuses it (DecompressionBombError) on opening."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))
    return path


# ----------------------------------------------------------------------------- 1. folder: with 3 or 12 classes
@pytest.mark.parametrize("count, model", [(3, "tudui"), (12, "fast")])
def test_a_folder_with_any_number_of_classes_trains_and_its_checkpoint_works(tmp_path, runs, capsys, count, model):
    classes = [f"class{i:02d}" for i in range(count)]
    data = image_folder(tmp_path / "images", classes)
    out = tmp_path / "out"
    code, stdout, err = train(capsys, "--model", model, "--data-source", f"folder:{data}", "--batch-size", "8",
                              "--out", str(out), *QUICK)
    assert code == 0, err
    assert f"classes: {', '.join(classes)}" in stdout and any(line.startswith("test accuracy: ") for line in stdout.splitlines()[-2:])
    checkpoint = torch.load(out / f"{model}.pt", weights_only=True)
    assert checkpoint["classes"] == classes  # the checkpoint records the class count
    loaded, _ = load_model(out / f"{model}.pt")
    assert loaded(torch.zeros(1, 3, 32, 32)).shape == (1, count)
    image = next((data / "test" / classes[-1]).glob("*.png"))
    assert test_py.main([str(out / f"{model}.pt"), str(image)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"{image}: class") and "(p=" in line and "nan" not in line


def test_a_folder_with_one_class_is_refused_before_anything_loads(tmp_path, runs, capsys):
    data = image_folder(tmp_path / "images", ["cats"])
    assert train_py.main(["--data-source", f"folder:{data}", *QUICK]) == 2
    one_line_error(capsys, "train.py", "has one class folder (cats)", "at least two")
    assert not runs.exists(), "nothing is written"


def test_a_ten_score_model_on_twelve_classes_is_one_line_not_an_index_error(tmp_path):
    """A lesson that builds Tudui() (10 scores) for a 12-class folder: DataError, not ``IndexError: Target 11``."""
    from torch.utils.data import DataLoader

    from utils.data import load_cifar10
    from utils.errors import DataError
    from utils.models import Tudui
    from utils.training import fit

    data = load_cifar10(True, f"folder:{image_folder(tmp_path / 'images', [f'c{i:02d}' for i in range(12)])}")
    model = Tudui()
    with pytest.raises(DataError) as err:
        fit(model, DataLoader(data, batch_size=100), torch.nn.CrossEntropyLoss(),
            torch.optim.SGD(model.parameters(), lr=0.01), 1, torch.device("cpu"), progress=False)
    assert "the model gives only 10 scores" in str(err.value) and "num_classes" in str(err.value)
    assert "\n" not in str(err.value)


# ----------------------------------------------------------------------------- 2. the fast recipe with 5 steps
def test_the_fast_recipe_with_five_steps_trains(runs, capsys, small):
    code, stdout, err = train(capsys, "--model", "fast", "--data-source", small, "--num-images", "80",
                              "--batch-size", "16", *QUICK)
    assert code == 0, err
    assert "total_train_step: 5," in stdout and stdout.splitlines()[-2].startswith("test accuracy: ")


# ----------------------------------------------------------------------------- 3. an --out that cannot be written
@pytest.mark.parametrize("where, words", [
    ("inside a file", "is a file, not a folder"),
    ("a file", "it is a file"),
    ("empty", "--out needs a folder path"),
])
def test_an_out_that_is_not_a_folder_is_refused_before_the_data_loads(tmp_path, runs, capsys, where, words):
    afile = tmp_path / "notes.txt"
    afile.write_text("mine")
    out = {"inside a file": str(afile / "run"), "a file": str(afile), "empty": ""}[where]
    code, stdout, err = train(capsys, "--data-source", "sample", "--out", out, *QUICK)
    assert code == 2 and stdout == "", "stopped before the data loaded (nothing printed)"
    assert len(err.splitlines()) == 1 and err.startswith("train.py: error: --out") and words in err, err
    assert afile.read_text() == "mine" and sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write into a read-only folder")
def test_a_read_only_out_is_refused_before_the_data_loads(tmp_path, runs, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        code, stdout, err = train(capsys, "--data-source", "sample", "--out", str(locked / "run"), *QUICK)
    finally:
        locked.chmod(0o755)
    assert code == 2 and stdout == "" and len(err.splitlines()) == 1 and "cannot be written" in err, err
    assert list(locked.iterdir()) == []


def test_an_out_that_cannot_be_written_is_refused_and_what_was_made_is_removed(tmp_path, runs, capsys, monkeypatch):
    """The same check where the machine says no (a read-only disk, a folder of another user), simulated."""
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(train_py.tempfile, "TemporaryFile", refuse)
    code, stdout, err = train(capsys, "--data-source", "sample", "--out", str(tmp_path / "new" / "run"), *QUICK)
    assert code == 2 and stdout == ""
    assert len(err.splitlines()) == 1 and "cannot be written (no permission to write there)" in err, err
    assert not (tmp_path / "new").exists(), "the folders it made are removed again"
    code, stdout, err = train(capsys, "--data-source", "sample", *QUICK)  # the default runs/train/<time>/ too
    assert code == 2 and len(err.splitlines()) == 1 and not runs.exists()
    assert "the run cannot be saved in" in err and "cannot be written" in err and "give --out a folder" in err, err


# ----------------------------------------------------------------------------- 5. an image PIL refuses
def test_an_enormous_image_is_one_line(tmp_path, capsys):
    checkpoint = tmp_path / "tudui.pt"
    torch.save(make_checkpoint("tudui", build_model("tudui"), list(CIFAR10_CLASSES), None), checkpoint)
    huge = huge_png(tmp_path / "panorama.png")
    assert test_py.main([str(checkpoint), str(huge)]) == 2
    one_line_error(capsys, "test.py", "panorama.png is far too large to open safely")
    assert capsys.readouterr().out == ""


def test_an_enormous_image_in_a_folder_is_one_line(tmp_path, runs, capsys):
    data = image_folder(tmp_path / "images", ["a", "b"])
    huge_png(data / "test" / "b" / "huge.png")
    code, _, err = train(capsys, "--data-source", f"folder:{data}", "--out", str(tmp_path / "out"), *QUICK)
    assert code == 2 and len(err.splitlines()) == 1 and "huge.png is far too large to open safely" in err, err
    assert not (tmp_path / "out").exists(), "the run's folder is removed again"


# ----------------------------------------------------------------------------- 6. seeds beyond 64 bits
@pytest.mark.parametrize("seed", [str(2**64), str(10**30)])
def test_a_seed_beyond_64_bits_is_one_line(runs, capsys, seed):
    with pytest.raises(SystemExit) as stop:
        train_py.main(["--seed", seed, *QUICK])
    assert stop.value.code == 2
    one_line_error(capsys, "train.py", "argument --seed: must be a whole number from 0 to 18446744073709551615")
    assert not runs.exists()


# ----------------------------------------------------------------------------- 7. a run that diverges
@pytest.mark.parametrize("images", ["64", "0"])  # nan in the last step's weights (one step), or in step 2's loss
def test_a_diverged_run_stops_with_one_line_and_saves_nothing(tmp_path, runs, capsys, small, images):
    code, _, err = train(capsys, "--lr", "1e30", "--data-source", small, "--num-images", images, *QUICK)
    assert code == 2
    assert len(err.splitlines()) == 1 and "the training diverged" in err and "no checkpoint was saved" in err, err
    assert not runs.exists(), "no checkpoint, no stub events file, no empty run folder"


def test_a_diverged_run_leaves_an_existing_out_folder_as_it_was(tmp_path, runs, capsys, small):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    code, _, err = train(capsys, "--lr", "1e30", "--data-source", small, "--num-images", "64", "--out", str(out),
                         *QUICK)
    assert code == 2 and "diverged" in err
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_a_checkpoint_with_nan_weights_is_refused_by_test_py(tmp_path, capsys):
    model = build_model("tudui")
    with torch.no_grad():
        model.model1[0].weight.fill_(float("nan"))
    checkpoint = tmp_path / "diverged.pt"
    torch.save(make_checkpoint("tudui", model, list(CIFAR10_CLASSES), None), checkpoint)
    image = next((SAMPLE / "test" / "cat").glob("*.png"))
    assert test_py.main([str(checkpoint), str(image)]) == 2
    one_line_error(capsys, "test.py", "nan or infinite", "smaller --lr")


# ----------------------------------------------------------------------------- smaller
def test_a_good_run_writes_readable_files_and_prints_quoted_hints(tmp_path, runs, capsys, small):
    """Also: the largest seed (2**64 - 1) trains."""
    out = tmp_path / "my runs" / "first try"
    code, stdout, err = train(capsys, "--data-source", small, "--num-images", "32", "--seed", str(2**64 - 1),
                              "--out", str(out), *QUICK)
    assert code == 0, err
    checkpoint = out / "tudui.pt"
    events = list(out.glob("events.out.tfevents.*"))
    mask = os.umask(0)
    os.umask(mask)
    assert checkpoint.stat().st_mode & 0o777 == 0o666 & ~mask, "a checkpoint is a file like any other, not 0600"
    assert events and events[0].stat().st_mode & 0o777 == checkpoint.stat().st_mode & 0o777
    assert f"tensorboard --logdir '{out}'" in stdout or f"-m tensorboard.main --logdir '{out}'" in stdout
    assert f"python scripts/test.py '{checkpoint}' IMAGE" in stdout


def test_a_folder_given_as_checkpoint_is_named_a_folder(tmp_path, capsys):
    (tmp_path / "run").mkdir()
    torch.save(make_checkpoint("tudui", build_model("tudui"), list(CIFAR10_CLASSES), None), tmp_path / "run" / "tudui.pt")
    image = next((SAMPLE / "test" / "cat").glob("*.png"))
    assert test_py.main([str(tmp_path / "run"), str(image)]) == 2
    one_line_error(capsys, "test.py", "is a folder, not a checkpoint (it holds tudui.pt)")
    assert test_py.main([str(tmp_path / "run" / "tudui.pt"), str(tmp_path)]) == 2
    one_line_error(capsys, "test.py", "is a folder, not an image")


# ----------------------------------------------------------------------------- issue 29: stopped, killed, full, shared
def start_train(*args: str, env: dict | None = None, **popen) -> subprocess.Popen:
    """``python scripts/train.py ARGS`` as a learner starts it, in its own process."""
    environment = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", **(env or {})}
    return subprocess.Popen([sys.executable, "scripts/train.py", *args], cwd=REPO_ROOT, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", **popen)


def wait_for(condition, seconds: float = 120, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}")
        time.sleep(0.05)


def event_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("events.out.tfevents.*")) if folder.is_dir() else []


def test_two_runs_in_one_out_never_touch_each_others_files(tmp_path):
    """Issue 29, item 2: Ctrl-C on the first of two runs with the same --out removed the folder, the second run's
    event file included.  Each run now owns the folders it made and the event files with its own suffix."""
    from torch.utils.tensorboard import SummaryWriter

    out = tmp_path / "shared"
    first, second = train_py.OutputFolder(str(out)), train_py.OutputFolder(str(out))
    first.prepare()
    writer_1 = SummaryWriter(str(out), filename_suffix=first.suffix)
    second.prepare()
    writer_2 = SummaryWriter(str(out), filename_suffix=second.suffix)
    writer_2.add_scalar("test/accuracy", 0.5, 1)
    (out / "tudui.pt").write_bytes(b"the second run's checkpoint")
    assert first.made == [out] and second.made == [] and first.suffix != second.suffix
    writer_1.close()
    first.discard()  # what a Ctrl-C on the first run does
    writer_2.add_scalar("test/accuracy", 0.6, 2)
    writer_2.close()  # the second run goes on and ends well
    assert out.is_dir() and (out / "tudui.pt").read_bytes() == b"the second run's checkpoint"
    assert [p.name.endswith(second.suffix) for p in event_files(out)] == [True]
    second.discard()  # and had the second failed instead: it leaves the folder the first made (not its own)
    assert sorted(p.name for p in out.iterdir()) == ["tudui.pt"]


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_a_killed_run_ends_like_ctrl_c_and_leaves_the_other_run_alone(tmp_path, small, signame):
    """Issue 29, items 2 and 3: SIGTERM or SIGHUP during train.py left its event file, no checkpoint and no message.
    Two real runs share one --out; the signal goes to the first: it ends with one line and status 128 + signal,
    its own event file is gone, and the second run's files are untouched."""
    if not hasattr(signal, signame):
        pytest.skip(f"no {signame} on this system")
    out = tmp_path / "runs" / "shared"
    long = ["--data-source", small, "--epochs", "200", "--device", "cpu", "--no-progress", "--out", str(out)]
    first = start_train(*long)
    wait_for(lambda: len(event_files(out)) == 1 or first.poll() is not None, what="the first run's event file")
    second = start_train(*long)
    try:
        wait_for(lambda: len(event_files(out)) == 2 or second.poll() is not None, what="the second run's event file")
        theirs = next(p for p in event_files(out) if f".{second.pid}-" in p.name)
        first.send_signal(getattr(signal, signame))
        stdout, stderr = first.communicate(timeout=60)
        assert first.returncode == 128 + getattr(signal, signame), stderr
        assert stderr.splitlines() == [f"train.py: interrupted ({signame}); no checkpoint was saved"], stderr
        assert event_files(out) == [theirs] and second.poll() is None, "the second run and its file are untouched"
    finally:
        second.send_signal(signal.SIGINT)  # Ctrl-C: the second run cleans up after itself as well
        stdout, stderr = second.communicate(timeout=60)
    assert (second.returncode, stderr.splitlines()) == (130, ["train.py: interrupted (Ctrl-C); no checkpoint was saved"]), stderr
    # the folder the first run made stays (the second was using it then), empty: no file of either run is left
    assert list(out.iterdir()) == []


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_ctrl_c_while_torch_is_still_loading_is_one_line(tmp_path):
    """Issue 29, item 6: Ctrl-C in the first seconds of train.py (while torch loads) gave a KeyboardInterrupt traceback."""
    run = start_train("--data-source", "sample", "--out", str(tmp_path / "out"))
    time.sleep(0.8)  # Python is up, torch is still loading
    run.send_signal(signal.SIGINT)
    stdout, stderr = run.communicate(timeout=60)
    assert run.returncode == 130, stderr
    assert stderr.splitlines() == ["train.py: interrupted (Ctrl-C); no checkpoint was saved"], stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs resource limits (POSIX)")
def test_a_checkpoint_on_a_full_disk_is_one_line_and_leaves_nothing(tmp_path, small):
    """Issue 29, item 5: a checkpoint that did not fit gave torch's ``RuntimeError: unexpected pos …`` traceback.
    ``ulimit -f`` (200 KB: room for the event file, not for the 0.6 MB checkpoint) stands for a full disk."""
    import resource

    out = tmp_path / "run"
    limit = 200_000

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))

    run = start_train("--data-source", small, "--num-images", "16", "--out", str(out), *QUICK, preexec_fn=small_files)
    stdout, stderr = run.communicate(timeout=120)
    assert run.returncode == 2, stderr
    assert stderr.splitlines() == [f"train.py: error: {out / 'tudui.pt'}: the file is larger than this system allows; "
                                   "no checkpoint was saved"], stderr
    assert not out.exists(), "no checkpoint, no temporary file, no event file, no folder"


def chinese_folder(root: Path) -> str:
    """A ``folder:`` of two classes named in Chinese, 4 training and 2 test images each."""
    image_folder(root, ["猫", "狗"], 4, 2)
    return f"folder:{root}"


def test_chinese_names_on_a_terminal_that_cannot_show_them(tmp_path):
    """Issue 29, item 6: with PYTHONIOENCODING=cp1252 (or ascii) train.py died printing a Chinese path, test.py
    printing a Chinese class name (UnicodeEncodeError).  They are now printed as \\uXXXX."""
    out = tmp_path / "我的训练"
    run = start_train("--data-source", chinese_folder(tmp_path / "图像"), "--out", str(out), *QUICK,
                      env={"PYTHONIOENCODING": "cp1252"})
    stdout, stderr = run.communicate(timeout=120)
    assert run.returncode == 0, stderr
    assert "\\u6211\\u7684\\u8bad\\u7ec3" in stdout and "classes: \\u72d7, \\u732b" in stdout
    image = next((tmp_path / "图像" / "test" / "猫").glob("*.png"))
    test = subprocess.run([sys.executable, "scripts/test.py", str(out / "tudui.pt"), str(image)], cwd=REPO_ROOT,
                          capture_output=True, env={**os.environ, "PYTHONIOENCODING": "ascii"})
    assert test.returncode == 0, test.stderr
    assert re.fullmatch(rb".*\.png: \\u(732b|72d7) \(p=0\.\d\d\)\n", test.stdout.replace(b"\r\n", b"\n")), test.stdout


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no named pipes on this system")
def test_a_pipe_named_like_an_image_is_one_line_not_a_hang(tmp_path, capsys):
    """Issue 29, item 6: test.py waited for ever on a FIFO called x.png."""
    checkpoint = tmp_path / "tudui.pt"
    torch.save(make_checkpoint("tudui", build_model("tudui"), list(CIFAR10_CLASSES), None), checkpoint)
    os.mkfifo(tmp_path / "x.png")
    assert test_py.main([str(checkpoint), str(tmp_path / "x.png")]) == 2
    one_line_error(capsys, "test.py", "x.png is not a file (a pipe, a device or a broken link)")


def test_hidden_files_in_a_folder_are_left_out_and_named(tmp_path, runs, capsys):
    """Issue 29, items 7 and 8: .ipynb_checkpoints in train/ and macOS's ._x.png are not classes or images: train.py
    leaves them out and says so in a note."""
    root = image_folder(tmp_path / "images", ["cat", "dog"], 4, 2)
    (root / "train" / ".ipynb_checkpoints").mkdir()
    (root / "train" / "cat" / "._0.png").write_bytes(b"\0\5\26\7")
    code, stdout, err = train(capsys, "--data-source", f"folder:{root}", "--out", str(tmp_path / "run"), *QUICK)
    assert code == 0, err
    assert "note: 2 hidden file(s) or folder(s) left out (names that start with a dot):" in stdout
    assert ".ipynb_checkpoints" in stdout and "._0.png" in stdout and "classes: cat, dog" in stdout


# ----------------------------------------------------------------------------- issue 28, item 3: the user's language
def test_train_py_speaks_chinese_on_a_chinese_system_and_english_otherwise(tmp_path):
    for lang, expected in [("zh_CN.UTF-8", "train.py: error: 参数 --epochs：必须是不小于 1 的整数（而你给的是 '0'）"),
                           ("en_US.UTF-8", "train.py: error: argument --epochs: must be a whole number >= 1 (got '0')")]:
        env = {k: v for k, v in os.environ.items() if k not in ("COURSE_LANGUAGE", "LC_ALL", "LC_MESSAGES")}
        proc = subprocess.run([sys.executable, "scripts/train.py", "--epochs", "0"], cwd=REPO_ROOT, capture_output=True,
                              text=True, encoding="utf-8", env={**env, "LANG": lang}, timeout=120)
        assert proc.returncode == 2 and proc.stderr.splitlines() == [expected], proc.stderr


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP (Windows)")
def test_a_run_under_nohup_outlives_its_terminal(tmp_path, small):
    """The README's `nohup python scripts/train.py … &`: SIGHUP is ignored, and stays ignored (a closed terminal
    does not stop the run); SIGTERM still does."""
    out = tmp_path / "run"
    run = start_train("--data-source", small, "--epochs", "200", "--device", "cpu", "--no-progress", "--out", str(out),
                      preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    try:
        wait_for(lambda: event_files(out) or run.poll() is not None, what="the run's event file")
        run.send_signal(signal.SIGHUP)
        time.sleep(1.0)
        assert run.poll() is None, "SIGHUP stopped a run started under nohup"
    finally:
        run.send_signal(signal.SIGTERM)
        stdout, stderr = run.communicate(timeout=60)
    assert run.returncode == 143 and stderr.splitlines() == ["train.py: interrupted (SIGTERM); no checkpoint was saved"]
