"""Solutions of 01_data's exercises."""
import os

from PIL import Image
from torch.utils.data import Dataset


class OneSplit(Dataset):
    """01.3: every class folder of one split, labels by the folder's place in alphabetical order (like ImageFolder)."""

    def __init__(self, root_dir):
        self.classes = sorted(os.listdir(root_dir))
        self.samples = [(os.path.join(root_dir, name, file), index)
                        for index, name in enumerate(self.classes)
                        for file in sorted(os.listdir(os.path.join(root_dir, name)))]

    def __getitem__(self, idx):
        path, target = self.samples[idx]
        return Image.open(path), target

    def __len__(self):
        return len(self.samples)


class _FolderNames(OneSplit):  # the label is the folder's name, as in the lesson's MyData
    def __getitem__(self, idx):
        path, target = self.samples[idx]
        return Image.open(path), self.classes[target]


class _Paths(OneSplit):  # forgot to open the file
    def __getitem__(self, idx):
        return self.samples[idx]


class _CountsFolders(OneSplit):  # len() of the wrong list
    def __len__(self):
        return len(self.classes)


class _Unsorted(OneSplit):  # labels from a reversed class list
    def __getitem__(self, idx):
        path, target = self.samples[idx]
        return Image.open(path), len(self.classes) - 1 - target


class _NotADataset:  # not a subclass of Dataset
    def __init__(self, root_dir):
        pass


SOLUTIONS = {
    "01.1": lambda: (391, 80),  # 50,000 = 390 x 128 + 80
    "01.2": lambda: -0.6,  # (51 / 255 - 0.5) / 0.5 = (0.2 - 0.5) / 0.5
    "01.3": lambda: OneSplit,
    "01.4": lambda: "a",
}

WRONG = {
    "01.1": [(390, 80), (391, 128), (80, 391), (79, 16), (391, 0), 391, "391, 80"],
    "01.2": [-0.8, 101.0, 0.2, -0.15, 0.6, "-0.6"],
    "01.3": [OneSplit(os.path.join(os.path.dirname(__file__), os.pardir, "sample", "cifar10", "test")), _FolderNames,
             _Paths, _CountsFolders, _Unsorted, _NotADataset],
    "01.4": ["b", "c", "d", "seed"],
}

#: Typical wrong answers from learners, each with the words its feedback must contain (English, Chinese).
MISTAKES = {
    "01.1": [((390, 80), "drop_last=True", "drop_last=True"), ((80, 391), "swapped", "顺序反了"),
             ((391, 128), "not a multiple of 128", "不是 128 的整数倍"), ((79, 16), "10,000 test images", "10,000 张测试图像")],
    "01.2": [(101.0, "the byte 51 itself", "字节 51"), (0.2, "after ToTensor only", "只是 ToTensor 之后"),
             (-0.15, "multiplies by the std", "乘了标准差"), (0.6, "sign is wrong", "符号错了")],
    "01.3": [(_FolderNames, "folder's name", "文件夹的名字"), (_Paths, "Image.open", "Image.open"),
             (_CountsFolders, "number of class folders", "类别文件夹的个数"), (_Unsorted, "alphabetical order", "字母顺序"),
             (WRONG["01.3"][0], "class itself", "类本身")],
    "01.4": [("b", "never touches the files", "从不改动文件"), ("c", "no clock", "与时钟无关"), ("d", "index 0 again", "索引 0")],
}


def _accepted_01_1():
    import numpy as np
    import torch

    return [torch.tensor([391, 80]), [391, 80], (391.0, 80.0), np.array([391, 80]), torch.tensor([391.0, 80.0])]


#: Right answers as learners type them.
ACCEPTED = {"01.1": _accepted_01_1(), "01.2": [-0.6, -0.60, -0.598, (51 / 255 - 0.5) / 0.5], "01.4": ["a.", "(a)", "A"]}
