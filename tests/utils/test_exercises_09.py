"""Lesson 09's exercises: the answers a learner types pass, the typical wrong ones fail with a reason, in both languages."""
from __future__ import annotations

import re

import pytest
import torch
from torch import nn

from utils.exercises import verdict
from utils.exercises.lesson09 import VGG16_CIFAR100_PARAMS
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


def test_the_count_matches_torchvision():
    import torchvision

    model = torchvision.models.vgg16(weights=None)
    model.classifier[6] = nn.Linear(4096, 100)
    assert sum(p.numel() for p in model.parameters()) == VGG16_CIFAR100_PARAMS == 134_670_244


def test_09_1_parameter_count(language):
    for typed in (134670244, 134_670_244, 134670244.0, torch.tensor(134670244)):
        assert verdict("09.1", typed) == (True, "")
    wrong("09.1", 138_357_544 + 409_700, language, "replaces")
    wrong("09.1", 134_301_514, language, "10 classes")
    wrong("09.1", 138_357_544 - 4_096_000 + 409_600, language, "bias")
    wrong("09.1", 409_700, language, "new layer alone")
    wrong("09.1", "134,670,244", language, "whole number")


def new_last_layer(model, num_classes):  # as a learner writes it
    model[-1] = nn.Linear(model[-1].in_features, num_classes)
    return model


def test_09_2_replace_the_last_layer(language):
    assert verdict("09.2", new_last_layer) == (True, "")
    model = new_last_layer(nn.Sequential(nn.Flatten(), nn.Linear(3072, 64), nn.ReLU(), nn.Linear(64, 10)), 5)
    assert model(torch.zeros(1, 3, 32, 32)).shape == (1, 5)

    def appended(model, num_classes):
        model.add_module("add_linear", nn.Linear(model[-1].out_features, num_classes))
        return model

    def always_ten(model, num_classes):
        model[-1] = nn.Linear(model[-1].in_features, 10)
        return model

    def no_return(model, num_classes):
        model[-1] = nn.Linear(model[-1].in_features, num_classes)

    wrong("09.2", appended, language, "one more layer")
    wrong("09.2", always_ten, language, "outputs")
    wrong("09.2", no_return, language, "return the model")
    wrong("09.2", new_last_layer(nn.Sequential(nn.Linear(4, 2)), 3), language, "function itself")


def test_09_3_why_reuse_helps(language):
    assert verdict("09.3", "c") == (True, "")
    assert verdict("09.3", " C ") == (True, "")
    for letter in "abd":
        wrong("09.3", letter, language)
    wrong("09.3", 3, language)
