"""Exercises of 10_training_routine."""
from __future__ import annotations

import os

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from ..i18n import tr
from . import choice, exercise, real_number

#: The scores and true classes of exercise 10.1: four images, three classes.
OUTPUTS = torch.tensor([[0.1, 0.2, 0.3], [0.9, 0.3, 0.2], [0.2, 0.1, 0.6], [0.4, 0.5, 0.1]])
TARGETS = torch.tensor([2, 0, 1, 0])


@exercise("10.1", kind="predict",
          task=("Before running anything: what accuracy (a fraction between 0 and 1) do the scores OUTPUTS give "
                "against TARGETS?",
                "先别运行：得分 OUTPUTS 对照 TARGETS 的准确率是多少（0 到 1 之间的小数）？"),
          hint=("The guess for each image is the column of its largest score, outputs.argmax(1); count the guesses "
                "equal to the target and divide by the number of images (4).",
                "每张图像的预测是得分最大的那一列，即 outputs.argmax(1)；数一数和目标相同的预测，再除以图像数（4）。"))
def _accuracy_of_scores(answer):
    value = real_number(answer)
    if value is None:
        return tr(f"{answer!r} is not one number; an accuracy is right guesses / images.",
                  f"{answer!r} 不是一个数；准确率 = 预测对的数量 / 图像数量。")
    if abs(value - 0.5) < 1e-3:
        return None
    if value == 2:
        return tr("2 is the number of right guesses; divide it by the number of images.",
                  "2 是预测对的数量；还要除以图像数量。")
    if abs(value - 50) < 1e-3:
        return tr("that is a percentage; give the fraction between 0 and 1.", "这是百分数；请给出 0 到 1 之间的小数。")
    if abs(value - 1 / 3) < 1e-3 or abs(value - 0.25) < 1e-3:
        return tr("argmax(0) picks, for each class, the image with the largest score; the guess per image is argmax(1).",
                  "argmax(0) 是为每个类别挑出得分最大的图像；每张图像的预测要用 argmax(1)。")
    return tr(f"{value:g} is not it; write down outputs.argmax(1) first.", f"{value:g} 不对；先写出 outputs.argmax(1)。")


# ----------------------------------------------------------------------------- 10.2
def _bn_model() -> nn.Module:
    """A tiny classifier whose BatchNorm makes train mode and eval mode guess differently."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    with torch.no_grad():
        model[0].weight.copy_(torch.eye(2))
        model[0].bias.zero_()
        model[1].running_mean.copy_(torch.tensor([0.0, 2.0]))
        model[1].running_var.copy_(torch.ones(2))
    return model


def _loader() -> DataLoader:
    """10 points in batches of 4: the last batch holds 2, so batch averages are biased."""
    x = torch.tensor([[1.0, 0.0], [0.5, 2.5], [2.0, 1.0], [0.0, 3.0], [1.0, 1.0],
                      [3.0, 2.0], [0.2, 2.4], [1.5, 1.0], [1.0, 4.0], [2.0, 2.5]])
    y = torch.tensor([0, 1, 0, 1, 1, 0, 0, 1, 1, 0])
    return DataLoader(TensorDataset(x, y), batch_size=4)


def _reference_accuracy(model: nn.Module, loader: DataLoader) -> float:
    model.eval()
    correct, count = 0, 0
    with torch.no_grad():
        for imgs, targets in loader:
            correct += (model(imgs).argmax(1) == targets).sum().item()
            count += imgs.size(0)
    return correct / count


@exercise("10.2", kind="code",
          task=("Write accuracy(model, loader): the model's accuracy on all images of loader, as a float.",
                "写函数 `accuracy`（参数是 `model` 和 `loader`）：模型在 `loader` 的全部图像上的准确率，返回一个 `float`。"),
          hint=("model.eval(); with torch.no_grad(): add up (model(imgs).argmax(1) == targets).sum().item() over the "
                "batches, and divide by the number of images (not of batches).",
                "model.eval()；在 with torch.no_grad() 块里，对每个批次累加 (model(imgs).argmax(1) == targets).sum().item()，"
                "最后除以图像数量（不是批次数量）。"))
def _accuracy_function(answer):
    if not callable(answer):
        return tr(f"expected a function accuracy(model, loader), got {type(answer).__name__}.",
                  f"需要一个函数 accuracy(model, loader)，得到的是 {type(answer).__name__}。")
    model, loader = _bn_model(), _loader()
    model.train()  # as after training: the function must switch to eval mode itself
    expected = _reference_accuracy(_bn_model(), loader)
    result = answer(model, loader)
    if isinstance(result, torch.Tensor):
        return tr("your function returns a tensor; return a plain float (use .item()).",
                  "你的函数返回的是张量；请返回普通的 float（用 .item()）。")
    value = real_number(result)
    if value is None:
        return tr(f"your function returns {result!r}, not a number.", f"你的函数返回 {result!r}，不是一个数。")
    if abs(value - expected) < 1e-6:
        return None
    if abs(value - expected * 100) < 1e-4:
        return tr("your function returns a percentage; return the fraction between 0 and 1.",
                  "你的函数返回的是百分数；请返回 0 到 1 之间的小数。")
    train_model = _bn_model().train()
    with torch.no_grad():
        train_correct = sum((train_model(x).argmax(1) == y).sum().item() for x, y in loader)
    if abs(value - train_correct / 10) < 1e-6:
        return tr("your result is the accuracy in training mode: call model.eval() first (BatchNorm behaves differently).",
                  "这是训练模式下的准确率：先调用 model.eval()（BatchNorm 在两种模式下表现不同）。")
    eval_model = _bn_model().eval()
    with torch.no_grad():
        batch_means = [(eval_model(x).argmax(1) == y).float().mean().item() for x, y in loader]
    if abs(value - sum(batch_means) / len(batch_means)) < 1e-6:
        return tr("you averaged the batch accuracies; the last batch is smaller, so divide the right guesses by the number of images.",
                  "你把各批次的准确率取了平均；最后一个批次更小，应该用预测对的总数除以图像数量。")
    return tr(f"your function gives {value:.4f}, but the model's accuracy on that loader is {expected:.4f}.",
              f"你的函数给出 {value:.4f}，而模型在这个 loader 上的准确率是 {expected:.4f}。")


# ----------------------------------------------------------------------------- 10.3
@exercise("10.3", kind="explain",
          task=("train.py, run in a new process, printed for its two epochs exactly the numbers of the notebook loop's "
                "first two. Why? Answer a, b, c or d.",
                "train.py 在一个新进程里运行，它两轮的数字和notebook里的循环前两轮完全相同。为什么？请回答 a、b、c 或 d。"),
          hint=("What does torch.manual_seed(0) fix, and what in training is random?",
                "torch.manual_seed(0) 固定了什么？训练中有哪些东西是随机的？"))
def _same_numbers(answer):
    return choice(answer, "b", {
        "a": tr("train.py builds a new Tudui with random weights and trains it itself; it never opens a file the "
                "notebook saved.",
                "train.py 新建了一个权重随机的 Tudui，自己训练它；它从没打开过notebook保存的文件。"),
        "c": tr("the accuracy counts the model's right guesses: other weights give other guesses.",
                "准确率数的是模型预测对的次数：权重不同，预测就不同。"),
        "d": tr("models that start from other random weights give other guesses from the first step on, however "
                "little they have trained.",
                "初始权重不同的模型，从第一步起预测就不同，不管它们训练得有多少。"),
    })


# ----------------------------------------------------------------------------- 10.4
class SmallNet(nn.Module):
    """The model of exercise 10.4: a convolution, BatchNorm (whose running statistics are in the
    ``state_dict`` too) and a linear layer; 3×8×8 images, 4 classes."""

    def __init__(self):
        super().__init__()
        self.model1 = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                                    nn.Flatten(), nn.Linear(64, 4))

    def forward(self, x):
        return self.model1(x)


def _trained_small_net() -> tuple[SmallNet, torch.Tensor]:
    """A SmallNet whose weights and BatchNorm statistics are no longer the initial ones, and test images."""
    generator = torch.Generator().manual_seed(8)
    model = SmallNet()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=generator))
        model.train()
        model(torch.randn(16, 3, 8, 8, generator=generator))  # updates the running mean and variance
    return model, torch.randn(5, 3, 8, 8, generator=generator)


@exercise("10.4", kind="code",
          task=("Write save_and_load(model, path): save model.state_dict() to the file path, build a new SmallNet, "
                "load the file into it and return the new model.",
                "写 save_and_load(model, path)：把 model.state_dict() 保存到文件 path，再新建一个 SmallNet，"
                "把文件加载进去，返回这个新模型。"),
          hint=("Saving and loading are one line each: torch.save with the state_dict, and load_state_dict with what "
                "torch.load(path, weights_only=True) reads back; the new model comes from SmallNet().",
                "保存和加载各只要一行：用 torch.save 保存 state_dict，再用 load_state_dict 加载 "
                "torch.load(path, weights_only=True) 读回的内容；新模型由 SmallNet() 得到。"))
def _save_and_load(answer):
    import pickle
    import tempfile

    if not callable(answer):
        return tr(f"expected a function save_and_load(model, path), got {type(answer).__name__}.",
                  f"需要一个函数 save_and_load(model, path)，得到的是 {type(answer).__name__}。")
    model, images = _trained_small_net()
    model.eval()
    with torch.no_grad():
        expected = model(images)
    read = []  # the files torch.load opens while the function runs
    real_load = torch.load

    def recording_load(f, *args, **kwargs):
        read.append(os.fspath(f) if isinstance(f, (str, os.PathLike)) else f)
        return real_load(f, *args, **kwargs)

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "small_net.pth")
        torch.load = recording_load
        try:
            result = answer(model, path)
        finally:
            torch.load = real_load
        if not os.path.isfile(path):
            return tr("your function wrote no file at path: save with torch.save(model.state_dict(), path).",
                      "你的函数没有在 path 写出文件：用 torch.save(model.state_dict(), path) 保存。")
        try:
            saved = torch.load(path, weights_only=True)
        except pickle.UnpicklingError:
            return tr("the file holds a pickled object, not a state_dict (torch.load with weights_only=True refuses "
                      "it): save model.state_dict(), not model.",
                      "文件里是用 pickle 保存的对象，而不是 state_dict（weights_only=True 的 torch.load 拒绝加载）："
                      "要保存 model.state_dict()，而不是 model。")
    if not isinstance(saved, dict) or set(saved) != set(model.state_dict()):
        return tr("the file does not hold the model's state_dict: save model.state_dict().",
                  "文件里保存的不是模型的 state_dict：要保存 model.state_dict()。")
    if result is model:
        return tr("your function returns the model it was given; return a new SmallNet with the file loaded into it.",
                  "你的函数返回的是传进来的模型本身；应该返回一个新建的、加载了文件内容的 SmallNet。")
    if not isinstance(result, SmallNet):
        return tr(f"your function returns {type(result).__name__}, not a SmallNet (load_state_dict returns a report "
                  "of the keys, not the model).",
                  f"你的函数返回的是 {type(result).__name__}，不是 SmallNet（load_state_dict 返回的是键的核对结果，不是模型）。")
    if path not in read:
        return tr("your function never reads the file back: build a new SmallNet and load_state_dict what "
                  "torch.load(path, weights_only=True) reads (a copy of the model in memory is not a model loaded "
                  "from the file).",
                  "你的函数没有把文件读回来：要新建一个 SmallNet，再用 load_state_dict 加载 "
                  "torch.load(path, weights_only=True) 读出的内容（在内存里复制模型，不等于从文件加载模型）。")
    result.eval()
    with torch.no_grad():
        got = result(images)
    if not torch.equal(got, expected):
        return tr("the returned model's scores differ from the original's: did you load the saved file into the new "
                  "model with load_state_dict?",
                  "返回的模型给出的得分和原模型不同：你是否用 load_state_dict 把保存的文件加载进了新模型？")
    return None
