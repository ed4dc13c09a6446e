"""Exercises of 09_pretrained: VGG16's parameter count with a new last layer, replacing a last layer, why reuse helps."""
from __future__ import annotations

import torch
from torch import nn

from ..i18n import tr
from . import choice, error_line, exercise, whole_number

#: VGG16 (torchvision, weights=None) has 138,357,544 parameters; classifier[6] is Linear(4096, 1000).
VGG16_PARAMS = 138_357_544
OLD_LAST = 4096 * 1000 + 1000
NEW_LAST = 4096 * 100 + 100
#: 09.1: VGG16 with classifier[6] = nn.Linear(4096, 100).
VGG16_CIFAR100_PARAMS = VGG16_PARAMS - OLD_LAST + NEW_LAST  # 134,670,244


@exercise("09.1", kind="predict",
          task=("How many parameters does VGG16 have in all after vgg16.classifier[6] = nn.Linear(4096, 100)?",
                "执行 vgg16.classifier[6] = nn.Linear(4096, 100) 之后，VGG16 一共有多少个参数？"),
          hint=("Start from the count printed for the unmodified VGG16. classifier[6] was Linear(4096, 1000): "
                "take away its weights and biases, then add those of Linear(4096, 100) (weights: in x out, biases: out).",
                "从上面打印的原始 VGG16 的参数量出发。classifier[6] 原来是 Linear(4096, 1000)：减去它的权重和偏差，"
                "再加上 Linear(4096, 100) 的（权重：输入数 x 输出数，偏差：输出数）。"))
def _cifar100_params(answer):
    n = whole_number(answer)
    if n is None:
        return tr(f"the answer should be one whole number of parameters (got {answer!r}).",
                  f"答案应该是一个整数（参数的个数），而你给的是 {answer!r}。")
    if n == VGG16_CIFAR100_PARAMS:
        return None
    if n == NEW_LAST:
        return tr("that is the new layer alone; the question asks for the whole network.",
                  "这只是新的那一层；题目问的是整个网络。")
    if n == VGG16_PARAMS + NEW_LAST:
        return tr("that adds the new layer to the old count; the new layer replaces Linear(4096, 1000), "
                  "whose parameters are gone.", "这是把新层加到原来的参数量上；新层替换了 Linear(4096, 1000)，那一层的参数没有了。")
    if n == VGG16_PARAMS - 4096 * 1000 + 4096 * 100:
        return tr("that counts the weights only; each output of a linear layer also has a bias.",
                  "这只算了权重；线性层的每个输出还有一个偏差。")
    if n == VGG16_PARAMS - OLD_LAST + 4096 * 10 + 10:
        return tr("that is for 10 classes (CIFAR-10); CIFAR-100 has 100.", "这是 10 个类别（CIFAR-10）的结果；CIFAR-100 有 100 个类别。")
    if n == VGG16_PARAMS:
        return tr("that is the unmodified VGG16; the last layer's size depends on the number of classes.",
                  "这是没有修改过的 VGG16；最后一层的大小取决于类别数。")
    return tr(f"{n:,} is not VGG16's count with a Linear(4096, 100) as its last layer.",
              f"{n:,} 不是最后一层换成 Linear(4096, 100) 之后 VGG16 的参数量。")


def _example():
    torch.manual_seed(0)
    return nn.Sequential(nn.Flatten(), nn.Linear(48, 16), nn.ReLU(), nn.Linear(16, 10))


@exercise("09.2", kind="code",
          task=("Write new_last_layer(model, num_classes): model is an nn.Sequential ending in an nn.Linear; replace that "
                "layer by a new nn.Linear with the same inputs and num_classes outputs, and return the model.",
                "写一个函数 new_last_layer(model, num_classes)：model 是一个以 nn.Linear 结尾的 nn.Sequential；"
                "把这最后一层换成一个新的 nn.Linear，输入数不变，输出数为 num_classes，然后返回这个模型。"),
          hint=("model[-1] is the last layer of a Sequential, and you can assign to it; its in_features says how many "
                "inputs the new layer needs.",
                "model[-1] 是 Sequential 的最后一层，而且可以给它赋值；它的 in_features 就是新层需要的输入数。"))
def _new_last_layer(answer):
    if isinstance(answer, nn.Module):
        return tr("the answer should be your function itself, not a model it made: new_last_layer without parentheses.",
                  "答案应该是函数本身，而不是它做出来的模型：写不带括号的 new_last_layer。")
    if not callable(answer):
        return tr(f"the answer should be your function itself, e.g. new_last_layer without parentheses (got {type(answer).__name__}).",
                  f"答案应该是函数本身，例如不带括号的 new_last_layer（而你给的是 {type(answer).__name__}）。")
    for num_classes in (3, 7):
        model = _example()
        before = [layer for layer in model]
        old_weight = model[3].weight.detach().clone()
        try:
            out_model = answer(model, num_classes)
        except Exception as err:  # a broken function
            return tr(f"calling your function on a Sequential ending in Linear(16, 10) fails ({error_line(err)}).",
                      f"用一个以 Linear(16, 10) 结尾的 Sequential 调用你的函数时出错（{error_line(err)}）。")
        if not isinstance(out_model, nn.Sequential):
            return tr(f"your function should return the model, an nn.Sequential (it returns {type(out_model).__name__}).",
                      f"你的函数应该返回这个模型，一个 nn.Sequential（它返回的是 {type(out_model).__name__}）。")
        if len(out_model) == len(before) + 1:
            return tr("your model has one more layer: that appends a layer after the old one (the add_module way); "
                      "the task is to replace the last layer.", "你的模型多了一层：这是在旧的最后一层后面再加一层（add_module 的做法）；"
                      "题目要求的是替换最后一层。")
        if len(out_model) != len(before):
            return tr(f"the model should keep its {len(before)} layers (it has {len(out_model)}).",
                      f"模型应该还是 {len(before)} 层（而它有 {len(out_model)} 层）。")
        if any(a is not b for a, b in zip(before[:-1], list(out_model)[:-1])):
            return tr("only the last layer should change; the layers before it should stay the same objects, "
                      "with their weights.", "只有最后一层应该改变；前面各层应该还是原来的对象，保留它们的权重。")
        last = out_model[-1]
        if not isinstance(last, nn.Linear):
            return tr(f"the new last layer should be an nn.Linear (it is {type(last).__name__}).",
                      f"新的最后一层应该是 nn.Linear（而它是 {type(last).__name__}）。")
        if last.out_features != num_classes:
            return tr(f"with num_classes={num_classes} the last layer should have {num_classes} outputs "
                      f"(it has {last.out_features}).",
                      f"num_classes={num_classes} 时，最后一层应该有 {num_classes} 个输出（而它有 {last.out_features} 个）。")
        if last.in_features != 16:
            return tr(f"the new layer should take as many inputs as the old one had (16 here; it takes {last.in_features}): "
                      "read them from the old layer's in_features.",
                      f"新层的输入数应该和旧层一样（这里是 16；它的是 {last.in_features}）：从旧层的 in_features 读出来。")
        try:
            with torch.no_grad():
                shape = list(out_model(torch.zeros(2, 3, 4, 4)).shape)
        except Exception as err:
            return tr(f"the returned model fails on a batch [2, 3, 4, 4] ({error_line(err)}).",
                      f"返回的模型处理批次 [2, 3, 4, 4] 时出错（{error_line(err)}）。")
        if shape != [2, num_classes]:
            return tr(f"a batch of 2 should give [2, {num_classes}], yours gives {shape}.",
                      f"2 张图像的批次应该得到 [2, {num_classes}]，你的结果是 {shape}。")
    return None


@exercise("09.3", kind="explain",
          task=("Same images, same epochs: why did the network whose layers were trained on the first five classes do "
                "better on the other five than the same network from scratch? Answer a, b, c or d.",
                "同样的图像、同样的轮数：为什么在前五个类别上训练过的网络，在另外五个类别上比从头训练的同样网络做得更好？"
                "请回答 a、b、c 或 d。"),
          hint=("Both networks have the same shape and the same optimizer, and neither saw a test image while training. "
                "What do the reused convolution layers bring that random ones lack?",
                "两个网络形状相同、优化器相同，训练时都没有见过测试图像。复用的卷积层带来了什么随机初始化的层没有的东西？"))
def _why_reuse_helps(answer):
    return choice(answer, "c", {
        "a": tr("both are SmallVGG(5): the same layers, the same number of parameters.",
                "两个都是 SmallVGG(5)：同样的层，同样多的参数。"),
        "b": tr("the first step trained on the training images of the first five classes only; no network saw a test image.",
                "第一步只用了前五个类别的训练图像；没有哪个网络见过测试图像。"),
        "d": tr("Adam's step depends on the gradients, not on whether a weight was trained before; both networks use "
                "the same optimizer and learning rate.",
                "Adam 的步长取决于梯度，而不取决于权重以前是否训练过；两个网络用的是同样的优化器和学习率。"),
    })
