"""The Chinese edition follows its style sheet (tools/zh_style.py): one term per idea, 你, full-width punctuation."""
from __future__ import annotations

from tools import zh_style


def test_the_style_sheet_finds_and_fixes_what_it_names():
    text = "这一课用图片:(1)下采样,你好。`print(a, b)` 和 “教程的原话,保留” 不改。\n> 引用的笔记,不改"
    found = zh_style.problems(text)
    assert any("'这一课'" in p for p in found) and any("'图片'" in p for p in found)
    assert sum("half-width" in p for p in found) == 4  # ':' '(' ')' ','
    fixed = zh_style.fix(text)
    assert fixed == "本课用图像：（1）下采样，你好。`print(a, b)` 和 “教程的原话,保留” 不改。\n> 引用的笔记,不改"
    assert zh_style.problems(fixed) == []
    assert zh_style.problems("运行 `make data`，见 https://pytorch.org/get-started/locally/ 。比例 1:2") == []


def test_the_terms_are_the_glossarys():
    """Where GLOSSARY.md names a term in Chinese, the style sheet never calls that name a variant."""
    from helpers import REPO_ROOT

    glossary = (REPO_ROOT / "GLOSSARY.md").read_text(encoding="utf-8")
    assert not [variant for variant in zh_style.TERMS if variant in glossary]


def test_the_chinese_edition_follows_the_style_sheet():
    found = [f"{where}: {p}" for where, text in zh_style.all_texts() for p in zh_style.problems(text)]
    assert not found, f"{len(found)} problem(s), e.g.:\n" + "\n".join(found[:15]) + \
        "\n(python -m tools.zh_style lists them all)"
