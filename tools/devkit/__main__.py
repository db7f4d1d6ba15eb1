# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``python3 tools/devkit ARGS`` is ``python3 tools/dev.py ARGS``."""
import os
import sys

if __package__ in (None, ''):  # run as a folder: make ``devkit`` importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from devkit.cli import main  # noqa: E402

sys.exit(main())
