"""utils.project: lesson 10's project folder never loses a learner's changes; scripts run as in a terminal."""
from __future__ import annotations

import pytest

from utils.errors import CourseError
from utils.project import changed_files, mark_project, project_folder, run_script


def write(folder, name, text):
    (folder / name).write_text(text, encoding="utf-8")


def test_a_new_folder_is_made_and_used(tmp_path, capsys):
    target = tmp_path / "tudui_project"
    assert project_folder(target) == str(target) and target.is_dir()
    assert "tudui_project" in capsys.readouterr().out


def test_the_lessons_own_files_may_be_rewritten(tmp_path):
    target = tmp_path / "p"
    project_folder(target)
    write(target, "train.py", "print(1)\n")
    mark_project(target)
    assert changed_files(target, ("train.py",)) == []
    assert project_folder(target) == str(target)  # a second run of the lesson writes there again


def test_a_changed_file_is_kept_and_a_new_folder_used(tmp_path, capsys):
    target = tmp_path / "p"
    project_folder(target)
    write(target, "train.py", "print(1)\n")
    mark_project(target)
    write(target, "train.py", "print('my change')\n")  # the learner's edit
    chosen = project_folder(target)
    assert chosen == str(tmp_path / "p_2") and (target / "train.py").read_text() == "print('my change')\n"
    out = capsys.readouterr().out
    assert "p_2" in out and "train.py" in out
    write(tmp_path / "p_2", "model.py", "x = 1\n")  # never written by the lesson: the learner's too
    assert project_folder(target) == str(tmp_path / "p_3")


def test_a_file_in_the_way_is_one_line(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(CourseError, match="is a file"):
        project_folder(tmp_path / "f")


def test_run_script_streams_its_output_and_reports_a_failure(tmp_path, capsys):
    write(tmp_path, "ok.py", "import sys\nprint('训练', sys.argv[1])\n")
    assert run_script("ok.py", "3", cwd=tmp_path) == ["训练 3"]
    assert capsys.readouterr().out == "训练 3\n"
    write(tmp_path, "bad.py", "print('start')\nraise SystemExit('no data in dataset')\n")
    with pytest.raises(CourseError, match=r"python bad.py stopped with exit status 1: no data in dataset"):
        run_script("bad.py", cwd=tmp_path)
