# The course's commands.  `make lab` opens the lessons, `make test` runs the whole test suite.
# Both build the virtual environment .venv first if it is missing or out of date.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
KERNEL := tudui-pytorch
PORT   ?= 8888
LAB_ARGS ?=
PYTEST_ARGS ?=
# Jupyter refuses to run as root (containers, CI) unless told to.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help venv lab test outputs report slides clean-runs

help:
	@echo "make lab    - open the course in JupyterLab (builds .venv on first use)"
	@echo "make test   - run the whole test suite: utils, every notebook under nbval and papermill"
	@echo "make report - run every notebook with papermill into reports/<time>/ with an index.html"
	@echo "              (DEVICE=cuda DATA=folder:/path EPOCHS=3 PARAMS=params.yaml NB='01_module 02_convolution')"
	@echo "make slides - build offline reveal.js slide decks of the lessons into slides/"
	@echo "make outputs NB=notebooks/02_convolution.ipynb - re-execute notebooks and store their outputs (CPU)"

$(VENV)/.installed: requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 or newer is needed: run make PYTHON=python3.11 ...")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -r requirements.txt
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python 3 (tudui-pytorch)"
	@touch $@

venv: $(VENV)/.installed

lab: venv
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=notebooks --ServerApp.port=$(PORT) $(ROOT_FLAG) $(LAB_ARGS)

test: venv
	$(PY) -m pytest $(PYTEST_ARGS)

outputs: venv
	$(PY) tools/execute_notebooks.py $(NB)

report: venv
	$(PY) tools/report.py $(if $(DEVICE),--device $(DEVICE)) $(if $(DATA),--data $(DATA)) $(if $(EPOCHS),--epochs $(EPOCHS)) $(if $(PARAMS),--params $(PARAMS)) $(if $(NB),--notebooks $(NB))

slides: venv
	$(PY) tools/slides.py $(if $(NB),--notebooks $(NB))

clean-runs:
	rm -rf runs
