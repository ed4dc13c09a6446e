"""Solutions of 10_capstone's exercises."""
import math

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
    """10.5: save the state_dict, build a new model, load the file into it."""
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
    # a mirrored photo is still a photo of the same class: a second, slightly different guess to average
    "10.3": lambda: "b",
    # each of 4 processes gets 12,500 images; batches of 512, the last smaller
    "10.4": lambda: math.ceil(50_000 / 4 / 512),
    "10.5": lambda: save_and_load,
}

WRONG = {
    "10.1": [2, 50, 0.25, 1 / 3, "1/2", torch.tensor([2, 0])],
    "10.2": [accuracy_train_mode, accuracy_batch_mean, accuracy_tensor, 0.5],
    "10.3": ["a", "c", "d", "e", 2],
    "10.4": [98, 24, 97, 6.1, "25 steps"],
    "10.5": [save_whole_model, load_forgotten, return_what_load_state_dict_returns, return_the_same_model, "save_and_load"],
}
