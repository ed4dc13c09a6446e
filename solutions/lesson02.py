"""Solutions of 02_module's exercises."""
from torch import nn

from utils import Tudui


class MyConv(nn.Module):
    """02.2: the one-layer module that lesson 03 starts from (the tutorial's MyNN there)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels=3, out_channels=6, kernel_size=3)

    def forward(self, x):
        return self.conv1(x)


class _WrongKernel(MyConv):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)


def model_for_64():
    """02.3: the tutorial's model for 64x64 images; only Linear's in_features changes (64 * 8 * 8)."""
    return nn.Sequential(
        nn.Conv2d(3, 32, 5, padding=2), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 5, padding=2), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 8 * 8, 64), nn.Linear(64, 10),
    )


def doc_model_parameters():
    """02.1: conv1 = Conv2d(1, 20, 5) has 20 * 1 * 5 * 5 + 20 = 520, conv2 = Conv2d(20, 20, 5) 20 * 20 * 5 * 5 + 20."""
    return (20 * 1 * 5 * 5 + 20) + (20 * 20 * 5 * 5 + 20)  # 10,540


SOLUTIONS = {
    "02.1": doc_model_parameters,
    "02.2": MyConv,
    "02.3": model_for_64,
    "02.4": lambda: "a",  # F.relu is called in forward; print lists the modules __init__ registered
}

WRONG = {
    # weights only, conv2 alone, conv1 twice (in_channels forgotten), k instead of k*k, Sequential example, Tudui
    "02.1": [10_500, 10_020, 1_040, 2_140, 32_584, 145_578, 10540.5, "10540"],
    "02.2": [MyConv, nn.Conv2d(3, 6, 3), _WrongKernel()],
    "02.3": [Tudui().model1, nn.Sequential(nn.Flatten(), nn.Linear(3 * 64 * 64, 10))],
    "02.4": ["b", "c", "d", "relu"],
}


class _ReturnsInput(MyConv):  # forward forgot to call the layer
    def forward(self, x):
        return x


def _two_poolings_counted():
    model = model_for_64()
    model[7] = nn.Linear(64 * 16 * 16, 64)
    return model


def _with_relu():
    layers = list(model_for_64())
    return nn.Sequential(*layers[:1], nn.ReLU(), *layers[1:])


#: Typical wrong answers from learners, each with the words its feedback must contain (English, Chinese).
MISTAKES = {
    "02.1": [(10_500, "weights only", "只算了权重"), (10_020, "conv2 alone", "只是 conv2"),
             (1_040, "20 input channels", "20 个通道"), (2_140, "5 x 5 weights", "5 x 5 个权重"),
             (145_578, "CIFAR-10 model", "CIFAR-10 模型")],
    "02.2": [(MyConv, "the class itself", "类本身"), (nn.Conv2d(3, 6, 3), "PyTorch's own", "PyTorch 自带"),
             (_WrongKernel(), "Conv2d(3, 6, 3)", "Conv2d(3, 6, 3)"), (_ReturnsInput(), "self.conv1(x)", "self.conv1(x)")],
    "02.3": [(Tudui().model1, "sized for 32x32 images", "32x32 的图像"), (_two_poolings_counted(), "two poolings", "两次池化"),
             (_with_relu(), "the layers should be", "各层应该"), (nn.Sequential(nn.Flatten(), nn.Linear(3 * 64 * 64, 10)),
                                                                 "the layers should be", "各层应该")],
    "02.4": [("b", "MaxPool2d and Flatten learn nothing", "MaxPool2d 和 Flatten 也没有参数"),
             ("c", "before it had run", "运行之前"), ("d", "returns a new tensor", "返回一个新张量")],
}
#: Right answers as learners type them.
ACCEPTED = {"02.1": [10540, 10_540.0], "02.4": ["a.", "A"]}
