# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A job that reads and writes a value Odoo caches per process (a system parameter)."""
from odoo.addons.connector.queue.job import job


@job
def swap_parameter(session, model_name, key, parameter, value=None):
    """Insert row ``key`` noting the parameter's value as this process reads it (its
    ormcache), then set it to ``value`` when given (and read it back: cached again)."""
    parameters = session.env['ir.config_parameter'].sudo()
    session.env[model_name].create({'key': key, 'note': parameters.get_param(parameter) or ''})
    if value is not None:
        parameters.set_param(parameter, value)
        parameters.get_param(parameter)
