"""The learners' notes are cited as what they are (issue 28, item 6), in both editions.

The course follows five blog posts, learners' notes on 我是土堆's videos.  A slip, a typo or an error in them
is the post's, never "the tutorial's", 教程's or 土堆's; a sentence quoted from them names its post's title;
lesson 00 says once what the five posts are.
"""
from __future__ import annotations

import io
import json
import re
import tokenize

import pytest

from helpers import NOTEBOOKS, ZH_NOTEBOOKS

#: The five posts (/work/shared/seeds), by title.
POSTS = ("PyTorch——损失函数与反向传播(8)", "Loss Function的作用", "【pytorch笔记】损失函数反向传播与优化器optimizer",
         "pytorch(6)——神经网络基本骨架nn.module的使用", "loss_function = torch.nn.CrossEntropyLoss()")
ALL = NOTEBOOKS + ZH_NOTEBOOKS
ids = [f"{nb.parent.name}/{nb.stem}" for nb in ALL]
#: Who a sentence may blame, and for what.
TUTORIAL = {"en": re.compile(r"\b[Tt]utorial\b|\bvideos?\b|土堆"), "zh": re.compile(r"教程|土堆|视频")}
SLIP = {"en": re.compile(r"\b(slips?|typos?|mistakes?|misprints?|wrong|incorrect|errors? in|copied from)\b", re.I),
        "zh": re.compile(r"笔误|打错|写错|有误|弄错|错了|说错|抄错|抄自|照抄|错别字|不对")}
CJK_QUOTE = re.compile(r"[\"“]([^\"”\n]*[\u4e00-\u9fff][^\"”\n]*)[\"”]")


def edition(nb) -> str:
    return "zh" if nb.parent.name == "zh" else "en"


def texts(nb) -> list[tuple[str, str]]:
    """(where, text) of the notebook's prose: markdown cells and code comments."""
    found = []
    for i, cell in enumerate(json.loads(nb.read_text(encoding="utf-8"))["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            found.append((f"cell {i}", source))
            continue
        try:
            for tok in tokenize.generate_tokens(io.StringIO(re.sub(r"(?m)^(\s*)[%!].*$", r"\1pass", source)).readline):
                if tok.type == tokenize.COMMENT:
                    found.append((f"cell {i} comment", tok.string))
        except (tokenize.TokenError, IndentationError):
            pass
    return found


def sentences(text: str, lang: str) -> list[str]:
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    parts = re.split(r"(?<=[.!?])\s+|\n\s*\n|\n[-*] " if lang == "en" else r"[。！？]|\n\s*\n|\n[-*] ", text)
    return [p for p in parts if p.strip()]


def blames_the_tutorial(sentence: str, lang: str) -> bool:
    """Whether ``sentence`` puts a slip, typo or error on the tutorial (and names no post as its source)."""
    if any(title in sentence for title in POSTS) or re.search(r"\bposts?\b|\blearners' notes\b|学习笔记|博文", sentence):
        return False
    return bool(TUTORIAL[lang].search(sentence) and SLIP[lang].search(sentence))


@pytest.mark.parametrize("nb", ALL, ids=ids)
def test_no_sentence_blames_a_slip_on_the_tutorial(nb):
    lang = edition(nb)
    found = [f"{where}: {s.strip()[:120]}" for where, text in texts(nb) for s in sentences(text, lang)
             if blames_the_tutorial(s, lang)]
    assert not found, f"{nb.parent.name}/{nb.name}: a slip is the notes', not the tutorial's:\n" + "\n".join(found)


#: The notes are the learners', not the tutorial's (issue 28: "a slip in the notes" under "The tutorial's notes").
NOT_THE_TUTORIALS = re.compile(r"tutorial's (?:own )?notes?|notes of the tutorial|教程的笔记|教程笔记|教程的原始笔记")


@pytest.mark.parametrize("nb", ALL, ids=ids)
def test_the_notes_are_not_called_the_tutorials(nb):
    found = [f"{where}: {m.group()}" for where, text in texts(nb) for m in NOT_THE_TUTORIALS.finditer(text)]
    assert not found, f"{nb.parent.name}/{nb.name}: the notes are learners' posts, not the tutorial's: {found}"


@pytest.mark.parametrize("nb", ALL, ids=ids)
def test_quotes_name_their_post(nb):
    """A markdown cell that quotes the notes — a quote block in Chinese, or (English edition) a Chinese phrase in
    quotation marks — names the post it comes from."""
    lang = edition(nb)
    missing = []
    for i, cell in enumerate(json.loads(nb.read_text(encoding="utf-8"))["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        text = re.sub(r"```.*?```|`[^`\n]*`", " ", "".join(cell["source"]), flags=re.S)
        quotes = [line for line in text.splitlines() if line.startswith(">") and re.search(r"[\u4e00-\u9fff]", line)]
        if lang == "en":
            quotes += [m.group(1) for m in CJK_QUOTE.finditer(text) if len(re.findall(r"[\u4e00-\u9fff]", m.group(1))) >= 4]
        if quotes and not any(title in text for title in POSTS):
            missing.append(f"cell {i}: {quotes[0][:60]}")
    assert not missing, f"{nb.parent.name}/{nb.name}: quotes without their post's title: {missing}"


@pytest.mark.parametrize("nb", [NOTEBOOKS[0], ZH_NOTEBOOKS[0]], ids=["en", "zh"])
def test_lesson_00_says_what_the_notes_are(nb):
    prose = "\n".join("".join(c["source"]) for c in json.loads(nb.read_text(encoding="utf-8"))["cells"]
                      if c["cell_type"] == "markdown")
    assert all(title in prose for title in POSTS), [t for t in POSTS if t not in prose]
    assert re.search(r"learners' notes|学习笔记", prose) and "土堆" in prose


def test_the_checks_catch_what_they_name():
    assert blames_the_tutorial("The tutorial's sentence says the same with a typo.", "en")
    assert not blames_the_tutorial("The post 《Loss Function的作用》 has a typo, not the tutorial.", "en")
    assert blames_the_tutorial("教程也是这么说的，只是有一处笔误", "zh")
    assert not blames_the_tutorial("教程给出的模型有 145,578 个参数", "zh")
