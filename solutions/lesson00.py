"""Solutions of 00_setup's exercises."""
import numpy as np
import torch


def to_tensor(pixels):
    """00.2: what ToTensor does to each image, for a whole uint8 batch [N, H, W, C] at once."""
    return torch.from_numpy(pixels).permute(0, 3, 1, 2).float() / 255


def _reshaped(pixels):  # the right shape, but the pixels scrambled
    return torch.from_numpy(pixels).reshape(-1, 3, 32, 32).float() / 255


def _float64(pixels):  # NumPy divides in float64
    return torch.from_numpy(pixels / 255).permute(0, 3, 1, 2)


def _not_scaled(pixels):  # values 0 ... 255
    return torch.from_numpy(pixels).permute(0, 3, 1, 2).float()


def _channels_last(pixels):  # forgot to move the channels
    return torch.from_numpy(pixels).float() / 255


SOLUTIONS = {
    "00.1": lambda: 50_000 * 3 * 32 * 32 * 4 / 1e6,  # 614.4 MB; the dataset keeps uint8 (a quarter of that)
    "00.2": lambda: to_tensor,
    "00.3": lambda: "b",
}

WRONG = {
    "00.1": [153.6, 204.8, 737.28, 18.432, 614_400_000, 585.9, "614.4"],
    "00.2": [to_tensor(np.zeros((1, 32, 32, 3), dtype=np.uint8)), _reshaped, _float64,
             _not_scaled, _channels_last],
    "00.3": ["a", "c", "d", "airplane"],
}


def _height_width_swapped(pixels):  # permute(0, 3, 2, 1): N, C, W, H
    return torch.from_numpy(pixels).permute(0, 3, 2, 1).float() / 255


#: Typical wrong answers from learners, each with the words its feedback must contain (English, Chinese).
MISTAKES = {
    "00.1": [(153.6, "1 byte per value", "1 个字节"), (614_400_000, "number of bytes", "字节数"),
             (585.9, "MiB", "MiB"), (204.8, "3 channels", "3 个通道"), (737.28, "60,000", "60,000"),
             (18.432, "shipped sample", "自带样本")],
    "00.2": [(_height_width_swapped, "height and width are swapped", "高和宽对调"),
             (_reshaped, "reshape", "reshape"), (_float64, "float64", "float64"),
             (_not_scaled, "divide by 255", "除以 255"), (_channels_last, "[2, 3, 32, 32]", "[2, 3, 32, 32]")],
    "00.3": [("a", "60 images of every class", "60 张图像"), ("c", "does not depend on any random number", "与随机数无关"),
             ("d", "shows many classes", "很多类别")],
}
#: Right answers as learners type them.
ACCEPTED = {
    "00.1": [614.4, 614],
    "00.3": ["b.", "(B)", " b ", "b）"],
}
