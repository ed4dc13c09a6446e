"""Exercises of 05_linear."""
from __future__ import annotations

import torch

from . import exercise


@exercise("05.1", task="How many in_features would the first linear layer need after the second MaxPool2d of Tudui?",
          hint="After the second MaxPool2d an image is 32 channels of 8x8; Flatten lays them out as channels * height * width.")
def _in_features_after_two_stages(answer):
    if answer == 32 * 8 * 8:
        return None
    if answer == 1024:
        return "1024 is after the third stage (64 x 4 x 4); stop one stage earlier."
    if answer == 64 * 8 * 8:
        return "the second convolution has 32 output channels, not 64."
    if answer == 32 * 16 * 16:
        return "that is before the second MaxPool2d; pooling halves height and width once more."
    return f"{answer} is not channels x height x width after the second MaxPool2d."


@exercise("05.2", task="How many parameters (weights and biases) does Linear(1024, 64) have?",
          hint="The weight is a 64 x 1024 matrix, and there is one bias per output.")
def _linear_parameters(answer):
    if answer == 1024 * 64 + 64:
        return None
    if answer == 1024 * 64:
        return "that counts the weights only; add one bias per output."
    if answer == 1024 + 64:
        return "each of the 64 outputs has its own weight for each of the 1024 inputs: multiply."
    return f"{answer} is not 1024 x 64 weights plus 64 biases."


@exercise("05.3", task="Build a module mapping [N, 3, 32, 32] to [N, 10] for any N.",
          hint="Keep the batch dimension: nn.Flatten() (start_dim=1) then nn.Linear(3 * 32 * 32, 10).")
def _per_image_module(answer):
    if not callable(answer):
        return f"the answer should be a module (something callable), not a {type(answer).__name__}."
    gen = torch.Generator().manual_seed(5)
    batch = torch.rand(64, 3, 32, 32, generator=gen)
    device = next((p.device for p in getattr(answer, "parameters", lambda: [])()), torch.device("cpu"))
    with torch.no_grad():
        outputs = {n: answer(batch[:n].to(device)) for n in (64, 16, 1)}
    for n, out in outputs.items():
        if not isinstance(out, torch.Tensor) or tuple(out.shape) != (n, 10):
            shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
            return f"a batch of {n} images gave {shape}, not ({n}, 10)."
    if not torch.allclose(outputs[64][:16].cpu(), outputs[16].cpu(), atol=1e-5):
        return "an image's scores change with the other images in its batch; treat each image on its own."
    return None


@exercise("05.4", task="Last batch size and number of batches with drop_last=True for 50,000 images, batch_size=64.",
          hint="divmod(50000, 64) gives (full batches, images left over).")
def _train_split_batches(answer):
    last, batches = answer
    if (last, batches) == (16, 781):
        return None
    if batches == 782:
        return "782 batches is without drop_last; drop_last=True throws away the incomplete last one."
    if last == 64:
        return "the last batch is what is left over after the full batches of 64."
    return f"{answer} is not (images in the last batch, number of full batches)."
