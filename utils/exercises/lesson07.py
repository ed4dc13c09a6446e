"""Exercises of 07_loss."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from ..i18n import tr
from . import choice, close, exercise, one_number, real_number, to_decimals, torch_calls



#: 07.2: scores [1.0, 2.0, 0.5], true class 0.
_LSE = math.log(math.exp(1.0) + math.exp(2.0) + math.exp(0.5))


@exercise("07.1", kind="predict",
          task=("L1Loss() and MSELoss() of inputs [0, 2, 4] and targets [1, 2, 7], as a tuple (l1, mse), "
                "each to two decimals (or more).",
                "输入 [0, 2, 4]、目标 [1, 2, 7] 的 L1Loss() 和 MSELoss()，写成元组（L1 损失，均方误差），每个数保留两位（或更多）小数。"),
          hint=("The differences are 1, 0 and 3: average their absolute values, then their squares (divide by 3).",
                "三个差分别是 1、0、3：先求它们绝对值的平均，再求平方的平均（都除以 3）。"))
def _l1_and_mse(answer):
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return tr("answer with a tuple of two numbers, (l1, mse).", "请用两个数的元组作答：（L1 损失，均方误差）。")
    l1, mse = real_number(answer[0]), real_number(answer[1])
    if l1 is None or mse is None:
        return tr("both entries of the tuple must be numbers.", "元组里的两个值都必须是数。")
    if to_decimals(l1, 4 / 3, 2) and to_decimals(mse, 10 / 3, 2):
        return None
    if to_decimals(l1, 4, 2) or to_decimals(mse, 10, 2):
        return tr("that is reduction='sum'; the default 'mean' divides by the number of elements, 3.",
                  "这是 reduction='sum' 的结果；默认的 'mean' 还要除以元素个数 3。")
    if to_decimals(l1, 10 / 3, 2) and to_decimals(mse, 4 / 3, 2):
        return tr("the two are swapped: L1 first, MSE second.", "两个值写反了：L1 在前，MSE 在后。")
    if to_decimals(l1, 2.0, 2) or to_decimals(mse, 5.0, 2):
        return tr("there are 3 elements, not 2: the difference 0 counts too when you take the mean.",
                  "元素有 3 个而不是 2 个：差为 0 的那个元素求平均时也要算进去。")
    if to_decimals(l1, 4 / 3, 2):
        return tr(f"the L1 loss is right, but {mse:g} is not the mean of the squared differences.",
                  f"L1 损失对了，但 {mse:g} 不是差的平方的平均值。")
    if round(l1, 1) == l1 and round(mse, 1) == mse and to_decimals(l1, 4 / 3, 1) and to_decimals(mse, 10 / 3, 1):
        return tr(f"({l1:g}, {mse:g}) is right to one decimal; the task asks for two decimals (or more).",
                  f"({l1:g}, {mse:g}) 只精确到一位小数；题目要求保留两位（或更多）小数。")
    if close(l1, 4 / 3, 0.05) and close(mse, 10 / 3, 0.05):
        return tr(f"({l1:g}, {mse:g}) is close, but one of the numbers is not 4/3 or 10/3 rounded to two decimals: "
                  "1.333… rounds to 1.33, 3.333… to 3.33.",
                  f"({l1:g}, {mse:g}) 很接近，但有一个数不是 4/3 或 10/3 四舍五入到两位小数的结果："
                  "1.333… 四舍五入是 1.33，3.333… 是 3.33。")
    return tr(f"{l1:g} is not the mean of the absolute differences.", f"{l1:g} 不是差的绝对值的平均值。")


@exercise("07.2", kind="predict",
          task=("Cross-entropy of scores [1.0, 2.0, 0.5] with true class 0, to two decimals (or more).",
                "得分为 [1.0, 2.0, 0.5]、真实类别为 0 时的交叉熵损失，保留两位（或更多）小数。"),
          hint=("-x[0] + log(exp(1.0) + exp(2.0) + exp(0.5)); the true class is 0, so take the first score.",
                "-x[0] + log(exp(1.0) + exp(2.0) + exp(0.5))；真实类别是 0，所以取第一个得分。"))
def _cross_entropy_by_formula(answer):
    value, problem = one_number(answer)
    if problem:
        return problem
    if to_decimals(value, -1.0 + _LSE, 2):
        return None
    if to_decimals(value, -2.0 + _LSE, 2):
        return tr("that is the loss for class 1; classes count from 0, and the true class is 0.",
                  "这是类别 1 的损失；类别从 0 开始编号，真实类别是 0。")
    if to_decimals(value, 1.0 - _LSE, 2):
        return tr("the sign is off: the loss is -x[class] + log(sum of exp), never negative.",
                  "符号反了：损失是 -x[class] + log(Σexp)，不会是负数。")
    if to_decimals(value, math.exp(1.0 - _LSE), 2):
        return tr("that is the probability of class 0 (its softmax); the loss is minus its log.",
                  "这是类别 0 的概率（softmax 之后）；损失是它的对数取负。")
    if to_decimals(value, _LSE, 2):
        return tr("you left out the first term, -x[0] = -1.0.", "漏掉了第一项 -x[0] = -1.0。")
    if round(value, 1) == value and to_decimals(value, -1.0 + _LSE, 1):
        return tr(f"{value:g} is right to one decimal; the task asks for two decimals (or more).",
                  f"{value:g} 只精确到一位小数；题目要求保留两位（或更多）小数。")
    if close(value, -1.0 + _LSE, 0.05):
        return tr(f"{value:g} is close, but not the loss rounded to two decimals; keep four decimals until the end, "
                  "then round once.",
                  f"{value:g} 很接近，但不是损失四舍五入到两位小数的结果；中间步骤保留四位小数，最后再四舍五入一次。")
    return tr(f"{value:.4f} is not -x[0] + log(sum_j exp(x[j])).", f"{value:.4f} 不等于 -x[0] + log(Σ_j exp(x[j]))。")


@exercise("07.3", kind="explain",
          task=("Why does multiplying the untrained model's scores by 20 raise its loss well above ln 10? (a-d)",
                "为什么把未训练模型的得分乘以 20，损失会远高于 ln 10？（a–d）"),
          hint=("Look at torch.softmax(outputs * 20, dim=1) for one image: its largest probability, and the true class's.",
                "看一张图像的 torch.softmax(outputs * 20, dim=1)：最大的概率是多少，真实类别的概率又是多少。"))
def _scaled_scores(answer):
    return choice(answer, "d", {
        "a": tr("the targets are class indices and do not change; only the scores were multiplied.",
                "目标是类别索引，并没有变；被乘以 20 的只是得分。"),
        "c": tr("the loss did not become 20 x 2.30 = 46: cross-entropy compares the true class's score with "
                "the others through the softmax, it does not add the scores up.",
                "损失并没有变成 20 × 2.30 = 46：交叉熵通过 softmax 把真实类别的得分和其他得分比较，并不是把得分加起来。"),
        "b": tr("multiplying by a positive number does not change which score is highest: the guesses, and so "
                "the accuracy, stay exactly the same. What changes is how sure the model is.",
                "乘以正数不会改变哪个得分最高：模型的预测、也就是准确率，完全不变。变的是模型有多“自信”。"),
    })


@exercise("07.4", kind="code",
          task=("Write my_cross_entropy(scores, targets): the mean loss that CrossEntropyLoss() gives, "
                "without CrossEntropyLoss, F.cross_entropy or NLLLoss.",
                "写一个 my_cross_entropy(scores, targets)：返回 CrossEntropyLoss() 给出的平均损失，"
                "不能用 CrossEntropyLoss、F.cross_entropy 或 NLLLoss。"),
          hint=("Use the formula of the lesson, -x[class] + log(sum_j exp(x[j])), once per row: "
                "which two numbers does each row need, and how do you get them for all rows at once?",
                "按课上的公式 -x[class] + log(Σ_j exp(x[j]))，每一行算一次："
                "每一行需要哪两个数？怎样一次就拿到所有行的这两个数？"))
def _my_cross_entropy(answer):
    if not callable(answer):
        return tr(f"the answer should be a function, not a {type(answer).__name__}.",
                  f"答案应该是一个函数，而不是 {type(answer).__name__}。")
    gen = torch.Generator().manual_seed(6)
    for n, c in [(5, 10), (32, 7), (1, 3)]:
        scores = torch.randn(n, c, generator=gen) * 3
        targets = torch.randint(0, c, (n,), generator=gen)
        got, called = torch_calls(answer, scores.clone(), targets.clone())
        if called & {"cross_entropy", "nll_loss", "cross_entropy_loss"}:
            return tr("your function calls PyTorch's own cross-entropy (CrossEntropyLoss, F.cross_entropy, "
                      "NLLLoss or F.nll_loss); the task is to compute it with the formula.",
                      "你的函数调用了 PyTorch 自带的交叉熵（CrossEntropyLoss、F.cross_entropy、NLLLoss 或 F.nll_loss）；"
                      "这道题要求用公式自己算。")
        want = F.cross_entropy(scores, targets).item()
        if isinstance(got, torch.Tensor) and got.numel() != 1:
            return tr(f"for {n} rows of scores it returned {tuple(got.shape)} values; reduce them to one mean.",
                      f"对 {n} 行得分，它返回了形状为 {tuple(got.shape)} 的多个值；请把它们缩减成一个平均值。")
        value = real_number(got)
        if value is None:
            return tr(f"it returned a {type(got).__name__}; return one number (a tensor with one element).",
                      f"它返回了 {type(got).__name__}；请返回一个数（只含一个元素的张量）。")
        if n > 1 and close(value, want * n, 1e-4):
            return tr("that is the sum over the batch; CrossEntropyLoss() returns the mean.",
                      "这是整个批次的总和；CrossEntropyLoss() 默认返回平均值。")
        picked = scores[torch.arange(n), targets]
        if close(value, (-picked).mean().item(), 1e-4):
            return tr("you left out the second term, log(sum_j exp(x[j])) of each row: without it the loss is just "
                      "minus the true class's score.",
                      "漏掉了第二项，即每一行的 log(Σ_j exp(x[j]))：没有它，损失就只是真实类别得分取负。")
        if n > 1 and close(value, -torch.log_softmax(scores, dim=0)[torch.arange(n), targets].mean().item(), 1e-4):
            return tr("your softmax runs over the batch (dim=0); it should run over each row's classes (dim=1).",
                      "你的 softmax 是在整个批次上算的（dim=0）；它应该在每一行的各个类别上算（dim=1）。")
        if n > 1 and close(value, (torch.logsumexp(scores, dim=1) - scores[:, 0]).mean().item(), 1e-4):
            return tr("every row takes the score of class 0; each row needs the score of its own target, "
                      "scores[torch.arange(N), targets].",
                      "每一行都取了类别 0 的得分；每一行要取它自己目标类别的得分：scores[torch.arange(N), targets]。")
        if not close(value, want, 1e-4):
            return tr(f"for a batch of {n} rows of scores with {c} classes it gives {value:.4f}, PyTorch {want:.4f}.",
                      f"对 {n} 行得分、{c} 个类别的批次，它得到 {value:.4f}，PyTorch 得到 {want:.4f}。")
    return None
