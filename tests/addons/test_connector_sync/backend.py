# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.connector.backend import Backend

sync_backend = Backend('test_sync')
sync_backend_v1 = Backend(parent=sync_backend, version='1.0')
