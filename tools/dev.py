#!/usr/bin/env python3
# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Development commands for the Connector repository: ``make demo``, ``make test``.

The entry point the Makefile calls; the commands live in ``tools/devkit/``
(``devkit/__init__.py`` maps its modules, ``devkit/cli.py`` lists the
subcommands; ``python3 tools/dev.py --help`` too). Stdlib only: it runs
under the machine's python3 before any venv exists.
"""
import sys

from devkit.cli import main

if __name__ == '__main__':
    sys.exit(main())
