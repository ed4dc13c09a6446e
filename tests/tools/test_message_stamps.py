"""A changed course message makes the stored outputs that show it stale (issue 18).

On a copy of the course (utils, tools, one lesson in both editions and its translation): editing the text of
a message in ``utils/messages.py`` that the stored outputs show makes ``make check-translations`` (the Chinese
edition) and the English outputs check fail, naming the notebook and the message, until the outputs are made
again; with the table unchanged both pass.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO_ROOT

LESSON = "01_data"
KEY = "data.line_sample"
#: the English outputs check, as tests/test_chinese_edition.py runs it on the copy
ENGLISH_CHECK = (f"import nbformat; from tools.notebooks import output_problems; "
                 f"f, n = output_problems(nbformat.read('notebooks/{LESSON}.ipynb', as_version=4), "
                 f"'notebooks/{LESSON}.ipynb'); print('\\n'.join(f)); raise SystemExit(1 if f else 0)")


@pytest.fixture
def course(tmp_path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__")
    for folder in ("utils", "tools"):
        shutil.copytree(REPO_ROOT / folder, tmp_path / folder, ignore=ignore)
    for path in (f"notebooks/{LESSON}.ipynb", f"notebooks/zh/{LESSON}.ipynb", f"translations/zh/{LESSON}.yaml"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / path, tmp_path / path)
    return tmp_path


def run(course: Path, *args: str) -> subprocess.CompletedProcess:
    """``python <args>`` in the copy, which imports the copy's utils and tools (the current folder comes first)."""
    return subprocess.run([sys.executable, *args], cwd=course, capture_output=True, text=True, timeout=120)


def edit_message(course: Path, lang: str) -> None:
    """Change the ``lang`` text of the data line in the copy's table, as someone editing utils would."""
    table = course / "utils" / "messages.py"
    text = table.read_text(encoding="utf-8")
    old = {"en": '"Data: the CIFAR-10 sample shipped in {path}', "zh": '"数据：课程自带的 CIFAR-10 样本 {path}'}[lang]
    new = {"en": '"Data: the CIFAR-10 sample that comes with the course, {path}', "zh": '"数据：课程附带的 CIFAR-10 样本 {path}'}[lang]
    assert text.count(old) == 1
    table.write_text(text.replace(old, new), encoding="utf-8")


def test_the_stored_outputs_record_the_message():
    import nbformat

    for path in (f"notebooks/{LESSON}.ipynb", f"notebooks/zh/{LESSON}.ipynb"):
        recorded = nbformat.read(REPO_ROOT / path, as_version=4).metadata["course"]["messages"]
        assert KEY in recorded, f"{path} shows the data line: make outputs (or --stamp) records it"


def test_an_unchanged_table_passes(course):
    zh = run(course, "-m", "tools", "translations", "check", LESSON)
    assert zh.returncode == 0, zh.stderr
    english = run(course, "-c", ENGLISH_CHECK)
    assert english.returncode == 0, english.stdout + english.stderr


def test_a_changed_chinese_message_fails_the_chinese_check_only(course):
    edit_message(course, "zh")
    zh = run(course, "-m", "tools", "translations", "check", LESSON)
    assert zh.returncode == 1
    assert (f"notebooks/zh/{LESSON}.ipynb: its outputs show the course message {KEY}, whose text in "
            f"utils/messages.py changed since they were made; run make outputs NB=notebooks/zh/{LESSON}.ipynb") in zh.stderr
    english = run(course, "-c", ENGLISH_CHECK)
    assert english.returncode == 0, "the English outputs show the English text, which did not change"


def test_a_changed_english_message_fails_the_english_check(course):
    edit_message(course, "en")
    english = run(course, "-c", ENGLISH_CHECK)
    assert english.returncode == 1
    assert f"notebooks/{LESSON}.ipynb: its outputs show the course message {KEY}" in english.stdout
    assert f"run make outputs NB=notebooks/{LESSON}.ipynb" in english.stdout
