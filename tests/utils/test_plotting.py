"""utils.tb, utils.plotting, utils.results, utils.paths, utils.lesson."""
from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import pytest
import torch

from utils import (DataError, DeviceError, ParameterError, make_writer, new_run_dir, plot_curves, read_results,
                   record, show_feature_maps, show_images, start_lesson)
from utils import paths
from utils.results import MIME_TYPE


def test_run_dirs_never_collide(tmp_path):
    dirs = [new_run_dir("02_convolution", root=tmp_path) for _ in range(5)]
    assert len(set(dirs)) == 5
    assert all(d.parent == tmp_path / "02_convolution" and d.is_dir() for d in dirs)
    (dirs[0] / "keep.txt").write_text("earlier run")
    writer = make_writer("02_convolution", root=tmp_path)
    writer.add_scalar("x", 1.0, 0)
    writer.close()
    assert (dirs[0] / "keep.txt").read_text() == "earlier run"
    assert any(p.name.startswith("events.out.tfevents") for p in __import__("pathlib").Path(writer.log_dir).iterdir())


@pytest.mark.parametrize("bad", ["", "../x", "a/b", ".hidden"])
def test_run_dir_rejects_odd_names(tmp_path, bad):
    with pytest.raises(ValueError):
        new_run_dir(bad, root=tmp_path)


def test_runs_root_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_RUNS_DIR", str(tmp_path))
    assert paths.runs_root() == tmp_path
    monkeypatch.delenv("COURSE_RUNS_DIR")
    assert paths.runs_root() == paths.REPO_ROOT / "runs"


def test_paths_are_shown_relative_to_the_repo():
    assert paths.show(paths.REPO_ROOT / "data" / "x") == "data/x"
    assert paths.resolve("data") == paths.REPO_ROOT / "data"
    assert paths.resolve("/abs/path").as_posix() == "/abs/path"


def test_show_images_and_feature_maps():
    imgs = torch.rand(10, 3, 32, 32)
    fig = show_images(imgs, labels=torch.arange(10), classes=[f"c{i}" for i in range(10)], ncols=5, title="t")
    titled = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titled == [f"c{i}" for i in range(10)] and len(fig.axes) == 10
    fig = show_images(torch.randn(4, 1, 8, 8) * 5)  # out-of-range values are rescaled, not clipped
    assert fig.axes[0].images[0].get_array().max() <= 1
    fig = show_feature_maps(torch.randn(2, 6, 30, 30), ncols=3)
    assert len(fig.axes) == 6 and fig.axes[5].get_title() == "channel 5"
    with pytest.raises(ValueError):
        show_images(torch.rand(3, 32, 32))
    with pytest.raises(ValueError):
        show_feature_maps(torch.rand(32))


def test_plot_curves():
    fig = plot_curves({"SGD": [3, 2, 1], "Adam": [3, 1, 0.5]}, title="loss")
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.lines] == ["SGD", "Adam"]
    assert list(ax.lines[0].get_xdata()) == [1, 2, 3]


def test_record_round_trip(capsys, monkeypatch):
    shown = []
    monkeypatch.setattr("utils.results._emit", shown.append)
    record("final_loss", torch.tensor(0.25))
    record("shape", torch.Size([64, 10]))
    record("accs", [torch.tensor(0.5), 0.75])
    nb = {"cells": [{"cell_type": "code", "outputs": [{"output_type": "display_data", "data": d}]} for d in shown]}
    assert read_results(json.loads(json.dumps(nb))) == {"final_loss": 0.25, "shape": [64, 10], "accs": [0.5, 0.75]}
    assert shown[0]["text/plain"] == "final_loss = 0.25" and MIME_TYPE in shown[0]
    with pytest.raises(TypeError):
        record("model", object())
    record("quiet", 1, show=False)
    assert "text/plain" not in shown[-1] and shown[-1][MIME_TYPE] == {"name": "quiet", "value": 1}


def test_record_outside_ipython_prints(capsys):
    record("x", 2)
    record("y", 3, show=False)
    assert capsys.readouterr().out == "x = 2\n"


def test_start_lesson_prints_one_line_each(capsys):
    lesson = start_lesson("unit", device="cpu", data_source="synthetic", seed=3, batch_size=8)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Device: cpu") and out[1].startswith("Data: synthetic") and out[2] == "Seed: 3"
    assert lesson.device == torch.device("cpu") and lesson.dataset(train=False, size=20).classes[0] == "disc"


@pytest.mark.parametrize("kwargs, error", [
    ({"device": "gpu"}, DeviceError), ({"data_source": "nope"}, DataError),
    ({"data_source": "folder:/no/such/dir"}, DataError), ({"seed": "x"}, ParameterError),
    ({"batch_size": 0}, ParameterError), ({"data_root": 5}, ParameterError),
])
def test_start_lesson_rejects_bad_parameters(kwargs, error, capsys):
    with pytest.raises(error):
        start_lesson("unit", **kwargs)
    assert capsys.readouterr().out == "", "nothing is printed (or done) before the parameters are checked"


def test_new_folder_never_reuses_a_name(tmp_path):
    from utils.paths import new_folder

    first = new_folder(tmp_path / "made", "stamp")
    second = new_folder(tmp_path / "made", "stamp")
    (second / "keep.txt").write_text("x")
    third = new_folder(tmp_path / "made", "stamp")
    assert [p.name for p in (first, second, third)] == ["stamp", "stamp-2", "stamp-3"]
    assert (second / "keep.txt").read_text() == "x" and not any(third.iterdir())
