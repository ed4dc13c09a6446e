"""The tutorial's CIFAR-10 model, defined once for every lesson, and tools to look inside it."""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


class Tudui(nn.Module):
    """The course's CIFAR-10 model (土堆's ``Tudui``), exactly as the tutorial builds it.

    ``Conv2d(3, 32, 5, padding=2) → MaxPool2d(2) → Conv2d(32, 32, 5, padding=2) → MaxPool2d(2)
    → Conv2d(32, 64, 5, padding=2) → MaxPool2d(2) → Flatten → Linear(1024, 64) → Linear(64, 10)``

    Input ``(N, 3, 32, 32)``, output ``(N, num_classes)`` scores (logits).  Note that the
    tutorial's model has no activation function between its layers; lesson 08 adds them.
    """

    def __init__(self, num_classes: int = 10) -> None:
        super().__init__()
        self.model1 = nn.Sequential(
            nn.Conv2d(3, 32, 5, padding=2),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 32, 5, padding=2),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 5, padding=2),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(1024, 64),
            nn.Linear(64, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model1(x)


def count_parameters(model: nn.Module, trainable_only: bool = True) -> int:
    """Number of (trainable) parameter elements in ``model``; 145,578 for :class:`Tudui`."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)


@dataclass(frozen=True)
class LayerRow:
    """One row of :func:`layer_table`: a leaf layer and the shape it outputs."""

    name: str
    layer: str
    output_shape: tuple[int, ...]
    parameters: int


def layer_table(model: nn.Module, input_shape: tuple[int, ...] = (1, 3, 32, 32)) -> list[LayerRow]:
    """Run a zero tensor of ``input_shape`` through ``model`` and record each leaf layer's output.

    Uses forward hooks, so it works for any model, however its ``forward`` is written.
    The model's device is respected; its train/eval mode and weights are left as they were.
    """
    rows: list[LayerRow] = []
    hooks = []
    for name, module in model.named_modules():
        if len(list(module.children())) == 0:
            def hook(mod, _inputs, output, name=name):
                rows.append(LayerRow(name, type(mod).__name__, tuple(output.shape),
                                     sum(p.numel() for p in mod.parameters())))
            hooks.append(module.register_forward_hook(hook))
    try:
        device = next(model.parameters()).device
    except StopIteration:
        device = torch.device("cpu")
    try:
        with torch.no_grad():
            model(torch.zeros(input_shape, device=device))
    finally:
        for h in hooks:
            h.remove()
    return rows


def print_layer_table(model: nn.Module, input_shape: tuple[int, ...] = (1, 3, 32, 32)) -> None:
    """Print :func:`layer_table` as an aligned text table (shapes without the batch size)."""
    rows = layer_table(model, input_shape)
    print(f"{'layer':<22}{'output (C x H x W)':<22}{'params':>10}")
    print(f"{'input':<22}{' x '.join(map(str, input_shape[1:])):<22}{'':>10}")
    for row in rows:
        label = f"{row.name} {row.layer}"
        print(f"{label:<22}{' x '.join(map(str, row.output_shape[1:])):<22}{row.parameters:>10,}")
    print(f"{'total':<22}{'':<22}{count_parameters(model):>10,}")


def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                     dilation: int = 1, ceil_mode: bool = False) -> int:
    """The output height (or width) of a convolution or pooling layer, from PyTorch's docs.

    ``H_out = floor((H_in + 2*padding - dilation*(kernel_size - 1) - 1) / stride + 1)``,
    with ``ceil`` instead of ``floor`` when ``ceil_mode=True`` (pooling only; as in
    PyTorch, a last window that would start entirely in the right padding is dropped).
    """
    span = size + 2 * padding - dilation * (kernel_size - 1) - 1
    if ceil_mode:
        out = -(-span // stride) + 1
        if (out - 1) * stride >= size + padding:
            out -= 1
        return out
    return span // stride + 1


# --------------------------------------------------------------------------- lesson 08: improving the model
# The capstone (08_capstone) improves the tutorial's model one step at a time.  What it needs
# lives here: the improved models, augmentation on whole batches, and the recipe that trains them.

class TuduiPlus(nn.Module):
    """The tutorial's ``Tudui`` with the two fixes lesson 08 adds, each switchable.

    Per convolution: ``Conv2d(5x5) → [BatchNorm2d] → [ReLU] → MaxPool2d(2)``; then
    ``Flatten → Linear(1024, 64) → [ReLU] → Linear(64, num_classes)``.  With
    ``relu=False, batchnorm=False`` it is exactly ``Tudui`` (same layers, same parameters, and
    the same initial weights for the same seed).

    Args:
        relu: put a ReLU (非线性激活) after each convolution and after the hidden linear layer.
        batchnorm: put a ``BatchNorm2d`` (归一化层) after each convolution.
        num_classes: the number of scores the model outputs.
    """

    def __init__(self, relu: bool = True, batchnorm: bool = True, num_classes: int = 10) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        in_channels = 3
        for out_channels in (32, 32, 64):
            layers.append(nn.Conv2d(in_channels, out_channels, 5, padding=2))
            if batchnorm:
                layers.append(nn.BatchNorm2d(out_channels))
            if relu:
                layers.append(nn.ReLU())
            layers.append(nn.MaxPool2d(2))
            in_channels = out_channels
        layers += [nn.Flatten(), nn.Linear(1024, 64)]
        if relu:
            layers.append(nn.ReLU())
        layers.append(nn.Linear(64, num_classes))
        self.model1 = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model1(x)


class FastNet(nn.Module):
    """A small CNN built for fast CPU training: ≥ 80 % on CIFAR-10 in a few epochs.

    Four blocks ``Conv2d(3x3, no bias) → MaxPool2d(2) → BatchNorm2d → ReLU`` (pooling right
    after the convolution, so BatchNorm and ReLU work on a 4x smaller tensor), then a global
    max pool and one ``Linear`` layer.  32x32 → 16 → 8 → 4 → 2 → 1.  About 15 million
    multiply-adds per image, like ``Tudui`` (12 million), but 3x3 kernels and more channels
    where the images are small.

    Args:
        widths: output channels of the four blocks.
        num_classes: the number of scores the model outputs.
    """

    def __init__(self, widths: tuple[int, ...] = (32, 64, 128, 256), num_classes: int = 10) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        in_channels = 3
        for out_channels in widths:
            layers += [nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False), nn.MaxPool2d(2),
                       nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True)]
            in_channels = out_channels
        layers += [nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Linear(in_channels, num_classes, bias=False)]
        self.model1 = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model1(x)


class FlipTTA(nn.Module):
    """Test-time augmentation: the mean of ``model``'s scores for each image and its mirror image."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (self.model(x) + self.model(x.flip(3))) / 2


def random_flip(imgs: torch.Tensor) -> torch.Tensor:
    """Mirror each image of a batch ``(N, C, H, W)`` left-right with probability 1/2."""
    flip = torch.rand(imgs.size(0), 1, 1, 1, device=imgs.device) < 0.5
    return torch.where(flip, imgs.flip(3), imgs)


def random_crop(imgs: torch.Tensor, padding: int = 4) -> torch.Tensor:
    """Shift each image of a batch ``(N, C, H, W)`` by up to ``padding`` pixels in x and y.

    Pads the whole batch by ``padding`` on every side (mirroring the border, ``reflect``), then
    cuts an ``H x W`` window at a random offset per image, as ``RandomCrop(32, padding=4)``
    does image by image — here for the whole batch at once.
    """
    if padding == 0:
        return imgs
    n, c, h, w = imgs.shape
    padded = nn.functional.pad(imgs, (padding,) * 4, mode="reflect")
    dy = torch.randint(0, 2 * padding + 1, (n,), device=imgs.device)
    dx = torch.randint(0, 2 * padding + 1, (n,), device=imgs.device)
    rows = (dy[:, None] + torch.arange(h, device=imgs.device))[:, None, :, None]  # (n, 1, h, 1)
    cols = (dx[:, None] + torch.arange(w, device=imgs.device))[:, None, None, :]  # (n, 1, 1, w)
    batch = torch.arange(n, device=imgs.device)[:, None, None, None]
    channel = torch.arange(c, device=imgs.device)[None, :, None, None]
    return padded[batch, channel, rows, cols]


def channel_stats(images: torch.Tensor) -> tuple[list[float], list[float]]:
    """Per-channel mean and standard deviation of ``images`` ``(N, C, H, W)`` (uint8 0…255 or float 0…1).

    Returns values for ``[0, 1]`` images, ready for ``transforms.Normalize(mean, std)``.
    """
    x = images.float()
    if images.dtype == torch.uint8:
        x = x / 255
    return x.mean(dim=(0, 2, 3)).tolist(), x.std(dim=(0, 2, 3)).tolist()


def train_recipe(
    model: nn.Module,
    train_loader,
    test_loader,
    epochs: int,
    device: torch.device,
    *,
    lr: float = 0.01,
    momentum: float = 0.0,
    nesterov: bool = False,
    weight_decay: float = 0.0,
    label_smoothing: float = 0.0,
    augment: bool = False,
    padding: int = 4,
    one_cycle: bool = False,
    channels_last: bool = False,
    writer=None,
    progress: bool = True,
    verbose: bool = True,
):
    """Train ``model`` with SGD and the switches lesson 08 turns on one by one; return ``fit``'s ``History``.

    With the defaults it is the tutorial's recipe (``SGD(lr=0.01)``, cross-entropy, a constant
    learning rate).  Evaluates on ``test_loader`` after every epoch (``utils.evaluate``:
    ``model.eval()``, ``torch.no_grad()``, accuracy per sample).

    Args:
        lr: the learning rate; with ``one_cycle`` its peak.
        momentum, nesterov, weight_decay: as in ``torch.optim.SGD``; weight decay is applied to
            weight matrices and kernels only, not to biases and BatchNorm parameters.
        label_smoothing: as in ``nn.CrossEntropyLoss`` (training loss only).
        augment: flip and shift each training batch (:func:`random_flip`, :func:`random_crop`).
        padding: the largest shift of :func:`random_crop`.
        one_cycle: ``OneCycleLR``: the learning rate rises linearly for the first 20 % of the
            steps, then falls linearly to almost zero; stepped after every batch.
        channels_last: store images and weights channels-last (faster convolutions on CPUs).
        writer, progress, verbose: as in :func:`utils.training.fit`, which runs the loop.
    """
    from .training import fit

    memory_format = torch.channels_last if channels_last else torch.contiguous_format
    model.to(device=device, memory_format=memory_format)
    decay = [p for p in model.parameters() if p.ndim > 1]
    no_decay = [p for p in model.parameters() if p.ndim <= 1]
    optimizer = torch.optim.SGD([{"params": decay, "weight_decay": weight_decay},
                                 {"params": no_decay, "weight_decay": 0.0}],
                                lr=lr, momentum=momentum, nesterov=nesterov)
    scheduler = None
    if one_cycle:
        scheduler = torch.optim.lr_scheduler.OneCycleLR(
            optimizer, max_lr=lr, total_steps=epochs * len(train_loader), pct_start=0.2,
            anneal_strategy="linear", cycle_momentum=False)

    def transform(imgs: torch.Tensor) -> torch.Tensor:
        if augment:
            imgs = random_crop(random_flip(imgs), padding)
        return imgs.contiguous(memory_format=memory_format)

    return fit(model, train_loader, nn.CrossEntropyLoss(label_smoothing=label_smoothing), optimizer, epochs,
               device, test_loader=test_loader, scheduler=scheduler, scheduler_per_batch=True,
               transform=transform, test_loss_fn=nn.CrossEntropyLoss(), writer=writer,
               progress=progress, verbose=verbose)
