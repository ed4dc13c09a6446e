"""tools/outputs.py: `make outputs` stores fresh CPU outputs, and refuses noise and local paths."""
from __future__ import annotations

import json

import nbformat
import pytest

from helpers import REPO_ROOT
from tools import notebooks, outputs

TQDM = "epoch 1: 100%|██████████| 24/24 [00:03<00:00,  7.52it/s, loss=2.301]\n"


def notebook(*outputs_per_cell, metadata=None) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(metadata=metadata or {})
    nb.cells = [nbformat.v4.new_markdown_cell("# A lesson")]
    for cell_outputs in outputs_per_cell:
        cell = nbformat.v4.new_code_cell("x = 1")
        cell.outputs = [nbformat.from_dict(o) for o in cell_outputs]
        nb.cells.append(cell)
    return nb


def stream(text: str, name: str = "stdout") -> dict:
    return {"output_type": "stream", "name": name, "text": text}


def plain(text: str) -> dict:
    return {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/plain": text}}


def test_clean_outputs_have_no_problems():
    nb = notebook([stream("Device: cpu (asked for device='cpu')\nSeed: 0\n")],
                  [plain("torch.Size([64, 3, 32, 32])")], [stream("epoch  1: train loss 2.3012\n")])
    assert outputs.problems(nb) == []


@pytest.mark.parametrize("output, problem", [
    (stream("/work/.venv/lib/python3.11/site-packages/torch/nn/modules/conv.py:456: UserWarning: Using padding='same'\n",
            "stderr"), "a warning"),
    (stream("FutureWarning: You are using torch.load with weights_only=False\n", "stderr"), "a warning"),
    (stream(TQDM, "stderr"), "a progress bar"),
    (stream("  0%|          | 0/24 [00:00<?, ?it/s]\n", "stderr"), "a progress bar"),
    (stream("100%|██████████| 3/3 [00:09<00:00,  3.01s/it]\n", "stderr"), "a progress bar"),
    (plain("Total mult-adds (Units.MEGABYTES): 12.35"), "torchinfo's units bug"),
    (stream(f"saved to {REPO_ROOT}/checkpoints/10_capstone/x.pt\n"), "a local path"),
    (stream("TensorBoard run folder: /home/ada/course/runs/10_capstone/20240101-120000\n"), "a local path"),
    (stream("data in /Users/ada/course/data\n"), "a local path"),
    (stream("checkpoint: C:\\Users\\ada\\course\\checkpoints\\x.pt\n"), "a local path"),
    ({"output_type": "error", "ename": "RuntimeError", "evalue": "boom", "traceback": []}, "an error"),
])
def test_problems_are_found(output, problem):
    nb = notebook([stream("fine\n")], [output])
    found = outputs.problems(nb)
    assert found and all(f.startswith("cell 2 ") for f in found), found
    assert any(problem in f for f in found), found


def test_clean_drops_widgets_and_timings():
    widget = {"output_type": "display_data", "metadata": {},
              "data": {outputs.WIDGET_MIME: {"model_id": "a", "version_major": 2, "version_minor": 0},
                       "text/plain": "HBox(children=(...))"}}
    nb = notebook([widget, stream("kept\n")], metadata={"widgets": {"state": {}}})
    nb.cells[1].metadata["execution"] = {"iopub.status.idle": "2024-01-01T00:00:00"}
    outputs.clean(nb)
    assert "widgets" not in nb.metadata and "execution" not in nb.cells[1].metadata
    assert [o.get("text") for o in nb.cells[1].outputs] == ["kept\n"]


def test_outputs_made_by_other_code_are_found():
    nb = notebook([stream("42\n")])
    assert notebooks.output_problems(nb, "notebooks/99_tiny.ipynb", strict=False) == ([], [
        "notebooks/99_tiny.ipynb: outputs not fingerprinted (made before make outputs recorded their code); "
        "run make outputs NB=notebooks/99_tiny.ipynb"])
    assert notebooks.output_problems(nb, "notebooks/99_tiny.ipynb")[0], "a failure by default (strict)"
    notebooks.fingerprint(nb)  # what make outputs does
    assert notebooks.output_problems(nb, "notebooks/99_tiny.ipynb", strict=True) == ([], [])
    nb.cells[0].source = "# A lesson, reworded"  # markdown: the outputs still come from the same code
    assert notebooks.output_problems(nb, "notebooks/99_tiny.ipynb") == ([], [])
    nb.cells[1].source = "x = 2"  # edited, not re-run
    assert notebooks.output_problems(nb, "notebooks/99_tiny.ipynb") == ([
        "notebooks/99_tiny.ipynb: its stored outputs were produced by other code than it now holds; "
        "run make outputs NB=notebooks/99_tiny.ipynb"], [])


def test_english_course_messages_are_found_in_outputs():
    nb = notebook([stream("TensorBoard run folder: runs/02\n")], [plain("Device: cpu")], [stream("设备：cpu\n")],
                  [stream("epoch  3: train loss 1.2\n")])
    notebooks.fingerprint(nb)
    failures, notes = notebooks.output_problems(nb, "notebooks/zh/99.ipynb", messages=True, strict=False)
    assert failures == [] and [n.split(" shows ")[1].split(",")[0] for n in notes] == [
        "the English message 'TensorBoard run folder:'", "the English message 'Device:'",
        "the English message 'epoch  3: train loss'"]
    assert len(notebooks.output_problems(nb, "notebooks/zh/99.ipynb", messages=True)[0]) == 3  # strict by default
    import os

    os.environ["COURSE_STRICT_OUTPUTS"] = "0"
    try:
        assert notebooks.output_problems(nb, "notebooks/zh/99.ipynb", messages=True)[0] == []
    finally:
        del os.environ["COURSE_STRICT_OUTPUTS"]
    assert notebooks.output_problems(nb, "notebooks/99.ipynb") == ([], []), "English outputs may hold them"


def test_missing_notebook_is_one_line(capsys, tmp_path):
    assert outputs.main([str(tmp_path / "nope.ipynb")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no such notebook") and len(err.splitlines()) == 1


@pytest.mark.notebook
def test_execute_stores_clean_outputs_and_refuses_noise(tmp_path):
    setup = json.loads((REPO_ROOT / "notebooks" / "00_setup.ipynb").read_text(encoding="utf-8"))
    nb = nbformat.v4.new_notebook(metadata=setup["metadata"])
    nb.cells = [nbformat.v4.new_markdown_cell("# 99 · tiny"),
                nbformat.v4.new_code_cell("print(6 * 7)"),
                nbformat.v4.new_code_cell("%tensorboard --logdir runs", metadata={"tags": ["nbval-skip"]}),
                nbformat.v4.new_markdown_cell("## More"),
                nbformat.v4.new_code_cell("from tqdm.auto import tqdm\nfor _ in tqdm(range(3)): pass")]
    good = tmp_path / "99_tiny.ipynb"
    nbformat.write(nb, good)
    assert outputs.execute(good)
    stored = nbformat.read(good, as_version=4)
    assert stored.cells[1].outputs[0]["text"] == "42\n"
    assert stored.metadata.course.outputs_from == notebooks.code_fingerprint(stored)
    assert stored.cells[2].outputs == [] and stored.cells[2].metadata["tags"] == ["nbval-skip"]
    assert all(outputs.WIDGET_MIME not in o.get("data", {}) for o in stored.cells[4].outputs)
    assert [c.metadata.slideshow.slide_type for c in stored.cells] == ["slide", "subslide", "-", "slide", "-"]
    noisy = tmp_path / "98_noisy.ipynb"
    nb.cells[1].source = "import warnings\nwarnings.warn('careful', UserWarning)"
    nbformat.write(nb, noisy)
    before = noisy.read_bytes()
    assert not outputs.execute(noisy)
    assert noisy.read_bytes() == before, "a refused notebook is left unchanged"


# --------------------------------------------------------------------------- the course messages outputs show
DATA_LINE = ("Data: the CIFAR-10 sample shipped in sample/cifar10, 1,500 training + 600 test images (asked for by "
             "data_source='sample'). For all 60,000 images run: make data\n")
ZH_DATA_LINE = ("数据：课程自带的 CIFAR-10 样本 sample/cifar10，1,500 张训练图像 + 600 张测试图像（参数 data_source='sample'）。"
                "要用全部 60,000 张图像，请运行：make data\n")


def test_fingerprint_records_the_messages_the_outputs_show():
    nb = notebook([stream(DATA_LINE)], [plain("42")], [stream("第  1 轮：训练损失 2.3012\n")])
    notebooks.fingerprint(nb)
    recorded = nb.metadata["course"]["messages"]
    assert sorted(recorded) == ["data.line_sample", "data.reason_asked", "training.epoch_line"]
    assert recorded["data.line_sample"].startswith("en:") and recorded["training.epoch_line"].startswith("zh:")
    both = notebook([stream(DATA_LINE + ZH_DATA_LINE)])
    notebooks.fingerprint(both)
    assert both.metadata["course"]["messages"]["data.line_sample"].startswith("en+zh:")


@pytest.mark.parametrize("lang, output", [("en", DATA_LINE), ("zh", ZH_DATA_LINE)])
def test_a_changed_message_makes_its_outputs_stale(monkeypatch, lang, output):
    from utils import messages

    nb = notebook([stream(output)])
    notebooks.fingerprint(nb)
    name = "notebooks/99_tiny.ipynb"
    assert notebooks.output_problems(nb, name) == ([], [])
    other = {"en": "zh", "zh": "en"}[lang]
    en, zh = messages.MESSAGES["data.line_sample"]
    monkeypatch.setitem(messages.MESSAGES, "data.line_sample", (en + " (new)", zh) if other == "en" else (en, zh + "。"))
    assert notebooks.output_problems(nb, name) == ([], []), "only the language the outputs show counts"
    monkeypatch.setitem(messages.MESSAGES, "data.line_sample", (en + " (new)", zh + "。"))
    assert notebooks.output_problems(nb, name, strict=False) == ([
        f"{name}: its outputs show the course message data.line_sample, whose text in utils/messages.py changed since "
        f"they were made; run make outputs NB={name}"], [])
    monkeypatch.delitem(messages.MESSAGES, "data.line_sample")
    assert notebooks.output_problems(nb, name, strict=False)[0] == [
        f"{name}: its outputs show the course message data.line_sample, which utils/messages.py no longer has; "
        f"run make outputs NB={name}"]


def test_unrecorded_messages_are_a_note_and_stamp_records_them(tmp_path, capsys):
    nb = notebook([stream(DATA_LINE)])
    notebooks.fingerprint(nb)
    del nb.metadata["course"]["messages"]  # stored before make outputs recorded them
    path = tmp_path / "99_tiny.ipynb"
    nbformat.write(nb, path)
    failures, notes = notebooks.output_problems(nb, str(path))
    assert failures == [] and notes == [f"{path}: the course messages its outputs show are not recorded; if its "
                                        f"outputs are current: python -m tools outputs --stamp {path}"]
    assert outputs.main(["--stamp", str(path)]) == 0
    stamped = nbformat.read(path, as_version=4)
    assert sorted(stamped.metadata.course.messages) == ["data.line_sample", "data.reason_asked"]
    assert notebooks.output_problems(stamped, str(path)) == ([], [])
    assert "stamped" in capsys.readouterr().out


def test_stamp_refuses_outputs_that_are_not_current(tmp_path, capsys, monkeypatch):
    from utils import messages

    nb = notebook([stream(DATA_LINE)])
    path = tmp_path / "99_tiny.ipynb"
    nbformat.write(nb, path)
    assert outputs.main(["--stamp", str(path)]) == 1, "not fingerprinted"
    notebooks.fingerprint(nb)
    nb.cells[1].source = "x = 2"  # edited, not re-run
    nbformat.write(nb, path)
    assert outputs.main(["--stamp", str(path)]) == 1
    nb.cells[1].source = "x = 1"
    nbformat.write(nb, path)
    en, zh = messages.MESSAGES["data.line_sample"]
    monkeypatch.setitem(messages.MESSAGES, "data.line_sample", (en.replace("Data:", "Images:"), zh))
    before = path.read_bytes()
    assert outputs.main(["--stamp", str(path)]) == 1, "stamping would hide the stale message"
    assert path.read_bytes() == before
    out = capsys.readouterr().out
    assert out.count("REFUSED") == 3 and "data.line_sample" in out


# ----------------------------------------------------------------------------- issue 29, item 4: written whole or not at all
def test_a_notebook_that_cannot_be_written_whole_is_left_as_it_was(tmp_path, small_files):
    """Issue 29, item 4: `tools outputs` under `ulimit -f 100` cut 00_setup.ipynb at 102,400 bytes (invalid JSON,
    the lesson lost) and printed a traceback.  The stored notebook (here a copy, re-stamped without running) is
    now replaced whole or not at all."""
    import subprocess
    import sys

    path = tmp_path / "00_setup.ipynb"
    path.write_bytes((REPO_ROOT / "notebooks" / "00_setup.ipynb").read_bytes())
    before = path.read_bytes()
    assert len(before) > 100 * 1024
    proc = subprocess.run([sys.executable, "-m", "tools", "outputs", "--stamp", str(path)], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120, preexec_fn=small_files(100 * 1024))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout.splitlines() == [f"FAILED {path}: could not be written (the file is larger than this system "
                                        "allows); the stored notebook is unchanged"], proc.stdout
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["00_setup.ipynb"]
    json.loads(path.read_text(encoding="utf-8"))


def test_a_read_only_notebooks_folder_is_refused_before_anything_runs(tmp_path, read_only, capsys, monkeypatch):
    """Issue 29, item 4: a read-only notebooks/ gave an OSError traceback after the whole run."""
    ran = []
    monkeypatch.setattr(outputs, "execute", lambda path: ran.append(path) or True)
    folder = tmp_path / "notebooks"
    folder.mkdir()
    path = folder / "00_setup.ipynb"
    path.write_bytes((REPO_ROOT / "notebooks" / "00_setup.ipynb").read_bytes())
    read_only(folder)
    assert outputs.main([str(path)]) == 2 and ran == []
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "cannot write" in err and "nothing was run" in err, err


def test_unwritable_names_a_read_only_folder(read_only_folder):
    problem = outputs.unwritable(read_only_folder / "00_setup.ipynb")
    assert problem is not None and "cannot be written" in problem
    assert outputs.unwritable(read_only_folder.parent / "elsewhere.ipynb") is None


def test_write_notebook_writes_what_nbformat_writes(tmp_path):
    nb = notebook([stream("hello\n")])
    notebooks.write_notebook(nb, tmp_path / "a.ipynb")
    nbformat.write(nb, tmp_path / "b.ipynb")
    assert (tmp_path / "a.ipynb").read_bytes() == (tmp_path / "b.ipynb").read_bytes()
