"""utils.summary: parameter counts, the layer table, and the output-size formula."""
from __future__ import annotations

import pytest
import torch
from torch import nn

from utils import Tudui, conv_output_size, count_parameters, layer_table, print_layer_table


def test_count_parameters():
    assert count_parameters(nn.Linear(1024, 64)) == 1024 * 64 + 64
    model = nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 1))
    model[0].requires_grad_(False)
    assert count_parameters(model) == 3 and count_parameters(model, trainable_only=False) == 11


def test_layer_table_shapes():
    model = Tudui()
    rows = layer_table(model, (2, 3, 32, 32))
    assert [r.output_shape[1:] for r in rows] == [(32, 32, 32), (32, 16, 16), (32, 16, 16), (32, 8, 8), (64, 8, 8),
                                                  (64, 4, 4), (1024,), (64,), (10,)]
    assert all(r.output_shape[0] == 2 for r in rows)
    assert sum(r.parameters for r in rows) == 145_578
    assert rows[0].name == "model1.0" and rows[0].layer == "Conv2d" and rows[1].parameters == 0


def test_layer_table_leaves_the_model_as_it_was():
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Flatten())
    model.train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    layer_table(model)
    assert model.training and all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert not model[0]._forward_hooks, "the hooks must be removed"
    with_bn1d = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3))  # train mode with one image would fail
    assert [r.output_shape for r in layer_table(with_bn1d, (1, 4))] == [(1, 3), (1, 3)] and with_bn1d.training


def test_layer_table_of_a_model_without_parameters():
    assert [r.output_shape for r in layer_table(nn.MaxPool2d(2), (1, 3, 8, 8))] == [(1, 3, 4, 4)]


def test_print_layer_table(capsys):
    print_layer_table(Tudui())
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == 12  # header, input, 9 layers, total
    assert lines[1].split()[:4] == ["input", "3", "x", "32"]
    assert "64 x 4 x 4" in out and lines[-1].split() == ["total", "145,578"]


@pytest.mark.parametrize("size, k, s, p, d, ceil", [
    (32, 5, 1, 2, 1, False), (5, 3, 1, 0, 1, False), (5, 3, 2, 0, 1, False), (5, 3, 1, 1, 1, False),
    (32, 3, 1, 0, 1, False), (7, 3, 1, 0, 2, False), (5, 3, 3, 0, 1, True), (5, 3, 3, 0, 1, False),
    (32, 3, 3, 0, 1, True), (32, 3, 3, 0, 1, False), (6, 2, 2, 1, 1, True), (9, 4, 3, 1, 1, True),
    (10, 3, 2, 1, 2, False), (8, 2, 2, 0, 1, True),
])
def test_conv_output_size_agrees_with_pytorch(size, k, s, p, d, ceil):
    x = torch.zeros(1, 1, size, size)
    pool = nn.MaxPool2d(k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
    assert conv_output_size(size, k, s, p, d, ceil) == pool(x).shape[-1]
    if not ceil:
        conv = nn.Conv2d(1, 1, k, stride=s, padding=p, dilation=d)
        assert conv_output_size(size, k, s, p, d) == conv(x).shape[-1]
