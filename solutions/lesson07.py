"""Solutions of 07_loss's exercises."""
import math

import torch


def my_cross_entropy(scores, targets):
    """Mean of -x[class] + log(sum_j exp(x[j])) over the batch."""
    picked = scores[torch.arange(len(targets)), targets]
    return (torch.logsumexp(scores, dim=1) - picked).mean()


_LSE = math.log(math.exp(1.0) + math.exp(2.0) + math.exp(0.5))

SOLUTIONS = {
    "07.1": lambda: (4 / 3, 10 / 3),  # differences 1, 0, 3: (1 + 0 + 3) / 3 and (1 + 0 + 9) / 3
    "07.2": lambda: -1.0 + _LSE,  # 1.4644
    # x 20 spreads the scores apart: confident guesses, mostly wrong, each costing more than ln 10
    "07.3": lambda: "d",
    "07.4": lambda: my_cross_entropy,
}

#: What a learner who rounds as the tasks allow ("two decimals (or more)") types: accepted too.
ROUNDED = {
    "07.1": [(1.33, 3.33), (1.333, 3.333), (1.3333, 3.3333)],
    "07.2": [1.46, 1.464, 1.4644],
}

WRONG = {
    "07.1": [(4, 10), (10 / 3, 4 / 3), (2.0, 5.0), (4 / 3, 3.0), 1.3333, ("1.33", "3.33"), (1.3, 3.3), (1.34, 3.33)],
    "07.2": [-2.0 + _LSE, 1.0 - _LSE, math.exp(1.0 - _LSE), _LSE, "1.46", 1.5, 1.47],
    "07.3": ["a", "b", "c", "e", 2],
    "07.4": [
        lambda s, t: (torch.logsumexp(s, dim=1) - s[torch.arange(len(t)), t]).sum(),  # sum, not mean
        lambda s, t: (-s[torch.arange(len(t)), t]).mean(),  # forgets log-sum-exp
        lambda s, t: (torch.logsumexp(s, dim=1) - s[torch.arange(len(t)), t]),  # no reduction
        lambda s, t: -torch.log(torch.softmax(s, dim=0)[torch.arange(len(t)), t]).mean(),  # softmax over the batch
        lambda s, t: (torch.logsumexp(s, dim=1) - s[:, 0]).mean(),  # always takes class 0
        1.1019,
        torch.nn.functional.cross_entropy, torch.nn.CrossEntropyLoss(),  # the shortcuts the task forbids
        lambda s, t: torch.nn.NLLLoss()(torch.log_softmax(s, dim=1), t),
    ],
}

#: Typical wrong answers from learners, each with the words its feedback must contain (English, Chinese).
MISTAKES = {
    "07.1": [((4, 10), "reduction='sum'", "reduction='sum'"), ((10 / 3, 4 / 3), "swapped", "写反了"),
             ((2.0, 5.0), "3 elements", "3 个"), ((1.3, 3.3), "one decimal", "一位小数"), ((1.34, 3.33), "rounds to", "四舍五入")],
    "07.2": [(-2.0 + _LSE, "class 1", "类别 1"), (math.exp(1.0 - _LSE), "probability", "概率"), (_LSE, "first term", "第一项"),
             (1.5, "one decimal", "一位小数"), (1.47, "round once", "四舍五入")],
    "07.3": [("a", "class indices", "类别索引"), ("b", "does not change which score is highest", "不会改变哪个得分最高"),
             ("c", "does not add the scores up", "并不是把得分加起来")],
    "07.4": [(WRONG["07.4"][0], "sum over the batch", "总和"), (WRONG["07.4"][2], "reduce them", "缩减"),
             (WRONG["07.4"][1], "second term", "第二项"), (WRONG["07.4"][3], "dim=1", "dim=1"),
             (WRONG["07.4"][4], "class 0", "类别 0"), (torch.nn.functional.cross_entropy, "PyTorch's own", "自带的交叉熵")],
}
#: Right answers as learners type them.
ACCEPTED = {"07.1": [(1.33, 3.33), [1.33, 3.33], (4 / 3, 10 / 3), (torch.tensor(4 / 3), torch.tensor(10 / 3))],
            "07.2": [1.46, 1.4644, torch.tensor(1.4644)], "07.3": ["d.", "(d)", "D"]}
