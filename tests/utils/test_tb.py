"""utils.tb: one new TensorBoard run folder per run, under runs/<lesson>/; nothing is overwritten."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from utils import make_writer, paths
from utils.tb import new_run_dir


def test_run_dirs_never_collide_and_earlier_runs_are_kept(tmp_path):
    dirs = [new_run_dir("03_convolution", root=tmp_path) for _ in range(5)]
    assert len(set(dirs)) == 5
    assert all(d.parent == tmp_path / "03_convolution" and d.is_dir() for d in dirs)
    assert re.fullmatch(r"\d{8}-\d{6}", dirs[0].name) and dirs[1].name.startswith(dirs[0].name[:8])
    (dirs[0] / "keep.txt").write_text("earlier run")
    writer = make_writer("03_convolution", root=tmp_path)
    writer.add_scalar("x", 1.0, 0)
    writer.close()
    assert Path(writer.log_dir).parent == tmp_path / "03_convolution" and Path(writer.log_dir) not in dirs
    assert (dirs[0] / "keep.txt").read_text() == "earlier run"
    assert any(p.name.startswith("events.out.tfevents") for p in Path(writer.log_dir).iterdir())


def test_runs_go_under_the_runs_root_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RUNS_DIR", str(tmp_path / "elsewhere"))
    run = new_run_dir("10_capstone")
    assert run.parent == tmp_path / "elsewhere" / "10_capstone" == paths.runs_root() / "10_capstone"


@pytest.mark.parametrize("bad", ["", "../x", "a/b", ".hidden", "CON", "a:b"])
def test_run_dir_rejects_odd_lesson_names(tmp_path, bad):
    with pytest.raises(ValueError):
        new_run_dir(bad, root=tmp_path)
    assert list(tmp_path.iterdir()) == []



def test_no_event_file_until_something_is_logged(tmp_path):
    """A run that stops before logging (a wrong parameter, say) leaves no stub event file."""
    writer = make_writer("10_capstone", root=tmp_path)
    folder = Path(writer.log_dir)
    assert list(folder.iterdir()) == []
    writer.flush()
    writer.close()
    assert list(folder.iterdir()) == [], "closing an unused writer writes nothing"
    writer = make_writer("10_capstone", root=tmp_path)
    writer.add_scalar("train/loss", 2.3, 0)
    writer.close()
    events = list(Path(writer.log_dir).glob("events.out.tfevents.*"))
    assert len(events) == 1 and events[0].stat().st_size > 0
