"""utils.errors: the course's errors are one line, and there is only one family of them."""
from __future__ import annotations

import ast
import subprocess

import pytest

from helpers import REPO_ROOT
from utils import CourseError, DataError, DeviceError, ParameterError


@pytest.mark.parametrize("kind", [DeviceError, DataError, ParameterError])
def test_course_errors_render_as_one_line(kind):
    err = kind("use device='cpu'.")
    assert isinstance(err, CourseError) and isinstance(err, ValueError)
    assert err._render_traceback_() == [f"{kind.__name__}: use device='cpu'."]


def test_base_class_renders_its_own_name():
    assert CourseError("x")._render_traceback_() == ["CourseError: x"]


def _python_files() -> list:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
                            cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [REPO_ROOT / name for name in listed if (REPO_ROOT / name).is_file()]


def test_there_is_exactly_one_course_error_class():
    """Every tool and helper raises utils.errors.CourseError (or a subclass), never a look-alike."""
    found = []
    for file in _python_files():
        tree = ast.parse(file.read_text(encoding="utf-8"))
        found += [f"{file.relative_to(REPO_ROOT)}:{node.lineno}" for node in ast.walk(tree)
                  if isinstance(node, ast.ClassDef) and node.name == "CourseError"]
    assert len(found) == 1 and found[0].startswith("utils/errors.py:"), found
