"""tools/translations.py: the Chinese edition is built from the English lessons and stays in step with them.

Everything runs on a tiny lesson in a temporary folder; nothing under notebooks/ or translations/ is touched.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

from tools import notebooks
from tools import translations as tr

SETUP = 'lesson = start_lesson("98_tiny", device=device, language="en")  # set up'
CODE1 = "x = 6 * 7  # the answer\nprint(f'x is {x}')"


@pytest.fixture
def folders(tmp_path) -> dict[str, Path]:
    english, zh, files = tmp_path / "notebooks", tmp_path / "notebooks" / "zh", tmp_path / "translations"
    english.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 98 · Tiny lesson", id="title"),
                nbformat.v4.new_code_cell(SETUP, id="setup"),
                nbformat.v4.new_code_cell(CODE1, id="code1"),
                nbformat.v4.new_code_cell("print(x)", id="code2")]
    nb.cells[3].outputs = [nbformat.v4.new_output("stream", name="stdout", text="42\n")]
    nbformat.write(nb, english / "98_tiny.ipynb")
    return {"english_dir": english, "zh_dir": zh, "folder": files}


def kwargs(folders, *names):
    return {k: folders[k] for k in names}


def edit_english(folders, cell_id: str, source: str) -> None:
    path = folders["english_dir"] / "98_tiny.ipynb"
    nb = nbformat.read(path, as_version=4)
    next(c for c in nb.cells if c.id == cell_id).source = source
    nbformat.write(nb, path)


def edit_translation(folders, cell_id: str, **fields) -> None:
    cells = tr.load("98_tiny", folders["folder"])
    cells.setdefault(cell_id, {}).update(fields)
    tr.save("98_tiny", cells, folders["folder"])


def translate_all(folders) -> None:
    """Stub, translate the title and the comments and strings of the code cells, mark them done."""
    assert tr.stub("98_tiny", **kwargs(folders, "english_dir", "folder")) == 3, "code2 has nothing to translate"
    assert "code2" not in tr.load("98_tiny", folders["folder"])
    edit_translation(folders, "title", markdown="# 98 · 小课")
    edit_translation(folders, "setup", comments={"set up": "准备"})
    edit_translation(folders, "code1", comments={"the answer": "答案"}, strings={"x is {x}": "x 是 {x}"})
    tr.mark("98_tiny", ["title", "setup", "code1"], **kwargs(folders, "english_dir", "folder"))


def problems(folders, strict=False) -> list[str]:
    return [str(p) for p in tr.problems_of("98_tiny", **folders, strict=strict) if not p.warning]


def zh_sources(folders) -> list[str]:
    return [c.source for c in nbformat.read(folders["zh_dir"] / "98_tiny.ipynb", as_version=4).cells]


# --------------------------------------------------------------------------- comments and strings of a cell
def test_code_shape_ignores_comments_and_string_text_only():
    shape = tr.code_shape("x = f(1)  # one\nprint('hello', f'{x:.2f} done')\n")
    assert shape == tr.code_shape("x = f(1)  # 一\nprint('你好', f'{x:.2f} 完成')")
    assert shape != tr.code_shape("x = f(2)\nprint('hello', f'{x:.2f} done')\n")
    assert shape != tr.code_shape("x = f(1)\nprint('hello', f'{x:.3f} done')\n"), "an f-string's fields are code"
    assert tr.code_shape("%tensorboard --logdir runs  # open it") == tr.code_shape("%tensorboard --logdir runs  # 打开")


def test_texts_are_comments_and_literals_with_fstrings_whole():
    found = tr.texts('x = 1  #  one\nprint(f"{x!r:>4} is {\'a\' + f\'{x}\'}", """two\nlines""")  # done\n')
    assert [(t.kind, t.text) for t in found] == [
        ("comment", "one"), ("string", "{x!r:>4} is {'a' + f'{x}'}"), ("string", "two\nlines"), ("comment", "done")]
    assert tr.replace_texts("print('a', 'b')", {(1, 7): ((1, 8), "甲")}) == "print('甲', 'b')"


def test_a_cell_python_cannot_tokenize_has_its_comments_only():
    found = tr.texts("%tensorboard --logdir runs  # open the panel\n%load_ext tensorboard")
    assert [(t.kind, t.text) for t in found] == [("comment", "open the panel")]


@pytest.mark.parametrize("code, why", [
    ('d = {"loss": 1}', "a dict key"),
    ('v = d["loss"]', "a subscript"),
    ('ok = mode == "train"', "compared"),
    ('ok = mode in ("train", "test")', "compared"),
    ('record("loss", 1.0)', "an argument of record(...)"),
    ('F.cross_entropy(a, b, reduction="mean")', "the value of reduction="),
    ('start_lesson("98_tiny")', "an argument of start_lesson(...)"),
    ('os.path.join(root, "train")', "an argument of join(...)"),
])
def test_data_strings_are_marked(code, why):
    assert all(why in t.data for t in tr.texts(code) if t.kind == "string"), tr.texts(code)


@pytest.mark.parametrize("code", ['print("loss:", 1)', 'plt.title("Loss")', 'ax.set_xlabel("epoch")',
                                  'tqdm(batches, desc="epoch 1")', 'plt.plot(x, label="train")', '"""A docstring."""'])
def test_shown_strings_are_not_data(code):
    assert [t.data for t in tr.texts(code)] == [""]


@pytest.mark.parametrize("call", ["check_parameters", "start_lesson"])
def test_the_set_up_calls_language_is_the_editions(call):
    cell = nbformat.v4.new_code_cell(f'lesson = {call}(device=device, language="en", data="en")')
    assert tr.translate_code(cell, None) == f'lesson = {call}(device=device, language="zh", data="en")'
    assert tr.translate_code(cell, {"strings": {"en": "zh"}}) == tr.translate_code(cell, None), "data stays"


def test_parameters_cell_values_are_data():
    cell = nbformat.v4.new_code_cell('device = "auto"  # where to run', metadata={"tags": ["parameters"]})
    assert [(t.text, bool(t.data)) for t in tr.cell_texts(cell)] == [("auto", True), ("where to run", False)]


def test_source_hash():
    assert tr.source_hash("a") == tr.source_hash("a") != tr.source_hash("b") and len(tr.source_hash("a")) == 12


# --------------------------------------------------------------------------- build and check
def test_untranslated_lessons_are_named(folders):
    assert any("no translation file" in p for p in problems(folders))
    tr.stub("98_tiny", **kwargs(folders, "english_dir", "folder"))
    found = problems(folders)
    assert sum("still marked todo" in p for p in found) == 3 and all(p.startswith("98_tiny") for p in found)


def test_build_then_check_is_clean(folders):
    translate_all(folders)
    assert problems(folders) == ["98_tiny: notebooks/zh/98_tiny.ipynb is missing; run: python -m tools translations build"]
    tr.build("98_tiny", **folders)
    assert zh_sources(folders) == ["# 98 · 小课", SETUP.replace('"en"', '"zh"').replace("set up", "准备"),
                                   "x = 6 * 7  # 答案\nprint(f'x 是 {x}')", "print(x)"]
    assert problems(folders) == []


def test_translation_files_hold_no_code(folders):
    translate_all(folders)
    text = tr.translation_path("98_tiny", folders["folder"]).read_text(encoding="utf-8")
    assert "6 * 7" not in text and "start_lesson" not in text and "print" not in text


def test_a_code_only_english_change_needs_no_translation_edit(folders):
    translate_all(folders)
    tr.build("98_tiny", **folders)
    yaml_before = tr.translation_path("98_tiny", folders["folder"]).read_text(encoding="utf-8")
    edit_english(folders, "code1", "x = 6 * 7 + 0  # the answer\nprint(f'x is {x}')\nprint(x * 2)")
    edit_english(folders, "code2", "print(x, x)")
    assert any("is not what the translation file makes" in p for p in problems(folders))
    tr.build("98_tiny", **folders)
    assert problems(folders) == []
    assert zh_sources(folders)[2] == "x = 6 * 7 + 0  # 答案\nprint(f'x 是 {x}')\nprint(x * 2)"
    assert tr.translation_path("98_tiny", folders["folder"]).read_text(encoding="utf-8") == yaml_before


def test_changing_a_translated_comment_makes_the_cell_stale(folders):
    translate_all(folders)
    tr.build("98_tiny", **folders)
    edit_english(folders, "code1", "x = 6 * 7  # the answer to everything\nprint(f'x is {x}')")
    found = problems(folders)
    assert any("code1" in p and "no longer has the comment 'the answer'" in p for p in found), found
    assert any("code1" in p and "untranslated: 'the answer to everything'" in p for p in found), found
    edit_translation(folders, "code1", comments={"the answer to everything": "终极答案"})
    tr.mark("98_tiny", ["code1"], **kwargs(folders, "english_dir", "folder"))
    tr.build("98_tiny", **folders)
    assert problems(folders) == [] and "# 终极答案" in zh_sources(folders)[2]


def test_a_new_string_makes_the_cell_stale_until_translated_or_kept(folders):
    translate_all(folders)
    tr.build("98_tiny", **folders)
    edit_english(folders, "code2", "print('done', x)")
    found = problems(folders)
    assert len(found) == 1 and "code2" in found[0] and "no translation" in found[0]
    with pytest.raises(tr.Refused, match="has not changed since it was last marked"):
        tr.mark("98_tiny", ["code2"], **kwargs(folders, "english_dir", "folder"))  # no entry, nothing translated
    edit_translation(folders, "code2", strings={"done": "完成"})
    tr.mark("98_tiny", ["code2"], **kwargs(folders, "english_dir", "folder"))
    assert not any("code2" in p for p in problems(folders) if "is not what" not in p)
    edit_english(folders, "code1", CODE1 + "\nprint('twice', 2 * x)")
    assert any("code1" in p and "untranslated: 'twice'" in p for p in problems(folders))
    with pytest.raises(tr.Refused, match="has not changed since it was last marked"):
        tr.mark("98_tiny", ["code1"], **kwargs(folders, "english_dir", "folder"))
    tr.mark("98_tiny", ["code1"], **kwargs(folders, "english_dir", "folder"), unchanged=True)  # 'twice' stays English
    assert not any("code1" in p for p in problems(folders))


def test_a_data_string_translation_is_refused(folders):
    translate_all(folders)
    edit_english(folders, "code2", 'print(x)\nresults = {"answer": x}\nrecord("answer", x)')
    edit_translation(folders, "code2", strings={"answer": "答案"})
    found = problems(folders)
    assert any("code2" in p and "translates the string 'answer', which is data (a dict key)" in p for p in found), found
    with pytest.raises(tr.Refused, match="which is data"):
        tr.mark("98_tiny", ["code2"], **kwargs(folders, "english_dir", "folder"))


def test_a_dict_key_listed_under_display_may_be_translated(folders):
    translate_all(folders)
    edit_english(folders, "code2", 'for name in {"right order": 1}:\n    print(name)')
    cells = tr.load("98_tiny", folders["folder"])
    cells["code2"] = {"strings": {"right order": "正确的顺序"}, "display": ["right order"]}
    tr.save("98_tiny", cells, folders["folder"])
    tr.mark("98_tiny", ["code2"], **kwargs(folders, "english_dir", "folder"))
    tr.build("98_tiny", **folders)
    assert problems(folders) == [] and '{"正确的顺序": 1}' in zh_sources(folders)[3]


def test_a_translation_that_breaks_the_code_is_refused(folders):
    translate_all(folders)
    edit_translation(folders, "code1", strings={"x is {x}": "x 是 {y}"})
    assert any("code1" in p and "other {…} fields" in p for p in problems(folders))
    edit_translation(folders, "code1", strings={"x is {x}": "x 是 ' {x}"})
    assert any("code1" in p and "changes the code" in p for p in problems(folders))


def test_build_keeps_the_outputs_of_unchanged_code(folders):
    translate_all(folders)
    path = tr.build("98_tiny", **folders)
    zh = nbformat.read(path, as_version=4)
    zh.cells[3].outputs = [nbformat.v4.new_output("stream", name="stdout", text="42\n")]
    zh.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="x 是 42\n")]
    notebooks.fingerprint(zh)
    nbformat.write(zh, path)
    edit_translation(folders, "code1", comments={"the answer": "答案！"})
    zh = nbformat.read(tr.build("98_tiny", **folders), as_version=4)
    assert zh.cells[3].outputs[0]["text"] == "42\n" and zh.cells[2].outputs == []
    assert "outputs_from" in zh.metadata.course, "build keeps the fingerprint (check compares it)"


def test_a_changed_english_markdown_cell_makes_its_translation_stale(folders):
    translate_all(folders)
    tr.build("98_tiny", **folders)
    edit_english(folders, "title", "# 98 · A tiny lesson")
    found = problems(folders)
    assert len(found) == 1 and "title" in found[0] and "changed since its translation" in found[0]
    edit_translation(folders, "title", markdown="# 98 · 一节小课")
    tr.mark("98_tiny", ["title"], **kwargs(folders, "english_dir", "folder"))
    assert any("is not what the translation file makes" in p for p in problems(folders))
    tr.build("98_tiny", **folders)
    assert problems(folders) == []


def test_a_translation_of_a_removed_cell_is_named(folders):
    translate_all(folders)
    cells = tr.load("98_tiny", folders["folder"])
    cells["gone"] = {"source_hash": "x", "markdown": "旧的"}
    tr.save("98_tiny", cells, folders["folder"])
    assert any(p.startswith("98_tiny, cell gone:") and "no longer has" in p for p in problems(folders))


# --------------------------------------------------------------------------- mark
def test_mark_refuses_unknown_cells(folders):
    translate_all(folders)
    with pytest.raises(tr.Refused, match="has no cell 'nope'"):
        tr.mark("98_tiny", ["nope"], **kwargs(folders, "english_dir", "folder"))


def test_mark_refuses_a_current_cell_and_an_unchanged_translation(folders):
    translate_all(folders)
    with pytest.raises(tr.Refused, match="title: its translation is current; nothing to mark"):
        tr.mark("98_tiny", ["title"], **kwargs(folders, "english_dir", "folder"))
    edit_english(folders, "title", "# 98 · A tiny lesson")
    with pytest.raises(tr.Refused, match="has not changed since it was last marked"):
        tr.mark("98_tiny", ["title"], **kwargs(folders, "english_dir", "folder"))
    tr.mark("98_tiny", ["title"], **kwargs(folders, "english_dir", "folder"), unchanged=True)  # a typo fix, say
    assert not any("title" in p for p in problems(folders))


def test_mark_says_why_not_in_one_line(folders, capsys, monkeypatch):
    translate_all(folders)
    monkeypatch.setattr(tr, "EDITIONS", {"en": folders["english_dir"], "zh": folders["zh_dir"]})
    monkeypatch.setattr(tr, "TRANSLATIONS_DIR", folders["folder"])
    monkeypatch.setattr(tr.mark, "__defaults__", (folders["english_dir"], folders["folder"], False))
    assert tr.main(["mark", "98_tiny", "title"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: 98_tiny title: its translation is current") and len(err.splitlines()) == 1


# --------------------------------------------------------------------------- stored outputs
def test_stale_outputs_fail_the_check(folders):
    translate_all(folders)
    path = tr.build("98_tiny", **folders)
    assert problems(folders) == [] and problems(folders, strict=True) == [
        f"98_tiny: notebooks/zh/98_tiny.ipynb: outputs not fingerprinted (made before make outputs recorded their "
        f"code); run make outputs NB=notebooks/zh/98_tiny.ipynb"]
    zh = nbformat.read(path, as_version=4)
    notebooks.fingerprint(zh)  # as make outputs does after running it
    nbformat.write(zh, path)
    assert problems(folders, strict=True) == []
    edit_english(folders, "code2", "print(x + 1)")
    tr.build("98_tiny", **folders)  # the code changed, nobody re-ran it
    found = problems(folders)
    assert found == ["98_tiny: notebooks/zh/98_tiny.ipynb: its stored outputs were produced by other code than it "
                     "now holds; run make outputs NB=notebooks/zh/98_tiny.ipynb"]


def test_english_messages_in_chinese_outputs_are_found(folders):
    translate_all(folders)
    path = tr.build("98_tiny", **folders)
    zh = nbformat.read(path, as_version=4)
    zh.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="TensorBoard run folder: runs/98\n")]
    notebooks.fingerprint(zh)
    nbformat.write(zh, path)
    notes = [str(p) for p in tr.problems_of("98_tiny", **folders, strict=False) if p.warning]
    assert problems(folders) == [] and len(notes) == 1, "a note only, until COURSE_STRICT_OUTPUTS=1"
    assert "cell setup (#1) shows the English message 'TensorBoard run folder:'" in notes[0]
    assert any("TensorBoard run folder:" in p for p in problems(folders, strict=True))


def test_check_prints_notes_and_fails_only_on_problems(folders, capsys, monkeypatch):
    translate_all(folders)
    tr.build("98_tiny", **folders)
    monkeypatch.setattr(tr, "problems_of", lambda name: [tr.Problem(name, "", "outputs not fingerprinted", warning=True)])
    monkeypatch.setattr(tr, "lessons", lambda folder: [Path("98_tiny.ipynb")])
    assert tr.main(["check"]) == 0
    assert "note: 98_tiny: outputs not fingerprinted" in capsys.readouterr().err


@pytest.mark.skipif(sys.version_info < (3, 12), reason="f-strings come as several tokens from Python 3.12")
def test_fstrings_are_one_literal_on_312():
    assert [t.text for t in tr.texts('print(f"a {b:{w}} c")')] == ["a {b:{w}} c"]


def test_a_writefile_cell_translates_as_the_python_file_it_writes():
    """Lesson 10 writes model.py, train.py and test.py with %%writefile: their comments and printed strings are
    the edition's, their code the same in both editions, and data strings stay data."""
    import nbformat

    from tools.translations import code_problems, code_shape, texts, translate_code

    source = ('%%writefile {project_dir}/test.py\nimport sys\n\nclasses = ["cat", "dog"]  # in label order\n'
              'print(f"{sys.argv[1]}: {classes[0]}")\nopen("x.txt", "w")\n')
    found = {(t.kind, t.text): t for t in texts(source)}
    assert ("comment", "in label order") in found and found[("string", "cat")].data == ""
    assert found[("string", "x.txt")].data  # an argument of open(...): data
    cell = nbformat.v4.new_code_cell(source)
    entry = {"comments": {"in label order": "按标签顺序"}, "strings": {"cat": "猫", "dog": "狗"}}
    zh = translate_code(cell, entry)
    assert zh.startswith("%%writefile {project_dir}/test.py\n") and 'classes = ["猫", "狗"]  # 按标签顺序' in zh
    assert code_shape(zh) == code_shape(source) and code_shape(source)[0] == ("line", "%%writefile {project_dir}/test.py")
    assert code_problems("10_x", cell, {**entry, "strings": {"x.txt": "y.txt"}}, hashes=False)  # data refused
