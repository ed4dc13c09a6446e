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
core modules, ``utils/exercises/__init__.py``, the commands ``tools/data.py`` and ``scripts/``).  The
Chinese follows the edition's style sheet (``tools/zh_style.py``, GLOSSARY.md).  A lesson speaks the
language its set-up cell names; a command (``python -m tools …``, ``scripts/train.py``) the language of
the user's system (:func:`utils.i18n.system_language`, through :func:`utils.cli.command`).

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
    "params.above": (" > {low}", "大于 {low} 的"),
    "params.or_auto": ("{rule} or 'auto'", "{rule}，或者 'auto'"),
    "params.log_dir": (
        "{name}={value!r} cannot hold TensorBoard runs: {problem}; give a folder you can write to, e.g. {name} = \"logs\".",
        "{name}={value!r} 放不了 TensorBoard 的运行记录：{problem}；请给出一个可以写入的文件夹，比如 {name} = \"logs\"。"),
    "params.weights_unreadable": (
        "{name}={value!r} cannot be loaded with torch.load ({error}): the file is cut short or is not a weights file; "
        "download it again, or set {name} = \"\" to skip loading it.",
        "{name}={value!r} 用 torch.load 加载不了（{error}）：文件不完整，或者不是权重文件；"
        "请重新下载，或者设 {name} = \"\" 跳过加载。"),
    "params.weights_not_vgg16": (
        "{name}={value!r} holds no VGG16 weights ({detail}); give the state_dict of torchvision's vgg16 "
        "(vgg16-397923af.pth), or set {name} = \"\" to skip loading it.",
        "{name}={value!r} 里不是 VGG16 的权重（{detail}）；请给出 torchvision 的 vgg16 的 state_dict"
        "（vgg16-397923af.pth），或者设 {name} = \"\" 跳过加载。"),
    "params.weights_not_state_dict": ("it holds a {kind}, not a state_dict of tensors", "它存的是 {kind}，不是由张量组成的 state_dict"),
    "params.weights_missing": (
        "{count} of VGG16's {total} tensors are missing, e.g. {tensor}",
        "VGG16 的 {total} 个张量中缺少 {count} 个，比如 {tensor}"),
    "params.weights_extra": ("it has {count} tensors VGG16 has not, e.g. {tensor}", "它有 {count} 个 VGG16 没有的张量，比如 {tensor}"),
    "params.weights_shape": ("{tensor} has the shape {shape}, VGG16's has {expected}", "{tensor} 的形状是 {shape}，而 VGG16 的是 {expected}"),
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
    "data.more_hidden": (" (and {count} more like it)", "（另外还有 {count} 个类似的）"),
    "data.hidden_class": (
        "{path} is a hidden folder (Jupyter makes .ipynb_checkpoints folders){more}: torchvision's ImageFolder, which "
        "the lessons use, would take it for a class; delete it.",
        "{path} 是隐藏文件夹（Jupyter 会建 .ipynb_checkpoints 文件夹）{more}：各课用的 torchvision 的 ImageFolder "
        "会把它当成一个类别；请删掉它。"),
    "data.hidden_image": (
        "{path} is a hidden file (macOS makes ._ files when it copies to a USB drive){more}: torchvision's ImageFolder, "
        "which the lessons use, would open it as an image; delete it.",
        "{path} 是隐藏文件（macOS 往 U 盘复制时会生成 ._ 文件）{more}：各课用的 torchvision 的 ImageFolder "
        "会把它当成图像打开；请删掉它。"),
    "data.hidden_ignored": (
        "note: {count} hidden file(s) or folder(s) left out (names that start with a dot): {names}",
        "注意：忽略了 {count} 个隐藏的文件或文件夹（名字以点开头）：{names}"),
    "data.not_a_file": (
        "{path} is not an image file (a broken link, a link loop, a pipe or a device); remove or replace it.",
        "{path} 不是图像文件（是失效的链接、循环链接、管道或设备）；请删掉或换掉它。"),
    "data.reinstall": (
        "delete the folder {path} and run {get_full} again (without a network: make data ARCHIVE=path/to/"
        "cifar-10-python.tar.gz, an archive from a browser, a mirror or a course drive), or use data_source='sample'",
        "请删除文件夹 {path}，再运行 {get_full}（没有网络时：make data ARCHIVE=path/to/cifar-10-python.tar.gz，"
        "压缩包可以用浏览器、镜像站或课程网盘下载），或者用 data_source='sample'"),
    "data.cifar10_incomplete": (
        "CIFAR-10 in {path} is incomplete (missing {names}), so torchvision.datasets.CIFAR10 cannot open it: {reinstall}.",
        "{path} 中的 CIFAR-10 不完整（缺少 {names}），torchvision.datasets.CIFAR10 打不开它：{reinstall}。"),
    "data.cifar10_damaged": (
        "CIFAR-10 in {path} is damaged ({names}: not the MD5 torchvision checks, e.g. a copy cut short), so "
        "torchvision.datasets.CIFAR10 would refuse it: {reinstall}.",
        "{path} 中的 CIFAR-10 已损坏（{names} 的 MD5 不是 torchvision 核对的值，比如复制到一半断了），"
        "torchvision.datasets.CIFAR10 会拒绝它：{reinstall}。"),
    # the CIFAR-10 batches: each error ends with data.again (utils.download cuts it off to name the archive)
    "data.again": ("delete the folder and run {get_full} again.", "请删除这个文件夹，再运行 {get_full}。"),
    "data.incomplete": (
        "CIFAR-10 in {path} is incomplete (missing {missing}): {again}",
        "{path} 中的 CIFAR-10 不完整（缺少 {missing}）：{again}"),
    "data.unreadable_batch": (
        "{path} is not a readable CIFAR-10 batch ({error}); {again}",
        "{path} 不是能读的 CIFAR-10 批次文件（{error}）；{again}"),
    "data.not_a_batch": ("{path} is not a CIFAR-10 batch; {again}", "{path} 不是 CIFAR-10 的批次文件；{again}"),
    "data.unsafe_batch": (
        "{path} is not a CIFAR-10 batch: it asks to run {name}, and a CIFAR-10 batch holds only arrays, lists, numbers "
        "and text; nothing in it was run. {again}",
        "{path} 不是 CIFAR-10 的批次文件：它要求运行 {name}，而 CIFAR-10 的批次文件里只有数组、列表、数字和文本；"
        "其中的内容没有运行。{again}"),
    "data.labels_not_numbers": (
        "{path} has labels that are not a list of whole numbers; {again}",
        "{path} 里的标签不是一列整数；{again}"),
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
    "download.root_unusable": (
        "the data root {path} cannot hold CIFAR-10: {problem}; give another folder (--root)",
        "数据根目录 {path} 放不了 CIFAR-10：{problem}；请换一个文件夹（--root）"),
    "download.cannot_write": (
        "could not write CIFAR-10 into {path} ({reason}); unpacked it needs about 180 MB: free some space there or "
        "give another folder (--root). Nothing was installed.",
        "无法把 CIFAR-10 写入 {path}（{reason}）；解压后约需 180 MB：请在那里腾出空间，或者换一个文件夹（--root）。"
        "没有安装任何东西。"),
    "download.cannot_save": (
        "could not save the download in {path} ({reason}); it needs about 170 MB: free some space there, or point "
        "TMPDIR (Windows: TEMP) at a folder that has it. Nothing was installed.",
        "无法把下载的文件保存到 {path}（{reason}）；约需 170 MB：请在那里腾出空间，或者让 TMPDIR（Windows 上是 TEMP）"
        "指向一个空间足够的文件夹。没有安装任何东西。"),
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
    # ------------------------------------------------------------------ files and folders (utils.paths)
    "os.disk_full": ("the disk is full", "磁盘已满"),
    "os.file_too_large": ("the file is larger than this system allows", "文件超过了系统允许的大小"),
    "os.read_only": ("a read-only disk or folder", "只读的磁盘或文件夹"),
    "os.no_permission": ("no permission to write there", "没有写入的权限"),
    "os.name_too_long": ("the name is too long for this system", "名字太长，系统不接受"),
    "os.not_a_folder": ("a part of the path is a file, not a folder", "路径中的某一段是文件，不是文件夹"),
    "os.exists": ("something of that name is already there", "同名的东西已经存在"),
    "paths.is_a_file": ("{path} is a file, not a folder", "{path} 是文件，不是文件夹"),
    "paths.cannot_use": ("{path} cannot be used ({reason})", "{path} 用不了（{reason}）"),
    "paths.cannot_write": ("{path} cannot be written ({reason})", "{path} 无法写入（{reason}）"),
    # ------------------------------------------------------------------ every command (utils.cli)
    "cli.interrupted": ("{prog}: interrupted ({signal}); {outcome}", "{prog}：已中断（{signal}）；{outcome}"),
    "cli.nothing_done": ("nothing was changed", "没有改动任何东西"),
    "cli.nothing_half_written": ("nothing was left half-written", "没有留下写了一半的文件"),
    "cli.unknown_command": ("error: unknown command {name!r}", "错误：没有 {name!r} 这个命令"),
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
    # ------------------------------------------------------------------ scripts/train.py
    "cli.argument": ("argument {name}: {problem}", "参数 {name}：{problem}"),
    "cli.unrecognized": ("unrecognized arguments: {arguments}", "无法识别的参数：{arguments}"),
    "cli.required": ("the following arguments are required: {arguments}", "缺少这些参数：{arguments}"),
    "cli.invalid_choice": ("invalid choice: {value} (choose from {choices})", "无效的选项：{value}（可选：{choices}）"),
    "cli.expected_one": ("expected one argument", "需要一个值"),
    "cli.invalid_value": ("invalid {kind} value: {value}", "无效的 {kind} 值：{value}"),
    "cli.must_be": ("must be {rule} (got {value!r})", "必须是{rule}（而你给的是 {value!r}）"),
    "cli.os_error": ("{path}: {reason}; {outcome}", "{path} 出错：{reason}；{outcome}"),
    "cli.os_error_nowhere": ("{reason}; {outcome}", "出错：{reason}；{outcome}"),
    "train.no_checkpoint": ("no checkpoint was saved", "没有保存检查点"),
    "train.out_empty": (
        "--out needs a folder path (leave it out for a new runs/train/<date-time>/ folder)",
        "--out 需要一个文件夹路径（不写它则新建 runs/train/<日期-时间>/ 文件夹）"),
    "train.cannot_save_default": (
        "the run cannot be saved in {path}: {why}; give --out a folder you can write to",
        "无法把这次训练保存到 {path}：{why}；请用 --out 指定一个可以写入的文件夹"),
    "train.cannot_save_out": (
        "--out {path}: {why}; give a folder you can write to",
        "--out {path}：{why}；请给出一个可以写入的文件夹"),
    "train.cannot_write": ("it cannot be written ({reason})", "无法写入（{reason}）"),
    "train.no_distributed": (
        "this PyTorch has no torch.distributed; run train.py without torchrun",
        "这个 PyTorch 没有 torch.distributed；请不用 torchrun，直接运行 train.py"),
    "train.distributed_mps": (
        "torch.distributed cannot use Apple's MPS GPU; run without torchrun, or with --device cpu",
        "torch.distributed 用不了 Apple 的 MPS GPU；请不用 torchrun 运行，或者加上 --device cpu"),
    "train.distributed_cuda_index": (
        "under torchrun each process uses cuda:LOCAL_RANK, so pass --device cuda (or auto), not {spec!r}; "
        "choose GPUs with CUDA_VISIBLE_DEVICES",
        "在 torchrun 下每个进程用 cuda:LOCAL_RANK，所以请写 --device cuda（或 auto），而不是 {spec!r}；"
        "要选哪几块 GPU，请用 CUDA_VISIBLE_DEVICES"),
    "train.distributed_too_many": (
        "torchrun started process {rank}, but this machine has {count} CUDA GPU(s); use --nproc_per_node={count} or fewer",
        "torchrun 启动了第 {rank} 号进程，但这台电脑只有 {count} 块 CUDA GPU；请用 --nproc_per_node={count} 或更小的数"),
    "train.device_line": ("device: {device}{distributed}", "设备：{device}{distributed}"),
    "train.distributed": (" (torch.distributed: {count} processes, {backend})", "（torch.distributed：{count} 个进程，{backend}）"),
    "train.sizes": (
        "training set: {train} images, test set: {test} images, classes: {classes}",
        "训练集：{train} 张图像，测试集：{test} 张图像，类别：{classes}"),
    "train.scaled": (
        "batch size {batch} and lr {lr} for {images} training images (the recipe's {recipe_batch} and {recipe_lr} "
        "are for the full CIFAR-10)",
        "{images} 张训练图像用批量大小 {batch}、学习率 {lr}（训练方案的 {recipe_batch} 和 {recipe_lr} 是为完整的 "
        "CIFAR-10 定的）"),
    "train.model_line": ("model: {name} ({kind}), {recipe}", "模型：{name}（{kind}），{recipe}"),
    "train.precision_line": (
        "precision: {precision} (recipe: {recipe}; bf16 only where the hardware has bf16 units){on_device}",
        "精度：{precision}（训练方案：{recipe}；只在硬件有 bf16 单元时用 bf16）{on_device}"),
    "train.on_device": (", training images kept on the device", "，训练图像放在设备上"),
    "train.counters": (
        "total_train_step: {steps}, total_test_step: {tests}, epochs: {epochs}",
        "total_train_step：{steps}，total_test_step：{tests}，轮数：{epochs}"),
    "train.tensorboard_line": ("TensorBoard: {command}", "用 TensorBoard 查看：{command}"),
    "train.checkpoint_line": (
        "checkpoint: {path}  (try it: python scripts/test.py {quoted} IMAGE)",
        "检查点：{path}（试一试：python scripts/test.py {quoted} 图像文件）"),
    "train.accuracy_line": ("test accuracy: {accuracy:.4f}", "测试准确率：{accuracy:.4f}"),
    "train.views_line": ("test accuracy with flip and shift at test time (six views per image): {accuracy:.4f}",
                         "测试时翻转并平移（每张图像六个视图）的测试准确率：{accuracy:.4f}"),
    # ------------------------------------------------------------------ scripts/model.py, scripts/test.py
    "checkpoint.holds": (" (it holds {names})", "（其中有 {names}）"),
    "checkpoint.folder": (
        "{path} is a folder, not a checkpoint{inside}; give the .pt file that scripts/train.py printed",
        "{path} 是文件夹，不是检查点{inside}；请给出 scripts/train.py 打印的 .pt 文件"),
    "checkpoint.missing": (
        "checkpoint {path} does not exist; train one with: python scripts/train.py",
        "检查点 {path} 不存在；请先训练一个：python scripts/train.py"),
    "checkpoint.unreadable": (
        "{path} is not a checkpoint written by scripts/train.py ({error}); train one with: python scripts/train.py",
        "{path} 不是 scripts/train.py 写的检查点（{error}）；请先训练一个：python scripts/train.py"),
    "checkpoint.keys": (
        "{path} is not a checkpoint written by scripts/train.py (it needs the keys {keys}; a bare state_dict does "
        "not say which model it is for)",
        "{path} 不是 scripts/train.py 写的检查点（它需要 {keys} 这几个键；单独的 state_dict 说不出它属于哪个模型）"),
    "checkpoint.unknown_model": (
        "{path} holds a model {name!r} this course does not know (known: {known})",
        "{path} 里的模型 {name!r} 不是本课程的模型（本课程有：{known}）"),
    "checkpoint.no_classes": (
        "{path} has no list of class names (at least two)",
        "{path} 里没有类别名称的列表（至少两个）"),
    "checkpoint.bad_normalize": (
        "{path} has a normalize entry that is not {{'mean': [r, g, b], 'std': [r, g, b]}} of finite numbers with each "
        "std above 0; train one with: python scripts/train.py",
        "{path} 的 normalize 不是 {{'mean': [r, g, b], 'std': [r, g, b]}} 这样的有限数值（std 都要大于 0）；"
        "请先训练一个：python scripts/train.py"),
    "checkpoint.not_finite": (
        "{path} holds weights that are nan or infinite (its training diverged); train again with a smaller --lr",
        "{path} 中的权重含有 nan 或无穷大（训练发散了）；请用更小的 --lr 重新训练"),
    "checkpoint.class_count": (
        "{path} names {classes} classes, but its model gives {scores} scores",
        "{path} 写的是 {classes} 个类别，但它的模型输出 {scores} 个得分"),
    "checkpoint.other_model": (
        "{path} says it holds a {name!r} model, but its weights are a {other!r} model's (was the file edited or put "
        "together by hand?); use a checkpoint as scripts/train.py saved it",
        "{path} 说它存的是 {name!r} 模型，但里面的权重属于 {other!r} 模型（文件是不是被改过或手工拼起来的？）；"
        "请用 scripts/train.py 保存的原样的检查点"),
    "checkpoint.weights_misfit": (
        "{path}: its weights do not fit the {name!r} model ({count} of its {total} tensors are missing or of another "
        "shape, e.g. {tensor}); train one with: python scripts/train.py",
        "{path}：它的权重和 {name!r} 模型对不上（{total} 个张量中有 {count} 个缺少或形状不同，比如 {tensor}）；"
        "请先训练一个：python scripts/train.py"),
    "test.folder": (
        "{path} is a folder, not an image; give image files (e.g. {example})",
        "{path} 是文件夹，不是图像；请给出图像文件（例如 {example}）"),
    "test.no_image": ("image {path} does not exist", "图像 {path} 不存在"),
    "test.not_a_file": (
        "{path} is not a file (a pipe, a device or a broken link); give image files",
        "{path} 不是普通文件（是管道、设备或失效的链接）；请给出图像文件"),
    "test.too_large": (
        "{path} is far too large to open safely (over {pixels:,} pixels); make a smaller copy first (this script "
        "shrinks every image to 32x32 anyway)",
        "{path} 太大（超过 {pixels:,} 像素），无法安全打开；请先做一个小一些的副本（本脚本反正会把每张图像缩成 32x32）"),
    "test.unreadable": (
        "{path} is not an image this script can read ({error})",
        "{path} 不是本脚本能读的图像（{error}）"),
    "test.prediction": ("{path}: {label} (p={p:.2f})", "{path}：{label}（概率 {p:.2f}）"),
    # ------------------------------------------------------------------ the tools (tools/*.py)
    "tools.usage": (
        "usage: python -m tools <command> [options]\n\ncommands (each is also `make <command>`):",
        "用法：python -m tools <命令> [选项]\n\n命令（每个都也可以写成 `make <命令>`）："),
    "tools.about_lab": ("open the course in JupyterLab", "在 JupyterLab 中打开课程"),
    "tools.about_kernel": (
        "register the course's Jupyter kernel, Python 3 (tudui-pytorch), with this environment on its PATH",
        "注册课程的 Jupyter 内核 Python 3 (tudui-pytorch)，并把这个环境加到它的 PATH 里"),
    "tools.about_tensorboard": (
        "TensorBoard on the lessons' runs (notebooks/), with no activated environment needed",
        "用 TensorBoard 查看各课的运行记录（notebooks/），不需要先激活环境"),
    "tools.about_test": (
        "run the whole test suite (every notebook included): what CI runs",
        "运行全部测试（包括每个 notebook）：也就是 CI 运行的内容"),
    "tools.about_check": (
        "the quick checks: unit tests of utils, tools and scripts, no notebook runs",
        "快速检查：utils、tools 和 scripts 的单元测试，不运行 notebook"),
    "tools.about_data": (
        "download the full CIFAR-10 into data/ (--archive PATH: install a downloaded archive)",
        "把完整的 CIFAR-10 下载到 data/（--archive PATH：安装已经下载好的压缩包）"),
    "tools.about_report": (
        "run the lessons headless with papermill into reports/<time>/",
        "用 papermill 在后台运行各课，结果放在 reports/<时间>/"),
    "tools.about_slides": (
        "build offline reveal.js slide decks of the lessons into slides/",
        "把各课做成离线的 reveal.js 幻灯片，放在 slides/"),
    "tools.about_outputs": (
        "re-execute notebooks and store their outputs (CPU)",
        "重新运行 notebook 并保存它们的输出（CPU）"),
    "tools.about_bench": (
        "training-loop speed next to the compute bound, for both models",
        "两个模型的训练循环速度，与计算上限对比"),
    "tools.about_translations": (
        "write the Chinese edition notebooks/zh/ from translations/zh/ (also: stub, mark)",
        "根据 translations/zh/ 生成中文版 notebooks/zh/（还有 stub、mark）"),
    "tools.about_check_translations": (
        "fail if a translation is stale, missing or inconsistent",
        "翻译过时、缺失或不一致时报错"),
    "tools.no_lessons": ("no lesson notebooks (NN_*.ipynb) in {path}", "{path} 里没有课程 notebook（NN_*.ipynb）"),
    "tools.unknown_notebook": ("unknown notebook {name!r} (known: {known})", "没有 {name!r} 这个 notebook（已有：{known}）"),
    "report.params_unreadable": ("cannot read params file {path}: {reason}", "读不了参数文件 {path}：{reason}"),
    "report.params_line": (" (line {line})", "（第 {line} 行）"),
    "report.params_not_yaml": ("params file {path} is not valid YAML{line}", "参数文件 {path} 不是有效的 YAML{line}"),
    "report.params_not_mapping": (
        "params file {path} must be a mapping with a 'default:' block and per-notebook blocks",
        "参数文件 {path} 必须是一个映射：一个 'default:' 块，加上每个 notebook 各自的块"),
    "report.params_unknown_key": (
        "params file {path}: unknown key {entry!r} (use 'default', 'notebooks' or a notebook name: {known})",
        "参数文件 {path}：没有 {entry!r} 这个键（请用 'default'、'notebooks' 或某个 notebook 的名字：{known}）"),
    "report.params_block": (
        "params file {path}: the {block} block must map parameter names to values",
        "参数文件 {path}：{block} 块必须把参数名映射到值"),
    "report.params_unknown_notebook": (
        "params file {path} names notebook {name!r}, which does not exist (known: {known})",
        "参数文件 {path} 提到的 notebook {name!r} 不存在（已有：{known}）"),
    "report.params_undefined": (
        "the params file gives {notebook} {name!r}, which its parameters cell does not define (it defines: {defined})",
        "参数文件给了 {notebook} 参数 {name!r}，但它的参数单元格里没有这个参数（它有：{defined}）"),
    "report.unused": (
        "note: no notebook run here defines {name!r}; it is not passed (its parameters cells define: {defined})",
        "注意：这次运行的 notebook 都没有 {name!r} 这个参数，所以没有传给它们（它们的参数单元格有：{defined}）"),
    "report.folder": ("Report folder: {path}", "报告文件夹：{path}"),
    "report.running": ("running {name} ...", "正在运行 {name} ……"),
    "report.ok": ("ok {name} ({seconds:.1f} s)", "完成 {name}（{seconds:.1f} 秒）"),
    "report.failed": ("FAILED {name} ({seconds:.1f} s): {error}", "失败 {name}（{seconds:.1f} 秒）：{error}"),
    "report.done": ("Report: {path}", "报告：{path}"),
    "report.some_failed": ("{failed} of {total} notebooks failed: {names}", "{total} 个 notebook 中有 {failed} 个失败：{names}"),
    "slides.no_reveal": (
        "reveal.js not found: pip install sphinx-revealjs (it ships reveal.js), or pass --reveal-dir pointing at a "
        "reveal.js folder with dist/ and plugin/",
        "找不到 reveal.js：请 pip install sphinx-revealjs（它自带 reveal.js），或者用 --reveal-dir 指向一个含 dist/ 和 "
        "plugin/ 的 reveal.js 文件夹"),
    "slides.not_reveal": ("{path} is not a reveal.js folder: it lacks {missing}", "{path} 不是 reveal.js 文件夹：它缺少 {missing}"),
    "slides.done": ("Slides: {path} (open in a browser; no internet needed)", "幻灯片：{path}（用浏览器打开，不需要联网）"),
    "slides.no_mathjax": (
        "note: jupyter-server-mathjax is not installed; math in the decks stays as TeX source",
        "注意：没有安装 jupyter-server-mathjax，幻灯片里的数学公式会显示为 TeX 源码"),
    "tools.not_a_notebook": (
        "{path} is not a notebook ({reason}); restore it (git checkout -- {path}) or move it away",
        "{path} 不是 notebook（{reason}）；请恢复它（git checkout -- {path}）或者把它移走"),
    "tools.no_cells": (
        "{path} is a notebook without a single cell; restore it (git checkout -- {path}) or move it away",
        "{path} 是一个一个单元格都没有的 notebook；请恢复它（git checkout -- {path}）或者把它移走"),
    "tools.out_unusable": (
        "--out {path}: {problem}; give a folder you can write to",
        "--out {path}：{problem}；请给出一个可以写入的文件夹"),
    "tools.slides_kept": (
        "the slides that were there are as they were", "原来的幻灯片保持原样"),
    "tools.nothing_ran": ("nothing was run", "什么都没有运行"),
    "tools.report_kept": (
        "the notebooks that finished are in {path} (see its index.html)",
        "已经运行完的 notebook 在 {path} 里（见其中的 index.html）"),
    "tools.interrupted_here": ("interrupted ({signal}) while it ran", "运行中被中断（{signal}）"),
    "kernel.installed": (
        "Jupyter kernel {name} registered in {path}; it puts {folders} on its PATH (for %tensorboard).",
        "已注册 Jupyter 内核 {name}（在 {path}）；它会把 {folders} 加到自己的 PATH 里（供 %tensorboard 使用）。"),
    "kernel.cannot_install": (
        "the Jupyter kernel could not be registered ({reason}); try python -m tools kernel --user",
        "无法注册 Jupyter 内核（{reason}）；请试试 python -m tools kernel --user"),
    "kernel.not_ready": (
        "note: the Jupyter kernel tudui-pytorch {problem}; %tensorboard may not find TensorBoard. Fix: python -m tools kernel",
        "注意：Jupyter 内核 tudui-pytorch {problem}；%tensorboard 可能找不到 TensorBoard。解决办法：python -m tools kernel"),
    "kernel.other_python": ("runs another environment's Python", "用的是另一个环境的 Python"),
    "kernel.not_written": ("could not be registered", "无法注册"),
    "tools.cannot_write": (
        "could not write {path} ({reason}); {outcome}",
        "无法写入 {path}（{reason}）；{outcome}"),
    # ------------------------------------------------------------------ --help of the learners' commands
    "help.train": (
        "Train a CIFAR-10 model with its recipe (完整的模型训练套路): TensorBoard logs and a checkpoint. Relative paths "
        "are taken from the current folder.",
        "用模型自己的训练方案训练一个 CIFAR-10 模型（完整的模型训练套路）：写 TensorBoard 日志和检查点。"
        "相对路径从当前文件夹算起。"),
    "help.model_tudui": ("the tutorial's Tudui with the tutorial's recipe", "教程的 Tudui 和教程的训练方案"),
    "help.model_fast": ("lesson 11's FastNet with its fast recipe", "第 11 课的 FastNet 和它的快速训练方案"),
    "help.train_model": ("which model (tudui: {tudui}; fast: {fast}); default tudui",
                         "哪个模型（tudui：{tudui}；fast：{fast}）；默认 tudui"),
    "help.train_data_source": (
        "auto (the full CIFAR-10 if installed in the data root, else the shipped sample), cifar10, sample, synthetic or "
        "folder:PATH (PATH/train/<class>/*.png, PATH/test/...)",
        "auto（数据根目录里装了完整的 CIFAR-10 就用它，否则用课程自带的样本）、cifar10、sample、synthetic 或 "
        "folder:PATH（PATH/train/<类别>/*.png、PATH/test/...）"),
    "help.train_data_root": (
        "folder holding cifar-10-batches-py/ (default: the repository's data/, where make data puts it)",
        "存放 cifar-10-batches-py/ 的文件夹（默认：仓库的 data/，也就是 make data 安装的位置）"),
    "help.train_device": ("auto (GPU if there is one), cpu, cuda, cuda:N or mps", "auto（有 GPU 就用 GPU）、cpu、cuda、cuda:N 或 mps"),
    "help.train_epochs": ("epochs (default: the recipe's)", "轮数（默认：训练方案的）"),
    "help.train_batch_size": (
        "images per batch, per process (default: the recipe's)", "每个进程每批的图像数（默认：训练方案的）"),
    "help.train_lr": ("learning rate (default: the recipe's)", "学习率（默认：训练方案的）"),
    "help.train_num_images": (
        "train on a random N of the training images; 0 (default): all of them",
        "从训练图像中随机取 N 张来训练；0（默认）：全部"),
    "help.train_seed": (
        "seed for weights, shuffling, subset: 0 to 2**64 - 1 (default 0)",
        "权重、打乱顺序和取子集用的随机种子：0 到 2**64 - 1（默认 0）"),
    "help.train_out": (
        "folder for TensorBoard logs and the checkpoint (default: a new runs/train/<date-time>/)",
        "放 TensorBoard 日志和检查点的文件夹（默认：新建 runs/train/<日期-时间>/）"),
    "help.train_no_progress": ("no progress bars (for log files)", "不显示进度条（写日志文件时用）"),
    "help.test": (
        "Classify your own images with a checkpoint from train.py (完整的模型验证套路).",
        "用 train.py 保存的检查点识别你自己的图像（完整的模型验证套路）。"),
    "help.test_checkpoint": ("a .pt file written by scripts/train.py", "scripts/train.py 写的 .pt 文件"),
    "help.test_images": ("image files (.png, .jpg, ...), any size", "图像文件（.png、.jpg……），任意尺寸"),
    "help.test_device": ("cpu (default), auto, cuda, cuda:N or mps", "cpu（默认）、auto、cuda、cuda:N 或 mps"),
    "help.data": ("Install the full CIFAR-10 into data/.", "把完整的 CIFAR-10 安装到 data/。"),
    "help.data_archive": (
        "install this cifar-10-python.tar.gz instead of downloading it", "安装这个 cifar-10-python.tar.gz，而不是下载"),
    "help.data_root": ("the data root (default: data)", "数据根目录（默认：data）"),
    "help.data_url": ("download from here (default: torchvision's address)", "从这个地址下载（默认：torchvision 用的地址）"),
    "help.data_md5": ("the archive's expected MD5 (default: torchvision's)", "压缩包应有的 MD5（默认：torchvision 的）"),
    "help.data_force": ("replace an installed dataset", "替换已经安装的数据集"),
    "help.data_no_progress": ("no progress bar", "不显示进度条"),
    # ------------------------------------------------------------------ lesson 10's project folder (utils.project)
    "project.folder": (
        "project folder: {path} (model.py, train.py and test.py go here)",
        "项目文件夹：{path}（model.py、train.py 和 test.py 都写在这里）"),
    "project.kept": (
        "project folder: {new}, because {path} holds your own changes to {files}, which this lesson leaves as they are",
        "项目文件夹：{new}。{path} 里的 {files} 有你自己的改动，本课不动它们"),
    "project.is_a_file": (
        "project_dir={path!r} is a file; give project_dir the name of a folder (new or one this lesson wrote)",
        "project_dir={path!r} 是一个文件；请给 project_dir 一个文件夹的名字（新文件夹，或本课写过的文件夹）"),
    "project.cannot_create": (
        "the project folder {path} cannot be created ({reason}); give project_dir a folder you can write to",
        "无法创建项目文件夹 {path}（{reason}）；请给 project_dir 一个可以写入的文件夹"),
    "project.script_failed": (
        "python {script} stopped with exit status {status}: {last}",
        "python {script} 出错退出（状态码 {status}）：{last}"),
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
