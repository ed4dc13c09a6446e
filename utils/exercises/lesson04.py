"""Exercises of 04_pooling: a ceil_mode output size, max pooling by hand, the tutorial's input, max vs average."""
from __future__ import annotations

import torch
import torch.nn.functional as F

from ..i18n import tr
from . import choice, error_line, exercise, torch_calls, whole_number

#: The tutorial's 5x5 input of the pooling section.
TUTORIAL_INPUT = torch.tensor([[1, 2, 0, 3, 1],
                               [0, 1, 2, 3, 1],
                               [1, 2, 1, 0, 0],
                               [5, 2, 3, 1, 1],
                               [2, 1, 0, 1, 1]], dtype=torch.float32)


@exercise("04.1", kind="predict",
          task=("Lesson 03's Conv2d(3, 6, 3) gives 30x30 feature maps. How high is their output through "
                "MaxPool2d(kernel_size=5, stride=2, ceil_mode=True)?",
                "第 03 课的 Conv2d(3, 6, 3) 输出 30x30 的特征图。它们经过 MaxPool2d(kernel_size=5, stride=2, ceil_mode=True) "
                "之后，输出的高度是多少？"),
          hint=("Put H_in=30, kernel_size=5, stride=2 and padding=0 into the output-size formula; ceil_mode=True "
                "rounds up instead of down, keeping a last, partial window.",
                "把 H_in=30、kernel_size=5、stride=2、padding=0 代入输出大小的公式；ceil_mode=True 时向上取整而不是向下取整，"
                "保留最后那个不完整的窗口。"))
def _ceil_output_size(answer):
    value = whole_number(answer)
    if value is None:
        return tr(f"{answer!r} is not a whole number; a height counts windows.",
                  f"{answer!r} 不是整数；高度是窗口的个数。")
    if value == 14:
        return None
    if value == 13:
        return tr("13 is the height with ceil_mode=False (floor); ceil_mode=True keeps the last, partial window too.",
                  "13 是 ceil_mode=False（向下取整）时的高度；ceil_mode=True 还会保留最后那个不完整的窗口。")
    if value == 6:
        return tr("6 is what the default stride (= kernel_size = 5) gives; this layer has stride=2.",
                  "6 是默认步长（等于 kernel_size，即 5）时的结果；这一层的 stride=2。")
    if value == 26:
        return tr("26 is the height with stride 1; this layer's windows move by 2.",
                  "26 是步长为 1 时的高度；这一层的窗口每次移动 2。")
    if value == 15:
        return tr("15 is 30 / 2, as if a window needed no room; a window of 5 must start at most at row 25 "
                  "(with ceil_mode=True, at a row inside the image): count the starts 0, 2, 4, ...",
                  "15 是 30 / 2，好像窗口不占位置一样；宽为 5 的窗口最多从第 25 行开始"
                  "（ceil_mode=True 时，只要起点在图像之内）：数一数起点 0、2、4……")
    return tr(f"{value} is not the output height; use the formula with H_in=30, kernel_size=5, stride=2, then round up.",
              f"{value} 不是输出的高度；用公式算，H_in=30、kernel_size=5、stride=2，然后向上取整。")


def _pool_cases():
    """The checks of 04.2, square inputs first, then inputs that are not square (the task says so)."""
    gen = torch.Generator().manual_seed(3)
    # (height, width, kernel_size, ceil_mode); values are negative and positive, so a partial window
    # padded with 0 gives wrong maxima
    for h, w, k, ceil_mode in [(5, 5, 2, False), (5, 5, 3, True), (4, 4, 2, True), (6, 7, 2, True),
                               (7, 6, 3, False), (8, 9, 3, True)]:
        yield torch.randint(-9, 10, (h, w), generator=gen).float() - 5, k, ceil_mode


def _square_pool_hint(case: str) -> str:
    return tr(f"your function works on square inputs but not for {case}: it counts the windows of the rows and of the "
              "columns with one number. Count them separately, from x.shape[0] and from x.shape[1].",
              f"你的函数对正方形的输入是对的，但对 {case} 不对：它用同一个数来数行方向和列方向的窗口。"
              "请分别用 x.shape[0] 和 x.shape[1] 来数。")


@exercise("04.2", kind="code",
          task=("Write my_max_pool2d(x, kernel_size, ceil_mode=False) for a 2-D tensor with loops, without PyTorch's "
                "pooling; it must match nn.MaxPool2d(kernel_size, ceil_mode=ceil_mode), also on inputs that are not "
                "square (e.g. 6x7).",
                "不用 PyTorch 自带的池化，用循环写一个 my_max_pool2d(x, kernel_size, ceil_mode=False)，作用于二维张量；"
                "结果必须与 nn.MaxPool2d(kernel_size, ceil_mode=ceil_mode) 一致，输入不是正方形时也一样（例如 6x7）。"),
          hint=("The stride is kernel_size. Count the windows with the formula (floor, or ceil for ceil_mode=True), "
                "for the rows and the columns each; each output is the largest value of one window, and slicing past "
                "the edge simply gives a smaller window.",
                "步长就是 kernel_size。用公式数出窗口个数（向下取整；ceil_mode=True 时向上取整），行和列要分别数；"
                "每个输出都是一个窗口里的最大值，切片超出边界时得到的就是一个较小的窗口。"))
def _my_max_pool2d(answer):
    if not callable(answer):
        return tr(f"the answer should be a function, e.g. answer = my_max_pool2d (got {type(answer).__name__}).",
                  f"答案应该是一个函数，例如 answer = my_max_pool2d（而你给的是 {type(answer).__name__}）。")
    for x, k, ceil_mode in _pool_cases():  # the square cases come first: a failure on a later one points at the shape
        square = x.shape[0] == x.shape[1]
        expected = F.max_pool2d(x[None, None], k, ceil_mode=ceil_mode)[0, 0]
        case = f"x {tuple(x.shape)}, kernel_size={k}, ceil_mode={ceil_mode}"
        try:
            got, called = torch_calls(lambda: answer(x.clone(), k, ceil_mode=ceil_mode))
        except Exception as err:  # a broken function, or one that assumes a square input
            if not square:
                return _square_pool_hint(case)
            return tr(f"calling your function for {case} fails ({error_line(err)}).",
                      f"对于 {case}，调用你的函数时出错（{error_line(err)}）。")
        library = sorted(name for name in called if "pool" in name)
        if library:
            return tr(f"your function calls PyTorch's own pooling ({', '.join(library)}); the task is to find each "
                      "window's maximum yourself, with loops.",
                      f"你的函数调用了 PyTorch 自带的池化（{', '.join(library)}）；这道题要你用循环自己找出每个窗口里的最大值。")
        got = torch.as_tensor(got).detach().cpu()
        while got.dim() > 2 and got.shape[0] == 1:
            got = got[0]
        if tuple(got.shape) == tuple(expected.shape) and torch.allclose(got.double(), expected.double()):
            continue
        if not square:
            return _square_pool_hint(case)
        if tuple(got.shape) != tuple(expected.shape):
            h, w = x.shape
            if tuple(got.shape) == (h - k + 1, w - k + 1):
                return tr(f"for {case} your windows move by 1; a pooling window moves by kernel_size "
                          "(the stride defaults to kernel_size).",
                          f"对于 {case}，你的窗口每次只移动 1；池化窗口每次移动 kernel_size（步长默认等于 kernel_size）。")
            floor = F.max_pool2d(x[None, None], k, ceil_mode=False)[0, 0]
            if ceil_mode and tuple(got.shape) == tuple(floor.shape):
                return tr(f"for {case} the output should be {tuple(expected.shape)}: with ceil_mode=True the last, "
                          "partial window is kept too.",
                          f"对于 {case}，输出应该是 {tuple(expected.shape)}：ceil_mode=True 时最后那个不完整的窗口也要保留。")
            return tr(f"for {case} the output should be {tuple(expected.shape)}, yours is {tuple(got.shape)}.",
                      f"对于 {case}，输出应该是 {tuple(expected.shape)}，你的是 {tuple(got.shape)}。")
        zero_padded = F.max_pool2d(F.pad(x, (0, k, 0, k))[None, None], k)[0, 0][:expected.shape[0], :expected.shape[1]]
        if torch.allclose(got.double(), zero_padded.double()):
            return tr(f"for {case} your partial windows count the missing pixels as 0; max pooling takes the maximum "
                      "of the pixels a window does cover (PyTorch pads with minus infinity, never with 0).",
                      f"对于 {case}，你把不完整窗口里缺少的像素当成了 0；最大池化只在窗口实际覆盖的像素中取最大值"
                      "（PyTorch 填充的是负无穷，而不是 0）。")
        average = F.avg_pool2d(x[None, None], k, ceil_mode=ceil_mode)[0, 0]
        if torch.allclose(got.double(), average.double()):
            return tr(f"for {case} your numbers are each window's mean: that is average pooling; max pooling keeps the "
                      "largest value.",
                      f"对于 {case}，你算出的是每个窗口的平均值：那是平均池化；最大池化保留的是最大值。")
        return tr(f"for {case} your numbers differ from nn.MaxPool2d's; each should be the largest value of its window.",
                  f"对于 {case}，你算出的数和 nn.MaxPool2d 的不一样；每个数都应该是它那个窗口里的最大值。")
    return None


@exercise("04.3", kind="predict",
          task=("Predict, on paper, MaxPool2d(kernel_size=2) (ceil_mode=False) of the tutorial's 5x5 input: "
                "type the numbers as a nested list.",
                "在纸上预测教程中 5x5 的输入经过 MaxPool2d(kernel_size=2)（ceil_mode=False）后的结果：把这些数写成嵌套列表。"),
          hint=("The 2x2 windows start at rows/columns 0 and 2 (stride 2); the last row and column are left over.",
                "2x2 的窗口从第 0 和第 2 行/列开始（步长为 2）；最后一行和最后一列被舍弃。"))
def _kernel_two_on_tutorial_input(answer):
    expected = F.max_pool2d(TUTORIAL_INPUT.reshape(1, 1, 5, 5), 2)[0, 0]
    if isinstance(answer, torch.Tensor):
        return tr("this is a prediction: type the numbers you worked out on paper, e.g. [[a, b], [c, d]]; "
                  "a tensor means a layer computed them for you.",
                  "这是一道预测题：请把你在纸上算出的数写出来，例如 [[a, b], [c, d]]；"
                  "交一个张量，就是让层替你算了。")
    try:
        got = torch.as_tensor(answer, dtype=torch.float32)
    except (TypeError, ValueError, RuntimeError):
        return tr(f"the answer should be a nested list of numbers, e.g. [[a, b], [c, d]] (got {answer!r}).",
                  f"答案应该是一个嵌套的数字列表，例如 [[a, b], [c, d]]（而你给的是 {answer!r}）。")
    while got.dim() > 2 and got.shape[0] == 1:
        got = got[0]
    if got.shape != expected.shape:
        if tuple(got.shape) == (4, 4):
            return tr("a 4x4 result is what windows moving by 1 give; a pooling window moves by its size, 2.",
                      "4x4 的结果是窗口每次移动 1 时才有的；池化窗口每次移动的距离等于它的大小，也就是 2。")
        if tuple(got.shape) == (3, 3):
            return tr("a 3x3 result is what ceil_mode=True gives; with ceil_mode=False a window must fit entirely.",
                      "3x3 的结果是 ceil_mode=True 时才有的；ceil_mode=False 时窗口必须完全落在输入之内。")
        return tr(f"your answer has shape {list(got.shape)}, but 2x2 windows with stride 2 fit 2x2 times in 5x5.",
                  f"你的答案形状是 {list(got.shape)}，但步长为 2 的 2x2 窗口在 5x5 中只放得下 2x2 个。")
    if torch.equal(got, expected):
        return None
    wrong = int((got != expected).sum())
    return tr(f"{wrong} of the 4 values are off; each is the largest of a 2x2 block of the input.",
              f"4 个数中有 {wrong} 个不对；每个数都是输入中一个 2x2 小块里的最大值。")


@exercise("04.4", kind="explain",
          task=("Why are max-pooled images brighter on average than the input, while average-pooled ones are not? "
                "Answer a, b, c or d.",
                "为什么最大池化后的图像平均来说比输入更亮，而平均池化后的却不会？请回答 a、b、c 或 d。"),
          hint=("Compare, for one 3x3 window, its largest value with its mean; then think about what the mean of "
                "all window means is.",
                "比较一个 3x3 窗口里的最大值和平均值；再想一想所有窗口平均值的平均是多少。"))
def _max_pooling_brightens(answer):
    return choice(answer, "d", {
        "a": tr("MaxPool2d has no weights at all: list(MaxPool2d(3).parameters()) is empty. It only picks values.",
                "MaxPool2d 根本没有权重：list(MaxPool2d(3).parameters()) 是空的。它只是挑选数值。"),
        "b": tr("the average-pooled images are just as small (10x10), and their mean stays about at the input's: the size "
                "does not make a picture brighter.",
                "平均池化后的图像同样小（10x10），它们的平均值却和输入的差不多：图像变小并不会让它变亮。"),
        "c": tr("average pooling with ceil_mode=False drops the same last row and column, and its mean barely moves.",
                "ceil_mode=False 的平均池化也舍弃了同样的最后一行和一列，而它的平均值几乎没变。"),
    })
