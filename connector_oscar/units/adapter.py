# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shop's REST API (django-oscar-api and the shop's connector endpoints):
the only code that talks to it.

Built on the framework's ``RESTAdapter`` (``connector/unit/rest_adapter.py``):
JSON, token or Basic authentication, pages followed, and the HTTP statuses
translated by its table (401/403 configuration, 404 missing, 400 the shop's
field errors quoted, 5xx and timeouts retried, 429 and 503 with
``Retry-After`` throttling the backend's channel). The shop's own
endpoints are described with real answers in ``remote_oscar/API.md``.
"""
from odoo.addons.connector.exception import BackendConfigurationError, IDMissingInBackend
from odoo.addons.connector.unit.rest_adapter import RESTAdapter

from ..backend import oscar

#: The shop's fulfilment partner that owns the stock records Odoo sends.
FULFILMENT_PARTNER_CODE = 'odoo'


class OscarAdapter(RESTAdapter):
    """The shop of the backend; a model's adapter sets ``_path``."""

    _model_name = None

    def _rest_settings(self):
        return self.backend_record.sudo()._oscar_settings()

    def fulfilment_partner_url(self):
        """URL of the shop's fulfilment partner (code ``odoo``): the stock records' owner."""
        for page in self.iter_pages('admin/partners/'):
            for partner in page:
                if partner.get('code') == FULFILMENT_PARTNER_CODE:
                    return partner['url']
        backend = self.backend_record
        raise BackendConfigurationError(
            'Oscar backend %r (%s,%s): the shop at %s has no fulfilment partner with code %r; '
            "create it in the shop's dashboard (Fulfilment > Partners), then requeue the job."
            % (backend.display_name, backend._name, backend.id, self.settings['url'],
               FULFILMENT_PARTNER_CODE))


@oscar
class ProductAdapter(OscarAdapter):
    """Products of the shop, with their stock records (oscar-api's admin API)."""

    _model_name = 'oscar.product.product'
    _path = 'admin/products/'

    def create_product(self, data):
        """Create a product (with its stock record); the shop's whole answer."""
        return self.call('POST', self._path, payload=data)

    def find_by_upc(self, data):
        """The product whose ``upc`` is ``data['upc']``, updated with ``data``, or None.

        oscar-api finds a product by its ``upc`` on ``PUT`` of the collection
        (its "synchronize from another data source" mode) and answers 404 when
        none has it: the only lookup by SKU the API offers.
        """
        try:
            return self.call('PUT', self._path, payload=data)
        except IDMissingInBackend:
            return None

    def write_stockrecord(self, stockrecord_id, data):
        """Change a stock record (price, quantities)."""
        return self.call('PATCH', 'admin/stockrecords/%s/' % stockrecord_id, payload=data,
                         external_id=self._stockrecord_label(stockrecord_id))

    @staticmethod
    def _stockrecord_label(stockrecord_id):
        return 'stock record %s' % stockrecord_id


@oscar
class OrderAdapter(OscarAdapter):
    """Orders of the shop (the shop's connector endpoints, ``remote_oscar/API.md``)."""

    _model_name = 'oscar.sale.order'
    _path = 'connector/orders/'

    def set_status(self, external_id, status):
        """Move the order to ``status``; its current status again is a no-op."""
        return self.call('POST', 'connector/orders/%s/status/' % external_id,
                         payload={'status': status}, external_id=external_id)
