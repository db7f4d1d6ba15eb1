# Developer entry points; the logic lives in tools/dev.py (stdlib Python).
# Both targets set up everything they need (venv, PostgreSQL, databases).
PYTHON ?= python3

.PHONY: help demo test setup flake8 clean distclean

help:
	@echo "make demo       connector_demo database + the sync demo with a real remote Odoo"
	@echo "make test       flake8, Odoo's test runner for each addon, then pytest"
	@echo "make setup      only .venv, PostgreSQL, var/odoo.cfg and the template database"
	@echo "make flake8     only flake8"
	@echo "make clean      drop this project's databases and remove var/"
	@echo "make distclean  clean + remove .venv/"
	@echo "More options: $(PYTHON) tools/dev.py --help, tools/dev.py test --help"

demo:
	$(PYTHON) tools/dev.py demo

test:
	$(PYTHON) tools/dev.py test

setup:
	$(PYTHON) tools/dev.py setup

flake8:
	$(PYTHON) tools/dev.py flake8

clean:
	$(PYTHON) tools/dev.py clean

distclean: clean
	rm -rf .venv .venv-browser .node
