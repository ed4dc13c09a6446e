"""tools.probes: the cell appended at execution time reads named values from a lesson's namespace."""
from __future__ import annotations

import nbformat
import pytest

from tools import probes
from utils import read_results


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


def test_probes_of_reads_the_lessons_yaml(tmp_path):
    (tmp_path / "02_x.yaml").write_text("stride1: output[0, 0]\nok: bool(a > b)\n", encoding="utf-8")
    assert probes.probes_of("02_x", tmp_path) == {"stride1": "output[0, 0]", "ok": "bool(a > b)"}
    assert probes.probes_of("03_missing", tmp_path) == {}
    (tmp_path / "bad.yaml").write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="mapping"):
        probes.probes_of("bad", tmp_path)


def test_probe_cell_records_values_and_errors_without_failing():
    """The probe cell's code, run in a namespace as a kernel would: values stored, a failing expression named."""
    import torch

    recorded = {}
    namespace = {"output": torch.tensor([[1.0, 2.0]]), "device": torch.device("cpu"), "data_source": "folder"}
    source = probes.probe_source({"first": "output[0].tolist()", "missing": "no_such_name + 1", "obj": "object()"})
    import utils.results

    real = utils.results.record
    utils.results.record = lambda name, value, show=True: recorded.__setitem__(name, utils.results._plain(value))
    try:
        exec(source, namespace)
    finally:
        utils.results.record = real
    assert recorded["first"] == [1.0, 2.0]
    assert recorded["device"] == "cpu" and recorded["data_source"] == "folder"
    assert "NameError" in recorded["missing"]["probe_error"]
    assert "probe_error" in recorded["obj"]  # a value record() cannot store is named, not raised


def test_common_probes_are_skipped_where_the_lesson_has_no_such_name():
    recorded = {}
    import utils.results

    real = utils.results.record
    utils.results.record = lambda name, value, show=True: recorded.__setitem__(name, value)
    try:
        exec(probes.probe_source({}), {})
    finally:
        utils.results.record = real
    assert recorded == {}


@pytest.mark.notebook
def test_execute_appends_the_probe_cell_and_strip_removes_it(tmp_path):
    """A real papermill run: the stored notebook is untouched, the output holds the values."""
    folder = tmp_path / "nbs"
    folder.mkdir()
    nb = _notebook(folder / "99_demo.ipynb", "x = 6", "y = x * 7\nprint(y)")
    before = nb.read_bytes()
    out = probes.execute(nb, tmp_path / "out.ipynb", {}, kernel_name="python3", progress_bar=False)
    assert nb.read_bytes() == before
    assert not list(tmp_path.glob("*probed-input*"))
    assert read_results(out) == {}  # no probes file, no device/data_source names: nothing recorded
    probes_dir = tmp_path / "probes"
    probes_dir.mkdir()
    (probes_dir / "99_demo.yaml").write_text("answer: y\n", encoding="utf-8")
    run = nbformat.read(nb, as_version=4)
    probes.with_probe_cell(run, "99_demo", probes_dir)
    nbformat.write(run, tmp_path / "probed.ipynb")
    import papermill

    papermill.execute_notebook(str(tmp_path / "probed.ipynb"), str(out), kernel_name="python3", progress_bar=False,
                               cwd=str(folder))
    assert read_results(out) == {"answer": 42}
    probes.strip_probe_cell(out)
    cells = nbformat.read(out, as_version=4).cells
    assert [c.source for c in cells] == ["x = 6", "y = x * 7\nprint(y)"]
