"""Plotting helpers: image grids, side-by-side columns, feature maps and loss curves.

Each helper draws a new matplotlib figure and returns it.  In a notebook, end the cell
with ``;`` (or assign the figure) so the figure is shown once.

Chinese in figures: :func:`use_cjk_font` makes matplotlib draw Chinese characters with a Chinese
font — one the machine has (Microsoft YaHei on Windows, PingFang on macOS, Noto Sans CJK or
WenQuanYi on Linux), else the Noto Sans CJK SC that the ``mplfonts`` package (in requirements.txt)
ships.  Latin letters keep matplotlib's default font; each Chinese glyph falls back to the Chinese
one (``font.family`` lists both).  Nothing changes matplotlib's fonts behind a learner's back:
each lesson calls :func:`use_cjk_font` in the cell that draws its first figure (lesson 00 says
why), and the helpers here call it when they draw before that.  Without any Chinese font,
:func:`fig_text` gives figures their English text, so they stay readable.
"""
from __future__ import annotations

import math
from typing import Mapping, Sequence

import matplotlib
import matplotlib.pyplot as plt
import torch
from matplotlib import font_manager
from matplotlib.figure import Figure

#: Chinese fonts found on common systems, most common first.
CJK_FONTS = ("Microsoft YaHei", "SimHei", "PingFang SC", "Hiragino Sans GB", "Heiti SC", "Noto Sans CJK SC",
             "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Droid Sans Fallback")


#: The Chinese font in use, once :func:`use_cjk_font` has looked for one (``[None]``: none found).
_cjk: list[str | None] = []
#: Where the ``mplfonts`` package keeps its Simplified Chinese font (relative to the package).
BUNDLED_CJK_FONT = ("fonts", "NotoSansCJKsc-Regular.otf")


def font_help() -> str:
    """What a learner without any Chinese font can do, in the edition's language (printed by lesson 00)."""
    from .messages import msg

    return msg("plotting.font_help")


def _bundled_cjk_font():
    """The path of the Chinese font the ``mplfonts`` package ships, or ``None`` when it is not installed."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]).joinpath(*BUNDLED_CJK_FONT)
    return path if path.is_file() else None


def use_cjk_font(bundled: bool = True) -> str | None:
    """Let matplotlib draw Chinese text: return the Chinese font now used, or ``None`` if there is none.

    The first installed font of :data:`CJK_FONTS` is used, else (with ``bundled``) the one the
    ``mplfonts`` package ships, registered with matplotlib directly (no font cache to rebuild).
    ``font.family`` becomes ``[<the default sans-serif font>, <the Chinese font>]``: matplotlib
    draws each glyph with the first font of that list that has it.
    """
    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((name for name in CJK_FONTS if name in installed), None)
    if found is None and bundled and (path := _bundled_cjk_font()) is not None:
        font_manager.fontManager.addfont(str(path))
        found = font_manager.FontProperties(fname=str(path)).get_name()
    if found is not None:
        latin = next((f for f in matplotlib.rcParams["font.sans-serif"] if f in installed), "DejaVu Sans")
        matplotlib.rcParams["font.family"] = [latin, found] if latin != found else [found]
        matplotlib.rcParams["axes.unicode_minus"] = False  # the minus sign of CJK fonts
    _cjk[:] = [found]
    return found


def _font_looked_for() -> str | None:
    """The Chinese font, looking for one first if :func:`use_cjk_font` has not run yet (a figure drawn
    before the lesson's own call)."""
    return _cjk[0] if _cjk else use_cjk_font()


def cjk_font() -> str | None:
    """The Chinese font figures use (see :func:`use_cjk_font`), or ``None``."""
    return _font_looked_for()


def class_name(name: str) -> str:
    """A CIFAR-10 class name as a figure shows it: Chinese in the 中文版 (with a Chinese font), else as given."""
    from .data import class_label

    return fig_text(name, class_label(name))


def fig_text(en: str, zh: str) -> str:
    """Figure text in the edition's language: ``zh`` in the 中文版 when a Chinese font is there, else ``en``."""
    from .i18n import language

    return zh if language() == "zh" and _font_looked_for() is not None else en


def _grid(n: int, ncols: int, cell: float = 1.3) -> tuple[Figure, list]:
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(cell * ncols, (cell + 0.3) * nrows + 0.4), squeeze=False)  # room for captions
    flat = list(axes.flat)
    for ax in flat:
        ax.axis("off")
    return fig, flat


def show_images(
    images: torch.Tensor,
    labels: Sequence[int] | torch.Tensor | None = None,
    classes: Sequence[str] | None = None,
    ncols: int = 8,
    title: str | None = None,
) -> Figure:
    """Show a batch of RGB (or one-channel) images as a grid.

    Args:
        images: ``(N, C, H, W)`` with ``C`` 1 or 3; values in ``[0, 1]`` are shown as they
            are, anything else (normalized images, layer outputs) is rescaled to ``[0, 1]``.
        labels: optional label per image, shown as a caption.
        classes: optional names, so captions read ``classes[label]``.
        ncols: images per row.
        title: optional figure title.
    """
    _font_looked_for()
    images = images.detach().cpu().float()
    if images.dim() != 4 or images.shape[1] not in (1, 3):
        raise ValueError(f"show_images wants (N, 1 or 3, H, W), got {tuple(images.shape)}")
    if images.min() < 0 or images.max() > 1:
        images = (images - images.min()) / (images.max() - images.min() + 1e-12)
    fig, axes = _grid(len(images), ncols)
    for i, (ax, img) in enumerate(zip(axes, images)):
        ax.imshow(img.permute(1, 2, 0).squeeze(-1).numpy(), cmap="gray" if img.shape[0] == 1 else None,
                  vmin=0, vmax=1, interpolation="nearest")
        if labels is not None:
            label = int(labels[i])
            ax.set_title(class_name(classes[label]) if classes is not None else str(label), fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_columns(
    columns: Mapping[str, torch.Tensor],
    n: int = 4,
    labels: Sequence[int] | torch.Tensor | None = None,
    classes: Sequence[str] | None = None,
    size: float = 1.9,
) -> Figure:
    """Show batches side by side: one column per named batch, one row per image.

    For comparing what layers do to the same images, e.g.
    ``show_columns({"input": imgs, "ReLU": relu(imgs), "Sigmoid": sigmoid(imgs)})``.

    Args:
        columns: name → a batch ``(N, 3, H, W)`` with values in ``[0, 1]`` (clipped to it);
            the batches may differ in height and width (e.g. before and after pooling), and
            each column's title shows its size.
        n: how many images (rows) to show.
        labels, classes: optional label per row, shown as the row's name (``classes[label]``).
        size: inches per picture.
    """
    _font_looked_for()
    n = min(n, *(len(batch) for batch in columns.values()))
    fig, axes = plt.subplots(n, len(columns), figsize=(size * len(columns), size * n), squeeze=False)
    for col, (name, batch) in enumerate(columns.items()):
        batch = batch.detach().cpu().float()
        for row in range(n):
            ax = axes[row, col]
            ax.imshow(batch[row].permute(1, 2, 0).clamp(0, 1).numpy(), interpolation="nearest")
            ax.set_xticks([]), ax.set_yticks([])
        axes[0, col].set_title(f"{name}\n{batch.shape[-2]}x{batch.shape[-1]}", fontsize=9)
    if labels is not None:
        for row in range(n):
            label = int(labels[row])
            axes[row, 0].set_ylabel(class_name(classes[label]) if classes is not None else str(label), fontsize=9)
    fig.tight_layout()
    return fig


def show_feature_maps(
    maps: torch.Tensor,
    ncols: int = 8,
    title: str | None = None,
    cmap: str = "viridis",
) -> Figure:
    """Show each channel of one layer output as its own small picture.

    Args:
        maps: ``(C, H, W)``, or ``(N, C, H, W)`` of which the first item is shown.
        ncols: maps per row.
        title: optional figure title.
        cmap: matplotlib colour map; each map is scaled to its own min and max.
    """
    _font_looked_for()
    maps = maps.detach().cpu().float()
    if maps.dim() == 4:
        maps = maps[0]
    if maps.dim() != 3:
        raise ValueError(f"show_feature_maps wants (C, H, W) or (N, C, H, W), got {tuple(maps.shape)}")
    fig, axes = _grid(len(maps), ncols)
    for c, (ax, fmap) in enumerate(zip(axes, maps)):
        ax.imshow(fmap.numpy(), cmap=cmap, interpolation="nearest")
        ax.set_title(fig_text(f"channel {c}", f"通道 {c}"), fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_curves(
    curves: Mapping[str, Sequence[float]],
    xlabel: str = "epoch",
    ylabel: str = "loss",
    title: str | None = None,
    start: int = 1,
) -> Figure:
    """Plot one or more named curves (e.g. ``{"train": losses}``) against step or epoch.

    Args:
        curves: name → values; each curve is drawn with markers and a legend entry.
        xlabel, ylabel, title: axis labels and optional title.
        start: the x value of each curve's first point (1 for epochs, 0 for steps).
    """
    _font_looked_for()
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for name, values in curves.items():
        values = [float(v) for v in values]
        ax.plot(range(start, start + len(values)), values, marker="o" if len(values) <= 30 else None,
                label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if len(curves) > 1 or any(curves):
        ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- what a classifier guesses (lesson 10)
def show_guesses(
    images: Sequence[torch.Tensor],
    guesses: Sequence[int],
    truths: Sequence[int],
    classes: Sequence[str],
    guess_counts: Sequence[int] | None = None,
    title: str | None = None,
) -> Figure:
    """Images captioned "guess / truth" (green: right, red: wrong), and a bar per class: how often it is guessed.

    Args:
        images: ``(3, H, W)`` images with values in ``[0, 1]``, up to 16 (two rows of eight).
        guesses, truths: the class index each image is guessed as, and its true class.
        classes: the class names (shown through :func:`class_name`).
        guess_counts: how many test images were guessed as each class (over the whole test split), or ``None``.
        title: the figure's title.
    """
    n = len(images)
    ncols = min(8, n)
    nrows = math.ceil(n / ncols)
    bars = guess_counts is not None
    fig = plt.figure(figsize=(1.45 * ncols + (3.6 if bars else 0), 1.75 * nrows + 0.5), layout="constrained")
    left, right = fig.subfigures(1, 2, width_ratios=[1.45 * ncols, 3.6]) if bars else (fig, None)
    axes = left.subplots(nrows, ncols, squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, img, guess, truth in zip(axes.flat, images, guesses, truths):
        ax.imshow(img.detach().cpu().permute(1, 2, 0).clamp(0, 1).numpy(), interpolation="nearest")
        ax.set_title(f"{class_name(classes[guess])}\n/ {class_name(classes[truth])}", fontsize=8,
                     color="tab:green" if guess == truth else "tab:red")
    if bars:
        ax = right.subplots()
        names = [class_name(c) for c in classes]
        ax.barh(range(len(classes)), list(guess_counts), color="tab:blue")
        ax.set_yticks(range(len(classes)), names, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel(fig_text("test images guessed as this class", "被预测为该类别的测试图像数"), fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def plot_confusion(counts: torch.Tensor, classes: Sequence[str], title: str | None = None) -> Figure:
    """A confusion matrix as a heat map: row = true class, column = guess, each cell's count written in it."""
    counts = torch.as_tensor(counts).cpu()
    fig, ax = plt.subplots(figsize=(6.2, 5.4))
    shown = ax.imshow(counts.numpy(), cmap="Blues")
    for i in range(len(classes)):
        for j in range(len(classes)):
            n = int(counts[i, j])
            ax.text(j, i, n, ha="center", va="center", fontsize=7, color="white" if n > counts.max() / 2 else "black")
    names = [class_name(c) for c in classes]
    ax.set_xticks(range(len(classes)), names, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(classes)), names, fontsize=8)
    ax.set_xlabel(fig_text("guess", "预测")), ax.set_ylabel(fig_text("true class", "真实类别"))
    if title:
        ax.set_title(title, fontsize=10)
    fig.colorbar(shown, ax=ax, shrink=0.8)
    fig.tight_layout()
    return fig
