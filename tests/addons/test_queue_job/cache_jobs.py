# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A job that reads and writes a value Odoo caches per process (a system parameter)."""
import odoo

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


@job
def set_parameter_while_another_process_signals(session, model_name, key, parameter, value,
                                                other_parameter, other_value):
    """Set ``parameter`` (this process's caches are invalidated and must be
    signalled) while another connection, as another Odoo process would, changes
    ``other_parameter`` and signals it before this job commits; insert row ``key``
    noting ``other_parameter`` as this job reads it (its snapshot: the old value)."""
    parameters = session.env['ir.config_parameter'].sudo()
    parameters.set_param(parameter, value)
    with odoo.sql_db.db_connect(session.env.cr.dbname).cursor() as other:  # commits on exit
        other.execute('UPDATE ir_config_parameter SET value = %s WHERE key = %s',
                      (other_value, other_parameter))
        other.execute("SELECT nextval('base_cache_signaling')")
    # read with this job's snapshot, from before the other change: cached here
    session.env[model_name].create({'key': key, 'note': parameters.get_param(other_parameter)})
