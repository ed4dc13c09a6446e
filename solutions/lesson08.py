"""Solutions of 08_capstone's exercises."""
import torch

from utils.exercises.lesson08 import OUTPUTS, TARGETS


def accuracy(model, loader):
    """08.2: the tutorial's test pass, accuracy per image."""
    model.eval()
    total_accuracy, count = 0, 0
    with torch.no_grad():
        for imgs, targets in loader:
            outputs = model(imgs)
            total_accuracy += (outputs.argmax(1) == targets).sum().item()
            count += imgs.size(0)
    return total_accuracy / count


def predict(model, image):
    """08.3: the tutorial's test.py — a batch of one, eval mode, no gradients, argmax."""
    image = torch.reshape(image, (1, 3, 32, 32))
    model.eval()
    with torch.no_grad():
        output = model(image)
    return output.argmax(1).item()


# typical mistakes, for the tests
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


def predict_train_mode(model, image):
    with torch.no_grad():
        return model(image.reshape(1, 3, 32, 32)).argmax(1).item()


def predict_tensor(model, image):
    model.eval()
    with torch.no_grad():
        return model(image.reshape(1, 3, 32, 32)).argmax(1)


def predict_no_reshape(model, image):
    model.eval()
    with torch.no_grad():
        return model(image).argmax(1).item()


SOLUTIONS = {
    # guesses argmax(1) = [1, 1, 0]; right for images 2 and 3: 2 of 3
    "08.1": lambda: (OUTPUTS.argmax(1) == TARGETS).sum().item() / len(TARGETS),
    "08.2": lambda: accuracy,
    "08.3": lambda: predict,
}

WRONG = {
    "08.1": [2, 1 / 3, 200 / 3, "2/3", torch.tensor([1, 1])],
    "08.2": [accuracy_train_mode, accuracy_batch_mean, accuracy_tensor, 0.5],
    "08.3": [predict_train_mode, predict_tensor, predict_no_reshape, 3],
}
