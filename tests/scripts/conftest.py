"""The scripts' tests read English: the scripts speak the system's language (utils.cli), so the tests choose it."""
from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def commands_speak_english():
    """``COURSE_LANGUAGE=en`` for these tests and the processes they start, whatever this machine's locale
    (a test that checks the Chinese sets its own)."""
    before = os.environ.get("COURSE_LANGUAGE")
    os.environ["COURSE_LANGUAGE"] = "en"
    yield
    if before is None:
        os.environ.pop("COURSE_LANGUAGE", None)
    else:
        os.environ["COURSE_LANGUAGE"] = before
