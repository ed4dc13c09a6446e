"""Exercises of 08_optimizers."""
from __future__ import annotations

import torch
from torch import nn

from ..i18n import tr
from . import close, choice, exercise, one_number



class _OneWeight(nn.Module):
    """The lesson's one-weight model: output = w * x."""

    def __init__(self, w: float = 2.0):
        super().__init__()
        self.w = nn.Parameter(torch.tensor(w))

    def forward(self, x):
        return self.w * x


@exercise("08.1", kind="predict",
          task=("w.grad of OneWeight(1.0) with x = 3, y = 0 and MSELoss, after two backward() calls without zero_grad().",
                "OneWeight(1.0)、x = 3、y = 0、MSELoss：不调用 zero_grad()，连续两次 backward() 之后 w.grad 是多少？"),
          hint=("One backward() gives 2 * (w*x - y) * x = 2 * 3 * 3; backward() adds to .grad instead of replacing it.",
                "一次 backward() 得到 2 * (w*x - y) * x = 2 * 3 * 3；backward() 会把梯度累加到 .grad 上，而不是覆盖。"))
def _accumulated_gradient(answer):
    value, problem = one_number(answer)
    if problem:
        return problem
    if close(value, 36.0):
        return None
    if close(value, 18.0):
        return tr("18 is the gradient of one backward(); the second one adds to it.",
                  "18 是一次 backward() 的梯度；第二次 backward() 会再加上去。")
    if close(value, -36.0) or close(value, -18.0):
        return tr("check the sign: w * x = 3 is above the target 0, so the loss grows with w and the gradient is positive.",
                  "检查符号：w * x = 3 比目标 0 大，损失随 w 增大而增大，所以梯度是正的。")
    if close(value, 9.0):
        return tr("the loss is (w*x - y)^2, so its derivative is 2 * (w*x - y) * x, not (w*x - y) * x.",
                  "损失是 (w*x - y)^2，它的导数是 2 * (w*x - y) * x，而不是 (w*x - y) * x。")
    if close(value, 12.0):
        return tr("the chain rule brings in the input x = 3: 2 * (w*x - y) * x, not 2 * (w*x - y).",
                  "链式法则还要乘上输入 x = 3：是 2 * (w*x - y) * x，而不是 2 * (w*x - y)。")
    return tr(f"{value:g} is not twice 2 * (w*x - y) * x.", f"{value:g} 不等于 2 * (w*x - y) * x 的两倍。")


@exercise("08.2", kind="predict",
          task=("w after one step of SGD(lr=0.01, weight_decay=0.5) on OneWeight() (w = 2) with x = 2, y = 8.",
                "OneWeight()（w = 2）、x = 2、y = 8：用 SGD(lr=0.01, weight_decay=0.5) 走一步之后 w 是多少？"),
          hint=("w - lr * (grad + weight_decay * w) with grad = 2 * (2*2 - 8) * 2 = -16.",
                "w - lr * (grad + weight_decay * w)，其中 grad = 2 * (2*2 - 8) * 2 = -16。"))
def _weight_decay_step(answer):
    value, problem = one_number(answer)
    if problem:
        return problem
    if close(value, 2.15):
        return None
    if close(value, 2.16):
        return tr("that is plain SGD; weight_decay adds 0.5 * w to the gradient before the step.",
                  "这是普通 SGD 的结果；weight_decay 会在更新前把 0.5 * w 加到梯度上。")
    if close(value, 2.17):
        return tr("weight decay pulls w towards 0: add +0.5 * w to the gradient (-16 + 1.0), not -0.5 * w.",
                  "权重衰减把 w 往 0 拉：梯度要加上 +0.5 * w（-16 + 1.0），而不是减去。")
    if close(value, 2.155):
        return tr("the gradient gains weight_decay * w = 0.5 * 2, not (weight_decay / 2) * w.",
                  "梯度增加的是 weight_decay * w = 0.5 * 2，而不是 (weight_decay / 2) * w。")
    if close(value, 1.15):
        return tr("the step is w - lr * (...): the decay term is multiplied by lr = 0.01 as well, not applied as -0.5 * w.",
                  "更新是 w - lr * (...)：衰减项也要乘以学习率 lr = 0.01，不是直接减去 0.5 * w。")
    return tr(f"{value:g} is not 2 - 0.01 * (-16 + 0.5 * 2).", f"{value:g} 不等于 2 - 0.01 * (-16 + 0.5 * 2)。")


@exercise("08.3", kind="code",
          task=("Write train_step(model, loss_fn, optimizer, imgs, targets) -> the batch's loss as a float.",
                "写 train_step(model, loss_fn, optimizer, imgs, targets)：训练一个批次，返回该批次的损失（float）。"),
          hint=("Follow the training loop of this lesson, one batch of it: which call fills .grad, which one uses it, "
                "which one must come before both? And which tensor method gives a plain Python number?",
                "照着本课的训练循环，只写其中一个批次：哪个调用填入 .grad，哪个调用使用它，哪个必须在这两者之前？"
                "张量的哪个方法能得到普通的 Python 数？"))
def _train_step(answer):
    if not callable(answer):
        return tr(f"the answer should be a function, not a {type(answer).__name__}.",
                  f"答案应该是一个函数，而不是 {type(answer).__name__}。")
    model = _OneWeight()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.MSELoss()
    imgs, targets = torch.tensor([2.0]), torch.tensor([8.0])
    first = answer(model, loss_fn, optimizer, imgs, targets)
    if isinstance(first, torch.Tensor):
        return tr("it returns a tensor; return loss.item(), a plain float that keeps no graph alive.",
                  "它返回了张量；请返回 loss.item()，一个不保留计算图的普通 float。")
    if not isinstance(first, float):
        return tr(f"it returns a {type(first).__name__}; return loss.item(), a float.",
                  f"它返回了 {type(first).__name__}；请返回 loss.item()，一个 float。")
    if not close(first, 16.0):
        return tr(f"the first call should return the loss before the step, (2*2 - 8)^2 = 16.0, not {first}.",
                  f"第一次调用应返回更新前的损失 (2*2 - 8)^2 = 16.0，而不是 {first}。")
    w1 = model.w.item()
    if close(w1, 2.0, 1e-6):
        return tr("after one call w has not moved: step() must come after backward(), with no zero_grad() between them.",
                  "调用一次之后 w 没有变：step() 必须在 backward() 之后，而且两者之间不能有 zero_grad()。")
    if not close(w1, 2.16):
        return tr(f"after one call w should be 2 - 0.01 * (-16) = 2.16, but it is {w1:.4f}.",
                  f"调用一次之后 w 应为 2 - 0.01 * (-16) = 2.16，实际是 {w1:.4f}。")
    second = answer(model, loss_fn, optimizer, imgs, targets)
    w2 = model.w.item()
    if close(w2, 2.4672):
        return tr("the second step used the sum of both gradients: call optimizer.zero_grad() before loss.backward().",
                  "第二步用的是两次梯度之和：要在 loss.backward() 之前调用 optimizer.zero_grad()。")
    if not close(w2, 2.3072):
        return tr(f"after two calls w should be 2.3072, but it is {w2:.4f}.",
                  f"调用两次之后 w 应为 2.3072，实际是 {w2:.4f}。")
    if not isinstance(second, float) or not close(second, (2.16 * 2 - 8) ** 2):
        return tr(f"the second call should return the loss at w = 2.16, 13.5424, not {second}.",
                  f"第二次调用应返回 w = 2.16 时的损失 13.5424，而不是 {second}。")
    return None


@exercise("08.4", kind="predict",
          task=("The per-image mean loss of an epoch: 64 images with mean loss 2.0, then 16 with mean loss 1.0.",
                "一轮训练中每张图像的平均损失：先是 64 张图像、平均损失 2.0，再是 16 张、平均损失 1.0。"),
          hint=("Sum loss.item() * imgs.size(0) over the batches (64 * 2.0 + 16 * 1.0), then divide by all the images.",
                "把每个批次的 loss.item() * imgs.size(0) 加起来（64 * 2.0 + 16 * 1.0），再除以图像总数。"))
def _per_image_mean(answer):
    value, problem = one_number(answer)
    if problem:
        return problem
    if close(value, 1.8):
        return None
    if close(value, 1.5):
        return tr("that is the mean of the two batch means; the batch of 64 holds four times as many images.",
                  "这是两个批次平均值的平均；64 张的批次里的图像是 16 张批次的四倍。")
    if close(value, 144.0):
        return tr("that is the sum over all images (the third running_loss of the post on the optimizer); divide it "
                  "by the number of images, 80.",
                  "这是所有图像损失的总和（讲优化器的那篇笔记里的第三种 running_loss）；还要除以图像数 80。")
    if close(value, 3.0):
        return tr("that is running_loss, the sum of the batch means; weigh each by its batch size and divide by 80.",
                  "这是 running_loss，即各批次平均值之和；要按批次大小加权，再除以 80。")
    if close(value, 2.25):
        return tr("divide by the number of images, 80, not by the 64 of a full batch.",
                  "要除以图像总数 80，而不是一个满批次的 64。")
    return tr(f"{value:g} is not (64 * 2.0 + 16 * 1.0) / 80.", f"{value:g} 不等于 (64 * 2.0 + 16 * 1.0) / 80。")


@exercise("08.5", kind="explain",
          task=("After an epoch of the training loop that sums running_loss = running_loss + loss, what does "
                "running_loss.backward() do? (a-d)",
                "训练循环中用 running_loss = running_loss + loss 累加了一整轮之后，调用 running_loss.backward() 会怎样？（a–d）"),
          hint=("Each batch already went through its own backward(). What does backward() do with the tensors a "
                "forward pass saved for it, once it has used them?",
                "每个批次都已经做过自己的 backward()。backward() 用完前向传播为它保存的张量之后，会怎么处理它们？"))
def _backward_through_running_loss(answer):
    return choice(answer, "a", {
        "b": tr("going back through each batch needs the tensors its forward pass saved, and each batch's own "
                "backward() has already freed them (the optional section at the end of the lesson measures it: "
                "0 MiB of them left).",
                "反向传播经过每个批次都需要它前向传播时保存的张量，而每个批次自己的 backward() 已经把它们释放了"
                "（本课最后的选读部分测过：剩下 0 MiB）。"),
        "c": tr("running_loss printed as tensor(..., grad_fn=<AddBackward0>): it is a tensor with a graph, not a "
                "plain number. Only loss.item() gives a plain number.",
                "running_loss 打印出来是 tensor(..., grad_fn=<AddBackward0>)：它是带计算图的张量，不是普通的数。"
                "只有 loss.item() 才是普通的数。"),
        "d": tr("each batch's backward() freed the tensors that batch saved, so the graph holds no activations "
                "(the optional section at the end of the lesson measures 0 MiB). Memory only piles up where no "
                "backward() runs, as in a careless evaluation loop.",
                "每个批次的 backward() 已经释放了这个批次保存的张量，计算图里没有留下激活值（本课最后的选读部分测得 0 MiB）。"
                "只有在不调用 backward() 的循环里（比如不小心写的评估循环）内存才会越积越多。"),
    })
