# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Units of the test service.

The binder is registered on the parent backend only: both versions find
it through their parent. The partner "describer" exists in two versions
to show that a version's own unit wins over its parent's.
"""
from odoo.addons.connector.connector import Binder, ConnectorUnit

from .backend import test_backend, test_backend_v2


@test_backend
class TestBinder(Binder):
    """The default binder, with no code, for the test binding model."""
    _model_name = 'test.res.partner'


class PartnerDescriber(ConnectorUnit):
    """A unit kind of the test service: tells which class answered."""

    def describe(self):
        return 'generic'


@test_backend
class GenericPartnerDescriber(PartnerDescriber):
    _model_name = ['res.partner', 'test.res.partner']


@test_backend_v2
class PartnerDescriberV2(PartnerDescriber):
    _model_name = ['res.partner', 'test.res.partner']

    def describe(self):
        return 'version 2.0'
