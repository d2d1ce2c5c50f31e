# Set-up and the two first-screen jobs. Everything installs from this repository's own files.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: example test system-packages fonts

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# Debian's packages the tests use for real: Chromium (the picture in a browser) and Virtuoso (a
# SPARQL server to load into). Installed only when missing.
system-packages:
	@command -v chromium >/dev/null && command -v virtuoso-t >/dev/null || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk virtuoso-opensource >/dev/null; }

# The CJK fonts the charts of kg analyze --plots need (Debian's Noto CJK), installed when missing.
fonts:
	@fc-list 2>/dev/null | grep -qi "CJK" || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk fontconfig >/dev/null; }

example: $(VENV)/.installed fonts
	$(VENV)/bin/kg build examples --pub-date 2024-01-12 --home-place 永康市 -o output
	$(VENV)/bin/kg query -s output attendance

test: $(VENV)/.installed system-packages
	$(PY) -m pytest -q
