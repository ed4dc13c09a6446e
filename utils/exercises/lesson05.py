"""Exercises of 05_activations: in-place ReLU, ReLU by hand, BatchNorm's running mean, ReLU and pooling."""
from __future__ import annotations

import torch

from ..i18n import tr
from . import choice, exercise, one_number, torch_calls


@exercise("05.1", kind="predict",
          task=("What is x[0] after x = torch.tensor([-2.0, 0.5, 3.0]); y = nn.ReLU(inplace=True)(x); y[0] = 7.0?",
                "执行 x = torch.tensor([-2.0, 0.5, 3.0])；y = nn.ReLU(inplace=True)(x)；y[0] = 7.0 之后，x[0] 是多少？"),
          hint=("With inplace=True, ReLU writes its result into x and returns x itself (y is x): "
                "what does writing into y do to x?",
                "inplace=True 时，ReLU 把结果写进 x，并返回 x 本身（y 就是 x）：往 y 里写数，x 会怎样？"))
def _inplace_alias(answer):
    value, problem = one_number(answer)
    if problem:
        return problem
    if abs(value - 7.0) < 1e-6:
        return None
    if abs(value + 2.0) < 1e-6:
        return tr("-2.0 is what x[0] would be with inplace=False, where ReLU leaves x alone and y is a new tensor.",
                  "-2.0 是 inplace=False 时 x[0] 的值：那时 ReLU 不改动 x，y 是一个新张量。")
    if abs(value) < 1e-6:
        return tr("ReLU did set x[0] to 0, in place; but y is x itself, so y[0] = 7.0 writes into x as well.",
                  "ReLU 确实原地把 x[0] 改成了 0；但 y 就是 x 本身，所以 y[0] = 7.0 也写进了 x。")
    return tr(f"{value:g} is not it: follow the three lines one by one.",
              f"{value:g} 不对：把这三行一行一行地走一遍。")


@exercise("05.2", kind="code",
          task=("Write ReLU yourself, as a function my_relu(x) that returns a new tensor max(0, x) and leaves x unchanged, "
                "without nn.ReLU, torch.relu or F.relu.",
                "自己写 ReLU：函数 my_relu(x) 返回一个新张量 max(0, x)，并且不改动 x；不能用 nn.ReLU、torch.relu 或 F.relu。"),
          hint=("Which entries of the result are x itself, and which are 0? A comparison such as x > 0 tells them apart; "
                "torch.where, clamp or a multiplication can build the result from it.",
                "结果里哪些元素就是 x 本身，哪些是 0？x > 0 这样的比较能把它们分开；torch.where、clamp 或一次乘法都能据此拼出结果。"))
def _own_relu(answer):
    if not callable(answer):
        return tr(f"the answer should be your function itself, e.g. my_relu without parentheses (got {type(answer).__name__}).",
                  f"答案应该是函数本身，例如不带括号的 my_relu（而你给的是 {type(answer).__name__}）。")
    x = torch.tensor([[1.0, -0.5, 0.0], [-1.0, 3.0, -2.5]])
    original = x.clone()
    out, called = torch_calls(answer, x)
    if called & {"relu", "relu_"}:
        return tr("your function calls PyTorch's own ReLU (nn.ReLU, torch.relu, F.relu or x.relu()); "
                  "the task is to compute it without them.",
                  "你的函数调用了 PyTorch 自带的 ReLU（nn.ReLU、torch.relu、F.relu 或 x.relu()）；"
                  "这道题要求不用它们，自己算出来。")
    if not isinstance(out, torch.Tensor):
        return tr(f"your function returned {type(out).__name__}, not a tensor.",
                  f"你的函数返回的是 {type(out).__name__}，不是张量。")
    if not torch.equal(x, original):
        return tr("your function changed its input: that is inplace=True behaviour; return a new tensor instead.",
                  "你的函数改动了输入：这是 inplace=True 的行为；应该返回一个新张量。")
    if out.shape != x.shape:
        return tr(f"ReLU keeps the shape: input {list(x.shape)}, your output {list(out.shape)}.",
                  f"ReLU 不改变形状：输入是 {list(x.shape)}，你的输出是 {list(out.shape)}。")
    expected = torch.tensor([[1.0, 0.0, 0.0], [0.0, 3.0, 0.0]])
    if torch.allclose(out.float(), expected):
        return None
    if torch.allclose(out.float(), torch.sigmoid(x)):
        return tr("that is Sigmoid, not ReLU.", "这是 Sigmoid，不是 ReLU。")
    if torch.allclose(out.float(), x.abs()):
        return tr("that is the absolute value: ReLU turns negative numbers into 0, not into positive ones.",
                  "这是绝对值：ReLU 把负数变成 0，而不是变成正数。")
    return tr(f"for {x.tolist()} your function gives {out.tolist()}, but ReLU gives {expected.tolist()}.",
              f"对于 {x.tolist()}，你的函数给出 {out.tolist()}，而 ReLU 给出 {expected.tolist()}。")


@exercise("05.3", kind="predict",
          task=("A fresh BatchNorm2d(1) (momentum=0.1) sees two train-mode batches, with means 2.0 and then 4.0. "
                "What is its running_mean afterwards?",
                "一个新建的 BatchNorm2d(1)（momentum=0.1）在训练模式下先后处理两个批次，均值分别是 2.0 和 4.0。"
                "之后它的 running_mean 是多少？"),
          hint=("running_mean starts at 0; after each batch it becomes 0.9 x running_mean + 0.1 x batch mean. "
                "Apply that twice.",
                "running_mean 从 0 开始；每个批次之后变成 0.9 x running_mean + 0.1 x 批次均值。把这一步做两次。"))
def _running_mean(answer):
    value, problem = one_number(answer)
    if problem:
        return problem
    right = 0.9 * (0.9 * 0.0 + 0.1 * 2.0) + 0.1 * 4.0  # 0.58
    if abs(value - right) < 1e-4:
        return None
    if abs(value - 3.0) < 1e-4:
        return tr("3.0 is the plain average of the batch means, which momentum=None would keep; "
                  "with momentum=0.1 the running mean moves only 10% of the way after each batch.",
                  "3.0 是两个批次均值的简单平均，那是 momentum=None 时的结果；"
                  "momentum=0.1 时，每个批次之后 running_mean 只向批次均值移动 10%。")
    if abs(value - 0.6) < 1e-4:
        return tr("0.6 = 0.1 x 2.0 + 0.1 x 4.0 forgets that the old value is multiplied by 0.9 before the new batch is added.",
                  "0.6 = 0.1 x 2.0 + 0.1 x 4.0：这里忘了在加上新批次之前，先把旧的值乘以 0.9。")
    if abs(value - 0.4) < 1e-4 or abs(value - 0.2) < 1e-4:
        return tr(f"{value:g} counts one batch only; the running mean remembers both (the older one weighted by 0.9).",
                  f"{value:g} 只算了一个批次；running_mean 会记住两个批次（较早那个的贡献还要再乘以 0.9）。")
    if abs(value - 3.78) < 1e-4:
        return tr("3.78 swaps the weights: the new batch counts with momentum=0.1, the old value with 0.9.",
                  "3.78 把权重弄反了：新批次的权重是 momentum=0.1，旧的值的权重是 0.9。")
    return tr(f"{value:g} is not it; compute 0.9 x 0 + 0.1 x 2.0 first, then 0.9 x that + 0.1 x 4.0.",
              f"{value:g} 不对；先算 0.9 x 0 + 0.1 x 2.0，再算 0.9 x 它 + 0.1 x 4.0。")


@exercise("05.4", kind="explain",
          task=("Does MaxPool2d(2) then ReLU give the same output as ReLU then MaxPool2d(2), for any input? "
                "Answer a, b, c or d.",
                "对任何输入，先 MaxPool2d(2) 再 ReLU，和先 ReLU 再 MaxPool2d(2)，输出一样吗？请回答 a、b、c 或 d。"),
          hint=("Try one 2x2 window by hand, [-3, -1, 2, 0.5], then [-3, -1, -2, -0.5]: which number does each order give? "
                "Or compare the two orders on torch.randn(1, 1, 4, 4).",
                "手算一个 2x2 窗口：先试 [-3, -1, 2, 0.5]，再试 [-3, -1, -2, -0.5]，两种顺序各得到哪个数？"
                "也可以在 torch.randn(1, 1, 4, 4) 上比较两种顺序。"))
def _relu_and_pooling_commute(answer):
    return choice(answer, "a", {
        "b": tr("ReLU does turn negative values into 0, but look at a window's largest value: if it is positive, "
                "both orders give it; if all four are negative, both give 0.",
                "ReLU 确实把负数变成 0，但看窗口里最大的那个数：它是正数时，两种顺序都得到它；"
                "四个数都是负数时，两种顺序都得到 0。"),
        "c": tr("it holds for negative inputs too, e.g. for torch.randn(1, 1, 4, 4): what matters is that ReLU keeps "
                "the order of numbers, not the range of the input.",
                "对负数输入也成立，例如 torch.randn(1, 1, 4, 4)：关键是 ReLU 保持数的大小顺序，而不是输入的范围。"),
        "d": tr("Sigmoid can be swapped with MaxPool2d(2), since it keeps the order of numbers too; but so can ReLU: "
                "keeping the order is what counts, not the values it outputs.",
                "Sigmoid 确实可以和 MaxPool2d(2) 交换顺序，因为它也保持数的大小顺序；但 ReLU 同样可以："
                "关键是保持顺序，而不是输出什么值。"),
    })
