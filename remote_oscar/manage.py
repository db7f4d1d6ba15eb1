#!/usr/bin/env python
# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Django's command line for the shop (run it with .venv-oscar/bin/python)."""
import os
import sys

if __name__ == '__main__':
    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'shop_site.settings')
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
