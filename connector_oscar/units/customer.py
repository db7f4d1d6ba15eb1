# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customers in: the customer embedded in a shop order -> a bound partner.

The shop has no customer endpoint: an order carries its customer
(``{"id", "email", "first_name", "last_name", "is_guest"}``), and the
order importer imports it from there (``Importer.run(..., data=...)``).
A registered customer is bound by the shop's user id, a guest by
``guest:<email>``; a partner of this database with the same email and no
binding to this shop yet is bound instead of creating a second one.
"""
from odoo.addons.connector.unit.mapper import ImportMapper, mapping, only_create
from odoo.addons.connector.unit.synchronizer import Importer

from ..backend import oscar


def customer_external_id(customer):
    """The external id of an order's customer: the shop's user id, or the guest's email."""
    if customer.get('id') and not customer.get('is_guest'):
        return str(customer['id'])
    return 'guest:%s' % (customer.get('email') or '').strip().lower()


def customer_name(customer, address):
    """The customer's name, else the shipping address's, else the email."""
    for source in (customer, address or {}):
        name = ' '.join(part for part in (source.get('first_name'), source.get('last_name'))
                        if part)
        if name.strip():
            return name.strip()
    return customer.get('email') or customer_external_id(customer)


@oscar
class CustomerImportMapper(ImportMapper):
    _model_name = 'oscar.res.partner'

    @mapping
    def name(self, record):
        return {'name': customer_name(record, record.get('shipping_address'))}

    @mapping
    def email(self, record):
        return {'email': record.get('email') or False}

    @only_create
    @mapping
    def customer(self, record):
        return {'customer': True}


@oscar
class CustomerImporter(Importer):
    """Imports the customer of an order (given by the order, never read alone)."""

    _model_name = 'oscar.res.partner'
    _required_fields = ['name']

    def _get_external_data(self):
        backend = self.backend_record
        raise NotImplementedError(
            'Oscar backend %r: the shop has no customer endpoint; customer %s is imported '
            'with an order (CustomerImporter.run(external_id, data=the order customer)).'
            % (backend.display_name, self.external_id))

    def _create(self, data):
        """Bind a known partner (same email, no binding to this shop) instead of
        creating a second one."""
        email = data.get('email')
        if email:
            partners = self.env['res.partner'].search([
                ('email', '=ilike', email), ('parent_id', '=', False)], order='id')
            partner = partners.filtered(lambda known: not known.oscar_bind_ids.filtered(
                lambda bound: bound.backend_id == self.backend_record))[:1]
            if partner:
                data = dict(data, openerp_id=partner.id)
        return super()._create(data)
