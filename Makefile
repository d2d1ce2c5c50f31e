# Set-up and the two first-screen jobs. Everything installs from this repository's own files.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: example test browser

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Debian's Chromium for the tests that open the picture in a real browser.
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

example: $(VENV)/.installed
	$(VENV)/bin/kg build examples --pub-date 2024-01-12 -o output
	$(VENV)/bin/kg query -s output attendance

test: $(VENV)/.installed browser
	$(PY) -m pytest -q
