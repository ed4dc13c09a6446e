"""Exercises of 10_capstone."""
from __future__ import annotations

import math
import os

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from ..i18n import tr
from . import choice, exercise, real_number, whole_number

#: The scores and true classes of exercise 10.1: four images, three classes.
OUTPUTS = torch.tensor([[0.1, 0.2, 0.3], [0.9, 0.3, 0.2], [0.2, 0.1, 0.6], [0.4, 0.5, 0.1]])
TARGETS = torch.tensor([2, 0, 1, 0])


@exercise("10.1", kind="predict",
          task=("Before running anything: what accuracy (a fraction between 0 and 1) do the scores OUTPUTS give "
                "against TARGETS?",
                "先别运行：分数 OUTPUTS 对照 TARGETS 的准确率是多少（0 到 1 之间的小数）？"),
          hint=("The guess for each image is the column of its largest score, outputs.argmax(1); count the guesses "
                "equal to the target and divide by the number of images (4).",
                "每张图像的猜测是分数最大的那一列，即 outputs.argmax(1)；数一数和目标相同的猜测，再除以图像数（4）。"))
def _accuracy_of_scores(answer):
    value = real_number(answer)
    if value is None:
        return tr(f"{answer!r} is not one number; an accuracy is right guesses / images.",
                  f"{answer!r} 不是一个数；准确率 = 猜对的数量 / 图像数量。")
    if abs(value - 0.5) < 1e-3:
        return None
    if value == 2:
        return tr("2 is the number of right guesses; divide it by the number of images.",
                  "2 是猜对的数量；还要除以图像数量。")
    if abs(value - 50) < 1e-3:
        return tr("that is a percentage; give the fraction between 0 and 1.", "这是百分数；请给出 0 到 1 之间的小数。")
    if abs(value - 1 / 3) < 1e-3 or abs(value - 0.25) < 1e-3:
        return tr("argmax(0) picks, for each class, the image with the largest score; the guess per image is argmax(1).",
                  "argmax(0) 是为每个类别挑出分数最大的图像；每张图像的猜测要用 argmax(1)。")
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
                "写 accuracy(model, loader)：模型在 loader 全部图像上的准确率，返回一个 float。"),
          hint=("model.eval(); with torch.no_grad(): add up (model(imgs).argmax(1) == targets).sum().item() over the "
                "batches, and divide by the number of images (not of batches).",
                "model.eval()；在 with torch.no_grad(): 里，对每个批次累加 (model(imgs).argmax(1) == targets).sum().item()，"
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
                  "你把各批次的准确率取了平均；最后一个批次更小，应该用猜对的总数除以图像数量。")
    return tr(f"your function gives {value:.4f}, but the model's accuracy on that loader is {expected:.4f}.",
              f"你的函数给出 {value:.4f}，而模型在这个 loader 上的准确率是 {expected:.4f}。")


# ----------------------------------------------------------------------------- 10.3
@exercise("10.3", kind="explain",
          task=("Flip test-time augmentation averages the model's scores for each test image and its mirror image, "
                "and raises the accuracy a little. Averaging with an upside-down copy instead would lower it. Why? "
                "Answer a, b, c or d.",
                "测试时翻转（测试时增强，TTA）把模型对每张测试图像和它的镜像的分数取平均，准确率会提高一点；如果改成和上下颠倒的图像取平均，"
                "准确率反而会下降。为什么？请回答 a、b、c 或 d。"),
          hint=("Which copy still looks like a photo of the same class, as the training images do?",
                "哪一种副本看起来仍像同一类别的照片，就像训练图像那样？"))
def _flip_tta(answer):
    return choice(answer, "b", {
        "a": tr("the model is the same model: averaging two outputs adds no parameter.",
                "模型还是同一个模型：把两个输出取平均不会增加任何参数。"),
        "c": tr("mirroring left-right moves pixels, it does not change a single colour value.",
                "左右镜像只是移动像素，不会改变任何颜色值。"),
        "d": tr("no weight changes at test time: nothing is trained, the model only answers twice.",
                "测试时没有任何权重改变：什么都没有训练，模型只是回答了两次。"),
    })


# ----------------------------------------------------------------------------- 10.4
@exercise("10.4", kind="predict",
          task=("torchrun --nproc_per_node=4 scripts/train.py --model fast --batch-size 512 on the 50,000 training "
                "images: how many optimizer steps does each process take per epoch?",
                "用 torchrun --nproc_per_node=4 scripts/train.py --model fast --batch-size 512 训练 50,000 张训练图像："
                "每个进程每轮要执行多少次优化器更新（optimizer.step()）？"),
          hint=("A DistributedSampler gives each of the 4 processes its own quarter of the images; each process then "
                "makes batches of 512 from its share, the last batch smaller.",
                "DistributedSampler 给 4 个进程各分四分之一的图像；每个进程再把自己那一份分成 512 张一批，最后一批较小。"))
def _ddp_steps(answer):
    value = whole_number(answer)
    share = 50_000 // 4
    if value is None:
        return tr(f"{answer!r} is not a whole number of steps.", f"{answer!r} 不是一个整数步数。")
    if value == math.ceil(share / 512):
        return None
    if value == math.ceil(50_000 / 512):
        return tr("that is one process training on all 50,000 images; with 4 processes each has a quarter.",
                  "这是一个进程训练全部 50,000 张图像的步数；4 个进程时每个进程只分到四分之一。")
    if value == share // 512:
        return tr("the last, smaller batch is a step too: round up, not down.", "最后那个较小的批次也算一步：要向上取整，不是向下。")
    return tr(f"{value} is not it; divide each process's 12,500 images into batches of 512.",
              f"{value} 不对；把每个进程的 12,500 张图像按 512 张一批来分。")


# ----------------------------------------------------------------------------- 10.5
class SmallNet(nn.Module):
    """The model of exercise 10.5: a convolution, BatchNorm (whose running statistics are in the
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


@exercise("10.5", kind="code",
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
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "small_net.pth")
        result = answer(model, path)
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
    result.eval()
    with torch.no_grad():
        got = result(images)
    if not torch.equal(got, expected):
        return tr("the returned model's scores differ from the original's: did you load the saved file into the new "
                  "model with load_state_dict?",
                  "返回的模型给出的分数和原模型不同：你是否用 load_state_dict 把保存的文件加载进了新模型？")
    return None
