"""Exercises of 01_data: the batches of a DataLoader, Normalize by hand, a Dataset for a split, shuffling."""
from __future__ import annotations

import math

from ..i18n import tr
from . import choice, error_line, exercise, real_number, whole_number

#: 01.1: the full training split (50,000 images) in batches of 128, drop_last=False.
TRAIN_IMAGES, BATCH = 50_000, 128
BATCHES, LAST = math.ceil(TRAIN_IMAGES / BATCH), TRAIN_IMAGES - (math.ceil(TRAIN_IMAGES / BATCH) - 1) * BATCH  # 391, 80
#: 01.2: a byte of 51 after ToTensor (51 / 255 = 0.2) and Normalize(0.5, 0.5).
NORMALIZED = (51 / 255 - 0.5) / 0.5  # -0.6


@exercise("01.1", kind="predict",
          task=("The full CIFAR-10 training split has 50,000 images. With DataLoader(train_set, batch_size=128, "
                "drop_last=False), how many batches does one epoch have, and how many images are in the last one? "
                "Answer (batches, last).",
                "完整 CIFAR-10 的训练集有 50,000 张图像。用 DataLoader(train_set, batch_size=128, drop_last=False)，"
                "一轮有多少个批次，最后一个批次有多少张图像？请回答 （批次数，最后一批的张数）。"),
          hint=("Divide 50,000 by 128: the whole batches, plus one more for what is left over, since drop_last=False "
                "keeps it. The last batch holds the remainder.",
                "用 50,000 除以 128：先数完整的批次，再加上装剩下图像的那一批（drop_last=False 会保留它）。"
                "最后一批的张数就是余数。"))
def _batches(answer):
    if hasattr(answer, "tolist") and not isinstance(answer, (str, bytes)):  # a tensor or a NumPy array of two numbers
        answer = answer.tolist()
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        return tr(f"answer with two whole numbers, (batches, last), e.g. (10, 24) (got {answer!r}).",
                  f"请用两个整数作答：（批次数，最后一批的张数），例如 (10, 24)（而你给的是 {answer!r}）。")
    batches, last = (whole_number(a) for a in answer)
    if batches is None or last is None:
        return tr(f"both numbers should be whole numbers (got {answer!r}).",
                  f"两个数都应该是整数（而你给的是 {answer!r}）。")
    if (batches, last) == (BATCHES, LAST):
        return None
    if (batches, last) == (LAST, BATCHES):
        return tr("the two numbers are swapped: the number of batches comes first, then the size of the last one.",
                  "两个数的顺序反了：先写批次数，再写最后一批的张数。")
    if batches == BATCHES - 1:
        return tr(f"{batches} batches is what drop_last=True gives: with drop_last=False the incomplete last "
                  "batch is kept and counted.",
                  f"{batches} 个批次是 drop_last=True 的结果：drop_last=False 会保留并计入最后那个不满的批次。")
    if batches == BATCHES and last == BATCH:
        return tr("the number of batches is right, but 50,000 is not a multiple of 128: the last batch holds only "
                  "what is left over.",
                  "批次数对了，但 50,000 不是 128 的整数倍：最后一批只装剩下的图像。")
    if batches == BATCHES:
        return tr(f"the number of batches is right; the last one holds 50,000 - {BATCHES - 1} x 128 images, not {last}.",
                  f"批次数对了；最后一批有 50,000 - {BATCHES - 1} x 128 张图像，而不是 {last} 张。")
    if batches == math.ceil(10_000 / BATCH):
        return tr("that counts the 10,000 test images; the training split has 50,000.",
                  "这是按 10,000 张测试图像算的；训练集有 50,000 张。")
    return tr(f"{batches} batches of at most 128 images do not hold exactly 50,000 images one way or the other.",
              f"{batches} 个每批最多 128 张的批次，无论如何都装不下恰好 50,000 张图像。")


@exercise("01.2", kind="predict",
          task=("A pixel's green byte is 51. After ToTensor() and then Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]), "
                "what is its value (two decimals)?",
                "一个像素的绿色字节是 51。先经过 ToTensor()，再经过 Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])，"
                "它的值是多少（保留两位小数）？"),
          hint=("ToTensor divides the byte by 255; Normalize then computes (input - mean) / std.",
                "ToTensor 先把字节除以 255；Normalize 再计算 (input - mean) / std。"))
def _normalized(answer):
    value = real_number(answer)
    if value is None:
        return tr(f"the answer should be one number (got {answer!r}).", f"答案应该是一个数（而你给的是 {answer!r}）。")
    if abs(value - NORMALIZED) < 0.006:
        return None
    if abs(value - (51 - 0.5) / 0.5) < 0.01:
        return tr("that normalizes the byte 51 itself; ToTensor first turns it into 51 / 255 = 0.2.",
                  "这是直接对字节 51 做归一化；ToTensor 会先把它变成 51 / 255 = 0.2。")
    if abs(value - 51 / 255) < 0.006:
        return tr("that is the value after ToTensor only; Normalize then subtracts the mean and divides by the std.",
                  "这只是 ToTensor 之后的值；接着 Normalize 还要减去均值、再除以标准差。")
    if abs(value - (51 / 255 - 0.5) * 0.5) < 0.006:
        return tr("that multiplies by the std; Normalize divides by it: (0.2 - 0.5) / 0.5.",
                  "这里乘了标准差；Normalize 是除以标准差：(0.2 - 0.5) / 0.5。")
    if abs(value + NORMALIZED) < 0.006:
        return tr("the sign is wrong: the input (0.2) is below the mean (0.5), so the result is negative.",
                  "符号错了：输入（0.2）比均值（0.5）小，所以结果是负的。")
    return tr(f"{answer!r} is not (51 / 255 - 0.5) / 0.5.", f"{answer!r} 不等于 (51 / 255 - 0.5) / 0.5。")


def _sample_split():
    from ..data import SAMPLE_DIR

    return SAMPLE_DIR / "test"


@exercise("01.3", kind="code",
          task=("Write a Dataset class OneSplit(root_dir) for all the class folders of one split, like ImageFolder: "
                "__getitem__ returns (PIL image, class index), the classes being the sub-folders in alphabetical "
                "order; __len__ counts all images. Give the class.",
                "写一个 Dataset 类 OneSplit(root_dir)，像 ImageFolder 一样读取一个划分下的所有类别文件夹："
                "__getitem__ 返回（PIL 图像，类别序号），类别就是按字母顺序排列的子文件夹；__len__ 统计所有图像。"
                "答案给出这个类。"),
          hint=("In __init__, list sorted(os.listdir(root_dir)) as the classes, and for each class every file "
                "in its folder with the class's position in that list; __getitem__ opens the idx-th file with "
                "Image.open.",
                "在 __init__ 里用 sorted(os.listdir(root_dir)) 得到类别列表，再为每个类别列出它文件夹里的每个文件，"
                "并记下该类别在列表中的位置；__getitem__ 用 Image.open 打开第 idx 个文件。"))
def _one_split(answer):
    import os

    from PIL import Image
    from torch.utils.data import Dataset

    if not isinstance(answer, type):
        got = type(answer).__name__
        return tr(f"the answer should be your class itself, e.g. OneSplit without parentheses (got an object of type {got}).",
                  f"答案应该是类本身，例如不带括号的 OneSplit（而你给的是一个 {got} 类型的对象）。")
    if not issubclass(answer, Dataset):
        return tr("your class should be a subclass of torch.utils.data.Dataset: class OneSplit(Dataset).",
                  "你的类应该是 torch.utils.data.Dataset 的子类：class OneSplit(Dataset)。")
    root = _sample_split()
    classes = sorted(os.listdir(root))
    files = [(os.path.join(root, c, f), i) for i, c in enumerate(classes) for f in sorted(os.listdir(os.path.join(root, c)))]
    try:
        dataset = answer(str(root))
        n = len(dataset)
    except Exception as err:  # a broken class
        return tr(f"OneSplit(root_dir) or len() of it fails on the sample's test split ({error_line(err)}).",
                  f"在样本的测试集上，OneSplit(root_dir) 或对它调用 len() 时出错（{error_line(err)}）。")
    if n == len(classes):
        return tr(f"len() gives {n}, the number of class folders; it should count the images in all of them.",
                  f"len() 给出的是 {n}，也就是类别文件夹的个数；它应该统计所有文件夹里的图像。")
    if n != len(files):
        return tr(f"len() gives {n}, but the sample's test split holds {len(files)} images.",
                  f"len() 给出 {n}，但样本的测试集有 {len(files)} 张图像。")
    by_pixels = {}
    for path, i in files:
        with Image.open(path) as im:
            by_pixels.setdefault(im.tobytes(), set()).add(i)
    seen = [0] * len(classes)
    for idx in range(n):
        try:
            item = dataset[idx]
        except Exception as err:
            return tr(f"dataset[{idx}] fails ({error_line(err)}).", f"dataset[{idx}] 出错（{error_line(err)}）。")
        if not isinstance(item, tuple) or len(item) != 2:
            return tr(f"dataset[{idx}] should be a pair (image, class index), not {type(item).__name__}.",
                      f"dataset[{idx}] 应该是一对（图像，类别序号），而不是 {type(item).__name__}。")
        img, target = item
        if isinstance(img, (str, os.PathLike)):
            return tr("dataset[idx] gives the file's path; open the file with Image.open(path) and return the image.",
                      "dataset[idx] 给出的是文件路径；用 Image.open(path) 打开文件，返回图像。")
        if not isinstance(img, Image.Image):
            return tr(f"the image should be a PIL image, as Image.open gives (got {type(img).__name__}).",
                      f"图像应该是 PIL 图像，也就是 Image.open 返回的那种（而你给的是 {type(img).__name__}）。")
        if isinstance(target, str):
            return tr(f"the label is the folder's name ({target!r}); like ImageFolder, give its position in the "
                      "sorted list of class folders.",
                      f"标签是文件夹的名字（{target!r}）；要像 ImageFolder 那样，给出它在排好序的类别文件夹列表中的位置。")
        label = whole_number(target)
        pixels = img.tobytes()
        if pixels not in by_pixels:
            return tr(f"dataset[{idx}] is not one of the split's images.", f"dataset[{idx}] 不是这个划分中的图像。")
        if label not in by_pixels[pixels]:
            return tr(f"dataset[{idx}] has the label {target!r}, but its image is in the folder of class "
                      f"{sorted(by_pixels[pixels])[0]} ({classes[sorted(by_pixels[pixels])[0]]}); the classes are the "
                      "sub-folders in alphabetical order.",
                      f"dataset[{idx}] 的标签是 {target!r}，但它的图像在类别 {sorted(by_pixels[pixels])[0]}"
                      f"（{classes[sorted(by_pixels[pixels])[0]]}）的文件夹里；类别是按字母顺序排列的子文件夹。")
        seen[label] += 1
    expected = [sum(1 for _, i in files if i == c) for c in range(len(classes))]
    if seen != expected:
        return tr(f"the images per class are {seen}, but the folders hold {expected}: each file should come once.",
                  f"每个类别的图像数是 {seen}，但文件夹里是 {expected}：每个文件应该正好出现一次。")
    return None


@exercise("01.4", kind="explain",
          task=("With shuffle=True the first batch of epoch 1 differed from that of epoch 0, although "
                "torch.manual_seed(seed) was called once at the start. Why? Answer a, b, c or d.",
                "用 shuffle=True 时，第 1 轮的第一个批次和第 0 轮的不同，尽管一开始调用过一次 torch.manual_seed(seed)。"
                "为什么？请回答 a、b、c 或 d。"),
          hint=("Run the lesson twice: do you get the same two batches again? What does that say about where the "
                "order comes from?",
                "把本课运行两次：两次得到的两个批次一样吗？这说明顺序是从哪里来的？"))
def _shuffle_per_epoch(answer):
    return choice(answer, "a", {
        "b": tr("a DataLoader never touches the files: it only reads the dataset's indices in another order.",
                "DataLoader 从不改动文件：它只是换一个顺序读取数据集的索引。"),
        "c": tr("rerunning the lesson gives the same two batches again (its stored outputs match a new run), so "
                "no clock is involved: the seed fixes the whole sequence of orders.",
                "重新运行本课会再次得到同样的两个批次（保存的输出和新的运行一致），所以与时钟无关："
                "随机种子固定了整串顺序。"),
        "d": tr("with shuffle=False every epoch starts with the same batch, index 0 again; a new pass does not go on "
                "where the last one ended.",
                "shuffle=False 时每一轮都从同一个批次、也就是索引 0 重新开始；新的一轮不会接着上一轮往下读。"),
    })
