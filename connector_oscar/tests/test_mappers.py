# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The shop connector's mappers on records shaped as the shop sends them
(remote_oscar/API.md), and its order import run on such a record."""
from odoo.addons.connector.exception import MappingError
from odoo.addons.connector.unit.mapper import ExportMapper, ImportMapper
from odoo.addons.connector.unit.synchronizer import Importer

from .common import OscarCase


def shop_order(lines, customer=None, status='pending'):
    return {
        'id': 3, 'number': '100009', 'status': status,
        'date_placed': '2026-12-07T06:28:07.724921+00:00',
        'date_updated': '2026-12-07T06:28:07.786337+00:00',
        'customer': customer or {'id': 3, 'email': 'bob@example.com', 'first_name': '',
                                 'last_name': '', 'is_guest': False},
        'shipping_address': {'first_name': 'Anna', 'last_name': 'Martin',
                             'line1': '1 rue de la Paix', 'line2': '', 'city': 'Paris',
                             'postcode': '75002', 'country': 'FR', 'phone_number': ''},
        'lines': lines,
    }


def shop_line(line_id, product_id, sku, quantity, unit, before, after):
    return {'id': line_id, 'product_id': product_id, 'partner_sku': sku, 'upc': sku,
            'title': 'Line %s' % line_id, 'quantity': quantity,
            'unit_price_excl_tax': unit, 'line_price_before_discounts_excl_tax': before,
            'line_price_excl_tax': after}


class TestOscarMappers(OscarCase):

    def setUp(self):
        super().setUp()
        self.mug = self.product('MUG-BLUE')
        self.env['oscar.product.product'].with_context(connector_no_export=True).create({
            'backend_id': self.backend.id, 'openerp_id': self.mug.id, 'external_id': '1'})

    def test_product_export_values(self):
        """Name, SKU, description, category path, price, publication, slug on create."""
        binding = self.mug.oscar_bind_ids
        self.mug.description_sale = 'A blue mug'
        mapper = self.connector_env('oscar.product.product').get_connector_unit(ExportMapper)
        values = mapper.map_record(binding).values(for_create=True)
        self.assertEqual(values, {
            'title': 'Blue mug', 'upc': 'MUG-BLUE', 'description': 'A blue mug',
            'is_public': True, 'categories': [' > '.join(
                part.strip() for part in self.mug.categ_id.complete_name.split('/'))],
            'price': '12.50', 'slug': 'mug-blue-%d' % self.mug.id, 'product_class': 'simple'})
        self.mug.active = False
        self.assertEqual(mapper.map_record(binding).values(fields=['active']),
                         {'is_public': False})

    def test_order_lines_are_children_with_discounts(self):
        """Each shop line becomes a line binding: product, quantity, unit price, discount %."""
        mapper = self.connector_env('oscar.sale.order').get_connector_unit(ImportMapper)
        values = mapper.map_record(shop_order([
            shop_line(4, 1, 'MUG-BLUE', 2, '12.50', '25.00', '22.50')])).values(
                fields=['lines'])
        (command,) = values['oscar_line_ids']
        self.assertEqual(command[:2], (0, 0))
        line = command[2]
        self.assertEqual((line['product_id'], line['product_uom_qty'], line['price_unit'],
                          line['discount'], line['external_id'], line['backend_id']),
                         (self.mug.id, 2.0, 12.5, 10.0, '4', self.backend.id))

    def test_unknown_product_names_backend_order_line_and_sku(self):
        mapper = self.connector_env('oscar.sale.order').get_connector_unit(ImportMapper)
        with self.assertRaises(MappingError) as caught:
            mapper.map_record(shop_order([
                shop_line(5, 2, 'TEA-GREEN', 1, '4.20', '4.20', '4.20')])).values(
                    fields=['lines'])
        self.assertEqual(str(caught.exception), (
            "Oscar backend 'Test shop' (oscar.backend,%d): order 100009 (shop id 3), line 5: "
            "no product here is bound to shop product 2, and none has the internal reference "
            "'TEA-GREEN'; the order waits for the product with SKU 'TEA-GREEN'. Create or "
            "export that product: this job is requeued when it is bound to the shop."
            % self.backend.id))

    def test_known_sku_is_bound_on_the_fly(self):
        """A line whose shop product is not bound but whose SKU names a product here
        binds that product."""
        tea = self.product('TEA-GREEN', name='Green tea')
        mapper = self.connector_env('oscar.sale.order').get_connector_unit(ImportMapper)
        values = mapper.map_record(shop_order([
            shop_line(5, 2, 'TEA-GREEN', 1, '4.20', '4.20', '4.20')])).values(
                fields=['lines'])
        self.assertEqual(values['oscar_line_ids'][0][2]['product_id'], tea.id)
        self.assertEqual(tea.oscar_bind_ids.external_id, '2')

    def test_order_import_creates_a_confirmed_order_with_customer_and_address(self):
        """The importer, given the shop's order (``data=``, no shop here): customer
        first, lines, confirmed."""
        importer = self.connector_env('oscar.sale.order').get_connector_unit(Importer)
        record = shop_order([shop_line(4, 1, 'MUG-BLUE', 2, '12.50', '25.00', '22.50')])
        importer.run('3', data=record)
        binding = self.env['oscar.sale.order'].search([('backend_id', '=', self.backend.id),
                                                       ('external_id', '=', '3')])
        order = binding.openerp_id
        self.assertEqual((order.state, order.client_order_ref, binding.oscar_status),
                         ('sale', '100009', 'pending'))
        self.assertEqual(order.partner_id.email, 'bob@example.com')
        self.assertEqual(order.partner_id.name, 'Anna Martin')
        self.assertEqual((order.partner_shipping_id.street, order.partner_shipping_id.city,
                          order.partner_shipping_id.country_id.code),
                         ('1 rue de la Paix', 'Paris', 'FR'))
        self.assertEqual([(line.product_id, line.product_uom_qty, line.discount)
                          for line in order.order_line], [(self.mug, 2.0, 10.0)])
        self.assertAlmostEqual(order.amount_total, 22.5)
        self.assertEqual(len(binding.oscar_line_ids), 1)
        self.assertTrue(order.picking_ids, 'a confirmed order has its delivery')
        # imported once: a second run only brings the status up to date
        record['status'] = 'being_processed'
        importer2 = self.connector_env('oscar.sale.order').get_connector_unit(Importer)
        importer2.run('3', data=record)
        self.assertEqual(binding.oscar_status, 'being_processed')
        self.assertEqual(len(order.order_line), 1)

    def test_known_email_binds_the_existing_partner(self):
        partner = self.env['res.partner'].create({'name': 'Bob', 'email': 'BOB@example.com'})
        importer = self.connector_env('oscar.sale.order').get_connector_unit(Importer)
        record = shop_order([shop_line(4, 1, 'MUG-BLUE', 1, '12.50', '12.50', '12.50')])
        importer.run('3', data=record)
        order = self.env['oscar.sale.order'].search([('external_id', '=', '3')]).openerp_id
        self.assertEqual(order.partner_id, partner)
