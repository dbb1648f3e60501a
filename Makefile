# decide: two commands on a fresh machine.
#   make demo   create .venv if needed, install, run the main job on the default example
#   make test   create/update .venv, run every test (unit, CLI, README, notebooks)
#   make workshop  the workshop notebooks as web pages without code (Voila), for the audience
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
MODEL  ?= models/zaaksysteem.yaml

.PHONY: demo test notebooks workshop bench clean venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[notebooks,dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/decide demo $(MODEL)

test: $(STAMP)
	$(PY) -m pytest -q

notebooks: $(STAMP)
	$(VENV)/bin/jupyter lab --config=notebooks/jupyter_server_config.py notebooks/

workshop: $(STAMP)
	$(VENV)/bin/voila --strip_sources=True --Voila.ip=127.0.0.1 notebooks/

bench: $(STAMP)
	$(PY) bench/ranking.py
	$(PY) bench/smaa.py
	$(PY) bench/portfolio.py
	$(PY) bench/portfolio_robustness.py
	$(PY) bench/workshop.py
	$(PY) bench/startup.py
	$(PY) bench/large_report.py
	$(PY) bench/assemble.py

clean:
	rm -rf out build *.egg-info .pytest_cache .hypothesis
