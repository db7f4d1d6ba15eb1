# Connector units a connector author subclasses: mappers, synchronizers,
# backend adapters. Import them from their modules, e.g.
# ``from odoo.addons.connector.unit.mapper import ImportMapper``.
