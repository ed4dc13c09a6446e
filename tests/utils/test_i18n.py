"""utils.i18n: the language of the course's messages."""
from __future__ import annotations

import re

import pytest

from utils import ParameterError, resolve_source
from utils.i18n import LANGUAGES, language, set_language, tr

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def back_to_english():
    yield
    set_language("en")


def test_english_is_the_default_and_tr_follows_the_language():
    assert LANGUAGES == ("en", "zh")
    assert language() == "en" and tr("Seed", "随机种子") == "Seed"
    assert set_language("zh") == "zh"
    assert language() == "zh" and tr("Seed", "随机种子") == "随机种子"
    set_language("en")
    assert tr("Seed", "随机种子") == "Seed"


@pytest.mark.parametrize("bad", ["fr", "ZH", "", None])
def test_unknown_language_is_a_parameter_error_and_changes_nothing(bad):
    with pytest.raises(ParameterError, match="language must be one of 'en', 'zh'"):
        set_language(bad)
    assert language() == "en"
    set_language("zh")
    with pytest.raises(ParameterError, match="language 必须是以下之一：'en'、'zh'"):  # in the language still in use
        set_language(bad)
    assert language() == "zh"


def test_the_data_line_comes_in_the_language(tmp_path):
    english = str(resolve_source("sample", tmp_path))
    set_language("zh")
    chinese = str(resolve_source("sample", tmp_path))
    assert not CHINESE.search(english) and CHINESE.search(chinese)
    assert "make data" in english and "make data" in chinese  # the command is the same in both
