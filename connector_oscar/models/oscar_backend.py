# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.connector.connector import ConnectorEnvironment
from odoo.addons.connector.exception import ConnectorException
from odoo.addons.connector.session import ConnectorSession
from odoo.addons.connector.unit.synchronizer import DelayedBatchImporter

from ..units.adapter import OscarAdapter

_logger = logging.getLogger(__name__)

ORDER_BINDING = 'oscar.sale.order'
PRODUCT_BINDING = 'oscar.product.product'
#: The shop stamps an order's change inside its transaction, which commits a
#: little later (remote_oscar/API.md): each poll reads back this far before the
#: last one, and imports are idempotent.
POLL_MARGIN = timedelta(seconds=30)


class OscarBackend(models.Model):
    """A django-oscar shop: its catalogue and stock are sent, its orders imported."""

    _name = 'oscar.backend'
    _inherit = 'connector.backend'
    _description = 'Oscar Backend (django-oscar shop)'
    _backend_type = 'oscar'

    version = fields.Selection([('3.3', 'django-oscar-api 3.3')], required=True,
                               default='3.3')
    url = fields.Char(string='API URL', required=True,
                      help='Root of the shop API, e.g. http://shop.example.com/api')
    login = fields.Char(string='Staff login',
                        help='A staff user of the shop (HTTP Basic; the token is faster).')
    password = fields.Char(string='Staff password', groups='base.group_system')
    api_token = fields.Char(string='Staff API token', groups='base.group_system',
                            help="The staff user's token (Authorization: Token ...); used "
                                 'instead of the login and password when set.')
    timeout = fields.Integer(default=30, help='Seconds to wait for an answer of the shop.')
    warehouse_id = fields.Many2one('stock.warehouse', required=True,
                                   default=lambda self: self.env['stock.warehouse'].search(
                                       [('company_id', '=', self.env.user.company_id.id)],
                                       limit=1),
                                   help='The warehouse of the imported sale orders.')
    location_id = fields.Many2one(
        'stock.location', string='Stock location',
        help="The quantity available to sell here is the shop's stock (default: the "
             "warehouse's stock location).")
    pricelist_id = fields.Many2one(
        'product.pricelist', string='Pricelist',
        help="The product's price in this pricelist is the shop's price; empty: the "
             'sales price.')
    import_orders_since = fields.Datetime(
        help='The delta poll reads the shop orders changed after this (less a margin); '
             'moved forward once every order found has its import job. Empty: all.')
    requests_per_second = fields.Float(
        default=0, help="At most this many jobs of this backend start per second (the "
                        "rate limit of its job channel). 0: no limit. The shop's own "
                        'throttling answers pause the channel whatever this says.')
    shop_partner_url = fields.Char(
        string='Fulfilment partner', readonly=True,
        help='URL of the shop partner that owns the stock records (read from the shop).')
    connection_status = fields.Char(readonly=True)
    product_binding_ids = fields.One2many(PRODUCT_BINDING, 'backend_id',
                                          string='Product bindings')
    order_binding_ids = fields.One2many(ORDER_BINDING, 'backend_id', string='Order bindings')

    _sql_constraints = [
        ('requests_per_second_positive', 'CHECK (requests_per_second >= 0)',
         'Requests per second cannot be negative (0: no limit).'),
    ]

    @api.model
    def create(self, vals):
        backend = super().create(vals)
        backend._oscar_ensure_channel()
        return backend

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        if 'requests_per_second' in vals:
            self._oscar_ensure_channel()
        return result

    def _oscar_ensure_channel(self):
        """Each backend has its own job channel, ``root.oscar.backend_<id>``, rate-limited
        to ``requests_per_second`` (a fraction becomes starts per minute)."""
        channels = self.env['queue.job.channel'].sudo()
        root = channels.search([('complete_name', '=', 'root')]) or channels.create(
            {'name': 'root'})
        parent = channels.search([('complete_name', '=', 'root.oscar')]) or channels.create(
            {'name': 'oscar', 'parent_id': root.id})
        for backend in self:
            rate = backend.requests_per_second
            if not rate:
                values = {'rate_limit': 0}
            elif float(rate).is_integer():
                values = {'rate_limit': int(rate), 'rate_period': 1}
            else:
                values = {'rate_limit': max(1, int(round(rate * 60))), 'rate_period': 60}
            channel = backend.job_channel_id.sudo()
            if channel:
                channel.write(values)
            else:
                backend.job_channel_id = channels.create(dict(
                    values, name='backend_%d' % backend.id, parent_id=parent.id))

    # -- what the units read -------------------------------------------------

    def _oscar_settings(self):
        """Connection settings of the adapter (secrets included: call with sudo)."""
        self.ensure_one()
        if self.api_token:
            auth, headers = None, {'Authorization': 'Token %s' % self.api_token}
        else:
            auth, headers = (self.login or '', self.password or ''), {}
        return {'url': self.url, 'timeout': self.timeout or 30, 'auth': auth,
                'headers': headers, 'secrets': [self.api_token or '', self.password or '']}

    def _oscar_location(self):
        self.ensure_one()
        return self.location_id or self.warehouse_id.lot_stock_id

    def _oscar_environment(self, model_name=PRODUCT_BINDING):
        session = ConnectorSession.from_env(self.env)
        return ConnectorEnvironment(self, session, model_name)

    # -- actions -----------------------------------------------------------------

    @api.multi
    def action_test_connection(self):
        """Read the shop's fulfilment partner; say whether it worked."""
        self.ensure_one()
        adapter = self._oscar_environment().get_connector_unit(OscarAdapter)
        try:
            url = adapter.fulfilment_partner_url()
        except ConnectorException as err:
            self.connection_status = str(err)
            raise UserError(str(err)) from err
        self.write({'shop_partner_url': url, 'connection_status': _(
            'Connected on %(date)s; fulfilment partner %(url)s') % {
                'date': fields.Datetime.now(), 'url': url}})
        return True

    @api.multi
    def action_export_catalogue(self):
        """Button: bind every saleable product with a SKU (internal reference) to this
        shop; each new binding's export is a job (``consumers``)."""
        bindings = self.env[PRODUCT_BINDING]
        for backend in self:
            products = self.env['product.product'].search([
                ('sale_ok', '=', True), ('default_code', '!=', False)])
            for product in products.filtered(lambda known: not known.oscar_bind_ids.filtered(
                    lambda bound: bound.backend_id == backend)):
                bindings |= self.env[PRODUCT_BINDING].create({'backend_id': backend.id,
                                                              'openerp_id': product.id})
        return True

    @api.multi
    def import_orders(self):
        """Delay one import job per shop order changed since the last poll.

        Per backend, all or nothing (a savepoint): ``import_orders_since``
        moves to the newest ``date_updated`` listed once every order has its
        job; the next poll starts ``POLL_MARGIN`` before it.
        """
        for backend in self:
            filters = {}
            if backend.import_orders_since:
                since = fields.Datetime.from_string(backend.import_orders_since) - POLL_MARGIN
                filters['updated_after'] = since.strftime('%Y-%m-%dT%H:%M:%S+00:00')
            importer = backend._oscar_environment(ORDER_BINDING).get_connector_unit(
                DelayedBatchImporter)
            try:
                with self.env.cr.savepoint():
                    importer.run(filters=filters)
                    if importer.newest_update:
                        backend.import_orders_since = importer.newest_update
            except Exception:
                self.invalidate_cache()
                raise
        return True

    @api.multi
    def action_import_orders(self):
        """Button: poll the shop's orders now (through jobs)."""
        return self.import_orders()

    @api.model
    def _cron_import_orders(self):
        """Cron: the delta poll of every backend; a backend that fails is logged and
        tried again at the next run."""
        for backend in self.search([]):  # a handful of records  # pylint: disable=no-search-all
            try:
                backend.import_orders()
            except ConnectorException as err:
                _logger.warning('Oscar backend %r (id %s): order poll failed, nothing '
                                'delayed; the next run tries again: %s',
                                backend.name, backend.id, err)
