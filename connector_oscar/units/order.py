# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Orders in: a shop order -> a confirmed sale order with its lines, bound.

The importer reads the order (``GET /api/connector/orders/<id>/``),
imports its customer first (embedded in the order: ``data=``), maps the
order with its lines as children (``children = [('lines', ...)]``, each
line by ``OrderLineImportMapper``), creates the binding, then confirms
the sale order, which creates its delivery. The framework's importer
locks the order's external id and the unique index on (backend, external
id) refuses a second binding: an order is imported once, whatever the
retries and the concurrent workers. An order already imported is only
brought up to date with the shop's status; its lines are never rewritten.

A line whose product is bound to no product of this shop (and whose SKU
names no product here to bind) fails the job with a message naming the
backend, the order, the line and the SKU. That failed job is requeued
when a product with that SKU is bound to the shop or created
(``oscar.product.product._oscar_requeue_orders_waiting`` and the product
events in ``consumers``): the order then imports by itself.
"""
from odoo import fields

from odoo.addons.connector.exception import MappingError
from odoo.addons.connector.unit.mapper import ImportMapChild, ImportMapper, mapping, only_create
from odoo.addons.connector.unit.synchronizer import DelayedBatchImporter, Importer

from ..backend import oscar
from .customer import customer_external_id

#: What the failure of an order import waiting for a product says: the requeue
#: (``oscar.product.product._oscar_requeue_orders_waiting``) looks for it.
WAITING_FOR_SKU = "waits for the product with SKU '%s'"

CANCELLED = 'cancelled'


def _date(value):
    """A shop date (ISO 8601 with an offset, UTC) as Odoo's datetime text."""
    return value[:19].replace('T', ' ') if value else False


def order_label(record):
    return 'order %s (shop id %s)' % (record.get('number'), record.get('id'))


@oscar
class OrderLineImportMapper(ImportMapper):
    """A shop order line -> values of oscar.sale.order.line (created with the order)."""

    _model_name = 'oscar.sale.order.line'

    @mapping
    def binding(self, record):
        return {'backend_id': self.backend_record.id, 'external_id': str(record['id'])}

    @mapping
    def product(self, record):
        product = self._bound_product(record)
        return {'product_id': product.id, 'name': record.get('title') or product.display_name,
                'product_uom': product.uom_id.id}

    @mapping
    def quantity(self, record):
        return {'product_uom_qty': float(record['quantity'])}

    @mapping
    def price(self, record):
        """Unit price before discounts, and the line's discount as a percentage."""
        unit = float(record['unit_price_excl_tax'])
        before = float(record.get('line_price_before_discounts_excl_tax') or 0.0)
        after = float(record.get('line_price_excl_tax') or before)
        discount = (before - after) / before * 100.0 if before else 0.0
        return {'price_unit': unit, 'discount': round(discount, 6), 'tax_id': [(6, 0, [])]}

    def _bound_product(self, record):
        """The product bound to the line's shop product; else the one whose internal
        reference is the line's SKU, bound now; else a MappingError."""
        binder = self.binder_for('oscar.product.product')
        binding = binder.to_openerp(str(record['product_id']), browse=True)
        if binding:
            return binding.openerp_id
        sku = record.get('upc') or record.get('partner_sku')
        product = self.env['product.product'].search([('default_code', '=', sku)], limit=1) \
            if sku else None
        if product and not product.oscar_bind_ids.filtered(
                lambda bound: bound.backend_id == self.backend_record):
            bindings = self.env['oscar.product.product'].with_context(connector_no_export=True)
            bindings.create({'backend_id': self.backend_record.id, 'openerp_id': product.id,
                             'external_id': str(record['product_id'])})
            return product
        order = self.options.order or {}
        backend = self.backend_record
        raise MappingError(
            "Oscar backend %r (%s,%s): %s, line %s: no product here is bound to shop product "
            "%s, and none has the internal reference %r; the order %s. Create or export that "
            'product: this job is requeued when it is bound to the shop.' % (
                backend.display_name, backend._name, backend.id, order_label(order),
                record['id'], record['product_id'], sku, WAITING_FOR_SKU % sku))


@oscar
class OrderLineImportMapChild(ImportMapChild):
    """The order's lines, mapped knowing their order (for the messages)."""

    _model_name = 'oscar.sale.order.line'

    def get_item_values(self, map_record, to_attr, options):
        options = dict(self._item_options(options), order=map_record.parent.source)
        return map_record.values(**options)


@oscar
class OrderImportMapper(ImportMapper):
    """A shop order -> values of oscar.sale.order, its lines as children."""

    _model_name = 'oscar.sale.order'

    children = [('lines', 'oscar_line_ids', 'oscar.sale.order.line')]

    @mapping
    def header(self, record):
        return {'oscar_number': record['number'], 'oscar_status': record['status'],
                'client_order_ref': record['number']}

    @only_create
    @mapping
    def order(self, record):
        backend = self.backend_record
        return {'date_order': _date(record.get('date_placed')) or fields.Datetime.now(),
                'warehouse_id': backend.warehouse_id.id,
                'company_id': backend.warehouse_id.company_id.id,
                'origin': 'Shop %s order %s' % (backend.name, record['number'])}

    @only_create
    @mapping
    def customer(self, record):
        binder = self.binder_for('oscar.res.partner')
        partner = binder.to_openerp(customer_external_id(record['customer']), unwrap=True,
                                    browse=True)
        if not partner:
            raise MappingError('Oscar backend %r: %s: its customer was not imported.' % (
                self.backend_record.display_name, order_label(record)))
        shipping = self._shipping_partner(partner, record.get('shipping_address'))
        return {'partner_id': partner.id, 'partner_invoice_id': partner.id,
                'partner_shipping_id': shipping.id}

    def _shipping_partner(self, customer, address):
        """The customer's delivery address equal to the order's, created if new."""
        if not address:
            return customer
        country = self.env['res.country'].search([('code', '=', address.get('country'))],
                                                 limit=1)
        values = {
            'type': 'delivery', 'parent_id': customer.id,
            'name': ' '.join(part for part in (address.get('first_name'),
                                               address.get('last_name')) if part)
            or customer.name,
            'street': address.get('line1') or False, 'street2': address.get('line2') or False,
            'city': address.get('city') or address.get('line4') or False,
            'zip': address.get('postcode') or False, 'country_id': country.id or False,
            'phone': address.get('phone_number') or False,
        }
        partners = self.env['res.partner']
        known = partners.search([(name, '=', value) for name, value in values.items()], limit=1)
        return known or partners.with_context(connector_no_export=True).create(values)


@oscar
class OrderImporter(Importer):
    """Imports one shop order: its customer first, then the order and its lines."""

    _model_name = 'oscar.sale.order'
    _external_date_field = 'date_updated'

    def _import_dependencies(self):
        customer = self.external_record['customer']
        external_id = customer_external_id(customer)
        self._import_dependency(external_id, 'oscar.res.partner', data=dict(
            customer, id=external_id,
            shipping_address=self.external_record.get('shipping_address')))

    def _map_data(self):
        return self.mapper.map_record(self.external_record)

    def _update_data(self, map_record, **kwargs):
        """An imported order is only brought up to date with the shop's status."""
        return {'oscar_status': self.external_record['status']}

    def _after_import(self, binding):
        """Confirm a new order (its delivery is created); cancel it when the shop did."""
        order = binding.openerp_id.with_context(connector_no_export=True)
        status = self.external_record['status']
        if status == CANCELLED:
            if order.state != 'cancel':
                order.action_cancel()
        elif order.state in ('draft', 'sent'):
            order.action_confirm()


@oscar
class OrderBatchImporter(DelayedBatchImporter):
    """The delta poll: one import job per order changed since the last poll,
    with a key per order (a pushed event for the same order is the same job)."""

    _model_name = 'oscar.sale.order'

    def __init__(self, connector_env):
        super().__init__(connector_env)
        self.newest_update = None  # the newest date_updated listed, as Odoo's datetime

    def _search(self, filters):
        external_ids = []
        for record in self.backend_adapter.search_read(filters):
            external_ids.append(str(record['id']))
            updated = _date(record.get('date_updated'))
            if updated and (not self.newest_update or updated > self.newest_update):
                self.newest_update = updated
        return external_ids

    def _job_options_for(self, external_id):
        options = super()._job_options_for(external_id)
        options['identity_key'] = order_import_key(self.backend_record, external_id)
        return options


def order_import_key(backend, external_id):
    """The identity key of the import job of one shop order."""
    return 'oscar-order-%d-%s' % (backend.id, external_id)
