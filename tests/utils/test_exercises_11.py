"""Lesson 11's exercises (and lesson 10's 10.3): right answers pass, typical wrong ones get the hint that fits, in both
languages."""
from __future__ import annotations

import re

import pytest
import torch

from solutions import lesson10, lesson11
from utils.exercises import verdict
from utils.i18n import set_language

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(params=["en", "zh"])
def language(request):
    set_language(request.param)
    yield request.param
    set_language("en")


def wrong(id, answer, language, *words):
    ok, problem = verdict(id, answer)
    assert ok is False and problem
    assert bool(CHINESE.search(problem)) == (language == "zh"), problem
    if language == "en":
        assert all(w in problem for w in words), problem


def test_11_1_steps_of_the_schedule(language):
    for typed in (240, 240.0, torch.tensor(240)):
        assert verdict("11.1", typed) == (True, "")
    wrong("11.1", 230, language, "round")  # 1500 // 64 = 23: the last batch forgotten
    wrong("11.1", 24, language, "one epoch")
    wrong("11.1", 15_000, language, "not one image")
    wrong("11.1", "240 steps", language, "whole number")


def test_11_2_flip_scores(language):
    assert verdict("11.2", lesson11.flip_scores) == (True, "")
    assert verdict("11.2", lambda model, imgs: (model(imgs.flip(-1)) + model(imgs)) * 0.5) == (True, "")
    wrong("11.2", lesson11.flip_upside_down, language, "upside down", "dimension 3")
    wrong("11.2", lesson11.flip_channels, language, "colour channels")
    wrong("11.2", lesson11.sum_not_mean, language, "divide it by 2")
    wrong("11.2", lesson11.mirror_only, language, "alone")
    wrong("11.2", lesson11.guesses_not_scores, language, "one number per image")


def test_explain_exercises_give_the_reason_of_each_wrong_letter(language):
    for id, right in (("10.3", "b"), ("11.3", "b"), ("11.4", "b")):
        assert verdict(id, right) == (True, "")
        for letter in "acd":
            wrong(id, letter, language)
    wrong("11.4", "a", language, "luck")
    wrong("10.3", "a", language, "never opens a file")


def test_10_4_notices_a_model_that_never_read_the_file(language):
    wrong("10.4", lesson10.deep_copy_instead, language, "never reads the file back")
    assert verdict("10.4", lesson10.save_and_load) == (True, "")
