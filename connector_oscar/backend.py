# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The oscar service: a django-oscar shop reached over django-oscar-api (REST, JSON)."""
from odoo.addons.connector.backend import Backend

oscar = Backend('oscar')
oscar_api3 = Backend(parent=oscar, version='3.3')
