"""utils.messages: one table of the course's messages, each in English and Chinese.

A message without a real Chinese text fails here, and so does an English message written into the core
modules outside the table (a ``tr(en, zh)`` pair, or an English ``print``/``raise``), except the
programming errors listed in :data:`DEVELOPER_ERRORS`.
"""
from __future__ import annotations

import ast
import re
import string

import pytest

from helpers import REPO_ROOT
from utils import messages
from utils.i18n import english_messages, set_language
from utils.messages import MESSAGES, fields, msg, pattern, patterns, render

CJK = re.compile(r"[\u3400-\u9fff]")
#: The modules whose messages all live in the table (the per-lesson exercise modules, utils/exercises/lessonNN.py,
#: keep their own tr(en, zh) pairs: each exercise's text belongs to its lesson).
CORE = ["utils/__init__.py", "utils/data.py", "utils/device.py", "utils/download.py", "utils/lesson.py",
        "utils/params.py", "utils/paths.py", "utils/plotting.py", "utils/results.py", "utils/training.py",
        "utils/exercises/__init__.py", "utils/cli.py", "tools/data.py", "scripts/train.py", "scripts/test.py",
        "scripts/model.py"]
#: (module, exception) pairs that may keep an English message: errors for whoever writes a lesson or a tool,
#: not for a learner (as Python's own, they stay English).
DEVELOPER_ERRORS = {
    ("utils/__init__.py", "AttributeError"),   # no such name in utils
    ("utils/lesson.py", "TypeError"),          # check_parameters() given a parameter name it does not know
    ("utils/paths.py", "ValueError"),          # check_component: a name with a path separator
    ("utils/paths.py", "RuntimeError"),        # new_path ran out of names
    ("utils/plotting.py", "ValueError"),       # show_images / show_feature_maps given a wrong shape
    ("utils/results.py", "TypeError"),         # record() given an object it cannot store
    ("utils/training.py", "ValueError"),       # LRSchedule(per=...) neither 'batch' nor 'epoch'
    ("utils/exercises/__init__.py", "ValueError"),  # @exercise registered wrongly
    ("utils/exercises/__init__.py", "KeyError"),    # check() given an exercise id that does not exist
    ("scripts/model.py", "ValueError"),        # make_checkpoint() given a model name MODELS does not have
}
#: English prose: two words in a row (a lone "error" in "prog: error: ..." is not).
ENGLISH = re.compile(r"[A-Za-z]{2,}[ ,;:'()]+[A-Za-z]{2,}")


@pytest.fixture(autouse=True)
def back_to_english():
    yield
    set_language("en")


def sample_fields(template: str) -> dict:
    """A value for each field of ``template``: a number where the field has a format (``{loss:.4f}``), else text."""
    return {name: (1 if spec else "x") for _, name, spec, _ in string.Formatter().parse(template) if name}


# --------------------------------------------------------------------------- the table
@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_texts_with_the_same_fields(key):
    assert re.fullmatch(r"[a-z_]+\.[a-z0-9_]+", key), "keys are area.name"
    en, zh = MESSAGES[key]
    assert isinstance(en, str) and isinstance(zh, str) and en.strip() and zh.strip()
    assert fields(en) == fields(zh), f"{key}: the English and the Chinese template have other fields"
    assert all(name and name.isidentifier() for name in fields(en)), f"{key}: fields are named ({{path}}, not {{}})"
    assert zh != en and CJK.search(zh), f"{key}: no Chinese text"
    assert render(key, "en", **sample_fields(en)) and render(key, "zh", **sample_fields(zh))


def test_msg_speaks_the_current_language():
    assert msg("training.epoch_line", epoch=3, train_loss=1.23456) == "epoch  3: train loss 1.2346"
    set_language("zh")
    assert msg("training.epoch_line", epoch=3, train_loss=1.23456) == "第  3 轮：训练损失 1.2346"
    assert messages.language() == "zh"


def test_listing_names_items_as_the_edition_writes_a_list():
    assert messages.listing(["a", "b", "c"]) == "'a', 'b', 'c'"
    set_language("zh")
    assert messages.listing(["a", "b", "c"]) == "'a'、'b'、'c'"


def test_a_pattern_finds_its_message_and_skips_what_is_too_short():
    assert pattern("epoch {epoch}") is None and pattern("Data: {name}{where} ({reason})") is None
    found = re.search(pattern("{path} is a folder, not {archive}; give it."), "data/x is a folder, not y.tgz; give it.")
    assert found.group(0) == " is a folder, not y.tgz; give it.", "fields at either end are left out"
    assert pattern("Data: the sample in {path}").startswith(r"\bData"), "a word starts at a word boundary"
    assert pattern("第 {epoch:>2} 轮：训练损失 {train_loss:.4f}") is not None, "a Chinese character is two wide"
    for lang in ("en", "zh"):
        for key, regex in patterns(lang).items():
            template = MESSAGES[key][messages.LANGUAGES.index(lang)]
            text = "before " + render(key, lang, **sample_fields(template)) + " after"
            assert regex.search(text), f"{key} ({lang}): its pattern does not find its own text"


def test_english_patterns_find_no_chinese_message():
    """The check of the Chinese edition (english_messages) never takes a Chinese message for an English one."""
    found = [(p, key) for key, (_, zh) in MESSAGES.items() for p in english_messages()
             if re.search(p, render(key, "zh", **sample_fields(zh)))]
    assert found == []


def test_every_key_is_used_and_every_used_key_exists():
    used, prefixes = set(), set()
    for folder in ("utils", "tools", "scripts"):
        for file in sorted((REPO_ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) \
                        in ("msg", "render") and node.args:
                    key = node.args[0]
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        assert key.value in MESSAGES, f"{file.relative_to(REPO_ROOT)}:{node.lineno}: no message {key.value!r}"
                        used.add(key.value)
                    elif isinstance(key, ast.JoinedStr) and isinstance(key.values[0], ast.Constant):
                        prefixes.add(key.values[0].value)  # msg(f"data.name_{kind}")
    unused = [k for k in MESSAGES if k not in used and not any(k.startswith(p) for p in prefixes)]
    assert unused == [], "messages nothing prints: remove them"


# --------------------------------------------------------------------------- the code
def english_literals(node: ast.AST) -> list[str]:
    """The English prose in the string literals (f-strings included) among ``node``'s arguments."""
    texts = []
    for arg in [*getattr(node, "args", []), *(k.value for k in getattr(node, "keywords", []))]:
        for sub in ast.walk(arg):
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and ENGLISH.search(sub.value):
                texts.append(sub.value)
    return texts


def call_name(node: ast.Call) -> str:
    return getattr(node.func, "id", getattr(node.func, "attr", ""))


@pytest.mark.parametrize("module", CORE)
def test_core_modules_speak_through_the_table(module):
    """No tr(en, zh) pair, no English text printed or given to an exception outside the table."""
    tree = ast.parse((REPO_ROOT / module).read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = call_name(node)
        if name == "tr":
            found.append(f"line {node.lineno}: tr(...): put the pair in utils/messages.py")
        elif name == "print" or (name.endswith("Error") and (module, name) not in DEVELOPER_ERRORS):
            found += [f"line {node.lineno}: {name}({text!r}...)" for text in english_literals(node)]
    assert found == [], f"{module}: English messages outside utils/messages.py:\n" + "\n".join(found)


def test_the_code_check_sees_english_and_lets_the_table_pass():
    tree = ast.parse('raise DataError(f"{path} is missing; run make data")\nprint(msg("data.again", get_full="x"))\n'
                     'print(f"{prog}: error: {err}")')
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and call_name(n) in ("DataError", "print")]
    assert [english_literals(n) for n in calls] == [[" is missing; run make data"], [], []]


def test_exercise_modules_keep_their_own_pairs():
    """The exception the table's docstring names: each lesson's exercises are written with tr(en, zh)."""
    assert "utils/exercises/lessonNN.py" in messages.__doc__
    assert any("tr(" in p.read_text(encoding="utf-8") for p in (REPO_ROOT / "utils" / "exercises").glob("lesson*.py"))
