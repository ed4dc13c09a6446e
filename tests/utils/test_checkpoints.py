"""utils.checkpoints: a new file per run, atomic writes, safe loading, nothing written into the repo."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

from utils import Tudui, paths
from utils import checkpoints
from utils.checkpoints import ENV_VAR, load_checkpoint, new_checkpoint_path, save_atomic, save_checkpoint
from utils.paths import checkpoint_root, portable_name


@pytest.fixture(autouse=True)
def private_checkpoint_dir(tmp_path, monkeypatch) -> Path:
    """Every test here writes under a temporary folder, never into the repository."""
    root = tmp_path / "ckpt"
    monkeypatch.setenv(ENV_VAR, str(root))
    return root


class Boom(RuntimeError):
    pass


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_root_follows_the_environment(private_checkpoint_dir, monkeypatch):
    assert checkpoint_root() == private_checkpoint_dir
    monkeypatch.delenv(ENV_VAR)
    assert checkpoint_root() == paths.REPO_ROOT / "checkpoints"


def test_save_and_load_a_state_dict(private_checkpoint_dir):
    torch.manual_seed(0)
    model = Tudui()
    path = save_checkpoint(model, "10_capstone")
    assert path.parent == private_checkpoint_dir / "10_capstone" and path.suffix == ".pt"
    assert files_in(path.parent) == [path.name]  # no temporary file left over
    fresh = Tudui()
    fresh.load_state_dict(load_checkpoint(path))
    x = torch.rand(2, 3, 32, 32)
    assert torch.equal(fresh(x), model(x))


def test_each_run_gets_a_new_file(private_checkpoint_dir):
    first = save_checkpoint({"w": torch.ones(2)}, "10_capstone")
    second = save_checkpoint({"w": torch.zeros(2)}, "10_capstone")
    assert first != second and first.exists() and second.exists()
    assert torch.equal(load_checkpoint(first)["w"], torch.ones(2))  # the first run is not overwritten
    assert portable_name(first.name) and portable_name(second.name)
    assert files_in(first.parent) == sorted([first.name, second.name])


def test_new_checkpoint_path_claims_an_empty_placeholder(tmp_path):
    first = new_checkpoint_path("10_capstone", root=tmp_path)
    second = new_checkpoint_path("10_capstone", root=tmp_path)
    assert first.parent == second.parent == tmp_path / "10_capstone"
    assert first != second and first.stat().st_size == 0 and first.suffix == ".pt"
    assert new_checkpoint_path("x", root=tmp_path, suffix=".pth").suffix == ".pth"


def test_a_failed_save_leaves_no_placeholder(private_checkpoint_dir, monkeypatch):
    def dying_save(obj, f, *args, **kwargs):
        raise Boom("disk full, say")

    monkeypatch.setattr(checkpoints.torch, "save", dying_save)
    with pytest.raises(Boom):
        save_checkpoint({"w": torch.ones(2)}, "10_capstone")
    assert files_in(private_checkpoint_dir / "10_capstone") == []


def test_load_maps_to_the_cpu(tmp_path):
    path = save_atomic({"w": torch.arange(3)}, tmp_path / "x.pt")
    assert load_checkpoint(path)["w"].device.type == "cpu"


def test_new_checkpoint_path_rejects_odd_lesson_names():
    for bad in ("", "../escape", ".hidden", "a/b", "CON", "a:b"):
        with pytest.raises(ValueError):
            new_checkpoint_path(bad)


def test_load_is_weights_only(tmp_path):
    """A file holding an arbitrary Python object is refused, not unpickled."""
    path = tmp_path / "object.pt"
    torch.save({"model": Tudui()}, path)  # a whole module, pickled
    with pytest.raises(Exception, match="[Ww]eights only load failed"):
        load_checkpoint(path)


def half_save(obj, f, *args, **kwargs):
    """A torch.save that dies half-way: some bytes are written, then an error."""
    f.write(b"PK\x03\x04 half a checkpoint")
    f.flush()
    raise Boom("disk full, say")


@pytest.mark.parametrize("error", [Boom, KeyboardInterrupt])
def test_interrupted_save_leaves_no_file(tmp_path, monkeypatch, error):
    target = tmp_path / "run.pt"

    def dying_save(obj, f, *args, **kwargs):
        f.write(b"half")
        raise error()

    monkeypatch.setattr(checkpoints.torch, "save", dying_save)
    with pytest.raises(error):
        save_atomic({"w": torch.ones(3)}, target)
    assert files_in(tmp_path) == []  # neither the final name nor a temporary file


def test_interrupted_overwrite_keeps_the_old_file(tmp_path, monkeypatch):
    target = save_atomic({"w": torch.ones(3)}, tmp_path / "run.pt")
    before = target.read_bytes()
    monkeypatch.setattr(checkpoints.torch, "save", half_save)
    with pytest.raises(Boom):
        save_atomic({"w": torch.zeros(3)}, target)
    assert files_in(tmp_path) == ["run.pt"]
    assert target.read_bytes() == before
    assert torch.equal(load_checkpoint(target)["w"], torch.ones(3))


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_failure_after_writing_leaves_no_file(tmp_path, monkeypatch, step):
    def fail(*args, **kwargs):
        raise OSError(f"{step} failed")

    monkeypatch.setattr(checkpoints.os, step, fail)
    with pytest.raises(OSError, match=f"{step} failed"):
        save_atomic({"w": torch.ones(3)}, tmp_path / "run.pt")
    assert files_in(tmp_path) == []


def test_data_is_on_disk_before_the_rename(tmp_path, monkeypatch):
    """os.replace is only called once the temporary file is complete and fsync-ed."""
    calls = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        calls.append("fsync")
        return real_fsync(fd)

    def replace(src, dst):
        calls.append("replace")
        assert Path(src).parent == Path(dst).parent  # same folder: an atomic rename
        assert torch.equal(torch.load(src, weights_only=True)["w"], torch.arange(4))
        return real_replace(src, dst)

    monkeypatch.setattr(checkpoints.os, "fsync", fsync)
    monkeypatch.setattr(checkpoints.os, "replace", replace)
    save_atomic({"w": torch.arange(4)}, tmp_path / "run.pt")
    assert calls[:2] == ["fsync", "replace"]


def test_relative_paths_start_at_the_repo_root(monkeypatch, tmp_path):
    """A relative $COURSE_CHECKPOINT_DIR is taken from the repo root, like every course path."""
    monkeypatch.setenv(ENV_VAR, "checkpoints-test-relative")
    assert checkpoint_root() == paths.REPO_ROOT / "checkpoints-test-relative"
