# Developer entry points; the logic lives in tools/dev.py (stdlib Python).
# Both targets set up everything they need (venv, PostgreSQL, databases).
PYTHON ?= python3

.PHONY: help demo demo-shop test setup flake8 static unit browser clean distclean

help:
	@echo "make demo       connector_demo database + the sync demo with a real remote Odoo"
	@echo "make demo-shop  the shop connector's demo: Odoo and a real django-oscar shop"
	@echo "make test       every tier: flake8, static checks, unit (no database), Odoo's"
	@echo "                runner per addon, integration, process, repo, browser tests"
	@echo "make setup      only .venv, PostgreSQL, var/odoo.cfg and the template database"
	@echo "make flake8     only flake8"
	@echo "make static     only the static checks (tools/static_checks.py)"
	@echo "make unit       only the unit tier (tests/unit, no database, seconds)"
	@echo "make browser    only the browser tests (tests/browser, headless chromium)"
	@echo "make clean      drop this project's databases and remove var/"
	@echo "make distclean  clean + remove .venv/"
	@echo "One tier: $(PYTHON) tools/dev.py test --tier flake8|static|unit|addons|integration|process|repo|browser"
	@echo "More options: $(PYTHON) tools/dev.py --help, tools/dev.py test --help"

demo:
	$(PYTHON) tools/dev.py demo

demo-shop:
	$(PYTHON) tools/dev.py demo-shop

test:
	$(PYTHON) tools/dev.py test

setup:
	$(PYTHON) tools/dev.py setup

flake8:
	$(PYTHON) tools/dev.py flake8

static:
	$(PYTHON) tools/dev.py static

unit:
	$(PYTHON) tools/dev.py unit

browser:
	$(PYTHON) tools/dev.py browser

clean:
	$(PYTHON) tools/dev.py clean

distclean: clean
	rm -rf .venv .venv-browser .venv-oscar .node
