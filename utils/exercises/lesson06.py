"""Exercises of 06_loss."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from . import exercise


def _close(a, b, tol=1e-3) -> bool:
    return abs(float(a) - float(b)) < tol


@exercise("06.1", task="L1Loss() and MSELoss() of inputs [0, 2, 4] and targets [1, 2, 7], as a tuple (l1, mse).",
          hint="The differences are 1, 0 and 3: average their absolute values, then their squares (divide by 3, not by 2).")
def _l1_and_mse(answer):
    l1, mse = answer
    if _close(l1, 4 / 3) and _close(mse, 10 / 3):
        return None
    if _close(l1, 4) or _close(mse, 10):
        return "that is reduction='sum'; the default 'mean' divides by the number of elements, 3."
    if _close(l1, 10 / 3) and _close(mse, 4 / 3):
        return "the two are swapped: L1 first, MSE second."
    if _close(l1, 4 / 3):
        return f"the L1 loss is right, but {mse} is not the mean of the squared differences."
    return f"{float(l1):.4f} is not the mean of the absolute differences."


@exercise("06.2", task="Cross-entropy of scores [1.0, 2.0, 0.5] with true class 0.",
          hint="-x[0] + log(exp(1.0) + exp(2.0) + exp(0.5)); the true class is 0, so take the first score.")
def _cross_entropy_by_formula(answer):
    right = -1.0 + math.log(math.exp(1.0) + math.exp(2.0) + math.exp(0.5))
    if _close(answer, right):
        return None
    if _close(answer, -2.0 + math.log(math.exp(1.0) + math.exp(2.0) + math.exp(0.5))):
        return "that is the loss for class 1; classes count from 0, and the true class is 0."
    if _close(answer, -right):
        return "the sign is off: the loss is -x[class] + log(sum of exp), never negative."
    if _close(answer, math.exp(1.0) / (math.exp(1.0) + math.exp(2.0) + math.exp(0.5))):
        return "that is the probability of class 0; the loss is minus its log."
    return f"{float(answer):.4f} is not -x[0] + log(sum_j exp(x[j]))."


@exercise("06.3", task="The loss of an untrained model with equal scores over 100 classes.",
          hint="Equal scores give each class probability 1/100; the loss is -log(1/100).")
def _uniform_loss_100(answer):
    if _close(answer, math.log(100), 0.01):
        return None
    if _close(answer, math.log(10), 0.01):
        return "ln 10 is for 10 classes; CIFAR-100 has 100."
    if _close(answer, 0.01, 1e-4):
        return "1/100 is the probability of each class; the loss is minus its log."
    if _close(answer, math.log10(100), 0.01):
        return "cross-entropy uses the natural log (ln), not log10."
    return f"{float(answer):.4f} is not -ln(1/100)."


@exercise("06.4", task="Write my_cross_entropy(scores, targets) = the mean cross-entropy, without CrossEntropyLoss.",
          hint="(torch.logsumexp(scores, dim=1) - scores[torch.arange(len(targets)), targets]).mean()")
def _my_cross_entropy(answer):
    if not callable(answer):
        return f"the answer should be a function, not a {type(answer).__name__}."
    gen = torch.Generator().manual_seed(6)
    for n, c in [(1, 3), (5, 10), (32, 7)]:
        scores = torch.randn(n, c, generator=gen) * 3
        targets = torch.randint(0, c, (n,), generator=gen)
        got = answer(scores.clone(), targets.clone())
        want = F.cross_entropy(scores, targets)
        if not isinstance(got, torch.Tensor):
            got = torch.tensor(float(got))
        if got.numel() != 1:
            return f"for {n} samples it returned {tuple(got.shape)} values; reduce them to one mean."
        if _close(got, want * n, 1e-4) and n > 1:
            return "that is the sum over the batch; CrossEntropyLoss() returns the mean."
        if not _close(got, want, 1e-4):
            return f"for a batch of {n} samples with {c} classes it gives {got.item():.4f}, PyTorch {want.item():.4f}."
    return None
