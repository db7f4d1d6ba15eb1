# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The job functions known to this database, for people to review."""
import json

from odoo import fields, models

from ..installed import get_odoo_module, is_module_installed
from ..jobrunner import queries
from ..queue.job import JOB_FUNCTIONS, job_options


class QueueJobFunction(models.Model):
    """A function or model method decorated with ``@job``.

    Filled from the code each time the registry loads: one row per ``@job``
    function of an installed addon and per ``@job`` method of a model.
    """

    _name = 'queue.job.function'
    _description = 'Job Function'
    _order = 'name'

    name = fields.Char(required=True, readonly=True, index=True)
    channel = fields.Char(string='Default Channel', readonly=True)
    retry_pattern = fields.Char(readonly=True)

    _sql_constraints = [
        ('name_uniq', 'unique(name)', 'A job function with this name exists.'),
    ]

    def _register_hook(self):
        super()._register_hook()
        rows = []
        for func_string, func in JOB_FUNCTIONS.items():
            if is_module_installed(self.env, get_odoo_module(func)):
                rows.append((func_string, job_options(func)))
        for model_name in self.env.registry:
            model_class = type(self.env[model_name])
            for attr in dir(model_class):
                if attr.startswith('__'):
                    continue
                options = job_options(getattr(model_class, attr, None))
                if options is not None:
                    rows.append(('%s.%s' % (model_name, attr), options))
        for name, options in sorted(rows):
            self.env.cr.execute(queries.UPSERT_FUNCTION, {
                'name': name, 'channel': options.default_channel,
                'retry_pattern': json.dumps(options.retry_pattern) if options.retry_pattern
                else None})
