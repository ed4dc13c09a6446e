"""test.py: the complete model-checking routine (完整的模型验证套路): what a trained model says about your own images.

    python scripts/test.py runs/train/20250101-120000/tudui.pt dog.png my_cat.jpg

For each image it prints one line, ``dog.png: dog (p=0.62)``: the class the model picks and
its softmax probability.  The steps are the usual ones, done carefully:

1. load the checkpoint with ``torch.load(..., weights_only=True)`` (tensors and plain data
   only, so no code in the file is run) and build the model it names (``scripts/model.py``);
2. open each image and ``.convert("RGB")`` (a PNG may have a 4th, alpha channel);
3. ``Resize((32, 32))`` (CIFAR-10's size), ``ToTensor()``, and the ``Normalize`` the model
   was trained with, if any (the checkpoint says);
4. ``reshape(1, 3, 32, 32)``: the model expects a batch, here of one image;
5. ``model.eval()`` and ``torch.no_grad()``: test mode, no gradients.

A missing file, a folder, a file that is not an image (or one too large to open safely, or a
pipe that would never end), or a file that is not a ``train.py`` checkpoint (or one whose weights
are nan after a diverged run, or whose ``normalize`` is not three numbers each) stops with one
line on stderr and exit status 2 (before any prediction).  Messages come in the system's language
(``COURSE_LANGUAGE`` overrides it), CIFAR-10's class names too; a name the terminal cannot show
(a Chinese class name on a cp1252 console) is printed as ``\\uXXXX``, never a UnicodeEncodeError.
"""
from __future__ import annotations

if __name__ == "__main__":  # before torch loads (seconds): Ctrl-C or a kill now is one line too, not a traceback
    from utils.cli import quiet_interrupts

    quiet_interrupts("test.py")

import os
import sys

import torch

from scripts.model import load_model
from utils.cli import command, exit_status, interrupted_line
from utils.data import class_label
from utils.device import get_device
from utils.messages import msg
from utils.params import OneLineParser
from utils.errors import CourseError, DataError


def make_parser() -> OneLineParser:
    parser = OneLineParser(prog="test.py", description=msg("help.test"))
    parser.add_argument("checkpoint", help=msg("help.test_checkpoint"))
    parser.add_argument("images", nargs="+", metavar="IMAGE", help=msg("help.test_images"))
    parser.add_argument("--device", default="cpu", help=msg("help.test_device"))
    return parser


def open_rgb(path: str):
    """The image at ``path`` as a PIL RGB image; :class:`DataError` (one line) if it cannot be read."""
    from PIL import Image, UnidentifiedImageError

    if os.path.isdir(path):
        raise DataError(msg("test.folder", path=path, example=os.path.join(path, "*.png")))
    if not os.path.lexists(path):
        raise DataError(msg("test.no_image", path=path))
    if not os.path.isfile(path):  # a named pipe would make Image.open wait for ever
        raise DataError(msg("test.not_a_file", path=path))
    try:
        with Image.open(path) as img:
            return img.convert("RGB")  # RGBA PNGs, grey-scale and palette images all become 3 channels
    except FileNotFoundError:
        raise DataError(msg("test.no_image", path=path)) from None
    except Image.DecompressionBombError:  # PIL's guard against images that would fill the memory
        raise DataError(msg("test.too_large", path=path, pixels=2 * (Image.MAX_IMAGE_PIXELS or 0))) from None
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError, EOFError) as err:
        raise DataError(msg("test.unreadable", path=path, error=type(err).__name__)) from None


def image_transform(normalize: dict | None):
    """Resize to 32x32, ``ToTensor()``, and the ``Normalize`` a checkpoint's model was trained with (if any)."""
    from torchvision import transforms

    steps = [transforms.Resize((32, 32)), transforms.ToTensor()]
    if normalize is not None:  # the model was trained on normalized images: feed it the same
        steps.append(transforms.Normalize(normalize["mean"], normalize["std"]))
    return transforms.Compose(steps)


def predict(model: torch.nn.Module, image, transform, device: torch.device) -> tuple[int, float]:
    """``(class index, softmax probability)`` of ``model`` for one PIL ``image``."""
    x = transform(image)
    x = torch.reshape(x, (1, 3, 32, 32)).to(device)  # a batch of one image
    model.eval()
    with torch.no_grad():
        output = model(x)
    probabilities = torch.softmax(output, dim=1)[0]
    index = int(output.argmax(1).item())
    return index, float(probabilities[index])


def main(argv: list[str] | None = None) -> int:
    with command():  # the system's language; SIGTERM and SIGHUP stop it as Ctrl-C does
        parser = make_parser()
        try:
            args = parser.parse_args(argv)
            device = get_device(args.device)
            model, checkpoint = load_model(args.checkpoint, map_location=device)
            images = [open_rgb(path) for path in args.images]  # every image checked before any prediction
            transform = image_transform(checkpoint["normalize"])
            classes = checkpoint["classes"]
            for path, image in zip(args.images, images):
                index, probability = predict(model, image, transform, device)
                print(msg("test.prediction", path=path, label=class_label(classes[index]), p=probability))
        except CourseError as err:  # one line that says what is wrong
            print(f"{parser.prog}: error: {err}", file=sys.stderr)
            return 2
        except KeyboardInterrupt as err:
            print(interrupted_line(parser.prog, err, msg("cli.nothing_done")), file=sys.stderr)
            return exit_status(err)
    return 0


if __name__ == "__main__":  # Windows starts new processes by spawning: nothing runs on import
    sys.exit(main())
