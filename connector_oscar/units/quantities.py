# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the shop may sell of a product: the quantity sent as its stock."""


def available_quantity(binding):
    """What the shop may sell of a binding's product: the quantity on hand at the
    backend's location less what is promised to go out (the deliveries of
    confirmed orders not done yet, imported orders included), never below 0."""
    location = binding.backend_id._oscar_location()
    product = binding.openerp_id.with_context(location=location.id)
    return max(product.qty_available - product.outgoing_qty, 0.0)
