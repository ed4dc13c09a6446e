"""Solutions of 11_better_model's exercises."""
import math


def flip_scores(model, imgs):
    """11.2: the average of the scores for the images and for their mirror images (dimension 3: the width)."""
    return (model(imgs) + model(imgs.flip(3))) / 2


# typical mistakes, for the tests
def flip_upside_down(model, imgs):
    return (model(imgs) + model(imgs.flip(2))) / 2


def flip_channels(model, imgs):
    return (model(imgs) + model(imgs.flip(1))) / 2


def sum_not_mean(model, imgs):
    return model(imgs) + model(imgs.flip(3))


def mirror_only(model, imgs):
    return model(imgs.flip(3))


def guesses_not_scores(model, imgs):
    return ((model(imgs) + model(imgs.flip(3))) / 2).argmax(1)


SOLUTIONS = {
    # 1,500 / 64 = 23.4 batches per epoch: 24 steps (the last batch holds 28 images), 10 epochs
    "11.1": lambda: math.ceil(1500 / 64) * 10,
    "11.2": lambda: flip_scores,
    # a mirrored photo is still a photo of the same class: a second, slightly different guess to average
    "11.3": lambda: "b",
    # a gain within the spread cannot be told from luck
    "11.4": lambda: "b",
}

WRONG = {
    "11.1": [230, 24, 15000, 1500, "240 steps"],
    "11.2": [flip_upside_down, flip_channels, sum_not_mean, mirror_only, guesses_not_scores, 0.5],
    "11.3": ["a", "c", "d", "e", 2],
    "11.4": ["a", "c", "d", "yes"],
}

#: Typical mistakes, each with a phrase its feedback must contain (English, Chinese).
MISTAKES = {
    "11.1": [(230, "round the batches per epoch up", "向上取整"), (24, "one epoch", "一轮"),
             (15000, "not one image", "不是一张图像")],
    "11.2": [(flip_upside_down, "upside down", "上下颠倒"), (flip_channels, "colour channels", "颜色通道"),
             (sum_not_mean, "divide it by 2", "除以 2"), (mirror_only, "alone", "只是镜像"),
             (guesses_not_scores, "one number per image", "只返回一个数")],
    "11.3": [("a", "adds no parameter", "不会增加任何参数"), ("c", "does not change a single colour", "不会改变任何颜色"),
             ("d", "nothing is trained", "什么都没有训练")],
    "11.4": [("a", "can be luck", "运气"), ("c", "says nothing about stability", "不稳定"),
             ("d", "their accuracies differ", "本来就不一样")],
}
#: Right answers as learners type them.
ACCEPTED = {
    "11.1": [240, 240.0],
    "11.2": [lambda model, imgs: (model(imgs.flip(-1)) + model(imgs)) * 0.5],
    "11.3": ["b.", "B"],
    "11.4": ["b.", "(b)"],
}
