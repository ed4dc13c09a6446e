"""Exercises of 11_better_model."""
from __future__ import annotations

import math

import torch
from torch import nn

from ..i18n import tr
from . import choice, exercise, whole_number


# ----------------------------------------------------------------------------- 11.1
@exercise("11.1", kind="predict",
          task=("A ladder model trains on 1,500 images in batches of 64 for 10 epochs: how many steps does its "
                "OneCycleLR need (total_steps)?",
                "一个逐步改进中的模型用 1,500 张图像、每批 64 张训练 10 轮：它的 OneCycleLR 需要多少步（total_steps）？"),
          hint=("One step per batch: batches per epoch times epochs; the last batch of an epoch is smaller but is a "
                "step too.",
                "每个批次一步：每轮的批次数乘以轮数；每轮最后一个批次较小，但也算一步。"))
def _one_cycle_steps(answer):
    value = whole_number(answer)
    if value is None:
        return tr(f"{answer!r} is not a whole number of steps.", f"{answer!r} 不是一个整数步数。")
    if value == math.ceil(1500 / 64) * 10:
        return None
    if value == (1500 // 64) * 10:
        return tr("the last, smaller batch of each epoch is a step too: round the batches per epoch up, not down.",
                  "每轮最后那个较小的批次也算一步：每轮的批次数要向上取整，不是向下。")
    if value == math.ceil(1500 / 64):
        return tr("that is one epoch; the schedule runs over all 10 epochs.", "这只是一轮的步数；学习率调整策略覆盖全部 10 轮。")
    if value in (1500 * 10, 1500):
        return tr("a step is a batch of 64 images, not one image.", "一步是一个 64 张图像的批次，不是一张图像。")
    return tr(f"{value} is not it; count the batches of one epoch first.", f"{value} 不对；先数一数一轮有几个批次。")


# ----------------------------------------------------------------------------- 11.2
class _SidedNet(nn.Module):
    """Scores that depend on where the bright pixels are: a mirror (or an upside-down copy) scores differently."""

    def forward(self, x):
        width = x.shape[3]
        left, right = x[..., : width // 2].mean(dim=(1, 2, 3)), x[..., width // 2:].mean(dim=(1, 2, 3))
        top = x[:, :, : x.shape[2] // 2].mean(dim=(1, 2, 3))
        base = torch.stack([left, right, top, left - right, right * 2], dim=1)
        return torch.cat([base, base.flip(1)], dim=1)  # 10 scores per image


def _images() -> torch.Tensor:
    generator = torch.Generator().manual_seed(11)
    return torch.rand(5, 3, 6, 10, generator=generator)  # not square: height 6, width 10


@exercise("11.2", kind="code",
          task=("Write flip_scores(model, imgs): the average of model's scores for the batch imgs and for its mirror "
                "images (left and right swapped), shape (N, 10).",
                "写 flip_scores(model, imgs)：模型对批次 imgs 的得分和对它们的镜像图像（左右对调）的得分的平均值，形状是 (N, 10)。"),
          hint=("imgs has the dimensions (N, C, H, W): mirroring swaps left and right, so it reverses dimension 3, "
                "imgs.flip(3); then (model(imgs) + model(imgs.flip(3))) / 2.",
                "imgs 的各维是 (N, C, H, W)：镜像是左右对调，也就是把第 3 维倒过来，imgs.flip(3)；然后 "
                "(model(imgs) + model(imgs.flip(3))) / 2。"))
def _flip_scores(answer):
    if not callable(answer):
        return tr(f"expected a function flip_scores(model, imgs), got {type(answer).__name__}.",
                  f"需要一个函数 flip_scores(model, imgs)，得到的是 {type(answer).__name__}。")
    model, imgs = _SidedNet(), _images()
    with torch.no_grad():
        expected = (model(imgs) + model(imgs.flip(3))) / 2
        result = answer(model, imgs.clone())
    if not isinstance(result, torch.Tensor):
        return tr(f"your function returns {type(result).__name__}, not a tensor of scores.",
                  f"你的函数返回的是 {type(result).__name__}，不是一个得分张量。")
    if tuple(result.shape) != tuple(expected.shape):
        if result.ndim == 1 and len(result) == len(imgs):
            return tr("your function returns one number per image (a guess?); return the averaged scores, shape (N, 10).",
                      "你的函数对每张图像只返回一个数（是预测的类别吗？）；要返回平均后的得分，形状是 (N, 10)。")
        return tr(f"your function returns shape {tuple(result.shape)}, not {tuple(expected.shape)}.",
                  f"你的函数返回的形状是 {tuple(result.shape)}，不是 {tuple(expected.shape)}。")
    if torch.allclose(result, expected, atol=1e-6):
        return None
    with torch.no_grad():
        mistakes = {
            "height": (model(imgs) + model(imgs.flip(2))) / 2,
            "channels": (model(imgs) + model(imgs.flip(1))) / 2,
            "sum": model(imgs) + model(imgs.flip(3)),
            "only": model(imgs.flip(3)),
        }
    if torch.allclose(result, mistakes["height"], atol=1e-6):
        return tr("flip(2) turns the images upside down (dimension 2 is the height); a mirror image reverses the "
                  "width, dimension 3.",
                  "flip(2) 把图像上下颠倒（第 2 维是高度）；镜像要把宽度，也就是第 3 维倒过来。")
    if torch.allclose(result, mistakes["channels"], atol=1e-6):
        return tr("flip(1) reverses the colour channels (RGB becomes BGR); a mirror image reverses the width, dimension 3.",
                  "flip(1) 把颜色通道倒过来（RGB 变成 BGR）；镜像要把宽度，也就是第 3 维倒过来。")
    if torch.allclose(result, mistakes["sum"], atol=1e-6):
        return tr("that is the sum of the two scores; divide it by 2 for their average.", "这是两组得分的和；除以 2 才是平均值。")
    if torch.allclose(result, mistakes["only"], atol=1e-6):
        return tr("those are the mirror images' scores alone; average them with the scores of the images themselves.",
                  "这只是镜像图像的得分；还要和原图像的得分取平均。")
    return tr("your scores differ from (model(imgs) + model(imgs.flip(3))) / 2.",
              "你的得分和 (model(imgs) + model(imgs.flip(3))) / 2 不同。")


# ----------------------------------------------------------------------------- 11.3
@exercise("11.3", kind="explain",
          task=("Flip at test time averages the model's scores for each test image and its mirror image, and raises "
                "the accuracy a little. Averaging with an upside-down copy instead would lower it. Why? "
                "Answer a, b, c or d.",
                "测试时翻转把模型对每张测试图像和它的镜像的得分取平均，准确率会提高一点；如果改成和上下颠倒的图像取平均，"
                "准确率反而会下降。为什么？请回答 a、b、c 或 d。"),
          hint=("Which copy still looks like a photo of the same class, as the training images do?",
                "哪一种副本看起来仍像同一类别的照片，就像训练图像那样？"))
def _flip_tta(answer):
    return choice(answer, "b", {
        "a": tr("the model is the same model: averaging two outputs adds no parameter.",
                "模型还是同一个模型：把两个输出取平均不会增加任何参数。"),
        "c": tr("mirroring left-right moves pixels, it does not change a single colour value.",
                "左右镜像只是移动像素，不会改变任何颜色值。"),
        "d": tr("no weight changes at test time: nothing is trained, the model only answers twice.",
                "测试时没有任何权重改变：什么都没有训练，模型只是回答了两次。"),
    })


# ----------------------------------------------------------------------------- 11.4
@exercise("11.4", kind="explain",
          task=("A change gains 0.5 points while the run-to-run spread is 1.7 points. What can you conclude? "
                "Answer a, b, c or d.",
                "一处改动提高了 0.5 个百分点，而运行间的波动是 1.7 个百分点。能得出什么结论？请回答 a、b、c 或 d。"),
          hint=("What would the same change show with another seed?", "换一个随机种子，同样的改动会显示出什么？"))
def _spread(answer):
    return choice(answer, "b", {
        "a": tr("a seed alone moves the accuracy by 1.7 points: a 0.5-point gain can be luck, and another seed could "
                "turn it into a loss.",
                "光是换随机种子，准确率就能变动 1.7 个百分点：0.5 个百分点的提高可能只是运气，换个种子也许就变成了下降。"),
        "c": tr("a small gain says nothing about stability; the spread measures how much the seed alone moves the "
                "accuracy.",
                "提高得少并不说明模型不稳定；波动衡量的是光换随机种子会让准确率变动多少。"),
        "d": tr("two runs with other seeds start from other weights and see the batches in another order: their "
                "accuracies differ.",
                "随机种子不同的两次运行，初始权重不同，批次顺序也不同：它们的准确率本来就不一样。"),
    })
