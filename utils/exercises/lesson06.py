"""Exercises of 06_linear: in_features after Flatten, the last-batch trap, two linear layers as one."""
from __future__ import annotations

import torch
from torch import nn

from ..i18n import tr
from ..summary import conv_output_size
from . import choice, error_line, exercise, whole_number


def _in_features_with_padding(padding: int) -> int:
    """in_features of Tudui's first linear layer if its three 5x5 convolutions used ``padding``."""
    size = 32
    for _ in range(3):
        size = conv_output_size(size, 5, padding=padding)  # Conv2d(..., 5, padding=padding)
        size = conv_output_size(size, 2, stride=2)          # MaxPool2d(2), rounding down
    return 64 * size * size


@exercise("06.1", kind="predict",
          task=("How many in_features would Tudui's first linear layer need if its three Conv2d(..., 5, ...) "
                "used padding=1 instead of padding=2?",
                "如果 Tudui 的三个 Conv2d(..., 5, ...) 用 padding=1 而不是 padding=2，它的第一个线性层需要多少个 in_features？"),
          hint=("Follow the height: a 5x5 convolution with padding=1 gives H + 2*1 - 5 + 1 = H - 2, and MaxPool2d(2) "
                "halves, rounding down: 32 -> 30 -> 15 -> ... Then multiply channels * height * width.",
                "跟着高度走：5x5 卷积、padding=1 时输出 H + 2*1 - 5 + 1 = H - 2，MaxPool2d(2) 减半并向下取整："
                "32 -> 30 -> 15 -> …… 最后算 通道数 * 高度 * 宽度。"))
def _in_features_padding_one(answer):
    value = whole_number(answer)
    if value is None:
        return tr(f"the answer should be one whole number (got {answer!r}).",
                  f"答案应该是一个整数（而你给的是 {answer!r}）。")
    right = _in_features_with_padding(1)  # 64 * 2 * 2 = 256
    if value == right:
        return None
    if value == 1024:
        return tr("1024 is Tudui as it is, with padding=2, which keeps the size through each convolution; "
                  "padding=1 takes 2 pixels off each time.",
                  "1024 是原来的 Tudui（padding=2，卷积前后尺寸不变）；padding=1 时每次卷积少 2 个像素。")
    if value == 64 * 3 * 3:
        return tr("576 = 64 x 3 x 3 rounds up in a pooling; MaxPool2d(2) rounds down (ceil_mode=False): 5 -> 2.",
                  "576 = 64 x 3 x 3 是在池化时向上取整了；MaxPool2d(2) 向下取整（ceil_mode=False）：5 -> 2。")
    if value == 64 * 6 * 6:
        return tr("2304 = 64 x 6 x 6 stops after two convolution + pooling stages; Tudui has three: 6 -> 4 -> 2.",
                  "2304 = 64 x 6 x 6 只算了两组卷积 + 池化；Tudui 有三组：6 -> 4 -> 2。")
    if value == 32 * 2 * 2:
        return tr("the last convolution of Tudui has 64 output channels, not 32.",
                  "Tudui 的最后一个卷积层有 64 个输出通道，不是 32 个。")
    return tr(f"{value} is not channels x height x width after the last MaxPool2d; follow the height step by step.",
              f"{value} 不是最后一个 MaxPool2d 之后的 通道数 x 高度 x 宽度；一步一步地跟着高度走。")


@exercise("06.2", kind="explain",
          task=("Would DataLoader(dataset, batch_size=64, shuffle=True) save the notes' Linear(196608, 10) from "
                "the error on the last batch? Answer a, b, c or d.",
                "DataLoader(dataset, batch_size=64, shuffle=True) 能让笔记中的 Linear(196608, 10) 避开最后一个批次的报错吗？"
                "请回答 a、b、c 或 d。"),
          hint=("How many images does the last batch hold? It is len(dataset) - (len(dataloader) - 1) * 64: "
                "does shuffling change len(dataset)?",
                "最后一个批次有多少张图像？是 len(dataset) - (len(dataloader) - 1) * 64：打乱顺序会改变 len(dataset) 吗？"))
def _shuffle_does_not_help(answer):
    return choice(answer, "c", {
        "a": tr("a DataLoader fills every batch with 64 images in turn, shuffled or not; what is left over at the end "
                "(600 = 9 x 64 + 24 in the sample) still forms a smaller last batch.",
                "不管打不打乱，DataLoader 都是依次每批装 64 张图像；最后剩下的（样本中 600 = 9 x 64 + 24）"
                "仍然组成一个较小的最后批次。"),
        "b": tr("the seed only decides which images land in the last batch; how many depends on len(dataset) and "
                "batch_size alone.",
                "随机种子只决定哪些图像落在最后一个批次；有多少张只取决于 len(dataset) 和 batch_size。"),
        "d": tr("dropping the incomplete last batch is drop_last=True, a separate option; shuffle=True keeps it.",
                "丢掉不完整的最后批次是另一个选项 drop_last=True 做的；shuffle=True 会保留它。"),
    })



@exercise("06.3", kind="code",
          task=("Write merge(first, second): one nn.Linear that computes exactly second(first(x)) for two linear layers "
                "with no activation between them.",
                "写一个函数 merge(first, second)：返回一个 nn.Linear，它的计算结果与 second(first(x)) 完全相同"
                "（两个线性层之间没有激活函数）。"),
          hint=("Write second(first(x)) with y = x W^T + b twice, one formula inside the other, and multiply out "
                "the brackets: the matrix that ends up multiplying x is the new layer's weight, the rest its bias.",
                "用 y = x W^T + b 把 second(first(x)) 写出来（一个公式套在另一个里面），再把括号展开："
                "最后乘在 x 上的那个矩阵就是新层的权重，剩下的部分就是它的偏差。"))
def _merge_linear_layers(answer):
    if isinstance(answer, nn.Module):
        return tr("the answer should be the function merge itself, not a layer: check calls merge on layers of its own.",
                  "答案应该是函数 merge 本身，而不是一个层：check 会用它自己的层来调用 merge。")
    if not callable(answer):
        return tr(f"the answer should be your function itself, e.g. merge without parentheses (got {type(answer).__name__}).",
                  f"答案应该是函数本身，例如不带括号的 merge（而你给的是 {type(answer).__name__}）。")
    gen = torch.Generator().manual_seed(5)
    first, second = nn.Linear(1024, 64), nn.Linear(64, 10)
    with torch.no_grad():
        for p in (*first.parameters(), *second.parameters()):
            p.copy_(torch.randn(p.shape, generator=gen) * 0.1)
    before = [p.detach().clone() for p in (*first.parameters(), *second.parameters())]
    x = torch.randn(16, 1024, generator=gen)
    with torch.no_grad():
        expected = second(first(x))
    try:
        merged = answer(first, second)
    except Exception as err:  # a broken function
        if "size of tensor" in str(err) and "(1024)" in str(err):
            return tr(f"merge fails ({error_line(err)}): nn.Linear stores its weight as out_features x in_features, "
                      "10 x 1024 here; in which order do the two weight matrices act?",
                      f"merge 出错（{error_line(err)}）：nn.Linear 按 out_features x in_features 存放权重，这里是 10 x 1024；"
                      "两个权重矩阵是按什么顺序起作用的？")
        if "size of tensor" in str(err):
            return tr(f"merge fails ({error_line(err)}): first.bias has 64 numbers and second.bias 10, so they cannot "
                      "be added; first's bias goes through second's weights before second adds its own: W2 b1 + b2.",
                      f"merge 出错（{error_line(err)}）：first.bias 有 64 个数，second.bias 有 10 个，不能直接相加；"
                      "first 的偏差要先经过 second 的权重，second 再加上自己的偏差：W2 b1 + b2。")
        return tr(f"calling merge(Linear(1024, 64), Linear(64, 10)) fails ({error_line(err)}).",
                  f"调用 merge(Linear(1024, 64), Linear(64, 10)) 时出错（{error_line(err)}）。")
    if any(not torch.equal(p, q) for p, q in zip((*first.parameters(), *second.parameters()), before)):
        return tr("merge changed the weights of the layers it was given; build a new nn.Linear instead.",
                  "merge 改动了传进来的层的参数；应该新建一个 nn.Linear。")
    if isinstance(merged, nn.Sequential) or (isinstance(merged, nn.Module) and not isinstance(merged, nn.Linear)):
        return tr("this computes second(first(x)) but is still two layers (or a module around them); "
                  "return one nn.Linear.",
                  "这样确实算出了 second(first(x))，但仍然是两个层（或包着它们的模块）；要返回一个 nn.Linear。")
    if not isinstance(merged, nn.Linear):
        return tr(f"merge should return an nn.Linear (it returns {type(merged).__name__}).",
                  f"merge 应该返回一个 nn.Linear（它返回的是 {type(merged).__name__}）。")
    if (merged.in_features, merged.out_features) != (1024, 10):
        return tr(f"the merged layer should be Linear(1024, 10): it takes first's inputs and gives second's outputs "
                  f"(yours is Linear({merged.in_features}, {merged.out_features})).",
                  f"合并后的层应该是 Linear(1024, 10)：输入是 first 的输入，输出是 second 的输出"
                  f"（你的是 Linear({merged.in_features}, {merged.out_features})）。")
    with torch.no_grad():
        got = merged(x)
        without_b1 = x @ (second.weight @ first.weight).T + second.bias
    if torch.allclose(got, expected, atol=1e-4, rtol=1e-4):
        return None
    if torch.allclose(got, without_b1, atol=1e-4, rtol=1e-4):
        return tr("the weight is right, but the bias misses first's bias: first adds it before second's weights "
                  "act, so it goes through them too.",
                  "权重对了，但偏差漏掉了 first 的偏差：first 在 second 的权重起作用之前就加上了它，所以它也要经过这些权重。")
    if torch.allclose(got, without_b1 - second.bias + second.weight @ first.bias, atol=1e-4, rtol=1e-4):
        return tr("the weight is right, but the bias misses second's own bias, which second adds at the very end.",
                  "权重对了，但偏差漏掉了 second 自己的偏差，它是 second 在最后加上的。")
    if merged.bias is not None and torch.allclose(merged.bias, second.weight @ first.bias + second.bias, atol=1e-4):
        return tr("the bias is right, but the weight is not: nn.Linear stores it as out_features x in_features, "
                  "10 x 1024 here; in which order do the two weight matrices act?",
                  "偏差对了，但权重不对：nn.Linear 按 out_features x in_features 存放权重，这里是 10 x 1024；"
                  "两个权重矩阵是按什么顺序起作用的？")
    return tr("the merged layer gives other outputs than second(first(x)); compare both on a random x.",
              "合并后的层的输出与 second(first(x)) 不同；在一个随机的 x 上比较两者。")


@exercise("06.4", kind="predict",
          task=("The smallest batch_size above 64 for which the notes' loop, with Linear(batch_size * 3 * 32 * 32, 10), "
                "runs through the full CIFAR-10 test split (10,000 images) without the error?",
                "batch_size 大于 64 时，最小取多少，笔记中的循环（用 Linear(batch_size * 3 * 32 * 32, 10)）"
                "才能在完整的 CIFAR-10 测试集（10,000 张图像）上跑完而不报错？"),
          hint=("The loop fails when the last batch is smaller than the others, that is when 10000 % batch_size != 0. "
                "Which numbers above 64 divide 10,000 = 2**4 x 5**4?",
                "当最后一个批次比其他批次小，也就是 10000 % batch_size != 0 时，循环就会报错。"
                "大于 64 的哪些数能整除 10,000 = 2**4 x 5**4？"))
def _smallest_batch_size(answer):
    value = whole_number(answer)
    if value is None:
        return tr(f"the answer should be one whole number (got {answer!r}).",
                  f"答案应该是一个整数（而你给的是 {answer!r}）。")
    if value <= 64:
        return tr(f"the question asks for a batch_size above 64 (got {value}).",
                  f"题目要的是大于 64 的 batch_size（你给的是 {value}）。")
    rest = 10000 % value
    if rest:
        return tr(f"10000 % {value} = {rest}: the last batch would hold {rest} images, and the layer, made for "
                  f"{value} images, would fail on it.",
                  f"10000 % {value} = {rest}：最后一个批次只有 {rest} 张图像，为 {value} 张图像做的线性层会在它上面报错。")
    if value != 80:
        return tr(f"{value} divides 10,000, so it works; but a smaller batch_size above 64 does too.",
                  f"{value} 能整除 10,000，所以可以；但还有一个更小的、大于 64 的 batch_size 也可以。")
    return None
