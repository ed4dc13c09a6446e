"""GLOSSARY.md: each term in English and Chinese, linked to a lesson that exists and teaches it."""
from __future__ import annotations

import json
import re

from helpers import NOTEBOOKS, REPO_ROOT

ROW = re.compile(r"^\| (?P<en>[^|]+) \| (?P<zh>[^|]+) \| \[[^\]]+\]\((?P<link>[^)]+)\) \|$")


def rows():
    lines = (REPO_ROOT / "GLOSSARY.md").read_text(encoding="utf-8").splitlines()
    table = [line for line in lines if line.startswith("| ") and not line.startswith(("| English", "|---"))]
    return table, [ROW.match(line) for line in table]


def test_every_row_is_well_formed():
    table, matches = rows()
    assert len(table) >= 40
    for line, m in zip(table, matches):
        assert m, f"malformed glossary row: {line}"
        assert re.search(r"[\u4e00-\u9fff]", m["zh"]), f"no Chinese name in: {line}"
        assert re.search(r"[A-Za-z]", m["en"]), f"no English name in: {line}"


def test_links_point_at_lessons_that_mention_the_term():
    _, matches = rows()
    existing = {f"notebooks/{nb.name}": nb for nb in NOTEBOOKS}
    for m in matches:
        assert m["link"] in existing, f"glossary links to a missing lesson: {m['link']}"
    taught = {m["link"] for m in matches}
    assert set(existing) <= taught, f"lessons without a glossary entry: {set(existing) - taught}"


def test_lessons_name_their_terms_in_chinese():
    """The lesson a term links to gives the term's Chinese name (the course's convention)."""
    _, matches = rows()
    for m in matches:
        text = json.dumps(json.loads((REPO_ROOT / m["link"]).read_text(encoding="utf-8"))["cells"], ensure_ascii=False)
        names = [n.strip() for n in re.split(r"[（）/]", m["zh"]) if re.search(r"[\u4e00-\u9fff]", n)]
        assert any(n in text for n in names), f"{m['link']} never names {m['zh']!r}"
