"""Exercises of 03_convolution: output shape, same-size padding, a convolution by hand, feature maps, groups."""
from __future__ import annotations

import torch
import torch.nn.functional as F

from ..i18n import tr
from . import choice, error_line, exercise, torch_calls, whole_number


@exercise("03.1", kind="predict",
          task=("Output shape (C, H, W) of Conv2d(3, 16, kernel_size=5, stride=2, padding=1) on a 3x32x32 image?",
                "一张 3x32x32 的图像经过 Conv2d(3, 16, kernel_size=5, stride=2, padding=1)，输出的形状 (C, H, W) 是多少？"),
          hint=("C is the layer's out_channels; for H and W put H_in, kernel_size, stride and padding into the "
                "output-size formula and round down.",
                "C 就是这一层的 out_channels（输出通道数）；H 和 W：把 H_in、kernel_size、stride 和 padding 代入输出大小的公式，"
                "再向下取整。"))
def _output_shape(answer):
    try:
        shape = tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        return tr(f"the answer should be a tuple (C, H, W) of three whole numbers (got {answer!r}).",
                  f"答案应该是由三个整数组成的元组 (C, H, W)（而你给的是 {answer!r}）。")
    if len(shape) == 4 and shape[0] == 1:
        shape = shape[1:]  # (1, C, H, W) from a batch of one is fine
    if len(shape) != 3:
        return tr(f"give three numbers, (C, H, W); got {len(shape)}.",
                  f"请给出三个数 (C, H, W)；你给了 {len(shape)} 个。")
    c, h, w = shape
    if c != 16:
        return tr(f"C = {c}: the number of output channels is the layer's out_channels.",
                  f"C = {c}：输出的通道数就是这一层的 out_channels（输出通道数）。")
    if (h, w) == (16, 16):
        return tr("16 x 16 would need rounding up; the formula rounds down (floor).",
                  "16 x 16 需要向上取整；而公式是向下取整（floor）的。")
    if (h, w) == (30, 30):
        return tr("30 x 30 is what stride 1 gives; with stride=2 the kernel moves two pixels at a time.",
                  "30 x 30 是步长为 1 时的结果；stride=2 时卷积核每次移动两个像素。")
    if (h, w) == (14, 14):
        return tr("14 x 14 is the size without padding; padding=1 adds one pixel on each side first.",
                  "14 x 14 是不加填充时的大小；padding=1 会先在每一边各加一个像素。")
    if (h, w) != (15, 15):
        return tr(f"H x W = {h} x {w} is not what the formula gives for k=5, s=2, p=1 on 32.",
                  f"对于 32 的输入、k=5、s=2、p=1，公式算出的不是 {h} x {w}。")
    return None


@exercise("03.2", kind="predict",
          task=("Which padding keeps a 32x32 input at 32x32 through a 5x5 kernel with stride 1?",
                "用 5x5 的卷积核、步长为 1 时，padding 取多少才能让 32x32 的输入经过后仍是 32x32？"),
          hint=("With stride 1 the formula gives H_out = H_in + 2p - (k - 1); solve H_out = H_in for p.",
                "步长为 1 时，公式给出 H_out = H_in + 2p - (k - 1)；令 H_out = H_in，解出 p。"))
def _same_padding(answer):
    if isinstance(answer, str) and answer == "same":
        return None  # PyTorch's own spelling of the answer, fine too
    n = whole_number(answer)
    if n is None:
        return tr(f"the answer should be a whole number (got {answer!r}).",
                  f"答案应该是一个整数（而你给的是 {answer!r}）。")
    if n == 2:
        return None
    size = 32 + 2 * n - 4
    if n == 4:
        return tr(f"padding=4 makes the output {size} x {size}: padding is added on both sides, so it counts twice.",
                  f"padding=4 会让输出变成 {size} x {size}：填充加在两边，所以要算两次。")
    if n == 1:
        return tr(f"padding=1 makes the output {size} x {size}: it keeps the size of a 3x3 kernel, not of a 5x5 one.",
                  f"padding=1 会让输出变成 {size} x {size}：它能保持 3x3 卷积核的输出大小，而不是 5x5 的。")
    if n == 0:
        return tr("without padding a 5x5 kernel fits 28 times in 32 pixels: the output shrinks by 4, 2 on each side.",
                  "不加填充时，5x5 的卷积核在 32 个像素里只能放 28 个位置：输出缩小 4，每边各 2。")
    if n == 5:
        return tr(f"padding=5 is the kernel size and makes the output {size} x {size}; the size stays when 2p = k - 1.",
                  f"padding=5 是卷积核的大小，会让输出变成 {size} x {size}；2p = k - 1 时大小才不变。")
    return tr(f"padding={n} gives a {size} x {size} output, not 32 x 32.",
              f"padding={n} 得到的输出是 {size} x {size}，不是 32 x 32。")


def _cases():
    """The checks of 03.3, square ones first: inputs and kernels that are not square too (the task says so)."""
    gen = torch.Generator().manual_seed(2)
    for (h, w), (kh, kw), stride in [((5, 5), (3, 3), 1), ((5, 5), (3, 3), 2), ((6, 7), (3, 3), 2),
                                     ((7, 6), (2, 3), 1), ((8, 9), (3, 2), 3)]:
        x = torch.randint(-3, 4, (h, w), generator=gen)
        k = torch.randint(-3, 4, (kh, kw), generator=gen)
        yield x, k, stride


def _square_hint(case: str) -> str:
    return tr(f"your function works on square inputs and kernels but not for {case}: it takes one size for both "
              "height and width. Use input.shape[0] and kernel.shape[0] for the rows, input.shape[1] and "
              "kernel.shape[1] for the columns.",
              f"你的函数对正方形的输入和卷积核是对的，但对 {case} 不对：它把高和宽当成了同一个大小。"
              "行数用 input.shape[0] 和 kernel.shape[0]，列数用 input.shape[1] 和 kernel.shape[1]。")


@exercise("03.3", kind="code",
          task=("Write my_conv2d(input, kernel, stride=1) for 2-D tensors with loops, without PyTorch's convolution; "
                "it must match F.conv2d, also for inputs and kernels that are not square (e.g. 6x7 and 2x3).",
                "不用 PyTorch 自带的卷积，用循环写一个 my_conv2d(input, kernel, stride=1)，作用于二维张量；"
                "结果必须与 F.conv2d 一致，输入和卷积核不是正方形时也一样（例如 6x7 和 2x3）。"),
          hint=("Each output number is one patch of the input times the kernel, summed; with a stride, the patch of "
                "output (i, j) starts stride times further along. The formula says how many positions fit, for the "
                "rows and the columns each.",
                "每个输出数都是输入的一个小块乘以卷积核再求和；有步长时，输出 (i, j) 对应的小块的起点要乘以 stride。"
                "能放下多少个位置，由公式决定，行和列要分别算。"))
def _my_conv2d(answer):
    if not callable(answer):
        return tr(f"the answer should be a function, e.g. answer = my_conv2d (got {type(answer).__name__}).",
                  f"答案应该是一个函数，例如 answer = my_conv2d（而你给的是 {type(answer).__name__}）。")
    for x, k, stride in _cases():  # the square cases come first: a failure on a later one points at rows and columns
        square = x.shape[0] == x.shape[1] and k.shape[0] == k.shape[1]
        expected = F.conv2d(x[None, None], k[None, None], stride=stride)[0, 0]
        case = f"input {tuple(x.shape)}, kernel {tuple(k.shape)}, stride={stride}"
        try:
            got, called = torch_calls(lambda: answer(x.clone(), k.clone(), stride=stride))
        except Exception as err:  # a broken function, or one that assumes squares
            if not square:
                return _square_hint(case)
            return tr(f"calling your function for {case} fails ({error_line(err)}).",
                      f"对于 {case}，调用你的函数时出错（{error_line(err)}）。")
        library = sorted(name for name in called if "conv" in name)
        if library:
            return tr(f"your function calls PyTorch's own convolution ({', '.join(library)}: F.conv2d, torch.conv2d or "
                      "nn.Conv2d); the task is to compute it yourself, one patch at a time.",
                      f"你的函数调用了 PyTorch 自带的卷积（{', '.join(library)}：F.conv2d、torch.conv2d 或 nn.Conv2d）；"
                      "这道题要你自己一个小块一个小块地算出来。")
        got = torch.as_tensor(got)
        right = tuple(got.shape) == tuple(expected.shape) and torch.allclose(got.double(), expected.double())
        if right:
            continue
        if not square:
            return _square_hint(case)
        unstrided = F.conv2d(x[None, None], k[None, None])[0, 0]
        if stride > 1 and tuple(got.shape) == tuple(unstrided.shape) and torch.allclose(got.double(), unstrided.double()):
            return tr(f"for {case} your function gives the stride-1 output: it ignores stride. Output (i, j) starts "
                      "at input row i * stride, column j * stride.",
                      f"对于 {case}，你的函数给出的是步长为 1 的结果：它忽略了 stride。输出 (i, j) 从输入的第 i * stride 行、"
                      "第 j * stride 列开始。")
        if tuple(got.shape) != tuple(expected.shape):
            fewer = tuple(got.shape) == (expected.shape[0] - 1, expected.shape[1] - 1)
            if fewer:
                return tr(f"for {case} your output is one row and one column short: (H - kH) // stride + 1 positions "
                          "fit, the + 1 counting the first one.",
                          f"对于 {case}，你的输出少了一行一列：能放下 (H - kH) // stride + 1 个位置，+ 1 算的是第一个位置。")
            return tr(f"for {case} the output should be {tuple(expected.shape)}, yours is {tuple(got.shape)}.",
                      f"对于 {case}，输出应该是 {tuple(expected.shape)}，你的是 {tuple(got.shape)}。")
        flipped = F.conv2d(x[None, None], k.flip(0, 1)[None, None], stride=stride)[0, 0]
        if torch.allclose(got.double(), flipped.double()):
            return tr("you flipped the kernel; PyTorch's conv2d does not (it is a cross-correlation).",
                      "你把卷积核翻转了；PyTorch 的 conv2d 不翻转（它其实是互相关）。")
        return tr(f"for {case} your numbers differ from F.conv2d's.",
                  f"对于 {case}，你算出的数和 F.conv2d 的不一样。")
    return None


#: 03.5: Conv2d(32, 64, 5, groups=32): 64 kernels of 32 / 32 = 1 channel of 5x5, and 64 biases.
GROUPED_PARAMETERS = 64 * (32 // 32) * 5 * 5 + 64  # 1664


@exercise("03.5", kind="predict",
          task=("How many parameters (weights and biases) does Conv2d(32, 64, 5, groups=32) have?",
                "Conv2d(32, 64, 5, groups=32) 一共有多少个参数（权重和偏差）？"),
          hint=("The weight's shape is (out_channels, in_channels / groups, 5, 5); add one bias per output channel.",
                "权重的形状是 (out_channels, in_channels / groups, 5, 5)；再加上每个输出通道一个偏差。"))
def _grouped_parameters(answer):
    n = whole_number(answer)
    if n is None:
        return tr(f"the answer should be a whole number of parameters (got {answer!r}).",
                  f"答案应该是一个整数，即参数的个数（而你给的是 {answer!r}）。")
    if n == GROUPED_PARAMETERS:
        return None
    if n == 64 * 32 * 25 + 64:
        return tr("that is the count with groups=1, where every kernel sees all 32 input channels; "
                  "with groups=32 each kernel sees only the channel of its own group.",
                  "这是 groups=1 时的参数个数，那时每个卷积核都看到全部 32 个输入通道；"
                  "groups=32 时每个卷积核只看到它所在组的那一个通道。")
    if n == 64 * 25:
        return tr("that counts the weights only; each of the 64 output channels also has a bias.",
                  "这只算了权重；64 个输出通道每个还有一个偏差。")
    if n in (64 * 25 + 32, 64 * 25 + 2, (64 * 32 * 25 + 64) // 32):
        return tr("groups divides the weights, not the biases: there is still one bias per output channel, 64 in all.",
                  "groups 减少的是权重，不是偏差：每个输出通道仍然有一个偏差，一共 64 个。")
    if n in (32 * 25 + 32, 32 * 25 + 64):
        return tr("that counts one 5x5 kernel per input channel; the layer has 64 output channels, "
                  "and each output channel has a kernel (and a bias) of its own.",
                  "这是按每个输入通道一个 5x5 卷积核算的；这一层有 64 个输出通道，每个输出通道都有自己的卷积核（和偏差）。")
    if n == 2 * 25 + 64:
        return tr("you divided both channel counts by groups; the weight is (out_channels, in_channels / groups, 5, 5): "
                  "only in_channels is divided.",
                  "你把输入和输出通道数都除以了 groups；权重的形状是 (out_channels, in_channels / groups, 5, 5)："
                  "只有 in_channels 要除以 groups。")
    return tr(f"{n} is not the number of parameters of Conv2d(32, 64, 5, groups=32).",
              f"{n} 不是 Conv2d(32, 64, 5, groups=32) 的参数个数。")


@exercise("03.4", kind="explain",
          task=("Why does the airplane show in every feature map of an untrained Conv2d(3, 6, 3)? Answer a, b, c or d.",
                "为什么在还没训练过的 Conv2d(3, 6, 3) 的每一张特征图里都能看出飞机？请回答 a、b、c 或 d。"),
          hint=("Look at the by-hand cell: one output number comes from the 3x3 patch at the same place in the input.",
                "回头看手算的那个单元格：每个输出数只来自输入中同一位置的 3x3 小块。"))
def _feature_maps_keep_the_picture(answer):
    return choice(answer, "c", {
        "a": tr("the weights are random (torch.manual_seed only fixes where the random numbers start), nothing was "
                "trained, and a layer built with "
                "nn.Conv2d never starts from a trained model's weights.",
                "权重是随机的（torch.manual_seed 只固定了随机数从哪里开始），什么都没有训练过；用 nn.Conv2d 新建的层"
                "不会从训练好的模型的权重开始。"),
        "b": tr("the bias is one number per output channel (model.conv1.bias has 6 of them), added to every "
                "position alike: it cannot carry a picture.",
                "偏差是每个输出通道一个数（model.conv1.bias 一共 6 个），在每个位置加的都一样：它不可能带着一张图。"),
        "d": tr("show_feature_maps only draws the channels of the tensor you give it, each scaled to its own "
                "minimum and maximum.",
                "show_feature_maps 只画出你传给它的张量的各个通道，每个通道按它自己的最小值和最大值缩放。"),
    })
