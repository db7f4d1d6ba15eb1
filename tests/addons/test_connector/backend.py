# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The backends of the test service: a parent and two versions."""
from odoo.addons.connector.backend import Backend

test_backend = Backend('test_connector')
test_backend_v1 = Backend(parent=test_backend, version='1.0')
test_backend_v2 = Backend(parent=test_backend, version='2.0')
