"""The one course call in a lesson's set-up cell: check the parameters; find the CIFAR-10 images.

Everything after the set-up cell is plain PyTorch: the lesson seeds with ``torch.manual_seed``,
picks its ``torch.device`` and opens its data with ``torchvision.datasets`` itself.
"""
from __future__ import annotations

from pathlib import Path

from . import paths
from .data import CIFAR10_CLASSES, check_cifar10_files, check_image_folder, check_source, folder_classes, resolve_source
from .device import get_device
from .errors import DataError, ParameterError
from .i18n import set_language
from .messages import msg
from .params import check_bool, check_int, check_int_or_auto


# --------------------------------------------------------------------------- plain-PyTorch set-up
#: What each parameter a lesson may have must be: ("int", minimum, maximum), ("bool",),
#: ("str",), ("int_or_auto", minimum, maximum), ("file_or_empty",) (a text: empty, or the path of a file
#: that exists, relative to the notebook's folder), or a special name checked below: ("log_dir",) (a folder
#: the lesson can write its TensorBoard runs into), ("vgg16_weights",) (empty, or a file that loads as
#: torchvision's VGG16 state_dict).
PARAMETER_RULES: dict[str, tuple] = {
    "device": ("device",),
    "data_source": ("data_source",),
    "data_root": ("str",),
    "log_dir": ("log_dir",),
    "project_dir": ("str",),
    "seed": ("int", 0, 2**64 - 1),
    "batch_size": ("int", 1, 4096),
    "num_images": ("int", 0, 50_000),
    "max_batches": ("int", 1, 10_000),
    "epochs": ("int_or_auto", 1, 200),
    "final_epochs": ("int_or_auto", 1, 200),
    "compare_epochs": ("int", 1, 100),
    "pretrain_images": ("int", 1, 5_000),
    "pretrain_epochs": ("int", 1, 200),
    "progress": ("bool",),
    "interactive": ("bool",),
    "weights_file": ("vgg16_weights",),
}


def check_parameters(language: str = "en", limits: dict[str, tuple[int, int]] | None = None, **values) -> None:
    """Check a lesson's parameters; raise one line naming the first wrong one, else do nothing.

    This is the one course call in a lesson's set-up cell: the lesson itself then uses the
    values with plain PyTorch (``torch.device(device)``, ``DataLoader(..., batch_size=batch_size)``).

    Args:
        language: ``"en"`` or ``"zh"``: the language of the lines the course prints from now on
            (the data line, exercise feedback; see :mod:`utils.i18n`).
        limits: ``{name: (minimum, maximum)}`` for a whole-number parameter whose range is the
            lesson's own (e.g. ``num_images`` up to ``batch_size``).
        values: the parameters by name (see :data:`PARAMETER_RULES`).

    Raises:
        ParameterError, DeviceError, DataError: one line saying which value to change and how;
            nothing is written anywhere.

    >>> check_parameters(seed=0, batch_size=64)
    """
    from .params import check_str

    set_language(language)
    limits = limits or {}
    for name, value in values.items():
        if name not in PARAMETER_RULES:
            raise TypeError(f"check_parameters() knows no parameter {name!r}; known: {', '.join(PARAMETER_RULES)}")
        kind, *bounds = PARAMETER_RULES[name]
        if name in limits:
            bounds = list(limits[name])
        if kind == "device":
            get_device(value)
        elif kind == "data_source":
            resolve_source(value, values.get("data_root", "data"))
        elif kind == "str":
            check_str(name, value, "data")
        elif kind == "log_dir":
            _check_log_dir(name, value)
        elif kind == "vgg16_weights":
            _check_file_or_empty(name, value)
            if value:
                _check_vgg16_weights(name, value)
        elif kind == "bool":
            check_bool(name, value)
        elif kind == "file_or_empty":
            _check_file_or_empty(name, value)
        elif kind == "int_or_auto":
            if value != "auto":
                check_int_or_auto(name, value, *bounds)
        else:
            check_int(name, value, *bounds)


def _check_file_or_empty(name: str, value) -> None:
    """``value`` is ``""`` (nothing to load) or names an existing file; else one line saying what to do."""
    if not isinstance(value, str):
        raise ParameterError(msg("params.not_text_or_file", name=name, value=value))
    if value and not Path(value).is_file():
        raise ParameterError(msg("params.no_such_file", name=name, value=value, cwd=Path.cwd().name))


def _check_log_dir(name: str, value) -> None:
    """``value`` names a folder the lesson can make its TensorBoard runs in (relative to the notebook's folder,
    as ``SummaryWriter`` takes it); else one line: it is a file, lies in a file or a read-only folder, or its
    name is too long.  Nothing is written."""
    from .params import check_str
    from .paths import folder_problem

    text = check_str(name, value, "logs")
    problem = folder_problem(Path(text).expanduser() if Path(text).expanduser().is_absolute() else Path.cwd() / text)
    if problem:
        raise ParameterError(msg("params.log_dir", name=name, value=value, problem=problem))


#: The lesson's weights files checked this session: (path, size, time stamp) → the error, or None if it loads.
_WEIGHTS_CHECKED: dict[tuple, str | None] = {}


def _check_vgg16_weights(name: str, value: str) -> None:
    """``value`` is a file ``torchvision.models.vgg16().load_state_dict(torch.load(value, weights_only=True))``
    accepts: it loads (not cut short), holds a state_dict, and every tensor has VGG16's name and shape.

    Cheap: the file is memory-mapped and the reference VGG16 is built on the ``meta`` device, so no 528 MB
    are read or allocated; the answer is kept for the session.
    """
    import torch
    import torchvision

    path = Path(value)
    info = path.stat()
    key = (str(path.resolve()), info.st_size, info.st_mtime_ns)
    if key not in _WEIGHTS_CHECKED:
        _WEIGHTS_CHECKED[key] = _vgg16_weights_problem(name, value, torch, torchvision)
    if _WEIGHTS_CHECKED[key]:
        raise ParameterError(_WEIGHTS_CHECKED[key])


def _vgg16_weights_problem(name: str, value: str, torch, torchvision) -> str | None:
    try:
        try:
            state = torch.load(value, map_location="cpu", weights_only=True, mmap=True)
        except RuntimeError as err:
            if "mmap" not in str(err):
                raise
            state = torch.load(value, map_location="cpu", weights_only=True)  # the old, not-zip format
    except Exception as err:  # noqa: BLE001 — cut short, not a torch file, or a pickle of more than tensors
        reason = str(err).strip().splitlines()[0][:120] if str(err).strip() else type(err).__name__
        return msg("params.weights_unreadable", name=name, value=value, error=f"{type(err).__name__}: {reason}")
    if not isinstance(state, dict) or not all(isinstance(t, torch.Tensor) for t in state.values()):
        return msg("params.weights_not_vgg16", name=name, value=value,
                   detail=msg("params.weights_not_state_dict", kind=type(state).__name__))
    with torch.device("meta"):
        expected = {k: tuple(t.shape) for k, t in torchvision.models.vgg16(weights=None).state_dict().items()}
    missing = [k for k in expected if k not in state]
    if missing:
        return msg("params.weights_not_vgg16", name=name, value=value,
                   detail=msg("params.weights_missing", count=len(missing), total=len(expected), tensor=missing[0]))
    extra = [k for k in state if k not in expected]
    if extra:
        return msg("params.weights_not_vgg16", name=name, value=value,
                   detail=msg("params.weights_extra", count=len(extra), tensor=extra[0]))
    for k, shape in expected.items():
        if tuple(state[k].shape) != shape:
            return msg("params.weights_not_vgg16", name=name, value=value,
                       detail=msg("params.weights_shape", tensor=k, shape=list(state[k].shape), expected=list(shape)))
    return None


def find_cifar10(data_source: str = "auto", data_root: str | Path = "data") -> tuple[str, str]:
    """Where this lesson's CIFAR-10 images are: ``("cifar10", root)``, ``("sample", path)`` or
    ``("folder", path)``; print which (the *Data* line).

    ``("cifar10", root)``: the full dataset that ``make data`` installed, to be opened with
    ``torchvision.datasets.CIFAR10(root, train=..., download=False)``.  ``("sample", path)`` and
    ``("folder", path)``: the 2,100-image sample shipped in ``sample/cifar10``, or a ``folder:<path>`` source,
    laid out as ``path/train/<class>/*.png`` and ``path/test/<class>/*.png``, to be opened with
    ``torchvision.datasets.ImageFolder(os.path.join(path, "train"))``.  The paths are absolute,
    so they work from any folder.

    Args:
        data_source: ``"auto"`` (the full set when it is installed, else the sample),
            ``"cifar10"``, ``"sample"`` or ``"folder:<path>"``.
        data_root: the folder ``make data`` installs into (relative paths start at the repository root).

    The images are checked as torchvision will read them, before the lesson runs: a ``folder:`` by
    ``ImageFolder``'s rules (:func:`utils.data.check_image_folder`: every image readable and 32x32, no
    empty class, no hidden folder or file that ImageFolder would take for a class or an image), an
    installed CIFAR-10 by its files' MD5s (:func:`utils.data.check_cifar10_files`).

    Raises:
        DataError: one line saying what to do when the images are not there, or when a
            ``folder:`` does not hold 10 classes (the lessons' models give one score per CIFAR-10 class),
            or holds what torchvision cannot read; nothing is written.
    """
    source = check_source(resolve_source(data_source, data_root))
    if source.kind == "synthetic":
        raise DataError(msg("data.synthetic_in_lesson"))
    if source.kind == "folder":
        classes, count = folder_classes(source.path, train=True), len(CIFAR10_CLASSES)
        if len(classes) != count:
            raise DataError(msg("data.not_ten_classes", path=paths.show(source.path), found=len(classes), count=count))
        check_image_folder(source.path)
    if source.kind == "cifar10":
        check_cifar10_files(source.path)
    print(source)
    if source.kind == "cifar10":
        return "cifar10", str(source.path.parent)
    return source.kind, str(source.path)
