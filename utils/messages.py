"""Every message the course itself prints or raises, in English and Chinese: one table.

:data:`MESSAGES` maps a dotted key (``"device.unknown"``, ``"data.folder_missing"``) to an
``(English, Chinese)`` pair of :meth:`str.format` templates with named fields, and :func:`msg`
formats the one of the current language (``check_parameters(..., language="zh")`` makes it Chinese,
through :func:`utils.i18n.set_language`)::

    raise DataError(msg("data.sample_missing", path=paths.show(folder)))
    print(msg("training.epoch_line", epoch=1, train_loss=2.3012))

A message that is built from parts takes the parts as fields, each a message of its own
(``msg("device.unknown", spec=spec, fix=msg("device.fix"))``).  Both templates of an entry have the
same fields; ``tests/utils/test_messages.py`` fails for an entry without a real Chinese text, and
for an English message written outside this table into the modules that use it (``utils``'s
core modules, ``utils/exercises/__init__.py``, ``tools/data.py``).  The Chinese follows the
edition's style sheet (``tools/zh_style.py``, GLOSSARY.md).  ``scripts/`` still write their few
messages with ``utils.i18n.tr(en, zh)``.

Not here:

- **each exercise's own text** — its task, hint and feedback, written with
  ``utils.i18n.tr(en, zh)`` in ``utils/exercises/lessonNN.py`` (like a notebook's prose, it belongs
  to its lesson); the feedback around it ("✅ correct", "not answered yet") is here;
- **figure text** (:func:`utils.plotting.fig_text`): Chinese only when a Chinese font is there;
- **programming errors** meant for whoever writes a lesson or a tool (``show_images`` given a
  wrong shape, ``record()`` given an object, an unknown ``check_parameters`` name): plain English,
  as Python's own are.

The table also tells which course messages a stored notebook shows: :func:`pattern` turns a
template into a regular expression, used by ``make outputs`` to record the messages it finds in
a notebook's outputs (``tools.notebooks.message_stamp``) and by the Chinese edition's check to
find English messages in Chinese outputs (:func:`utils.i18n.english_messages`).
"""
from __future__ import annotations

import hashlib
import json
import re
import string

_FIX_PARAMETER = ("fix the parameters cell or the -p option", "请改参数单元格或 -p 选项")
_RESIZE = ("resize the images to 32x32 (CIFAR-10 size) first.", "请先把图像缩放到 32x32（CIFAR-10 的尺寸）。")
_SOURCES = ("'auto', 'cifar10', 'sample', 'synthetic' or 'folder:<path>'",
            "'auto'、'cifar10'、'sample'、'synthetic' 或 'folder:<path>'")

#: key → (English template, Chinese template); fields are named, ``{path}``, ``{epoch:>2}``, ``{value!r}``.
MESSAGES: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------------ device (utils.device)
    "device.fix": (
        "use device='auto' (the GPU when there is one, else the CPU) or device='cpu'",
        "用 device='auto'（有 GPU 时用 GPU，否则用 CPU）或 device='cpu'"),
    "device.unknown": (
        "device must be 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps' (got {spec!r}); {fix}.",
        "device 必须是 'auto'、'cpu'、'cuda'、'cuda:N' 或 'mps'（而你给的是 {spec!r}）；请{fix}。"),
    "device.no_mps": (
        "device='mps' was asked for, but this machine has no usable Apple MPS GPU; {fix}.",
        "你要的是 device='mps'，但这台电脑没有可用的 Apple MPS GPU；请{fix}。"),
    "device.no_cuda": (
        "device={spec!r} was asked for, but this machine has no usable CUDA GPU; {fix}.",
        "你要的是 device={spec!r}，但这台电脑没有可用的 CUDA GPU；请{fix}。"),
    "device.cuda_index": (
        "device={spec!r} was asked for, but this machine has {count} CUDA GPU(s) (cuda:0 … cuda:{last}); "
        "pick one of those or {fix}.",
        "你要的是 device={spec!r}，但这台电脑只有 {count} 块 CUDA GPU（cuda:0 … cuda:{last}）；请从中选一块，或者{fix}。"),
    # ------------------------------------------------------------------ gpu_diagnosis (utils.device)
    "gpu.usable": (
        "GPU: {count} usable ({name}), PyTorch built for {kind}; device='auto' uses it.",
        "GPU：有 {count} 块可用（{name}），PyTorch 是 {kind} 版本；device='auto' 会用它。"),
    "gpu.mps_usable": (
        "GPU: Apple's MPS is usable (an Apple Silicon Mac); device='auto' uses it.",
        "GPU：可以使用 Apple 的 MPS（Apple Silicon 芯片的 Mac）；device='auto' 会用它。"),
    "gpu.mps_unusable": (
        "GPU: none usable. This PyTorch has MPS, but this Mac cannot use it: MPS needs an Apple Silicon "
        "(M1 or later) Mac with macOS 12.3 or newer. The lessons run on the CPU.",
        "GPU：不可用。这个 PyTorch 带有 MPS，但这台 Mac 用不了：MPS 需要 Apple Silicon（M1 及以后）"
        "芯片和 macOS 12.3 或更新的系统。课程会在 CPU 上运行。"),
    "gpu.no_mps_build": (
        "GPU: none usable. This PyTorch was built without MPS; install the standard macOS build "
        "(pip install torch torchvision) to use an Apple Silicon GPU. The lessons run on the CPU.",
        "GPU：不可用。这个 PyTorch 没有 MPS 支持；要用 Apple Silicon 的 GPU，请安装标准的 macOS 版本"
        "（pip install torch torchvision）。课程会在 CPU 上运行。"),
    "gpu.cpu_only": (
        "GPU: none usable, because this PyTorch is a CPU-only build (torch.version.cuda is None). "
        "For an NVIDIA GPU, install a CUDA build: see the command at https://pytorch.org/get-started/locally/.",
        "GPU：不可用，因为装的是只支持 CPU 的 PyTorch（torch.version.cuda 是 None）。"
        "要用 NVIDIA 显卡，请安装 CUDA 版本的 PyTorch，安装命令见 https://pytorch.org/get-started/locally/ 。"),
    "gpu.rocm_no_gpu": (
        "GPU: none usable. This PyTorch is built for ROCm {hip}, but finds no AMD GPU or ROCm driver "
        "(rocm-smi should list one). On a GPU machine, install or repair the ROCm driver; "
        "otherwise the lessons run on the CPU.",
        "GPU：不可用。装的是 ROCm {hip} 版本的 PyTorch，但找不到 AMD GPU 或 ROCm 驱动"
        "（rocm-smi 应该能列出 GPU）。有 GPU 的电脑请安装或修复 ROCm 驱动；没有的话，课程会在 CPU 上运行。"),
    "gpu.driver_supports": (
        " (driver supports CUDA {version})",
        "（驱动支持 CUDA {version}）"),
    "gpu.driver_too_old": (
        "GPU: none usable: the NVIDIA driver is too old for this PyTorch's CUDA {cuda}{driver}. "
        "Update the driver, or install a PyTorch built for an older CUDA (https://pytorch.org/get-started/locally/).",
        "GPU：不可用：NVIDIA 驱动太旧，不支持这个 PyTorch 所用的 CUDA {cuda}{driver}。"
        "请升级驱动，或者安装面向较旧 CUDA 版本的 PyTorch（https://pytorch.org/get-started/locally/ ）。"),
    "gpu.no_driver": (
        "GPU: none usable. This PyTorch is built for CUDA {cuda}, but finds no NVIDIA driver or GPU "
        "(nvidia-smi should list one). On a GPU machine, install or repair the NVIDIA driver; "
        "otherwise the lessons run on the CPU.",
        "GPU：不可用。装的是 CUDA {cuda} 版本的 PyTorch，但找不到 NVIDIA 驱动或显卡"
        "（nvidia-smi 应该能列出显卡）。有 GPU 的电脑请安装或修复 NVIDIA 驱动；没有的话，课程会在 CPU 上运行。"),
    # ------------------------------------------------------------------ parameters (utils.params, utils.lesson)
    "params.wrong": (
        "{name} must be {rule} (got {value!r}); " + _FIX_PARAMETER[0] + ".",
        "{name} 必须是{rule}（而你给的是 {value!r}）；" + _FIX_PARAMETER[1] + "。"),
    "params.whole_number": ("a whole number{range}", "{range}整数"),
    "params.number": ("a number{range}", "{range}数"),
    "params.from_to": (" from {low} to {high}", " {low} 到 {high} 之间的"),
    "params.at_least": (" >= {low}", "不小于 {low} 的"),
    "params.at_most": (" <= {high}", "不大于 {high} 的"),
    "params.bool": ("True or False", " True 或 False"),
    "params.text": ("a text such as {example!r}", "文本，比如 {example!r}"),
    "params.choice": ("one of {choices}", "以下之一：{choices}"),
    "params.not_text_or_file": (
        "{name} must be a text: \"\" or the path of a file (got {value!r}); " + _FIX_PARAMETER[0] + ".",
        "{name} 必须是文本：\"\" 或一个文件的路径（而你给的是 {value!r}）；" + _FIX_PARAMETER[1] + "。"),
    "params.no_such_file": (
        "{name}={value!r}: no such file (relative paths start at {cwd}/, this notebook's folder). "
        "Put the downloaded file there, give its full path, or set {name} = \"\" to skip loading it.",
        "{name}={value!r}：没有这个文件（相对路径从这个 notebook 所在的文件夹 {cwd}/ 算起）。"
        "把下载好的文件放到那里、写出它的完整路径，或者设 {name} = \"\" 跳过加载。"),
    # ------------------------------------------------------------------ the data line (utils.data)
    "data.line_sample": (
        "Data: the CIFAR-10 sample shipped in {path}, 1,500 training + 600 test images ({reason}). "
        "For all 60,000 images run: {get_full}",
        "数据：课程自带的 CIFAR-10 样本 {path}，1,500 张训练图像 + 600 张测试图像（{reason}）。"
        "要用全部 60,000 张图像，请运行：{get_full}"),
    "data.line": ("Data: {name}{where} ({reason})", "数据：{name}{where}（{reason}）"),
    "data.name_cifar10": ("the full CIFAR-10", "完整的 CIFAR-10"),
    "data.name_folder": ("image folder", "图像文件夹"),
    "data.name_synthetic": ("synthetic shapes", "合成图形"),
    "data.reason_installed": ("auto: it is installed", "auto：已安装"),
    "data.reason_not_installed": ("auto: no full CIFAR-10 in {path}", "auto：{path} 中没有完整的 CIFAR-10"),
    "data.reason_asked": ("asked for by data_source={source!r}", "参数 data_source={source!r}"),
    "data.reason_synthetic": (
        "asked for by data_source='synthetic'; shapes and textures, not photos",
        "参数 data_source='synthetic'；是图形和纹理，不是照片"),
    # ------------------------------------------------------------------ data errors (utils.data, utils.lesson)
    "data.source_type": (
        "data_source must be one of " + _SOURCES[0] + " (got {value!r}).",
        "data_source 必须是 " + _SOURCES[1] + " 之一（而你给的是 {value!r}）。"),
    "data.root_type": (
        "data_root must be a folder path such as 'data' (got {value!r}).",
        "data_root 必须是文件夹路径，比如 'data'（而你给的是 {value!r}）。"),
    "data.folder_without_path": (
        "data_source='folder:' needs a path, e.g. data_source='folder:data/cifar10-images'.",
        "data_source='folder:' 需要一个路径，比如 data_source='folder:data/cifar10-images'。"),
    "data.source_unknown": (
        "unknown data_source {value!r}; use " + _SOURCES[0] + ".",
        "没有 data_source {value!r} 这个选项；请用 " + _SOURCES[1] + "。"),
    "data.synthetic_in_lesson": (
        "data_source='synthetic' is for the unit tests; lessons use 'auto', 'cifar10', 'sample' or 'folder:<path>'.",
        "data_source='synthetic' 只用于单元测试；各课请用 'auto'、'cifar10'、'sample' 或 'folder:<path>'。"),
    "data.folder_missing": (
        "data folder {path} does not exist; point data_source='folder:<path>' at a folder laid out as {layout}.",
        "数据文件夹 {path} 不存在；请让 data_source='folder:<path>' 指向按 {layout} 排列的文件夹。"),
    "data.no_split": (
        "{path} has no {split}/ folder; lay it out as {layout}.",
        "{path} 里没有 {split}/ 文件夹；请按 {layout} 排列。"),
    "data.no_classes": (
        "{path} has no class folders; lay it out as {layout}.",
        "{path} 里没有类别文件夹；请按 {layout} 排列。"),
    "data.one_class": (
        "{path} has one class folder ({name}); a classifier needs at least two: add another class folder, "
        "laid out as {layout}.",
        "{path} 只有一个类别文件夹（{name}）；分类模型至少需要两个类别：请再加一个类别文件夹，按 {layout} 排列。"),
    "data.classes_differ": (
        "{path} has class folders {here}, but train/ has {classes}; use the same classes in both.",
        "{path} 的类别文件夹是 {here}，而 train/ 的是 {classes}；两边请用相同的类别。"),
    "data.not_ten_classes": (
        "{path} has {found} classes; the lessons' models give {count} scores, one per CIFAR-10 class: use a folder "
        "of {count} class folders, or train on it with scripts/train.py, whose model takes the class count from "
        "the data.",
        "{path} 有 {found} 个类别；本课程各课的模型输出 {count} 个得分，每个 CIFAR-10 类别一个：请用含 {count} 个"
        "类别文件夹的文件夹，或者用 scripts/train.py 训练，它的模型按数据里的类别数搭建。"),
    "data.empty_class": (
        "class folder {path} has no .png or .jpg images; add some or remove the folder.",
        "类别文件夹 {path} 里没有 .png 或 .jpg 图像；请加一些图像，或者删掉这个文件夹。"),
    "data.wrong_size": (
        "{path} is {width}x{height}, not 32x32; " + _RESIZE[0],
        "{path} 的尺寸是 {width}x{height}，不是 32x32；" + _RESIZE[1]),
    "data.too_large": (
        "{path} is far too large to open safely{size}; " + _RESIZE[0],
        "{path} 太大{size}，无法安全打开；" + _RESIZE[1]),
    "data.too_large_size": (" (over {pixels:,} pixels)", "（超过 {pixels:,} 像素）"),
    "data.unreadable_image": (
        "{path} is not a readable image ({error}); remove or replace it.",
        "{path} 不是能读的图像（{error}）；请删掉或换掉它。"),
    "data.sample_missing": (
        "the shipped sample {path} is missing; restore it with git checkout -- sample",
        "课程自带的样本 {path} 不见了；请用 git checkout -- sample 恢复它"),
    "data.cifar10_missing": (
        "no CIFAR-10 in {path}: run {get_full} (or python -m tools data), or use data_source='sample'.",
        "{path} 中没有 CIFAR-10：请运行 {get_full}（或 python -m tools data），或者用 data_source='sample'。"),
    "data.no_cifar10_folder": (
        "no CIFAR-10 in {path}: run {get_full}, or use data_source='sample'.",
        "{path} 中没有 CIFAR-10：请运行 {get_full}，或者用 data_source='sample'。"),
    # the CIFAR-10 batches: each error ends with data.again (utils.download cuts it off to name the archive)
    "data.again": ("delete the folder and run {get_full} again.", "请删除这个文件夹，再运行 {get_full}。"),
    "data.incomplete": (
        "CIFAR-10 in {path} is incomplete (missing {missing}): {again}",
        "{path} 中的 CIFAR-10 不完整（缺少 {missing}）：{again}"),
    "data.unreadable_batch": (
        "{path} is not a readable CIFAR-10 batch ({error}); {again}",
        "{path} 不是能读的 CIFAR-10 批次文件（{error}）；{again}"),
    "data.not_a_batch": ("{path} is not a CIFAR-10 batch; {again}", "{path} 不是 CIFAR-10 的批次文件；{again}"),
    "data.no_label_names": ("{path} has no label_names; {again}", "{path} 里没有 label_names；{again}"),
    "data.bad_batch": (
        "{path} does not hold 3x32x32 images with one label each; {again}",
        "{path} 里不是每张带一个标签的 3x32x32 图像；{again}"),
    "data.bad_labels": (
        "{path} has labels outside 0…{last}; {again}",
        "{path} 里有 0…{last} 以外的标签；{again}"),
    # ------------------------------------------------------------------ make data (utils.download, tools.data)
    "download.manual": (
        "download {archive} another way (a browser at {page}, a mirror, a course drive) and run: "
        "make data ARCHIVE=path/to/{archive}  (without make: python -m tools data --archive PATH)",
        "用别的方式下载 {archive}（用浏览器打开 {page}、镜像站或课程网盘），然后运行："
        "make data ARCHIVE=path/to/{archive}（不用 make 时：python -m tools data --archive PATH）"),
    "download.root_is_file": (
        "the data root {path} cannot hold CIFAR-10: {where}; give a folder (--root)",
        "数据根目录 {path} 放不了 CIFAR-10：{where}；请给出一个文件夹（--root）"),
    "download.it_is_a_file": ("it is a file", "它是一个文件"),
    "download.is_a_file": ("{path} is a file", "{path} 是文件"),
    "download.archive_is_folder": (
        "{path} is a folder, not {archive}; give the archive file as ARCHIVE=.",
        "{path} 是文件夹，不是 {archive}；请用 ARCHIVE= 给出压缩包文件。"),
    "download.no_archive": (
        "no archive at {path}; check the path given as ARCHIVE=.",
        "{path} 处没有压缩包；请检查 ARCHIVE= 给出的路径。"),
    "download.archive_md5": (
        "{path} has MD5 {found}, not {expected}: it is incomplete or not {archive}; download it again. "
        "Nothing was installed.",
        "{path} 的 MD5 是 {found}，不是 {expected}：它不完整，或者不是 {archive}；请重新下载。没有安装任何东西。"),
    "download.no_cifar_folder": (
        "{path} holds no {folder}/ folder; it is not {archive}.",
        "{path} 里没有 {folder}/ 文件夹；它不是 {archive}。"),
    "download.unsafe_entry": (
        "{path} holds an unsafe entry {entry!r}; it is not {archive}.",
        "{path} 里有不安全的条目 {entry!r}；它不是 {archive}。"),
    "download.cannot_unpack": (
        "{path} could not be unpacked ({error}); download it again.",
        "{path} 解压不了（{error}）；请重新下载。"),
    "download.not_whole": (
        "{path} is not a whole CIFAR-10 ({detail}); download it again. Nothing was installed.",
        "{path} 不是完整的 CIFAR-10（{detail}）；请重新下载。没有安装任何东西。"),
    "download.slow_lookup": ("looking up {host} took over {timeout:g} s", "查找 {host} 的地址超过了 {timeout:g} 秒"),
    "download.cut_short": (
        "the connection closed after {received:,} of {total:,} bytes",
        "连接在收到 {total:,} 字节中的 {received:,} 字节后断开了"),
    "download.failed": (
        "could not download CIFAR-10 ({error}: {reason}); {manual}.",
        "下载不了 CIFAR-10（{error}: {reason}）；{manual}。"),
    "download.download_md5": (
        "the downloaded {archive} has MD5 {found}, not {expected}: the download is broken or not {archive}, "
        "and nothing was installed; {manual}.",
        "下载的 {archive} 的 MD5 是 {found}，不是 {expected}：下载不完整，或者不是 {archive}，没有安装任何东西；{manual}。"),
    "download.the_download": ("the downloaded {archive}", "下载的 {archive}"),
    "download.cannot_install": (
        "the downloaded archive cannot be installed ({detail}); {manual}.",
        "下载的压缩包安装不了（{detail}）；{manual}。"),
    "download.already_installed": (
        "CIFAR-10 is already installed in {path} (--force installs it again).",
        "CIFAR-10 已经安装在 {path}（--force 会重新安装）。"),
    "download.reinstalling": (
        "CIFAR-10 in {path} is incomplete (missing {missing}): installing it again.",
        "{path} 中的 CIFAR-10 不完整（缺少 {missing}）：重新安装。"),
    "download.interrupted": ("interrupted: nothing was installed.", "已中断：没有安装任何东西。"),
    "download.installed": (
        "CIFAR-10 installed in {path}: the lessons now use all 60,000 images.",
        "CIFAR-10 已安装到 {path}：各课现在会用全部 60,000 张图像。"),
    # ------------------------------------------------------------------ training (utils.training)
    "training.epoch_line": ("epoch {epoch:>2}: train loss {train_loss:.4f}", "第 {epoch:>2} 轮：训练损失 {train_loss:.4f}"),
    "training.epoch_test": (
        ", test loss {test_loss:.4f}, test accuracy {test_accuracy:.1%}",
        "，测试损失 {test_loss:.4f}，测试准确率 {test_accuracy:.1%}"),
    "training.progress": ("epoch {epoch}", "第 {epoch} 轮"),
    "training.label_out_of_range": (
        "the data has a class label {label}, but the model gives only {scores} scores per image: build the model "
        "with one score per class (num_classes=len(train_data.classes))",
        "数据里有类别标签 {label}，但模型每张图像只输出 {scores} 个得分：请按类别数搭建模型（num_classes=len(train_data.classes)）"),
    "training.diverged": (
        "{what}: the training diverged (usually the learning rate is far too high); lower lr and train again",
        "{what}：训练发散了（通常是学习率太大）；请调小 lr 后重新训练"),
    "training.loss_not_finite": (
        "the training loss became {value} at step {step} of this epoch",
        "训练损失在本轮第 {step} 步变成了 {value}"),
    "training.weights_not_finite": (
        "after epoch {epoch} the model's weights or test loss are nan or infinite",
        "第 {epoch} 轮之后，模型的权重或测试损失变成了 nan 或无穷大"),
    # ------------------------------------------------------------------ figures (utils.plotting)
    "plotting.font_help": (
        "pip install mplfonts (or install a Chinese font such as Noto Sans CJK SC and delete matplotlib's font "
        "cache folder, matplotlib.get_cachedir()), then restart the kernel",
        "pip install mplfonts（或者安装一个中文字体，比如 Noto Sans CJK SC，再删除 matplotlib 的字体缓存文件夹 "
        "matplotlib.get_cachedir()），然后重启内核"),
    # ------------------------------------------------------------------ exercise feedback (utils.exercises)
    # ------------------------------------------------------------------ layer table (utils.summary)
    "summary.layer": ("layer", "层"),
    "summary.output": ("output (C x H x W)", "输出（C x H x W）"),
    "summary.params": ("params", "参数"),
    "summary.input": ("input", "输入"),
    "summary.total": ("total", "合计"),
    "exercises.not_answered": ("not answered yet", "还没有作答"),
    "exercises.prompt": (
        "Exercise {id}: not answered yet — {task} Replace None with your answer and run the cell again.",
        "练习 {id}：还没有作答。{task}把 None 换成你的答案，再运行这个单元格。"),
    "exercises.correct": ("✅ Exercise {id}: correct!", "✅ 练习 {id}：正确！"),
    "exercises.wrong": ("❌ Exercise {id}: {problem}\n   Hint: {hint}", "❌ 练习 {id}：{problem}\n   提示：{hint}"),
    "exercises.unchecked": (
        "your answer could not be checked ({error}: {detail})",
        "无法检查你的答案（{error}: {detail}）"),
    "exercises.one_number": (
        "the answer should be one number (got {answer!r}).",
        "答案应该是一个数（而你给的是 {answer!r}）。"),
    "exercises.one_letter": ("answer with one letter: {options}.", "请用一个字母作答：{options}。"),
    "exercises.not_it": ("({letter}) is not it.", "（{letter}）不对。"),
}

#: A template whose literal text (its words, without the fields) is narrower than this is too common to say
#: that a text shows that message: it gets no :func:`pattern` (``"epoch {epoch}"``, ``"Data: {name}{where} ({reason})"``).
#: Width as a terminal shows it: a Chinese character or full-width mark counts two.
DISTINCTIVE = 12
LANGUAGES = ("en", "zh")
#: The language :func:`msg` speaks; :func:`utils.i18n.set_language` checks and sets it (the lesson's set-up cell).
_current = ["en"]


def language() -> str:
    """The language of the course's messages now: ``"en"`` or ``"zh"`` (also :func:`utils.i18n.language`)."""
    return _current[0]


def msg(key: str, **fields) -> str:
    """The message ``key`` in the current language (:func:`language`), its fields filled in."""
    return render(key, language(), **fields)


def listing(items) -> str:
    """``items`` as a message names them, each ``repr``'d: ``'a', 'b'`` in English, ``'a'、'b'`` in Chinese."""
    return ("、" if language() == "zh" else ", ").join(repr(item) for item in items)


def render(key: str, lang: str, **fields) -> str:
    """The message ``key`` in ``lang`` (``"en"`` or ``"zh"``), its fields filled in."""
    return MESSAGES[key][LANGUAGES.index(lang)].format(**fields)


def fields(template: str) -> set[str]:
    """The names of a template's fields: ``{"path", "reason"}``."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def literal(template: str) -> str:
    """A template's text without its fields."""
    return "".join(text for text, *_ in string.Formatter().parse(template))


def width(text: str) -> int:
    """How wide ``text`` is on screen: a Chinese character or a full-width mark counts two."""
    return sum(2 if ord(c) >= 0x2E80 else 1 for c in text)


def pattern(template: str) -> str | None:
    """A regular expression that finds ``template``'s rendered text, or ``None`` if it is not distinctive.

    The literal parts are escaped and each field in between becomes ``.+?`` (within one line); fields
    at the start or the end are left out, so a match shows the message's own words.  A template
    whose literal text is narrower than :data:`DISTINCTIVE` (:func:`width`) gets ``None``.
    """
    if width(literal(template).strip()) < DISTINCTIVE:
        return None
    tokens = []  # (is a field, text)
    for text, name, _, _ in string.Formatter().parse(template):
        if text:
            tokens.append((False, text))
        if name is not None:
            tokens.append((True, ""))
    while tokens and tokens[0][0]:
        tokens.pop(0)
    while tokens and tokens[-1][0]:
        tokens.pop()
    regex = "".join(".+?" if field else re.escape(text) for field, text in tokens)
    return (r"\b" + regex) if re.match(r"[A-Za-z0-9_]", tokens[0][1]) else regex


def patterns(lang: str) -> dict[str, re.Pattern]:
    """key → compiled :func:`pattern` of its ``lang`` template (``"en"`` or ``"zh"``), for the distinctive ones."""
    found = {}
    for key, pair in MESSAGES.items():
        regex = pattern(pair[LANGUAGES.index(lang)])
        if regex is not None:
            found[key] = re.compile(regex)
    return found


def template_hash(key: str, languages: str) -> str:
    """``"<languages>:<hash>"``: which of ``key``'s templates (``"en"``, ``"zh"`` or ``"en+zh"``) and a hash of them.

    ``make outputs`` stores it for each message a notebook's outputs show (``metadata.course.messages``);
    a changed template no longer has the hash, and the check names the notebook to run again.
    """
    texts = [MESSAGES[key][LANGUAGES.index(lang)] for lang in languages.split("+")]
    return f"{languages}:" + hashlib.sha256(json.dumps(texts, ensure_ascii=False).encode("utf-8")).hexdigest()[:12]


__all__ = ["DISTINCTIVE", "LANGUAGES", "MESSAGES", "language", "fields", "listing", "literal", "msg", "pattern", "patterns", "render", "template_hash", "width"]
