"""utils.models: the tutorial's Tudui exactly, and lesson 11's TuduiPlus, FastNet and FlipTTA."""
from __future__ import annotations

import torch
from torch import nn

from utils import FastNet, FlipTTA, Tudui, TuduiPlus, count_parameters
from utils.models import whitening_filters

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
    blocks = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear)) and m is not model.whiten]
    assert not any(m.bias is not None for m in blocks)
    assert model.whiten.bias is not None and not model.whiten.weight.requires_grad  # fixed filters, a trained bias
    assert FastNet(whiten=False).whiten is None and FastNet(whiten=False)(torch.zeros(1, 3, 32, 32)).shape == (1, 10)


def test_whitening_filters_whiten_the_patches():
    """After the whitening layer, the 2x2 patches' 12 numbers are uncorrelated with variance 1."""
    torch.manual_seed(0)
    mixing = torch.randn(3, 3)
    imgs = torch.einsum("ij,njhw->nihw", mixing, torch.randn(200, 3, 16, 16))  # correlated colour channels
    imgs = imgs + 0.5 * imgs.roll(1, dims=3)  # and correlated neighbours
    filters = whitening_filters(imgs)
    assert filters.shape == (24, 3, 2, 2) and torch.allclose(filters[12:], -filters[:12])
    out = nn.functional.conv2d(imgs, filters[:12]).permute(0, 2, 3, 1).reshape(-1, 12)
    covariance = out.T @ out / len(out)
    assert torch.allclose(covariance, torch.eye(12), atol=0.02)
    model = FastNet()
    model.init_whitening(imgs)
    assert torch.equal(model.whiten.weight, filters)


def test_flip_tta_with_shift_averages_six_views():
    torch.manual_seed(0)
    inner = Tudui().eval()
    x = torch.rand(2, 3, 32, 32)
    padded = nn.functional.pad(x, (1,) * 4, mode="reflect")
    views = [x, padded[:, :, :32, :32], padded[:, :, 2:, 2:]]
    with torch.no_grad():
        expected = sum(inner(v) + inner(v.flip(3)) for v in views) / 6
        assert torch.allclose(FlipTTA(inner, shift=1)(x), expected, atol=1e-6)
        assert not torch.allclose(FlipTTA(inner, shift=1)(x), FlipTTA(inner)(x), atol=1e-4)


def test_flip_tta_averages_an_image_and_its_mirror():
    torch.manual_seed(0)
    inner = Tudui().eval()
    x = torch.rand(4, 3, 32, 32)
    with torch.no_grad():
        expected = (inner(x) + inner(x.flip(3))) / 2
        assert torch.allclose(FlipTTA(inner)(x), expected)
        assert torch.allclose(FlipTTA(inner)(x), FlipTTA(inner)(x.flip(3)), atol=1e-6)  # mirror-invariant
