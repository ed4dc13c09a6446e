"""Exercises of 00_setup: the memory a dataset takes, images as tensors, an unshuffled DataLoader."""
from __future__ import annotations

import numpy as np
import torch

from ..i18n import tr
from . import choice, error_line, exercise, real_number

#: 00.1: all 50,000 training images of the full CIFAR-10 as float32, in megabytes (10**6 bytes).
FULL_TRAIN_FLOAT32_MB = 50_000 * 3 * 32 * 32 * 4 / 1e6  # 614.4


@exercise("00.1", kind="predict",
          task=("How many megabytes (1 MB = 10**6 bytes) would the 50,000 training images of the full CIFAR-10 "
                "take as one float32 tensor?",
                "完整 CIFAR-10 的 50,000 张训练图像若存成一个 float32 张量，要占多少兆字节（1 MB = 10**6 字节）？"),
          hint=("One image is 3 x 32 x 32 values; a float32 value takes 4 bytes (a uint8 value 1 byte). "
                "Multiply, then divide by 10**6.",
                "一张图像有 3 x 32 x 32 个数值；一个 float32 数值占 4 个字节（uint8 占 1 个字节）。"
                "相乘之后再除以 10**6。"))
def _full_train_megabytes(answer):
    mb = real_number(answer)
    if mb is None:
        return tr(f"the answer should be one number of megabytes (got {answer!r}).",
                  f"答案应该是一个数（兆字节），而你给的是 {answer!r}。")
    if abs(mb - FULL_TRAIN_FLOAT32_MB) < 0.5:
        return None
    if abs(mb - FULL_TRAIN_FLOAT32_MB * 1e6) < 1e3:
        return tr("that is the number of bytes; divide by 10**6 to get megabytes.",
                  "这是字节数；除以 10**6 才是兆字节。")
    if abs(mb - FULL_TRAIN_FLOAT32_MB * 1e6 / 2**20) < 0.5:
        return tr("that is in MiB (2**20 bytes); this task counts 1 MB = 10**6 bytes.",
                  "这是以 MiB（2**20 字节）为单位的；本题按 1 MB = 10**6 字节计算。")
    if abs(mb - FULL_TRAIN_FLOAT32_MB / 4) < 0.5:
        return tr("that counts 1 byte per value, as for the uint8 images the dataset keeps in memory; "
                  "float32 takes 4 bytes per value.",
                  "这是按每个数值 1 个字节算的（数据集在内存中保存的 uint8 图像就是这样）；float32 每个数值占 4 个字节。")
    if abs(mb - FULL_TRAIN_FLOAT32_MB / 3) < 0.5:
        return tr("that counts one value per pixel; a colour image has 3 channels (R, G, B).",
                  "这是按每个像素一个数值算的；彩色图像有 3 个通道（R、G、B）。")
    if abs(mb - FULL_TRAIN_FLOAT32_MB * 6 / 5) < 0.5:
        return tr("that counts all 60,000 images; the training split alone has 50,000.",
                  "这是全部 60,000 张图像；训练集只有其中的 50,000 张。")
    if abs(mb - FULL_TRAIN_FLOAT32_MB * 1_500 / 50_000) < 0.5:
        return tr("that is the shipped sample (1,500 training images); the full training split has 50,000.",
                  "这是课程自带样本的大小（1,500 张训练图像）；完整的训练集有 50,000 张。")
    return tr(f"{answer!r} MB is not the size of 50,000 float32 images of 3 x 32 x 32 values.",
              f"{answer!r} MB 不是 50,000 张 3 x 32 x 32 的 float32 图像的大小。")



@exercise("00.2", kind="code",
          task=("Write to_tensor(pixels): a NumPy uint8 batch [N, 32, 32, 3] (decoded PNGs) -> a float32 tensor "
                "[N, 3, 32, 32] in [0, 1], as ToTensor gives for each image.",
                "写一个函数 to_tensor(pixels)：把 NumPy 的 uint8 批次 [N, 32, 32, 3]（解码后的 PNG）变成 float32 张量 "
                "[N, 3, 32, 32]，数值在 [0, 1] 之间，与 ToTensor 对每张图像的结果相同。"),
          hint=("torch.from_numpy(pixels) keeps the order N, H, W, C: move the channel axis to position 1 "
                "with permute (not reshape), then turn the values into float32 in [0, 1].",
                "torch.from_numpy(pixels) 的维度顺序仍是 N, H, W, C：用 permute（而不是 reshape）把通道这一维"
                "移到第 1 位，再把数值变成 [0, 1] 之间的 float32。"))
def _to_tensor(answer):
    if not callable(answer):
        return tr(f"the answer should be your function itself, e.g. to_tensor without parentheses (got {type(answer).__name__}).",
                  f"答案应该是函数本身，例如不带括号的 to_tensor（而你给的是 {type(answer).__name__}）。")
    pixels = np.random.default_rng(0).integers(0, 256, size=(2, 32, 32, 3), dtype=np.uint8)
    expected = torch.from_numpy(pixels).permute(0, 3, 1, 2).float() / 255
    try:
        out = answer(pixels.copy())
    except Exception as err:  # a broken function
        return tr(f"calling your function on a uint8 array of shape (2, 32, 32, 3) fails ({error_line(err)}).",
                  f"用形状为 (2, 32, 32, 3) 的 uint8 数组调用你的函数时出错（{error_line(err)}）。")
    if not isinstance(out, torch.Tensor):
        return tr(f"your function should return a torch.Tensor (it returns {type(out).__name__}); "
                  "torch.from_numpy turns a NumPy array into one.",
                  f"你的函数应该返回 torch.Tensor（它返回的是 {type(out).__name__}）；torch.from_numpy 可以把 NumPy 数组变成张量。")
    if tuple(out.shape) != (2, 3, 32, 32):
        return tr(f"a (2, 32, 32, 3) batch should give [2, 3, 32, 32] (N, C, H, W), yours gives {list(out.shape)}.",
                  f"(2, 32, 32, 3) 的批次应该得到 [2, 3, 32, 32]（N, C, H, W），你的结果是 {list(out.shape)}。")
    if out.dtype == torch.float64:
        return tr("your tensor is float64 (dividing a NumPy array by 255 gives float64); the course uses float32, "
                  "and Apple's MPS GPU cannot hold float64 at all.",
                  "你的张量是 float64（NumPy 数组除以 255 得到的是 float64）；课程用 float32，"
                  "而且苹果的 MPS GPU 根本不支持 float64。")
    if out.dtype != torch.float32:
        return tr(f"your tensor is {out.dtype}; it should be float32 (ToTensor gives float32 in [0, 1]).",
                  f"你的张量类型是 {out.dtype}；应该是 float32（ToTensor 给出 [0, 1] 之间的 float32）。")
    out = out.detach().cpu()
    if out.max() > 1.0 + 1e-6:
        return tr(f"your values go up to {out.max().item():g}; divide by 255 so that they lie in [0, 1].",
                  f"你的数值最大到 {out.max().item():g}；除以 255，让它们落在 [0, 1] 之间。")
    if torch.allclose(out, expected, atol=1e-6):
        return None
    if torch.allclose(out, expected.transpose(2, 3), atol=1e-6):
        return tr("height and width are swapped: permute(0, 3, 2, 1) gives N, C, W, H, so every image comes out "
                  "mirrored along its diagonal; ToTensor keeps the rows first: permute(0, 3, 1, 2) gives N, C, H, W.",
                  "高和宽对调了：permute(0, 3, 2, 1) 得到的是 N, C, W, H，每张图像都沿对角线翻转了；ToTensor 保持行在前："
                  "permute(0, 3, 1, 2) 才得到 N, C, H, W。")
    if torch.allclose(out.flatten().sort().values, expected.flatten().sort().values, atol=1e-6):
        return tr("the shape and the values are right, but the pixels are in the wrong places: reshape (or view) "
                  "only re-reads the numbers in order; permute(0, 3, 1, 2) moves the channel axis.",
                  "形状和数值都对，但像素的位置错了：reshape（或 view）只是按顺序重新读取这些数；"
                  "permute(0, 3, 1, 2) 才会移动通道这一维。")
    return tr("your tensor differs from ToTensor's: each value should be the pixel divided by 255, "
              "at [n, channel, row, column].",
              "你的张量和 ToTensor 的结果不同：每个数值应该是像素值除以 255，位置是 [n][通道][行][列]。")


@exercise("00.3", kind="explain",
          task=("On the shipped sample, why is nearly every image in the first batch of the tutorial's "
                "DataLoader(test_set, batch_size=64) an airplane? Answer a, b, c or d.",
                "在课程自带的样本上，为什么教程写法 DataLoader(test_set, batch_size=64) 的第一个批次几乎全是飞机？"
                "请回答 a、b、c 或 d。"),
          hint=("Without shuffle=True a DataLoader reads the dataset in order: index 0, 1, 2, ... In what order are the "
                "sample's images stored?",
                "没有 shuffle=True 时，DataLoader 按顺序读取数据集：索引 0、1、2……样本中的图像是按什么顺序存放的？"))
def _unshuffled_first_batch(answer):
    return choice(answer, "b", {
        "a": tr("the counts per class above are equal: the sample's test split has 60 images of every class.",
                "上面按类别的计数都一样：样本的测试集每个类别都有 60 张图像。"),
        "c": tr("without shuffle=True the order does not depend on any random number, so every seed gives the same first batch.",
                "没有 shuffle=True 时，顺序与随机数无关，所以任何随机种子得到的第一个批次都一样。"),
        "d": tr("the shuffled training batch above also holds 64 images, and it shows many classes.",
                "上面打乱顺序的训练批次同样是 64 张图像，却包含了很多类别。"),
    })
