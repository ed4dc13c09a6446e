"""What the 中文版 prints and draws is Chinese (issue 28, items 1 and 2).

- Every line the zh lessons print and every text their figures draw, in the CI-parameter runs the lesson tests
  share (the ``executed`` fixture; the texts a figure draws come from the recorder cell of ``tools.probes``),
  holds no English word outside the lesson's own code identifiers, what PyTorch itself prints (an
  exception's or a warning's message, a documentation text the lesson shows) and the short list
  :data:`ALLOWED` of names.  No notebook is run for this test alone.
- The stored zh outputs name no CIFAR-10 class in English (airplane … truck): class names go through
  ``utils.data.class_label`` and ``utils.plotting.class_name``.
- The prose of each edition quotes output as that edition prints it, and no zh markdown explains an English
  label (there is none left to explain).
"""
from __future__ import annotations

import ast
import io
import json
import keyword
import re
import tokenize
from pathlib import Path

import pytest

from helpers import NOTEBOOKS, REPO_ROOT, ZH_NOTEBOOKS

CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
#: Names that stay English in Chinese text: Python's constants, devices, data sources (the parameter's values) and
#: start methods as the code names them, products and file formats, acronyms.  (A lesson's own code identifiers
#: are allowed as well, and the name of the Chinese font figures use, which lesson 00 prints.)
ALLOWED = {
    "True", "False", "None", "cpu", "cuda", "mps", "auto", "sample", "folder", "fork", "spawn", "Tensor", "Tudui", "ln", "MSE",
    "Python", "PyTorch", "NumPy", "TensorBoard", "CIFAR", "ImageNet", "VGG", "NVIDIA", "Apple", "Windows", "macOS",
    "Linux", "CUDA", "GPU", "CPU", "MPS", "PNG", "RGB", "HWC", "CHW", "SGD", "Adam", "MB", "MiB", "GiB", "KB",
    "AMD", "EPYC", "Intel", "Xeon", "Nesterov", "notebook",  # notebook: GLOSSARY.md keeps it English (保留英文)
}
#: A command line the course prints (a reference run's command) is code, not prose: from its program to the line's end.
COMMAND_LINE = re.compile(r"\b(?:papermill|python -m) \S.*$")
#: What IPython's %%writefile prints: its own message, as an exception's is Python's.
WRITEFILE = re.compile(r"^(?:Writing|Overwriting) \S+$")
#: Commands the course's own lines name (the data line's "make data").
COMMANDS = ("make data", "python -m tools data")
#: Text PyTorch or torchvision itself writes, which a lesson prints as it is: Python expressions evaluated by the
#: test (with torch, torchvision, inspect and ``warnings_of`` at hand); a printed line found in one of them — after
#: the lesson's own label, up to a full-width colon — is PyTorch's.
PYTORCH_TEXTS = {
    "01_data": ["torchvision.transforms.Normalize.__doc__", "inspect.getdoc(torchvision.transforms.Normalize.forward)",
                "'Normalize' + str(inspect.signature(torchvision.transforms.Normalize))"],
    "07_loss": ["warnings_of(lambda: torch.nn.L1Loss()(torch.zeros(1, 1, 1, 3), torch.zeros(3)))",
                "warnings_of(lambda: torch.nn.L1Loss()(torch.zeros(3, 1), torch.zeros(3)))"],
    "08_optimizers": ["str(torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.01))"],
    "09_pretrained": ["warnings_of(lambda: torchvision.models.vgg16(pretrained=False))"],
}


def warnings_of(fn) -> str:
    """The messages of the warnings ``fn()`` gives, one a line."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return "\n".join(str(w.message) for w in caught)


#: An exception's or a warning's class name: what follows it on the line is Python's or PyTorch's message.
PYTHON_MESSAGE = re.compile(r"\b[A-Z]\w*(?:Error|Warning|Exception)\b:?.*$")
WORD = re.compile(r"[A-Za-z]+")
#: A word touching one of these is part of a name, a path, a call or a number (conv1, kernel_size, torch.Size,
#: sample/cifar10, Conv2d(, stride=, cifar-10).
CODE_NEIGHBOURS = set("_0123456789/\\-=(<>@#$`")


def code_identifiers(notebook: Path) -> set[str]:
    """The names (not keywords) the notebook's code cells use — variables, functions, attributes, keyword arguments —
    and the one-word strings its code keeps (TensorBoard tags, dict keys: in a zh notebook, the strings that stay
    English because they are data)."""
    names: set[str] = set()
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = re.sub(r"(?m)^(\s*)[%!].*$", r"\1pass", "".join(cell["source"]))
        try:
            for tok in tokenize.generate_tokens(io.StringIO(source).readline):
                if tok.type == tokenize.NAME and not keyword.iskeyword(tok.string):
                    names.add(tok.string)
                elif tok.type == tokenize.STRING and re.fullmatch(r"[rb]?(['\"])[A-Za-z_]\w*\1", tok.string):
                    names.add(tok.string.strip("rb'\""))  # a one-word string the code keeps as data: a tag, a key
        except (tokenize.TokenError, IndentationError):
            continue
    return names


def english_words(text: str, identifiers: set[str] = frozenset()) -> list[str]:
    """The English words of ``text`` (printed or drawn in the 中文版): letters that are not part of a name, path,
    call or number, not an identifier of the lesson's code, not in :data:`ALLOWED`, not PyTorch's message."""
    found = []
    for line in text.splitlines():
        line = re.sub(r"https?://\S+", " ", PYTHON_MESSAGE.sub("", line))  # an address is not prose
        line = " " if WRITEFILE.match(line.strip()) else COMMAND_LINE.sub(" ", line)
        for command in COMMANDS:
            line = line.replace(command, " ")
        for m in WORD.finditer(line):
            word, before, after = m.group(), line[m.start() - 1:m.start()], line[m.end():m.end() + 1]
            dotted = (before == "." and m.start() >= 2 and line[m.start() - 2].isalnum()) or \
                     (after == "." and line[m.end() + 1:m.end() + 2].isalpha())
            if len(word) == 1 or before in CODE_NEIGHBOURS or after in CODE_NEIGHBOURS or dotted:
                continue
            if re.search(r"[a-z][A-Z]|[A-Z]{2}[a-z]", word):  # CamelCase or ReLU: a name
                continue
            if word in identifiers or word in ALLOWED:
                continue
            found.append(word)
    return found


def english_class_names(text: str) -> list[str]:
    """CIFAR-10 class names written in English in ``text`` (not inside a name such as ``cat_set``)."""
    return [m.group(1) for m in re.finditer(rf"(?<![\w.])({'|'.join(CIFAR10_CLASSES)})(?![\w])", text)]


def printed_lines(notebook: Path) -> list[tuple[int, str]]:
    """(cell index, line) of everything the notebook's code printed: streams and results shown as text (not
    figures' reprs)."""
    lines = []
    for i, cell in enumerate(json.loads(notebook.read_text(encoding="utf-8"))["cells"]):
        if "course-probe" in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                text = "".join(output.get("text", ""))
            elif output.get("output_type") in ("execute_result", "display_data") and "image/png" not in output.get("data", {}):
                text = "".join(output.get("data", {}).get("text/plain", ""))
            else:
                continue
            lines += [(i, line) for line in text.splitlines() if not line.startswith("<Figure size")]
    return lines


def pytorch_text(lesson: str) -> str:
    import inspect

    import torch
    import torchvision

    names = {"inspect": inspect, "torch": torch, "torchvision": torchvision, "warnings_of": warnings_of}
    return "\n".join(str(eval(expression, names)) for expression in PYTORCH_TEXTS.get(lesson, []))  # noqa: S307


def pytorch_class_names() -> set[str]:
    """The names of PyTorch's layers, losses, optimizers and torchvision's transforms (``Normalize``, ``Sigmoid``):
    names of code, as a lesson's prose and lines write them."""
    import torch
    import torchvision

    return {name for module in (torch.nn, torch.optim, torchvision.transforms, torchvision.datasets)
            for name in dir(module) if name[:1].isupper()}


def _is_pytorch_line(line: str, text: str) -> bool:
    """Whether ``line`` — after a label of the course's own, up to a full-width colon — is PyTorch's ``text``."""
    squeezed = " ".join(line.split("：")[-1].split())
    return bool(squeezed) and squeezed in " ".join(text.split())


# ----------------------------------------------------------------------------- the finder itself
def test_english_words_finds_prose_and_spares_names():
    assert english_words("layer by layer  torch.Size([64, 10])", {"layer"}) == ["by"]
    assert english_words("类别： ['airplane', 'automobile']") == ["airplane", "automobile"]
    assert english_words("Conv2d(1, 20, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))") == []
    assert english_words("tensor(2.3499, grad_fn=<NllLossBackward0>)") == []
    assert english_words("批次 9：RuntimeError: mat1 and mat2 shapes cannot be multiplied") == []
    assert english_words("数据：课程自带的样本 sample/cifar10。请运行：make data") == []
    assert english_words("设备： cpu   the whole Tudui   NOT linear", {"Tudui"}) == ["the", "whole", "NOT", "linear"]
    assert english_words("imgs: torch.Size([4])  targets: ...", {"imgs", "targets"}) == []
    assert english_words("ReLU、OrderedDict 和 ImageFolder") == []
    assert english_words("地址： https://download.pytorch.org/models/vgg16-397923af.pth") == []
    assert english_words("           papermill notebooks/11.ipynb OUT.ipynb -p progress False") == []
    assert english_words("Writing /tmp/x/model.py") == [] and english_words("Writing the file") == ["Writing", "the", "file"]
    assert english_class_names("cat_set[0]: 猫   'cat'  dog. airplanes") == ["cat", "dog"]


# ----------------------------------------------------------------------------- stored outputs
@pytest.mark.parametrize("notebook", ZH_NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_zh_outputs_name_no_class_in_english(notebook):
    found = [(i, line.strip()[:100]) for i, line in printed_lines(notebook) if english_class_names(line)]
    assert not found, f"zh/{notebook.name} prints CIFAR-10 classes in English (use class_label): {found[:6]}"


# ----------------------------------------------------------------------------- the zh runs of the lesson tests
@pytest.mark.notebook
@pytest.mark.parametrize("notebook", ZH_NOTEBOOKS, ids=lambda p: p.stem)
def test_zh_run_prints_and_draws_chinese(notebook, executed):
    """The CI-parameter run of the zh lesson (shared with its lesson test): every printed line and every text its
    figures draw is Chinese, apart from code identifiers, PyTorch's own messages and :data:`ALLOWED`."""
    from utils import read_results

    from utils.plotting import cjk_font

    out = executed(notebook.stem, edition="zh")
    identifiers, torch_text = code_identifiers(notebook) | pytorch_class_names(), pytorch_text(notebook.stem)
    problems = []
    for i, line in printed_lines(Path(out)):
        if _is_pytorch_line(line, torch_text):
            continue
        line = line.replace(cjk_font() or "\0", " ")
        if words := english_words(line, identifiers):
            problems.append(f"printed (cell {i}): {line.strip()[:90]!r}: {words}")
    drawn = read_results(out).get("drawn_texts", [])
    for text in drawn:
        if words := english_words(text, identifiers) + english_class_names(text):
            problems.append(f"drawn: {text[:90]!r}: {words}")
    assert not problems, f"zh/{notebook.name}: {len(problems)} English text(s):\n" + "\n".join(problems[:25])


# ----------------------------------------------------------------------------- prose that quotes output
QUOTED = re.compile(r"(?<![*\w])\*([^*\n]{3,80})\*(?![*\w])|“([^”\n]{3,80})”|\"([^\"\n]{3,80})\"")


def _outputs_text(notebook: Path) -> str:
    return "\n".join(line for _, line in printed_lines(notebook))


def _markdown(notebook: Path) -> list[tuple[int, str]]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [(i, "".join(c["source"])) for i, c in enumerate(cells) if c["cell_type"] == "markdown"]


@pytest.mark.parametrize("notebook", ZH_NOTEBOOKS, ids=lambda p: p.stem)
def test_zh_prose_quotes_what_the_zh_edition_prints(notebook):
    """A phrase the zh prose quotes (in *italics* or quotation marks) that the English edition prints must be
    printed by the 中文版 too: the zh prose quotes the zh output, not the English one."""
    english = REPO_ROOT / "notebooks" / notebook.name
    en_out, zh_out = _outputs_text(english), _outputs_text(notebook)
    wrong = []
    for i, text in _markdown(notebook):
        for m in QUOTED.finditer(re.sub(r"`[^`\n]*`", " ", text)):
            span = next(g for g in m.groups() if g)
            if len(re.findall(r"[A-Za-z]", span)) >= 4 and span in en_out and span not in zh_out:
                wrong.append(f"cell {i}: {span!r}")
    assert not wrong, f"zh/{notebook.name} quotes English output the 中文版 does not print: {wrong}"


LABEL_WORDS = re.compile(r"标题|坐标轴|图例|标签|图上|图里|图中")


@pytest.mark.parametrize("notebook", ZH_NOTEBOOKS, ids=lambda p: p.stem)
def test_no_zh_prose_explains_an_english_label(notebook):
    """The 中文版's figures and lines are Chinese, so no sentence explains an English label or title."""
    found = [f"cell {i}: {s.strip()[:80]}" for i, text in _markdown(notebook)
             for s in re.split(r"[。；\n]", text) if "英文" in s and LABEL_WORDS.search(s)]
    assert not found, f"zh/{notebook.name}: {found}"


def test_every_lesson_has_both_editions():
    assert [nb.name for nb in NOTEBOOKS] == [nb.name for nb in ZH_NOTEBOOKS]


def test_pytorch_texts_name_real_text():
    for lesson in PYTORCH_TEXTS:
        assert len(pytorch_text(lesson)) > 40, lesson


def test_code_identifiers_reads_names_not_strings_or_keywords(tmp_path):
    nb = tmp_path / "99_x.ipynb"
    nb.write_text(json.dumps({"cells": [{"cell_type": "code", "source": ["for imgs in loader:\n", "    print('layer by layer')\n"]},
                                        {"cell_type": "code", "source": ["%tensorboard --logdir x\n", "y = 1"]}]}))
    assert code_identifiers(nb) == {"imgs", "loader", "print", "y"}
    nb.write_text(json.dumps({"cells": [{"cell_type": "code", "source": ["writer.add_images('input', x, 0)  # 'ignored'"]}]}))
    assert code_identifiers(nb) == {"writer", "add_images", "input", "x"}


def test_a_lesson_code_is_python():
    for notebook in NOTEBOOKS:
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                ast.parse(re.sub(r"(?m)^(\s*)[%!].*$", r"\1pass", "".join(cell["source"])))
