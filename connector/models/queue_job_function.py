# Copyright 2026 Connector contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The job functions known to this database, for people to review."""
from odoo import api, fields, models

from ..installed import get_odoo_module, is_module_installed
from ..queue.job import JOB_FUNCTIONS, job_options
from ..queue.store import QueueStore


class QueueJobFunction(models.Model):
    """A function or model method decorated with ``@job``.

    Filled from the code each time the registry loads: one row per ``@job``
    function of an installed addon and per ``@job`` method of a model.

    A module can be imported after the registry is loaded: Odoo's test
    runner imports an addon's test modules only when it runs them (after
    installation for post-install tests, or when the addon is installed
    without demo data), and a script imports what it likes. Its ``@job``
    functions are listed the next time the list is read (``_search``).
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

    @api.model
    def _search(self, args, offset=0, limit=None, order=None, count=False,
                access_rights_uid=None):
        self._list_job_functions(self._job_function_rows(), only_new=True)
        return super()._search(args, offset=offset, limit=limit, order=order, count=count,
                               access_rights_uid=access_rights_uid)

    def _register_hook(self):
        super()._register_hook()
        self._list_job_functions(self._job_function_rows() + self._job_method_rows())

    def _job_function_rows(self):
        """(name, JobOptions) of the ``@job`` functions imported in this process
        that belong to this database: of an installed addon, or of no addon."""
        return [(func_string, job_options(func)) for func_string, func in JOB_FUNCTIONS.items()
                if is_module_installed(self.env, get_odoo_module(func))]

    def _job_method_rows(self):
        """(name, JobOptions) of the ``@job`` methods of this registry's models."""
        rows = []
        for model_name in self.env.registry:
            model_class = type(self.env[model_name])
            for attr in dir(model_class):
                if attr.startswith('__'):
                    continue
                options = job_options(getattr(model_class, attr, None))
                if options is not None:
                    rows.append(('%s.%s' % (model_name, attr), options))
        return rows

    def _list_job_functions(self, rows, only_new=False):  # pylint: disable=missing-return
        """Insert or update a row per (name, JobOptions); with ``only_new``,
        only the names not listed yet."""
        if only_new and rows:
            # the parent's _search: ours would list the functions again, a recursion
            # pylint: disable-next=super-method-mismatch
            listed_ids = super(QueueJobFunction, self.sudo())._search(
                [('name', 'in', [name for name, _options in rows])])
            listed = set(self.sudo().browse(listed_ids).mapped('name'))
            rows = [row for row in rows if row[0] not in listed]
        store = QueueStore(self.env.cr)
        for name, options in sorted(rows):
            store.upsert_function(name, options.default_channel, options.retry_pattern)
