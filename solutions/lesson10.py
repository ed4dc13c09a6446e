"""Solutions of 10_training_routine's exercises."""
import torch

from utils.exercises.lesson10 import OUTPUTS, TARGETS, SmallNet


def accuracy(model, loader):
    """10.2: the test pass: eval mode, no gradients, right guesses divided by the number of images."""
    model.eval()
    total_accuracy, count = 0, 0
    with torch.no_grad():
        for imgs, targets in loader:
            outputs = model(imgs)
            total_accuracy += (outputs.argmax(1) == targets).sum().item()
            count += imgs.size(0)
    return total_accuracy / count


def save_and_load(model, path):
    """10.4: save the state_dict, build a new model, load the file into it."""
    torch.save(model.state_dict(), path)
    new_model = SmallNet()
    new_model.load_state_dict(torch.load(path, weights_only=True))
    return new_model


# typical mistakes, for the tests
def save_whole_model(model, path):
    torch.save(model, path)
    return torch.load(path, weights_only=False)


def load_forgotten(model, path):
    torch.save(model.state_dict(), path)
    return SmallNet()


def return_what_load_state_dict_returns(model, path):
    torch.save(model.state_dict(), path)
    return SmallNet().load_state_dict(torch.load(path, weights_only=True))


def deep_copy_instead(model, path):
    """Saves the file but returns a copy made in memory: the file is never read back."""
    import copy

    torch.save(model.state_dict(), path)
    return copy.deepcopy(model)


def return_the_same_model(model, path):
    torch.save(model.state_dict(), path)
    model.load_state_dict(torch.load(path, weights_only=True))
    return model


def accuracy_train_mode(model, loader):
    with torch.no_grad():
        right = sum((model(x).argmax(1) == y).sum().item() for x, y in loader)
    return right / len(loader.dataset)


def accuracy_batch_mean(model, loader):
    model.eval()
    with torch.no_grad():
        means = [(model(x).argmax(1) == y).float().mean().item() for x, y in loader]
    return sum(means) / len(means)


def accuracy_tensor(model, loader):
    model.eval()
    with torch.no_grad():
        right = sum((model(x).argmax(1) == y).sum() for x, y in loader)
    return right / len(loader.dataset)


SOLUTIONS = {
    # guesses argmax(1) = [2, 0, 2, 1] against targets [2, 0, 1, 0]: 2 of 4 right
    "10.1": lambda: (OUTPUTS.argmax(1) == TARGETS).sum().item() / len(TARGETS),
    "10.2": lambda: accuracy,
    # the same seed: the same first weights and the same order of batches, so the same arithmetic
    "10.3": lambda: "b",
    "10.4": lambda: save_and_load,
}

WRONG = {
    "10.1": [2, 50, 0.25, 1 / 3, "1/2", torch.tensor([2, 0])],
    "10.2": [accuracy_train_mode, accuracy_batch_mean, accuracy_tensor, 0.5],
    "10.3": ["a", "c", "d", "e", 2],
    "10.4": [save_whole_model, load_forgotten, return_what_load_state_dict_returns, return_the_same_model,
             deep_copy_instead, "save_and_load"],
}

#: Typical mistakes, each with a phrase its feedback must contain (English, Chinese).
MISTAKES = {
    "10.1": [(2, "number of right guesses", "预测对的数量"), (50, "percentage", "百分数"),
             (0.25, "argmax(1)", "argmax(1)")],
    "10.2": [(accuracy_train_mode, "model.eval()", "model.eval()"), (accuracy_batch_mean, "number of images", "图像数量"),
             (accuracy_tensor, ".item()", ".item()")],
    "10.3": [("a", "never opens a file", "从没打开过"), ("c", "other weights give other guesses", "权重不同"),
             ("d", "from the first step on", "从第一步起")],
    "10.4": [(save_whole_model, "model.state_dict(), not model", "model.state_dict()"),
             (deep_copy_instead, "never reads the file back", "没有把文件读回来"),
             (return_the_same_model, "returns the model it was given", "传进来的模型本身"),
             (return_what_load_state_dict_returns, "report of the keys", "键的核对结果")],
}
#: Right answers as learners type them.
ACCEPTED = {
    "10.1": [0.5, 1 / 2, torch.tensor(0.5)],
    "10.3": ["b.", "(B)", " b "],
}
