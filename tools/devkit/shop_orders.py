# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Orders placed in the shop as customers place them (the shop demo, the benchmark).

Each order goes through the shop's public API (``ShopCustomer``): register
and log in (or check out as a guest), add products to the basket, check
out with a shipping address. Stdlib only::

    placed = place_orders(shop.url, POLLED_ORDERS)   # [PlacedOrder, ...]

``POLLED_ORDERS`` are placed before the shop has a webhook target (only
the poll finds them), ``PUSHED_ORDERS`` after (the shop pushes them): one
buys a product the shop has and Odoo has not (``MISSING_SKU``), one is
cancelled by the shop's staff afterwards (``CANCELLED_BY``).
"""
from collections import namedtuple

from .shop_clients import ShopCustomer

#: A product that the shop sells and Odoo does not know (yet).
MISSING_SKU = ('TEA-MATCHA', 'Matcha 30 g', '14.00', 20)
#: The email of the customer whose order the shop's staff cancel.
CANCELLED_BY = 'emma.weber@example.com'

ADDRESSES = {
    'anna.martin@example.com': {'first_name': 'Anna', 'last_name': 'Martin',
                                'line1': '1 rue de la Paix', 'line4': 'Paris',
                                'postcode': '75002', 'country': 'FR'},
    'bruno.costa@example.com': {'first_name': 'Bruno', 'last_name': 'Costa',
                                'line1': 'Rua Augusta 120', 'line4': 'Lisboa',
                                'postcode': '1100-053', 'country': 'PT'},
    'chloe.dubois@example.com': {'first_name': 'Chloé', 'last_name': 'Dubois',
                                 'line1': 'Avenue Louise 54', 'line4': 'Bruxelles',
                                 'postcode': '1050', 'country': 'BE'},
    'david.jansen@example.com': {'first_name': 'David', 'last_name': 'Jansen',
                                 'line1': 'Prinsengracht 263', 'line4': 'Amsterdam',
                                 'postcode': '1016 GV', 'country': 'NL'},
    'emma.weber@example.com': {'first_name': 'Emma', 'last_name': 'Weber',
                               'line1': 'Unter den Linden 5', 'line4': 'Berlin',
                               'postcode': '10117', 'country': 'DE'},
    'frank.guest@example.com': {'first_name': 'Frank', 'last_name': 'Moreau',
                                'line1': '12 quai Saint-Antoine', 'line4': 'Lyon',
                                'postcode': '69002', 'country': 'FR'},
}

#: (customer email, registered or guest, [(SKU, quantity), ...])
POLLED_ORDERS = [
    ('anna.martin@example.com', True, [('MUG-BLUE', 2), ('TEA-GREEN', 3)]),
    ('bruno.costa@example.com', True, [('POT-CAST', 1), ('INF-STEEL', 2), ('TEA-BLACK', 1)]),
]
PUSHED_ORDERS = [
    ('chloe.dubois@example.com', True, [('MUG-RED', 1), ('TRAY-BAMBOO', 1), ('COASTER-4', 2),
                                        ('CADDY-TIN', 1)]),
    ('anna.martin@example.com', True, [('TEA-CHAI', 2), ('MUG-TRAVEL', 1)]),
    ('david.jansen@example.com', True, [(MISSING_SKU[0], 1), ('MUG-BLUE', 1)]),
    (CANCELLED_BY, True, [('POT-GLASS', 1), ('TEA-GREEN', 1)]),
    ('frank.guest@example.com', False, [('INF-STEEL', 1), ('TEA-BLACK', 2)]),
]

PlacedOrder = namedtuple('PlacedOrder', 'id number email guest items')


def place_orders(url, orders, product_ids=None):
    """Place ``orders`` (see ``POLLED_ORDERS``) in the shop at ``url``, one customer
    session each; the ``PlacedOrder`` list. ``product_ids`` ({SKU: shop product id})
    spares a catalogue lookup per line; it is filled as SKUs are looked up."""
    product_ids = {} if product_ids is None else product_ids
    placed = []
    for email, registered, items in orders:
        customer = ShopCustomer(url, email)
        if registered:
            customer.register_and_login()
        for sku, quantity in items:
            if sku not in product_ids:
                product_ids[sku] = customer.product_id(sku)
            customer.add(product_ids[sku], quantity)
        answer = customer.checkout(ADDRESSES.get(email, ADDRESSES['anna.martin@example.com']),
                                   guest_email=None if registered else email)
        placed.append(PlacedOrder(answer['id'], answer['number'], email, not registered,
                                  items))
    return placed
