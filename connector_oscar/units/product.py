# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Catalogue out: an Odoo product -> a shop product with its stock record.

Created once (``CreateOnce``): the SKU (``upc`` in the shop, unique there)
is the export key, so a retry after a lost answer finds the product a
failed try created instead of creating a second one. The price goes to
the stock record, the rest to the product. Archiving (``active`` off, or
not saleable) unpublishes the product (``is_public`` false): the shop's
orders keep it.
"""
import re

from odoo.addons.connector.exception import InvalidDataError
from odoo.addons.connector.unit.mapper import ExportMapper, changed_by, mapping, only_create
from odoo.addons.connector.unit.synchronizer import Exporter

from ..backend import oscar
from .quantities import available_quantity

#: Keys of the mapped values that belong to the stock record, not the product.
STOCKRECORD_KEYS = ('price',)
PRODUCT_CLASS = 'simple'
CURRENCY = 'EUR'


def slugify(text):
    """A URL slug: lower-case letters, digits and dashes."""
    return re.sub(r'[^a-z0-9]+', '-', (text or '').lower()).strip('-') or 'product'


def product_price(binding):
    """The shop price of a binding's product: its backend's pricelist, else the sales price."""
    pricelist = binding.backend_id.pricelist_id
    product = binding.openerp_id
    if pricelist:
        return pricelist.get_product_price(product, 1.0, False)
    return product.lst_price


@oscar
class ProductExportMapper(ExportMapper):
    _model_name = 'oscar.product.product'

    direct = [('name', 'title'), ('default_code', 'upc')]

    @changed_by('description_sale')
    @mapping
    def description(self, record):
        return {'description': record.description_sale or ''}

    @changed_by('active', 'sale_ok')
    @mapping
    def public(self, record):
        return {'is_public': bool(record.active and record.sale_ok)}

    @changed_by('categ_id')
    @mapping
    def categories(self, record):
        """The category as the shop's breadcrumb path (``All > Kitchen``)."""
        path = record.categ_id.complete_name or ''
        return {'categories': [' > '.join(part.strip() for part in path.split('/'))]
                if path else []}

    @changed_by('list_price', 'lst_price', 'price_extra')
    @mapping
    def price(self, record):
        return {'price': '%.2f' % product_price(record)}

    @only_create
    @mapping
    def creation(self, record):
        return {'slug': '%s-%s' % (slugify(record.default_code), record.openerp_id.id),
                'product_class': PRODUCT_CLASS}


@oscar
class ProductExporter(Exporter):
    """Exports a product binding; the SKU finds what a failed try created."""

    _model_name = 'oscar.product.product'

    def __init__(self, connector_env):
        super().__init__(connector_env)
        self.answer = None  # the shop's product, when this export created or found it

    def _validate_create_data(self, data):
        if not data.get('upc'):
            backend = self.backend_record
            raise InvalidDataError(
                'Oscar backend %r (%s,%s): product %s (%s,%s) has no internal reference: '
                'the shop needs it as SKU (upc). Give it one, then requeue the job.' % (
                    backend.display_name, backend._name, backend.id,
                    self.binding.display_name, self.binding.openerp_id._name,
                    self.binding.openerp_id.id))

    def _create_data(self, map_record, fields=None, **kwargs):
        data = super()._create_data(map_record, fields=None, **kwargs)
        data['stockrecords'] = [{
            'partner': self._partner_url(), 'partner_sku': data['upc'],
            'price': data.pop('price'), 'price_currency': CURRENCY,
            'num_in_stock': int(available_quantity(self.binding)), 'num_allocated': 0}]
        return data

    def _partner_url(self):
        backend = self.backend_record
        if not backend.shop_partner_url:
            backend.sudo().shop_partner_url = self.backend_adapter.fulfilment_partner_url()
        return backend.shop_partner_url

    # CreateOnce: the SKU is the key, stored by the create itself (upc).
    def _export_key(self):
        return self.binding.default_code or None

    def _find_exported(self, key):
        data = self._create_data(self.mapper.map_record(self.binding))
        data.pop('stockrecords')
        self.answer = self.backend_adapter.find_by_upc(data)
        return str(self.answer['id']) if self.answer else None

    def _create(self, data):
        self.answer = self.backend_adapter.create_product(data)
        return str(self.answer['id'])

    def _update(self, data):
        data = dict(data)
        stockrecord = {key: data.pop(key) for key in STOCKRECORD_KEYS if key in data}
        data.pop('stockrecords', None)
        if data:
            self.backend_adapter.write(self.external_id, data)
        if stockrecord:
            self.backend_adapter.write_stockrecord(self._stockrecord_id(), stockrecord)

    def _stockrecord_id(self):
        if not self.binding.stockrecord_id:
            self.answer = self.answer or self.backend_adapter.read(self.external_id)
            self._remember_stockrecord()
        return self.binding.stockrecord_id

    def _remember_stockrecord(self):
        records = (self.answer or {}).get('stockrecords') or []
        if records:
            stockrecord_id = records[0]['url'].rstrip('/').rsplit('/', 1)[-1]
            self.binding.with_context(connector_no_export=True).write(
                {'stockrecord_id': stockrecord_id})

    def _after_export(self):
        if self.answer is not None and not self.binding.stockrecord_id:
            self._remember_stockrecord()
        self.binding._oscar_requeue_orders_waiting()
