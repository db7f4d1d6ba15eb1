# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo CLI subcommands of the connector: ``odoo-bin jobrunner``."""
from . import jobrunner
