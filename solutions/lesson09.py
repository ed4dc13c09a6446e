"""Solutions of 09_pretrained's exercises."""
from torch import nn


def new_last_layer(model, num_classes):
    """09.2: replace the last layer of a Sequential by a new Linear with num_classes outputs."""
    model[-1] = nn.Linear(model[-1].in_features, num_classes)
    return model


def _appended(model, num_classes):  # the add_module way: one more layer
    model.add_module("add_linear", nn.Linear(model[-1].out_features, num_classes))
    return model


def _fixed_ten(model, num_classes):  # ignores num_classes
    model[-1] = nn.Linear(model[-1].in_features, 10)
    return model


def _not_returned(model, num_classes):  # forgets to return the model
    model[-1] = nn.Linear(model[-1].in_features, num_classes)


def _new_model(model, num_classes):  # builds a new network: the trained layers are lost
    return nn.Sequential(nn.Flatten(), nn.Linear(48, 16), nn.ReLU(), nn.Linear(16, num_classes))


SOLUTIONS = {
    "09.1": lambda: 138_357_544 - (4096 * 1000 + 1000) + (4096 * 100 + 100),  # 134,670,244
    "09.2": lambda: new_last_layer,
    "09.3": lambda: "c",
}

WRONG = {
    "09.1": [409_700, 138_357_544 + 409_700, 138_357_544 - 4_096_000 + 409_600, 134_301_514, 138_357_544, "134670244"],
    "09.2": [nn.Linear(16, 3), _appended, _fixed_ten, _not_returned, _new_model],
    "09.3": ["a", "b", "d", "transfer"],
}

#: Typical wrong answers from learners, each with the words its feedback must contain (English, Chinese).
MISTAKES = {
    "09.1": [(409_700, "new layer alone", "新的那一层"), (138_357_544 + 409_700, "replaces", "替换了"),
             (138_357_544 - 4_096_000 + 409_600, "weights only", "只算了权重"), (134_301_514, "10 classes", "10 个类别"),
             (138_357_544, "unmodified", "没有修改过")],
    "09.2": [(_appended, "one more layer", "多了一层"), (_fixed_ten, "num_classes=3", "num_classes=3"),
             (_not_returned, "NoneType", "NoneType"), (_new_model, "same objects", "原来的对象"),
             (nn.Linear(16, 3), "function itself", "函数本身")],
    "09.3": [("a", "SmallVGG(5)", "SmallVGG(5)"), ("b", "no network saw a test image", "没有哪个网络见过测试图像"),
             ("d", "depends on the gradients", "取决于梯度")],
}
#: Right answers as learners type them.
ACCEPTED = {"09.1": [134_670_244, 134670244.0], "09.3": ["c.", "(c)", "C"]}
