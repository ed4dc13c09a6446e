"""Exercises of 08_capstone."""
from __future__ import annotations

import numbers

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from . import exercise, real_number

#: The scores and true classes of exercise 08.1.
OUTPUTS = torch.tensor([[0.1, 0.2], [0.05, 0.4], [0.9, 0.3]])
TARGETS = torch.tensor([0, 1, 0])


@exercise("08.1", task="Give the accuracy (a fraction) of OUTPUTS against TARGETS.",
          hint="outputs.argmax(1) gives the guesses [1, 1, 0]; compare with targets and divide the right ones by 3.")
def _accuracy_of_scores(answer):
    value = real_number(answer)
    if value is None:
        return f"{answer!r} is not a single number; the accuracy is right guesses / images."
    if abs(value - 2 / 3) < 1e-3:
        return None
    if value == 2:
        return "2 is the number of right guesses; divide it by the number of images (3)."
    if abs(value - 200 / 3) < 0.1:
        return "that is a percentage; give the fraction between 0 and 1."
    if abs(value - 1 / 3) < 1e-3:
        return "1/3 is the fraction of wrong guesses (or argmax over dimension 0); take argmax(1), per image."
    return f"{value} is not the accuracy; the guesses are outputs.argmax(1)."


# ----------------------------------------------------------------------------- 08.2
def _bn_model() -> nn.Module:
    """A tiny classifier whose BatchNorm makes train mode and eval mode guess differently."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    with torch.no_grad():
        model[0].weight.copy_(torch.eye(2))
        model[0].bias.zero_()
        model[1].running_mean.copy_(torch.tensor([0.0, 2.0]))
        model[1].running_var.copy_(torch.ones(2))
    return model


def _loader() -> DataLoader:
    """10 points in batches of 4: the last batch holds 2, so batch averages are biased."""
    x = torch.tensor([[1.0, 0.0], [0.5, 2.5], [2.0, 1.0], [0.0, 3.0], [1.0, 1.0],
                      [3.0, 2.0], [0.2, 2.4], [1.5, 1.0], [1.0, 4.0], [2.0, 2.5]])
    y = torch.tensor([0, 1, 0, 1, 1, 0, 0, 1, 1, 0])
    return DataLoader(TensorDataset(x, y), batch_size=4)


def _reference_accuracy(model: nn.Module, loader: DataLoader) -> float:
    model.eval()
    correct, count = 0, 0
    with torch.no_grad():
        for imgs, targets in loader:
            correct += (model(imgs).argmax(1) == targets).sum().item()
            count += imgs.size(0)
    return correct / count


@exercise("08.2", task="Write accuracy(model, loader): the model's accuracy on all images of loader, as a float.",
          hint="model.eval(); with torch.no_grad(): add up (model(imgs).argmax(1) == targets).sum().item() "
               "over the batches, and divide by the number of images (not of batches).")
def _accuracy_function(answer):
    if not callable(answer):
        return f"expected a function accuracy(model, loader), got {type(answer).__name__}."
    model, loader = _bn_model(), _loader()
    model.train()  # as after training: the function must switch to eval mode itself
    expected = _reference_accuracy(_bn_model(), loader)
    result = answer(model, loader)
    if isinstance(result, torch.Tensor):
        return "your function returns a tensor; return a plain float (use .item())."
    value = real_number(result)
    if value is None:
        return f"your function returns {result!r}, not a number."
    if abs(value - expected) < 1e-6:
        return None
    if abs(value - expected * 100) < 1e-4:
        return "your function returns a percentage; return the fraction between 0 and 1."
    train_model = _bn_model().train()
    with torch.no_grad():
        train_correct = sum((train_model(x).argmax(1) == y).sum().item() for x, y in loader)
    if abs(value - train_correct / 10) < 1e-6:
        return "your result is the accuracy in training mode: call model.eval() first (BatchNorm behaves differently)."
    eval_model = _bn_model().eval()
    with torch.no_grad():
        batch_means = [(eval_model(x).argmax(1) == y).float().mean().item() for x, y in loader]
    if abs(value - sum(batch_means) / len(batch_means)) < 1e-6:
        return "you averaged the batch accuracies; the last batch is smaller — divide the right guesses by the number of images."
    return f"your function gives {value:.4f}, but the model's accuracy on that loader is {expected:.4f}."


# ----------------------------------------------------------------------------- 08.3
def _image_model() -> nn.Module:
    """A small image classifier whose BatchNorm2d makes train and eval mode guess differently."""
    torch.manual_seed(8)
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Linear(4, 10))
    with torch.no_grad():
        model[1].running_mean.copy_(torch.tensor([0.5, -0.5, 0.3, -0.2]))
        model[1].running_var.copy_(torch.full((4,), 0.01))
    return model


def _images() -> torch.Tensor:
    """Six images with different colour casts, so that the model's guesses differ between them."""
    g = torch.Generator().manual_seed(3)
    return torch.rand(6, 3, 32, 32, generator=g) + 2 * torch.randn(6, 3, 1, 1, generator=g)


@exercise("08.3", task="Write predict(model, image): the class index (an int) the model guesses for one (3, 32, 32) image.",
          hint="torch.reshape(image, (1, 3, 32, 32)); model.eval(); with torch.no_grad(): "
               "output = model(image); return output.argmax(1).item().")
def _predict_function(answer):
    if not callable(answer):
        return f"expected a function predict(model, image), got {type(answer).__name__}."
    reference = _image_model().eval()
    for image in _images():
        model = _image_model().train()
        result = answer(model, image.clone())
        with torch.no_grad():
            expected = reference(image.reshape(1, 3, 32, 32)).argmax(1).item()
        if isinstance(result, torch.Tensor):
            return f"your function returns a tensor {result}; return a plain int (use .item())."
        if isinstance(result, bool) or not isinstance(result, numbers.Integral):
            return f"your function returns {result!r}; return the class index as an int."
        if result != expected:
            with torch.no_grad():
                in_train_mode = _image_model().train()(image.reshape(1, 3, 32, 32)).argmax(1).item()
            if result == in_train_mode:
                return "that is the guess in training mode: call model.eval() first (BatchNorm behaves differently)."
            return f"for one of the test images your function says {result}, the model's guess is {expected}."
    return None
