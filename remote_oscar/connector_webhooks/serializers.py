# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One order as the connector imports it: plain JSON, ids instead of links."""


def _money(value):
    return None if value is None else str(value)


def _address(address):
    if address is None:
        return None
    return {
        'title': address.title, 'first_name': address.first_name,
        'last_name': address.last_name, 'line1': address.line1, 'line2': address.line2,
        'line3': address.line3, 'city': address.line4, 'state': address.state,
        'postcode': address.postcode,
        'country': address.country_id,  # ISO 3166-1 alpha-2 code
        'phone_number': str(address.phone_number) if address.phone_number else '',
        'notes': getattr(address, 'notes', ''),
    }


def _customer(order):
    user = order.user
    if user is None:
        return {'id': None, 'email': order.guest_email, 'first_name': '', 'last_name': '',
                'is_guest': True}
    return {'id': user.pk, 'email': user.email, 'first_name': user.first_name,
            'last_name': user.last_name, 'is_guest': False}


def _line(line):
    return {
        'id': line.pk,
        'product_id': line.product_id,
        'stockrecord_id': line.stockrecord_id,
        'partner_sku': line.partner_sku,
        'upc': line.upc,
        'title': line.title,
        'quantity': line.quantity,
        'status': line.status,
        'unit_price_incl_tax': _money(line.unit_price_incl_tax),
        'unit_price_excl_tax': _money(line.unit_price_excl_tax),
        'line_price_before_discounts_incl_tax': _money(line.line_price_before_discounts_incl_tax),
        'line_price_before_discounts_excl_tax': _money(line.line_price_before_discounts_excl_tax),
        'line_price_incl_tax': _money(line.line_price_incl_tax),
        'line_price_excl_tax': _money(line.line_price_excl_tax),
        'discount_incl_tax': _money(line.line_price_before_discounts_incl_tax
                                    - line.line_price_incl_tax),
    }


def _discount(discount):
    return {'category': discount.category, 'offer_id': discount.offer_id,
            'offer_name': discount.offer_name, 'voucher_code': discount.voucher_code,
            'amount': _money(discount.amount)}


def order_summary(order, date_updated):
    """An entry of the delta list."""
    return {'id': order.pk, 'number': order.number, 'status': order.status,
            'date_placed': order.date_placed.isoformat(),
            'date_updated': date_updated.isoformat()}


def order_detail(order, date_updated):
    """The whole order (one request per order for an import)."""
    data = order_summary(order, date_updated)
    data.update({
        'currency': order.currency,
        'total_incl_tax': _money(order.total_incl_tax),
        'total_excl_tax': _money(order.total_excl_tax),
        'shipping_incl_tax': _money(order.shipping_incl_tax),
        'shipping_excl_tax': _money(order.shipping_excl_tax),
        'shipping_method': order.shipping_method,
        'shipping_code': order.shipping_code,
        'customer': _customer(order),
        'shipping_address': _address(order.shipping_address),
        'billing_address': _address(order.billing_address),
        'lines': [_line(line) for line in order.lines.order_by('pk')],
        'discounts': [_discount(d) for d in order.discounts.order_by('pk')],
        'allowed_statuses': list(order.available_statuses()),
    })
    return data
