"""utils.params: each check returns the value (converted where safe) or one line naming the parameter."""
from __future__ import annotations

import math

import pytest

from utils import ParameterError, check_bool, check_choice, check_float, check_int, check_str


def fails(call, name: str) -> str:
    with pytest.raises(ParameterError) as info:
        call()
    message = str(info.value)
    assert message.startswith(f"{name} must be ") and "\n" not in message, message
    assert "fix the parameters cell or the -p option" in message
    return message


def test_check_int_accepts_whole_numbers():
    assert check_int("epochs", 3) == 3
    assert check_int("epochs", 3.0) == 3 and type(check_int("epochs", 3.0)) is int  # papermill may pass 3.0
    assert check_int("epochs", "4") == 4
    assert check_int("seed", 0, minimum=0) == 0
    assert check_int("offset", -3, minimum=None) == -3
    assert check_int("batch_size", 4096, minimum=1, maximum=4096) == 4096


@pytest.mark.parametrize("bad", [0, -2, 2.5, "x", "", True, False, None, [1], math.inf, math.nan])
def test_check_int_rejects(bad):
    message = fails(lambda: check_int("epochs", bad), "epochs")
    assert "a whole number >= 1" in message and repr(bad) in message


def test_check_int_names_the_range():
    assert "from 1 to 10" in fails(lambda: check_int("epochs", 11, minimum=1, maximum=10), "epochs")
    assert "<= 10" in fails(lambda: check_int("n", 11, minimum=None, maximum=10), "n")


def test_check_float():
    assert check_float("lr", 0.01, minimum=0) == 0.01
    assert check_float("lr", 1, minimum=0) == 1.0 and type(check_float("lr", 1)) is float
    assert check_float("lr", "0.5") == 0.5
    for bad in ("fast", True, None, math.nan, math.inf, -0.1, [0.1]):
        fails(lambda: check_float("lr", bad, minimum=0, maximum=10), "lr")


def test_check_bool_takes_only_true_or_false():
    assert check_bool("progress", True) is True and check_bool("progress", False) is False
    for bad in (1, 0, "yes", "True", None):
        assert "True or False" in fails(lambda: check_bool("progress", bad), "progress")


def test_check_str():
    assert check_str("name", "  run-1 ", example="run-1") == "run-1"
    for bad in ("", "   ", None, 3):
        assert "'run-1'" in fails(lambda: check_str("name", bad, example="run-1"), "name")


def test_check_choice():
    assert check_choice("language", "zh", ("en", "zh")) == "zh"
    for bad in ("ZH", "fr", None, 1):
        assert "one of 'en', 'zh'" in fails(lambda: check_choice("language", bad, ("en", "zh")), "language")



def test_large_bounds_are_written_in_full():
    from utils import ParameterError

    with pytest.raises(ParameterError, match=r"from 0 to 18446744073709551615 \(got 18446744073709551616\)"):
        check_int("seed", 2**64, minimum=0, maximum=2**64 - 1)
    with pytest.raises(ParameterError, match="from 1e-05 to 0.5"):
        check_float("lr", 1.0, minimum=1e-5, maximum=0.5)
