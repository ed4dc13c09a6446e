"""tools/translations.py: the Chinese edition is built from the English lessons and stays in step with them.

Everything runs on a tiny lesson in a temporary folder; nothing under notebooks/ or translations/ is touched.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tools import translations as tr


@pytest.fixture
def folders(tmp_path) -> dict[str, Path]:
    english, zh, files = tmp_path / "notebooks", tmp_path / "notebooks" / "zh", tmp_path / "translations"
    english.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 98 · Tiny lesson", id="title"),
                nbformat.v4.new_code_cell("x = 6 * 7  # the answer\nprint(f'x is {x}')", id="code1"),
                nbformat.v4.new_code_cell("print(x)", id="code2")]
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="42\n")]
    nbformat.write(nb, english / "98_tiny.ipynb")
    return {"english_dir": english, "zh_dir": zh, "folder": files}


def kwargs(folders, *names):
    return {k: folders[k] for k in names}


def translate_all(folders) -> None:
    """Stub, translate the title and the first code cell's comment and string, mark them done."""
    assert tr.stub("98_tiny", **kwargs(folders, "english_dir", "folder")) == 3
    cells = tr.load("98_tiny", folders["folder"])
    cells["title"]["markdown"] = "# 98 · 小课"
    cells["code1"]["code"] = "x = 6 * 7  # 答案\nprint(f'x 是 {x}')"
    cells["code2"]["code"] = tr.SAME
    tr.save("98_tiny", cells, folders["folder"])
    tr.mark("98_tiny", ["title", "code1", "code2"], **kwargs(folders, "english_dir", "folder"))


def problems(folders) -> list[str]:
    return [str(p) for p in tr.problems_of("98_tiny", **folders)]


def test_code_shape_ignores_comments_and_string_text_only():
    shape = tr.code_shape("x = f(1)  # one\nprint('hello', f'{x:.2f} done')\n")
    assert shape == tr.code_shape("x = f(1)  # 一\nprint('你好', f'{x:.2f} 完成')")
    assert shape != tr.code_shape("x = f(2)\nprint('hello', f'{x:.2f} done')\n")
    assert shape != tr.code_shape("x = f(1)\nprint('hello', f'{x:.3f} done')\n"), "an f-string's fields are code"
    assert tr.code_shape("%tensorboard --logdir runs  # open it") == tr.code_shape("%tensorboard --logdir runs  # 打开")


def test_source_hash():
    assert tr.source_hash("a") == tr.source_hash("a") != tr.source_hash("b") and len(tr.source_hash("a")) == 12


def test_untranslated_lessons_are_named(folders):
    assert any("no translation file" in p for p in problems(folders))
    tr.stub("98_tiny", **kwargs(folders, "english_dir", "folder"))
    found = problems(folders)
    assert sum("still marked todo" in p for p in found) == 3 and all(p.startswith("98_tiny") for p in found)


def test_build_then_check_is_clean(folders):
    translate_all(folders)
    assert problems(folders) == ["98_tiny: notebooks/zh/98_tiny.ipynb is missing; run: python -m tools translations build"]
    path = tr.build("98_tiny", **folders)
    zh = nbformat.read(path, as_version=4)
    assert [c.source for c in zh.cells] == ["# 98 · 小课", "x = 6 * 7  # 答案\nprint(f'x 是 {x}')", "print(x)"]
    assert [c.id for c in zh.cells] == ["title", "code1", "code2"]
    assert problems(folders) == []


def test_build_keeps_the_outputs_of_unchanged_code(folders):
    translate_all(folders)
    path = tr.build("98_tiny", **folders)
    zh = nbformat.read(path, as_version=4)
    zh.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="42\n")]
    zh.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="x 是 42\n")]
    nbformat.write(zh, path)
    cells = tr.load("98_tiny", folders["folder"])
    cells["code1"]["code"] = "x = 6 * 7  # 答案！\nprint(f'x 是 {x}')"
    tr.save("98_tiny", cells, folders["folder"])
    zh = nbformat.read(tr.build("98_tiny", **folders), as_version=4)
    assert zh.cells[2].outputs[0]["text"] == "42\n" and zh.cells[1].outputs == []


def test_a_changed_english_cell_makes_its_translation_stale(folders):
    translate_all(folders)
    tr.build("98_tiny", **folders)
    english = folders["english_dir"] / "98_tiny.ipynb"
    nb = nbformat.read(english, as_version=4)
    nb.cells[2].source = "print(x + 1)"
    nbformat.write(nb, english)
    found = problems(folders)
    assert len(found) == 1 and "code2" in found[0] and "changed since its translation" in found[0]
    tr.mark("98_tiny", ["code2"], **kwargs(folders, "english_dir", "folder"))
    assert any("is not what the translation file makes" in p for p in problems(folders))
    tr.build("98_tiny", **folders)
    assert problems(folders) == []


def test_chinese_code_may_not_differ_from_the_english(folders):
    translate_all(folders)
    cells = tr.load("98_tiny", folders["folder"])
    cells["code1"]["code"] = "x = 6 * 8  # 答案\nprint(f'x 是 {x}')"
    tr.save("98_tiny", cells, folders["folder"])
    assert any("code1" in p and "differs from the English code" in p for p in problems(folders))


def test_a_translation_of_a_removed_cell_is_named(folders):
    translate_all(folders)
    cells = tr.load("98_tiny", folders["folder"])
    cells["gone"] = {"source_hash": "x", "markdown": "旧的"}
    tr.save("98_tiny", cells, folders["folder"])
    assert any(p.startswith("98_tiny, cell gone:") and "no longer has" in p for p in problems(folders))


def test_mark_refuses_unknown_cells(folders):
    translate_all(folders)
    with pytest.raises(SystemExit, match="has no cell 'nope'"):
        tr.mark("98_tiny", ["nope"], **kwargs(folders, "english_dir", "folder"))
