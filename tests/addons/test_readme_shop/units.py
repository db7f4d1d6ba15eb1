# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.connector.backend import Backend
from odoo.addons.connector.connector import Binder
from odoo.addons.connector.unit.backend_adapter import CRUDAdapter
from odoo.addons.connector.unit.mapper import ImportMapper, mapping
from odoo.addons.connector.unit.synchronizer import Importer

shop = Backend('shop')
shop_v2 = Backend(parent=shop, version='2.0')


@shop
class ShopBinder(Binder):
    _model_name = 'shop.res.partner'


@shop
class CustomerAdapter(CRUDAdapter):
    _model_name = 'shop.res.partner'

    def read(self, external_id, attributes=None):
        return SHOP_API.get_customer(external_id)  # your client library


@shop
class CustomerImportMapper(ImportMapper):
    _model_name = 'shop.res.partner'
    direct = [('full_name', 'name'), ('mail', 'email')]

    @mapping
    def customer(self, record):
        return {'customer': True}


@shop_v2
class CustomerImporter(Importer):
    _model_name = 'shop.res.partner'


class ShopApi(object):
    """Stands for the shop's client library in this test addon."""

    customers = {'17': {'full_name': 'Ann Smith', 'mail': 'ann@shop.example'}}

    def get_customer(self, external_id):
        return dict(self.customers[external_id], id=external_id)


SHOP_API = ShopApi()
