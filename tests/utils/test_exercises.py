"""utils.exercises: the framework, and every checker against its worked solution and typical wrong answers.

The cases come from ``solutions/lessonNN.py`` (``SOLUTIONS`` and ``WRONG``); every lesson module in
``utils/exercises/`` must offer all three kinds of exercise and give its feedback in both languages.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import re
import sys
import types

import pytest

import utils.exercises as framework
from helpers import NOTEBOOKS, REPO_ROOT, ZH_NOTEBOOKS
from utils.exercises import KINDS, check, choice, exercise, exercises, real_number, verdict, whole_number
from utils.i18n import set_language, tr

CHINESE = re.compile(r"[\u4e00-\u9fff]")
SOLUTION_FILES = sorted((REPO_ROOT / "solutions").glob("lesson[0-9][0-9].py"))
LESSON_MODULES = sorted(p.stem for p in (REPO_ROOT / "utils" / "exercises").glob("lesson[0-9][0-9].py"))


def _load_solutions() -> tuple[dict[str, types.ModuleType], dict[str, str]]:
    """Import ``solutions/lessonNN.py`` by path (a clone's root need not be on sys.path)."""
    if "solutions" not in sys.modules:
        package = types.ModuleType("solutions")
        package.__path__ = [str(REPO_ROOT / "solutions")]
        sys.modules["solutions"] = package
    loaded, broken = {}, {}
    for file in SOLUTION_FILES:
        name = f"solutions.{file.stem}"
        try:
            if name not in sys.modules:
                spec = importlib.util.spec_from_file_location(name, file)
                module = importlib.util.module_from_spec(spec)
                sys.modules[name] = module
                try:
                    spec.loader.exec_module(module)
                except BaseException:
                    del sys.modules[name]
                    raise
            loaded[file.stem] = sys.modules[name]
        except Exception as err:  # reported by test_solution_modules_import, not a collection error
            broken[file.stem] = f"{type(err).__name__}: {err}"
    return loaded, broken


SOLUTIONS, BROKEN = _load_solutions()
CASES = sorted(((id, solution, module.WRONG.get(id, [])) for module in SOLUTIONS.values()
                for id, solution in module.SOLUTIONS.items()), key=lambda c: c[0])
WRONG_CASES = [(id, i, bad) for id, _, wrong in CASES for i, bad in enumerate(wrong)]
#: Answers rounded as a task allows ("two decimals"), from a solutions module's optional ROUNDED.
ROUNDED_CASES = [(id, answer) for module in SOLUTIONS.values()
                 for id, answers in getattr(module, "ROUNDED", {}).items() for answer in answers]


@pytest.fixture
def registry(monkeypatch) -> dict:
    """A private, empty registry, so the framework tests neither depend on the lessons' exercises
    nor add exercises the lessons lack."""
    fresh: dict = {}
    monkeypatch.setattr(framework, "_REGISTRY", fresh)
    monkeypatch.setattr(framework, "_load_all", lambda: None)
    return fresh


def lesson_exercises(module: str) -> dict:
    """The exercises ``utils/exercises/<module>.py`` registers (only that module is imported)."""
    importlib.import_module(f"utils.exercises.{module}")
    lesson = module.removeprefix("lesson")
    return {id: ex for id, ex in framework._REGISTRY.items() if id.split(".")[0] == lesson}


# ----------------------------------------------------------------------------- solutions and lessons
def test_solution_modules_import():
    assert SOLUTION_FILES and BROKEN == {}


def test_every_lesson_module_has_solutions():
    assert [p.stem for p in SOLUTION_FILES] == LESSON_MODULES


@pytest.mark.parametrize("module", LESSON_MODULES)
def test_every_exercise_has_a_solution_and_a_wrong_answer(module):
    registered = set(lesson_exercises(module))
    solutions = SOLUTIONS.get(module)
    solved = set(solutions.SOLUTIONS) if solutions else set()
    assert registered == solved, f"without solution: {registered - solved}; solution without exercise: {solved - registered}"
    assert [id for id in solved if not solutions.WRONG.get(id)] == [], "each exercise needs a typical wrong answer"


@pytest.mark.parametrize("module", LESSON_MODULES)
def test_every_lesson_has_each_kind_of_exercise(module):
    kinds = {ex.kind for ex in lesson_exercises(module).values()}
    assert kinds >= set(KINDS), f"{module} has no exercise of kind {sorted(set(KINDS) - kinds)}"


@pytest.mark.parametrize("id, solution, wrong", CASES, ids=[c[0] for c in CASES])
def test_check_accepts_solution_and_rejects_wrong_answers(id, solution, wrong, capsys):
    assert verdict(id, solution()) == (True, "")
    check(id, solution())
    assert "✅" in capsys.readouterr().out
    for bad in wrong:
        ok, problem = verdict(id, bad)
        assert ok is False and problem, f"{id} accepted the wrong answer {bad!r}"
        check(id, bad)
        out = capsys.readouterr().out
        assert "❌" in out and "Hint:" in out


@pytest.mark.parametrize("id, answer", ROUNDED_CASES, ids=[f"{id}-{answer}" for id, answer in ROUNDED_CASES])
def test_check_accepts_answers_rounded_as_the_task_allows(id, answer):
    assert verdict(id, answer) == (True, ""), f"{id} rejected {answer!r}, correct to the precision the task states"


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("id, i, bad", WRONG_CASES, ids=[f"{id}-wrong{i}" for id, i, _ in WRONG_CASES])
def test_feedback_comes_in_the_lessons_language(id, i, bad, language):
    set_language(language)
    ok, problem = verdict(id, bad)
    assert ok is False
    if language == "zh":
        assert CHINESE.search(problem), f"{id}: English feedback in the Chinese edition: {problem!r}"
    else:
        assert not CHINESE.search(problem), f"{id}: Chinese in the English feedback: {problem!r}"


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("module", LESSON_MODULES)
def test_tasks_and_hints_come_in_the_lessons_language(module, language):
    set_language(language)
    wrong = []
    for id, ex in lesson_exercises(module).items():
        for what, pair in (("task", ex.task), ("hint", ex.hint)):
            text = tr(*pair)
            if bool(CHINESE.search(text)) != (language == "zh"):
                wrong.append(f"{id} {what}: {text[:60]!r}")
    assert wrong == []


@pytest.mark.parametrize("notebook", NOTEBOOKS + ZH_NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_notebooks_call_their_exercises(notebook):
    """Every exercise of a lesson is offered in its notebook (both editions)."""
    module = f"lesson{notebook.name[:2]}"
    ids = list(lesson_exercises(module)) if module in LESSON_MODULES else []
    text = json.dumps(json.loads(notebook.read_text(encoding="utf-8"))["cells"])
    missing = [id for id in ids if not re.search(rf'check\(\\"{re.escape(id)}\\"', text)]
    assert missing == [], f"{notebook.name} never calls check() for {missing}"


def test_every_lesson_module_belongs_to_a_notebook():
    lessons = {nb.name[:2] for nb in NOTEBOOKS}
    assert [m for m in LESSON_MODULES if m.removeprefix("lesson") not in lessons] == []


def test_exercises_lists_every_lesson():
    assert {id.split(".")[0] for id in exercises()} == {m.removeprefix("lesson") for m in LESSON_MODULES}


# ----------------------------------------------------------------------------- the framework
def _register_four():
    @exercise("99.1", kind="predict", task=("Say 4.", "说 4。"), hint=("Two and two.", "二加二。"))
    def _four(answer):
        if whole_number(answer) == 4:
            return None
        return tr("not 4.", "不是 4。")


def test_unanswered_is_friendly(registry, capsys):
    _register_four()
    assert verdict("99.1", None)[0] is None and verdict("99.1", ...)[0] is None
    check("99.1", None)
    out = capsys.readouterr().out
    assert "not answered yet" in out and "Say 4." in out and "Replace None" in out
    set_language("zh")
    check("99.1", None)
    assert "还没有作答" in capsys.readouterr().out


def test_unknown_exercise(registry):
    _register_four()
    with pytest.raises(KeyError, match="no exercise '99.9'; known: 99.1"):
        verdict("99.9", 1)


def test_register_check_and_feedback(registry, capsys):
    _register_four()

    assert verdict("99.1", 4) == (True, "") and verdict("99.1", 4.0) == (True, "")
    assert verdict("99.1", 5) == (False, "not 4.")
    check("99.1", 5)
    assert capsys.readouterr().out == "❌ Exercise 99.1: not 4.\n   Hint: Two and two.\n"
    set_language("zh")
    check("99.1", 5)
    assert capsys.readouterr().out == "❌ 练习 99.1：不是 4。\n   提示：二加二。\n"
    check("99.1", 4)
    assert capsys.readouterr().out == "✅ 练习 99.1：正确！\n"


def test_a_checker_that_breaks_is_a_wrong_answer(registry):
    @exercise("99.2", kind="code", task=("t", "任务"), hint=("h", "提示"))
    def _breaks(answer):
        return answer.shape  # an int has no shape

    ok, problem = verdict("99.2", 3)
    assert ok is False and problem.startswith("your answer could not be checked (AttributeError")


@pytest.mark.parametrize("kwargs, message", [
    ({"kind": "guess"}, "kind must be one of"),
    ({"task": "only English"}, "task and hint are"),
    ({"hint": ("en",)}, "task and hint are"),
])
def test_exercise_declarations_are_checked(registry, kwargs, message):
    declaration = {"kind": "explain", "task": ("t", "任务"), "hint": ("h", "提示"), **kwargs}
    with pytest.raises(ValueError, match=message):
        exercise("99.3", **declaration)


def test_an_id_is_registered_once(registry):
    exercise("99.4", kind="explain", task=("t", "任务"), hint=("h", "提示"))(lambda a: None)
    with pytest.raises(ValueError, match="registered twice"):
        exercise("99.4", kind="explain", task=("t", "任务"), hint=("h", "提示"))(lambda a: None)


def test_choice_helper():
    wrong = {"a": "a is wrong because."}
    assert choice("b", "b", wrong) is None and choice(" (B) ", "b", wrong) is None
    assert choice("a", "b", wrong) == "a is wrong because."
    assert choice("c", "b", wrong) == "(c) is not it."
    assert choice("e", "b", wrong).startswith("answer with one letter")
    set_language("zh")
    assert CHINESE.search(choice("e", "b", wrong)) and CHINESE.search(choice("c", "b", wrong))


@pytest.mark.parametrize("answer", [2, None, ["b"]])
def test_choice_helper_with_an_answer_that_is_not_text(answer):
    assert choice(answer, "b", {}).startswith("answer with one letter")


def test_to_decimals_and_torch_calls():
    import torch

    from utils.exercises import to_decimals, torch_calls

    assert to_decimals(1.33, 4 / 3, 2) and to_decimals(1.3333, 4 / 3, 2) and to_decimals(1.46, 1.4644, 2)
    assert not to_decimals(1.3, 4 / 3, 2) and not to_decimals(1.34, 4 / 3, 2)
    x = torch.tensor([-1.0, 2.0])
    assert torch_calls(torch.relu, x)[1] == {"relu"} and torch_calls(torch.nn.ReLU(), x)[1] == {"relu"}
    result, called = torch_calls(lambda t: t.clamp(min=0), x)
    assert result.tolist() == [0.0, 2.0] and "relu" not in called


def test_number_helpers_of_the_checkers():
    import torch

    assert real_number(2) == 2.0 and real_number(0.5) == 0.5 and real_number(torch.tensor([0.25])) == 0.25
    assert real_number(True) is None and real_number("2") is None and real_number(torch.tensor([1, 2])) is None
    assert whole_number(3.0) == 3 and whole_number(torch.tensor(7)) == 7
    assert whole_number(2.5) is None and whole_number(float("inf")) is None and whole_number(float("nan")) is None
    assert whole_number(False) is None


def test_lesson_08_code_exercises_name_the_mistake():
    """10.2 (the test loop) and 10.4 (save and load a state_dict): the feedback names what a typical wrong
    answer got wrong, not only that it is wrong."""
    solutions = SOLUTIONS["lesson10"]
    assert verdict("10.2", solutions.accuracy) == (True, "")
    assert "model.eval()" in verdict("10.2", solutions.accuracy_train_mode)[1]
    assert "number of images" in verdict("10.2", solutions.accuracy_batch_mean)[1]
    assert verdict("10.4", solutions.save_and_load) == (True, "")
    assert "model.state_dict(), not model" in verdict("10.4", solutions.save_whole_model)[1]
    assert "load_state_dict" in verdict("10.4", solutions.load_forgotten)[1]
    assert "returns the model it was given" in verdict("10.4", solutions.return_the_same_model)[1]
    assert "never reads the file back" in verdict("10.4", solutions.deep_copy_instead)[1]  # issue 30


def test_multiple_choice_keys_are_spread_over_the_letters():
    """Each multiple-choice exercise accepts exactly one letter, and the right letters are not all the same."""
    from utils.exercises import exercises, verdict

    keys = {}
    for id in exercises():
        right = [letter for letter in "abcd" if verdict(id, letter)[0]]
        if right:
            assert len(right) == 1, f"{id} accepts {right}"
            keys[id] = right[0]
    assert len(keys) >= 8, keys
    assert len(set(keys.values())) >= 3, f"the right answers are {keys}: spread them over the options"
    assert max(list(keys.values()).count(letter) for letter in "abcd") <= len(keys) // 2, keys


def _options_by_exercise(notebook) -> dict[str, tuple[dict[str, str], str]]:
    """``{exercise id: ({letter: option text}, cell text)}`` for the multiple-choice exercises of a notebook."""
    import json

    found = {}
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        text = "".join(cell["source"])
        head = re.match(r"\*\*(\d\d\.\d)\*\*", text)
        options = dict(re.findall(r"^- \(?([a-d])\)\s+(.+?)(?=^- \(?[a-d]\)|\Z)", text, flags=re.M | re.S))
        if cell["cell_type"] == "markdown" and head and len(options) >= 3:
            found[head.group(1)] = ({k: " ".join(v.split()) for k, v in options.items()}, text)
    return found


@pytest.mark.parametrize("edition", ["en", "zh"])
def test_the_right_option_is_not_given_away_by_its_length(edition):
    """Issue 21: in every multiple-choice exercise, both editions, the right option is at most 15 %
    longer than the longest wrong one (a learner should not win by picking the longest answer)."""
    from helpers import NOTEBOOKS, ZH_NOTEBOOKS
    from utils.exercises import verdict

    checked = 0
    for notebook in (NOTEBOOKS if edition == "en" else ZH_NOTEBOOKS):
        for id, (options, _) in _options_by_exercise(notebook).items():
            right = next(letter for letter in options if verdict(id, letter)[0])
            longest_wrong = max(len(text) for letter, text in options.items() if letter != right)
            assert len(options[right]) <= 1.15 * longest_wrong, f"{notebook.name} {id}: {options}"
            checked += 1
    assert checked >= 8
