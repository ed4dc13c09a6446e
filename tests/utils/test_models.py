"""utils.models: the tutorial's Tudui exactly, and lesson 10's TuduiPlus, FastNet and FlipTTA."""
from __future__ import annotations

import torch
from torch import nn

from utils import FastNet, FlipTTA, Tudui, TuduiPlus, count_parameters

TUTORIAL_LAYERS = ["Conv2d", "MaxPool2d", "Conv2d", "MaxPool2d", "Conv2d", "MaxPool2d", "Flatten", "Linear", "Linear"]


def test_tudui_matches_the_tutorial():
    model = Tudui()
    assert [type(m).__name__ for m in model.model1] == TUTORIAL_LAYERS
    convs = [m for m in model.model1 if isinstance(m, nn.Conv2d)]
    assert [(c.in_channels, c.out_channels, c.kernel_size, c.padding) for c in convs] == [
        (3, 32, (5, 5), (2, 2)), (32, 32, (5, 5), (2, 2)), (32, 64, (5, 5), (2, 2))]
    linears = [m for m in model.model1 if isinstance(m, nn.Linear)]
    assert [(l.in_features, l.out_features) for l in linears] == [(1024, 64), (64, 10)]
    assert model(torch.ones(64, 3, 32, 32)).shape == (64, 10)
    assert count_parameters(model) == 145_578


def test_tudui_num_classes():
    assert Tudui(num_classes=2)(torch.zeros(3, 3, 32, 32)).shape == (3, 2)


def test_tudui_plus_without_its_fixes_is_tudui():
    torch.manual_seed(5)
    tudui = Tudui()
    torch.manual_seed(5)
    plain = TuduiPlus(relu=False, batchnorm=False)
    assert [type(m).__name__ for m in plain.model1] == TUTORIAL_LAYERS
    assert list(plain.state_dict()) == list(tudui.state_dict())
    assert all(torch.equal(a, b) for a, b in zip(plain.state_dict().values(), tudui.state_dict().values()))


def test_tudui_plus_switches():
    kinds = [type(m).__name__ for m in TuduiPlus().model1]
    assert kinds.count("ReLU") == 4 and kinds.count("BatchNorm2d") == 3
    assert kinds[:4] == ["Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d"]
    only_relu = [type(m).__name__ for m in TuduiPlus(relu=True, batchnorm=False).model1]
    assert "BatchNorm2d" not in only_relu and only_relu.count("ReLU") == 4
    assert TuduiPlus()(torch.zeros(2, 3, 32, 32)).shape == (2, 10)


def test_fast_net_shapes():
    model = FastNet()
    assert model(torch.zeros(2, 3, 32, 32)).shape == (2, 10)
    assert FastNet(widths=(8, 16), num_classes=3)(torch.zeros(2, 3, 32, 32)).shape == (2, 3)
    assert not any(isinstance(m, (nn.Conv2d, nn.Linear)) and m.bias is not None for m in model.modules())


def test_flip_tta_averages_an_image_and_its_mirror():
    torch.manual_seed(0)
    inner = Tudui().eval()
    x = torch.rand(4, 3, 32, 32)
    with torch.no_grad():
        expected = (inner(x) + inner(x.flip(3))) / 2
        assert torch.allclose(FlipTTA(inner)(x), expected)
        assert torch.allclose(FlipTTA(inner)(x), FlipTTA(inner)(x.flip(3)), atol=1e-6)  # mirror-invariant
