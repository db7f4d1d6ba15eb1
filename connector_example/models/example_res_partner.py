# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.connector.event import IMPORT_KEY


class ExampleResPartner(models.Model):
    """Binds a partner to a partner of the remote Odoo of an example backend."""

    _name = 'example.res.partner'
    _inherit = 'external.binding'
    _inherits = {'res.partner': 'openerp_id'}
    _description = 'Example Partner Binding'

    openerp_id = fields.Many2one('res.partner', string='Partner', required=True,
                                 ondelete='cascade')
    backend_id = fields.Many2one('example.backend', required=True, ondelete='restrict')
    external_id = fields.Char(string='ID on the remote')


class ResPartner(models.Model):
    _inherit = 'res.partner'

    example_bind_ids = fields.One2many('example.res.partner', 'openerp_id',
                                       string='Example bindings')

    @api.multi
    def update_address(self, vals):
        """Odoo's address propagation, held back under an example import.

        ``res.partner`` copies addresses between partners on create and
        write: a company's onto its contacts, a new contact's onto an
        address-less company, a parent's onto a contact given that parent.
        The remote Odoo ran the same logic, and the import brings its
        results partner by partner; run here too, in whatever order the
        import jobs run, it would overwrite the imported addresses with
        another partner's (see ``Importer``). The importer gives the
        address to the local-only contacts itself (``PartnerImporter``).
        """
        importing = self.env.context.get(IMPORT_KEY)
        if importing and importing.startswith('example.backend,'):
            return None
        return super().update_address(vals)
