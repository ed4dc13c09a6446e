"""Solutions of 06_loss's exercises."""
import math

import torch


def my_cross_entropy(scores, targets):
    """Mean of -x[class] + log(sum_j exp(x[j])) over the batch."""
    picked = scores[torch.arange(len(targets)), targets]
    return (torch.logsumexp(scores, dim=1) - picked).mean()


SOLUTIONS = {
    "06.1": lambda: (4 / 3, 10 / 3),  # differences 1, 0, 3
    "06.2": lambda: -1.0 + math.log(math.exp(1.0) + math.exp(2.0) + math.exp(0.5)),  # 1.4644
    "06.3": lambda: math.log(100),  # 4.6052
    "06.4": lambda: my_cross_entropy,
}

WRONG = {
    "06.1": [(4, 10), (10 / 3, 4 / 3), (2.0, 5.0)],
    "06.2": [-2.0 + math.log(math.exp(1.0) + math.exp(2.0) + math.exp(0.5)), 0.2312],
    "06.3": [math.log(10), 0.01, 2.0],
    "06.4": [
        lambda s, t: (torch.logsumexp(s, dim=1) - s[torch.arange(len(t)), t]).sum(),  # sum, not mean
        lambda s, t: (-s[torch.arange(len(t)), t]).mean(),  # forgets log-sum-exp
        lambda s, t: (torch.logsumexp(s, dim=1) - s[torch.arange(len(t)), t]),  # no reduction
    ],
}
