"""utils.plotting: image grids, columns, feature maps and curves; a Chinese font where there is one."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
import torch
from matplotlib import font_manager

from utils import plot_curves, show_columns, show_feature_maps, show_images
from utils import plotting


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_show_images_grid_and_captions():
    imgs = torch.rand(10, 3, 32, 32)
    fig = show_images(imgs, labels=torch.arange(10), classes=[f"c{i}" for i in range(10)], ncols=5, title="t")
    assert [ax.get_title() for ax in fig.axes] == [f"c{i}" for i in range(10)] and len(fig.axes) == 10
    assert fig._suptitle.get_text() == "t"
    assert [ax.get_title() for ax in show_images(imgs[:3], labels=[2, 0, 1]).axes] == ["2", "0", "1"]
    shown = fig.axes[0].images[0].get_array()
    assert shown.shape == (32, 32, 3) and torch.allclose(torch.as_tensor(shown.data), imgs[0].permute(1, 2, 0))


def test_show_images_rescales_out_of_range_values():
    fig = show_images(torch.randn(4, 1, 8, 8) * 5)
    values = fig.axes[0].images[0].get_array()
    assert values.min() >= 0 and values.max() <= 1


def test_show_images_pads_the_last_row_with_empty_axes():
    fig = show_images(torch.rand(5, 3, 8, 8), ncols=4)
    assert len(fig.axes) == 8 and sum(len(ax.images) for ax in fig.axes) == 5


@pytest.mark.parametrize("bad", [torch.rand(3, 32, 32), torch.rand(2, 2, 8, 8)])
def test_show_images_refuses_other_shapes(bad):
    with pytest.raises(ValueError, match="show_images wants"):
        show_images(bad)


def test_show_columns_one_column_per_batch():
    imgs = torch.rand(6, 3, 32, 32)
    fig = show_columns({"input": imgs, "pooled": imgs[:, :, ::2, ::2]}, n=3, labels=[0, 1, 2], classes=["a", "b", "c"])
    assert len(fig.axes) == 6
    assert fig.axes[0].get_title() == "input\n32x32" and fig.axes[1].get_title() == "pooled\n16x16"
    assert [fig.axes[2 * r].get_ylabel() for r in range(3)] == ["a", "b", "c"]
    assert len(show_columns({"x": imgs[:2]}, n=4).axes) == 2  # no more rows than images


def test_show_feature_maps():
    fig = show_feature_maps(torch.randn(2, 6, 30, 30), ncols=3)
    assert len(fig.axes) == 6 and fig.axes[5].get_title() == "channel 5"
    assert len(show_feature_maps(torch.randn(4, 5, 5)).axes) == 4
    with pytest.raises(ValueError, match="show_feature_maps wants"):
        show_feature_maps(torch.rand(32))


def test_plot_curves():
    fig = plot_curves({"SGD": [3, 2, 1], "Adam": [3, 1, torch.tensor(0.5)]}, title="loss")
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.lines] == ["SGD", "Adam"]
    assert list(ax.lines[0].get_xdata()) == [1, 2, 3] and list(ax.lines[1].get_ydata()) == [3, 1, 0.5]
    assert ax.get_title() == "loss" and ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss"
    steps = plot_curves({"loss": list(range(50))}, xlabel="step", start=0).axes[0]
    assert list(steps.lines[0].get_xdata())[:2] == [0, 1] and steps.lines[0].get_marker() in (None, "None", "")


def test_cjk_font_is_added_when_installed(monkeypatch):
    """An installed Chinese font goes into font.family after the Latin default, so both kinds of glyph draw."""
    fake = [font_manager.FontEntry(name="DejaVu Sans"), font_manager.FontEntry(name="Noto Sans CJK SC")]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", fake)
    with matplotlib.rc_context({"font.sans-serif": ["DejaVu Sans", "Arial"], "axes.unicode_minus": True}):
        assert plotting.use_cjk_font() == "Noto Sans CJK SC"
        assert matplotlib.rcParams["font.family"] == ["DejaVu Sans", "Noto Sans CJK SC"]
        assert matplotlib.rcParams["axes.unicode_minus"] is False
        assert plotting.use_cjk_font() == "Noto Sans CJK SC"  # twice: still listed once
        assert matplotlib.rcParams["font.family"].count("Noto Sans CJK SC") == 1
    plotting.use_cjk_font()


def test_no_cjk_font_changes_nothing(monkeypatch):
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [font_manager.FontEntry(name="DejaVu Sans")])
    with matplotlib.rc_context({"font.sans-serif": ["DejaVu Sans", "Arial"], "font.family": ["sans-serif"]}):
        assert plotting.use_cjk_font(bundled=False) is None
        assert matplotlib.rcParams["font.family"] == ["sans-serif"]
    plotting.use_cjk_font()


# ----------------------------------------------------------------------------- Chinese in figures
def _missing_glyph_warnings(text: str) -> int:
    """Draw ``text`` as a title and count matplotlib's 'Glyph ... missing from font' warnings."""
    import warnings

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.set_title(text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    plt.close(fig)
    return sum("missing from" in str(w.message) for w in caught)


def test_chinese_text_draws_with_the_chinese_font_and_not_without(monkeypatch):
    import matplotlib

    from utils import plotting

    saved = dict(matplotlib.rcParams)
    try:
        matplotlib.rcParams["font.family"] = ["DejaVu Sans"]
        monkeypatch.setattr(plotting, "CJK_FONTS", ())  # as on a machine without a Chinese font ...
        assert plotting.use_cjk_font(bundled=False) is None  # ... and without mplfonts
        assert _missing_glyph_warnings("第一个测试批次 (first test batch)") > 0
        assert plotting.fig_text("channel 0", "通道 0") == "channel 0"  # figures fall back to English
        font = plotting.use_cjk_font()  # mplfonts is in requirements.txt: its font is always there
        assert font is not None and plotting.cjk_font() == font
        assert _missing_glyph_warnings("第一个测试批次 (first test batch)") == 0
        from utils.i18n import set_language

        assert plotting.fig_text("channel 0", "通道 0") == "channel 0"  # English edition
        set_language("zh")
        assert plotting.fig_text("channel 0", "通道 0") == "通道 0"
        assert plotting.class_name("cat") == "猫" and plotting.class_name("my-class") == "my-class"
    finally:
        matplotlib.rcParams.update(saved)
        plotting.use_cjk_font()


def test_chinese_class_names_follow_cifar10s_order():
    from utils.data import CIFAR10_CLASSES, CIFAR10_CLASSES_ZH

    assert len(CIFAR10_CLASSES_ZH) == len(CIFAR10_CLASSES) == len(set(CIFAR10_CLASSES_ZH))
    assert dict(zip(CIFAR10_CLASSES, CIFAR10_CLASSES_ZH))["airplane"] == "飞机"
