"""Exercises of 02_module: parameters of the documentation's Model, a module of your own, the model for
64x64 images, and what print(model) lists."""
from __future__ import annotations

import torch
from torch import nn

from ..i18n import tr
from . import choice, error_line, exercise, whole_number



def _conv_params(c_in: int, c_out: int, k: int, bias: bool = True) -> int:
    return c_out * c_in * k * k + (c_out if bias else 0)


#: 02.1: conv1 = Conv2d(1, 20, 5) and conv2 = Conv2d(20, 20, 5), weights and biases.
DOC_MODEL_PARAMETERS = _conv_params(1, 20, 5) + _conv_params(20, 20, 5)  # 520 + 10,020 = 10,540


@exercise("02.1", kind="predict",
          task=("How many parameters (weights and biases) does the documentation's Model, with "
                "conv1 = Conv2d(1, 20, 5) and conv2 = Conv2d(20, 20, 5), have in all?",
                "文档示例中的 Model（conv1 = Conv2d(1, 20, 5)，conv2 = Conv2d(20, 20, 5)）一共有多少个参数（权重和偏差）？"),
          hint=("Conv2d(c_in, c_out, k) learns c_out kernels of c_in x k x k weights, plus c_out biases; "
                "F.relu learns nothing. Add the two layers.",
                "Conv2d(c_in, c_out, k) 学习 c_out 个 c_in x k x k 的卷积核，再加上 c_out 个偏差；"
                "F.relu 没有参数。把两层加起来。"))
def _doc_model_parameters(answer):
    n = whole_number(answer)
    if n is None:
        return tr(f"the answer should be a whole number (got {answer!r}).",
                  f"答案应该是一个整数（而你给的是 {answer!r}）。")
    if n == DOC_MODEL_PARAMETERS:
        return None
    wrong = {
        _conv_params(1, 20, 5, bias=False) + _conv_params(20, 20, 5, bias=False):
            tr("that counts the weights only; each layer also has one bias per output channel.",
               "这只算了权重；每一层还有一个偏差对应每个输出通道。"),
        _conv_params(20, 20, 5): tr("that is conv2 alone; add conv1's parameters.",
                                    "这只是 conv2 的参数；还要加上 conv1 的。"),
        _conv_params(1, 20, 5): tr("that is conv1 alone; add conv2's parameters.",
                                   "这只是 conv1 的参数；还要加上 conv2 的。"),
        2 * _conv_params(1, 20, 5): tr("conv2 sees 20 input channels: each of its 20 kernels is 20 x 5 x 5 weights.",
                                       "conv2 的输入有 20 个通道：它的 20 个卷积核每个都有 20 x 5 x 5 个权重。"),
        20 * 1 * 5 + 20 + 20 * 20 * 5 + 20: tr("a kernel of size 5 is 5 x 5 weights per input channel, not 5.",
                                               "大小为 5 的卷积核在每个输入通道上有 5 x 5 个权重，而不是 5 个。"),
        _conv_params(1, 20, 5) + _conv_params(20, 64, 5):
            tr("that is the tutorial's Sequential example, whose second convolution has 64 output channels; "
               "the documentation's Model has Conv2d(20, 20, 5).",
               "这是教程里 Sequential 例子的参数量，那里第二个卷积有 64 个输出通道；文档的 Model 用的是 Conv2d(20, 20, 5)。"),
        145_578: tr("that is the tutorial's CIFAR-10 model; this question is about the documentation's Model.",
                    "这是教程 CIFAR-10 模型的参数量；本题问的是文档示例中的 Model。"),
    }
    return wrong.get(n) or tr(f"{n:,} is not the number of weights plus biases of conv1 and conv2.",
                              f"{n:,} 不是 conv1 和 conv2 的权重加偏差的总数。")


@exercise("02.2", kind="code",
          task=("Write an nn.Module subclass with conv1 = Conv2d(3, 6, 3) whose forward returns conv1(x); "
                "give an instance.",
                "写一个 nn.Module 的子类，其中 conv1 = Conv2d(3, 6, 3)，forward 返回 conv1(x)；答案给出它的一个实例。"),
          hint=("Follow the lesson's MYNN: __init__ first sets up nn.Module, then creates the layer as an attribute "
                "of self; forward uses that attribute. The answer is an object made from your class, not the class.",
                "照着本课的 MYNN 写：__init__ 先让 nn.Module 完成初始化，再把这个层创建为 self 的一个属性；"
                "forward 使用这个属性。答案是用你的类创建出来的对象，而不是类本身。"))
def _conv_module(answer):
    if isinstance(answer, type):
        return tr("that is the class itself; give an instance, e.g. MyConv() with parentheses.",
                  "这是类本身；请给出一个实例，例如带括号的 MyConv()。")
    if not isinstance(answer, nn.Module):
        return tr(f"the answer should be an nn.Module instance (got {type(answer).__name__}).",
                  f"答案应该是一个 nn.Module 实例（而你给的是 {type(answer).__name__}）。")
    if type(answer).__module__.startswith("torch."):
        return tr(f"that is PyTorch's own {type(answer).__name__}; write your own nn.Module subclass that holds it as conv1.",
                  f"这是 PyTorch 自带的 {type(answer).__name__}；请写一个自己的 nn.Module 子类，把它存为 conv1。")
    conv = getattr(answer, "conv1", None)
    if not isinstance(conv, nn.Conv2d):
        return tr("your module has no attribute conv1 that is an nn.Conv2d.",
                  "你的模块没有一个名为 conv1 的 nn.Conv2d 属性。")
    if (conv.in_channels, conv.out_channels, conv.kernel_size) != (3, 6, (3, 3)):
        return tr(f"conv1 is Conv2d({conv.in_channels}, {conv.out_channels}, kernel_size={conv.kernel_size}); "
                  "it should be Conv2d(3, 6, 3).",
                  f"conv1 是 Conv2d({conv.in_channels}, {conv.out_channels}, kernel_size={conv.kernel_size})；"
                  "应该是 Conv2d(3, 6, 3)。")
    try:
        with torch.no_grad():
            out = answer(torch.zeros(2, 3, 32, 32, device=conv.weight.device))
    except Exception as err:  # a broken forward
        return tr(f"calling your module on a [2, 3, 32, 32] batch fails ({error_line(err)}).",
                  f"用 [2, 3, 32, 32] 的批次调用你的模块时出错（{error_line(err)}）。")
    if not isinstance(out, torch.Tensor) or tuple(out.shape) != (2, 6, 30, 30):
        shape = list(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        return tr(f"a [2, 3, 32, 32] batch should give [2, 6, 30, 30], yours gives {shape}; "
                  "forward should return self.conv1(x).",
                  f"[2, 3, 32, 32] 的批次应该得到 [2, 6, 30, 30]，你的结果是 {shape}；forward 应该返回 self.conv1(x)。")
    return None


@exercise("02.3", kind="code",
          task=("Build the tutorial's model for 64x64 images as one nn.Sequential of its nine layers (no activation): "
                "[N, 3, 64, 64] -> [N, 10].",
                "用一个 nn.Sequential 搭建适用于 64x64 图像的教程模型，就用它那九层（不加激活函数）："
                "[N, 3, 64, 64] -> [N, 10]。"),
          hint=("Three 2x2 poolings shrink 64 to 8, so Flatten gives 64 * 8 * 8 numbers: "
                "that is the first Linear's in_features.",
                "三次 2x2 最大池化把 64 缩小到 8，所以展平后有 64 * 8 * 8 个数：这就是第一个线性层的 in_features。"))
def _model_for_64(answer):
    if not isinstance(answer, nn.Sequential):
        return tr(f"the answer should be an nn.Sequential (got {type(answer).__name__}).",
                  f"答案应该是一个 nn.Sequential（而你给的是 {type(answer).__name__}）。")
    kinds = [type(m).__name__ for m in answer.modules() if len(list(m.children())) == 0]
    expected = ["Conv2d", "MaxPool2d"] * 3 + ["Flatten", "Linear", "Linear"]
    if kinds != expected:
        return tr(f"the layers should be {expected}, as in the tutorial; yours are {kinds}.",
                  f"各层应该和教程一样是 {expected}；你的是 {kinds}。")
    device = next(answer.parameters()).device
    first_linear = next(m for m in answer.modules() if isinstance(m, nn.Linear))
    if first_linear.in_features == 64 * 4 * 4:
        return tr("Linear(1024, 64) is sized for 32x32 images (64 x 4 x 4 after three poolings); a 64x64 image "
                  "is 64 x 8 x 8 after them.",
                  "Linear(1024, 64) 是为 32x32 的图像定的大小（三次池化之后是 64 x 4 x 4）；64x64 的图像三次池化之后是 64 x 8 x 8。")
    if first_linear.in_features == 64 * 16 * 16:
        return tr("64 x 16 x 16 counts two poolings; the model has three: 64 -> 32 -> 16 -> 8.",
                  "64 x 16 x 16 只算了两次池化；模型有三次：64 -> 32 -> 16 -> 8。")
    try:
        with torch.no_grad():
            out = answer(torch.zeros(2, 3, 64, 64, device=device))
    except RuntimeError as err:
        return tr(f"a [2, 3, 64, 64] batch does not go through ({error_line(err)}); "
                  "which layer's size depends on the image size?",
                  f"[2, 3, 64, 64] 的批次过不去（{error_line(err)}）；哪一层的大小取决于图像大小？")
    if tuple(out.shape) != (2, 10):
        return tr(f"a [2, 3, 64, 64] batch should give [2, 10], yours gives {list(out.shape)}.",
                  f"[2, 3, 64, 64] 的批次应该得到 [2, 10]，你的结果是 {list(out.shape)}。")
    convs = [m for m in answer.modules() if isinstance(m, nn.Conv2d)]
    if [(c.in_channels, c.out_channels) for c in convs] != [(3, 32), (32, 32), (32, 64)]:
        return tr("keep the tutorial's channels: Conv2d(3, 32, ...), Conv2d(32, 32, ...), Conv2d(32, 64, ...).",
                  "保持教程的通道数：Conv2d(3, 32, ...)、Conv2d(32, 32, ...)、Conv2d(32, 64, ...)。")
    return None


@exercise("02.4", kind="explain",
          task=("print(doc_model) lists conv1 and conv2 but no ReLU, although forward applies F.relu twice. "
                "Why? Answer a, b, c or d.",
                "print(doc_model) 列出了 conv1 和 conv2，却没有 ReLU，尽管 forward 里调用了两次 F.relu。"
                "为什么？请回答 a、b、c 或 d。"),
          hint=("Compare with the tutorial's Sequential example, where print lists ReLU(): "
                "where is the ReLU created there, and where in the documentation's Model?",
                "对比教程的 Sequential 例子（那里 print 列出了 ReLU()）：那里的 ReLU 是在哪里创建的？"
                "文档的 Model 里又是在哪里用到 relu 的？"))
def _print_lists_registered_modules(answer):
    return choice(answer, "a", {
        "b": tr("MaxPool2d and Flatten learn nothing either, yet print(model) lists them in the tutorial's CIFAR-10 model.",
                "MaxPool2d 和 Flatten 也没有参数，但 print(model) 在教程的 CIFAR-10 模型里列出了它们。"),
        "c": tr("doc_model was printed before it had run at all, and conv1 and conv2 are listed all the same: "
                "print lists what __init__ registered, whatever has run.",
                "doc_model 是在运行之前打印的，conv1 和 conv2 照样被列出来了：print 列出的是 __init__ 注册的内容，"
                "与运行过什么无关。"),
        "d": tr("F.relu returns a new tensor (in-place only with inplace=True), and even an in-place step "
                "would not be a registered layer.",
                "F.relu 返回一个新张量（只有 inplace=True 时才原地修改）；而且即使原地操作，也不会成为注册的层。"),
    })
