# The course's commands.  `make lab` opens the lessons, `make test` runs the whole test suite.
# Each target builds the virtual environment .venv first (if it is missing or out of date), then
# runs `python -m tools <target>`: the same command works without make in any active environment
# (conda on Windows, say); see the README.
# Paths are quoted ("$(PY)"), so the repository may live in a folder whose name has spaces or
# Chinese characters (~/课程 副本/), and PY= may be given as such an absolute path.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
LAB_ARGS ?=
PYTEST_ARGS ?=
LOGDIR ?=

.PHONY: help venv kernel lab tensorboard test check data report slides outputs bench translations check-translations clean-runs

help:
	@{ if [ -x "$(PY)" ]; then "$(PY)" -m tools --help; else "$(PYTHON)" -m tools --help; fi; } 2>/dev/null || echo "make lab | test | check | data | report | slides | outputs"
	@echo "  (make venv builds .venv; make clean-runs deletes runs/)"

$(VENV)/.installed: requirements.txt pyproject.toml
	@"$(PYTHON)" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 or newer is needed: run make PYTHON=python3.11 ...")'
	@test -x "$(PY)" || "$(PYTHON)" -m venv "$(VENV)"
	"$(PY)" -m pip install --disable-pip-version-check -r requirements.txt
	"$(PY)" -m tools kernel
	@touch $@

venv: $(VENV)/.installed

# The Jupyter kernel "Python 3 (tudui-pytorch)", with .venv/bin on its PATH (for %tensorboard); make venv does it.
kernel: venv
	"$(PY)" -m tools kernel

lab: venv
	"$(PY)" -m tools lab $(LAB_ARGS)

# TensorBoard on the lessons' runs (notebooks/); LOGDIR=runs/train for scripts/train.py's. No activation needed.
tensorboard: venv
	"$(PY)" -m tools tensorboard $(if $(LOGDIR),--logdir "$(LOGDIR)")

test: venv
	"$(PY)" -m tools test $(PYTEST_ARGS)

check: venv
	"$(PY)" -m tools check $(PYTEST_ARGS)

data: venv
	@"$(PY)" -m tools data $(if $(ARCHIVE),--archive "$(ARCHIVE)")

report: venv
	"$(PY)" -m tools report $(if $(EDITION),--edition $(EDITION)) $(if $(DEVICE),--device $(DEVICE)) $(if $(DATA),--data "$(DATA)") $(if $(EPOCHS),--epochs $(EPOCHS)) $(if $(PARAMS),--params "$(PARAMS)") $(if $(NB),--notebooks $(NB))

slides: venv
	"$(PY)" -m tools slides $(if $(NB),--notebooks $(NB))

outputs: venv
	"$(PY)" -m tools outputs $(NB)

bench: venv
	"$(PY)" -m tools bench

translations: venv
	"$(PY)" -m tools translations $(NB)

check-translations: venv
	"$(PY)" -m tools check-translations $(NB)

clean-runs:
	rm -rf runs
